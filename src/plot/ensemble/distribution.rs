//! Per-run charts from `runs.csv`: per variant, one metric of every run as dots, over a box
//! from the 25 % to the 75 % quantile with whiskers from 5 % to 95 %, the median as a thick
//! line and the mean as a diamond.
//!
//! - `loss_distribution`: the value-added loss of every variant; thin grey lines join the
//!   dots of the same run (the same drawn crisis) in neighbouring variants, so that a policy
//!   that helps in every run shows as lines that all fall, even where the boxes overlap;
//! - `loss_avoided`: the loss each run avoids against "no policies" in the same run (paired),
//!   in money when `runs.csv` has it, for every variant that has the metric.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::figure::{
    self, AXIS_DESC_SIZE, BAND_OPACITY, Drawn, Figure, GREY, LABEL_SIZE, LegendItem, Swatch,
};
use super::input::{Ensemble, NO_POLICIES, RunRow};
use crate::metrics::stats::quantile;
use crate::plot::PlotError;
use crate::plot::render::{SIZE, tick_label};
use crate::plot::series::Scale;

/// Half the width of a box, in variant slots.
const BOX_HALF_WIDTH: f64 = 0.2;
/// Dots spread over this much either side of the centre of a slot.
const JITTER_HALF_WIDTH: f64 = 0.17;
/// At most this many lines of a variant name under its slot.
const MAX_LABEL_LINES: usize = 2;
const LABEL_LINE_HEIGHT: i32 = 19;
const MARGIN: i32 = 15;
const MARGIN_RIGHT: i32 = 30;
const Y_LABEL_AREA: i32 = 95;

/// The distribution chart, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Distribution {
    name: &'static str,
    caption: String,
    subtitle: Option<String>,
    y_desc: String,
    scale: Scale,
    /// Join the dots of the same run in neighbouring groups.
    paired_lines: bool,
    groups: Vec<Group>,
    y_range: (f64, f64),
}

/// One variant's runs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Group {
    label: String,
    colour: usize,
    /// The run numbers of `values`.
    runs: Vec<f64>,
    /// The value of each run with a value, in file order.
    values: Vec<f64>,
    /// `None` without values.
    stats: Option<BoxStats>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct BoxStats {
    p05: f64,
    p25: f64,
    p50: f64,
    p75: f64,
    p95: f64,
    mean: f64,
}

impl BoxStats {
    /// Type 7 quantiles, as `summary.csv` has them.
    fn of(values: &[f64]) -> Option<BoxStats> {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        Some(BoxStats {
            p05: quantile(&sorted, 0.05)?,
            p25: quantile(&sorted, 0.25)?,
            p50: quantile(&sorted, 0.5)?,
            p75: quantile(&sorted, 0.75)?,
            p95: quantile(&sorted, 0.95)?,
            mean,
        })
        .filter(|_| mean.is_finite())
    }
}

/// The group of `variant`: its runs' values of `metric`.
fn group(ensemble: &Ensemble, variant: usize, metric: fn(&RunRow) -> Option<f64>) -> Group {
    let (runs, values): (Vec<f64>, Vec<f64>) = ensemble
        .runs
        .iter()
        .filter(|run| run.variant == variant)
        .filter_map(|run| Some((run.run, metric(run)?)))
        .unzip();
    Group {
        label: ensemble.variants[variant].clone(),
        colour: variant,
        stats: BoxStats::of(&values),
        runs,
        values,
    }
}

/// The distribution of `va_loss_pct` over the runs of every variant.
pub(crate) fn loss_distribution(ensemble: &Ensemble) -> Result<Distribution, PlotError> {
    let runs_csv = ensemble.dir.join("runs.csv");
    if ensemble.variants.is_empty() {
        return Err(PlotError::Data {
            path: runs_csv,
            message: "no variants, so no loss to show".into(),
        });
    }
    let groups: Vec<Group> = (0..ensemble.variants.len())
        .map(|index| group(ensemble, index, |run| run.va_loss_pct))
        .collect();
    let paired_lines = groups.len() > 1;
    let mut subtitle = paired_lines
        .then(|| "grey lines join the same run (the same crisis) in neighbouring variants".into());
    if let Some(warning) = ensemble.few_runs_warning() {
        let warning = warning.replace("band", "whisker span");
        subtitle = Some(match subtitle {
            Some(text) => format!("{warning}; {text}"),
            None => warning,
        });
    }
    let y_range = value_range(&groups, &runs_csv, "value-added losses")?;
    Ok(Distribution {
        name: "loss_distribution",
        caption: format!(
            "{}: value-added loss per run, by variant{}",
            ensemble.manifest.name,
            ensemble
                .manifest
                .run_count
                .map_or(String::new(), |runs| format!(" ({runs} runs)"))
        ),
        subtitle,
        y_desc: "value-added loss, % of annual baseline".into(),
        scale: Scale::Percent,
        paired_lines,
        groups,
        y_range,
    })
}

