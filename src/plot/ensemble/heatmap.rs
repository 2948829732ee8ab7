//! Heatmaps of `industry_loss.csv`: one cell per domestic region (row) and sector (column),
//! with a colour bar. Foreign regions are left out and named in the subtitle: their losses
//! are on another footing (the scenario's metrics count domestic value added only).
//!
//! - `heatmap_loss`: the mean value-added loss of each industry over the run, base variant;
//! - `heatmap_loss_change`: the base variant's loss minus that of "no policies", in
//!   percentage points: blue where the policy lowers an industry's loss, red where it raises
//!   it.
//!
//! Losses are red and gains (negative losses) blue, both from pale at 0 to dark at the
//! largest magnitude of either, so that a small gain never looks as strong as a large loss. Everything is laid out in
//! pixels: labels that do not fit are wrapped, turned upright or shortened with "…".

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::figure::{self, AXIS_DESC_SIZE, Drawn, Figure, GREY};
use super::input::{Ensemble, IndustryLoss, NO_POLICIES};
use super::report::format_significant;
use crate::plot::render::{SIZE, nice_step};

/// ColorBrewer "Reds" (9 classes), pale to dark: losses.
pub(crate) const REDS: [(u8, u8, u8); 9] = [
    (0xff, 0xf5, 0xf0),
    (0xfe, 0xe0, 0xd2),
    (0xfc, 0xbb, 0xa1),
    (0xfc, 0x92, 0x72),
    (0xfb, 0x6a, 0x4a),
    (0xef, 0x3b, 0x2c),
    (0xcb, 0x18, 0x1d),
    (0xa5, 0x0f, 0x15),
    (0x67, 0x00, 0x0d),
];
/// ColorBrewer "Blues" (9 classes), pale to dark: gains.
pub(crate) const BLUES: [(u8, u8, u8); 9] = [
    (0xf7, 0xfb, 0xff),
    (0xde, 0xeb, 0xf7),
    (0xc6, 0xdb, 0xef),
    (0x9e, 0xca, 0xe1),
    (0x6b, 0xae, 0xd6),
    (0x42, 0x92, 0xc6),
    (0x21, 0x71, 0xb5),
    (0x08, 0x51, 0x9c),
    (0x08, 0x30, 0x6b),
];
/// Cells without a value.
pub(crate) const NO_VALUE: RGBColor = RGBColor(0xd9, 0xd9, 0xd9);

const LEFT_MARGIN: i32 = 15;
const AXIS_DESC_ROOM: i32 = 30;
const MAX_ROW_LABEL_WIDTH: i32 = 240;
const MAX_UPRIGHT_LABEL_HEIGHT: i32 = 170;
const MAX_COLUMN_LABEL_LINES: usize = 3;
/// The colour bar and its labels take this much on the right.
const COLOUR_BAR_ROOM: i32 = 130;
const COLOUR_BAR_WIDTH: i32 = 22;
const BOTTOM_MARGIN: i32 = 12;
/// Label font sizes, largest first; the largest that fits the cells is used.
const LABEL_SIZES: [u32; 6] = [15, 14, 13, 12, 11, 10];

/// The heatmap, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Heatmap {
    name: &'static str,
    caption: String,
    /// Above the colour bar.
    bar_title: &'static str,
    subtitle: String,
    regions: Vec<String>,
    sectors: Vec<String>,
    /// `cells[region * sectors.len() + sector]`.
    cells: Vec<Option<f64>>,
    /// The colour scale: `low ≤ 0 ≤ high`, `low < high`.
    scale: (f64, f64),
}

/// Domestic regions and sectors in file order, and the cells of `variant` (`None`: no line).
fn grid(rows: &[IndustryLoss], variant: usize) -> (Vec<String>, Vec<String>, Vec<Option<f64>>) {
    let mut regions: Vec<String> = Vec::new();
    let mut sectors: Vec<String> = Vec::new();
    for row in rows.iter().filter(|row| row.domestic) {
        if !regions.contains(&row.region) {
            regions.push(row.region.clone());
        }
        if !sectors.contains(&row.sector) {
            sectors.push(row.sector.clone());
        }
    }
    let mut cells = vec![None; regions.len() * sectors.len()];
    for row in rows.iter().filter(|row| row.variant == variant) {
        let region = regions.iter().position(|r| *r == row.region);
        let sector = sectors.iter().position(|s| *s == row.sector);
        if let (Some(region), Some(sector)) = (region, sector) {
            cells[region * sectors.len() + sector] = row.loss_pct;
        }
    }
    (regions, sectors, cells)
}

