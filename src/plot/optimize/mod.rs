//! Charts drawn from a placement search's output directory (`portfolios.csv`, `choices.csv`,
//! `greedy_path.csv`, `choice_runs.csv`, `manifest.json`), and nothing else. See
//! [`draw_optimize`].

mod input;

use std::fs;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{PlotError, register_embedded_font};
use crate::output::layout::PLOTS;
use crate::plot::ensemble::figure::{self, Drawn, Figure, GREY, LegendItem, Swatch};
use crate::plot::sweep::axes::{self, padded_range};
use input::OptimizeOutput;

/// The longest portfolio a legend names before it is cut with "…".
const LABEL_CHARS: usize = 90;

/// The largest magnitude a chart can show: plotters cannot place ticks on much wider axes.
const DRAWABLE: f64 = 1e300;

/// Draw the placement search's charts into `dir/plots/`, from the files in `dir` only.
/// Returns the files written (relative to `dir`, with `/`), in this order:
///
/// 1. `portfolio_frontier`: the objective of every portfolio evaluated against its annual
///    holding cost (grey circles), the greedy path of the largest budget from no backup (a
///    line), and each budget's portfolio (a filled square, with a dashed vertical line at the
///    budget, one colour per budget);
/// 2. `loss_distribution`: the share of runs with a loss at most x, without backup (grey)
///    and with each budget's portfolio (one colour per budget), the same crises in every
///    line.
///
/// Charts are 1200×700 PNG and SVG, each caption starting with the scenario's name (from
/// `manifest.json`). Every file is read and checked before anything is written; a malformed
/// file is a [`PlotError::Malformed`] naming its line and column. The same files always give
/// byte-identical output.
pub fn draw_optimize(dir: &Path) -> Result<Vec<String>, PlotError> {
    register_embedded_font()?;
    let output = OptimizeOutput::read(dir)?;
    // Every chart is made before any is drawn: an error leaves nothing behind.
    let frontier = FrontierChart::of(&output)?;
    let distribution = DistributionChart::of(&output)?;
    let plots = dir.join(PLOTS);
    fs::create_dir_all(&plots).map_err(|source| PlotError::Io {
        path: plots.clone(),
        source,
    })?;
    let mut written = Vec::new();
    figure::save(&frontier, &plots)?;
    figure::save(&distribution, &plots)?;
    for name in [frontier.name(), distribution.name()] {
        for extension in ["png", "svg"] {
            written.push(format!("{PLOTS}/{name}.{extension}"));
        }
    }
    Ok(written)
}

/// An error if a value of `file` is too large to draw.
fn drawable(values: &[f64], output: &OptimizeOutput, file: &str) -> Result<(), PlotError> {
    match values.iter().find(|v| v.is_nan() || v.abs() > DRAWABLE) {
        None => Ok(()),
        Some(value) => Err(PlotError::Data {
            path: output.dir.join(file),
            message: format!("{value} is out of the drawable range"),
        }),
    }
}

/// `text` cut to [`LABEL_CHARS`] characters.
fn short(text: &str) -> String {
    if text.chars().count() <= LABEL_CHARS {
        text.to_string()
    } else {
        text.chars().take(LABEL_CHARS - 1).collect::<String>() + "…"
    }
}

/// A budget as the legends write it: `2.6M`.
fn budget_text(budget: f64) -> String {
    axes::compact(budget, axes::magnitude([budget]))
}

/// What the objective is called on an axis.
fn objective_desc(searched: Option<&str>) -> &'static str {
    match searched {
        Some("cvar95") => "CVaR95 of the loss per run (worst 5 %), money",
        _ => "mean loss per run, money",
    }
}

/// `portfolio_frontier`, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FrontierChart {
    caption: String,
    subtitle: String,
    y_desc: &'static str,
    /// Every portfolio evaluated.
    evaluated: Vec<(f64, f64)>,
    /// The greedy path of the largest budget, from no backup.
    path: Vec<(f64, f64)>,
    /// Per budget: the budget, its portfolio's point and its label.
    choices: Vec<(f64, (f64, f64), String)>,
    x_range: (f64, f64),
    y_range: (f64, f64),
}

impl FrontierChart {
    fn of(output: &OptimizeOutput) -> Result<FrontierChart, PlotError> {
        let none = output.portfolios[0];
        let largest = output.choices.last().map(|c| c.budget);
        let path: Vec<(f64, f64)> = std::iter::once(none)
            .chain(
                output
                    .path
                    .iter()
                    .filter(|s| Some(s.0) == largest)
                    .map(|s| (s.1, s.2)),
            )
            .collect();
        let choices: Vec<(f64, (f64, f64), String)> = output
            .choices
            .iter()
            .map(|c| {
                (
                    c.budget,
                    (c.annual_cost, c.objective),
                    short(&format!(
                        "budget {}: {}",
                        budget_text(c.budget),
                        c.portfolio
                    )),
                )
            })
            .collect();
        let xs: Vec<f64> = output
            .portfolios
            .iter()
            .map(|p| p.0)
            .chain(choices.iter().map(|c| c.0))
            .collect();
        let ys: Vec<f64> = output.portfolios.iter().map(|p| p.1).collect();
        drawable(&xs, output, crate::output::layout::PORTFOLIOS.name)?;
        drawable(&ys, output, crate::output::layout::PORTFOLIOS.name)?;
        Ok(FrontierChart {
            caption: format!(
                "{}: the best backup portfolio for each budget",
                output.manifest.name
            ),
            subtitle: format!(
                "{} portfolios evaluated, each on the same {} crises; a run's loss: value \
                 added lost plus activation costs",
                output.portfolios.len(),
                output.runs.first().map_or(0, Vec::len)
            ),
            y_desc: objective_desc(output.choices.first().map(|c| c.searched.as_str())),
            evaluated: output.portfolios.clone(),
            path,
            choices,
            x_range: padded_range(&xs, true, 0.05),
            y_range: padded_range(&ys, false, 0.08),
        })
    }
}

