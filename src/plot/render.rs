//! Drawing a [`LineChart`] with plotters, to PNG and SVG, the same way for both.
//!
//! The y range and the legend corner are planned once, on a scratch bitmap, so that both
//! files get the same layout: the legend goes into the corner of the plotting area that
//! covers the fewest data, and if every corner would cover some, the y range grows at the
//! top to make room for it there.

use std::fs;
use std::path::Path;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::element::MultiLineText;
use plotters::prelude::*;

use super::PlotError;
use super::series::{Floor, Line, LineChart, MAX_REGION_LINES, Scale};

/// Image size in pixels (SVG units for the SVG).
pub(crate) const SIZE: (u32, u32) = (1200, 700);
/// The family every text uses; the embedded font is registered under this name.
pub(crate) const FONT: &str = "sans-serif";

pub(crate) const CAPTION_SIZES: [u32; 6] = [26, 23, 20, 18, 16, 14];
const LEGEND_FONT_SIZE: u32 = 15;
/// plotters' defaults for the legend: the sample line area and the inner margin, in pixels.
const LEGEND_SAMPLE_WIDTH: i32 = 30;
const LEGEND_MARGIN: i32 = 10;
/// plotters puts a legend this far from the edges of the plotting area.
const LEGEND_INSET: i32 = 5;

/// Colours for regional lines (the "tab10" palette); totals are black.
pub(crate) const PALETTE: [RGBColor; MAX_REGION_LINES] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0xe3, 0x77, 0xc2),
    RGBColor(0x7f, 0x7f, 0x7f),
    RGBColor(0xbc, 0xbd, 0x22),
    RGBColor(0x17, 0xbe, 0xcf),
];

type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Where the legend goes inside the plotting area.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Corner {
    UpperRight,
    LowerRight,
    UpperLeft,
    LowerLeft,
}

impl Corner {
    /// In order of preference when several are free.
    const ALL: [Corner; 4] = [
        Corner::UpperRight,
        Corner::LowerRight,
        Corner::UpperLeft,
        Corner::LowerLeft,
    ];

    fn position(self) -> SeriesLabelPosition {
        match self {
            Corner::UpperRight => SeriesLabelPosition::UpperRight,
            Corner::LowerRight => SeriesLabelPosition::LowerRight,
            Corner::UpperLeft => SeriesLabelPosition::UpperLeft,
            Corner::LowerLeft => SeriesLabelPosition::LowerLeft,
        }
    }

    /// The legend's box `(left, top, right, bottom)` in plotting-area pixels, as plotters
    /// lays it out.
    fn legend_box(self, legend: (i32, i32), area: (i32, i32)) -> (i32, i32, i32, i32) {
        let left = match self {
            Corner::UpperLeft | Corner::LowerLeft => LEGEND_INSET,
            Corner::UpperRight | Corner::LowerRight => area.0 - legend.0 - LEGEND_INSET,
        };
        let top = match self {
            Corner::UpperLeft | Corner::UpperRight => LEGEND_INSET,
            Corner::LowerLeft | Corner::LowerRight => area.1 - legend.1 - LEGEND_INSET,
        };
        (left, top, left + legend.0, top + legend.1)
    }
}

/// The y range and legend corner, shared by the PNG and the SVG.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Layout {
    y_range: (f64, f64),
    legend: Corner,
}

/// Draw `chart` into `plots/<name>.png` and `plots/<name>.svg`.
pub(crate) fn draw(chart: &LineChart, plots: &Path) -> Result<(), PlotError> {
    let png = plots.join(format!("{}.png", chart.name));
    let svg = plots.join(format!("{}.svg", chart.name));
    let layout = plan(chart).map_err(|message| PlotError::Draw {
        path: png.clone(),
        message,
    })?;

    let root = BitMapBackend::new(&png, SIZE).into_drawing_area();
    render(root, chart, layout).map_err(|error| PlotError::Draw {
        path: png.clone(),
        message: error.to_string(),
    })?;

    let mut text = String::new();
    render(
        SVGBackend::with_string(&mut text, SIZE).into_drawing_area(),
        chart,
        layout,
    )
    .map_err(|error| PlotError::Draw {
        path: svg.clone(),
        message: error.to_string(),
    })?;
    fs::write(&svg, text).map_err(|source| PlotError::Io { path: svg, source })
}

