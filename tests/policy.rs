//! Backup capacity and strategic reserves: each mechanism on a small economy, with numbers.

use hinterland::economy::DAILY;
use hinterland::economy::{Economy, MrioTable};
use hinterland::kinds::{FirmSizes, RecordKind};
use hinterland::metrics::Record;
use hinterland::model::{EconomyParams, Model};
use hinterland::policy::state::UnitState;
use hinterland::scenario;

use crate::common::{self, repo};

pub(crate) fn model(text: &str) -> Model {
    let path = repo("tests/fixtures/inline.ron");
    let parsed = scenario::parse(text, &path).unwrap_or_else(|e| panic!("{e}"));
    Model::from_scenario(&parsed, &path).unwrap_or_else(|e| panic!("{e}"))
}

/// An economy from a table given as `(region, sector)` labels, `Z` rows and `Y` rows (one
/// final-demand column per region, households).
fn economy(
    industries: &[(&str, &str)],
    z: &[f64],
    y: &[f64],
    regions: &[&str],
    firms: usize,
) -> Economy {
    let n = industries.len();
    let m = regions.len();
    let x = (0..n)
        .map(|i| {
            z[i * n..(i + 1) * n].iter().sum::<f64>() + y[i * m..(i + 1) * m].iter().sum::<f64>()
        })
        .collect();
    let table = MrioTable {
        industries: industries
            .iter()
            .map(|(r, s)| (r.to_string(), s.to_string()))
            .collect(),
        final_demand_columns: regions
            .iter()
            .map(|r| (r.to_string(), "households".to_string()))
            .collect(),
        z: z.to_vec(),
        y: y.to_vec(),
        x,
        unit: None,
    };
    let params = EconomyParams::new("inline", firms, 3, FirmSizes::Equal, 1, 4.0).unwrap();
    Economy::from_mrio(&table, &params).unwrap()
}

/// home makes goods and a little of the chips; abroad makes chips, goods and equipment.
/// Chips need goods and equipment (only abroad makes equipment); home goods need chips.
pub(crate) fn chip_economy() -> Economy {
    let industries = [
        ("abroad", "chips"),
        ("abroad", "equipment"),
        ("abroad", "goods"),
        ("home", "chips"),
        ("home", "equipment"),
        ("home", "goods"),
    ];
    #[rustfmt::skip]
    let z = [
        // to: a.chips a.equip a.goods h.chips h.equip h.goods
        2.0,  0.0, 10.0, 0.0, 0.0, 30.0, // abroad chips
        5.0,  0.0,  2.0, 4.0, 0.0,  0.0, // abroad equipment
        8.0,  3.0, 40.0, 1.0, 0.0,  5.0, // abroad goods
        0.0,  0.0,  0.0, 0.0, 0.0, 10.0, // home chips
        0.0,  0.0,  0.0, 0.0, 0.0,  0.0, // home equipment (none)
        4.0,  1.0,  6.0, 6.0, 0.0, 60.0, // home goods
    ];
    #[rustfmt::skip]
    let y = [
        // abroad, home households
        10.0, 5.0,
        5.0,  0.0,
        60.0, 4.0,
        0.0,  5.0,
        0.0,  0.0,
        10.0, 120.0,
    ];
    economy(&industries, &z, &y, &["abroad", "home"], 1)
}

/// Value added of `region` over the run from a `value_added` record (money).
fn value_added(records: &[Record], region: &str) -> f64 {
    let record = common::record(records, "value_added");
    let columns: Vec<usize> = (0..record.columns.len())
        .filter(|&c| record.columns[c].starts_with(&format!("{region}|")))
        .collect();
    (0..record.days())
        .map(|d| columns.iter().map(|&c| record.row(d)[c]).sum::<f64>())
        .sum()
}

const CUTOFF: &str = r#"Scenario(name: "c", days: DAYS, economy: Mrio(path: "unused"),
    regions: [("abroad", Foreign)],
    shocks: [TechCutoff(name: "cutoff", sectors: SECTORS, start_day: Fixed(5), duration_days: Fixed(300))],
    backup: BACKUP, reserves: RESERVES)"#;

