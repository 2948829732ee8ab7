//! `frontier_mean` and `frontier_cvar95`: every point's annual holding cost against its
//! expected loss (the mean across runs) or its CVaR95 (the mean of the worst 5 % of runs).
//!
//! A point is efficient when no point of its uncertainty group is as cheap and loses less
//! (as `frontier.csv` marks it): efficient points are large filled dots, joined in cost
//! order by a step line (the frontier) and labelled with their name and lever values;
//! dominated points are small dots. On the mean chart, a point marked `indistinct`
//! (dominated, but its paired run-by-run difference with its dominator has a 95 % interval
//! that covers zero) is a ring: it is beaten by no more than the noise. "No policies"
//! references are squares. Each group has its own colour and frontier.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{self, padded_range};
use super::input::SweepOutput;
use super::labels::{self, Placed};
use crate::plot::ensemble::figure::{self, Drawn, Figure, GREY, LegendItem, Swatch};

/// Radii of the markers, in pixels.
const EFFICIENT_RADIUS: u32 = 7;
const DOMINATED_RADIUS: u32 = 4;
const INDISTINCT_RADIUS: u32 = 6;
const LABEL_SIZE: u32 = 14;

/// Which loss the chart puts on its y axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Risk {
    /// The mean across runs.
    Mean,
    /// The mean of the worst 5 % of runs.
    Cvar95,
}

/// The chart, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FrontierChart {
    risk: Risk,
    caption: String,
    subtitle: String,
    x_desc: String,
    y_desc: String,
    groups: Vec<FrontierGroup>,
    x_range: (f64, f64),
    y_range: (f64, f64),
}

/// One uncertainty group's points.
#[derive(Debug, Clone, PartialEq)]
struct FrontierGroup {
    label: String,
    colour: usize,
    dots: Vec<Dot>,
}

/// One point of `frontier.csv`.
#[derive(Debug, Clone, PartialEq)]
struct Dot {
    name: String,
    /// Name and lever values.
    label: String,
    cost: f64,
    loss: f64,
    efficient: bool,
    /// Drawn as a ring (mean chart only).
    indistinct: bool,
    reference: bool,
}

/// The frontier chart of `risk`, or `None` if no point has both a cost and a loss.
pub(crate) fn frontier_chart(output: &SweepOutput, risk: Risk) -> Option<FrontierChart> {
    let groups_in_order = output.groups();
    let several = groups_in_order.len() > 1;
    let mut groups = Vec::new();
    let (mut costs, mut losses) = (Vec::new(), Vec::new());
    let mut without = 0;
    for (colour, &group) in groups_in_order.iter().enumerate() {
        let mut dots = Vec::new();
        for row in output
            .frontier
            .iter()
            .filter(|r| output.points[r.point].group == group)
        {
            let loss = match risk {
                Risk::Mean => row.mean_loss,
                Risk::Cvar95 => row.cvar95_loss,
            };
            let (Some(cost), Some(loss)) = (row.annual_cost, loss) else {
                without += 1;
                continue;
            };
            costs.push(cost);
            losses.push(loss);
            let point = &output.points[row.point];
            dots.push(Dot {
                name: point.name.clone(),
                label: output.point_label(row.point),
                cost,
                loss,
                efficient: match risk {
                    Risk::Mean => row.efficient_mean,
                    Risk::Cvar95 => row.efficient_cvar95,
                },
                indistinct: risk == Risk::Mean && row.indistinct,
                reference: point.reference,
            });
        }
        if !dots.is_empty() {
            let label = match output.group_label(group) {
                label if !several => label,
                label if label.is_empty() => format!("group {group}"),
                label => label,
            };
            groups.push(FrontierGroup {
                label,
                colour,
                dots,
            });
        }
    }
    if groups.is_empty() {
        return None;
    }
    let loss_desc = axes::metric_desc(&output.loss_metric, output.unit_of(&output.loss_metric));
    let runs = output
        .manifest
        .run_count
        .map_or("the runs".into(), |runs| format!("{runs} runs"));
    let (what, y_desc, caption_what) = match risk {
        Risk::Mean => (
            format!("expected loss: mean of {runs}"),
            format!("mean {loss_desc}"),
            "expected loss",
        ),
        Risk::Cvar95 => (
            format!("CVaR95: mean loss in the worst 5 % of {runs}"),
            format!("CVaR95 of {loss_desc}"),
            "tail loss (CVaR95)",
        ),
    };
    let mut subtitle = format!(
        "{what}; frontier: no point of the {} is as cheap and loses less",
        if several { "same group" } else { "sweep" }
    );
    if without > 0 {
        subtitle.push_str(&format!("; {without} without a value left out"));
    }
    Some(FrontierChart {
        risk,
        caption: format!(
            "{}: annual cost against {caption_what}",
            output.manifest.name
        ),
        subtitle,
        x_desc: format!("annual holding cost, {} per year", output.money_unit()),
        y_desc,
        groups,
        x_range: padded_range(&costs, true, 0.06),
        y_range: padded_range(&losses, false, 0.1),
    })
}

