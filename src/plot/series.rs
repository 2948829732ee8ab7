//! What each chart shows, computed from the records: plain numbers and labels, no drawing.

use std::collections::HashMap;

use super::PlotError;
use super::records::Table;

/// At most this many regional lines per chart; beyond that the most affected are shown,
/// so that the legend stays readable. Also the number of palette colours.
pub(crate) const MAX_REGION_LINES: usize = 10;
/// At most this many region names in a legend note.
const MAX_NAMES_IN_NOTE: usize = 4;

/// How the values on the y axis read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Scale {
    /// Percentages.
    Percent,
    /// Money per day, with k/M/G suffixes.
    Money,
}

/// How the y range is chosen from the data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Floor {
    /// Minimum to maximum, padded on both sides.
    Padded,
    /// From zero (or the minimum if negative) to the padded maximum.
    Zero,
}

/// One line of a chart.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    /// Legend text.
    pub label: String,
    /// One value per day.
    pub values: Vec<f64>,
    /// Drawn thick and black (a total), rather than thin in a palette colour.
    pub emphasis: bool,
    /// Index into the palette (ignored with `emphasis`).
    pub colour: usize,
}

/// A line chart ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LineChart {
    /// File stem under `plots/`.
    pub name: &'static str,
    /// Title above the chart.
    pub caption: String,
    /// Y axis description.
    pub y_desc: String,
    /// How tick labels read.
    pub scale: Scale,
    /// How the y range is chosen.
    pub floor: Floor,
    /// The x value (day) of each point.
    pub days: Vec<f64>,
    /// The lines, in legend order.
    pub lines: Vec<Line>,
    /// A thin grey horizontal line at this value (the baseline), if any.
    pub reference: Option<f64>,
    /// Legend entries without a line, e.g. regions left out.
    pub notes: Vec<String>,
}

/// Production of the whole economy and of each region, in % of its value on the first day.
pub(crate) fn production(production: &Table, title: &str) -> Result<LineChart, PlotError> {
    let all_columns: Vec<usize> = (0..production.columns.len()).collect();
    let national = production.sum_columns(&all_columns);
    let Some(national) = relative_to_first(&national) else {
        return Err(PlotError::Data {
            path: production.path.clone(),
            message: "total production on the first day is not positive, so there is no \
                      baseline to compare with"
                .into(),
        });
    };
    let mut regional = Vec::new();
    let mut without_baseline = Vec::new();
    for (index, (region, columns)) in production.regions().into_iter().enumerate() {
        match relative_to_first(&production.sum_columns(&columns)) {
            Some(values) => regional.push((index, region, values)),
            None => without_baseline.push(region),
        }
    }
    let total_regions = regional.len() + without_baseline.len();
    let (mut lines, shown) = region_lines(regional, total_regions, |values| {
        values.iter().map(|v| (v - 100.0).abs()).fold(0.0, f64::max)
    });
    lines.insert(
        0,
        Line {
            label: "total, all regions".into(),
            values: national,
            emphasis: true,
            colour: 0,
        },
    );
    let mut notes = Vec::new();
    if !without_baseline.is_empty() {
        notes.push(format!(
            "no output on day 0: {}",
            name_list(&without_baseline)
        ));
    }
    Ok(LineChart {
        name: "production",
        caption: format!("{title}: production relative to baseline{shown}"),
        y_desc: "production, % of baseline (day 0)".into(),
        scale: Scale::Percent,
        floor: Floor::Padded,
        days: production.days.clone(),
        lines,
        reference: Some(100.0),
        notes,
    })
}