fn cutoff_model(days: u32, backup: &str, reserves: &str) -> Model {
    model(
        &CUTOFF
            .replace("SECTORS", r#"["chips", "equipment"]"#)
            .replace("DAYS", &days.to_string())
            .replace("BACKUP", backup)
            .replace("RESERVES", reserves),
    )
}

#[test]
fn on_shock_unit_waits_its_delay_then_ramps_linearly() {
    let base = chip_economy();
    let model = cutoff_model(
        30,
        r#"[Backup(name: "fab", sector: "chips", region: "home", capacity_share: 2.0,
             trigger: OnShock("cutoff"), activation_delay_days: 3, ramp_days: 4, sourcing: Domestic)]"#,
        "[]",
    );
    let study = common::study(&model, &base);
    let (economy, policies) = (study.economy_of(0), study.setups()[0].policies());
    let unit = policies.backups[0].firms[0] as usize;
    // 2 × home's baseline chips output, per day
    let home_chips = economy.firms_of(
        economy.region_index("home").unwrap() * 3 + economy.sector_index("chips").unwrap(),
    );
    let full = 2.0 * economy.firm_output()[home_chips.start] * DAILY;
    assert!((policies.backups[0].capacity_per_day - full).abs() < 1e-15 * full);
    let mut sim = study.simulation(0, 0);
    for day in 0..30u32 {
        sim.step();
        let state = sim.policy().unwrap().backups[0].state;
        let expected = match day {
            0..5 => (UnitState::Standby, 0.0),
            5..8 => (UnitState::Activating, 0.0),
            8..12 => (UnitState::Ramping, full * f64::from(day - 8) / 4.0),
            _ => (UnitState::Active, full),
        };
        assert_eq!(state, expected.0, "day {day}");
        assert!(
            (sim.capacity()[unit] - expected.1).abs() <= 1e-12 * full,
            "day {day}: {}",
            sim.capacity()[unit]
        );
        if day < 8 {
            assert_eq!(sim.production()[unit], 0.0, "day {day}");
        }
    }
    // once active it produces for the buyers the cutoff left without chips
    assert!(sim.production()[unit] > 0.5 * full);
}

#[test]
fn availability_trigger_fires_on_the_first_day_it_is_seen_below_the_threshold() {
    let base = chip_economy();
    // availability of chips to home buyers once abroad's chips are cut: home's share of flows
    let chips = base.sector_index("chips").unwrap();
    let home = base.region_index("home").unwrap();
    let (mut all, mut domestic_supply) = (0.0, 0.0);
    for (l, b) in (0..base.n_links()).zip(base.link_buyers()) {
        let (s, b) = (base.link_supplier()[l] as usize, b as usize);
        let sector = base.industry_sector(base.firm_industry()[s] as usize);
        if sector == chips && base.industry_region(base.firm_industry()[b] as usize) == home {
            all += base.link_flow()[l];
            if base.industry_region(base.firm_industry()[s] as usize) == home {
                domestic_supply += base.link_flow()[l];
            }
        }
    }
    let availability = domestic_supply / all; // 10 / 40 = 0.25
    assert!((availability - 0.25).abs() < 1e-12);
    for (below, lag, fires_on) in [
        (0.3, 0, Some(5)),
        (0.3, 2, Some(7)),
        (0.25, 0, None),
        (0.2, 0, None),
    ] {
        let model = cutoff_model(
            20,
            &format!(
                r#"[Backup(name: "fab", sector: "chips", region: "home", capacity_share: 1.0,
                    trigger: Availability(below: {below}, lag_days: {lag}))]"#
            ),
            "[]",
        );
        let study = common::study(&model, &base);
        let mut sim = study.simulation(0, 0);
        for day in 0..20u32 {
            sim.step();
            let run = &sim.policy().unwrap().backups[0];
            let on = fires_on.is_some_and(|d| day >= d);
            assert_eq!(
                run.state != UnitState::Standby,
                on,
                "below {below} lag {lag} day {day}"
            );
        }
        assert_eq!(
            sim.policy().unwrap().backups[0].first_activation,
            fires_on.map(|d: u32| d)
        );
    }
}

