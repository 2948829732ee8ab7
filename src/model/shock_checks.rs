//! The rules a scenario's shocks obey before any economy is known: unique names, non-empty
//! lists, start days inside the run (a warning when a drawn start may fall outside it),
//! rebuilding only where capital is lost, bounded demand factors.

use std::collections::BTreeSet;
use std::path::Path;

use super::Invalid;
use super::shocks::{Recovery, ShockDef, ShockKind, shock_def};
use crate::kinds::DaysDist;
use crate::scenario::ShockSpec;

/// The scenario's shocks, checked: unique names, non-empty lists, fixed start days inside the
/// run, rebuilding only where capital is lost, rebuilding shares that sum to 1.
pub(crate) fn from_specs(
    specs: &[ShockSpec],
    days: usize,
    source: &Path,
    warnings: &mut Vec<String>,
) -> Result<Vec<ShockDef>, Invalid> {
    let invalid = |at: String, message: String| Invalid::new(source, at, message);
    let mut names = BTreeSet::new();
    super::check_each(
        specs,
        |index, spec: &ShockSpec| -> Result<ShockDef, Invalid> {
            let def = shock_def(index, spec);
            if !names.insert(def.name.clone()) {
                return Err(invalid(
                    def.at,
                    format!("duplicate shock name {:?}: names must be unique", def.name),
                ));
            }
            if let ShockKind::CapacityLoss { impacts, .. } | ShockKind::CapitalLoss { impacts, .. } =
                &def.kind
                && impacts.is_empty()
            {
                return Err(invalid(
                    format!("{}: impacts", def.at),
                    "empty list: expected at least one (region, sector, value)".into(),
                ));
            }
            if let ShockKind::DemandChange { factor, .. } = &def.kind
                && *factor > MAX_DEMAND_FACTOR
            {
                return Err(invalid(
                    format!("{}: factor", def.at),
                    format!(
                        "{} times the baseline final demand: expected at most {MAX_DEMAND_FACTOR}",
                        if *factor < 1e6 {
                            factor.to_string()
                        } else {
                            format!("{factor:e}")
                        }
                    ),
                ));
            }
            if let ShockKind::TechCutoff { sectors, .. } = &def.kind
                && sectors.is_empty()
            {
                return Err(invalid(
                    format!("{}: sectors", def.at),
                    "empty list: expected the sectors cut off".into(),
                ));
            }
            if let Some(start_day) = def.kind.fixed_start_day()
                && (start_day as usize >= days || start_day == 0)
            {
                return Err(invalid(
                    format!("{}: start_day", def.at),
                    format!(
                        "day {start_day} is not inside the run (days 0..{days}): expected 1 <= start_day < days"
                    ),
                ));
            }
            if let Some((field, start)) = def.kind.drawn_start_day() {
                // the earliest day a draw can give: rounded, and day 0 becomes day 1
                let earliest = start.dist().support().0.round().max(1.0);
                if earliest >= days as f64 {
                    return Err(invalid(
                        format!("{}: {field}", def.at),
                        format!(
                            "{} never starts inside the run (days 0..{days}): its earliest day is {earliest}",
                            start.dist()
                        ),
                    ));
                }
                let late = share_drawn_after(start, days);
                if late > 0.0 {
                    warnings.push(format!(
                    "{}: {field}: {} starts on or after day {days} in about {} of runs, which then see no {} at all",
                    def.at,
                    start.dist(),
                    percent(late),
                    def.kind.label()
                ));
                }
            }
            match def.kind.recovery() {
                Some(Recovery::Rebuild { .. }) if !def.kind.can_rebuild() => {
                    return Err(invalid(
                        format!("{}: recovery", def.at),
                        format!(
                            "a {} cannot be rebuilt: expected Recover(function, tau_days)",
                            def.kind.label()
                        ),
                    ));
                }
                Some(Recovery::Rebuild { sectors, .. }) => {
                    let total: f64 = sectors.iter().map(|(_, share)| share).sum();
                    if sectors.is_empty() || (total - 1.0).abs() > 1e-9 {
                        return Err(invalid(
                            format!("{}: recovery.sectors", def.at),
                            format!("shares sum to {total}: expected them to sum to 1"),
                        ));
                    }
                }
                _ => {}
            }
            Ok(def)
        },
    )
}

/// Draws of a start day estimated from: enough for a share to about 1 %.
const START_DRAWS: u64 = 20_000;

/// The share of runs whose drawn start falls on or after the last day (estimated from
/// [`START_DRAWS`] draws of a fixed stream, so the same on every machine).
fn share_drawn_after(start: &DaysDist, days: usize) -> f64 {
    let (_, highest) = start.dist().support();
    if highest.round() < days as f64 {
        return 0.0;
    }
    let mut rng = crate::seeding::stream_rng(0, &[7]);
    let late = (0..START_DRAWS)
        .filter(|_| start.sample(&mut rng).max(1) as usize >= days)
        .count();
    late as f64 / START_DRAWS as f64
}

/// A share as a rounded percentage ("< 1 %" below one per cent).
fn percent(share: f64) -> String {
    if share < 0.01 {
        "< 1 %".into()
    } else {
        format!("{:.0} %", 100.0 * share)
    }
}

/// Largest multiplier of final demand a `DemandChange` accepts: a hundredfold surge is far
/// past any recorded panic buying, and factors like `1e300` only overflow the results.
pub const MAX_DEMAND_FACTOR: f64 = 100.0;

/// The names of the shocks as written (for rules that refer to them, checked even when a
/// shock itself is invalid).
pub(crate) fn names(specs: &[ShockSpec]) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(specs.len());
    for (index, spec) in specs.iter().enumerate() {
        let name = shock_def(index, spec).name;
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}
