//! Inputs by product: which inputs stop production when short (`criticality`), and how many
//! days of each are held (`inventory_days_by_input`).

use std::path::Path;

use hinterland::model::Model;

use crate::common::{daily_total, model_edited, record, repo, run};

/// A one-region table: sector `a` sells 100 a year to households and buys 10 of `b`, all of
/// `b`'s output; `b` buys nothing.
fn write_table(dir: &Path) {
    let files = [
        (
            "Z.txt",
            "region\t\tr\tr\nsector\t\ta\tb\nregion\tsector\t\t\nr\ta\t0.0\t0.0\nr\tb\t10.0\t0.0\n",
        ),
        (
            "Y.txt",
            "region\t\tr\ncategory\t\thouseholds\nregion\tsector\t\nr\ta\t100.0\nr\tb\t0.0\n",
        ),
        ("x.txt", "region\tsector\tindout\nr\ta\t100.0\nr\tb\t10.0\n"),
        ("unit.txt", "region\tsector\tunit\nr\ta\tM\nr\tb\tM\n"),
    ];
    crate::common::write_mrio(dir, &files);
}

/// The table of [`write_table`] with households buying `y` of `b` (its output `10 + y`).
fn set_final_demand_of_b(dir: &Path, y: f64) {
    let y_txt = format!(
        "region\t\tr\ncategory\t\thouseholds\nregion\tsector\t\nr\ta\t100.0\nr\tb\t{y:?}\n"
    );
    let x_txt = format!(
        "region\tsector\tindout\nr\ta\t100.0\nr\tb\t{:?}\n",
        10.0 + y
    );
    std::fs::write(dir.join("Y.txt"), y_txt).unwrap();
    std::fs::write(dir.join("x.txt"), x_txt).unwrap();
}

/// `a`'s daily production over 40 days when every link from `b` is cut from day 2 to 40,
/// with `dynamics` written into `Ario(...)`.
fn production_of_a(dynamics: &str) -> Vec<f64> {
    production_of_a_with(&[], dynamics)
}

/// [`production_of_a`] with more files in the table's folder.
fn production_of_a_with(files: &[(&str, &str)], dynamics: &str) -> Vec<f64> {
    let tmp = tempfile::tempdir().unwrap();
    write_table(tmp.path());
    for (name, text) in files {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    let scenario = tmp.path().join("cut.ron");
    std::fs::write(
        &scenario,
        format!(
            r#"Scenario(name: "cut", days: 40, economy: Mrio(path: "."),
                dynamics: Ario({dynamics}),
                shocks: [LinkBlock(name: "cut", from: All, sectors: ["b"], to: All,
                                   start_day: 2, duration_days: 40)])"#
        ),
    )
    .unwrap();
    let model: Model = model_edited(&scenario, &[]);
    let economy = crate::common::build(&model);
    let records = run(&model, &economy);
    let produced = record(&records, "production_realised");
    let a = produced.columns.iter().position(|c| c == "r|a").unwrap();
    let totals = daily_total(produced);
    assert!(totals.iter().all(|t| t.is_finite()));
    (0..produced.days()).map(|d| produced.row(d)[a]).collect()
}

#[test]
fn a_non_critical_input_cut_off_leaves_production_at_baseline() {
    let baseline = 100.0 / 365.0;
    // 5 days of b held: empty about a week after the cut
    let free = production_of_a(
        r#"inventory_days_by_input: [("b", 5.0)], criticality: [Criticality(input: "b", critical: false)]"#,
    );
    for (day, x) in free.iter().enumerate() {
        assert!(
            (x - baseline).abs() <= 1e-9 * baseline,
            "day {day}: {x} against {baseline}"
        );
    }
    // the same input declared critical (as the share rule makes it) stops a
    for rule in [
        r#"inventory_days_by_input: [("b", 5.0)], criticality: [Criticality(input: "b", buyers: ["a"], critical: true)]"#,
        r#"inventory_days_by_input: [("b", 5.0)]"#,
    ] {
        let stopped = production_of_a(rule);
        assert!(
            stopped[..2]
                .iter()
                .all(|x| (x - baseline).abs() <= 1e-9 * baseline)
        );
        // the ψ rule lets production fall with the stock: below 5 % within three weeks
        assert!(
            stopped[20..].iter().all(|&x| x < 0.05 * baseline),
            "{rule}: {:?}",
            &stopped[10..]
        );
    }
}