#[test]
fn sourcing_decides_whether_a_backup_survives_the_cutoff_it_answers() {
    let base = chip_economy();
    let run = |backup: &str| {
        let model = cutoff_model(200, backup, "[]");
        value_added(&common::run(&model, &base), "home")
    };
    let calm = common::run(
        &model(
            r#"Scenario(name: "c", days: 200, economy: Mrio(path: "unused"),
                regions: [("abroad", Foreign)])"#,
        ),
        &base,
    );
    let baseline = value_added(&calm, "home");
    let none = baseline - run("[]");
    let backup = |sourcing: &str| {
        format!(
            r#"[Backup(name: "fab", sector: "chips", region: "home", capacity_share: 3.0,
                 trigger: OnShock("cutoff"), sourcing: {sourcing}, prestock_days: 5)]"#
        )
    };
    let domestic = baseline - run(&backup("Domestic"));
    let as_sector = baseline - run(&backup("AsSector"));
    eprintln!(
        "home value-added loss: none {none:.4}, Domestic {domestic:.4}, AsSector {as_sector:.4}"
    );
    assert!(none > 0.0);
    // Domestic sourcing designs out the foreign equipment: it makes up most of the loss
    assert!(
        domestic < 0.5 * none,
        "Domestic backup: {domestic} vs {none}"
    );
    // AsSector needs the equipment that is cut off: it helps only while its prestock lasts
    assert!(
        as_sector > 1.5 * domestic,
        "AsSector {as_sector} vs Domestic {domestic}"
    );
    assert!(
        as_sector <= none * (1.0 + 1e-9),
        "AsSector {as_sector} vs none {none}"
    );
}

/// home imports every chip it uses (goods firms and households) from abroad.
fn import_economy() -> Economy {
    let industries = [
        ("abroad", "chips"),
        ("abroad", "goods"),
        ("home", "chips"),
        ("home", "goods"),
    ];
    #[rustfmt::skip]
    let z = [
        // to: a.chips a.goods h.chips h.goods
        0.0, 10.0, 0.0, 30.0, // abroad chips
        5.0, 20.0, 0.0,  5.0, // abroad goods
        0.0,  0.0, 0.0,  0.0, // home chips (none)
        3.0,  5.0, 0.0, 40.0, // home goods
    ];
    #[rustfmt::skip]
    let y = [
        10.0, 10.0,
        50.0,  5.0,
        0.0,   0.0,
        10.0, 100.0,
    ];
    economy(&industries, &z, &y, &["abroad", "home"], 1)
}

