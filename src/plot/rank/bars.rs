//! `critical_outages` and `critical_cutoffs`: the largest losses of one kind as horizontal
//! bars, rank 1 at the top, each split into its direct part (solid) and the part that spread
//! through the network (a lighter shade), with the target's places by the structural
//! measures at the bar's end.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::input::{Kind, Loss, RankOutput, Ranked};
use super::{LOSS_DESC, drawable, industry_label, percent};
use crate::output::layout::RANKING;
use crate::plot::PlotError;
use crate::plot::ensemble::figure::{self, Drawn, Figure, GREY, LABEL_SIZE, LegendItem, Swatch};
use crate::plot::render::{SIZE, tick_label};
use crate::plot::series::Scale;
use crate::plot::sweep::axes::padded_range;

/// Bars drawn at most.
pub(crate) const TOP: usize = 15;

/// The chart of one kind, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CriticalChart {
    name: &'static str,
    caption: String,
    subtitle: String,
    colour: RGBColor,
    /// What the direct part is, for the legend.
    direct_label: &'static str,
    /// In rank order: the first at the top.
    bars: Vec<Bar>,
    x_range: (f64, f64),
}

/// One target's bar.
#[derive(Debug, Clone, PartialEq)]
struct Bar {
    /// "region · sector".
    label: String,
    /// The whole loss, days of national value added.
    total: f64,
    split: Split,
    /// The text at the bar's end: its structural places.
    note: String,
}

/// How a bar is split.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Split {
    /// The direct and the indirect part, both at least 0; they add up to the total.
    Parts { direct: f64, indirect: f64 },
    /// The indirect part is negative (the network made up part of the direct loss): the
    /// total only.
    NegativeIndirect,
    /// The direct part is not known: the total only.
    Unknown,
}

impl Split {
    fn of(loss: &Loss) -> Split {
        match (loss.direct, loss.indirect) {
            (Some(direct), Some(indirect)) if direct >= 0.0 && indirect >= 0.0 => {
                Split::Parts { direct, indirect }
            }
            (Some(_), Some(_)) => Split::NegativeIndirect,
            _ => Split::Unknown,
        }
    }
}

/// A shade of `colour` nearer white by `share` (0: the colour, 1: white).
fn lighter(colour: RGBColor, share: f64) -> RGBColor {
    let mix = |c: u8| (f64::from(c) + (255.0 - f64::from(c)) * share).round() as u8;
    RGBColor(mix(colour.0), mix(colour.1), mix(colour.2))
}

/// Shade of the indirect part.
const INDIRECT_SHADE: f64 = 0.6;
/// Shade of a bar drawn as its total only.
const TOTAL_SHADE: f64 = 0.3;

/// The chart of the largest losses of `kind`, `None` if no target of that kind has a
/// simulated loss, or an error if a loss is too large to draw.
pub(crate) fn critical(
    output: &RankOutput,
    kind: Kind,
) -> Result<Option<CriticalChart>, PlotError> {
    let all: Vec<&Ranked> = output.of_kind(kind).collect();
    let bars: Vec<Bar> = all
        .iter()
        .filter_map(|row| {
            let total = row.loss.total?;
            let split = Split::of(&row.loss);
            let ranks = row.structural_ranks;
            let mut note = format!(
                "reach #{} \u{b7} strength #{} \u{b7} sole #{}",
                ranks.reach, ranks.out_strength, ranks.sole_source_va
            );
            if split == Split::NegativeIndirect {
                note.push_str(" \u{b7} indirect < 0");
            }
            Some(Bar {
                label: industry_label(&row.region, &row.sector),
                total,
                split,
                note,
            })
        })
        .take(TOP)
        .collect();
    if bars.is_empty() {
        return Ok(None);
    }
    for bar in &bars {
        drawable(bar.total, &bar.label, &output.dir.join(RANKING.name))?;
    }
    let scenario = &output.manifest.name;
    let (name, caption, what, direct_label, colour) = match kind {
        Kind::Outage => {
            let first = all[0].magnitude;
            let standard = if all.iter().all(|row| row.magnitude == first) {
                format!("a standard outage at {} of capacity", percent(first))
            } else {
                "a standard outage".to_string()
            };
            (
                "critical_outages",
                format!(
                    "{scenario}: critical industries \u{2014} national value-added loss of \
                     {standard}"
                ),
                "outages",
                "direct: the capacity removed",
                figure::colour(0),
            )
        }
        Kind::Cutoff => (
            "critical_cutoffs",
            format!(
                "{scenario}: critical imports \u{2014} national value-added loss if a foreign \
                 block \u{d7} sector stops selling to domestic firms"
            ),
            "cut-offs",
            "direct: the inputs not received",
            figure::colour(1),
        ),
    };
    let shown = if bars.len() == all.len() {
        format!("all {} {what}", all.len())
    } else {
        format!("the {} largest of {} {what}", bars.len(), all.len())
    };
    let ends: Vec<f64> = bars.iter().map(|bar| bar.total).collect();
    Ok(Some(CriticalChart {
        name,
        caption,
        subtitle: format!(
            "{shown}; beside each bar, its place among all {} by reach, out-strength and \
             sole-source value added (sole)",
            all.len()
        ),
        colour,
        direct_label,
        bars,
        x_range: padded_range(&ends, true, 0.03),
    }))
}