#[test]
fn a_non_storable_input_cut_off_stops_its_buyers_within_days_not_months() {
    let baseline = 100.0 / 365.0;
    // one day of b: production falls within the first days of the cut
    let one_day = production_of_a(r#"inventory_days_by_input: [("b", 1.0)]"#);
    let first_low = one_day.iter().position(|&x| x < 0.5 * baseline);
    assert!(
        first_low.is_some_and(|d| (2..=5).contains(&d)),
        "{first_low:?}: {one_day:?}"
    );
    // the default 90 days carry a at baseline for the first two weeks of the cut (the ψ rule
    // binds once the stock is below ψ = 0.8 of its target, after about 18 days)
    let ninety = production_of_a("");
    assert!(
        ninety[..16]
            .iter()
            .all(|x| (x - baseline).abs() <= 1e-9 * baseline),
        "{ninety:?}"
    );
}

#[test]
fn input_rules_name_sectors_of_the_economy_and_set_per_sector_in_variants() {
    let tmp = tempfile::tempdir().unwrap();
    write_table(tmp.path());
    let scenario = tmp.path().join("bad.ron");
    std::fs::write(
        &scenario,
        r#"Scenario(name: "bad", days: 10, economy: Mrio(path: "."),
            dynamics: Ario(inventory_days_by_input: [("c", 1.0)],
                           criticality: [Criticality(input: "b", buyers: ["aa"], critical: false)]))"#,
    )
    .unwrap();
    let model = model_edited(&scenario, &[]);
    let err = hinterland::montecarlo::Study::new(model, &Default::default())
        .expect_err("unknown sectors are refused")
        .to_string();
    assert!(
        err.contains("dynamics.inventory_days_by_input[0]: unknown sector \"c\""),
        "{err}"
    );
    assert!(
        err.contains("dynamics.criticality[0]: buyers[0]: unknown sector \"aa\""),
        "{err}"
    );
    // a variant sets one sector's days with a keyed path
    let model = crate::common::model(&repo("scenarios/test-mrio-crises.ron"));
    let set = crate::common::set(
        &model,
        &[("dynamics.inventory_days_by_input[manufactoring]", "3.5")],
    );
    assert_eq!(
        set.dynamics().inventory_days_by_input,
        [("manufactoring".to_string(), 3.5)]
    );
    // BoARIO has no such rules
    let refused = Model::from_scenario(
        &hinterland::scenario::parse(
            r#"Scenario(name: "b", days: 10, economy: Mrio(path: "."),
                dynamics: Ario(compat: Boario072, inventory_days_by_input: [("b", 1.0)]))"#,
            &scenario,
        )
        .unwrap(),
        &scenario,
    )
    .unwrap_err()
    .to_string();
    assert!(refused.contains("not part of BoARIO 0.7.2"), "{refused}");
}