/// For the import economy with chips cut off from day 5: the first day a home goods firm
/// produces less than its demand and capacity allow, the day the reserve (if any) runs dry,
/// and the goods firms' mean daily use of chips from day 5 to then.
fn first_shortage(reserves: &str) -> (u32, Option<u32>, f64) {
    let base = import_economy();
    let text = CUTOFF
        .replace("SECTORS", r#"["chips"]"#)
        .replace("DAYS", "150")
        .replace("BACKUP", "[]")
        .replace("RESERVES", reserves);
    let model = self::model(&text);
    let study = common::study(&model, &base);
    let policies = study.setups()[0].policies();
    assert_eq!(study.economy_of(0).n_firms(), base.n_firms());
    let mut sim = study.simulation(0, 0);
    let goods =
        base.firms_of(base.region_index("home").unwrap() * 2 + base.sector_index("goods").unwrap());
    let chips = base.sector_index("chips").unwrap() as u32;
    let (mut shortage, mut dry, mut used, mut days_used) = (None, None, 0.0, 0.0);
    for day in 0..150u32 {
        sim.step();
        for f in goods.clone() {
            let optimal = sim.demand()[f].min(sim.capacity()[f]);
            if shortage.is_none() && sim.production()[f] < optimal * (1.0 - 1e-9) {
                shortage = Some(day);
            }
            if day >= 5 && dry.is_none() {
                let k = (base.firm_inputs()[f] as usize..base.firm_inputs()[f + 1] as usize)
                    .find(|&k| base.input_sector()[k] == chips)
                    .unwrap();
                used += sim.production()[f] * base.input_per_output()[k];
            }
        }
        if day >= 5 && dry.is_none() {
            days_used += 1.0;
        }
        if let Some(policy) = sim.policy()
            && dry.is_none()
            && policy.reserve_stock[0] <= 1e-12 * policies.reserves[0].capacity
        {
            dry = Some(day);
        }
    }
    (shortage.expect("no shortage"), dry, used / days_used)
}

#[test]
fn a_reserve_delays_the_first_shortage_by_what_its_stock_covers() {
    let (without, _, _) = first_shortage("[]");
    // without: 90 days of stock fall to ψ × 90 = 72 days of use about 18 days after day 5
    assert!((22..=26).contains(&without), "{without}");
    for (days, max_release) in [(20.0, 1.0), (20.0, 0.5), (10.0, 0.4)] {
        // The reserve holds `days` of domestic use of chips (home goods' 30 a year plus home
        // households' 10) and releases at most `max_release` of that daily use. Only the goods
        // firms ask it (it serves industry), so its stock lasts stock / their use, and the
        // shortage comes that much later: the goods firms' own stock is spent that much later.
        let (with, dry, use_per_day) = first_shortage(&format!(
            r#"[Reserve(name: "chips stock", product: "chips", region: "home", days: {days},
                 max_release: {max_release}, serves: Industry)]"#
        ));
        let stock = days * (30.0 + 10.0) * DAILY;
        let covers = stock / use_per_day;
        let delay = f64::from(with) - f64::from(without);
        eprintln!(
            "reserve {days} days, release {max_release}: dry on day {dry:?}; shortage day {with} vs {without}: delay {delay}, stock covers {covers:.2} days of use"
        );
        assert!(
            dry.is_some(),
            "the reserve should run dry before the shortage"
        );
        assert!((delay - covers).abs() <= 1.0, "delay {delay} vs {covers}");
    }
}

#[test]
fn holding_cost_is_capacity_value_times_rate_times_years() {
    let base = chip_economy();
    let model = cutoff_model(
        146,
        r#"[Backup(name: "fab", sector: "chips", region: "home", capacity_share: 0.4,
             trigger: Never, holding_cost_rate: 0.05, activation_cost: 123.0)]"#,
        "[]",
    );
    let outcomes = common::study(&model, &base).simulate(0, 0, &[]).policies;
    let home_chips = base.firm_output()[base
        .firms_of(base.region_index("home").unwrap() * 3 + base.sector_index("chips").unwrap())]
    .iter()
    .sum::<f64>();
    let value = 0.4 * home_chips;
    assert_eq!(outcomes[0].holding_cost, value * 0.05 * (146.0 / 365.0));
    // never triggered: no activation, no output, no activation cost
    assert_eq!(
        (
            outcomes[0].activations,
            outcomes[0].activation_cost,
            outcomes[0].delivered
        ),
        (0, 0.0, 0.0)
    );
}

#[test]
fn a_policy_of_size_zero_changes_nothing() {
    let base = chip_economy();
    let without = cutoff_model(60, "[]", "[]");
    let plain = common::run(&without, &base);
    for (backup, reserves) in [
        (
            r#"[Backup(name: "fab", sector: "chips", region: "home", capacity_share: 0.0, trigger: Always)]"#,
            "[]",
        ),
        (
            "[]",
            r#"[Reserve(name: "r", product: "chips", region: "home", days: 0.0, max_release: 1.0)]"#,
        ),
    ] {
        let model = cutoff_model(60, backup, reserves);
        let records = common::run(&model, &base);
        for stem in [
            "production_realised",
            "final_demand_unmet",
            "value_added",
            "intermediate_demand",
        ] {
            assert_eq!(
                common::record(&records, stem),
                common::record(&plain, stem),
                "{stem}"
            );
        }
    }
}

