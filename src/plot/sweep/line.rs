//! `sweep_<metric>` for a sweep of one parameter: the mean of the metric across runs at each
//! point against the parameter, with its 95 % confidence band (mean ± 1.96 × standard
//! error), a line per uncertainty group, and each group's "no policies" mean as a dashed
//! line.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{self, padded_range};
use super::design::{Series, number};
use super::input::SweepOutput;
use crate::plot::ensemble::figure::{self, BAND_OPACITY, Drawn, Figure, LegendItem, Swatch};

/// Two-sided 95 % quantile of the normal distribution.
const Z95: f64 = 1.96;

/// The chart, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SweepLine {
    name: String,
    caption: String,
    subtitle: String,
    x_desc: String,
    y_desc: String,
    lines: Vec<Line>,
    x_range: (f64, f64),
    y_range: (f64, f64),
}

/// One series: its points and its reference level.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    label: String,
    colour: usize,
    /// In increasing parameter order.
    points: Vec<LinePoint>,
    /// The mean of its "no policies" reference.
    reference: Option<f64>,
}

/// One point of a line.
#[derive(Debug, Clone, Copy, PartialEq)]
struct LinePoint {
    /// The parameter's value.
    x: f64,
    /// The metric's mean across runs.
    mean: f64,
    /// The 95 % confidence interval of the mean, with two runs or more.
    band: Option<(f64, f64)>,
}

/// The line chart of `metric` against parameter `axis`, or `None` if no point has a mean.
pub(crate) fn sweep_line(
    output: &SweepOutput,
    metric: &str,
    axis: usize,
    series: &[Series],
) -> Option<SweepLine> {
    let mut lines = Vec::new();
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for (colour, members) in series.iter().enumerate() {
        let mut points: Vec<LinePoint> = members
            .points
            .iter()
            .filter_map(|&point| {
                let x = number(&output.points[point].values[axis])?;
                let statistic = output.statistic(point, metric)?;
                let mean = statistic.mean?;
                let band = statistic
                    .std_error
                    .filter(|_| statistic.n >= 2)
                    .map(|error| (mean - Z95 * error, mean + Z95 * error));
                Some(LinePoint { x, mean, band })
            })
            .collect();
        points.sort_by(|a, b| a.x.total_cmp(&b.x));
        let reference = members
            .reference
            .and_then(|reference| output.statistic(reference, metric)?.mean);
        for &LinePoint { x, mean, band } in &points {
            xs.push(x);
            ys.push(mean);
            ys.extend(band.map_or([mean, mean], |(low, high)| [low, high]));
        }
        ys.extend(reference);
        if !points.is_empty() {
            lines.push(Line {
                label: members.label.clone(),
                colour,
                points,
                reference,
            });
        }
    }
    if lines.is_empty() {
        return None;
    }
    let parameter = &output.parameters[axis];
    let runs = output
        .manifest
        .run_count
        .map_or(String::new(), |runs| format!(" of {runs} runs"));
    Some(SweepLine {
        name: axes::file_stem("sweep", metric),
        caption: format!(
            "{}: {metric} against {}, mean{runs} per point",
            output.manifest.name, parameter.short
        ),
        subtitle: format!(
            "line: mean across runs; band: mean ± 1.96 × standard error (95 % confidence for \
             the mean){}",
            if lines.iter().any(|line| line.reference.is_some()) {
                "; dashed: the mean without any policy"
            } else {
                ""
            }
        ),
        x_desc: format!("{} ({})", parameter.path, parameter.role.name()),
        y_desc: axes::metric_desc(metric, output.unit_of(metric)),
        lines,
        x_range: padded_range(&xs, false, 0.04),
        y_range: padded_range(&ys, false, 0.08),
    })
}

impl Figure for SweepLine {
    fn name(&self) -> &str {
        &self.name
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn<DB> {
        root.fill(&WHITE)?;
        let mut legend = Vec::new();
        for line in &self.lines {
            let colour = figure::colour(line.colour);
            legend.push(LegendItem {
                swatch: Swatch::Band(colour),
                label: if line.label.is_empty() {
                    "mean and 95 % band".into()
                } else {
                    line.label.clone()
                },
            });
            if line.reference.is_some() {
                legend.push(LegendItem {
                    swatch: Swatch::Dashed(colour),
                    label: if line.label.is_empty() {
                        "no policies".into()
                    } else {
                        format!("no policies, {}", line.label)
                    },
                });
            }
        }
        let body = figure::header(root, &self.caption, Some(&self.subtitle), &legend)?;
        let mut chart = axes::numeric_axes(
            &body,
            (self.x_range, &self.x_desc),
            (self.y_range, &self.y_desc),
        )?;
        for line in &self.lines {
            let colour = figure::colour(line.colour);
            let band: Vec<(f64, f64, f64)> = line
                .points
                .iter()
                .filter_map(|p| p.band.map(|(low, high)| (p.x, low, high)))
                .collect();
            if band.len() >= 2 {
                let outline: Vec<(f64, f64)> = band
                    .iter()
                    .map(|&(x, low, _)| (x, low))
                    .chain(band.iter().rev().map(|&(x, _, high)| (x, high)))
                    .collect();
                chart.draw_series(std::iter::once(Polygon::new(
                    outline,
                    colour.mix(BAND_OPACITY).filled(),
                )))?;
            }
            for &(x, low, high) in &band {
                chart.draw_series(std::iter::once(PathElement::new(
                    [(x, low), (x, high)],
                    colour.mix(0.6).stroke_width(2),
                )))?;
            }
            if let Some(level) = line.reference {
                chart.draw_series(DashedLineSeries::new(
                    [(self.x_range.0, level), (self.x_range.1, level)],
                    8,
                    6,
                    colour.stroke_width(2),
                ))?;
            }
        }
        for line in &self.lines {
            let style = figure::colour(line.colour).stroke_width(3);
            let means = line.points.iter().map(|p| (p.x, p.mean));
            chart.draw_series(LineSeries::new(means.clone(), style))?;
            chart.draw_series(means.map(|point| Circle::new(point, 5, style.filled())))?;
        }
        Ok(())
    }
}

/// Per line: its label and its points as `(x, mean)` (tests).
#[cfg(test)]
pub(super) fn means(chart: &SweepLine) -> Vec<(String, Vec<(f64, f64)>)> {
    chart
        .lines
        .iter()
        .map(|line| {
            let points = line.points.iter().map(|p| (p.x, p.mean)).collect();
            (line.label.clone(), points)
        })
        .collect()
}
