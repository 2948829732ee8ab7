//! Scenario discovery's files (`discovery.csv`: PRIM's peeling trajectory;
//! `discovery_box.csv`: the box it chose) and the chart `discovery_tradeoff`: coverage
//! against density over the trajectory, the chosen step marked.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes;
use super::fields::{boolean, header_of};
use crate::output::layout::{DISCOVERY, DISCOVERY_BOX};
use crate::plot::PlotError;
use crate::plot::ensemble::figure::{self, Drawn, Figure, GREY, LegendItem, Swatch};
use crate::plot::ensemble::input::read_optional;
use crate::plot::ensemble::report::format_significant;
use crate::table::Table;

/// What scenario discovery wrote; either file may be missing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Discovery {
    /// The lines of `discovery.csv` (empty without the file).
    pub trajectory: Vec<PeelingStep>,
    /// The lines of `discovery_box.csv`, if that file exists.
    pub limits: Option<Vec<BoxLimit>>,
}

/// One step of the peeling trajectory.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PeelingStep {
    /// Which runs are cases, e.g. `va_loss_pct > 2`.
    pub condition: String,
    /// The step, from 0 (the whole space).
    pub step: usize,
    /// Share of all cases that are in the box.
    pub coverage: f64,
    /// Share of the runs in the box that are cases.
    pub density: f64,
    /// Share of all runs that are in the box.
    pub mass: f64,
    /// Parameters the box restricts.
    pub restricted: usize,
    /// Whether this is the box chosen.
    pub chosen: bool,
}

/// One parameter's limits in the chosen box.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BoxLimit {
    /// The parameter's path.
    pub parameter: String,
    /// The box's lower limit.
    pub lower: f64,
    /// Its upper limit.
    pub upper: f64,
    /// The least value of the parameter in the sweep.
    pub min: f64,
    /// The largest.
    pub max: f64,
}

impl BoxLimit {
    /// Whether the box restricts the parameter at all.
    pub fn restricts(&self) -> bool {
        self.lower > self.min || self.upper < self.max
    }
}

/// The discovery files in `dir`, or `None` if neither exists.
pub(crate) fn read(dir: &Path) -> Result<Option<Discovery>, PlotError> {
    let path = dir.join(DISCOVERY.name);
    let trajectory = read_optional(&path)?
        .map(|text| parse_trajectory(&text, &path))
        .transpose()?;
    let box_path = dir.join(DISCOVERY_BOX.name);
    let limits = read_optional(&box_path)?
        .map(|text| parse_box(&text, &box_path))
        .transpose()?;
    if trajectory.is_none() && limits.is_none() {
        return Ok(None);
    }
    Ok(Some(Discovery {
        trajectory: trajectory.unwrap_or_default(),
        limits,
    }))
}

/// The steps of `discovery.csv`'s text.
pub(crate) fn parse_trajectory(text: &str, path: &Path) -> Result<Vec<PeelingStep>, PlotError> {
    let csv = Table::parse(text.as_bytes(), path)?;
    let [condition, step, coverage, density, mass, restricted, chosen] =
        csv.columns(header_of(&DISCOVERY))?;
    let mut steps = Vec::with_capacity(csv.rows().len());
    for row in csv.rows() {
        let share = |index: usize| -> Result<f64, PlotError> {
            let value = row.number(index)?;
            if (0.0..=1.0).contains(&value) {
                Ok(value)
            } else {
                Err(PlotError::from(row.error(
                    index,
                    format!("expected a share from 0 to 1, found {value}"),
                )))
            }
        };
        steps.push(PeelingStep {
            condition: row.name(condition)?.to_string(),
            step: row.count(step)?,
            coverage: share(coverage)?,
            density: share(density)?,
            mass: share(mass)?,
            restricted: row.count(restricted)?,
            chosen: boolean(row, chosen)?,
        });
    }
    Ok(steps)
}

/// The limits of `discovery_box.csv`'s text.
pub(crate) fn parse_box(text: &str, path: &Path) -> Result<Vec<BoxLimit>, PlotError> {
    let csv = Table::parse(text.as_bytes(), path)?;
    let [parameter, lower, upper, min, max] = csv.columns(header_of(&DISCOVERY_BOX))?;
    let mut limits = Vec::with_capacity(csv.rows().len());
    for row in csv.rows() {
        limits.push(BoxLimit {
            parameter: row.name(parameter)?.to_string(),
            lower: row.number(lower)?,
            upper: row.number(upper)?,
            min: row.number(min)?,
            max: row.number(max)?,
        });
    }
    Ok(limits)
}

