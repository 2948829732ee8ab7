//! Writers of a sweep's files: `points.csv` (every run of every point), `sweep.csv` (tidy
//! statistics per point and metric), `frontier.csv` (cost, loss, regret, satisficing and the
//! Pareto marks), `draws.csv` and the manifest.
//!
//! Points are named `p0000`, `p0001`… in design order; the "no policies" reference of
//! uncertainty setting `g` is `no policies @g`, its lever columns empty.

use std::io::{self, Write};

use super::ensemble::statistics_cells;
use super::layout::{
    DISCOVERY, DISCOVERY_BOX, FRONTIER, FRONTIER_COLUMNS, MANIFEST, POINT_FAILURE, POINTS,
    SCENARIO, SENSITIVITY, SWEEP, SWEEP_DRAWS, SWEEP_STATISTICS,
};
use super::manifest::{Manifest, Provenance};
use super::{OutputDir, OutputError};
use crate::explore::discover::SweepDiscovery;
use crate::explore::sensitivity::MetricIndices;
use crate::metrics::catalogue::{self, CATALOGUE};
use crate::metrics::ensemble::MetricStatistics;
use crate::model::Assignment;
use crate::montecarlo::{FrontierRow, PointRuns, Study, SweepResults};
use crate::table::{Writer, number, optional};

/// A parameter's value as a table shows it: a quoted name without its quotes.
pub fn shown(value: &str) -> String {
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value)
        .to_string()
}

/// The value of each swept parameter at a point (empty where it does not set it: a
/// reference's levers).
fn parameter_values(paths: &[String], assignments: &[Assignment]) -> Vec<String> {
    paths
        .iter()
        .map(|path| {
            assignments
                .iter()
                .find(|a| &a.path == path)
                .map_or(String::new(), |a| shown(&a.value))
        })
        .collect()
}

fn header(fixed: &[&str], paths: &[String], after: &[&str]) -> Vec<String> {
    fixed
        .iter()
        .map(|s| s.to_string())
        .chain(paths.iter().cloned())
        .chain(after.iter().map(|s| s.to_string()))
        .collect()
}

/// `point,group,run,<parameters…>,<metrics…>,failure` (`failure`: why the run failed, empty
/// when it did not; a failed run's metrics are empty).
pub fn write_points(
    out: &mut impl Write,
    paths: &[String],
    points: &[&PointRuns],
) -> io::Result<()> {
    let mut table = Writer::new(out);
    let metrics: Vec<&str> = CATALOGUE.iter().map(|m| m.name).collect();
    let mut after = metrics.clone();
    after.push(POINT_FAILURE);
    table.row(header(POINTS.header, paths, &after))?;
    for point in points {
        let values = parameter_values(paths, &point.assignments);
        for (run, metrics) in point.runs.iter().enumerate() {
            let fixed = [point.name.clone(), point.group.to_string(), run.to_string()];
            let metrics = metrics.as_slice().iter().map(|v| optional(*v));
            let failure = point.failures.get(run).cloned().flatten();
            table.row(
                fixed
                    .into_iter()
                    .chain(values.iter().cloned())
                    .chain(metrics)
                    .chain([failure.unwrap_or_default()]),
            )?;
        }
    }
    table.finish()
}

/// `point,group,<parameters…>,metric,unit,n,mean,std_error,p05,…,cvar95`.
pub fn write_sweep(
    out: &mut impl Write,
    paths: &[String],
    points: &[&PointRuns],
    statistics: &[MetricStatistics],
    money: Option<&str>,
) -> io::Result<()> {
    let mut table = Writer::new(out);
    table.row(header(SWEEP.header, paths, SWEEP_STATISTICS))?;
    for (point, metrics) in points.iter().zip(statistics) {
        let values = parameter_values(paths, &point.assignments);
        for (metric, summary) in metrics {
            let unit = catalogue::metric(metric)
                .map(|m| m.unit_in(money))
                .unwrap_or_default();
            let statistics = statistics_cells(summary.as_ref());
            let fixed = [point.name.clone(), point.group.to_string()];
            table.row(
                fixed
                    .into_iter()
                    .chain(values.iter().cloned())
                    .chain([metric.to_string(), unit])
                    .chain(statistics),
            )?;
        }
    }
    table.finish()
}

/// `point,group,<parameters…>,loss_metric,annual_cost,mean_loss,…,indistinct`.
pub fn write_frontier(
    out: &mut impl Write,
    paths: &[String],
    points: &[&PointRuns],
    rows: &[FrontierRow],
    loss: &str,
) -> io::Result<()> {
    let mut table = Writer::new(out);
    table.row(header(FRONTIER.header, paths, &FRONTIER_COLUMNS))?;
    let name = |p: Option<usize>| p.map_or(String::new(), |p| points[p].name.clone());
    for (point, row) in points.iter().zip(rows) {
        let values = parameter_values(paths, &point.assignments);
        let regret = |f: fn(&crate::metrics::robustness::RegretSummary) -> f64| {
            optional(row.regret.as_ref().map(f))
        };
        let after = [
            loss.to_string(),
            number(row.annual_cost),
            number(row.mean_loss),
            number(row.cvar95_loss),
            regret(|r| r.mean),
            regret(|r| r.p90),
            regret(|r| r.max),
            optional(row.satisficing),
            row.efficient_mean().to_string(),
            row.efficient_cvar95().to_string(),
            row.efficient_regret().to_string(),
            name(row.dominated_mean),
            row.indistinct.to_string(),
        ];
        let fixed = [point.name.clone(), point.group.to_string()];
        table.row(fixed.into_iter().chain(values).chain(after))?;
    }
    table.finish()
}

