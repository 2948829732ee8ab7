//! Invariants of docs/model.md §9 on firm-level economies, and value stability.

use hinterland::economy::{self, load_mrio};
use hinterland::model::Model;
use hinterland::scenario;

use crate::common::{self, repo};

/// A model from scenario text whose relative paths start in tests/fixtures/boario/.
fn model(text: &str) -> Model {
    let path = repo("tests/fixtures/boario/inline.ron");
    let parsed = scenario::parse(text, &path).unwrap_or_else(|e| panic!("{e}"));
    Model::from_scenario(&parsed, &path).unwrap_or_else(|e| panic!("{e}"))
}

const TWENTY_FIRMS: &str = r#"Scenario(name: "t", days: 365,
    economy: Mrio(path: "../mrio-pymrio", firms_per_industry: 20, seed: 11),
    dynamics: Ario(compat: COMPAT))"#;

#[test]
fn twenty_firms_without_shock_stay_at_baseline_for_a_year() {
    for compat in ["Clean", "Boario072"] {
        let model = model(&TWENTY_FIRMS.replace("COMPAT", compat));
        let economy = common::build(&model);
        assert_eq!(economy.n_firms(), 48 * 20);
        let study = common::study(&model, &economy);
        let mut sim = study.simulation(0, 0);
        let mut worst: f64 = 0.0;
        for _ in 0..365 {
            sim.step();
            for (x, x0) in sim.production().iter().zip(sim.output0()) {
                worst = worst.max(((x - x0) / x0).abs());
            }
        }
        assert!(
            worst <= 1e-9,
            "{compat}: a firm left its baseline by {worst:e}"
        );
    }
}

#[test]
fn firm_aggregates_reproduce_the_table() {
    let model = model(&TWENTY_FIRMS.replace("COMPAT", "Clean"));
    let economy = common::build(&model);
    let table = load_mrio(&repo("tests/fixtures/mrio-pymrio")).unwrap();
    let n = table.n_industries();
    let m = table.n_final_demand_columns();
    // the table in the economy's (sorted) order
    let index = |i: usize| {
        let (r, s) = &table.industries[i];
        economy.region_index(r).unwrap() * economy.sectors().len()
            + economy.sector_index(s).unwrap()
    };
    let column = |c: usize| {
        let (r, cat) = &table.final_demand_columns[c];
        let r = economy
            .demand_regions()
            .iter()
            .position(|x| x == r)
            .unwrap() as u32;
        economy
            .final_demand_columns()
            .iter()
            .position(|x| x.0 == r && &x.1 == cat)
            .unwrap()
    };
    let relative = |a: f64, b: f64| {
        if b == 0.0 {
            a.abs()
        } else {
            ((a - b) / b).abs()
        }
    };
    let (z, y, x) = (
        economy.aggregate_z(),
        economy.aggregate_y(),
        economy.aggregate_x(),
    );
    let mut worst: f64 = 0.0;
    for i in 0..n {
        for j in 0..n {
            worst = worst.max(relative(z[index(i) * n + index(j)], table.z[i * n + j]));
        }
        for c in 0..m {
            worst = worst.max(relative(y[index(i) * m + column(c)], table.y[i * m + c]));
        }
        worst = worst.max(relative(x[index(i)], table.x[i]));
    }
    assert!(worst <= 1e-12, "aggregates off by {worst:e}");
    // and each firm sells exactly its output (the baseline is a steady state)
    for (f, sales) in economy.firm_sales_total().iter().enumerate() {
        let output = economy.firm_output()[f];
        assert!(
            relative(*sales, output) <= 1e-12,
            "firm {f}: sales {sales} vs output {output}"
        );
    }
}