/// "; foreign regions left out (N): a, b, …" for the subtitle, or nothing. A list too long
/// for the subtitle's line (the nine blocks of the Chinese table) is named in the report
/// instead, rather than cut off mid-name.
fn subtitle_tail(ensemble: &Ensemble) -> String {
    foreign_tail(&ensemble.foreign_regions())
}

/// [`subtitle_tail`] of the foreign regions `foreign`.
pub(super) fn foreign_tail(foreign: &[String]) -> String {
    if foreign.is_empty() {
        return String::new();
    }
    let names = crate::plot::series::name_list(foreign);
    if names.chars().count() <= MAX_NAMES_IN_SUBTITLE {
        format!("; foreign regions left out ({}): {names}", foreign.len())
    } else {
        format!(
            "; {} foreign regions left out (named in report.html)",
            foreign.len()
        )
    }
}

/// Characters of region names the subtitle holds after its own text.
const MAX_NAMES_IN_SUBTITLE: usize = 40;

/// ", mean of N runs" for the caption, or nothing.
fn runs_tail(ensemble: &Ensemble) -> String {
    ensemble
        .manifest
        .run_count
        .map_or(String::new(), |runs| format!(", mean of {runs} runs"))
}

/// The colour scale of `cells`: from the least to the largest value, 0 included.
fn scale_of(cells: &[Option<f64>]) -> (f64, f64) {
    let (low, high) = cells
        .iter()
        .flatten()
        .fold((0.0_f64, 0.0_f64), |(low, high), &v| {
            (low.min(v), high.max(v))
        });
    if high > low { (low, high) } else { (0.0, 1.0) }
}

/// The heatmap of the base variant's industry losses, domestic regions only, or `None` if
/// `industry_loss.csv` is absent or has no domestic line for that variant.
pub(crate) fn heatmap_loss(ensemble: &Ensemble) -> Option<Heatmap> {
    let base = ensemble.base_variant();
    let rows = ensemble.industry_loss.as_ref()?;
    let (regions, sectors, cells) = grid(rows, base);
    if cells.iter().all(Option::is_none) {
        return None;
    }
    Some(Heatmap {
        name: "heatmap_loss",
        caption: format!(
            "{}: value-added loss by domestic industry, variant {}{}",
            ensemble.manifest.name,
            ensemble.variants[base],
            runs_tail(ensemble)
        ),
        bar_title: "loss, %",
        subtitle: format!(
            "each cell: mean over runs of the industry's value-added loss, % of its baseline \
             value added over the run{}",
            subtitle_tail(ensemble)
        ),
        scale: scale_of(&cells),
        regions,
        sectors,
        cells,
    })
}

/// The base variant's industry losses minus those of "no policies" (percentage points),
/// domestic regions only; `None` without both variants in `industry_loss.csv` (or if the base
/// variant is "no policies").
pub(crate) fn heatmap_loss_change(ensemble: &Ensemble) -> Option<Heatmap> {
    let base = ensemble.base_variant();
    let reference = ensemble.reference_variant().filter(|&r| r != base)?;
    let rows = ensemble.industry_loss.as_ref()?;
    let (regions, sectors, with_policy) = grid(rows, base);
    let (_, _, without) = grid(rows, reference);
    let cells: Vec<Option<f64>> = with_policy
        .iter()
        .zip(&without)
        .map(|(&with, &without)| Some(with? - without?))
        .collect();
    if cells.iter().all(Option::is_none) {
        return None;
    }
    Some(Heatmap {
        name: "heatmap_loss_change",
        caption: format!(
            "{}: change in loss by domestic industry, {} minus {NO_POLICIES}{}",
            ensemble.manifest.name,
            ensemble.variants[base],
            runs_tail(ensemble)
        ),
        bar_title: "change, pp",
        subtitle: format!(
            "each cell: mean loss with the policies minus without, percentage points of the \
             industry's baseline; blue: lower loss{}",
            subtitle_tail(ensemble)
        ),
        scale: scale_of(&cells),
        regions,
        sectors,
        cells,
    })
}

