//! Losses, loss avoided and costs in the economy's money unit, and the benefit–cost ratio
//! (issue 16, scope 3), on `test-mrio-backup.ron` (unit `Mill USD`, a backup with holding and
//! activation costs, a reserve).

use std::collections::BTreeMap;

use crate::common::{build, hinterland, model, repo};

/// The rows of an output CSV as maps from header to field (labels and numbers as text).
fn rows(path: &std::path::Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

fn number(row: &BTreeMap<String, String>, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column}: {:?}", row[column]))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn losses_avoided_and_costs_are_given_in_money_with_a_benefit_cost_ratio() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = repo("scenarios/test-mrio-backup.ron");
    let out = hinterland(
        tmp.path(),
        &[
            "run",
            scenario.to_str().unwrap(),
            "--runs",
            "2",
            "--out",
            "out",
            "--quiet",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let dir = tmp.path().join("out");

    // the baseline: 365 × the domestic value added of the economy's firms on day 0
    let model = model(&scenario);
    let economy = build(&model);
    let foreign = economy.regions().iter().position(|r| r == "reg6").unwrap();
    let daily: f64 = economy
        .firm_value_added()
        .iter()
        .enumerate()
        .filter(|&(f, _)| economy.industry_region(economy.firm_industry()[f] as usize) != foreign)
        .map(|(_, va)| va / 365.0)
        .sum();

    let policies = rows(&dir.join("policies.csv"));
    let runs = rows(&dir.join("runs.csv"));
    let mut compared = 0;
    for run in &runs {
        let baseline = number(run, "baseline_va_annual");
        assert!(
            close(baseline, 365.0 * daily),
            "{baseline} vs {}",
            365.0 * daily
        );
        let per_day = baseline / 365.0;
        assert!(close(
            number(run, "va_loss_money"),
            number(run, "va_loss_days") * per_day
        ));
        // the policies' cost is what policies.csv says they cost in this run
        let cost: f64 = policies
            .iter()
            .filter(|p| p["run"] == run["run"] && p["variant"] == run["variant"])
            .map(|p| number(p, "holding_cost") + number(p, "activation_cost"))
            .sum();
        assert!(close(number(run, "policy_cost"), cost), "{run:?}");
        if run["variant"] == "no policies" {
            assert!(run["loss_avoided_money"].is_empty() && run["benefit_cost"].is_empty());
            continue;
        }
        let avoided = number(run, "loss_avoided_money");
        assert!(close(avoided, number(run, "loss_avoided") * per_day));
        // what the same run without policies lost, less what this variant lost
        let reference = runs
            .iter()
            .find(|r| r["run"] == run["run"] && r["variant"] == "no policies")
            .unwrap();
        assert!(close(
            avoided,
            number(reference, "va_loss_money") - number(run, "va_loss_money")
        ));
        assert!(cost > 0.0);
        assert!(close(number(run, "benefit_cost"), avoided / cost));
        compared += 1;
    }
    assert!(compared >= 2, "no variant with policies compared");

    // summary.csv states the unit of every metric, money as the table's unit.txt says
    let summary = rows(&dir.join("summary.csv"));
    let unit = |metric: &str| -> String {
        summary
            .iter()
            .find(|r| r["metric"] == metric)
            .unwrap_or_else(|| panic!("{metric}"))["unit"]
            .clone()
    };
    assert_eq!(unit("va_loss_money"), "Mill USD");
    assert_eq!(unit("loss_avoided_money"), "Mill USD");
    assert_eq!(unit("baseline_va_annual"), "Mill USD per year");
    assert_eq!(unit("benefit_cost"), "ratio");
    assert_eq!(unit("va_loss_days"), "days of baseline value added");
}
