//! The ensemble charts that are plain line charts, drawn like the per-run charts: `backup`
//! (mean backup output per day, per variant), `backup_activation` (mean share of backup units
//! producing, per variant) and `unmet_final_demand` (mean unmet final demand per day, per
//! demanding region, for the base variant).

use super::input::{DailySeries, Ensemble};
use crate::plot::PlotError;
use crate::plot::series::{Floor, Line, LineChart, Scale, name_list, region_lines};

const UNMET_PREFIX: &str = "unmet_final_demand:";

/// Mean backup output per day of every variant that has some; `None` if none has.
pub(crate) fn backup(ensemble: &Ensemble) -> Result<Option<LineChart>, PlotError> {
    per_variant(
        ensemble,
        VariantChart {
            name: "backup",
            series: "backup_output",
            what: "backup output per day",
            y_desc: "backup output ({money} per day)",
            scale: Scale::Money,
            factor: 1.0,
            none_note: "no backup output",
        },
    )
}

/// Share of backup units producing (ramping or active) per day, mean over runs, for every
/// variant that ever activates; `None` if none does.
pub(crate) fn backup_activation(ensemble: &Ensemble) -> Result<Option<LineChart>, PlotError> {
    per_variant(
        ensemble,
        VariantChart {
            name: "backup_activation",
            series: "backup_active",
            what: "backup units producing",
            y_desc: "units ramping or active, % of backup units",
            scale: Scale::Percent,
            factor: 100.0,
            none_note: "never activated",
        },
    )
}

/// A chart with one line per variant: the daily mean of one `daily.csv` series.
struct VariantChart {
    name: &'static str,
    series: &'static str,
    what: &'static str,
    y_desc: &'static str,
    scale: Scale,
    /// Multiplies the values (100 for shares shown in %).
    factor: f64,
    /// Note listing the variants whose series is all zero or absent.
    none_note: &'static str,
}

/// The chart of `spec` for every variant whose series is not all zero; `None` if none has one.
fn per_variant(ensemble: &Ensemble, spec: VariantChart) -> Result<Option<LineChart>, PlotError> {
    let mut days: Option<Vec<f64>> = None;
    let mut lines = Vec::new();
    let mut without = Vec::new();
    for (index, name) in ensemble.variants.iter().enumerate() {
        let found = ensemble
            .series(index, spec.series)
            .and_then(|series| means(series).map(|values| (series, values)));
        let Some((series, values)) = found.filter(|(_, v)| v.iter().any(|&x| x != 0.0)) else {
            without.push(name.clone());
            continue;
        };
        check_days(ensemble, &mut days, series)?;
        lines.push(Line {
            label: name.clone(),
            values: values.iter().map(|v| spec.factor * v).collect(),
            emphasis: false,
            colour: index,
        });
    }
    let Some(days) = days else {
        return Ok(None);
    };
    let notes = if without.is_empty() {
        Vec::new()
    } else {
        vec![format!("{}: {}", spec.none_note, name_list(&without))]
    };
    Ok(Some(LineChart {
        name: spec.name,
        caption: format!(
            "{}: {}, by variant (mean{})",
            ensemble.manifest.name,
            spec.what,
            ensemble.runs_phrase()
        ),
        y_desc: spec.y_desc.replace("{money}", &ensemble.money_unit()),
        scale: spec.scale,
        floor: Floor::Zero,
        days,
        lines,
        reference: None,
        notes,
    }))
}

/// Mean unmet final demand per day of each demanding region, for the base variant; `None`
/// if `daily.csv` has no such series for it.
pub(crate) fn unmet_final_demand(ensemble: &Ensemble) -> Result<Option<LineChart>, PlotError> {
    let base = ensemble.base_variant();
    let mut days: Option<Vec<f64>> = None;
    let mut regional = Vec::new();
    let mut fully_served = Vec::new();
    let mut without_data = Vec::new();
    let mut total_regions = 0;
    for series in ensemble.daily.iter().filter(|s| s.variant == base) {
        let Some(region) = series.name.strip_prefix(UNMET_PREFIX) else {
            continue;
        };
        let region_index = total_regions;
        total_regions += 1;
        let Some(values) = means(series) else {
            without_data.push(region.to_string());
            continue;
        };
        check_days(ensemble, &mut days, series)?;
        if values.iter().all(|&v| v == 0.0) {
            fully_served.push(region.to_string());
        } else {
            regional.push((region_index, region.to_string(), values));
        }
    }
    let Some(days) = days else {
        return Ok(None);
    };
    let (lines, shown) = region_lines(regional, total_regions, |values| {
        values.iter().map(|v| v.abs()).sum()
    });
    let mut notes = Vec::new();
    if !fully_served.is_empty() {
        notes.push(format!("all demand met: {}", name_list(&fully_served)));
    }
    if !without_data.is_empty() {
        notes.push(format!("no data: {}", name_list(&without_data)));
    }
    Ok(Some(LineChart {
        name: "unmet_final_demand",
        caption: format!(
            "{}: unmet final demand per day by region, variant {} (mean{}){shown}",
            ensemble.manifest.name,
            ensemble.variants[base],
            ensemble.runs_phrase()
        ),
        y_desc: format!("unmet final demand ({} per day)", ensemble.money_unit()),
        scale: Scale::Money,
        floor: Floor::Zero,
        days,
        lines,
        reference: None,
        notes,
    }))
}

/// The mean of every day, or `None` if a day has none.
fn means(series: &DailySeries) -> Option<Vec<f64>> {
    series.points.iter().map(|point| point.mean).collect()
}

/// All lines of a chart share their days: the first series sets them, the others must
/// have the same.
fn check_days(
    ensemble: &Ensemble,
    days: &mut Option<Vec<f64>>,
    series: &DailySeries,
) -> Result<(), PlotError> {
    let these: Vec<f64> = series.points.iter().map(|point| point.day).collect();
    match days {
        None => {
            *days = Some(these);
            Ok(())
        }
        Some(days) if *days == these => Ok(()),
        Some(days) => Err(PlotError::Data {
            path: ensemble.dir.join("daily.csv"),
            message: format!(
                "series {:?} of variant {:?} has {} days, unlike the other series of its \
                 chart ({} days, or other days)",
                series.name,
                ensemble.variants[series.variant],
                these.len(),
                days.len()
            ),
        }),
    }
}