impl FrontierChart {
    /// The legend: a frontier line per group, then the markers that occur.
    fn legend(&self) -> Vec<LegendItem> {
        let mut legend: Vec<LegendItem> = self
            .groups
            .iter()
            .map(|group| LegendItem {
                swatch: Swatch::Line(figure::colour(group.colour), 2),
                label: if self.groups.len() > 1 {
                    format!("{}: frontier", group.label)
                } else {
                    "frontier (efficient points in cost order)".into()
                },
            })
            .collect();
        let dots = || self.groups.iter().flat_map(|g| &g.dots);
        let mut add = |present: bool, swatch: Swatch, label: &str| {
            if present {
                legend.push(LegendItem {
                    swatch,
                    label: label.into(),
                });
            }
        };
        add(
            dots().any(|d| d.efficient),
            Swatch::Circle(GREY, EFFICIENT_RADIUS, true),
            "efficient (labelled)",
        );
        add(
            dots().any(|d| !d.efficient && !d.indistinct),
            Swatch::Circle(GREY, DOMINATED_RADIUS, true),
            "dominated",
        );
        add(
            dots().any(|d| d.indistinct),
            Swatch::Circle(GREY, INDISTINCT_RADIUS, false),
            "indistinct: dominated by no more than the noise",
        );
        add(
            dots().any(|d| d.reference),
            Swatch::Square(GREY, 5, true),
            "no policies",
        );
        legend
    }

    /// The frontier of `group` as a step line: from each efficient point right to the next
    /// one's cost, then down to its loss.
    fn steps(group: &FrontierGroup) -> Vec<(f64, f64)> {
        let mut efficient: Vec<(f64, f64)> = group
            .dots
            .iter()
            .filter(|d| d.efficient)
            .map(|d| (d.cost, d.loss))
            .collect();
        efficient.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.total_cmp(&a.1)));
        let mut steps = Vec::with_capacity(2 * efficient.len());
        for (index, &(cost, loss)) in efficient.iter().enumerate() {
            if index > 0 {
                steps.push((cost, efficient[index - 1].1));
            }
            steps.push((cost, loss));
        }
        steps
    }
}

