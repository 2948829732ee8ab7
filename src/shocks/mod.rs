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

mod crisis;
mod plan;

pub use plan::{Draw, Drawn, Plan};

use crate::economy::Economy;
use crate::kinds::{Compat, RecoveryFunction};

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

/// Links blocked (partly, while reopening), resolved to link indices.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkShock {
    /// Shock name.
    pub name: String,
    /// First day.
    pub start_day: u32,
    /// Days fully blocked.
    pub duration_days: u32,
    /// Reopening shape.
    pub function: RecoveryFunction,
    /// Reopening time constant in days.
    pub tau_days: u32,
    /// Links blocked, sorted.
    pub links: Vec<u32>,
}

/// Final demand multiplied by a factor, resolved to final-demand entries of the economy.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandShock {
    /// Shock name.
    pub name: String,
    /// First day.
    pub start_day: u32,
    /// Days at full change.
    pub duration_days: u32,
    /// Return shape.
    pub function: RecoveryFunction,
    /// Return time constant in days.
    pub tau_days: u32,
    /// Multiplier of baseline final demand at full change.
    pub factor: f64,
    /// Final-demand entries changed, sorted.
    pub entries: Vec<u32>,
}

/// The alarms an early warning ([`crate::kinds::Trigger::Warning`]) raises for one backup in
/// one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// The backup warned.
    pub backup: String,
    /// `(day raised, day the shock ends or the alarm is lifted)` of each alarm, by day raised:
    /// the true warning (the shock's first day minus the lead, at least day 1) and the false
    /// alarm (lifted on the day it announced), when the run has them.
    pub alarms: Vec<(u32, u32)>,
}

/// The shocks of one run, resolved against one economy: what the engine sees.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shocks {
    /// Capacity losses.
    pub capacity: Vec<CapacityShock>,
    /// Capital losses that recover.
    pub capital_recover: Vec<CapitalRecoverShock>,
    /// Capital losses that are rebuilt.
    pub capital_rebuild: Vec<CapitalRebuildShock>,
    /// Blocked links.
    pub links: Vec<LinkShock>,
    /// Final-demand changes.
    pub demand: Vec<DemandShock>,
    /// Early warnings, per backup warned.
    pub warnings: Vec<Warning>,
}

impl Shocks {
    /// Add `other`'s primitives after these, kind by kind.
    pub fn append(&mut self, other: Shocks) {
        self.capacity.extend(other.capacity);
        self.capital_recover.extend(other.capital_recover);
        self.capital_rebuild.extend(other.capital_rebuild);
        self.links.extend(other.links);
        self.demand.extend(other.demand);
        self.warnings.extend(other.warnings);
    }

    /// `(first day, first day after full strength)` of the first primitive named `name`, if
    /// the run has one.
    pub fn window(&self, name: &str) -> Option<(u32, u32)> {
        let window = |start: u32, duration: u32| (start, start.saturating_add(duration));
        let found = |start_day, duration_days, named: &str| {
            (named == name).then(|| window(start_day, duration_days))
        };
        self.capacity
            .iter()
            .find_map(|s| found(s.start_day, s.duration_days, &s.name))
            .or_else(|| {
                self.capital_recover
                    .iter()
                    .find_map(|s| found(s.start_day, s.duration_days, &s.name))
            })
            .or_else(|| {
                self.capital_rebuild
                    .iter()
                    .find_map(|s| found(s.start_day, s.duration_days, &s.name))
            })
            .or_else(|| {
                self.links
                    .iter()
                    .find_map(|s| found(s.start_day, s.duration_days, &s.name))
            })
            .or_else(|| {
                self.demand
                    .iter()
                    .find_map(|s| found(s.start_day, s.duration_days, &s.name))
            })
    }
}

/// Strength in `[0, 1]` on `day` of a primitive with `compat: Clean` timing: 0 before the
/// start, 1 for `duration_days`, then `φ(t − E + 1)` of a unit value.
pub fn strength_on(
    start_day: u32,
    duration_days: u32,
    function: RecoveryFunction,
    tau_days: u32,
    day: u32,
) -> f64 {
    let end = start_day.saturating_add(duration_days);
    if day < start_day {
        0.0
    } else if day < end {
        1.0
    } else {
        recover(function, f64::from(day - end + 1), 1.0, f64::from(tau_days)).clamp(0.0, 1.0)
    }
}

impl LinkShock {
    /// Share of each listed link's flow blocked on `day`.
    pub fn blocked_share_on(&self, day: u32) -> f64 {
        strength_on(
            self.start_day,
            self.duration_days,
            self.function,
            self.tau_days,
            day,
        )
    }
}

impl DemandShock {
    /// Multiplier of baseline final demand of the listed entries on `day`.
    pub fn multiplier_on(&self, day: u32) -> f64 {
        let strength = strength_on(
            self.start_day,
            self.duration_days,
            self.function,
            self.tau_days,
            day,
        );
        1.0 + (self.factor - 1.0) * strength
    }
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
        let (s, end) = (
            self.start_day,
            self.start_day.saturating_add(self.duration_days),
        );
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
                } else if day <= end.saturating_add(2) {
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
        let (s, end) = (
            self.start_day,
            self.start_day.saturating_add(self.duration_days),
        );
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

/// Reconstruction stock of each (supplier, damaged firm): the damaged firm's demand for each
/// rebuilding sector `s` (`share_s × damage × factor`) is split over its own baseline suppliers
/// of `s` in proportion to their flows, as BoARIO splits it over supplier regions. A firm that
/// buys nothing from `s` has no supplier to ask: BoARIO drops that demand; `compat: Clean`
/// addresses it to every firm of `s` in proportion to output instead.
pub(crate) fn rebuild_stock(
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
    fn link_blocks_and_demand_changes_follow_clean_timing() {
        let block = LinkShock {
            name: "b".into(),
            start_day: 3,
            duration_days: 2,
            function: RecoveryFunction::Linear,
            tau_days: 4,
            links: vec![0],
        };
        let shares: Vec<f64> = (0..10).map(|d| block.blocked_share_on(d)).collect();
        assert_eq!(shares, [0.0, 0.0, 0.0, 1.0, 1.0, 0.75, 0.5, 0.25, 0.0, 0.0]);
        let demand = DemandShock {
            name: "d".into(),
            start_day: 1,
            duration_days: 1,
            function: RecoveryFunction::Linear,
            tau_days: 1,
            factor: 0.6,
            entries: vec![0],
        };
        // a duration drawn from a long tail does not overflow
        assert_eq!(
            strength_on(5, u32::MAX, RecoveryFunction::Linear, 3, 1000),
            1.0
        );
        assert_eq!(demand.multiplier_on(0), 1.0);
        assert_eq!(demand.multiplier_on(1), 0.6);
        assert_eq!(demand.multiplier_on(2), 1.0);
    }
}
