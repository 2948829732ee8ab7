//! Early warning (东部预警, `Trigger::Warning`): a unit warned early enough is at full capacity
//! on the shock's first day; false alarms cost activations and avoid nothing; the lead and the
//! alarm are drawn per run, the same for every variant.

use hinterland::economy::DAILY;
use hinterland::policy::state::UnitState;

use crate::common;
use crate::policy::{chip_economy, model};

/// The cut-off of `policy.rs`'s chip economy from day `start` for 200 days.
fn cutoff(start: u32) -> String {
    format!(
        r#"TechCutoff(name: "cutoff", sectors: ["chips", "equipment"], start_day: Fixed({start}),
                      duration_days: Fixed(200))"#
    )
}

/// `shock` (named "cutoff") on `policy.rs`'s chip economy, `days` long, with a backup of home
/// chips started by `trigger` (activation delay 3 days, ramp 4).
fn warned(days: u32, shock: &str, trigger: &str) -> hinterland::model::Model {
    model(&format!(
        r#"Scenario(name: "w", days: {days}, economy: Mrio(path: "unused"), runs: 4,
            regions: [("abroad", Foreign)],
            shocks: [{shock}],
            backup: [Backup(name: "fab", sector: "chips", region: "home", capacity_share: 2.0,
                            trigger: {trigger}, activation_delay_days: 3, ramp_days: 4,
                            sourcing: Domestic, activation_cost: 50.0)])"#
    ))
}