/// The trade-off chart, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tradeoff {
    caption: String,
    /// A line per condition.
    lines: Vec<Trajectory>,
    /// The chosen step's description, per condition with one.
    notes: Vec<String>,
}

/// One condition's peeling trajectory.
#[derive(Debug, Clone, PartialEq)]
struct Trajectory {
    condition: String,
    /// `(coverage, density)` per step.
    steps: Vec<(f64, f64)>,
    /// Index into `steps` of the box chosen.
    chosen: Option<usize>,
}

/// The trade-off chart of `discovery`, if it has a trajectory.
pub(crate) fn tradeoff(discovery: &Discovery, scenario: &str) -> Option<Tradeoff> {
    let mut lines: Vec<Trajectory> = Vec::new();
    let mut notes = Vec::new();
    for step in &discovery.trajectory {
        let at = match lines.iter().position(|l| l.condition == step.condition) {
            Some(at) => at,
            None => {
                lines.push(Trajectory {
                    condition: step.condition.clone(),
                    steps: Vec::new(),
                    chosen: None,
                });
                lines.len() - 1
            }
        };
        let line = &mut lines[at];
        if step.chosen && line.chosen.is_none() {
            line.chosen = Some(line.steps.len());
            notes.push(format!(
                "chosen: step {}, coverage {}, density {}, mass {}, {} restricted",
                step.step,
                format_significant(step.coverage),
                format_significant(step.density),
                format_significant(step.mass),
                step.restricted
            ));
        }
        line.steps.push((step.coverage, step.density));
    }
    if lines.is_empty() {
        return None;
    }
    Some(Tradeoff {
        caption: format!("{scenario}: scenario discovery, coverage against density"),
        lines,
        notes,
    })
}

impl Figure for Tradeoff {
    fn name(&self) -> &str {
        "discovery_tradeoff"
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn<DB> {
        root.fill(&WHITE)?;
        let mut legend: Vec<LegendItem> = self
            .lines
            .iter()
            .enumerate()
            .map(|(index, line)| LegendItem {
                swatch: Swatch::Line(figure::colour(index), 2),
                label: format!("peeling trajectory of {}", line.condition),
            })
            .collect();
        legend.push(LegendItem {
            swatch: Swatch::Circle(BLACK, 7, false),
            label: "the box chosen".into(),
        });
        let body = figure::header(
            root,
            &self.caption,
            Some(
                "each step peels the box smaller: fewer of all cases inside (coverage), \
                 more of the runs inside are cases (density)",
            ),
            &legend,
        )?;
        let mut chart = axes::numeric_axes(
            &body,
            ((-0.02, 1.02), "coverage: share of all cases inside the box"),
            (
                (-0.02, 1.02),
                "density: share of the box's runs that are cases",
            ),
        )?;
        let mut notes = self.notes.iter();
        for (index, Trajectory { steps, chosen, .. }) in self.lines.iter().enumerate() {
            let colour = figure::colour(index);
            chart.draw_series(LineSeries::new(
                steps.iter().copied(),
                colour.stroke_width(2),
            ))?;
            chart.draw_series(
                steps
                    .iter()
                    .map(|&point| Circle::new(point, 3, colour.filled())),
            )?;
            let Some(chosen) = chosen else { continue };
            let point = steps[*chosen];
            chart.draw_series(std::iter::once(Circle::new(
                point,
                9,
                BLACK.stroke_width(2),
            )))?;
            let (x, y) = chart.backend_coord(&point);
            let note = notes.next().cloned().unwrap_or_default();
            // Towards the middle of the chart, where there is room.
            let (anchor, dx) = if point.0 > 0.5 {
                (HPos::Right, -14)
            } else {
                (HPos::Left, 14)
            };
            let (vertical, dy) = if point.1 > 0.5 {
                (VPos::Top, 12)
            } else {
                (VPos::Bottom, -12)
            };
            root.draw(&Text::new(
                note,
                (x + dx, y + dy),
                figure::font(15)
                    .color(&GREY)
                    .pos(Pos::new(anchor, vertical)),
            ))?;
        }
        Ok(())
    }
}

/// The chosen step of every condition (tests).
#[cfg(test)]
pub(super) fn chosen_points(chart: &Tradeoff) -> Vec<(f64, f64)> {
    chart
        .lines
        .iter()
        .filter_map(|line| line.chosen.map(|c| line.steps[c]))
        .collect()
}