#[test]
fn the_table_folder_gives_defaults_that_the_scenario_overrides() {
    let baseline = 100.0 / 365.0;
    let at_baseline = |xs: &[f64]| xs.iter().all(|x| (x - baseline).abs() <= 1e-9 * baseline);
    // b is non-critical for a (0), held 5 days: a produces on through the cut
    let criticality = ("criticality.csv", "input_sector,a,b\na,1,1\nb,0,1\n");
    let days = (
        "inventory_days.csv",
        "input_sector,days,storable\na,30,true\nb,5,true\n",
    );
    let by_product = "stocks: ByProduct";
    assert!(at_baseline(&production_of_a_with(
        &[criticality, days],
        by_product
    )));
    // rated "important" (0.5): taken as critical, a stops
    let important = ("criticality.csv", "input_sector,a,b\na,1,1\nb,0.5,1\n");
    let stopped = production_of_a_with(&[important, days], by_product);
    assert!(
        stopped[20..].iter().all(|&x| x < 0.05 * baseline),
        "{stopped:?}"
    );
    // ...unless the scenario takes "important" as non-critical
    assert!(at_baseline(&production_of_a_with(
        &[important, days],
        "stocks: ByProduct, important_inputs: NonCritical"
    )));
    // the scenario's rule wins over the table's
    let stopped = production_of_a_with(
        &[criticality, days],
        r#"stocks: ByProduct, criticality: [Criticality(input: "b", critical: true)]"#,
    );
    assert!(
        stopped[20..].iter().all(|&x| x < 0.05 * baseline),
        "{stopped:?}"
    );
    // one day of b in the table: a falls within days
    let one_day = ("inventory_days.csv", "input_sector,days\nb,1\n");
    let falls = production_of_a_with(&[one_day], by_product);
    assert!(falls[2..6].iter().any(|&x| x < 0.5 * baseline), "{falls:?}");
    // ...unless the scenario sets 90 for it
    let held = production_of_a_with(
        &[one_day],
        r#"stocks: ByProduct, inventory_days_by_input: [("b", 90.0)]"#,
    );
    assert!(at_baseline(&held[..16]), "{held:?}");
    // without `stocks: ByProduct` the table's days are not used: 90 days of everything
    let uniform = production_of_a_with(&[one_day], "");
    assert!(at_baseline(&uniform[..16]), "{uniform:?}");
}

