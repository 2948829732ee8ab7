//! Rationing rules (`dynamics.rationing`) and household demand that follows income
//! (`dynamics.demand_response`).

use std::path::Path;

use hinterland::model::Model;

use crate::common::{build, daily_total, model_edited, record, repo, run};

/// A one-region table: sectors `a` and `b` each sell 40 a year to the other and 60 to
/// households, so each is the other's critical input.
fn write_loop_table(dir: &Path) {
    let files = [
        (
            "Z.txt",
            "region\t\tr\tr\nsector\t\ta\tb\nregion\tsector\t\t\nr\ta\t0.0\t40.0\nr\tb\t40.0\t0.0\n",
        ),
        (
            "Y.txt",
            "region\t\tr\ncategory\t\thouseholds\nregion\tsector\t\nr\ta\t60.0\nr\tb\t60.0\n",
        ),
        (
            "x.txt",
            "region\tsector\tindout\nr\ta\t100.0\nr\tb\t100.0\n",
        ),
        ("unit.txt", "region\tsector\tunit\nr\ta\tM\nr\tb\tM\n"),
    ];
    crate::common::write_mrio(dir, &files);
}

/// Daily records of the loop table over `days` days, `a` losing half its capacity from day 5
/// for `outage` days, with `dynamics` written into `Ario(...)`: (production of `a`, of `b`,
/// unmet final demand in total).
fn loop_run(days: u32, outage: u32, dynamics: &str) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let tmp = tempfile::tempdir().unwrap();
    write_loop_table(tmp.path());
    let scenario = tmp.path().join("loop.ron");
    std::fs::write(
        &scenario,
        format!(
            r#"Scenario(name: "loop", days: {days}, economy: Mrio(path: "."),
                dynamics: Ario(alpha_max: 1.0, inventory_days: 10, {dynamics}),
                shocks: [CapacityLoss(name: "outage", impacts: [("r", "a", 0.5)],
                                      start_day: 5, duration_days: {outage})])"#
        ),
    )
    .unwrap();
    let model: Model = model_edited(&scenario, &[]);
    let economy = build(&model);
    let records = run(&model, &economy);
    let produced = record(&records, "production_realised");
    let column = |name: &str| produced.columns.iter().position(|c| c == name).unwrap();
    let (a, b) = (column("r|a"), column("r|b"));
    let x_a = (0..produced.days()).map(|d| produced.row(d)[a]).collect();
    let x_b = (0..produced.days()).map(|d| produced.row(d)[b]).collect();
    let unmet = daily_total(record(&records, "final_demand_unmet"));
    (x_a, x_b, unmet)
}

/// Share of baseline of each day's value in `xs`.
fn share(xs: &[f64]) -> Vec<f64> {
    xs.iter().map(|x| x / (100.0 / 365.0)).collect()
}

#[test]
fn proportional_rationing_lets_a_critical_loop_collapse_and_final_demand_last_restores_it() {
    // `a` at half capacity from day 5 to 64; 10 days of stocks, restored over 60 days
    let (a, b, unmet) = loop_run(300, 60, "");
    let (a, b) = (share(&a), share(&b));
    // proportional rationing with fixed final demand: households keep their share of each
    // firm's output while the firms' own orders shrink, so each firm receives less than it
    // uses, and the loop runs down and does not recover after the outage (docs/model.md §3.1.4)
    assert!(a[30] <= 0.5 && b[30] < 0.5, "a {} b {}", a[30], b[30]);
    assert!(a[299] < 1e-6 && b[299] < 1e-6, "a {} b {}", a[299], b[299]);
    assert!(
        share(&unmet)[299] > 1.19,
        "households get nothing: {}",
        unmet[299]
    );
    // firms served first: the outage costs households, never the firms' inputs, and output
    // returns to the baseline once capacity does
    let (a, b, unmet) = loop_run(300, 60, "rationing: FinalDemandLast");
    let (a, b, unmet) = (share(&a), share(&b), share(&unmet));
    assert!(
        a[6..64].iter().all(|x| (x - 0.5).abs() < 1e-9),
        "{:?}",
        &a[..70]
    );
    assert!(b[30] > 0.79, "b loses only a's lower demand: {}", b[30]);
    assert!(
        unmet[30] > 0.4,
        "households bear the shortage: {}",
        unmet[30]
    );
    assert!(
        a[100..]
            .iter()
            .chain(&b[100..])
            .all(|x| (x - 1.0).abs() < 1e-6)
    );
    // households served first: the firms' inputs go first, and the loop stops sooner
    let (first, _, first_unmet) = loop_run(300, 60, "rationing: FinalDemandFirst");
    let (proportional, _, proportional_unmet) = loop_run(300, 60, "");
    assert!(share(&first)[30] < share(&proportional)[30]);
    assert!(first_unmet[10] < proportional_unmet[10]);
    assert!(proportional_unmet[10] < share(&unmet)[10] * (100.0 / 365.0));
}