/// The colour of a loss on the scale `(low, high)`: red above 0, blue below, as dark as the
/// value is large compared with the largest magnitude on the scale.
fn colour_of(value: f64, (low, high): (f64, f64)) -> RGBColor {
    let magnitude = low.abs().max(high.abs());
    let share = if magnitude > 0.0 {
        value.abs() / magnitude
    } else {
        0.0
    };
    ramp_colour(if value >= 0.0 { &REDS } else { &BLUES }, share)
}

/// The colour at `share` (0: the first, 1: the last) along `ramp`, mixed between its two
/// nearest entries.
pub(crate) fn ramp_colour(ramp: &[(u8, u8, u8)], share: f64) -> RGBColor {
    let position = share.clamp(0.0, 1.0) * (ramp.len() - 1) as f64;
    let index = (position.floor() as usize).min(ramp.len() - 2);
    let weight = position - index as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + weight * (f64::from(b) - f64::from(a))).round() as u8;
    let (from, to) = (ramp[index], ramp[index + 1]);
    RGBColor(mix(from.0, to.0), mix(from.1, to.1), mix(from.2, to.2))
}

/// Whether text on `colour` should be white rather than black.
pub(crate) fn is_dark(colour: RGBColor) -> bool {
    let RGBColor(r, g, b) = colour;
    0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b) < 140.0
}

/// How the column (sector) labels are drawn.
enum ColumnLabels {
    /// Horizontal, each wrapped into lines.
    Wrapped(Vec<Vec<String>>),
    /// Upright (reading upwards), each shortened to fit.
    Upright(Vec<String>),
}

/// Show every `step`-th of `count` labels so that each has at least `min_room` pixels.
fn label_step(room: i32, count: usize, min_room: i32) -> usize {
    let per_label = room / count.max(1) as i32;
    if per_label >= min_room {
        1
    } else {
        (min_room / per_label.max(1) + 1) as usize
    }
}

impl Figure for Heatmap {
    fn name(&self) -> &'static str {
        self.name
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn<DB> {
        root.fill(&WHITE)?;
        let body = figure::header(root, &self.caption, Some(&self.subtitle), &[])?;
        let (width, height) = (SIZE.0 as i32, SIZE.1 as i32);
        let top = body.get_base_pixel().1 + 10;
        let right = width - COLOUR_BAR_ROOM;
        let (rows, columns) = (self.regions.len(), self.sectors.len());

        // Rows: the font that fits the row height, and room for the longest label.
        let first_guess_height = (height - top - 120) / rows.max(1) as i32;
        let row_size = LABEL_SIZES
            .into_iter()
            .find(|&size| size as i32 + 3 <= first_guess_height)
            .unwrap_or(LABEL_SIZES[LABEL_SIZES.len() - 1]);
        let row_style = figure::font(row_size);
        let mut row_label_width = 0;
        for region in &self.regions {
            row_label_width = row_label_width.max(figure::text_width(root, region, &row_style)?);
        }
        let row_label_width = row_label_width.min(MAX_ROW_LABEL_WIDTH);
        let left = LEFT_MARGIN + AXIS_DESC_ROOM + row_label_width + 10;

        // Columns: wrapped horizontal labels if they fit, upright ones if not.
        let column_width = (right - left) / columns.max(1) as i32;
        let column_size = LABEL_SIZES
            .into_iter()
            .find(|&size| size as i32 + 3 <= column_width)
            .unwrap_or(LABEL_SIZES[LABEL_SIZES.len() - 1]);
        let column_style = figure::font(column_size);
        let line_height = column_size as i32 + 4;
        let mut wrapped = Vec::with_capacity(columns);
        for sector in &self.sectors {
            match figure::wrap(
                root,
                sector,
                &column_style,
                column_width - 6,
                MAX_COLUMN_LABEL_LINES,
            )? {
                // A label cut short is better upright, where it has more room.
                Some(lines) if !lines.last().is_some_and(|line| line.ends_with('…')) => {
                    wrapped.push(lines);
                }
                _ => break,
            }
        }
        let (column_labels, label_height) = if wrapped.len() == columns {
            let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1) as i32;
            (ColumnLabels::Wrapped(wrapped), lines * line_height)
        } else {
            let mut upright = Vec::with_capacity(columns);
            let mut longest = 0;
            for sector in &self.sectors {
                let label =
                    figure::fit_middle(root, sector, &column_style, MAX_UPRIGHT_LABEL_HEIGHT)?;
                longest = longest.max(figure::text_width(root, &label, &column_style)?);
                upright.push(label);
            }
            (ColumnLabels::Upright(upright), longest)
        };
        let bottom = height - BOTTOM_MARGIN - AXIS_DESC_ROOM - label_height - 8;