/// Choose the y range and the legend corner by laying the chart out on a scratch bitmap.
fn plan(chart: &LineChart) -> Result<Layout, String> {
    let y_range = value_range(chart);
    let (first_day, last_day) = day_range(&chart.days);
    // Sums or percentages of huge (but finite) numbers can overflow; plotters needs finite,
    // distinct bounds.
    let drawable = y_range.0.is_finite()
        && y_range.1.is_finite()
        && y_range.0 < y_range.1
        && first_day.is_finite()
        && last_day.is_finite()
        && first_day < last_day;
    if !drawable {
        return Err(format!(
            "values out of the drawable range (days {first_day} to {last_day}, \
             y {} to {})",
            y_range.0, y_range.1
        ));
    }
    let mut scratch = vec![0u8; SIZE.0 as usize * SIZE.1 as usize * 3];
    let root = BitMapBackend::with_buffer(&mut scratch, SIZE).into_drawing_area();
    let context = frame(&root, chart, y_range).map_err(|e| e.to_string())?;
    let area = context.plotting_area();
    let (width, height) = area.dim_in_pixel();
    let area_size = (width as i32, height as i32);
    let (base_x, base_y) = area.get_base_pixel();
    let lines: Vec<Vec<(i32, i32)>> = chart
        .lines
        .iter()
        .map(|line| {
            points(&chart.days, line)
                .map(|point| {
                    let (x, y) = context.backend_coord(&point);
                    (x - base_x, y - base_y)
                })
                .collect()
        })
        .collect();
    let legend = legend_size(chart)?;
    let (covered, corner) = Corner::ALL
        .iter()
        .map(|&corner| {
            (
                covered_points(&lines, corner.legend_box(legend, area_size)),
                corner,
            )
        })
        .min_by_key(|&(covered, _)| covered)
        .unwrap_or((0, Corner::UpperRight));
    let room = f64::from(legend.1 + 2 * LEGEND_INSET) / f64::from(height.max(1));
    if covered == 0 || room >= 0.6 {
        return Ok(Layout {
            y_range,
            legend: corner,
        });
    }
    // Grow the range upwards so that the data stay below a legend in the upper right.
    let (low, high) = y_range;
    Ok(Layout {
        y_range: (low, low + (high - low) / (1.0 - room)),
        legend: Corner::UpperRight,
    })
}

/// How many sample points along the lines fall inside `legend_box` (with a small margin).
fn covered_points(lines: &[Vec<(i32, i32)>], legend_box: (i32, i32, i32, i32)) -> usize {
    let (left, top, right, bottom) = legend_box;
    let inside =
        |(x, y): (i32, i32)| x >= left - 3 && x <= right + 3 && y >= top - 3 && y <= bottom + 3;
    let mut covered = 0;
    for line in lines {
        if let [only] = line.as_slice() {
            covered += usize::from(inside(*only));
        }
        for pair in line.windows(2) {
            let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
            // Sample every two pixels so a steep segment crossing the box is seen too.
            let steps = ((x1 - x0).abs().max((y1 - y0).abs()) / 2).max(1);
            for step in 0..=steps {
                let x = x0 + (x1 - x0) * step / steps;
                let y = y0 + (y1 - y0) * step / steps;
                covered += usize::from(inside((x, y)));
            }
        }
    }
    covered
}

/// The legend's size in pixels, computed as plotters does when it draws it.
fn legend_size(chart: &LineChart) -> Result<(i32, i32), String> {
    let font: TextStyle = (FONT, LEGEND_FONT_SIZE).into_font().into();
    let mut text = MultiLineText::<_, &str>::new((0, 0), &font);
    for line in &chart.lines {
        text.push_line(line.label.as_str());
    }
    for note in &chart.notes {
        text.push_line(note.as_str());
    }
    let (width, height) = text.estimate_dimension().map_err(|e| e.to_string())?;
    Ok((
        width + LEGEND_SAMPLE_WIDTH + 2 * LEGEND_MARGIN,
        height + 2 * LEGEND_MARGIN,
    ))
}

/// The caption, margins and coordinate system: everything that fixes where data land.
fn frame<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    chart: &LineChart,
    y_range: (f64, f64),
) -> Result<Chart<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let (first_day, last_day) = day_range(&chart.days);
    // The largest caption size that fits the width, so a long scenario name is not clipped.
    let mut caption_size = CAPTION_SIZES[CAPTION_SIZES.len() - 1];
    for size in CAPTION_SIZES {
        let (width, _) =
            root.estimate_text_size(&chart.caption, &TextStyle::from((FONT, size).into_font()))?;
        if width + 40 <= SIZE.0 {
            caption_size = size;
            break;
        }
    }
    ChartBuilder::on(root)
        .caption(&chart.caption, (FONT, caption_size))
        .margin(15)
        .margin_right(30)
        .x_label_area_size(55)
        .y_label_area_size(95)
        .build_cartesian_2d(first_day..last_day, y_range.0..y_range.1)
}

fn render<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    chart: &LineChart,
    layout: Layout,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let mut context = frame(&root, chart, layout.y_range)?;
    let y_label = tick_label(chart.scale, layout.y_range);
    context
        .configure_mesh()
        .x_desc("day")
        .y_desc(chart.y_desc.as_str())
        .axis_desc_style((FONT, 18))
        .label_style((FONT, 15))
        // No more labels than days, so that ticks fall on whole days.
        .x_labels(x_label_count(&chart.days))
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

    if let Some(reference) = chart.reference {
        let (first_day, last_day) = day_range(&chart.days);
        let style = BLACK.mix(0.45).stroke_width(1);
        context.draw_series(LineSeries::new(
            [(first_day, reference), (last_day, reference)],
            style,
        ))?;
    }
    for line in &chart.lines {
        let style = line_style(line);
        context
            .draw_series(LineSeries::new(points(&chart.days, line), style))?
            .label(line.label.as_str())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], style));
    }
    for note in &chart.notes {
        context
            .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())?
            .label(note.as_str());
    }
    context
        .configure_series_labels()
        .position(layout.legend.position())
        .legend_area_size(LEGEND_SAMPLE_WIDTH)
        .margin(LEGEND_MARGIN)
        .label_font((FONT, LEGEND_FONT_SIZE))
        .background_style(WHITE)
        .border_style(BLACK.mix(0.4))
        .draw()?;
    root.present()
}

