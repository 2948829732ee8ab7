//! Charts and a report drawn from a sweep's output directory (`sweep.csv`, `frontier.csv`,
//! `manifest.json`, `scenario.ron`, and `sensitivity.csv`, `discovery.csv`,
//! `discovery_box.csv` where they exist), and nothing else. See [`draw_sweep`].

pub(super) mod axes;
mod design;
mod discovery;
pub(super) mod fields;
mod frontier;
mod heatmap;
mod input;
mod labels;
mod line;
mod report;
mod sensitivity;
mod tables;

use std::fs;
use std::path::Path;

use super::{PlotError, register_embedded_font};
use crate::plot::ensemble::figure::{self, Figure};
use design::SweepShape;
use frontier::Risk;
use input::SweepOutput;
use report::{Charts, ShownChart};

/// Metrics charted across the sweep besides the frontier's loss metric, where `sweep.csv`
/// has them.
const KEY_METRICS: [&str; 2] = ["loss_avoided_money", "va_loss_pct"];

/// Draw the sweep charts into `dir/plots/` and write `dir/report.html`, from the files in
/// `dir` only. Returns the files written (relative to `dir`, with `/`), in this order:
///
/// 1. `sweep_<metric>` for the frontier's loss metric, `loss_avoided_money` and
///    `va_loss_pct` (those `sweep.csv` has): the mean across runs at each point, where the
///    design allows one chart of it. The parameters that vary within an uncertainty group
///    (normally the levers) are the axes, each group a line or a panel:
///    - one numeric parameter: a line of the mean against it with its 95 % confidence band
///      (mean ± 1.96 × standard error), points marked, a line per group, each group's
///      "no policies" mean as a dashed line;
///    - two parameters forming a complete grid: a heatmap of the mean, rows the first
///      parameter and columns the second, cells labelled; with several groups, a panel per
///      group on one colour scale;
///    - otherwise (three or more parameters, or a design that is not a grid): no chart, and
///      the report says why;
/// 2. `frontier_mean` and `frontier_cvar95`: annual holding cost against the mean and the
///    CVaR95 of the loss, every point and reference a dot; the efficient points of
///    `frontier.csv` large, labelled with their lever values and joined by a step line, a
///    colour per uncertainty group; on the mean chart, indistinct points as rings;
/// 3. `sensitivity_<metric>` for each metric of `sensitivity.csv`, if it exists: first- and
///    total-order Sobol indices per parameter with their 95 % whiskers;
/// 4. `discovery_tradeoff`, if `discovery.csv` exists: coverage against density over the
///    peeling trajectory, the chosen box marked;
/// 5. `report.html`: one page without any external resource: the scenario's name and
///    description, the command that made the directory, the design (parameters, roles,
///    points, runs per point), the frontier as a table and charts, the sweep charts, the
///    sensitivity and discovery results if there are any, the manifest's warnings, with a
///    plain-language note on what each section's numbers mean.
///
/// Charts are 1200×700 PNG and SVG. Every file is read and checked before anything is
/// written; a malformed file is a [`PlotError::Malformed`] naming its line and column, and a
/// missing optional file just leaves its section out. The same files always give
/// byte-identical output.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = tempfile::tempdir()?;
/// let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text);
/// write("manifest.json", r#"{"name": "demo", "runs": 2}"#)?;
/// write(
///     "sweep.csv",
///     "point,group,backup.a.capacity_share,metric,unit,n,mean,std_error,p05,p25,p50,p75,p95,var95,cvar95\n\
///      p0000,0,0,va_loss_pct,%,2,3,0.5,2,2,3,4,4,4,4\n\
///      p0001,0,0.1,va_loss_pct,%,2,2,0.5,1,1,2,3,3,3,3\n",
/// )?;
/// write(
///     "frontier.csv",
///     "point,group,backup.a.capacity_share,loss_metric,annual_cost,mean_loss,cvar95_loss,\
///      mean_regret,p90_regret,max_regret,satisficing_share,efficient_mean,efficient_cvar95,\
///      efficient_regret,dominated_by,indistinct\n\
///      p0000,0,0,va_loss_pct,0,3,4,1,1,1,,true,true,false,,false\n\
///      p0001,0,0.1,va_loss_pct,5,2,3,0,0,0,,true,true,true,,false\n",
/// )?;
/// let files = hinterland::plot::draw_sweep(dir.path())?;
/// assert_eq!(
///     files,
///     [
///         "plots/sweep_va_loss_pct.png",
///         "plots/sweep_va_loss_pct.svg",
///         "plots/frontier_mean.png",
///         "plots/frontier_mean.svg",
///         "plots/frontier_cvar95.png",
///         "plots/frontier_cvar95.svg",
///         "report.html",
///     ]
/// );
/// # Ok(())
/// # }
/// ```
pub fn draw_sweep(dir: &Path) -> Result<Vec<String>, PlotError> {
    register_embedded_font()?;
    let output = SweepOutput::read(dir)?;
    let plots = dir.join("plots");
    fs::create_dir_all(&plots).map_err(|source| PlotError::Io {
        path: plots.clone(),
        source,
    })?;
    let mut charts = Charts::default();
    sweep_charts(&output, &plots, &mut charts)?;
    frontier_charts(&output, &plots, &mut charts)?;
    study_charts(&output, &plots, &mut charts)?;
    report::write_report(&output, &charts)?;
    let mut written: Vec<String> = charts
        .all()
        .flat_map(|chart| {
            [
                format!("plots/{}.png", chart.name),
                format!("plots/{}.svg", chart.name),
            ]
        })
        .collect();
    written.push(crate::output::layout::REPORT.into());
    Ok(written)
}