#[test]
fn twenty_firms_track_one_firm_under_capital_loss() {
    // Scenario b with 20 firms per industry against the same with one: documented in the
    // crate docs (section "Firms versus industries").
    let path = repo("tests/fixtures/boario/b_kapital_recover.ron");
    let base = common::model(&path);
    let firms = common::model_edited(
        &path,
        &[("firms_per_industry: 1", "firms_per_industry: 20")],
    );
    let one_records = common::run(&base, &common::build(&base));
    let twenty_records = common::run(&firms, &common::build(&firms));
    let (one_industry, twenty_industry) = (
        common::record(&one_records, "production_realised"),
        common::record(&twenty_records, "production_realised"),
    );
    let one = common::daily_total(one_industry);
    let twenty = common::daily_total(twenty_industry);
    let worst = one
        .iter()
        .zip(&twenty)
        .map(|(a, b)| ((a - b) / a).abs())
        .fold(0.0, f64::max);
    let worst_industry = one_industry
        .values
        .iter()
        .zip(&twenty_industry.values)
        .map(|(a, b)| ((a - b) / a).abs())
        .fold(0.0, f64::max);
    let loss = |series: &[f64]| series.iter().map(|x| series[0] - x).sum::<f64>();
    let (loss_one, loss_twenty) = (loss(&one), loss(&twenty));
    eprintln!(
        "20 vs 1 firm: worst daily gap national {worst:e}, industry {worst_industry:e}; \
         cumulative loss {loss_one} vs {loss_twenty}"
    );
    assert!(worst < 1e-8, "national production differs by {worst:e}");
    assert!(
        worst_industry < 1e-6,
        "industry production differs by {worst_industry:e}"
    );
    assert!(((loss_twenty - loss_one) / loss_one).abs() < 1e-6);
}

#[test]
fn stocks_and_flows_stay_physical_in_a_deep_shortage() {
    let model = common::model_edited(
        &repo("tests/fixtures/boario/j_deep_shortage.ron"),
        &[("firms_per_industry: 1", "firms_per_industry: 5")],
    );
    let model = common::set(&model, &[("dynamics.compat", "Clean")]);
    let economy = common::build(&model);
    let study = common::study(&model, &economy);
    let mut sim = study.simulation(0, 0);
    let mut constrained = 0;
    for _ in 0..200 {
        sim.step();
        for f in 0..economy.n_firms() {
            let x = sim.production()[f];
            assert!(x.is_finite() && x >= 0.0);
            assert!(x <= sim.capacity()[f] * (1.0 + 1e-12));
            assert!(x <= sim.demand()[f] * (1.0 + 1e-12));
            if x < sim.demand()[f].min(sim.capacity()[f]) * (1.0 - 1e-9) {
                constrained += 1;
            }
        }
        assert!(sim.stocks().iter().all(|s| s.is_finite() && *s >= 0.0));
        assert!(
            sim.final_demand_unmet()
                .all(|u| u.is_finite() && u >= -1e-9)
        );
    }
    // the shortage is real: inputs, not only capacity, limit production somewhere
    assert!(constrained > 0);
}

#[test]
fn capacity_loss_cuts_capacity_exactly() {
    // A 30 % capacity loss on day 5..=9 (Clean: no lag) leaves capacity at 70 % × α × x0.
    let model = model(
        r#"Scenario(name: "c", days: 12, economy: Mrio(path: "../mrio-pymrio", firms_per_industry: 3),
            shocks: [CapacityLoss(name: "c", impacts: [("reg3", "food", 0.3)], start_day: 5,
                                  duration_days: 5, recovery: Recover(function: Linear, tau_days: 1))])"#,
    );
    let economy = common::build(&model);
    let firms =
        economy.firms_of(2 * economy.sectors().len() + economy.sector_index("food").unwrap());
    let study = common::study(&model, &economy);
    let mut sim = study.simulation(0, 0);
    for day in 0..12u32 {
        sim.step();
        for f in firms.clone() {
            let expected = if (5..10).contains(&day) { 0.3 } else { 0.0 };
            assert_eq!(sim.capacity_loss()[f], expected, "day {day}");
            let capacity = sim.output0()[f] * (1.0 - expected) * sim.alpha()[f];
            assert!((sim.capacity()[f] - capacity).abs() <= 1e-12 * capacity);
        }
    }
}

