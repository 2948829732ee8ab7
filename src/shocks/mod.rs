//! Shock primitives attached to an economy: names resolved to firms, and the damage each
//! primitive does on a given day.
//!
//! * `CapacityLoss` — a share of capacity lost by every firm of the listed industries.
//! * `CapitalLoss` + `Recover` — capital destroyed (spread over an industry's firms in
//!   proportion to their capital), decaying along a recovery function.
//! * `CapitalLoss` + `Rebuild` — capital destroyed, replaced by reconstruction demand addressed
//!   to the damaged firm's own suppliers of each rebuilding sector.
//!
//! Timing (day `t`, `s` = start day, `d` = duration, `E = s + d`, `φ(e)` the recovery
//! function of §3.2):
//!
//! | primitive | `compat: Clean` | `compat: Boario072` |
//! |---|---|---|
//! | capacity loss | `a0` on `s ≤ t < E`, then `φ(t − E + 1)` | `a0` on `s+1 ≤ t ≤ E+2`, then `round(φ(t − 2 − E), 6)` (BoARIO's one-step lag) |
//! | capital, recover | `d0` on `s ≤ t < E`, then `φ(t − E + 1)` | `d0` on `s ≤ t ≤ E`, then `round(φ(t − 1 − E), 7)` |
//! | capital, rebuild | `d0` until the stock starts being rebuilt on day `E` | same, stock rounded to 7 decimals after each day |
//!
//! So under `Clean` a loss lasts exactly `duration_days` at full strength and a `Linear`
//! recovery over `tau_days` is complete on day `E + tau_days − 1` (with `tau_days: 1` the loss
//! is gone on day `E`). BoARIO keeps the full loss one day (capital) or two days (capacity)
//! longer.

use std::path::Path;

use crate::economy::Economy;
use crate::model::{Recovery, ShockDef, ShockKind};
use crate::scenario::{Compat, RecoveryFunction, ScenarioError};

/// Decimals BoARIO rounds capital damage to (`int(log10(10^6)) + 1`).
pub const BOARIO_CAPITAL_DECIMALS: i32 = 7;
/// Decimals BoARIO rounds arbitrary capacity losses to.
pub const BOARIO_CAPACITY_DECIMALS: i32 = 6;

/// A capacity loss resolved to firms.
#[derive(Debug, Clone, PartialEq)]
pub struct CapacityShock {
    /// Shock name.
    pub name: String,
    /// First day.
    pub start_day: u32,
    /// Days at full loss.
    pub duration_days: u32,
    /// Recovery shape.
    pub function: RecoveryFunction,
    /// Recovery time constant in days.
    pub tau_days: u32,
    /// `(firm, share of capacity lost)`, sorted by firm.
    pub firms: Vec<(u32, f64)>,
}

/// A capital loss that recovers along a function, resolved to firms.
#[derive(Debug, Clone, PartialEq)]
pub struct CapitalRecoverShock {
    /// Shock name.
    pub name: String,
    /// First day.
    pub start_day: u32,
    /// Days before recovery starts.
    pub duration_days: u32,
    /// Recovery shape.
    pub function: RecoveryFunction,
    /// Recovery time constant in days.
    pub tau_days: u32,
    /// `(firm, capital destroyed)`, sorted by firm.
    pub firms: Vec<(u32, f64)>,
}

/// A capital loss that is rebuilt, resolved to firms and rebuilding suppliers.
#[derive(Debug, Clone, PartialEq)]
pub struct CapitalRebuildShock {
    /// Shock name.
    pub name: String,
    /// First day.
    pub start_day: u32,
    /// Days before rebuilding starts.
    pub duration_days: u32,
    /// Rebuild demand per day is `stock / tau_days`.
    pub tau_days: u32,
    /// Reconstruction cost per unit of capital destroyed.
    pub factor: f64,
    /// `(firm, capital destroyed)`, sorted by firm.
    pub firms: Vec<(u32, f64)>,
    /// `(supplier firm, damaged firm, reconstruction stock)`, sorted by damaged firm then
    /// supplier.
    pub stock: Vec<(u32, u32, f64)>,
}

/// All shocks of a scenario, resolved against one economy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shocks {
    /// Capacity losses.
    pub capacity: Vec<CapacityShock>,
    /// Capital losses that recover.
    pub capital_recover: Vec<CapitalRecoverShock>,
    /// Capital losses that are rebuilt.
    pub capital_rebuild: Vec<CapitalRebuildShock>,
}