impl Figure for FrontierChart {
    fn name(&self) -> &str {
        "portfolio_frontier"
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn<DB> {
        root.fill(&WHITE)?;
        let mut legend = vec![
            LegendItem {
                swatch: Swatch::Circle(GREY, 4, false),
                label: "a portfolio evaluated".into(),
            },
            LegendItem {
                swatch: Swatch::Line(BLACK, 2),
                label: "greedy path of the largest budget".into(),
            },
        ];
        for (k, (_, _, label)) in self.choices.iter().enumerate() {
            legend.push(LegendItem {
                swatch: Swatch::Square(figure::colour(k), 6, true),
                label: label.clone(),
            });
        }
        let body = figure::header(root, &self.caption, Some(&self.subtitle), &legend)?;
        let mut chart = axes::numeric_axes(
            &body,
            (self.x_range, "annual holding cost, money a year"),
            (self.y_range, self.y_desc),
        )?;
        for (k, (budget, _, _)) in self.choices.iter().enumerate() {
            chart.draw_series(DashedLineSeries::new(
                [(*budget, self.y_range.0), (*budget, self.y_range.1)],
                6,
                5,
                figure::colour(k).stroke_width(1),
            ))?;
        }
        chart.draw_series(
            self.evaluated
                .iter()
                .map(|&p| Circle::new(p, 4, GREY.stroke_width(1))),
        )?;
        chart.draw_series(LineSeries::new(
            self.path.iter().copied(),
            BLACK.stroke_width(2),
        ))?;
        for (k, (_, point, _)) in self.choices.iter().enumerate() {
            let (x, y) = *point;
            chart.draw_series(std::iter::once(
                EmptyElement::at((x, y))
                    + Rectangle::new([(-6, -6), (6, 6)], figure::colour(k).filled()),
            ))?;
        }
        Ok(())
    }
}

/// `loss_distribution`, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DistributionChart {
    caption: String,
    subtitle: String,
    /// Label and stair-step points `(loss, share of runs with a loss at most it)`: no backup
    /// first, then each budget's portfolio.
    lines: Vec<(String, Vec<(f64, f64)>)>,
    x_range: (f64, f64),
}

/// The empirical distribution of `losses` as a stair: `(x, share ≤ x)` at every step.
fn stair(losses: &[f64]) -> Vec<(f64, f64)> {
    let mut sorted = losses.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    let mut points = Vec::with_capacity(2 * sorted.len());
    for (k, &x) in sorted.iter().enumerate() {
        points.push((x, k as f64 / n));
        points.push((x, (k + 1) as f64 / n));
    }
    points
}

impl DistributionChart {
    fn of(output: &OptimizeOutput) -> Result<DistributionChart, PlotError> {
        let first = output.runs.first().cloned().unwrap_or_default();
        let mut lines = vec![(
            "no backup".to_string(),
            stair(&first.iter().map(|r| r.0).collect::<Vec<_>>()),
        )];
        for (choice, runs) in output.choices.iter().zip(&output.runs) {
            lines.push((
                short(&format!(
                    "budget {}: {}",
                    budget_text(choice.budget),
                    choice.portfolio
                )),
                stair(&runs.iter().map(|r| r.1).collect::<Vec<_>>()),
            ));
        }
        let xs: Vec<f64> = lines
            .iter()
            .flat_map(|(_, points)| points.iter().map(|p| p.0))
            .collect();
        drawable(&xs, output, crate::output::layout::CHOICE_RUNS.name)?;
        Ok(DistributionChart {
            caption: format!(
                "{}: loss per run without backup and with each budget's portfolio",
                output.manifest.name
            ),
            subtitle: format!(
                "the same {} crises in every line; a line left of the grey one: losses the \
                 portfolio avoids",
                first.len()
            ),
            lines,
            x_range: padded_range(&xs, false, 0.05),
        })
    }
}

impl Figure for DistributionChart {
    fn name(&self) -> &str {
        "loss_distribution"
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn<DB> {
        root.fill(&WHITE)?;
        let colour = |k: usize| if k == 0 { GREY } else { figure::colour(k - 1) };
        let legend: Vec<LegendItem> = self
            .lines
            .iter()
            .enumerate()
            .map(|(k, (label, _))| LegendItem {
                swatch: Swatch::Line(colour(k), 3),
                label: label.clone(),
            })
            .collect();
        let body = figure::header(root, &self.caption, Some(&self.subtitle), &legend)?;
        let mut chart = axes::numeric_axes(
            &body,
            (
                self.x_range,
                "loss of a run (value added lost plus activation costs), money",
            ),
            ((0.0, 1.0), "share of runs with a loss at most this"),
        )?;
        for (k, (_, points)) in self.lines.iter().enumerate() {
            chart.draw_series(LineSeries::new(
                points.iter().copied(),
                colour(k).stroke_width(3),
            ))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
