//! `sensitivity.csv` (Sobol indices, when the sweep was a sensitivity study) and its charts
//! `sensitivity_<metric>`: per parameter a bar of the first-order index (the share of the
//! metric's variance the parameter explains alone) and one of the total-order index (alone
//! and with its interactions), each with its 95 % bootstrap whisker.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{self, padded_range};
use super::fields::header_of;
use crate::model::sweep::Role;
use crate::output::layout::SENSITIVITY;
use crate::plot::PlotError;
use crate::plot::ensemble::figure::{self, Drawn, Figure, LABEL_SIZE, LegendItem, Swatch};
use crate::plot::ensemble::input::read_optional;
use crate::plot::render::SIZE;
use crate::table::Table;

/// One line of `sensitivity.csv`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SensitivityRow {
    /// The metric.
    pub metric: String,
    /// The parameter's path.
    pub parameter: String,
    /// "lever" or "uncertainty", as written.
    pub role: String,
    /// First-order index.
    pub first: Option<f64>,
    /// Half-width of its 95 % interval.
    pub first_conf: Option<f64>,
    /// Total-order index.
    pub total: Option<f64>,
    /// Half-width of its 95 % interval.
    pub total_conf: Option<f64>,
}

/// The lines of `dir/sensitivity.csv`, or `None` if there is no such file.
pub(crate) fn read(dir: &Path) -> Result<Option<Vec<SensitivityRow>>, PlotError> {
    let path = dir.join(SENSITIVITY.name);
    read_optional(&path)?
        .map(|text| parse(&text, &path))
        .transpose()
}

/// The lines of `sensitivity.csv`'s text.
pub(crate) fn parse(text: &str, path: &Path) -> Result<Vec<SensitivityRow>, PlotError> {
    let csv = Table::parse(text.as_bytes(), path)?;
    let [
        metric,
        parameter,
        role,
        first,
        first_conf,
        total,
        total_conf,
    ] = csv.columns(header_of(&SENSITIVITY))?;
    let mut rows = Vec::with_capacity(csv.rows().len());
    for row in csv.rows() {
        let role_text = row.name(role)?.trim();
        if ![Role::Lever, Role::Uncertainty]
            .iter()
            .any(|r| r.name() == role_text)
        {
            return Err(PlotError::from(row.error(
                role,
                format!("expected lever or uncertainty, found {role_text:?}"),
            )));
        }
        rows.push(SensitivityRow {
            metric: row.name(metric)?.to_string(),
            parameter: row.name(parameter)?.to_string(),
            role: role_text.to_string(),
            first: row.optional_number(first)?,
            first_conf: row.optional_number(first_conf)?,
            total: row.optional_number(total)?,
            total_conf: row.optional_number(total_conf)?,
        });
    }
    Ok(rows)
}

/// The metrics of `rows`, in order of first appearance.
pub(crate) fn metrics(rows: &[SensitivityRow]) -> Vec<&str> {
    let mut metrics: Vec<&str> = Vec::new();
    for row in rows {
        if !metrics.contains(&row.metric.as_str()) {
            metrics.push(&row.metric);
        }
    }
    metrics
}

/// One metric's bar chart, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SensitivityChart {
    name: String,
    caption: String,
    /// A pair of bars per parameter.
    bars: Vec<Bars>,
    x_range: (f64, f64),
}

/// One parameter's bars.
#[derive(Debug, Clone, PartialEq)]
struct Bars {
    /// The parameter's short name and role.
    label: String,
    /// The first- and the total-order index, each with the half-width of its interval.
    orders: [(Option<f64>, Option<f64>); 2],
}

/// Colours of the first- and total-order bars.
const ORDER_COLOURS: [usize; 2] = [0, 1];

