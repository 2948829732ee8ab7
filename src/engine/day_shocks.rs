//! Phase 1 of the day: capacity losses, reconstruction demand, blocked links and final-demand
//! changes for the day, and the policies' start of day.

use super::Simulation;
use crate::kinds::OrderType;

impl<'e> Simulation<'e> {
    /// Phase 1: capacity losses and reconstruction demand for `day`.
    pub(super) fn apply_shocks(&mut self, day: u32) {
        let compat = self.params.compat;
        self.capital_lost.iter_mut().for_each(|v| *v = 0.0);
        self.delta.iter_mut().for_each(|v| *v = 0.0);
        for shock in &self.shocks.capital_recover {
            for &(f, d0) in &shock.firms {
                self.capital_lost[f as usize] += shock.damage_on(compat, day, d0);
            }
        }
        self.rebuild.start_events(&self.shocks, day, compat);
        for (event, shock) in self.shocks.capital_rebuild.iter().enumerate() {
            if day < shock.start_day || self.rebuild.finished[event] {
                continue;
            }
            for &(f, d) in &self.rebuild.damage[event] {
                self.capital_lost[f as usize] += d;
            }
        }
        let capital = &self.economy.firm_capital;
        for ((delta, &lost), &k) in self.delta.iter_mut().zip(&self.capital_lost).zip(capital) {
            if lost > 0.0 && k > 0.0 {
                *delta = (lost / k).min(1.0);
            }
        }
        for shock in &self.shocks.capacity {
            for &(f, a0) in &shock.firms {
                if let Some(loss) = shock.loss_on(compat, day, a0) {
                    let delta = &mut self.delta[f as usize];
                    *delta = delta.max(loss.min(1.0));
                }
            }
        }
        self.apply_link_blocks(day);
        self.apply_demand_changes(day);
        if let Some(policy) = &mut self.policy {
            policy.start_day(day, self.economy, &self.delta, &self.open);
        }
    }

    /// Link openness for `day`, recomputed only on days a block starts, changes or ends.
    pub(super) fn apply_link_blocks(&mut self, day: u32) {
        let mut changed = false;
        for (strength, shock) in self.link_strength.iter_mut().zip(&self.shocks.links) {
            let blocked = shock.blocked_share_on(day);
            if blocked != *strength {
                *strength = blocked;
                changed = true;
            }
        }
        if changed {
            self.open.iter_mut().for_each(|o| *o = 1.0);
            for (&blocked, shock) in self.link_strength.iter().zip(&self.shocks.links) {
                if blocked > 0.0 {
                    for &l in &shock.links {
                        let open = &mut self.open[l as usize];
                        *open = open.min(1.0 - blocked);
                    }
                }
            }
            if let Some(gates) = self.implicit.as_mut().and_then(|i| i.gates.as_mut()) {
                gates.update(&self.link_strength);
            }
            let alt = self.params.order_type == OrderType::Alt;
            for (pass, &open) in self.pass.iter_mut().zip(&self.open) {
                *pass = if !alt {
                    open
                } else if open > 0.0 {
                    1.0
                } else {
                    0.0
                };
            }
        }
    }

    /// Final demand for `day` (overlapping changes multiply, and households' response to
    /// income), recomputed only on change.
    pub(super) fn apply_demand_changes(&mut self, day: u32) {
        let mut changed = false;
        for (multiplier, shock) in self.demand_multiplier.iter_mut().zip(&self.shocks.demand) {
            let m = shock.multiplier_on(day);
            if m != *multiplier {
                *multiplier = m;
                changed = true;
            }
        }
        // with households responding to income, final demand changes every day
        if changed || self.households.is_some() {
            self.final_demand.copy_from_slice(&self.final_demand0);
            for (&m, shock) in self.demand_multiplier.iter().zip(&self.shocks.demand) {
                if m != 1.0 {
                    for &k in &shock.entries {
                        self.final_demand[k as usize] *= m;
                    }
                }
            }
            if let Some(households) = &self.households {
                for (y, &r) in self.final_demand.iter_mut().zip(&households.entry_region) {
                    if let Some(&h) = households.factor.get(r as usize) {
                        *y *= h;
                    }
                }
            }
        }
    }
}
