//! The shipped scenarios on the Chinese economy (`data/china-2020`): the numbers their header
//! notes quote, so that the notes cannot silently go stale, and the direction of their policy
//! effects, so that a regression that makes a policy useless (or harmful) is caught.

use hinterland::kinds::RecordKind;
use hinterland::metrics::Record;
use hinterland::model::NO_POLICIES;
use hinterland::montecarlo::{Study, StudyOptions};

use crate::common::{self, repo};

/// NBS "industry" (工业): mining (`s02`–`s05`), manufacturing (`s06`–`s23`) and the
/// utilities (`s24`–`s26`).
fn is_industrial(column: &str) -> bool {
    let Some((region, sector)) = column.split_once('|') else {
        return false;
    };
    let code: u32 = sector[1..3].parse().unwrap();
    !region.starts_with("ROW_") && (2..=26).contains(&code)
}

fn is_domestic(column: &str) -> bool {
    !column.starts_with("ROW_")
}

/// Mean over `days` of the sum of the selected columns, relative to day 0.
fn mean_ratio(
    record: &Record,
    days: std::ops::RangeInclusive<usize>,
    keep: impl Fn(&str) -> bool,
) -> f64 {
    let columns: Vec<usize> = (0..record.columns.len())
        .filter(|&c| keep(&record.columns[c]))
        .collect();
    let day = |d: usize| columns.iter().map(|&c| record.row(d)[c]).sum::<f64>();
    let n = days.clone().count() as f64;
    days.map(day).sum::<f64>() / n / day(0)
}

/// Day 1 of `shanghai-lockdown-2022.ron` is 1 March 2022, so April is days 32–61.
const APRIL_2022: std::ops::RangeInclusive<usize> = 32..=61;

#[test]
fn shanghai_lockdown_april_falls_are_the_ones_quoted_in_its_notes() {
    let model = common::model_with_days(&repo("scenarios/shanghai-lockdown-2022.ron"), 62);
    // the historical replay: no backup existed in 2022 (the variant "no policies")
    let model = common::variant(&model, NO_POLICIES);
    let economy = common::build(&model);
    let records = common::run(&model, &economy);
    let industry_va = mean_ratio(
        common::record(&records, "value_added"),
        APRIL_2022,
        is_industrial,
    );
    let vehicles = mean_ratio(
        common::record(&records, "production_realised"),
        APRIL_2022,
        |c| is_domestic(c) && c.ends_with("|s18_transport_equipment"),
    );
    let regional = |region: &str| {
        let va = mean_ratio(common::record(&records, "value_added"), APRIL_2022, |c| {
            is_industrial(c) && c.starts_with(&format!("{region}|"))
        });
        (1.0 - va) * 100.0
    };
    let industry_fall_pct = (1.0 - industry_va) * 100.0;
    let vehicle_fall_pct = (1.0 - vehicles) * 100.0;
    let (yrd, northeast) = (regional("YRD"), regional("Northeast"));
    eprintln!(
        "April 2022: industrial VA −{industry_fall_pct:.2} % (YRD −{yrd:.2} %, Northeast \
         −{northeast:.2} %), s18 output −{vehicle_fall_pct:.2} %"
    );
    // the figures written in the header of scenarios/shanghai-lockdown-2022.ron and in
    // docs/china-replays.md
    for (what, simulated, quoted) in [
        ("national industry", industry_fall_pct, 2.40),
        ("YRD industry", yrd, 7.64),
        ("Northeast industry", northeast, 9.90),
        ("vehicles", vehicle_fall_pct, 12.92),
    ] {
        assert!(
            (simulated - quoted).abs() <= 0.5,
            "{what}: −{simulated:.2} % simulated, −{quoted} % quoted"
        );
    }
    // the Changchun lockdown hits the Northeast harder than Shanghai's hits YRD, and both
    // regions fall more than the nation
    assert!(northeast > yrd && yrd > industry_fall_pct);
}

/// Mean domestic value-added loss (days of baseline domestic value added) over `runs` runs,
/// with the scenario's policies and without them, on the same drawn crises.
fn loss_with_and_without_policies(path: &str, runs: usize, days: usize) -> (f64, f64) {
    let model = common::model_with_days(&repo(path), days).keeping_variants(&[NO_POLICIES]);
    let study = Study::new(
        model,
        &StudyOptions {
            runs: Some(runs),
            ..StudyOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let losses = study
        .map_runs(&[RecordKind::ValueAdded], |_, result| {
            let record = common::record(&result.records, "value_added");
            let ratio = mean_ratio(record, 0..=record.days() - 1, is_domestic);
            (1.0 - ratio) * record.days() as f64
        })
        .unwrap();
    let mean = |v: usize| losses[v].iter().sum::<f64>() / runs as f64;
    let without = study
        .setups()
        .iter()
        .position(|s| s.name() == NO_POLICIES)
        .expect("a scenario with policies has the variant \"no policies\"");
    (mean(0), mean(without))
}

#[test]
fn chip_embargo_backup_loses_less_than_no_policies() {
    let (with, without) = loss_with_and_without_policies("scenarios/chip-embargo.ron", 2, 200);
    eprintln!("chip-embargo: {with} days with the backup, {without} without");
    assert!(with < without, "{with} >= {without}");
}

#[test]
fn energy_reserve_loses_less_than_no_policies() {
    let (with, without) =
        loss_with_and_without_policies("scenarios/energy-route-closure.ron", 2, 200);
    eprintln!("energy-route-closure: {with} days with the reserve, {without} without");
    assert!(with < without, "{with} >= {without}");
}

#[test]
fn coastal_blockade_portfolio_loses_less_than_no_policies() {
    let (with, without) = loss_with_and_without_policies("scenarios/coastal-blockade.ron", 2, 200);
    eprintln!("coastal-blockade: {with} days with the portfolio, {without} without");
    assert!(with < without, "{with} >= {without}");
}

#[test]
fn chip_embargo_hits_the_users_of_electronics_harder_than_agriculture() {
    // without policies, as the header of chip-embargo.ron quotes: the industries that buy
    // electronics as a critical input lose several times the share agriculture loses (most of
    // whose inputs from electronics are rated non-critical)
    let model = common::model(&repo("scenarios/chip-embargo.ron")).keeping_variants(&[NO_POLICIES]);
    let model = common::variant(&model, NO_POLICIES);
    let economy = common::build(&model);
    let records = common::run(&model, &economy);
    let va = common::record(&records, "value_added");
    let share_lost = |sector: &str| {
        1.0 - mean_ratio(va, 0..=va.days() - 1, |c| {
            is_domestic(c) && c.ends_with(&format!("|{sector}"))
        })
    };
    let agriculture = share_lost("s01_agriculture");
    for user in [
        "s16_general_equipment",
        "s18_transport_equipment",
        "s19_electrical_equipment",
    ] {
        let lost = share_lost(user);
        eprintln!(
            "{user}: {:.1} % of a year's value added, agriculture {:.1} %",
            100.0 * lost,
            100.0 * agriculture
        );
        assert!(
            lost > 2.0 * agriculture,
            "{user}: {lost} against agriculture {agriculture}"
        );
    }
}
