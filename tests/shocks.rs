//! What each scenario shock means, on small economies, with numbers.

use hinterland::economy::{Economy, MrioTable};
use hinterland::engine::Simulation;
use hinterland::kinds::FirmSizes;
use hinterland::model::{EconomyParams, Model};
use hinterland::scenario;

use crate::common::{self, repo};

/// A model from scenario text whose relative paths start in tests/fixtures/.
fn model(text: &str) -> Model {
    let path = repo("tests/fixtures/inline.ron");
    let parsed = scenario::parse(text, &path).unwrap_or_else(|e| panic!("{e}"));
    Model::from_scenario(&parsed, &path).unwrap_or_else(|e| panic!("{e}"))
}

/// Two regions, `home` and `abroad`; chips are made only abroad, goods in both.
fn chip_economy() -> Economy {
    // industries: home|chips (none), home|goods, abroad|chips, abroad|goods
    let industries = [
        ("home", "chips"),
        ("home", "goods"),
        ("abroad", "chips"),
        ("abroad", "goods"),
    ];
    #[rustfmt::skip]
    let z = vec![
        0.0, 0.0,  0.0,  0.0,
        0.0, 30.0, 5.0,  10.0,
        0.0, 20.0, 2.0,  8.0,
        0.0, 6.0,  4.0,  25.0,
    ];
    let y = vec![0.0, 0.0, 55.0, 5.0, 16.0, 4.0, 20.0, 45.0];
    let x = (0..4)
        .map(|i| z[i * 4..i * 4 + 4].iter().sum::<f64>() + y[i * 2..i * 2 + 2].iter().sum::<f64>())
        .collect();
    let table = MrioTable {
        industries: industries
            .iter()
            .map(|(r, s)| (r.to_string(), s.to_string()))
            .collect(),
        final_demand_columns: vec![
            ("home".into(), "households".into()),
            ("abroad".into(), "households".into()),
        ],
        z,
        y,
        x,
        unit: None,
    };
    let params = EconomyParams::new("chips", 3, 2, FirmSizes::Equal, 1, 4.0).unwrap();
    Economy::from_mrio(&table, &params).unwrap()
}

#[test]
fn tech_cutoff_drains_the_input_by_its_use_until_psi_binds() {
    let economy = chip_economy();
    assert_eq!(economy.regions(), ["abroad", "home"]);
    let model = model(
        r#"Scenario(name: "c", days: 60, economy: Mrio(path: "unused"),
            regions: [("abroad", Foreign)],
            shocks: [TechCutoff(name: "chips", sectors: ["chips"], start_day: Fixed(5), duration_days: Fixed(100))])"#,
    );
    let study = common::study(&model, &economy);
    let mut sim = study.simulation(0, 0);
    // the chips input of each home goods firm
    let home_goods = economy.firms_of(economy.region_index("home").unwrap() * 2 + 1);
    let chips = economy.sector_index("chips").unwrap() as u32;
    let inputs: Vec<(usize, usize)> = home_goods
        .map(|f| {
            let k = (economy.firm_inputs()[f] as usize..economy.firm_inputs()[f + 1] as usize)
                .find(|&k| economy.input_sector()[k] == chips)
                .unwrap();
            (f, k)
        })
        .collect();
    let (psi, days) = (0.8, 90.0);
    let mut constrained_on = None;
    for day in 0..60u32 {
        let before: Vec<f64> = inputs.iter().map(|&(_, k)| sim.stocks()[k]).collect();
        sim.step();
        for (&(f, k), stock_before) in inputs.iter().zip(&before) {
            let used = sim.production()[f] * economy.input_per_output()[k];
            let optimal = sim.demand()[f].min(sim.capacity()[f]);
            if day >= 5 {
                // nothing arrives: the stock falls by exactly what production used
                let fall = stock_before - sim.stocks()[k];
                assert!(
                    (fall - used).abs() <= 1e-12 * used,
                    "day {day}: fell {fall}, used {used}"
                );
            }
            let needed = optimal * economy.input_per_output()[k] * psi * days;
            if *stock_before < needed {
                // constrained: production is what the stock allows at ψ × target
                let allowed = optimal * stock_before / needed;
                assert!(
                    (sim.production()[f] - allowed).abs() <= 1e-9 * allowed,
                    "day {day}"
                );
                constrained_on.get_or_insert(day);
            } else {
                assert!(
                    (sim.production()[f] - optimal).abs() <= 1e-9 * optimal,
                    "day {day}"
                );
            }
        }
    }
    // 90 days of stock, binding at 72 (ψ = 0.8): about 18 days of baseline use after the
    // cutoff, and a few more since the firms use less: abroad's chip makers, who can no longer
    // sell home, stop buying home goods, whose demand falls by about 3 %
    let day = constrained_on.expect("the cutoff never bound");
    assert!((20..=30).contains(&day), "constrained from day {day}");
}

