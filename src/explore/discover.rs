//! Scenario discovery on a sweep: which swept and drawn parameters make a condition (such as
//! "loss above X with the policy") likely, found by PRIM over every run of every point.

use super::prim::{Discovery, PrimOptions, find_box};
use crate::model::sweep::Discovery as Condition;
use crate::montecarlo::SweepResults;

/// PRIM's box for a sweep's condition, with the columns it searched.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepDiscovery {
    /// The condition, as written (`va_loss_pct > 2`).
    pub condition: String,
    /// The columns: every numeric swept parameter (its path), then every drawn crisis
    /// parameter (`shock.parameter`).
    pub names: Vec<String>,
    /// Per column: the smallest and largest value over the rows.
    pub ranges: Vec<(f64, f64)>,
    /// Rows searched: runs of points with a value of the metric.
    pub rows: usize,
    /// Of which cases.
    pub cases: usize,
    /// PRIM's trajectory and box.
    pub found: Discovery,
}

/// Run PRIM over every run of every point of `results` (references left out) for
/// `condition`. A swept parameter whose values are not numbers (a region name) is left out;
/// a drawn parameter counts when every run drew it.
pub fn of_sweep(results: &SweepResults, condition: &Condition) -> Result<SweepDiscovery, String> {
    let sweep = &results.plan.sweep;
    // the swept parameters that are numbers at every point
    let swept: Vec<usize> = (0..sweep.parameters.len())
        .filter(|&k| {
            results
                .points
                .iter()
                .all(|p| p.assignments[k].value.parse::<f64>().is_ok())
        })
        .collect();
    // the drawn parameters of the first run, kept when every run has them
    let drawn: Vec<(String, &'static str)> = results
        .points
        .first()
        .and_then(|p| p.draws.first())
        .map(|draws| {
            draws
                .iter()
                .map(|d| (d.shock.clone(), d.parameter))
                .collect()
        })
        .unwrap_or_default();
    let drawn: Vec<(String, &'static str)> = drawn
        .into_iter()
        .filter(|(shock, parameter)| {
            results.points.iter().all(|p| {
                p.draws.iter().all(|run| {
                    run.iter()
                        .any(|d| &d.shock == shock && d.parameter == *parameter)
                })
            })
        })
        .collect();
    let mut names: Vec<String> = swept
        .iter()
        .map(|&k| sweep.parameters[k].path.clone())
        .collect();
    names.extend(drawn.iter().map(|(s, p)| format!("{s}.{p}")));
    let mut columns: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    let mut outcome = Vec::new();
    for point in &results.points {
        for (run, values) in point.runs.iter().enumerate() {
            let Some(value) = values.get(&condition.metric) else {
                continue;
            };
            outcome.push(condition.is_case(value));
            for (c, &k) in swept.iter().enumerate() {
                columns[c].push(point.assignments[k].value.parse().unwrap_or(f64::NAN));
            }
            for (c, (shock, parameter)) in drawn.iter().enumerate() {
                let value = point.draws[run]
                    .iter()
                    .find(|d| &d.shock == shock && d.parameter == *parameter)
                    .map_or(f64::NAN, |d| d.value);
                columns[swept.len() + c].push(value);
            }
        }
    }
    let options = PrimOptions {
        threshold: condition.min_density,
        ..PrimOptions::default()
    };
    let found = find_box(&names, &columns, &outcome, &options).map_err(|e| e.to_string())?;
    let ranges = columns
        .iter()
        .map(|c| {
            let low = c.iter().copied().fold(f64::INFINITY, f64::min);
            let high = c.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (low, high)
        })
        .collect();
    Ok(SweepDiscovery {
        condition: condition.condition(),
        names,
        ranges,
        rows: outcome.len(),
        cases: outcome.iter().filter(|&&c| c).count(),
        found,
    })
}