#[test]
fn a_unit_warned_at_least_its_delay_plus_ramp_ahead_is_at_full_capacity_on_the_shock_day() {
    let base = chip_economy();
    let start = 30;
    for lead in [6u32, 7, 12] {
        let model = warned(
            45,
            &cutoff(start),
            &format!(r#"Warning(shock: "cutoff", lead_days: {lead})"#),
        );
        let study = common::study(&model, &base);
        let (economy, policies) = (study.economy_of(0), study.setups()[0].policies());
        let unit = policies.backups[0].firms[0] as usize;
        let home_chips = economy.firms_of(
            economy.region_index("home").unwrap() * 3 + economy.sector_index("chips").unwrap(),
        );
        let full = 2.0 * economy.firm_output()[home_chips.start] * DAILY;
        let mut sim = study.simulation(0, 0);
        let warned_on = start - lead;
        let mut produced_by = None;
        for day in 0..=start + 5 {
            sim.step();
            let state = sim.policy().unwrap().backups[0].state;
            if day < warned_on {
                assert_eq!(state, UnitState::Standby, "lead {lead}, day {day}");
            }
            if day == start {
                let ready = lead >= 3 + 4;
                assert_eq!(state == UnitState::Active, ready, "lead {lead}: {state:?}");
                let capacity = sim.capacity()[unit];
                if ready {
                    assert!((capacity - full).abs() <= 1e-12 * full, "lead {lead}");
                } else {
                    // one day short of the ramp: (lead − 3) / 4 of full capacity
                    let share = f64::from(lead - 3) / 4.0;
                    assert!(
                        (capacity - share * full).abs() <= 1e-12 * full,
                        "lead {lead}"
                    );
                }
            }
            if produced_by.is_none() && sim.production()[unit] > 0.0 {
                produced_by = Some(day);
            }
        }
        // the buyers' first orders to the backup arrive the day after the cut-off
        assert!(
            produced_by.is_some_and(|d| d <= start + 1),
            "lead {lead}: {produced_by:?}"
        );
        let outcome = &study.simulate(0, 0, &[]).policies[0];
        assert_eq!(outcome.activation_day, Some(warned_on), "lead {lead}");
        assert_eq!((outcome.activations, outcome.activation_cost), (1, 50.0));
    }
    // a lead longer than the days before the shock warns on day 1
    let model = warned(
        45,
        &cutoff(start),
        r#"Warning(shock: "cutoff", lead_days: 60)"#,
    );
    let outcome = &common::study(&model, &base).simulate(0, 0, &[]).policies[0];
    assert_eq!(outcome.activation_day, Some(1));
}

#[test]
fn false_alarms_alone_cost_their_activations_and_avoid_no_loss() {
    let base = chip_economy();
    // a disaster that never happens: no shock, every run a false alarm
    let never = r#"Disaster(name: "cutoff", regions: Names(["abroad"]), probability: 0.0,
                            day: Fixed(30), firms_hit: 1.0, capital_loss: 0.5,
                            recovery: Recover(tau_days: 30))"#;
    let model = warned(
        120,
        never,
        r#"Warning(shock: "cutoff", lead_days: Uniform(5, 20), false_alarm: 1.0)"#,
    );
    let study = common::study(&model, &base);
    let ensemble = study.ensemble(false).unwrap();
    let backup = &ensemble.variants[0];
    let none = &ensemble.variants[1];
    assert_eq!(none.name, "no policies");
    for (run, (with, outcomes)) in backup.runs.iter().zip(&backup.policies).enumerate() {
        let draws = &ensemble.draws[run];
        let day = draws
            .iter()
            .find(|d| d.parameter == "false_alarm_day")
            .unwrap()
            .value;
        assert!((1.0..120.0).contains(&day), "{draws:?}");
        assert_eq!(outcomes[0].activation_day, Some(day as u32), "run {run}");
        assert_eq!(
            (outcomes[0].activations, outcomes[0].activation_cost),
            (1, 50.0)
        );
        assert_eq!(with.metrics.get("va_loss_days"), Some(0.0), "run {run}");
        assert_eq!(none.runs[run].metrics.get("va_loss_days"), Some(0.0));
        assert_eq!(with.metrics.get("loss_avoided"), Some(0.0), "run {run}");
        let cost = with.metrics.get("policy_cost").unwrap();
        let holding = with.metrics.get("holding_cost").unwrap();
        assert!((cost - holding - 50.0).abs() < 1e-9 * cost, "run {run}");
    }
    // the alarm days are drawn per run
    let days: Vec<f64> = ensemble
        .draws
        .iter()
        .map(|d| {
            d.iter()
                .find(|d| d.parameter == "false_alarm_day")
                .unwrap()
                .value
        })
        .collect();
    assert!(days.windows(2).any(|w| w[0] != w[1]), "{days:?}");
    // without false alarms the warning of a shock that never comes starts nothing
    let quiet = warned(120, never, r#"Warning(shock: "cutoff", lead_days: 10)"#);
    let outcome = &common::study(&quiet, &base).simulate(0, 0, &[]).policies[0];
    assert_eq!((outcome.activations, outcome.activation_day), (0, None));
}

#[test]
fn the_lead_is_drawn_per_run_and_does_not_change_the_crisis() {
    let base = chip_economy();
    let drawn_start = |trigger: &str| {
        let model = model(&format!(
            r#"Scenario(name: "w", days: 60, economy: Mrio(path: "unused"), runs: 6,
                regions: [("abroad", Foreign)],
                shocks: [TechCutoff(name: "cutoff", sectors: ["chips"],
                                    start_day: Uniform(20, 40), duration_days: Fixed(10))],
                backup: [Backup(name: "fab", sector: "chips", region: "home",
                                capacity_share: 1.0, trigger: {trigger})])"#
        ));
        let study = common::study(&model, &base);
        (0..6)
            .map(|run| {
                let result = study.simulate(0, run, &[]);
                let start = result
                    .draws
                    .iter()
                    .find(|d| d.parameter == "start_day")
                    .unwrap()
                    .value;
                let lead = result
                    .draws
                    .iter()
                    .find(|d| d.parameter == "warning_lead_days")
                    .map(|d| d.value);
                (start, lead, result.policies[0].activation_day)
            })
            .collect::<Vec<_>>()
    };
    let on_shock = drawn_start(r#"OnShock("cutoff")"#);
    let warned = drawn_start(r#"Warning(shock: "cutoff", lead_days: Uniform(1, 15))"#);
    let leads: Vec<f64> = warned.iter().map(|(_, lead, _)| lead.unwrap()).collect();
    assert!(leads.windows(2).any(|w| w[0] != w[1]), "{leads:?}");
    for ((start, _, on), (same_start, lead, warned_on)) in on_shock.iter().zip(&warned) {
        // the same crisis in every run, started `lead` days sooner
        assert_eq!(start, same_start);
        assert_eq!(*on, Some(*start as u32));
        assert_eq!(*warned_on, Some((start - lead.unwrap()).max(1.0) as u32));
    }
}