/// `φ(e)` as BoARIO computes it, applied to one initial value `v0`.
pub fn recover(function: RecoveryFunction, elapsed_days: f64, v0: f64, tau_days: f64) -> f64 {
    match function {
        RecoveryFunction::Linear => {
            if elapsed_days >= tau_days {
                0.0
            } else {
                v0 * (1.0 - elapsed_days / tau_days)
            }
        }
        RecoveryFunction::Convex => v0 * (1.0 - 1.0 / tau_days).powf(4.0 * elapsed_days),
        RecoveryFunction::ConvexNoScale => v0 * (1.0 - 1.0 / tau_days).powf(elapsed_days),
        RecoveryFunction::Concave => {
            let steep = 1e-6_f64;
            let exponent = (tau_days.ln() - steep.ln()) / (tau_days.ln() - 2f64.ln());
            (v0 * tau_days) / (tau_days + steep * elapsed_days.powf(exponent))
        }
    }
}

/// numpy's `round(v, decimals)`: `rint(v · 10^k) / 10^k`, ties to even.
pub fn round_decimals(v: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (v * scale).round_ties_even() / scale
}

impl CapacityShock {
    /// Share of capacity lost on `day` by a firm whose initial loss is `a0`, or `None` when the
    /// shock does not act that day.
    pub fn loss_on(&self, compat: Compat, day: u32, a0: f64) -> Option<f64> {
        let (s, end) = (self.start_day, self.start_day + self.duration_days);
        let tau = f64::from(self.tau_days);
        match compat {
            Compat::Clean => {
                if day < s {
                    None
                } else if day < end {
                    Some(a0)
                } else {
                    Some(recover(self.function, f64::from(day - end + 1), a0, tau))
                }
            }
            Compat::Boario072 => {
                if day < s + 1 {
                    None
                } else if day <= end + 2 {
                    Some(a0)
                } else {
                    let v = recover(self.function, f64::from(day - 2 - end), a0, tau);
                    Some(round_decimals(v, BOARIO_CAPACITY_DECIMALS).max(0.0))
                }
            }
        }
    }
}

impl CapitalRecoverShock {
    /// Capital still destroyed on `day` at a firm whose initial damage is `d0`.
    pub fn damage_on(&self, compat: Compat, day: u32, d0: f64) -> f64 {
        let (s, end) = (self.start_day, self.start_day + self.duration_days);
        let tau = f64::from(self.tau_days);
        match compat {
            Compat::Clean => {
                if day < s {
                    0.0
                } else if day < end {
                    d0
                } else {
                    recover(self.function, f64::from(day - end + 1), d0, tau).max(0.0)
                }
            }
            Compat::Boario072 => {
                if day < s {
                    0.0
                } else if day <= end {
                    d0
                } else {
                    let v = recover(self.function, f64::from(day - 1 - end), d0, tau);
                    round_decimals(v, BOARIO_CAPITAL_DECIMALS).max(0.0)
                }
            }
        }
    }
}

