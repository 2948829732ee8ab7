//! The engine against BoARIO 0.7.2's own trajectories (tests/fixtures/boario/README.md): every
//! record of every reference scenario, within the tolerance stored with it.

use crate::common::{self, Csv, read_csv, repo};

const SCENARIOS: [&str; 10] = [
    "a_no_shock",
    "b_kapital_recover",
    "e_kapital_rebuild",
    "f_arbitrary",
    "g_overlap",
    "h_noalt",
    "i_base",
    "j_deep_shortage",
    "k_concave_noscale",
    "l_rebuild_overload",
];

/// (reference file stem, hinterland record stem, dimensionless?)
const RECORDS: [(&str, &str, bool); 6] = [
    ("production_realised", "production_realised", false),
    ("production_capacity", "production_capacity", false),
    ("final_demand_unmet", "final_demand_unmet", false),
    ("intermediate_demand", "intermediate_demand", false),
    ("overproduction", "overproduction", true),
    ("prod_cap_delta_tot", "capacity_loss", true),
];

fn reference(scenario: &str, stem: &str) -> Csv {
    let dir = repo("tests/fixtures/boario/ref").join(scenario);
    let plain = dir.join(format!("{stem}.csv"));
    if plain.exists() {
        read_csv(&plain)
    } else {
        read_csv(&dir.join(format!("{stem}.csv.gz")))
    }
}

fn max_x0_per_day() -> f64 {
    let text = std::fs::read_to_string(repo("tests/fixtures/boario/ref/mrio/vectors.csv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().parse::<f64>().unwrap())
        .fold(0.0, f64::max)
}

fn check(scenario: &str) {
    let model = common::model(&repo(&format!("tests/fixtures/boario/{scenario}.ron")));
    let economy = common::build(&model);
    let records = common::run(&model, &economy);
    let atol_money = 1e-9 * max_x0_per_day();
    let mut failures = Vec::new();
    for (ref_stem, our_stem, dimensionless) in RECORDS {
        let expected = reference(scenario, ref_stem);
        let ours = common::record(&records, our_stem);
        assert_eq!(
            ours.days(),
            expected.rows.len(),
            "{scenario}/{our_stem}: days"
        );
        let atol = if dimensionless { 1e-9 } else { atol_money };
        let mut worst = (0.0, 0, String::new());
        for (c, label) in expected.columns.iter().enumerate() {
            let k = ours
                .columns
                .iter()
                .position(|l| l == label)
                .unwrap_or_else(|| panic!("{scenario}/{our_stem}: no column {label}"));
            for (day, row) in expected.rows.iter().enumerate() {
                let (want, got) = (row[c], ours.row(day)[k]);
                let excess = (got - want).abs() - (atol + 1e-6 * want.abs());
                if excess > worst.0 {
                    worst = (excess, day, format!("{label}: {got} vs BoARIO {want}"));
                }
            }
        }
        if worst.0 > 0.0 {
            failures.push(format!("{our_stem} day {} {}", worst.1, worst.2));
        }
    }
    assert!(failures.is_empty(), "{scenario}: {failures:#?}");
}

#[test]
fn a_no_shock_stays_in_equilibrium() {
    check("a_no_shock");
}

#[test]
fn b_capital_loss_with_linear_recovery() {
    check("b_kapital_recover");
}

#[test]
fn e_capital_loss_rebuilt() {
    check("e_kapital_rebuild");
}

#[test]
fn f_capacity_losses_act_one_day_late() {
    check("f_arbitrary");
}

#[test]
fn g_overlapping_linear_and_convex_recovery() {
    check("g_overlap");
}

#[test]
fn h_fixed_share_orders() {
    check("h_noalt");
}

#[test]
fn i_ario_base_model_knife_edge() {
    check("i_base");
}

#[test]
fn j_deep_shortage() {
    check("j_deep_shortage");
}

#[test]
fn k_concave_and_unscaled_convex_recovery() {
    check("k_concave_noscale");
}

#[test]
fn every_reference_scenario_is_tested() {
    let mut found: Vec<String> = std::fs::read_dir(repo("tests/fixtures/boario/ref"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "mrio")
        .collect();
    found.sort();
    assert_eq!(found, SCENARIOS.map(String::from).to_vec());
}

#[test]
fn l_reconstruction_overload() {
    check("l_rebuild_overload");
}