impl Figure for CriticalChart {
    fn name(&self) -> &str {
        self.name
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn<DB> {
        root.fill(&WHITE)?;
        let split = self
            .bars
            .iter()
            .any(|bar| matches!(bar.split, Split::Parts { .. }));
        let whole = self
            .bars
            .iter()
            .any(|bar| !matches!(bar.split, Split::Parts { .. }));
        let mut legend = Vec::new();
        if split {
            legend.push(LegendItem {
                swatch: Swatch::Square(self.colour, 7, true),
                label: self.direct_label.into(),
            });
            legend.push(LegendItem {
                swatch: Swatch::Square(lighter(self.colour, INDIRECT_SHADE), 7, true),
                label: "indirect: spread through the network".into(),
            });
        }
        if whole {
            legend.push(LegendItem {
                swatch: Swatch::Square(lighter(self.colour, TOTAL_SHADE), 7, true),
                label: "total, not split".into(),
            });
        }
        let body = figure::header(root, &self.caption, Some(&self.subtitle), &legend)?;
        let label_style = figure::font(LABEL_SIZE);
        let note_style = figure::font(LABEL_SIZE).color(&GREY);
        let mut label_width = 0;
        for bar in &self.bars {
            label_width = label_width.max(figure::text_width(root, &bar.label, &label_style)?);
        }
        let label_width = label_width.min(SIZE.0 as i32 / 3) + 20;
        // Room right of each bar for its note: the plotting area is the width less the
        // margins (15 and 30) and the labels, and a bar ending at `end` takes
        // `(end − low) / (high − low)` of it.
        let plot_width = f64::from(SIZE.0 as i32 - 45 - label_width);
        let (low, mut high) = self.x_range;
        for bar in &self.bars {
            let note = f64::from(figure::text_width(root, &bar.note, &note_style)?);
            let room = (plot_width - note - 16.0).max(plot_width / 3.0);
            high = high.max(low + (bar.total.max(0.0) - low) * plot_width / room);
        }
        let count = self.bars.len() as f64;
        let mut chart = ChartBuilder::on(&body)
            .margin(15)
            .margin_top(5)
            .margin_right(30)
            .x_label_area_size(55)
            .y_label_area_size(label_width)
            .build_cartesian_2d(low..high, 0.0..count)?;
        let x_label = tick_label(Scale::Money, (low, high));
        chart
            .configure_mesh()
            .x_desc(LOSS_DESC)
            .axis_desc_style(figure::font(figure::AXIS_DESC_SIZE))
            .label_style(figure::font(LABEL_SIZE))
            .x_labels(10)
            .x_label_formatter(&|value| x_label(*value))
            .y_labels(0)
            .disable_y_mesh()
            .bold_line_style(BLACK.mix(0.1))
            .light_line_style(TRANSPARENT)
            .draw()?;
        chart.draw_series(std::iter::once(PathElement::new(
            [(0.0, 0.0), (0.0, count)],
            BLACK.stroke_width(1),
        )))?;
        for (index, bar) in self.bars.iter().enumerate() {
            // The first rank at the top.
            let centre = count - index as f64 - 0.5;
            let (bottom, top) = (centre - 0.32, centre + 0.32);
            let parts = match bar.split {
                Split::Parts { direct, indirect } => vec![
                    (0.0, direct, self.colour),
                    (
                        direct,
                        direct + indirect,
                        lighter(self.colour, INDIRECT_SHADE),
                    ),
                ],
                Split::NegativeIndirect | Split::Unknown => {
                    vec![(0.0, bar.total, lighter(self.colour, TOTAL_SHADE))]
                }
            };
            for (from, to, colour) in parts {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(from, bottom), (to, top)],
                    colour.filled(),
                )))?;
            }
            if !matches!(bar.split, Split::Parts { .. }) {
                // Outlined, to tell it from a direct part.
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(0.0, bottom), (bar.total, top)],
                    self.colour.stroke_width(2),
                )))?;
            }
            let (x, y) = chart.backend_coord(&(low, centre));
            let text = figure::fit_middle(root, &bar.label, &label_style, label_width - 20)?;
            root.draw(&Text::new(
                text,
                (x - 10, y),
                label_style.pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
            let (end, _) = chart.backend_coord(&(bar.total.max(0.0), centre));
            root.draw(&Text::new(
                bar.note.clone(),
                (end + 8, y),
                note_style.pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        Ok(())
    }
}

/// Per bar: its label, total, split and note (tests).
#[cfg(test)]
pub(super) fn bars(chart: &CriticalChart) -> Vec<(&str, f64, Split, &str)> {
    chart
        .bars
        .iter()
        .map(|bar| (bar.label.as_str(), bar.total, bar.split, bar.note.as_str()))
        .collect()
}

/// The caption and subtitle (tests).
#[cfg(test)]
pub(super) fn titles(chart: &CriticalChart) -> (&str, &str) {
    (&chart.caption, &chart.subtitle)
}
