//! `loss_by_magnitude`: for the top industries, the loss against the share of capacity the
//! outage removes, a line with markers each, and beside each a thin dashed line of the loss
//! proportional to its smallest outage (`loss(m_min) · m / m_min`): where the line rises
//! above its dashed line, the loss grows faster than the outage.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::input::RankOutput;
use super::{LOSS_DESC, drawable, industry_label};
use crate::output::layout::LOSS_BY_MAGNITUDE;
use crate::plot::PlotError;
use crate::plot::ensemble::figure::{self, Drawn, Figure, GREY, LegendItem, Swatch};
use crate::plot::sweep::axes::{self, padded_range};

/// The chart, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MagnitudeChart {
    caption: String,
    curves: Vec<Curve>,
    x_range: (f64, f64),
    y_range: (f64, f64),
}

/// One industry's curve.
#[derive(Debug, Clone, PartialEq)]
struct Curve {
    /// "region · sector".
    label: String,
    /// `(magnitude in % of capacity, loss in days)`, magnitudes increasing.
    points: Vec<(f64, f64)>,
    /// The loss proportional to the smallest outage's, at the same magnitudes.
    proportional: Vec<(f64, f64)>,
}

/// The chart of `loss_by_magnitude.csv`, `None` if no row has a simulated loss, or an error
/// if a loss is too large to draw.
pub(crate) fn chart(output: &RankOutput) -> Result<Option<MagnitudeChart>, PlotError> {
    let mut curves: Vec<Curve> = Vec::new();
    let mut industry: Option<(&str, &str)> = None;
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for row in &output.by_magnitude {
        let this = (row.region.as_str(), row.sector.as_str());
        if industry != Some(this) {
            industry = Some(this);
            curves.push(Curve {
                label: industry_label(&row.region, &row.sector),
                points: Vec::new(),
                proportional: Vec::new(),
            });
        }
        let Some(loss) = row.loss.total else { continue };
        if let Some(curve) = curves.last_mut() {
            drawable(loss, &curve.label, &output.dir.join(LOSS_BY_MAGNITUDE.name))?;
            curve.points.push((100.0 * row.magnitude, loss));
            xs.push(100.0 * row.magnitude);
            ys.push(loss);
        }
    }
    curves.retain(|curve| !curve.points.is_empty());
    for curve in &mut curves {
        let (smallest, loss) = curve.points[0];
        curve.proportional = curve
            .points
            .iter()
            .map(|&(x, _)| (x, loss * x / smallest))
            .collect();
        for &(_, y) in &curve.proportional {
            drawable(y, &curve.label, &output.dir.join(LOSS_BY_MAGNITUDE.name))?;
            ys.push(y);
        }
    }
    if curves.is_empty() {
        return Ok(None);
    }
    Ok(Some(MagnitudeChart {
        caption: format!(
            "{}: loss against the outage's magnitude, top {} industries",
            output.manifest.name,
            curves.len()
        ),
        curves,
        x_range: padded_range(&xs, false, 0.05),
        y_range: padded_range(&ys, true, 0.06),
    }))
}

impl Figure for MagnitudeChart {
    fn name(&self) -> &str {
        "loss_by_magnitude"
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn<DB> {
        root.fill(&WHITE)?;
        let mut legend: Vec<LegendItem> = self
            .curves
            .iter()
            .enumerate()
            .map(|(index, curve)| LegendItem {
                swatch: Swatch::Line(figure::colour(index), 3),
                label: curve.label.clone(),
            })
            .collect();
        legend.push(LegendItem {
            swatch: Swatch::Dashed(GREY),
            label: "proportional to the smallest outage".into(),
        });
        let body = figure::header(
            root,
            &self.caption,
            Some(
                "the same outage of each industry at every magnitude; a line above its dashed \
                 line: the loss grows faster than the share of capacity lost",
            ),
            &legend,
        )?;
        let mut chart = axes::numeric_axes(
            &body,
            (self.x_range, "outage magnitude, % of capacity lost"),
            (self.y_range, LOSS_DESC),
        )?;
        for (index, curve) in self.curves.iter().enumerate() {
            if let [first, .., last] = curve.proportional.as_slice() {
                chart.draw_series(DashedLineSeries::new(
                    [*first, *last],
                    6,
                    5,
                    figure::colour(index).stroke_width(1),
                ))?;
            }
        }
        for (index, curve) in self.curves.iter().enumerate() {
            let style = figure::colour(index).stroke_width(3);
            let points = curve.points.iter().copied();
            chart.draw_series(LineSeries::new(points.clone(), style))?;
            chart.draw_series(points.map(|point| Circle::new(point, 5, style.filled())))?;
        }
        Ok(())
    }
}

/// A curve's label, points and proportional reference (tests).
#[cfg(test)]
pub(super) type CurveView<'a> = (&'a str, &'a [(f64, f64)], &'a [(f64, f64)]);

/// Every curve (tests).
#[cfg(test)]
pub(super) fn curves(chart: &MagnitudeChart) -> Vec<CurveView<'_>> {
    chart
        .curves
        .iter()
        .map(|curve| {
            (
                curve.label.as_str(),
                curve.points.as_slice(),
                curve.proportional.as_slice(),
            )
        })
        .collect()
}