impl Figure for FrontierChart {
    fn name(&self) -> &str {
        match self.risk {
            Risk::Mean => "frontier_mean",
            Risk::Cvar95 => "frontier_cvar95",
        }
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn<DB> {
        root.fill(&WHITE)?;
        let body = figure::header(root, &self.caption, Some(&self.subtitle), &self.legend())?;
        let mut chart = axes::numeric_axes(
            &body,
            (self.x_range, &self.x_desc),
            (self.y_range, &self.y_desc),
        )?;
        for group in &self.groups {
            let steps = Self::steps(group);
            chart.draw_series(LineSeries::new(
                steps,
                figure::colour(group.colour).stroke_width(2),
            ))?;
        }
        // Dominated points first, so that no efficient point is hidden under one.
        let mut order: Vec<(&FrontierGroup, &Dot)> = self
            .groups
            .iter()
            .flat_map(|g| g.dots.iter().map(move |d| (g, d)))
            .collect();
        order.sort_by_key(|(_, dot)| dot.efficient);
        for (group, dot) in &order {
            let colour = figure::colour(group.colour);
            let (radius, filled, colour) = if dot.efficient {
                (EFFICIENT_RADIUS, true, colour.to_rgba())
            } else if dot.indistinct {
                (INDISTINCT_RADIUS, false, colour.to_rgba())
            } else {
                (DOMINATED_RADIUS, true, colour.mix(0.6))
            };
            let centre = chart.backend_coord(&(dot.cost, dot.loss));
            let style = if filled {
                colour.filled()
            } else {
                colour.stroke_width(2)
            };
            if dot.reference {
                let half = radius as i32;
                root.draw(&Rectangle::new(
                    [
                        (centre.0 - half, centre.1 - half),
                        (centre.0 + half, centre.1 + half),
                    ],
                    style,
                ))?;
            } else {
                root.draw(&Circle::new(centre, radius, style))?;
            }
        }
        self.draw_labels(root, &chart)
    }
}

impl FrontierChart {
    /// The efficient points' labels, placed where they cover nothing, and a note of those
    /// left out.
    fn draw_labels<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &axes::Chart<'_, DB>,
    ) -> Drawn<DB> {
        let dots: Vec<&Dot> = self.groups.iter().flat_map(|g| &g.dots).collect();
        let pixels: Vec<(i32, i32)> = dots
            .iter()
            .map(|d| chart.backend_coord(&(d.cost, d.loss)))
            .collect();
        let mut wanted: Vec<(usize, String)> = dots
            .iter()
            .enumerate()
            .filter(|(_, d)| d.efficient)
            .map(|(index, d)| (index, d.label.clone()))
            .collect();
        // Cheapest first: the frontier reads from left to right.
        wanted.sort_by(|a, b| dots[a.0].cost.total_cmp(&dots[b.0].cost));
        let (x_pixels, y_pixels) = chart.plotting_area().get_pixel_range();
        let area = (x_pixels.start, y_pixels.start, x_pixels.end, y_pixels.end);
        let style = figure::font(LABEL_SIZE);
        // The step lines are axis-parallel: a box around each piece is the piece.
        let mut lines = Vec::new();
        for group in &self.groups {
            let steps: Vec<(i32, i32)> = Self::steps(group)
                .iter()
                .map(|point| chart.backend_coord(point))
                .collect();
            for piece in steps.windows(2) {
                lines.push(labels::segment_box(piece[0], piece[1], 2));
            }
        }
        let (placed, left_out) = labels::place(root, &style, (&pixels, &lines), &wanted, area)?;
        for Placed {
            text,
            corner,
            point,
            leader,
        } in &placed
        {
            if *leader {
                let width = figure::text_width(root, text, &style)?;
                let bounds = (
                    corner.0,
                    corner.1,
                    corner.0 + width,
                    corner.1 + LABEL_SIZE as i32,
                );
                root.draw(&PathElement::new(
                    [*point, labels::leader_end(bounds, *point)],
                    GREY.mix(0.7).stroke_width(1),
                ))?;
            }
            root.draw(&Text::new(
                text.clone(),
                *corner,
                style.pos(Pos::new(HPos::Left, VPos::Top)),
            ))?;
        }
        if left_out > 0 {
            root.draw(&Text::new(
                format!(
                    "{left_out} labels left out for want of room: see the table in report.html"
                ),
                (area.2 - 6, area.3 - 6),
                figure::font(13)
                    .color(&GREY)
                    .pos(Pos::new(HPos::Right, VPos::Bottom)),
            ))?;
        }
        Ok(())
    }
}

/// The names of the points drawn as efficient (tests).
#[cfg(test)]
pub(super) fn efficient_names(chart: &FrontierChart) -> Vec<&str> {
    chart
        .groups
        .iter()
        .flat_map(|g| &g.dots)
        .filter(|d| d.efficient)
        .map(|d| d.name.as_str())
        .collect()
}

/// The names of the points drawn as rings (tests).
#[cfg(test)]
pub(super) fn indistinct_names(chart: &FrontierChart) -> Vec<&str> {
    chart
        .groups
        .iter()
        .flat_map(|g| &g.dots)
        .filter(|d| d.indistinct)
        .map(|d| d.name.as_str())
        .collect()
}