#[test]
fn households_that_spend_less_when_income_falls_keep_the_loop_from_collapsing() {
    let categories = r#"household_categories: ["households"]"#;
    // households spend all of their income and adjust over 10 days: demand falls with output,
    // the firms keep their share of each other's output, and the loop holds near half
    let (a, b, unmet) = loop_run(
        300,
        60,
        &format!("demand_response: 1.0, demand_response_days: 10, {categories}"),
    );
    let (a, b, unmet) = (share(&a), share(&b), share(&unmet));
    assert!(a.iter().chain(&b).all(|&x| x > 0.49), "{:?}", &b[..80]);
    assert!(
        unmet[70..].iter().all(|&u| u.abs() < 1e-6),
        "{:?}",
        &unmet[60..80]
    );
    // and it does not fall back: demand follows income up again, slowly (the loop has no
    // demand of its own to return to: every level is an equilibrium when m = 1)
    assert!(a[299] > a[100] && a[100] > a[70]);
    // a weaker response (m = 0.6) only slows the run-down: households still outbid the firms
    let (weak, _, _) = loop_run(300, 60, &format!("demand_response: 0.6, {categories}"));
    let weak = share(&weak);
    assert!(weak[64] > share(&loop_run(300, 60, "").0)[64]);
    assert!(weak[299] < 0.01, "{}", weak[299]);
}

#[test]
fn every_new_rule_switched_on_without_a_shock_keeps_the_china_economy_at_its_baseline() {
    for dynamics in [
        "rationing: FinalDemandFirst",
        r#"demand_response: 0.6, household_categories: ["final_consumption"]"#,
        r#"inventory_days_by_input: [("s24_electricity_heat", 1.0), ("s20_electronics", 30.0)]"#,
        r#"alpha_max_by_sector: [("s24_electricity_heat", 1.05)]"#,
        r#"rationing: FinalDemandLast, demand_response: 0.6, household_categories: ["final_consumption"], stocks: ByProduct,
       inventory_days_by_input: [("s24_electricity_heat", 1.0), ("s20_electronics", 30.0)],
       alpha_max_by_sector: [("s24_electricity_heat", 1.05)]"#,
    ] {
        let scenario = repo("scenarios/chip-embargo.ron");
        let model = model_edited(
            &scenario,
            &[
                ("runs: 5,", "runs: 1,"),
                ("days: 365,", "days: 60,"),
                ("firms_per_industry: 2", "firms_per_industry: 1"),
                (
                    "dynamics: Ario(compat: Clean)",
                    &format!("dynamics: Ario(compat: Clean, {dynamics})"),
                ),
                ("start_day: Uniform(15, 25)", "start_day: Uniform(58, 59)"),
            ],
        );
        let economy = build(&model);
        let records = run(&model, &economy);
        let produced = record(&records, "production_realised");
        let first = produced.row(0).to_vec();
        // the embargo starts on the last day
        for day in 0..59 {
            for (x, x0) in produced.row(day).iter().zip(&first) {
                assert!(
                    (x - x0).abs() <= 1e-9 * x0.abs().max(1e-300),
                    "{dynamics} day {day}: {x} against {x0}"
                );
            }
        }
    }
}

#[test]
fn rationing_and_demand_response_are_checked() {
    let tmp = tempfile::tempdir().unwrap();
    write_loop_table(tmp.path());
    let cases = [
        (
            "compat: Boario072, rationing: FinalDemandLast",
            "dynamics.rationing: BoARIO 0.7.2 rations in proportion",
        ),
        (
            r#"compat: Boario072, demand_response: 0.5, household_categories: ["households"]"#,
            "dynamics.demand_response: BoARIO 0.7.2 keeps final demand fixed",
        ),
        (
            "demand_response: 0.5",
            "dynamics.household_categories: a demand response needs",
        ),
        (
            r#"demand_response: 0.5, household_categories: ["housholds"]"#,
            r#"dynamics.household_categories[0]: unknown final-demand category "housholds"; did you mean "households"?"#,
        ),
        (
            "demand_response: 1.5",
            "1.5 is out of range: expected a share in [0, 1]",
        ),
    ];
    for (dynamics, expected) in cases {
        let scenario = tmp.path().join("bad.ron");
        std::fs::write(
            &scenario,
            format!(r#"Scenario(name: "bad", days: 10, economy: Mrio(path: "."), dynamics: Ario({dynamics}))"#),
        )
        .unwrap();
        // `validate` reports on standard output, one line per file
        let out = crate::common::hinterland(tmp.path(), &["validate", "bad.ron"]);
        let stderr = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(2), "{dynamics}: {stderr}");
        assert!(stderr.contains(expected), "{dynamics}: {stderr}");
        assert!(stderr.contains("error: bad.ron:"), "{dynamics}: {stderr}");
    }
}
