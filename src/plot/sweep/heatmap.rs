//! `sweep_<metric>` for a sweep of two parameters: a heatmap of the metric's mean across
//! runs, rows one parameter and columns the other, every cell labelled with its value. With
//! several uncertainty groups, one panel per group side by side (at most three to a row),
//! all on one colour scale so that the panels compare.
//!
//! The scale runs from the least mean to the largest: for a metric where higher is worse,
//! pale to dark red; where higher is better (loss avoided), pale to dark blue.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{self, compact, magnitude};
use super::design::{Axis, Series, cell_of};
use super::input::SweepOutput;
use crate::metrics::catalogue;
use crate::plot::ensemble::figure::{self, AXIS_DESC_SIZE, Drawn, Figure, GREY};
use crate::plot::ensemble::heatmap::{BLUES, NO_VALUE, REDS, is_dark, ramp_colour};
use crate::plot::render::{SIZE, nice_step, tick_label};
use crate::plot::series::Scale;

/// Panels in one row, at most.
const PANELS_PER_ROW: usize = 3;
const LEFT_MARGIN: i32 = 15;
const AXIS_DESC_ROOM: i32 = 30;
const COLOUR_BAR_ROOM: i32 = 150;
const COLOUR_BAR_WIDTH: i32 = 22;
const PANEL_GAP: i32 = 25;
const PANEL_TITLE_ROOM: i32 = 26;
const LABEL_SIZE: u32 = 15;

/// The heatmap, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SweepHeatmap {
    name: String,
    caption: String,
    subtitle: String,
    row_desc: String,
    column_desc: String,
    /// Above the colour bar.
    bar_title: String,
    rows: Vec<String>,
    columns: Vec<String>,
    /// Per panel: its title and its cells, `cells[row * columns + column]`.
    panels: Vec<(String, Vec<Option<f64>>)>,
    /// The colour scale `(least, largest)`, `least < largest`.
    scale: (f64, f64),
    /// Dark for high values: red (higher is worse) or blue.
    higher_is_worse: bool,
}

/// The heatmap of `metric` over `rows` × `columns`, or `None` if no cell has a mean.
pub(crate) fn sweep_heatmap(
    output: &SweepOutput,
    metric: &str,
    (rows, columns): (&Axis, &Axis),
    series: &[Series],
) -> Option<SweepHeatmap> {
    let cell_count = rows.values.len() * columns.values.len();
    let panels: Vec<(String, Vec<Option<f64>>)> = series
        .iter()
        .map(|members| {
            let mut cells = vec![None; cell_count];
            for &point in &members.points {
                if let Some(cell) = cell_of(output, point, rows, columns) {
                    cells[cell] = output.statistic(point, metric).and_then(|s| s.mean);
                }
            }
            (members.label.clone(), cells)
        })
        .collect();
    let values: Vec<f64> = panels
        .iter()
        .flat_map(|(_, c)| c.iter().flatten())
        .copied()
        .collect();
    if values.is_empty() {
        return None;
    }
    let (low, high) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| {
            (l.min(v), h.max(v))
        });
    let scale = if high > low {
        (low, high)
    } else {
        (low - 0.5, high + 0.5)
    };
    let row_parameter = &output.parameters[rows.parameter];
    let column_parameter = &output.parameters[columns.parameter];
    let unit = output.unit_of(metric);
    let runs = output
        .manifest
        .run_count
        .map_or(String::new(), |runs| format!(" of {runs} runs"));
    Some(SweepHeatmap {
        name: axes::file_stem("sweep", metric),
        caption: format!(
            "{}: {metric}, mean{runs}, by {} and {}",
            output.manifest.name, row_parameter.short, column_parameter.short
        ),
        subtitle: format!(
            "each cell: mean across runs of {}{}",
            axes::metric_desc(metric, unit),
            if panels.len() > 1 {
                "; a panel per uncertainty setting, one colour scale"
            } else {
                ""
            }
        ),
        row_desc: format!("{} ({})", row_parameter.path, row_parameter.role.name()),
        column_desc: format!(
            "{} ({})",
            column_parameter.path,
            column_parameter.role.name()
        ),
        bar_title: if unit.is_empty() {
            "mean".into()
        } else {
            unit.to_string()
        },
        rows: rows.values.clone(),
        columns: columns.values.clone(),
        panels,
        scale,
        higher_is_worse: catalogue::metric(metric).is_none_or(|m| m.higher_is_worse),
    })
}