const SMALL: &str = r#"Scenario(name: "s", days: 40, economy: Mrio(path: "mrio-small", firms_per_industry: 4),
    runs: 1, seed: 5, shocks: SHOCKS)"#;

fn small(shocks: &str) -> Model {
    model(&SMALL.replace("SHOCKS", shocks))
}

#[test]
fn disaster_with_probability_zero_is_no_shock_and_with_one_hits_on_its_day() {
    let calm = small("[]");
    let economy = common::build(&calm);
    let baseline = common::run(&calm, &economy);
    let never = small(
        r#"[Disaster(name: "q", regions: All, probability: 0.0, day: Uniform(3, 30),
            firms_hit: Fixed(1.0), capital_loss: Fixed(0.5), recovery: Recover(tau_days: 10))]"#,
    );
    assert_eq!(common::run(&never, &economy), baseline);

    let always = small(
        r#"[Disaster(name: "q", regions: Names(["north"]), probability: 1.0, day: Uniform(3, 30),
            firms_hit: Fixed(1.0), capital_loss: Fixed(0.5), recovery: Recover(tau_days: 10))]"#,
    );
    let plan = common::plan(&always, &economy);
    for run in 0..5 {
        let drawn = plan.draw(&economy, 5, run);
        let day = drawn
            .draws
            .iter()
            .find(|d| d.parameter == "day")
            .unwrap()
            .value as u32;
        assert!((3..=30).contains(&day));
        let mut sim = Simulation::new(&economy, always.dynamics(), drawn.shocks);
        for d in 0..=day {
            sim.step();
            for f in 0..economy.n_firms() {
                let north = economy.industry_region(economy.firm_industry()[f] as usize) == 0;
                let expected = if north && d == day { 0.5 } else { 0.0 };
                if d < day || !north {
                    assert_eq!(sim.capacity_loss()[f], 0.0, "run {run} day {d} firm {f}");
                } else {
                    assert!(
                        (sim.capacity_loss()[f] - expected).abs() < 1e-12,
                        "run {run} firm {f}"
                    );
                }
            }
        }
    }
}

#[test]
fn sea_import_blocks_cut_foreign_to_coastal_links_only() {
    let model = model(
        r#"Scenario(name: "b", days: 30, economy: Mrio(path: "mrio-pymrio", firms_per_industry: 2),
            regions: [("reg1", Coastal), ("reg2", Coastal), ("reg6", Foreign), ("reg5", Foreign)],
            shocks: [CoastalDisruption(name: "blockade", start_day: Fixed(3), duration_days: Fixed(5),
                firms_hit: Fixed(0.25), capacity_loss: Fixed(0.6), block_sea_imports: true)])"#,
    );
    let economy = common::build(&model);
    let plan = common::plan(&model, &economy);
    let drawn = plan.draw(&economy, 0, 0);
    let region = |firm: u32| {
        economy.regions()[economy.industry_region(economy.firm_industry()[firm as usize] as usize)]
            .as_str()
    };
    let expected: Vec<u32> = (0..economy.n_links() as u32)
        .zip(economy.link_buyers())
        .filter(|&(l, b)| {
            let s = economy.link_supplier()[l as usize];
            ["reg5", "reg6"].contains(&region(s)) && ["reg1", "reg2"].contains(&region(b))
        })
        .map(|(l, _)| l)
        .collect();
    assert_eq!(drawn.shocks.links.len(), 1);
    assert_eq!(drawn.shocks.links[0].links, expected);
    // a quarter of the coastal firms (2 regions × 8 sectors × 2 firms = 32) lose 60 %
    let capacity = &drawn.shocks.capacity[0];
    assert_eq!(capacity.firms.len(), 8);
    assert!(
        capacity
            .firms
            .iter()
            .all(|&(f, loss)| ["reg1", "reg2"].contains(&region(f)) && loss == 0.6)
    );
    // and in the engine, those links carry nothing on days 3..=7 and everything after
    let mut sim = Simulation::new(&economy, model.dynamics(), drawn.shocks.clone());
    for day in 0..10 {
        sim.step();
        let open = if (3..8).contains(&day) { 0.0 } else { 1.0 };
        for l in 0..economy.n_links() {
            let want = if expected.binary_search(&(l as u32)).is_ok() {
                open
            } else {
                1.0
            };
            assert_eq!(sim.link_open()[l], want, "day {day} link {l}");
        }
    }
}

