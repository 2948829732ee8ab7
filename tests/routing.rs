//! Orders follow what suppliers can deliver: a supplier short of inputs no longer captures
//! the orders meant for the backup, and backup units can serve final demand.

use std::path::Path;

use hinterland::model::Model;

use crate::common::{build, model_edited, record, run};

/// Regions `r1` (coastal), `r2` (hinterland) and `f` (foreign), sectors `a`, `b`, `c`:
/// `a` in `r1` buys 50 a year of `b` from `r1`, which buys 20 of `c` from `f` (its only
/// supplier). Every industry sells to households too.
fn write_table(dir: &Path) {
    let industries = [
        ("r1", "a"),
        ("r1", "b"),
        ("r1", "c"),
        ("r2", "a"),
        ("r2", "b"),
        ("r2", "c"),
        ("f", "a"),
        ("f", "b"),
        ("f", "c"),
    ];
    let flow = |from: usize, to: usize| match (from, to) {
        (1, 0) => 50.0,
        (8, 1) => 20.0,
        _ => 0.0,
    };
    let households = [100.0, 50.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 80.0];
    let mut z = String::from("region\t\t");
    z += &industries.map(|i| i.0).join("\t");
    z += "\nsector\t\t";
    z += &industries.map(|i| i.1).join("\t");
    z += "\nregion\tsector";
    z += &"\t".repeat(industries.len());
    z += "\n";
    let mut y = String::from(
        "region\t\tr1\tr2\tf\ncategory\t\thouseholds\thouseholds\thouseholds\nregion\tsector\t\t\t\n",
    );
    let mut x = String::from("region\tsector\tindout\n");
    let mut unit = String::from("region\tsector\tunit\n");
    for (i, (region, sector)) in industries.iter().enumerate() {
        let row: Vec<String> = (0..industries.len())
            .map(|j| format!("{:?}", flow(i, j)))
            .collect();
        z += &format!("{region}\t{sector}\t{}\n", row.join("\t"));
        // households buy in their own region
        let cells: Vec<String> = ["r1", "r2", "f"]
            .iter()
            .map(|r| format!("{:?}", if r == region { households[i] } else { 0.0 }))
            .collect();
        y += &format!("{region}\t{sector}\t{}\n", cells.join("\t"));
        let sold: f64 = (0..industries.len()).map(|j| flow(i, j)).sum::<f64>() + households[i];
        x += &format!("{region}\t{sector}\t{sold:?}\n");
        unit += &format!("{region}\t{sector}\tM\n");
    }
    crate::common::write_mrio(
        dir,
        &[
            ("Z.txt", &z),
            ("Y.txt", &y),
            ("x.txt", &x),
            ("unit.txt", &unit),
        ],
    );
}

/// Daily production of `a` in `r1` and α of `b` in `r1` when `f` stops selling `c` from day 5
/// for 200 days, with a backup of `b` in `r2` serving `serves`, under `compat`.
fn cut_off(compat: &str, backup_share: f64, serves: &str) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let tmp = tempfile::tempdir().unwrap();
    write_table(tmp.path());
    let scenario = tmp.path().join("cut.ron");
    std::fs::write(
        &scenario,
        format!(
            r#"Scenario(name: "cut", days: 150, economy: Mrio(path: "."),
                regions: [("r1", Coastal), ("r2", Hinterland), ("f", Foreign)],
                dynamics: Ario(compat: {compat}, inventory_days: 10, inventory_restoration_tau: 10),
                shocks: [TechCutoff(name: "cut", from: Names(["f"]), sectors: ["c"], to: Domestic,
                                    start_day: Fixed(5), duration_days: Fixed(200))],
                backup: [Backup(name: "b-r2", sector: "b", region: "r2",
                                capacity_share: {backup_share}, trigger: OnShock("cut"),
                                serves: {serves})])"#
        ),
    )
    .unwrap();
    let model: Model = model_edited(&scenario, &[]);
    let economy = build(&model);
    let records = run(&model, &economy);
    let column = |stem: &str, name: &str| -> Vec<f64> {
        let r = record(&records, stem);
        let c = r.columns.iter().position(|c| c == name).unwrap();
        (0..r.days()).map(|d| r.row(d)[c]).collect()
    };
    (
        column("production_realised", "r1|a"),
        column("overproduction", "r1|b"),
        column("final_demand_unmet", "r1|b"),
    )
}

#[test]
fn a_supplier_short_of_inputs_no_longer_captures_the_orders_meant_for_the_backup() {
    let baseline = 100.0 / 365.0;
    // BoARIO's rule weighs `b` in r1 by its capacity: it stays the whole supplier of `a`
    // although it has nothing to make `b` with, raises α on the demand it cannot meet, and
    // the backup in r2 never sees an order
    let (a, alpha, _) = cut_off("Boario072", 0.5, "Industry");
    assert!(a[100] < 0.05 * baseline, "{}", a[100] / baseline);
    assert!(alpha[100] > 1.01, "{}", alpha[100]);
    // weighed by what it can deliver, `b` in r1 loses the orders to the backup, and `a`
    // keeps producing
    let (a, alpha, _) = cut_off("Clean", 0.5, "Industry");
    assert!(a[100] > 0.9 * baseline, "{}", a[100] / baseline);
    assert!(a.iter().all(|&x| x > 0.5 * baseline), "{:?}", &a[..60]);
    // α rises only where capacity binds: `b` in r1 is held back by its input
    assert!(alpha.iter().all(|&x| x <= 1.0), "{:?}", &alpha[..60]);
    // too small a backup serves only part of it
    let (small, _, _) = cut_off("Clean", 0.1, "Industry");
    assert!(small[100] < 0.5 * a[100], "{} {}", small[100], a[100]);
}

#[test]
fn backup_units_serve_final_demand_only_when_told_to() {
    // households in r1 lose `b` once its stock of `c` is gone
    let (_, _, unmet_industry) = cut_off("Clean", 1.0, "Industry");
    let (_, _, unmet_both) = cut_off("Clean", 1.0, "Both");
    let (a_final, _, unmet_final) = cut_off("Clean", 1.0, "FinalDemand");
    let wanted = 50.0 / 365.0;
    assert!(
        unmet_industry[100] > 0.9 * wanted,
        "{}",
        unmet_industry[100] / wanted
    );
    // 110 a year (the domestic output of `b`) would serve a's 50 and the households' 50, but
    // the units buy `c` from the small domestic makers of `c` (20 a year, which households
    // want too): serving `a` first, they have inputs for part of the households' need only
    assert!(
        unmet_both[100] < 0.6 * wanted,
        "{}",
        unmet_both[100] / wanted
    );
    // serving households only, they have enough
    assert!(
        unmet_final[100] < 1e-4 * wanted,
        "{}",
        unmet_final[100] / wanted
    );
    // serving final demand only, the units leave `a` without `b`
    assert!(a_final[100] < 0.05 * 100.0 / 365.0, "{}", a_final[100]);
}