/// The metrics charted across the sweep: the loss metric, then [`KEY_METRICS`], each once
/// and only if `sweep.csv` has it.
fn key_metrics(output: &SweepOutput) -> Vec<&str> {
    let mut metrics: Vec<&str> = Vec::new();
    for metric in std::iter::once(output.loss_metric.as_str()).chain(KEY_METRICS) {
        if !metrics.contains(&metric) && output.statistics.iter().any(|s| s.metric == metric) {
            metrics.push(metric);
        }
    }
    metrics
}

/// Save `figure` and list it in `section`.
fn show(
    figure: &impl Figure,
    plots: &Path,
    section: &mut Vec<ShownChart>,
    (heading, description): (String, String),
) -> Result<(), PlotError> {
    figure::save(figure, plots)?;
    section.push(ShownChart {
        name: figure.name().to_string(),
        heading,
        description,
    });
    Ok(())
}

fn sweep_charts(output: &SweepOutput, plots: &Path, charts: &mut Charts) -> Result<(), PlotError> {
    let shape = design::shape(output);
    for metric in key_metrics(output) {
        let heading = format!("{metric} across the sweep");
        match &shape {
            SweepShape::Line { axis, series } => {
                if let Some(chart) = line::sweep_line(output, metric, *axis, series) {
                    let description = format!(
                        "The mean of {metric} across runs at each point against {}, with its \
                         95 % confidence band (mean \u{00b1} 1.96 standard errors){}. Dashed: \
                         the mean without any policy.",
                        output.parameters[*axis].path,
                        if series.len() > 1 {
                            ", a line per setting of the uncertainties"
                        } else {
                            ""
                        }
                    );
                    show(&chart, plots, &mut charts.sweep, (heading, description))?;
                }
            }
            SweepShape::Grid {
                rows,
                columns,
                series,
            } => {
                if let Some(chart) = heatmap::sweep_heatmap(output, metric, (rows, columns), series)
                {
                    let description = format!(
                        "The mean of {metric} across runs at each point of the grid of {} \
                         (rows) and {} (columns){}. Darker: a larger mean.",
                        output.parameters[rows.parameter].path,
                        output.parameters[columns.parameter].path,
                        if series.len() > 1 {
                            ", a panel per setting of the uncertainties on one colour scale"
                        } else {
                            ""
                        }
                    );
                    show(&chart, plots, &mut charts.sweep, (heading, description))?;
                }
            }
            SweepShape::Nothing(reason) => {
                charts.no_sweep_chart = Some(reason.clone());
                break;
            }
        }
    }
    Ok(())
}

fn frontier_charts(
    output: &SweepOutput,
    plots: &Path,
    charts: &mut Charts,
) -> Result<(), PlotError> {
    let several = output.groups().len() > 1;
    let groups_note = if several {
        " Each colour is a setting of the uncertainties, with its own frontier."
    } else {
        ""
    };
    let rings = if output.frontier.iter().any(|row| row.indistinct) {
        " rings: indistinct points, beaten by no more than the noise;"
    } else {
        ""
    };
    if let Some(chart) = frontier::frontier_chart(output, Risk::Mean) {
        let description = format!(
            "Annual holding cost against expected loss (the mean across runs). Large dots: \
             efficient points, joined in cost order by the frontier and labelled with their \
             lever values; small dots: dominated points;{rings} squares: \u{201c}no \
             policies\u{201d}.{groups_note}"
        );
        show(
            &chart,
            plots,
            &mut charts.frontier,
            ("Cost and expected loss".into(), description),
        )?;
    }
    if let Some(chart) = frontier::frontier_chart(output, Risk::Cvar95) {
        let description = format!(
            "Annual holding cost against CVaR95, the mean loss of the worst 5 % of runs: the \
             frontier for a planner who fears bad years more than average ones. Large dots: \
             efficient on cost and CVaR95.{groups_note}"
        );
        show(
            &chart,
            plots,
            &mut charts.frontier,
            ("Cost and tail loss".into(), description),
        )?;
    }
    Ok(())
}

/// The charts of the sensitivity and discovery files, where they exist.
fn study_charts(output: &SweepOutput, plots: &Path, charts: &mut Charts) -> Result<(), PlotError> {
    let scenario = &output.manifest.name;
    if let Some(rows) = &output.sensitivity {
        for metric in sensitivity::metrics(rows) {
            let chart = sensitivity::chart(rows, metric, scenario);
            let description = format!(
                "Sobol indices of {metric}: per parameter, the first-order index (alone) and \
                 the total-order index (with interactions), with 95 % bootstrap whiskers."
            );
            show(
                &chart,
                plots,
                &mut charts.sensitivity,
                (format!("What {metric} depends on"), description),
            )?;
        }
    }
    if let Some(chart) = output
        .discovery
        .as_ref()
        .and_then(|found| discovery::tradeoff(found, scenario))
    {
        show(
            &chart,
            plots,
            &mut charts.discovery,
            (
                "Coverage and density".into(),
                "PRIM's peeling trajectory: each step's coverage and density; the ring marks \
                 the box chosen."
                    .into(),
            ),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod fake;
#[cfg(test)]
mod tests;