/// Resolve shock definitions against an economy: names to firms, industry impacts to firm
/// impacts, rebuild demand to suppliers. Errors name the shock and the bad value.
pub fn resolve(
    defs: &[ShockDef],
    economy: &Economy,
    compat: Compat,
    source: &Path,
) -> Result<Shocks, ScenarioError> {
    let invalid = |at: String, message: String| ScenarioError::Invalid {
        path: source.to_path_buf(),
        at,
        message,
    };
    let mut shocks = Shocks::default();
    for def in defs {
        // industry-level impacts, summed if an industry is listed twice
        let mut by_industry: Vec<(usize, f64)> = Vec::new();
        for (k, (region, sector, value)) in def.impacts.iter().enumerate() {
            let at = format!("{}: impacts[{k}]", def.at);
            let r = economy
                .region_index(region)
                .ok_or_else(|| invalid(at.clone(), unknown("region", region, &economy.regions)))?;
            let s = economy
                .sector_index(sector)
                .ok_or_else(|| invalid(at.clone(), unknown("sector", sector, &economy.sectors)))?;
            let industry = r * economy.sectors.len() + s;
            if def.kind == ShockKind::CapitalLoss {
                let capital: f64 = economy
                    .firms_of(industry)
                    .map(|f| economy.firm_capital[f])
                    .sum();
                if *value > capital {
                    return Err(invalid(
                        at,
                        format!(
                            "capital destroyed {value} exceeds the productive capital {capital} of {region}|{sector}"
                        ),
                    ));
                }
            }
            if *value > 0.0 {
                by_industry.push((industry, *value));
            }
        }
        by_industry.sort_by_key(|&(i, _)| i);
        by_industry.dedup_by(|later, earlier| {
            if later.0 == earlier.0 {
                if def.kind == ShockKind::CapitalLoss {
                    earlier.1 += later.1;
                } else {
                    earlier.1 = earlier.1.max(later.1);
                }
                true
            } else {
                false
            }
        });
        let mut firms: Vec<(u32, f64)> = Vec::new();
        for &(industry, value) in &by_industry {
            let range = economy.firms_of(industry);
            match def.kind {
                ShockKind::CapacityLoss => {
                    firms.extend(range.map(|f| (f as u32, value)));
                }
                ShockKind::CapitalLoss => {
                    if range.len() == 1 {
                        firms.push((range.start as u32, value));
                    } else {
                        let total: f64 = range.clone().map(|f| economy.firm_capital[f]).sum();
                        firms.extend(range.map(|f| {
                            let share = if total > 0.0 {
                                economy.firm_capital[f] / total
                            } else {
                                0.0
                            };
                            (f as u32, value * share)
                        }));
                    }
                }
            }
        }
        match (&def.kind, &def.recovery) {
            (ShockKind::CapacityLoss, Recovery::Recover { function, tau_days }) => {
                shocks.capacity.push(CapacityShock {
                    name: def.name.clone(),
                    start_day: def.start_day,
                    duration_days: def.duration_days,
                    function: *function,
                    tau_days: *tau_days,
                    firms,
                })
            }
            (ShockKind::CapitalLoss, Recovery::Recover { function, tau_days }) => {
                shocks.capital_recover.push(CapitalRecoverShock {
                    name: def.name.clone(),
                    start_day: def.start_day,
                    duration_days: def.duration_days,
                    function: *function,
                    tau_days: *tau_days,
                    firms,
                })
            }
            (
                ShockKind::CapitalLoss,
                Recovery::Rebuild {
                    tau_days,
                    sectors,
                    factor,
                },
            ) => {
                let mut rebuild_sectors = Vec::with_capacity(sectors.len());
                for (k, (sector, share)) in sectors.iter().enumerate() {
                    let s = economy.sector_index(sector).ok_or_else(|| {
                        invalid(
                            format!("{}: recovery.sectors[{k}]", def.at),
                            unknown("sector", sector, &economy.sectors),
                        )
                    })?;
                    rebuild_sectors.push((s, *share));
                }
                let stock = rebuild_stock(economy, compat, &firms, &rebuild_sectors, *factor);
                shocks.capital_rebuild.push(CapitalRebuildShock {
                    name: def.name.clone(),
                    start_day: def.start_day,
                    duration_days: def.duration_days,
                    tau_days: *tau_days,
                    factor: *factor,
                    firms,
                    stock,
                })
            }
            (ShockKind::CapacityLoss, Recovery::Rebuild { .. }) => {
                return Err(invalid(
                    format!("{}: recovery", def.at),
                    "a capacity loss cannot be rebuilt".into(),
                ));
            }
        }
    }
    Ok(shocks)
}

/// Reconstruction stock of each (supplier, damaged firm): the damaged firm's demand for each
/// rebuilding sector `s` (`share_s × damage × factor`) is split over its own baseline suppliers
/// of `s` in proportion to their flows, as BoARIO splits it over supplier regions. A firm that
/// buys nothing from `s` has no supplier to ask: BoARIO drops that demand; `compat: Clean`
/// addresses it to every firm of `s` in proportion to output instead.
fn rebuild_stock(
    economy: &Economy,
    compat: Compat,
    firms: &[(u32, f64)],
    sectors: &[(usize, f64)],
    factor: f64,
) -> Vec<(u32, u32, f64)> {
    let mut stock = Vec::new();
    for &(firm, damage) in firms {
        let f = firm as usize;
        for &(sector, share) in sectors {
            let demand = share * damage * factor;
            let inputs = economy.firm_inputs[f] as usize..economy.firm_inputs[f + 1] as usize;
            let input = inputs
                .clone()
                .find(|&k| economy.input_sector[k] as usize == sector);
            match input {
                Some(k) => {
                    let links =
                        economy.input_links[k] as usize..economy.input_links[k + 1] as usize;
                    let total = economy.input_annual[k];
                    for l in links {
                        let weight = economy.link_flow[l] / total;
                        stock.push((economy.link_supplier[l], firm, demand * weight));
                    }
                }
                None if compat == Compat::Clean => {
                    let suppliers: Vec<usize> = (0..economy.n_industries())
                        .filter(|&i| economy.industry_sector(i) == sector)
                        .flat_map(|i| economy.firms_of(i))
                        .collect();
                    let total: f64 = suppliers.iter().map(|&s| economy.firm_output[s]).sum();
                    for s in suppliers {
                        stock.push((s as u32, firm, demand * economy.firm_output[s] / total));
                    }
                }
                None => {}
            }
        }
    }
    // one entry per (supplier, damaged) pair, sorted by damaged firm then supplier
    stock.sort_by_key(|&(s, d, _)| (d, s));
    stock.dedup_by(|later, earlier| {
        if later.0 == earlier.0 && later.1 == earlier.1 {
            earlier.2 += later.2;
            true
        } else {
            false
        }
    });
    stock.retain(|&(_, _, v)| v > 0.0);
    stock
}