#[test]
fn network_graph_matches_the_flat_arrays() {
    let model = model(&TWENTY_FIRMS.replace("COMPAT", "Clean"));
    let economy = common::build(&model);
    let graph = economy.network();
    assert_eq!(graph.node_count(), economy.n_firms());
    assert_eq!(graph.edge_count(), economy.n_links());
    let total: f64 = graph.edge_weights().sum();
    let expected: f64 = economy.link_flow().iter().sum();
    assert!((total - expected).abs() <= 1e-9 * expected);
    assert_eq!(economy.connected_components(), 1);
    // every buyer has at most k suppliers per supplying industry, unless links were needed
    // to cover small suppliers: on average it is below k + 1
    let per_buyer_block = economy.n_links() as f64 / (economy.n_firms() as f64 * 48.0);
    assert!(per_buyer_block <= 4.0, "{per_buyer_block}");
    assert!(per_buyer_block >= 3.0, "{per_buyer_block}");
}

#[test]
fn value_stability_of_a_small_firm_economy() {
    // Pinned numbers: a change here means results changed. Update only on purpose.
    let path = repo("tests/fixtures/value-stability.ron");
    let text = r#"Scenario(name: "v", days: 30,
        economy: Mrio(path: "mrio-small", firms_per_industry: 4, suppliers_per_input: 2,
                      firm_sizes: LogNormal(sigma: 1.0), seed: 7),
        shocks: [CapitalLoss(name: "quake", impacts: [("north", "goods", 40.0)], start_day: 3,
                             recovery: Rebuild(tau_days: 20, sectors: [("goods", 1.0)]))])"#;
    let model = Model::from_scenario(&scenario::parse(text, &path).unwrap(), &path).unwrap();
    let economy = economy::build(model.economy()).unwrap();
    let records = common::run(&model, &economy);
    let production = common::record(&records, "production_realised");
    assert_eq!(economy.n_links(), PINNED_LINKS);
    assert_eq!(economy.firm_output()[0], PINNED_FIRM0_OUTPUT);
    assert_eq!(production.row(10), PINNED_DAY10);
}

const PINNED_LINKS: usize = 146;
const PINNED_FIRM0_OUTPUT: f64 = 10.239638434540042;
// re-pinned at issue 14: Clean buyers weigh suppliers by what they can deliver, and α rises
// only where capacity binds (CHANGELOG.md)
const PINNED_DAY10: &[f64] = &[
    0.30379693512880446,
    0.4052066550198037,
    0.41181942377942415,
    0.36540622578414844,
];

/// A table that cannot be a baseline is refused, naming the industry: negative gross output,
/// inputs above output (negative value added), or nothing produced at all.
#[test]
fn tables_with_negative_output_or_value_added_are_refused() {
    use hinterland::economy::{Economy, MrioTable};
    use hinterland::kinds::FirmSizes;
    use hinterland::model::EconomyParams;
    let table = |z: Vec<f64>, y: Vec<f64>| {
        let x = (0..2).map(|i| z[i * 2] + z[i * 2 + 1] + y[i]).collect();
        MrioTable {
            industries: vec![("r".into(), "a".into()), ("r".into(), "b".into())],
            final_demand_columns: vec![("r".into(), "households".into())],
            z,
            y,
            x,
            unit: None,
        }
    };
    let params = EconomyParams::new("t", 1, 3, FirmSizes::Equal, 0, 4.0).unwrap();
    let build = |t: MrioTable| {
        Economy::from_mrio(&t, &params)
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    assert_eq!(
        build(table(vec![1.0, 2.0, 3.0, 4.0], vec![5.0, 6.0])),
        Ok(())
    );
    // b sells 3 + 4 + (-9) = -2 in all
    let err = build(table(vec![1.0, 2.0, 3.0, 4.0], vec![5.0, -9.0])).unwrap_err();
    assert!(err.contains("industry r|b has gross output -2"), "{err}");
    // a buys 1 + 30 but produces 1 + 2 + 5 = 8
    let err = build(table(vec![1.0, 2.0, 30.0, 4.0], vec![5.0, 6.0])).unwrap_err();
    assert!(err.contains("industry r|a buys inputs of 31"), "{err}");
    assert!(err.contains("value added would be negative"), "{err}");
    let err = build(table(vec![0.0; 4], vec![0.0, 0.0])).unwrap_err();
    assert!(err.contains("no industry produces anything"), "{err}");
}