/// The loss each run avoids against "no policies" in the same run, per variant that has the
/// metric: in money if `runs.csv` has `loss_avoided_money`, else in days of baseline value
/// added; `None` if no variant has a value.
pub(crate) fn loss_avoided(ensemble: &Ensemble) -> Result<Option<Distribution>, PlotError> {
    let runs_csv = ensemble.dir.join("runs.csv");
    let in_money = ensemble
        .runs
        .iter()
        .any(|run| run.loss_avoided_money.is_some());
    let metric: fn(&RunRow) -> Option<f64> = if in_money {
        |run| run.loss_avoided_money
    } else {
        |run| run.loss_avoided
    };
    let groups: Vec<Group> = (0..ensemble.variants.len())
        .map(|index| group(ensemble, index, metric))
        .filter(|group| !group.values.is_empty())
        .collect();
    if groups.is_empty() {
        return Ok(None);
    }
    let mut subtitle = format!(
        "one dot per run: the loss of \"{NO_POLICIES}\" minus the variant's, same crisis; \
         above 0: the policies avoid loss"
    );
    if let Some(warning) = ensemble.few_runs_warning() {
        subtitle = format!("{}; {subtitle}", warning.replace("band", "whisker span"));
    }
    let (y_desc, scale) = if in_money {
        (
            format!("loss avoided, {}", ensemble.money_unit()),
            Scale::Money,
        )
    } else {
        // plain numbers: the percent scale has no suffix
        (
            "loss avoided, days of baseline value added".into(),
            Scale::Percent,
        )
    };
    let y_range = value_range(&groups, &runs_csv, "losses avoided")?;
    Ok(Some(Distribution {
        name: "loss_avoided",
        caption: format!(
            "{}: loss avoided per run against {NO_POLICIES}, paired{}",
            ensemble.manifest.name,
            ensemble
                .manifest
                .run_count
                .map_or(String::new(), |runs| format!(" ({runs} runs)"))
        ),
        subtitle: Some(subtitle),
        y_desc,
        scale,
        paired_lines: false,
        groups,
        y_range,
    }))
}

/// From 0 (or below the least value) to above the largest value.
fn value_range(
    groups: &[Group],
    path: &std::path::Path,
    what: &str,
) -> Result<(f64, f64), PlotError> {
    let values = groups.iter().flat_map(|group| group.values.iter().copied());
    let (min, max) = values.fold((0.0_f64, 0.0_f64), |(low, high), v| {
        (low.min(v), high.max(v))
    });
    let low = if min < 0.0 {
        min - 0.05 * (max - min)
    } else {
        0.0
    };
    let high = max + 0.05 * (max - low);
    let y_range = if high > low {
        (low, high)
    } else {
        (low, low + 1.0)
    };
    if !(y_range.0.is_finite() && y_range.1.is_finite() && y_range.0 < y_range.1) {
        return Err(PlotError::Data {
            path: path.to_path_buf(),
            message: format!("{what} are out of the drawable range"),
        });
    }
    Ok(y_range)
}

/// Where the dot of run `run` goes, relative to the slot centre: spread evenly by the golden
/// ratio, so that a run lands in the same place in every slot.
fn jitter(run: f64) -> f64 {
    let spread = ((run + 0.5) * 0.618_033_988_749_895).fract();
    (2.0 * spread - 1.0) * JITTER_HALF_WIDTH
}