        // Cell edges in whole pixels, so that neighbouring cells share an edge.
        let x_edge = |column: usize| left + (right - left) * column as i32 / columns.max(1) as i32;
        let y_edge = |row: usize| top + (bottom - top) * row as i32 / rows.max(1) as i32;
        let cell_height = (bottom - top) / rows.max(1) as i32;
        let value_size = [20, 18, 16]
            .into_iter()
            .chain(LABEL_SIZES)
            .find(|&size| 2 * size as i32 <= cell_height && 4 * size as i32 + 6 <= column_width)
            .filter(|_| cell_height >= 18);
        for row in 0..rows {
            for column in 0..columns {
                let cell = self.cells[row * columns + column];
                let colour = cell.map_or(NO_VALUE, |value| colour_of(value, self.scale));
                let (x0, x1) = (x_edge(column), x_edge(column + 1));
                let (y0, y1) = (y_edge(row), y_edge(row + 1));
                root.draw(&Rectangle::new([(x0, y0), (x1, y1)], colour.filled()))?;
                if column_width >= 8 && cell_height >= 8 {
                    root.draw(&Rectangle::new([(x0, y0), (x1, y1)], WHITE.stroke_width(1)))?;
                }
                let Some(size) = value_size else { continue };
                let text = cell.map_or("n/a".to_string(), |value| self.cell_label(value));
                let style = figure::font(size);
                let text = figure::fit(root, &text, &style, x1 - x0 - 4)?;
                let text_colour = if is_dark(colour) { WHITE } else { BLACK };
                root.draw(&Text::new(
                    text,
                    ((x0 + x1) / 2, (y0 + y1) / 2),
                    style
                        .color(&text_colour)
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                ))?;
            }
        }
        root.draw(&Rectangle::new(
            [(left, top), (right, bottom)],
            BLACK.mix(0.4).stroke_width(1),
        ))?;