#[test]
fn demand_change_scales_the_selected_final_demand_exactly() {
    let model = small(
        r#"[DemandChange(name: "panic", regions: Names(["north"]), sectors: ["goods"], factor: 1.5,
            start_day: 4, duration_days: 3, recovery: Recover(function: Linear, tau_days: 2))]"#,
    );
    let economy = common::build(&model);
    let study = common::study(&model, &economy);
    let mut sim = study.simulation(0, 0);
    let baseline: Vec<f64> = economy
        .final_demand_annual()
        .iter()
        .map(|y| y * hinterland::economy::DAILY)
        .collect();
    let goods = economy.sector_index("goods").unwrap();
    let north = economy
        .demand_regions()
        .iter()
        .position(|r| r == "north")
        .unwrap() as u32;
    for day in 0..12u32 {
        sim.step();
        let multiplier = match day {
            4..=6 => 1.5,
            7 => 1.25, // linear return over 2 days
            _ => 1.0,
        };
        for f in 0..economy.n_firms() {
            let sector = economy.industry_sector(economy.firm_industry()[f] as usize);
            let entries = economy.firm_final_demand()[f] as usize
                ..economy.firm_final_demand()[f + 1] as usize;
            for (k, &base) in entries.clone().zip(&baseline[entries]) {
                let column = economy.final_demand_column()[k] as usize;
                let selected = sector == goods && economy.final_demand_columns()[column].0 == north;
                let want = base * if selected { multiplier } else { 1.0 };
                assert_eq!(sim.final_demand()[k], want, "day {day} entry {k}");
            }
        }
    }
}

#[test]
fn drawn_parameters_have_the_right_sample_means() {
    let model = small(
        r#"[CoastalDisruption(name: "c", regions: All, start_day: Uniform(10, 20), duration_days: Poisson(12),
                firms_hit: Beta(2, 5), capacity_loss: Triangular(0.2, 0.5, 0.8)),
            Disaster(name: "d", regions: All, probability: 0.3, day: Fixed(5),
                firms_hit: Fixed(1.0), capital_loss: Uniform(0.1, 0.3), recovery: Recover(tau_days: 5))]"#,
    );
    let economy = common::build(&model);
    let plan = common::plan(&model, &economy);
    let runs = 4000;
    let mut sums = std::collections::BTreeMap::<(String, &str), (f64, usize)>::new();
    for run in 0..runs {
        for draw in plan.draw(&economy, 11, run).draws {
            let entry = sums.entry((draw.shock, draw.parameter)).or_default();
            entry.0 += draw.value;
            entry.1 += 1;
        }
    }
    let mean = |shock: &str, parameter: &str| {
        let (sum, n) = sums[&(shock.to_string(), parameter)];
        (sum / n as f64, n)
    };
    let check = |shock: &str, parameter: &str, expected: f64, tolerance: f64| {
        let (m, _) = mean(shock, parameter);
        assert!(
            (m - expected).abs() < tolerance,
            "{shock}.{parameter}: mean {m}, expected {expected}"
        );
    };
    check("c", "start_day", 15.0, 0.15); // rounded uniform on [10, 20]
    check("c", "duration_days", 12.0, 0.25);
    check("c", "firms_hit", 2.0 / 7.0, 0.01);
    check("c", "capacity_loss_mean", 0.5, 0.01);
    check("d", "happened", 0.3, 0.03);
    let (_, happened) = mean("d", "capital_loss_mean");
    assert!(
        happened > 1000 && happened < 1400,
        "{happened} of {runs} runs had the disaster"
    );
    check("d", "capital_loss_mean", 0.2, 0.005);
}

#[test]
fn a_shock_draws_the_same_whatever_the_other_shocks_are() {
    let disaster = r#"Disaster(name: "d", regions: All, probability: 0.5, day: Uniform(2, 30),
        firms_hit: Uniform(0.1, 0.9), capital_loss: Beta(2, 3), recovery: Recover(tau_days: 5))"#;
    let first = small(&format!(
        r#"[CoastalDisruption(name: "c", regions: All, start_day: Uniform(1, 9), duration_days: Fixed(3),
                firms_hit: Fixed(0.5), capacity_loss: Fixed(0.2)), {disaster}]"#
    ));
    let second = small(&format!(
        r#"[CoastalDisruption(name: "c", regions: All, start_day: Normal(20, 9), duration_days: Poisson(3),
                firms_hit: Beta(1, 1), capacity_loss: Uniform(0.6, 0.9)), {disaster}]"#
    ));
    let economy = common::build(&first);
    let (a, b) = (
        common::plan(&first, &economy),
        common::plan(&second, &economy),
    );
    for run in 0..20 {
        let (da, db) = (a.draw(&economy, 3, run), b.draw(&economy, 3, run));
        let of = |d: &hinterland::shocks::Drawn| {
            d.draws
                .iter()
                .filter(|x| x.shock == "d")
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(of(&da), of(&db), "run {run}");
        assert_eq!(
            da.shocks.capital_recover, db.shocks.capital_recover,
            "run {run}"
        );
    }
}