impl SweepHeatmap {
    fn colour_of(&self, value: f64) -> RGBColor {
        let (low, high) = self.scale;
        let ramp: &[(u8, u8, u8)] = if self.higher_is_worse { &REDS } else { &BLUES };
        // From the second entry: the first is nearly white, and a cell must show.
        ramp_colour(&ramp[1..], (value - low) / (high - low))
    }

    /// One panel with its title, row and column labels, from `(left, top)` to
    /// `(right, bottom)`.
    fn draw_panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        (title, cells): (&str, &[Option<f64>]),
        (left, top, right, bottom): (i32, i32, i32, i32),
        row_label_width: i32,
    ) -> Drawn<DB> {
        let label_style = figure::font(LABEL_SIZE);
        if !title.is_empty() {
            let style = figure::font(16);
            let text = figure::fit(root, title, &style, right - left)?;
            root.draw(&Text::new(
                text,
                ((left + right) / 2, top),
                style.pos(Pos::new(HPos::Center, VPos::Top)),
            ))?;
        }
        let grid_left = left + row_label_width;
        let grid_top = top + PANEL_TITLE_ROOM;
        let grid_bottom = bottom - LABEL_SIZE as i32 - 10;
        let (rows, columns) = (
            self.rows.len().max(1) as i32,
            self.columns.len().max(1) as i32,
        );
        let x_edge = |c: i32| grid_left + (right - grid_left) * c / columns;
        let y_edge = |r: i32| grid_top + (grid_bottom - grid_top) * r / rows;
        let cell_height = (grid_bottom - grid_top) / rows;
        let cell_width = (right - grid_left) / columns;
        let value_size = [20, 18, 16, 15, 14, 13, 12, 11, 10]
            .into_iter()
            .find(|&size| 2 * size as i32 <= cell_height && 3 * size as i32 <= cell_width);
        let magnitude = magnitude([self.scale.0, self.scale.1]);
        for (row, label) in self.rows.iter().enumerate() {
            let row = row as i32;
            for column in 0..columns {
                let cell = cells[(row * columns + column) as usize];
                let colour = cell.map_or(NO_VALUE, |value| self.colour_of(value));
                let (x0, x1, y0, y1) = (
                    x_edge(column),
                    x_edge(column + 1),
                    y_edge(row),
                    y_edge(row + 1),
                );
                root.draw(&Rectangle::new([(x0, y0), (x1, y1)], colour.filled()))?;
                root.draw(&Rectangle::new([(x0, y0), (x1, y1)], WHITE.stroke_width(1)))?;
                let Some(size) = value_size else { continue };
                let text = cell.map_or("n/a".to_string(), |value| compact(value, magnitude));
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
            let text = figure::fit_middle(root, label, &label_style, row_label_width - 8)?;
            root.draw(&Text::new(
                text,
                (grid_left - 6, (y_edge(row) + y_edge(row + 1)) / 2),
                label_style.pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
        }
        for (column, label) in self.columns.iter().enumerate() {
            let column = column as i32;
            let (x0, x1) = (x_edge(column), x_edge(column + 1));
            let text = figure::fit_middle(root, label, &label_style, x1 - x0 - 4)?;
            root.draw(&Text::new(
                text,
                ((x0 + x1) / 2, grid_bottom + 6),
                label_style.pos(Pos::new(HPos::Center, VPos::Top)),
            ))?;
        }
        Ok(())
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
        let title = figure::fit(root, &self.bar_title, &title_style, COLOUR_BAR_ROOM - 30)?;
        root.draw(&Text::new(
            title,
            (x, top),
            title_style.pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
        let bar_top = top + 26;
        let bar_bottom = bar_top + (bottom - bar_top).clamp(60, 380);
        let span = (bar_bottom - bar_top).max(1);
        for y in bar_top..bar_bottom {
            let value = high - (high - low) * (f64::from(y - bar_top) + 0.5) / f64::from(span);
            root.draw(&Rectangle::new(
                [(x, y), (x + COLOUR_BAR_WIDTH, y + 1)],
                self.colour_of(value).filled(),
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
        // the same decimals and suffix on every tick
        let tick_text = tick_label(Scale::Money, (low, high));
        let tick_style = figure::font(13);
        let first_tick = (low / step).ceil();
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
            root.draw(&Text::new(
                tick_text(tick),
                (x + COLOUR_BAR_WIDTH + 8, y),
                tick_style.pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        Ok(())
    }
}

impl Figure for SweepHeatmap {
    fn name(&self) -> &str {
        &self.name
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn<DB> {
        root.fill(&WHITE)?;
        let body = figure::header(root, &self.caption, Some(&self.subtitle), &[])?;
        let (width, height) = (SIZE.0 as i32, SIZE.1 as i32);
        let top = body.get_base_pixel().1 + 10;
        let right = width - COLOUR_BAR_ROOM;
        let bottom = height - 12 - AXIS_DESC_ROOM;
        let label_style = figure::font(LABEL_SIZE);
        let mut row_label_width = 0;
        for label in &self.rows {
            row_label_width = row_label_width.max(figure::text_width(root, label, &label_style)?);
        }
        let row_label_width = row_label_width.min(160) + 14;
        let count = self.panels.len().max(1);
        let per_row = count.min(PANELS_PER_ROW) as i32;
        let panel_rows = count.div_ceil(PANELS_PER_ROW) as i32;
        let left = LEFT_MARGIN + AXIS_DESC_ROOM;
        let panel_width = (right - left - PANEL_GAP * (per_row - 1)) / per_row;
        let panel_height = (bottom - top - PANEL_GAP * (panel_rows - 1)) / panel_rows;
        for (index, (title, cells)) in self.panels.iter().enumerate() {
            let (column, row) = (
                (index % PANELS_PER_ROW) as i32,
                (index / PANELS_PER_ROW) as i32,
            );
            let x = left + column * (panel_width + PANEL_GAP);
            let y = top + row * (panel_height + PANEL_GAP);
            self.draw_panel(
                root,
                (title, cells),
                (x, y, x + panel_width, y + panel_height),
                row_label_width,
            )?;
        }
        let desc_style = figure::font(AXIS_DESC_SIZE);
        root.draw(&Text::new(
            self.column_desc.clone(),
            ((left + right) / 2, height - 12),
            desc_style.pos(Pos::new(HPos::Center, VPos::Bottom)),
        ))?;
        root.draw(&Text::new(
            self.row_desc.clone(),
            (LEFT_MARGIN, (top + bottom) / 2),
            desc_style
                .transform(FontTransform::Rotate270)
                .pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
        if self
            .panels
            .iter()
            .any(|(_, cells)| cells.iter().any(Option::is_none))
        {
            root.draw(&Text::new(
                "grey: no value",
                (right + 30, bottom),
                figure::font(13)
                    .color(&GREY)
                    .pos(Pos::new(HPos::Left, VPos::Bottom)),
            ))?;
        }
        self.draw_colour_bar(root, (right + 30, top + PANEL_TITLE_ROOM), bottom - 30)
    }
}

/// Per panel: its title and cells (tests).
#[cfg(test)]
pub(super) fn panels(heatmap: &SweepHeatmap) -> &[(String, Vec<Option<f64>>)] {
    &heatmap.panels
}