/// `point,run,shock,parameter,value`.
pub fn write_draws(out: &mut impl Write, points: &[&PointRuns]) -> io::Result<()> {
    let mut table = Writer::new(out);
    table.row(SWEEP_DRAWS.header)?;
    for point in points {
        for (run, draws) in point.draws.iter().enumerate() {
            let run = run.to_string();
            for draw in draws {
                table.row([
                    point.name.as_str(),
                    &run,
                    &draw.shock,
                    draw.parameter,
                    &number(draw.value),
                ])?;
            }
        }
    }
    table.finish()
}

/// `metric,parameter,role,first,first_conf,total,total_conf`: the metrics whose indices could
/// be computed.
pub fn write_sensitivity(
    out: &mut impl Write,
    parameters: &[crate::model::sweep::Parameter],
    indices: &[MetricIndices],
) -> io::Result<()> {
    let mut table = Writer::new(out);
    table.row(SENSITIVITY.header)?;
    for metric in indices {
        let Ok(values) = &metric.indices else {
            continue;
        };
        for (parameter, i) in parameters.iter().zip(values) {
            table.row([
                metric.metric.clone(),
                parameter.path.clone(),
                parameter.role.name().to_string(),
                number(i.first),
                number(i.first_conf),
                number(i.total),
                number(i.total_conf),
            ])?;
        }
    }
    table.finish()
}

/// `condition,step,coverage,density,mass,restricted,chosen`.
pub fn write_discovery(out: &mut impl Write, found: &SweepDiscovery) -> io::Result<()> {
    let mut table = Writer::new(out);
    table.row(DISCOVERY.header)?;
    for (k, step) in found.found.trajectory.iter().enumerate() {
        table.row([
            found.condition.clone(),
            k.to_string(),
            number(step.coverage),
            number(step.density),
            number(step.mass),
            step.restricted.to_string(),
            (k == found.found.chosen).to_string(),
        ])?;
    }
    table.finish()
}

/// `parameter,lower,upper,min,max`: the chosen box's restricted columns.
pub fn write_discovery_box(out: &mut impl Write, found: &SweepDiscovery) -> io::Result<()> {
    let mut table = Writer::new(out);
    table.row(DISCOVERY_BOX.header)?;
    for limit in &found.found.limits {
        let (min, max) = found.ranges[limit.column];
        table.row([
            limit.name.clone(),
            number(limit.lower),
            number(limit.upper),
            number(min),
            number(max),
        ])?;
    }
    table.finish()
}

/// What the explore layer found in a sweep.
#[derive(Debug, Clone, Default)]
pub struct SweepAnalyses {
    /// Sobol indices (a Saltelli design).
    pub sensitivity: Option<Vec<MetricIndices>>,
    /// PRIM's box (a sweep with `discovery`).
    pub discovery: Option<SweepDiscovery>,
}

/// Write every file of a sweep's results (all but the charts and the report); the relative
/// paths written, in order.
pub fn write_sweep_files(
    dir: &OutputDir,
    study: &Study,
    results: &SweepResults,
    analyses: &SweepAnalyses,
    provenance: &Provenance,
) -> Result<Vec<String>, OutputError> {
    let sweep = &results.plan.sweep;
    let paths: Vec<String> = sweep.parameters.iter().map(|p| p.path.clone()).collect();
    let points: Vec<&PointRuns> = results.all().collect();
    let statistics = results.statistics();
    let frontier = results.frontier(&statistics);
    let money = study.economy().unit();
    let mut written: Vec<String> = Vec::new();
    dir.write_listed(SCENARIO, &mut written, |w| {
        w.write_all(&provenance.scenario)
    })?;
    dir.write_listed(POINTS.name, &mut written, |w| {
        write_points(w, &paths, &points)
    })?;
    dir.write_listed(SWEEP.name, &mut written, |w| {
        write_sweep(w, &paths, &points, &statistics, money)
    })?;
    dir.write_listed(FRONTIER.name, &mut written, |w| {
        write_frontier(w, &paths, &points, &frontier, &sweep.loss)
    })?;
    dir.write_listed(SWEEP_DRAWS.name, &mut written, |w| write_draws(w, &points))?;
    if let Some(indices) = &analyses.sensitivity {
        dir.write_listed(SENSITIVITY.name, &mut written, |w| {
            write_sensitivity(w, &sweep.parameters, indices)
        })?;
    }
    if let Some(found) = &analyses.discovery {
        dir.write_listed(DISCOVERY.name, &mut written, |w| write_discovery(w, found))?;
        dir.write_listed(DISCOVERY_BOX.name, &mut written, |w| {
            write_discovery_box(w, found)
        })?;
    }
    let variants = points.iter().map(|p| p.name.clone()).collect();
    let manifest = Manifest::of(study, provenance, variants)?.to_json();
    dir.write_listed(MANIFEST, &mut written, |w| w.write_all(manifest.as_bytes()))?;
    Ok(written)
}