/// "unknown region "x"; did you mean "y"?" with the closest known name.
fn unknown(what: &str, name: &str, known: &[String]) -> String {
    let closest = known
        .iter()
        .map(|k| (edit_distance(name, k), k))
        .min_by_key(|(d, _)| *d)
        .filter(|(d, k)| *d <= (k.len().max(name.len()) / 2).max(2));
    match closest {
        Some((_, k)) => format!("unknown {what} {name:?}; did you mean {k:?}?"),
        None => format!("unknown {what} {name:?}; known: {}", known.join(", ")),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_functions_match_boario_formulas() {
        assert_eq!(recover(RecoveryFunction::Linear, 0.0, 2.0, 90.0), 2.0);
        assert_eq!(recover(RecoveryFunction::Linear, 45.0, 2.0, 90.0), 1.0);
        assert_eq!(recover(RecoveryFunction::Linear, 90.0, 2.0, 90.0), 0.0);
        assert_eq!(recover(RecoveryFunction::Linear, 120.0, 2.0, 90.0), 0.0);
        let c = recover(RecoveryFunction::Convex, 10.0, 1.0, 60.0);
        assert!((c - (59.0f64 / 60.0).powf(40.0)).abs() < 1e-15);
        let c = recover(RecoveryFunction::ConvexNoScale, 10.0, 1.0, 60.0);
        assert!((c - (59.0f64 / 60.0).powf(10.0)).abs() < 1e-15);
        // concave: half recovered at e = τ/2 by construction of γ
        let h = recover(RecoveryFunction::Concave, 25.0, 1.0, 50.0);
        assert!(h > 0.4 && h < 0.6, "{h}");
        assert!(recover(RecoveryFunction::Concave, 50.0, 1.0, 50.0) < 0.05);
    }

    #[test]
    fn numpy_rounding_is_ties_to_even() {
        assert_eq!(round_decimals(0.125, 2), 0.12);
        assert_eq!(round_decimals(1.2345678949, 7), 1.2345679);
        assert_eq!(round_decimals(-0.0000000449, 7), -0.0);
    }

    #[test]
    fn boario_capacity_loss_acts_one_day_late() {
        // occurrence 10, duration 30, tau 1: capacity halved on days 11..=42 (32 days)
        let shock = CapacityShock {
            name: "c".into(),
            start_day: 10,
            duration_days: 30,
            function: RecoveryFunction::Linear,
            tau_days: 1,
            firms: vec![(0, 0.5)],
        };
        let days: Vec<u32> = (0..60)
            .filter(|&t| shock.loss_on(Compat::Boario072, t, 0.5).unwrap_or(0.0) > 0.0)
            .collect();
        assert_eq!(days, (11..=42).collect::<Vec<_>>());
        let clean: Vec<u32> = (0..60)
            .filter(|&t| shock.loss_on(Compat::Clean, t, 0.5).unwrap_or(0.0) > 0.0)
            .collect();
        assert_eq!(clean, (10..=39).collect::<Vec<_>>());
    }

    #[test]
    fn suggests_close_names() {
        let known = vec!["manufactoring".to_string(), "mining".to_string()];
        assert_eq!(
            unknown("sector", "manufacturing", &known),
            "unknown sector \"manufacturing\"; did you mean \"manufactoring\"?"
        );
    }
}