impl Figure for Distribution {
    fn name(&self) -> &'static str {
        self.name
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn<DB> {
        root.fill(&WHITE)?;
        let legend = [
            (Swatch::Box(GREY), "25–75 % of runs"),
            (Swatch::Line(BLACK, 1), "whiskers: 5–95 %"),
            (Swatch::Line(BLACK, 4), "median"),
            (Swatch::Diamond, "mean"),
            (Swatch::Dot(GREY), "one run"),
        ]
        .map(|(swatch, label)| LegendItem {
            swatch,
            label: label.into(),
        });
        let body = figure::header(root, &self.caption, self.subtitle.as_deref(), &legend)?;
        let slots = self.groups.len();
        let (low, high) = self.y_range;
        // The plotting area is the width less the margins and the y label area.
        let slot_width = (SIZE.0 as i32 - MARGIN - MARGIN_RIGHT - Y_LABEL_AREA) / slots as i32;
        let name_style = figure::font(LABEL_SIZE);
        let mut labels = Vec::with_capacity(slots);
        for group in &self.groups {
            let lines = figure::wrap(
                root,
                &group.label,
                &name_style,
                (slot_width - 10).max(1),
                MAX_LABEL_LINES,
            )?;
            labels.push(lines.unwrap_or_default());
        }
        let label_lines = labels.iter().map(Vec::len).max().unwrap_or(1) as i32;
        let label_area = 14 + LABEL_LINE_HEIGHT * (label_lines + 1) + 30;
        let mut chart = ChartBuilder::on(&body)
            .margin(MARGIN)
            .margin_top(5)
            .margin_right(MARGIN_RIGHT)
            .x_label_area_size(label_area)
            .y_label_area_size(Y_LABEL_AREA)
            .build_cartesian_2d(-0.5..slots as f64 - 0.5, low..high)?;
        let y_label = tick_label(self.scale, self.y_range);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .x_desc("variant")
            .y_desc(self.y_desc.as_str())
            .axis_desc_style(figure::font(AXIS_DESC_SIZE))
            .label_style(figure::font(LABEL_SIZE))
            .y_labels(10)
            .y_label_formatter(&|value| y_label(*value))
            .bold_line_style(BLACK.mix(0.1))
            .light_line_style(TRANSPARENT)
            .draw()?;
        if low < 0.0 {
            chart.draw_series(LineSeries::new(
                [(-0.5, 0.0), (slots as f64 - 0.5, 0.0)],
                GREY.stroke_width(1),
            ))?;
        }

        if self.paired_lines {
            // Under everything else: the same run in neighbouring variants.
            for (slot, pair) in self.groups.windows(2).enumerate() {
                let [left, right] = pair else { continue };
                for (run, value) in left.runs.iter().zip(&left.values) {
                    let Some(k) = right.runs.iter().position(|r| r == run) else {
                        continue;
                    };
                    chart.draw_series(std::iter::once(PathElement::new(
                        [
                            (slot as f64 + jitter(*run), *value),
                            (slot as f64 + 1.0 + jitter(*run), right.values[k]),
                        ],
                        GREY.mix(0.3).stroke_width(1),
                    )))?;
                }
            }
        }
        let count_style = figure::font(13).color(&GREY);
        for (slot, (group, lines)) in self.groups.iter().zip(&labels).enumerate() {
            let centre = slot as f64;
            let colour = figure::colour(group.colour);
            let (label_x, axis_y) = chart.backend_coord(&(centre, low));
            let mut y = axis_y + 10;
            for line in lines {
                root.draw(&Text::new(
                    line.clone(),
                    (label_x, y),
                    name_style.pos(Pos::new(HPos::Center, VPos::Top)),
                ))?;
                y += LABEL_LINE_HEIGHT;
            }
            let count = figure::fit(
                root,
                &format!("n = {}", group.values.len()),
                &count_style,
                (slot_width - 6).max(1),
            )?;
            root.draw(&Text::new(
                count,
                (label_x, y),
                count_style.pos(Pos::new(HPos::Center, VPos::Top)),
            ))?;

            let Some(stats) = group.stats else {
                chart.draw_series(std::iter::once(Text::new(
                    "no values",
                    (centre, 0.5 * (low + high)),
                    figure::font(LABEL_SIZE)
                        .color(&GREY)
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                )))?;
                continue;
            };
            let (left, right) = (centre - BOX_HALF_WIDTH, centre + BOX_HALF_WIDTH);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(left, stats.p25), (right, stats.p75)],
                colour.mix(BAND_OPACITY).filled(),
            )))?;
            // Dots over the box, under the whiskers, median and mean that summarise them.
            let dot_radius = if group.values.len() > 200 { 2 } else { 3 };
            chart.draw_series(group.runs.iter().zip(&group.values).map(|(&run, &value)| {
                Circle::new(
                    (centre + jitter(run), value),
                    dot_radius,
                    colour.mix(0.55).filled(),
                )
            }))?;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(left, stats.p25), (right, stats.p75)],
                colour.stroke_width(2),
            )))?;
            let cap = 0.4 * BOX_HALF_WIDTH;
            for (from, to, end) in [
                (stats.p25, stats.p05, stats.p05),
                (stats.p75, stats.p95, stats.p95),
            ] {
                chart.draw_series(std::iter::once(PathElement::new(
                    [(centre, from), (centre, to)],
                    BLACK.stroke_width(1),
                )))?;
                chart.draw_series(std::iter::once(PathElement::new(
                    [(centre - cap, end), (centre + cap, end)],
                    BLACK.stroke_width(1),
                )))?;
            }
            chart.draw_series(std::iter::once(PathElement::new(
                [(left, stats.p50), (right, stats.p50)],
                BLACK.stroke_width(4),
            )))?;
            figure::draw_diamond(root, chart.backend_coord(&(centre, stats.mean)))?;
        }
        Ok(())
    }
}

/// The variant of each slot (tests).
#[cfg(test)]
pub(super) fn labels(chart: &Distribution) -> Vec<&str> {
    chart.groups.iter().map(|g| g.label.as_str()).collect()
}

/// The values of variant `label`, in run order (tests).
#[cfg(test)]
pub(super) fn values(chart: &Distribution, label: &str) -> Vec<f64> {
    chart
        .groups
        .iter()
        .filter(|g| g.label == label)
        .flat_map(|g| g.values.iter().copied())
        .collect()
}