#[test]
fn backup_regions_must_be_hinterland_or_interior() {
    let base = chip_economy();
    let model = cutoff_model(
        10,
        r#"[Backup(name: "fab", sector: "chips", region: "abroad", capacity_share: 1.0)]"#,
        "[]",
    );
    let err = common::policies(&model, &base).unwrap_err().to_string();
    assert!(
        err.contains(r#"backup[0] "fab": region: "abroad" is Foreign"#),
        "{err}"
    );
}

/// Mean domestic value-added loss (days of baseline domestic value added) over the runs of
/// `model`, every setting on the same drawn crises.
fn mean_domestic_loss(model: &Model, base: &Economy) -> f64 {
    let study = common::study(&model.keeping_variants(&[]), base);
    let domestic = ["reg1", "reg2", "reg3", "reg4", "reg5"];
    let losses = study
        .map_runs(&[RecordKind::ValueAdded], |_, result| {
            let record = common::record(&result.records, "value_added");
            let columns: Vec<usize> = (0..record.columns.len())
                .filter(|&c| {
                    domestic
                        .iter()
                        .any(|r| record.columns[c].starts_with(&format!("{r}|")))
                })
                .collect();
            let day = |d: usize| columns.iter().map(|&c| record.row(d)[c]).sum::<f64>();
            let baseline = day(0);
            (0..record.days())
                .map(|d| (baseline - day(d)) / baseline)
                .sum::<f64>()
        })
        .unwrap();
    losses[0].iter().sum::<f64>() / losses[0].len() as f64
}

#[test]
fn shipped_backup_scenario_loses_less_with_more_and_sooner_backup() {
    let shipped = common::model(&repo("scenarios/test-mrio-backup.ron"));
    let base = common::build(&shipped);
    let mut by_share = Vec::new();
    let name = &shipped.backup()[0].name;
    let shares = ["0.0", "0.01", "0.05", "0.10", "0.15", "0.225", "0.30"];
    for share in shares {
        let path = format!("backup.{name}.capacity_share");
        let model = common::set(&shipped, &[(&path, share)]);
        by_share.push(mean_domestic_loss(&model, &base));
    }
    let mut by_delay = Vec::new();
    for delay in ["28", "21", "14", "7", "0"] {
        let path = format!("backup.{name}.activation_delay_days");
        let model = common::set(&shipped, &[(&path, delay)]);
        by_delay.push(mean_domestic_loss(&model, &base));
    }
    eprintln!(
        "loss by capacity share 0..30 %: {by_share:?}\nloss by delay 28..0 days: {by_delay:?}"
    );
    for pair in by_share.windows(2).chain(by_delay.windows(2)) {
        assert!(
            pair[1] <= pair[0] * (1.0 + 1e-12),
            "{by_share:?} {by_delay:?}"
        );
    }
    // loss avoided strictly rises from 1 % to 15 % of the sector's domestic output on the
    // same draws, and 15 % saves at least five times what 1 % does (issue 14: the shortage
    // the units meet, households' included, is far above 1 %)
    let avoided: Vec<f64> = by_share.iter().map(|loss| by_share[0] - loss).collect();
    for pair in avoided[1..5].windows(2) {
        assert!(
            pair[1] > pair[0],
            "avoided by 0, 1, 5, 10, 15 %: {avoided:?}"
        );
    }
    assert!(avoided[4] >= 5.0 * avoided[1], "{avoided:?}");
    assert!(by_share[6] < by_share[0], "{by_share:?}");
}

#[test]
fn a_disaster_in_the_hinterland_hits_the_backup_base_too() {
    let base = chip_economy();
    let model = model(
        r#"Scenario(name: "q", days: 20, economy: Mrio(path: "unused"),
            regions: [("abroad", Foreign), ("home", Hinterland)],
            shocks: [Disaster(name: "quake", regions: Names(["home"]), probability: 1.0, day: Fixed(6),
                firms_hit: Fixed(1.0), capital_loss: Fixed(0.4), recovery: Recover(tau_days: 10))],
            backup: [Backup(name: "fab", sector: "chips", region: "home", capacity_share: 1.0, trigger: Always)])"#,
    );
    let study = common::study(&model, &base);
    let (economy, policies) = (study.economy_of(0), study.setups()[0].policies());
    let unit = policies.backups[0].firms[0] as usize;
    assert!(economy.firm_capital()[unit] > 0.0);
    let mut sim = study.simulation(0, 0);
    let full = policies.backups[0].capacity_per_day;
    for day in 0..8u32 {
        sim.step();
        // one day at full loss, then linear recovery over 10 days
        let loss = match day {
            6 => 0.4,
            7 => 0.4 * 0.9,
            _ => 0.0,
        };
        assert!(
            (sim.capacity_loss()[unit] - loss).abs() < 1e-12,
            "day {day}: {}",
            sim.capacity_loss()[unit]
        );
        assert!(
            (sim.capacity()[unit] - full * (1.0 - loss)).abs() <= 1e-12 * full,
            "day {day}"
        );
    }
}

