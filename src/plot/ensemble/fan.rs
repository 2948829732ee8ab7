//! Fan charts: per variant the median across runs and a translucent band from the 5 % to the
//! 95 % quantile of a daily series.
//!
//! - `fan_national`: national value added, in % of its day-0 value, every variant;
//! - `fan_difference`: each variant's national value added minus that of "no policies" in the
//!   same run (paired), in percentage points of baseline: the crises' own spread cancels out,
//!   so the policy's effect stands apart from zero even where the variants' bands overlap.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::figure::{
    self, AXIS_DESC_SIZE, BAND_OPACITY, Drawn, Figure, GREY, LABEL_SIZE, LegendItem, Swatch,
};
use super::input::{Ensemble, NO_POLICIES};
use crate::metrics::ensemble::NATIONAL_VS_NO_POLICIES;
use crate::plot::PlotError;
use crate::plot::render::{day_range, tick_label, x_label_count};
use crate::plot::series::{Scale, name_list};

/// The fan chart, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fan {
    name: &'static str,
    caption: String,
    y_desc: &'static str,
    /// The grey reference line: its value and legend text.
    reference: (f64, &'static str),
    subtitle: String,
    variants: Vec<FanVariant>,
    /// Every day that has a value, for the x range.
    days: Vec<f64>,
    y_range: (f64, f64),
}

/// One variant's median line and band, each split where a day has no value.
#[derive(Debug, Clone, PartialEq)]
struct FanVariant {
    label: String,
    colour: usize,
    /// Pieces of `(day, p05 %, p95 %)`.
    band: Vec<Vec<(f64, f64, f64)>>,
    /// Pieces of `(day, median %)`.
    median: Vec<Vec<(f64, f64)>>,
}

/// The fan chart of the `national` series of every variant that has one.
pub(crate) fn fan_national(ensemble: &Ensemble) -> Result<Fan, PlotError> {
    let (variants, days, values, without) = fan_variants(ensemble, "national", 100.0);
    if variants.iter().all(|variant| variant.median.is_empty()) {
        return Err(PlotError::Data {
            path: ensemble.dir.join("daily.csv"),
            message: "no `national` series with a median: the value-added chart needs one".into(),
        });
    }
    let mut subtitle =
        "lines: median across runs; bands: 5 % to 95 % of runs; grey: baseline (day 0 = 100 %)"
            .to_string();
    if !without.is_empty() {
        subtitle.push_str(&format!("; no data: {}", name_list(&without)));
    }
    if let Some(warning) = ensemble.few_runs_warning() {
        subtitle = format!("{warning}; {subtitle}");
    }
    Fan::new(
        ensemble,
        Fan {
            name: "fan_national",
            caption: format!(
                "{}: national value added, median and 5–95 % band{}",
                ensemble.manifest.name,
                ensemble.runs_phrase()
            ),
            y_desc: "national value added, % of baseline (day 0)",
            reference: (100.0, "baseline (100 %)"),
            subtitle,
            variants,
            days,
            y_range: padded_range(&values, 2.0),
        },
    )
}

/// The paired difference fan: for every variant that `daily.csv` compares with "no policies",
/// the median and 5–95 % band over runs of its national value added minus that of "no
/// policies" in the same run, in percentage points of baseline; `None` if no variant has
/// the series.
pub(crate) fn fan_difference(ensemble: &Ensemble) -> Result<Option<Fan>, PlotError> {
    let (variants, days, values, _) = fan_variants(ensemble, NATIONAL_VS_NO_POLICIES, 0.0);
    if variants.iter().all(|variant| variant.median.is_empty()) {
        return Ok(None);
    }
    let mut subtitle = format!(
        "run by run minus \"{NO_POLICIES}\" on the same crisis; lines: median; bands: 5–95 % \
         of runs; above 0: the policies add value"
    );
    if let Some(warning) = ensemble.few_runs_warning() {
        subtitle = format!("{warning}; {subtitle}");
    }
    Fan::new(
        ensemble,
        Fan {
            name: "fan_difference",
            caption: format!(
                "{}: national value added, each variant minus {NO_POLICIES}, median and 5–95 % \
                 band{}",
                ensemble.manifest.name,
                ensemble.runs_phrase()
            ),
            y_desc: "difference, percentage points of baseline value added",
            reference: (0.0, NO_POLICIES),
            subtitle,
            variants: variants
                .into_iter()
                .filter(|variant| !variant.median.is_empty())
                .collect(),
            days,
            y_range: padded_range(&values, 0.02),
        },
    )
    .map(Some)
}

impl Fan {
    /// `fan`, if its range can be drawn.
    fn new(ensemble: &Ensemble, fan: Fan) -> Result<Fan, PlotError> {
        let (low, high) = fan.y_range;
        if !(low.is_finite() && high.is_finite() && low < high) {
            return Err(PlotError::Data {
                path: ensemble.dir.join("daily.csv"),
                message: format!("{} is out of the drawable range", fan.y_desc),
            });
        }
        Ok(fan)
    }
}