/// Per region, the share of capacity lost, weighted by each industry's first-day production.
pub(crate) fn capacity_loss(
    loss: &Table,
    production: &Table,
    title: &str,
) -> Result<LineChart, PlotError> {
    // Only looked up, never iterated, so its order cannot matter.
    let production_column: HashMap<&str, usize> = production
        .columns
        .iter()
        .enumerate()
        .map(|(index, column)| (column.as_str(), index))
        .collect();
    let mut weights = Vec::with_capacity(loss.columns.len());
    for column in &loss.columns {
        let Some(&index) = production_column.get(column.as_str()) else {
            return Err(PlotError::Data {
                path: loss.path.clone(),
                message: format!(
                    "column {column:?} is not in {}, so it has no output to weight it",
                    production.path.display()
                ),
            });
        };
        weights.push(production.rows[0][index]);
    }
    let mut regional = Vec::new();
    let mut without_loss = Vec::new();
    for (index, (region, columns)) in loss.regions().into_iter().enumerate() {
        let total_weight: f64 = columns.iter().map(|&c| weights[c]).sum();
        let values: Vec<f64> = loss
            .rows
            .iter()
            .map(|row| {
                if total_weight > 0.0 {
                    let lost: f64 = columns.iter().map(|&c| row[c] * weights[c]).sum();
                    100.0 * lost / total_weight
                } else {
                    0.0
                }
            })
            .collect();
        if values.iter().all(|&v| v == 0.0) {
            without_loss.push(region);
        } else {
            regional.push((index, region, values));
        }
    }
    let total_regions = regional.len() + without_loss.len();
    let (lines, shown) = region_lines(regional, total_regions, |values| {
        values.iter().copied().fold(0.0, f64::max)
    });
    let mut notes = Vec::new();
    if !without_loss.is_empty() {
        notes.push(format!("no capacity lost: {}", name_list(&without_loss)));
    }
    Ok(LineChart {
        name: "capacity_loss",
        caption: format!("{title}: capacity lost, by region{shown}"),
        y_desc: "capacity lost, % of regional baseline output".into(),
        scale: Scale::Percent,
        floor: Floor::Zero,
        days: loss.days.clone(),
        lines,
        reference: None,
        notes,
    })
}

/// Unmet final demand summed over products, per demanding region.
pub(crate) fn final_demand_unmet(unmet: &Table, title: &str) -> LineChart {
    let mut regional = Vec::new();
    let mut fully_served = Vec::new();
    for (index, (region, columns)) in unmet.regions().into_iter().enumerate() {
        let values = unmet.sum_columns(&columns);
        if values.iter().all(|&v| v == 0.0) {
            fully_served.push(region);
        } else {
            regional.push((index, region, values));
        }
    }
    let total_regions = regional.len() + fully_served.len();
    let (lines, shown) = region_lines(regional, total_regions, |values| {
        values.iter().map(|v| v.abs()).sum()
    });
    let mut notes = Vec::new();
    if !fully_served.is_empty() {
        notes.push(format!("all demand met: {}", name_list(&fully_served)));
    }
    LineChart {
        name: "final_demand_unmet",
        caption: format!("{title}: unmet final demand, by demanding region{shown}"),
        y_desc: "unmet final demand (MRIO money unit per day)".into(),
        scale: Scale::Money,
        floor: Floor::Zero,
        days: unmet.days.clone(),
        lines,
        reference: None,
        notes,
    }
}

/// `values` in % of the first one, or `None` if the first is not positive.
fn relative_to_first(values: &[f64]) -> Option<Vec<f64>> {
    let first = *values.first()?;
    (first > 0.0).then(|| values.iter().map(|v| 100.0 * v / first).collect())
}

/// One line per region from `(region index, name, values)`, keeping the [`MAX_REGION_LINES`]
/// with the largest `impact` (in their original order). Also returns the caption suffix that
/// says how many of the `total_regions` are shown, empty if all candidates are.
pub(crate) fn region_lines(
    regional: Vec<(usize, String, Vec<f64>)>,
    total_regions: usize,
    impact: impl Fn(&[f64]) -> f64,
) -> (Vec<Line>, String) {
    let candidates = regional.len();
    let many = candidates > MAX_REGION_LINES;
    let mut keep = vec![!many; candidates];
    if many {
        let mut order: Vec<usize> = (0..candidates).collect();
        // Stable sort: equal impacts keep the region order, so the choice is deterministic.
        order.sort_by(|&a, &b| impact(&regional[b].2).total_cmp(&impact(&regional[a].2)));
        for &index in &order[..MAX_REGION_LINES] {
            keep[index] = true;
        }
    }
    // With no more regions than colours a region keeps its colour across charts; with more,
    // colours go by position so that no two shown lines share one.
    let colour_by_region = total_regions <= MAX_REGION_LINES;
    let lines: Vec<Line> = regional
        .into_iter()
        .zip(keep)
        .filter_map(|(line, keep)| keep.then_some(line))
        .enumerate()
        .map(|(position, (region_index, region, values))| Line {
            label: region,
            values,
            emphasis: false,
            colour: if colour_by_region {
                region_index
            } else {
                position
            },
        })
        .collect();
    let suffix = if many {
        format!(
            " ({} most affected of {total_regions} regions)",
            lines.len()
        )
    } else {
        String::new()
    };
    (lines, suffix)
}

/// `a, b, c` or `a, b, c, d and 7 more`.
pub(crate) fn name_list(names: &[String]) -> String {
    if names.len() <= MAX_NAMES_IN_NOTE {
        names.join(", ")
    } else {
        format!(
            "{} and {} more",
            names[..MAX_NAMES_IN_NOTE].join(", "),
            names.len() - MAX_NAMES_IN_NOTE
        )
    }
}