/// The chart of `metric`'s indices (`scenario`: the scenario name, for the caption).
pub(crate) fn chart(rows: &[SensitivityRow], metric: &str, scenario: &str) -> SensitivityChart {
    let rows: Vec<&SensitivityRow> = rows.iter().filter(|r| r.metric == metric).collect();
    let paths: Vec<String> = rows.iter().map(|r| r.parameter.clone()).collect();
    let shorts = super::fields::short_names(&paths);
    let mut ends = Vec::new();
    let bars = rows
        .iter()
        .zip(shorts)
        .map(|(row, short)| {
            for (value, conf) in [(row.first, row.first_conf), (row.total, row.total_conf)] {
                if let Some(value) = value {
                    let conf = conf.unwrap_or(0.0);
                    ends.extend([value - conf, value + conf]);
                }
            }
            Bars {
                label: format!("{short} ({})", row.role),
                orders: [(row.first, row.first_conf), (row.total, row.total_conf)],
            }
        })
        .collect();
    // At least 0 to 0.1, so that indices near zero do not fill the width.
    ends.push(0.1);
    SensitivityChart {
        name: axes::file_stem("sensitivity", metric),
        caption: format!("{scenario}: what {metric} depends on (Sobol indices)"),
        bars,
        x_range: padded_range(&ends, true, 0.04),
    }
}

impl Figure for SensitivityChart {
    fn name(&self) -> &str {
        &self.name
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn<DB> {
        root.fill(&WHITE)?;
        let legend = [
            LegendItem {
                swatch: Swatch::Box(figure::colour(ORDER_COLOURS[0])),
                label: "first order: the parameter alone".into(),
            },
            LegendItem {
                swatch: Swatch::Box(figure::colour(ORDER_COLOURS[1])),
                label: "total order: alone and with its interactions".into(),
            },
            LegendItem {
                swatch: Swatch::Line(BLACK, 1),
                label: "95 % bootstrap interval".into(),
            },
        ];
        let body = figure::header(
            root,
            &self.caption,
            Some("share of the metric's variance across the sweep's points"),
            &legend,
        )?;
        let label_style = figure::font(LABEL_SIZE);
        let mut label_width = 0;
        for Bars { label, .. } in &self.bars {
            label_width = label_width.max(figure::text_width(root, label, &label_style)?);
        }
        let label_width = label_width.min(SIZE.0 as i32 / 3) + 20;
        let count = self.bars.len().max(1) as f64;
        let mut chart = ChartBuilder::on(&body)
            .margin(15)
            .margin_top(5)
            .margin_right(30)
            .x_label_area_size(55)
            .y_label_area_size(label_width)
            .build_cartesian_2d(self.x_range.0..self.x_range.1, 0.0..count)?;
        chart
            .configure_mesh()
            .x_desc("Sobol index (share of variance)")
            .axis_desc_style(figure::font(figure::AXIS_DESC_SIZE))
            .label_style(figure::font(LABEL_SIZE))
            .x_labels(10)
            .y_labels(0)
            .disable_y_mesh()
            .bold_line_style(BLACK.mix(0.1))
            .light_line_style(TRANSPARENT)
            .draw()?;
        chart.draw_series(std::iter::once(PathElement::new(
            [(0.0, 0.0), (0.0, count)],
            BLACK.stroke_width(1),
        )))?;
        for (index, Bars { label, orders }) in self.bars.iter().enumerate() {
            // The first parameter at the top.
            let centre = count - index as f64 - 0.5;
            for (order, &(value, conf)) in orders.iter().enumerate() {
                let Some(value) = value else { continue };
                let middle = centre + if order == 0 { 0.17 } else { -0.17 };
                let colour = figure::colour(ORDER_COLOURS[order]);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(0.0, middle - 0.15), (value, middle + 0.15)],
                    colour.mix(0.75).filled(),
                )))?;
                if let Some(conf) = conf.filter(|c| *c > 0.0) {
                    let whisker = [(value - conf, middle), (value + conf, middle)];
                    chart.draw_series(std::iter::once(PathElement::new(
                        whisker,
                        BLACK.stroke_width(1),
                    )))?;
                    for end in [value - conf, value + conf] {
                        chart.draw_series(std::iter::once(PathElement::new(
                            [(end, middle - 0.07), (end, middle + 0.07)],
                            BLACK.stroke_width(1),
                        )))?;
                    }
                }
            }
            let (x, y) = chart.backend_coord(&(self.x_range.0, centre));
            let text = figure::fit_middle(root, label, &label_style, label_width - 20)?;
            root.draw(&Text::new(
                text,
                (x - 10, y),
                label_style.pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
        }
        Ok(())
    }
}

/// The labels and first-order indices of a chart (tests).
#[cfg(test)]
pub(super) fn first_orders(chart: &SensitivityChart) -> Vec<(&str, Option<f64>)> {
    chart
        .bars
        .iter()
        .map(|bars| (bars.label.as_str(), bars.orders[0].0))
        .collect()
}