#[test]
fn stocks_by_product_need_the_table_file_and_a_clean_model() {
    let tmp = tempfile::tempdir().unwrap();
    write_table(tmp.path());
    for (dynamics, expected) in [
        (
            "stocks: ByProduct",
            "dynamics.stocks: ByProduct takes the days of each product from the table's inventory_days.csv",
        ),
        (
            "compat: Boario072, stocks: ByProduct",
            "dynamics.stocks: BoARIO 0.7.2 holds inventory_days of every product",
        ),
    ] {
        std::fs::write(
            tmp.path().join("s.ron"),
            format!(r#"Scenario(name: "s", days: 5, economy: Mrio(path: "."), dynamics: Ario({dynamics}))"#),
        )
        .unwrap();
        let out = crate::common::hinterland(tmp.path(), &["validate", "s.ron"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(text.contains(expected), "{text}");
    }
}

#[test]
fn bad_input_defaults_in_the_table_folder_are_refused_with_their_position() {
    for (file, text, expected) in [
        (
            "criticality.csv",
            "input_sector,a,b\na,1,1\nb,0.7,1\n",
            "criticality.csv:3:2: rating 0.7: expected 1 (critical), 0.5 (important) or 0",
        ),
        (
            "criticality.csv",
            "input_sector,a,c\na,1,1\nb,0,1\n",
            "criticality.csv: sector \"c\" is not a sector of the table",
        ),
        (
            "inventory_days.csv",
            "input_sector,days\nb,0\n",
            "inventory_days.csv:2:2: 0 days: expected more than 0",
        ),
        (
            "inventory_days.csv",
            "input_sector,stock\nb,3\n",
            "inventory_days.csv:1:3: no column `days`",
        ),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        write_table(tmp.path());
        std::fs::write(tmp.path().join(file), text).unwrap();
        let scenario = tmp.path().join("s.ron");
        std::fs::write(
            &scenario,
            r#"Scenario(name: "s", days: 10, economy: Mrio(path: "."))"#,
        )
        .unwrap();
        let model = model_edited(&scenario, &[]);
        let err = hinterland::economy::build(model.economy())
            .expect_err(text)
            .to_string();
        assert!(err.contains(expected), "{err} lacks {expected}");
        assert!(err.contains(&tmp.path().display().to_string()), "{err}");
    }
}

#[test]
fn a_firm_whose_demand_falls_below_zero_produces_nothing_and_keeps_alpha_in_bounds() {
    // b sells 10 to a and has a final demand of −5 (an inventory drawdown): once a stops, b's
    // demand is below 0; production must stay in [0, α_max · x0] and α in [α_base, α_max]
    let tmp = tempfile::tempdir().unwrap();
    write_table(tmp.path());
    set_final_demand_of_b(tmp.path(), -5.0);
    let scenario = tmp.path().join("s.ron");
    std::fs::write(
        &scenario,
        r#"Scenario(name: "s", days: 60, economy: Mrio(path: "."),
            records: [ProductionRealised, Overproduction],
            shocks: [CapacityLoss(name: "stop", impacts: [("r", "a", 1.0)], start_day: 2,
                                  duration_days: 30)])"#,
    )
    .unwrap();
    let model = model_edited(&scenario, &[]);
    let economy = crate::common::build(&model);
    let records = run(&model, &economy);
    let produced = record(&records, "production_realised");
    let b = produced.columns.iter().position(|c| c == "r|b").unwrap();
    let x0 = 5.0 / 365.0;
    let b_output: Vec<f64> = (0..produced.days()).map(|d| produced.row(d)[b]).collect();
    assert!(
        b_output
            .iter()
            .all(|&x| (0.0..=1.25 * x0 * (1.0 + 1e-12)).contains(&x)),
        "{b_output:?}"
    );
    // b does stop: its buyer is gone and its own final demand is negative
    assert!(b_output[10..30].iter().all(|&x| x == 0.0), "{b_output:?}");
    let alpha = record(&records, "overproduction");
    for d in 0..alpha.days() {
        for &a in alpha.row(d) {
            assert!((1.0..=1.25).contains(&a), "day {d}: α = {a}");
        }
    }
}

#[test]
fn a_sector_without_spare_capacity_cannot_overproduce() {
    // both sectors sell to households; demand doubles from day 2; only b may reach α_max
    let tmp = tempfile::tempdir().unwrap();
    write_table(tmp.path());
    set_final_demand_of_b(tmp.path(), 10.0);
    let scenario = tmp.path().join("s.ron");
    std::fs::write(
        &scenario,
        r#"Scenario(name: "s", days: 60, economy: Mrio(path: "."),
            records: [ProductionRealised, Overproduction],
            dynamics: Ario(alpha_tau: 10, alpha_max_by_sector: [("a", 1.0)]),
            shocks: [DemandChange(name: "rush", regions: All, factor: 2.0, start_day: 2,
                                  duration_days: 60)])"#,
    )
    .unwrap();
    let model = model_edited(&scenario, &[]);
    let economy = crate::common::build(&model);
    let records = run(&model, &economy);
    let produced = record(&records, "production_realised");
    let alpha = record(&records, "overproduction");
    let column = |name: &str| produced.columns.iter().position(|c| c == name).unwrap();
    let (a, b) = (column("r|a"), column("r|b"));
    let (a0, b0) = (100.0 / 365.0, 20.0 / 365.0);
    for d in 0..produced.days() {
        assert!(produced.row(d)[a] <= a0 * (1.0 + 1e-12), "day {d}");
        assert_eq!(alpha.row(d)[a], 1.0, "day {d}");
        assert!(alpha.row(d)[b] <= 1.25);
    }
    assert!(
        produced.row(40)[b] > 1.1 * b0,
        "{}",
        produced.row(40)[b] / b0
    );
    // a ceiling below α_base is refused
    let text = std::fs::read_to_string(&scenario)
        .unwrap()
        .replace(r#"("a", 1.0)"#, r#"("a", 0.9)"#);
    let parsed = hinterland::scenario::parse(&text, &scenario).unwrap();
    let err = Model::from_scenario(&parsed, &scenario)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "dynamics.alpha_max_by_sector[0]: alpha_max 0.9 of \"a\" is below alpha_base 1"
        ),
        "{err}"
    );
}
