//! The ensemble charts that are plain line charts, drawn like the per-run charts, one line per
//! variant: `backup` (mean backup output per day), `backup_activation` (mean share of backup
//! units producing), `reserve_stock` (mean stock of the strategic reserves) and
//! `unmet_final_demand` (mean unmet final demand per day of the domestic regions; foreign
//! demand, i.e. exports, is left out and named).

use super::input::{DailySeries, Ensemble};
use crate::plot::PlotError;
use crate::plot::series::{Floor, Line, LineChart, Scale, name_list};

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

/// Stock of every strategic reserve per day (summed), mean over runs, for every variant that
/// holds some; `None` if none does.
pub(crate) fn reserve_stock(ensemble: &Ensemble) -> Result<Option<LineChart>, PlotError> {
    per_variant(
        ensemble,
        VariantChart {
            name: "reserve_stock",
            series: "reserve_stock",
            what: "stock of the strategic reserves",
            y_desc: "reserve stock, all reserves ({money})",
            scale: Scale::Money,
            factor: 1.0,
            none_note: "no reserve",
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

/// Mean unmet final demand per day of the domestic demanding regions (summed: the mean of
/// the sum is the sum of the means), one line per variant; `None` if `daily.csv` has no such
/// series. Regions that `industry_loss.csv` marks foreign are left out and named.
pub(crate) fn unmet_final_demand(ensemble: &Ensemble) -> Result<Option<LineChart>, PlotError> {
    let foreign = ensemble.foreign_regions();
    let mut days: Option<Vec<f64>> = None;
    let mut lines = Vec::new();
    let mut fully_served = Vec::new();
    let mut without_data = Vec::new();
    let mut left_out: Vec<String> = Vec::new();
    for (index, name) in ensemble.variants.iter().enumerate() {
        let mut total: Option<Vec<f64>> = None;
        let mut missing = false;
        for series in ensemble.daily.iter().filter(|s| s.variant == index) {
            let Some(region) = series.name.strip_prefix(UNMET_PREFIX) else {
                continue;
            };
            if foreign.iter().any(|f| f == region) {
                if !left_out.iter().any(|r| r == region) {
                    left_out.push(region.to_string());
                }
                continue;
            }
            let Some(values) = means(series) else {
                missing = true;
                continue;
            };
            check_days(ensemble, &mut days, series)?;
            match &mut total {
                Some(total) => total.iter_mut().zip(&values).for_each(|(t, v)| *t += v),
                None => total = Some(values),
            }
        }
        match total {
            None if missing => without_data.push(name.clone()),
            None => {}
            Some(total) if total.iter().all(|&v| v == 0.0) => fully_served.push(name.clone()),
            Some(total) => lines.push(Line {
                label: name.clone(),
                values: total,
                emphasis: false,
                colour: index,
            }),
        }
    }
    let Some(days) = days else {
        return Ok(None);
    };
    let mut notes = Vec::new();
    if !fully_served.is_empty() {
        notes.push(format!("all demand met: {}", name_list(&fully_served)));
    }
    if !without_data.is_empty() {
        notes.push(format!("no data: {}", name_list(&without_data)));
    }
    if !left_out.is_empty() {
        notes.push(format!("foreign demand left out: {}", name_list(&left_out)));
    }
    Ok(Some(LineChart {
        name: "unmet_final_demand",
        caption: format!(
            "{}: unmet final demand per day in domestic regions, by variant (mean{})",
            ensemble.manifest.name,
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
