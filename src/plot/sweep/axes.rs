//! What the sweep charts share: axes with readable ticks (k, M, G for large numbers), ranges
//! padded around the data, numbers short enough for a label, and file names from metric
//! names.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::metrics::catalogue;
use crate::plot::ensemble::figure::{self, AXIS_DESC_SIZE, LABEL_SIZE};
use crate::plot::ensemble::report::format_significant;
use crate::plot::render::tick_label;
use crate::plot::series::Scale;

/// A chart with two numeric axes.
pub(crate) type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The smallest and largest of `values` (with 0 if `with_zero`), widened by `share` of the
/// span on each side; a single value gets a span of its own.
pub(crate) fn padded_range(values: &[f64], with_zero: bool, share: f64) -> (f64, f64) {
    let start = if with_zero {
        (0.0, 0.0)
    } else {
        (f64::INFINITY, f64::NEG_INFINITY)
    };
    let (low, high) = values
        .iter()
        .filter(|v| v.is_finite())
        .fold(start, |(low, high), &v| (low.min(v), high.max(v)));
    if !(low.is_finite() && high.is_finite()) {
        return (0.0, 1.0);
    }
    let span = high - low;
    if span > 1e-12 * low.abs().max(high.abs()) && span > 0.0 {
        (low - share * span, high + share * span)
    } else {
        let half = if low == 0.0 { 1.0 } else { 0.1 * low.abs() };
        (low - half, high + half)
    }
}

/// `value` with three significant digits, divided by a thousand, million… with k, M, G, T
/// when `magnitude` (the largest value it is shown with) is that large: `157M`, `2.44M`.
pub(crate) fn compact(value: f64, magnitude: f64) -> String {
    let (divisor, suffix) = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e4, "k")]
        .into_iter()
        .find(|&(threshold, _)| magnitude.abs() >= threshold)
        .map_or((1.0, ""), |(threshold, suffix)| {
            // 1e4 and up are shown in thousands
            (if suffix == "k" { 1e3 } else { threshold }, suffix)
        });
    if value == 0.0 {
        return "0".into();
    }
    format!("{}{suffix}", format_significant(value / divisor))
}

/// The largest magnitude of `values` (0 if none).
pub(crate) fn magnitude(values: impl IntoIterator<Item = f64>) -> f64 {
    values.into_iter().fold(0.0, |m, v| m.max(v.abs()))
}

/// A metric as an axis says it: "value-added loss (va_loss_money), Mill USD".
pub(crate) fn metric_desc(metric: &str, unit: &str) -> String {
    let label = catalogue::metric(metric).map_or(metric, |m| m.label);
    let unit = if unit.is_empty() {
        catalogue::metric(metric).map_or("", |m| m.unit)
    } else {
        unit
    };
    if unit.is_empty() {
        format!("{label} ({metric})")
    } else {
        format!("{label} ({metric}), {unit}")
    }
}

/// `prefix_metric` with every character but letters, digits, `-` and `_` replaced by `_`: a
/// file stem whatever the metric is called.
pub(crate) fn file_stem(prefix: &str, metric: &str) -> String {
    let slug: String = metric
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{prefix}_{slug}")
}

/// The chart area of `body` with both axes drawn: light grid lines, ticks with k/M/G
/// suffixes for large numbers, and the axis descriptions (which should carry the units).
pub(crate) fn numeric_axes<'a, DB: DrawingBackend>(
    body: &'a DrawingArea<DB, Shift>,
    (x_range, x_desc): ((f64, f64), &str),
    (y_range, y_desc): ((f64, f64), &str),
) -> Result<Chart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut chart = ChartBuilder::on(body)
        .margin(15)
        .margin_top(5)
        .margin_right(30)
        .x_label_area_size(55)
        .y_label_area_size(95)
        .build_cartesian_2d(x_range.0..x_range.1, y_range.0..y_range.1)?;
    let x_label = tick_label(Scale::Money, x_range);
    let y_label = tick_label(Scale::Money, y_range);
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .axis_desc_style(figure::font(AXIS_DESC_SIZE))
        .label_style(figure::font(LABEL_SIZE))
        .x_labels(10)
        .y_labels(10)
        .x_label_formatter(&|value| x_label(*value))
        .y_label_formatter(&|value| y_label(*value))
        .bold_line_style(BLACK.mix(0.1))
        .light_line_style(TRANSPARENT)
        .draw()?;
    Ok(chart)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_with_a_suffix_for_their_scale() {
        assert_eq!(compact(156_911_552.6, 216_000_000.0), "157M");
        assert_eq!(compact(2_435_616.4, 216_000_000.0), "2.44M");
        assert_eq!(compact(0.0, 5.0), "0");
        assert_eq!(compact(5.63, 7.0), "5.63");
        assert_eq!(compact(12_345.0, 12_345.0), "12.3k");
    }

    #[test]
    fn ranges_pad_the_data_and_survive_a_single_value() {
        assert_eq!(padded_range(&[1.0, 3.0], false, 0.5), (0.0, 4.0));
        assert_eq!(padded_range(&[2.0, 3.0], true, 0.0), (0.0, 3.0));
        let (low, high) = padded_range(&[5.0, 5.0], false, 0.1);
        assert!(low < 5.0 && high > 5.0);
        assert_eq!(padded_range(&[], false, 0.1), (0.0, 1.0));
    }

    #[test]
    fn file_stems_keep_only_safe_characters() {
        assert_eq!(file_stem("sweep", "va_loss_money"), "sweep_va_loss_money");
        assert_eq!(file_stem("sweep", "../x y"), "sweep____x_y");
    }
}