        // Row labels, right-aligned against the grid; every few if rows are tight.
        let row_step = label_step(bottom - top, rows, row_size as i32);
        for row in (0..rows).step_by(row_step) {
            let label = figure::fit_middle(root, &self.regions[row], &row_style, row_label_width)?;
            root.draw(&Text::new(
                label,
                (left - 8, (y_edge(row) + y_edge(row + 1)) / 2),
                row_style.pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
        }
        let column_step = label_step(right - left, columns, column_size as i32);
        match &column_labels {
            ColumnLabels::Wrapped(labels) => {
                for (column, lines) in labels.iter().enumerate() {
                    let centre = (x_edge(column) + x_edge(column + 1)) / 2;
                    for (index, line) in lines.iter().enumerate() {
                        root.draw(&Text::new(
                            line.clone(),
                            (centre, bottom + 8 + index as i32 * line_height),
                            column_style.pos(Pos::new(HPos::Center, VPos::Top)),
                        ))?;
                    }
                }
            }
            ColumnLabels::Upright(labels) => {
                for column in (0..columns).step_by(column_step) {
                    let centre = (x_edge(column) + x_edge(column + 1)) / 2;
                    root.draw(&Text::new(
                        labels[column].clone(),
                        (centre, bottom + 8),
                        column_style
                            .transform(FontTransform::Rotate270)
                            .pos(Pos::new(HPos::Right, VPos::Center)),
                    ))?;
                }
            }
        }
        let desc_style = figure::font(AXIS_DESC_SIZE);
        root.draw(&Text::new(
            "sector",
            ((left + right) / 2, height - BOTTOM_MARGIN),
            desc_style.pos(Pos::new(HPos::Center, VPos::Bottom)),
        ))?;
        root.draw(&Text::new(
            "region",
            (LEFT_MARGIN, (top + bottom) / 2),
            desc_style
                .transform(FontTransform::Rotate270)
                .pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
        self.draw_colour_bar(root, (right + 30, top), bottom)
    }
}

impl Heatmap {
    /// A cell's value with as many decimals as give three significant digits to the
    /// largest magnitude on the scale, the same for every cell so that they compare.
    fn cell_label(&self, value: f64) -> String {
        let magnitude = self.scale.0.abs().max(self.scale.1.abs());
        if !(1e-3..1e6).contains(&magnitude) {
            return format_significant(value);
        }
        let decimals = (2 - magnitude.log10().floor() as i32).max(0) as usize;
        let text = format!("{value:.decimals$}");
        // A small gain rounds to "-0.0", which reads as a loss of nothing.
        match text.strip_prefix('-') {
            Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
            _ => text,
        }
    }

    /// The colour bar with its ticks, from `(x, top)` down to at most `bottom`.
    fn draw_colour_bar<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        (x, top): (i32, i32),
        bottom: i32,
    ) -> Drawn<DB> {
        let (low, high) = self.scale;
        let title_style = figure::font(14);
        root.draw(&Text::new(
            self.bar_title,
            (x, top),
            title_style.pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
        let bar_top = top + 26;
        let bar_bottom = bar_top + (bottom - bar_top).clamp(60, 380);
        let span = (bar_bottom - bar_top).max(1);
        let value_at = |y: i32| high - (high - low) * f64::from(y - bar_top) / f64::from(span);
        for y in bar_top..bar_bottom {
            let value = value_at(y) - 0.5 * (high - low) / f64::from(span);
            root.draw(&Rectangle::new(
                [(x, y), (x + COLOUR_BAR_WIDTH, y + 1)],
                colour_of(value, self.scale).filled(),
            ))?;
        }
        root.draw(&Rectangle::new(
            [(x, bar_top), (x + COLOUR_BAR_WIDTH, bar_bottom)],
            BLACK.mix(0.5).stroke_width(1),
        ))?;
        let step = nice_step((high - low) / 6.0);
        if step <= 0.0 {
            return Ok(());
        }
        let decimals = (-step.log10()).ceil().clamp(0.0, 12.0) as usize;
        let tick_style = figure::font(13);
        let first_tick = (low / step).ceil();
        // At most a dozen ticks, even if rounding were to make a step vanish.
        for index in 0..12 {
            let tick = (first_tick + f64::from(index)) * step;
            if tick > high + 1e-9 * step {
                break;
            }
            let y = bar_top + ((high - tick) / (high - low) * f64::from(span)).round() as i32;
            root.draw(&PathElement::new(
                [(x + COLOUR_BAR_WIDTH, y), (x + COLOUR_BAR_WIDTH + 5, y)],
                BLACK.stroke_width(1),
            ))?;
            let label = if tick.abs() < 0.5 * step {
                "0".to_string()
            } else if low.abs().max(high.abs()) >= 1e6 {
                // Exponent form rather than a row of zeros.
                format!("{:e}", (tick / step).round() * step)
            } else {
                format!("{tick:.decimals$}")
            };
            root.draw(&Text::new(
                label,
                (x + COLOUR_BAR_WIDTH + 8, y),
                tick_style.pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        if self.cells.iter().any(Option::is_none) {
            root.draw(&Rectangle::new(
                [
                    (x, bar_bottom + 14),
                    (x + COLOUR_BAR_WIDTH, bar_bottom + 30),
                ],
                NO_VALUE.filled(),
            ))?;
            root.draw(&Text::new(
                "no value",
                (x + COLOUR_BAR_WIDTH + 8, bar_bottom + 22),
                tick_style
                    .color(&GREY)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        Ok(())
    }
}

/// The row labels (tests).
#[cfg(test)]
pub(super) fn rows(heatmap: &Heatmap) -> &[String] {
    &heatmap.regions
}

/// The value of a cell (tests).
#[cfg(test)]
pub(super) fn cell(heatmap: &Heatmap, row: usize, column: usize) -> Option<f64> {
    heatmap.cells[row * heatmap.sectors.len() + column]
}