fn line_style(line: &Line) -> ShapeStyle {
    if line.emphasis {
        BLACK.stroke_width(4)
    } else {
        PALETTE[line.colour % PALETTE.len()].stroke_width(2)
    }
}

/// The points of a line; a single day becomes a segment across it, so that it shows.
fn points<'a>(days: &'a [f64], line: &'a Line) -> impl Iterator<Item = (f64, f64)> + 'a {
    let single_day = match (days, line.values.as_slice()) {
        ([day], [value]) => Some((day + 1.0, *value)),
        _ => None,
    };
    days.iter()
        .copied()
        .zip(line.values.iter().copied())
        .chain(single_day)
}

/// Up to 12 x labels, but no more than there are whole days in the range.
pub(crate) fn x_label_count(days: &[f64]) -> usize {
    let (first, last) = day_range(days);
    let whole_days = (last - first).floor().clamp(0.0, 11.0) as usize + 1;
    whole_days.max(2)
}

/// First and last day, at least one day apart so the axis has a width.
pub(crate) fn day_range(days: &[f64]) -> (f64, f64) {
    let first = days.iter().copied().fold(f64::INFINITY, f64::min);
    let last = days.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !first.is_finite() {
        (0.0, 1.0)
    } else if last > first {
        (first, last)
    } else {
        (first, first + 1.0)
    }
}

/// The y range: the data with 5 % padding, never narrower than a minimum span (2 points
/// around a flat percentage, e.g. 100 % ± 1), from zero where the floor says so.
pub(crate) fn value_range(chart: &LineChart) -> (f64, f64) {
    let values = chart
        .lines
        .iter()
        .flat_map(|line| line.values.iter().copied());
    let (min, max) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let (min, max) = if min.is_finite() {
        (min, max)
    } else {
        let reference = chart.reference.unwrap_or(0.0);
        (reference, reference)
    };
    let min_span = match (chart.scale, chart.floor) {
        (Scale::Percent, Floor::Padded) => 2.0,
        (Scale::Percent, Floor::Zero) => 1.0,
        (Scale::Money, _) => 0.0,
    };
    match chart.floor {
        Floor::Padded => {
            let pad = 0.05 * (max - min);
            let (low, high) = (min - pad, max + pad);
            if high - low >= min_span && high > low {
                (low, high)
            } else {
                let centre = 0.5 * (min + max);
                let half = (0.5 * min_span).max(0.01 * centre.abs()).max(1e-9);
                (centre - half, centre + half)
            }
        }
        Floor::Zero => {
            let low = if min < 0.0 {
                min - 0.05 * (max - min)
            } else {
                0.0
            };
            let high = (max + 0.05 * (max - low)).max(low + min_span);
            if high > low {
                (low, high)
            } else {
                (low, low + 1.0)
            }
        }
    }
}

/// Tick labels with as many decimals as the tick spacing needs; money with k/M/G/T.
pub(crate) fn tick_label(scale: Scale, (low, high): (f64, f64)) -> impl Fn(f64) -> String {
    let (divisor, suffix) = match scale {
        Scale::Percent => (1.0, ""),
        Scale::Money => {
            let magnitude = low.abs().max(high.abs());
            // Plain digits up to 9999, which read better than "1.5k".
            [
                (1e12, 1e12, "T"),
                (1e9, 1e9, "G"),
                (1e6, 1e6, "M"),
                (1e4, 1e3, "k"),
            ]
            .into_iter()
            .find(|&(threshold, _, _)| magnitude >= threshold)
            .map_or((1.0, ""), |(_, divisor, suffix)| (divisor, suffix))
        }
    };
    let step = nice_step((high - low) / 10.0 / divisor);
    let decimals = if step > 0.0 {
        (-step.log10()).ceil().clamp(0.0, 12.0) as usize
    } else {
        0
    };
    move |value| {
        let scaled = value / divisor;
        // Avoid "-0" for a tick that is zero up to rounding.
        if scaled.abs() < 0.5 * 10f64.powi(-(decimals as i32)) {
            // Zero without a unit and without a sign ("-0").
            "0".to_string()
        } else {
            format!("{scaled:.decimals$}{suffix}")
        }
    }
}

/// The smallest 1, 2 or 5 times a power of ten that is at least `step`: plotters places its
/// ticks at such multiples, at least as far apart as the range over the number of labels.
pub(crate) fn nice_step(step: f64) -> f64 {
    if !(step > 0.0 && step.is_finite()) {
        return 0.0;
    }
    let power = 10f64.powf(step.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|multiple| multiple * power)
        .find(|&nice| nice >= step * (1.0 - 1e-9))
        .unwrap_or(10.0 * power)
}