/// The pieces of `series` (× 100, in %) of every variant that has it, every day with a
/// median, every value (starting with `reference`) and the variants without the series.
fn fan_variants(
    ensemble: &Ensemble,
    series_name: &str,
    reference: f64,
) -> (Vec<FanVariant>, Vec<f64>, Vec<f64>, Vec<String>) {
    let mut variants = Vec::new();
    let mut without = Vec::new();
    let mut days = Vec::new();
    let mut values = vec![reference];
    for (index, name) in ensemble.variants.iter().enumerate() {
        let Some(series) = ensemble.series(index, series_name) else {
            without.push(name.clone());
            continue;
        };
        let mut band = Vec::new();
        let mut median = Vec::new();
        let mut band_piece: Vec<(f64, f64, f64)> = Vec::new();
        let mut median_piece: Vec<(f64, f64)> = Vec::new();
        for point in &series.points {
            match (point.p05, point.p95) {
                (Some(low), Some(high)) => {
                    band_piece.push((point.day, 100.0 * low, 100.0 * high));
                    values.extend([100.0 * low, 100.0 * high]);
                }
                _ if !band_piece.is_empty() => band.push(std::mem::take(&mut band_piece)),
                _ => {}
            }
            match point.p50 {
                Some(value) => {
                    median_piece.push((point.day, 100.0 * value));
                    values.push(100.0 * value);
                    days.push(point.day);
                }
                None if !median_piece.is_empty() => {
                    median.push(std::mem::take(&mut median_piece));
                }
                None => {}
            }
        }
        band.extend(Some(band_piece).filter(|piece| !piece.is_empty()));
        median.extend(Some(median_piece).filter(|piece| !piece.is_empty()));
        variants.push(FanVariant {
            label: name.clone(),
            colour: index,
            band,
            median,
        });
    }
    (variants, days, values, without)
}

/// Minimum to maximum with 5 % padding, at least `width` points wide (2 for levels, so that
/// noise is not blown up; 0.02 for differences, so that a small effect is still seen).
fn padded_range(values: &[f64], width: f64) -> (f64, f64) {
    let (min, max) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), &v| {
            (low.min(v), high.max(v))
        });
    let pad = 0.05 * (max - min);
    let (low, high) = (min - pad, max + pad);
    if high - low >= width {
        (low, high)
    } else {
        let centre = 0.5 * (min + max);
        (centre - 0.5 * width, centre + 0.5 * width)
    }
}

impl Figure for Fan {
    fn name(&self) -> &'static str {
        self.name
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn<DB> {
        root.fill(&WHITE)?;
        let mut legend: Vec<LegendItem> = self
            .variants
            .iter()
            .map(|variant| LegendItem {
                swatch: Swatch::Band(figure::colour(variant.colour)),
                label: variant.label.clone(),
            })
            .collect();
        legend.push(LegendItem {
            swatch: Swatch::Line(GREY, 1),
            label: self.reference.1.into(),
        });
        let body = figure::header(root, &self.caption, Some(&self.subtitle), &legend)?;
        let (first_day, last_day) = day_range(&self.days);
        let (low, high) = self.y_range;
        let mut chart = ChartBuilder::on(&body)
            .margin(15)
            .margin_top(5)
            .margin_right(30)
            .x_label_area_size(55)
            .y_label_area_size(95)
            .build_cartesian_2d(first_day..last_day, low..high)?;
        let y_label = tick_label(Scale::Percent, self.y_range);
        chart
            .configure_mesh()
            .x_desc("day")
            .y_desc(self.y_desc)
            .axis_desc_style(figure::font(AXIS_DESC_SIZE))
            .label_style(figure::font(LABEL_SIZE))
            .x_labels(x_label_count(&self.days))
            .y_labels(10)
            .x_label_formatter(&|&day| {
                if day.fract() == 0.0 {
                    format!("{day:.0}")
                } else {
                    format!("{day:.1}")
                }
            })
            .y_label_formatter(&|value| y_label(*value))
            .bold_line_style(BLACK.mix(0.1))
            .light_line_style(TRANSPARENT)
            .draw()?;

        // Bands first, so that every median line is drawn over every band.
        for variant in &self.variants {
            let style = figure::colour(variant.colour).mix(BAND_OPACITY).filled();
            for piece in &variant.band {
                if let [(day, low, high)] = piece.as_slice() {
                    chart.draw_series(std::iter::once(PathElement::new(
                        [(*day, *low), (*day, *high)],
                        figure::colour(variant.colour).mix(0.5).stroke_width(6),
                    )))?;
                    continue;
                }
                let outline: Vec<(f64, f64)> = piece
                    .iter()
                    .map(|&(day, low, _)| (day, low))
                    .chain(piece.iter().rev().map(|&(day, _, high)| (day, high)))
                    .collect();
                chart.draw_series(std::iter::once(Polygon::new(outline, style)))?;
            }
        }
        let reference = self.reference.0;
        chart.draw_series(LineSeries::new(
            [(first_day, reference), (last_day, reference)],
            GREY.stroke_width(1),
        ))?;
        for variant in &self.variants {
            let style = figure::colour(variant.colour).stroke_width(3);
            for piece in &variant.median {
                if let [point] = piece.as_slice() {
                    chart.draw_series(std::iter::once(Circle::new(*point, 4, style.filled())))?;
                } else {
                    chart.draw_series(LineSeries::new(piece.iter().copied(), style))?;
                }
            }
        }
        Ok(())
    }
}

/// The median line of variant `label`, in one piece (tests).
#[cfg(test)]
pub(super) fn medians(fan: &Fan, label: &str) -> Vec<f64> {
    fan.variants
        .iter()
        .filter(|variant| variant.label == label)
        .flat_map(|variant| variant.median.iter().flatten().map(|&(_, value)| value))
        .collect()
}