#[test]
fn a_disaster_hits_the_same_regular_firms_with_and_without_backup_units() {
    // common random numbers: units standing in the disaster region are drawn from a stream of
    // their own, so a backup that never starts changes nothing, run by run
    let base = chip_economy();
    let text = |backup: &str| {
        format!(
            r#"Scenario(name: "q", days: 60, economy: Mrio(path: "unused"), seed: 4,
            regions: [("abroad", Foreign), ("home", Hinterland)],
            shocks: [Disaster(name: "quake", regions: All, probability: 1.0, day: Uniform(3, 20),
                firms_hit: Fixed(0.5), capital_loss: Uniform(0.1, 0.5), recovery: Recover(tau_days: 20))],
            backup: {backup})"#
        )
    };
    let without = model(&text("[]"));
    let with = model(&text(
        r#"[Backup(name: "fab", sector: "chips", region: "home", capacity_share: 0.0, trigger: Never, firms: 3)]"#,
    ));
    let (plain_study, study) = (common::study(&without, &base), common::study(&with, &base));
    for run in 0..10 {
        let plain = plain_study.simulate(0, run, without.records()).records;
        let drawn = study.setups()[0]
            .plan()
            .draw(study.economy_of(0), 4, run as u64);
        // the regular firms hit are the very same
        let regular = |shocks: &hinterland::shocks::Shocks| -> Vec<(u32, f64)> {
            shocks.capital_recover[0]
                .firms
                .iter()
                .copied()
                .filter(|&(f, _)| (f as usize) < base.n_firms())
                .collect()
        };
        let reference = common::plan(&without, &base)
            .draw(&base, 4, run as u64)
            .shocks;
        assert_eq!(regular(&drawn.shocks), regular(&reference), "run {run}");
        let records = study.simulate(0, run, with.records()).records;
        for stem in ["production_realised", "final_demand_unmet"] {
            assert_eq!(
                common::record(&records, stem),
                common::record(&plain, stem),
                "run {run} {stem}"
            );
        }
    }
}

#[test]
fn a_reserve_for_households_does_not_refill_while_they_are_short() {
    let base = import_economy();
    // home goods lose half their capacity for the whole run: households go short of goods
    let model = self::model(
        r#"Scenario(name: "s", days: 120, economy: Mrio(path: "unused"), regions: [("abroad", Foreign)],
            shocks: [CapacityLoss(name: "strike", impacts: [("home", "goods", 0.5)], start_day: 5,
                duration_days: 200)],
            reserves: [Reserve(name: "r", product: "goods", region: "home", days: 10.0, max_release: 0.2,
                refill_days: 30, serves: FinalDemand)])"#,
    );
    let study = common::study(&model, &base);
    let policies = study.setups()[0].policies();
    let mut sim = study.simulation(0, 0);
    for _ in 0..120 {
        sim.step();
    }
    let state = sim.policy().unwrap();
    // the shortage lasts all run: the reserve empties once and never refills
    assert!(
        state.released_total[0] <= policies.reserves[0].capacity * (1.0 + 1e-9),
        "{}",
        state.released_total[0]
    );
    assert!(state.released_total[0] >= 0.99 * policies.reserves[0].capacity);
    assert!(state.reserve_stock[0] < 1e-9 * policies.reserves[0].capacity);
}
