//! Reconstruction stocks of rebuilding events (docs/model.md §3): per (supplier, damaged firm),
//! the demand they address each day and what the deliveries leave.

use crate::economy::Economy;
use crate::kinds::Compat;
use crate::shocks::{BOARIO_CAPITAL_DECIMALS, Shocks, round_decimals};

/// Reconstruction stocks of all rebuilding events, one entry per (supplier, damaged firm).
#[derive(Debug, Clone, Default)]
pub(super) struct Rebuild {
    /// Event of each entry (entries are grouped by event, then damaged firm).
    pub(super) event: Vec<u32>,
    pub(super) supplier: Vec<u32>,
    pub(super) damaged: Vec<u32>,
    /// Remaining reconstruction stock `B`.
    pub(super) stock: Vec<f64>,
    /// Reconstruction demand addressed to the supplier this day `R`.
    pub(super) demand: Vec<f64>,
    /// CSR over suppliers: entries of firm `f` are `by_supplier[starts[f]..starts[f+1]]`.
    pub(super) starts: Vec<u32>,
    pub(super) by_supplier: Vec<u32>,
    /// Entry range of each event.
    pub(super) event_entries: Vec<std::ops::Range<usize>>,
    /// Per event: has started rebuilding / is finished.
    pub(super) started: Vec<bool>,
    /// Per event: BoARIO's rebuild id (order in which events started rebuilding).
    pub(super) rebuild_id: Vec<Option<u32>>,
    /// Events that have started rebuilding.
    pub(super) n_started: u32,
    pub(super) finished: Vec<bool>,
    /// Per event: capital still destroyed `(firm, damage)`, sorted by firm.
    pub(super) damage: Vec<Vec<(u32, f64)>>,
    /// Per event: reconstruction cost per unit of capital destroyed.
    pub(super) factor: Vec<f64>,
    /// Per event: initial reconstruction stock (`Clean` ends an event below a millionth of it).
    pub(super) initial_total: Vec<f64>,
}

impl Rebuild {
    pub(super) fn new(economy: &Economy, shocks: &Shocks) -> Rebuild {
        let mut rb = Rebuild::default();
        for (event, shock) in shocks.capital_rebuild.iter().enumerate() {
            let first = rb.event.len();
            for &(supplier, damaged, stock) in &shock.stock {
                rb.event.push(event as u32);
                rb.supplier.push(supplier);
                rb.damaged.push(damaged);
                rb.stock.push(stock);
                rb.demand.push(0.0);
            }
            rb.event_entries.push(first..rb.event.len());
            rb.started.push(false);
            rb.rebuild_id.push(None);
            rb.finished.push(false);
            rb.damage.push(shock.firms.clone());
            rb.factor.push(shock.factor);
            rb.initial_total.push(shock.stock.iter().map(|e| e.2).sum());
        }
        let n_firms = economy.n_firms();
        let mut order: Vec<u32> = (0..rb.event.len() as u32).collect();
        order.sort_by_key(|&k| {
            let k = k as usize;
            (rb.supplier[k], rb.event[k], rb.damaged[k])
        });
        rb.starts = vec![0; n_firms + 1];
        for &s in &rb.supplier {
            rb.starts[s as usize + 1] += 1;
        }
        for f in 0..n_firms {
            rb.starts[f + 1] += rb.starts[f];
        }
        rb.by_supplier = order;
        rb
    }

    /// Events whose rebuilding starts on `day`; reconstruction demand of rebuilding events.
    pub(super) fn start_events(&mut self, shocks: &Shocks, day: u32, compat: Compat) {
        let mut any_started_now = false;
        for (event, shock) in shocks.capital_rebuild.iter().enumerate() {
            if !self.started[event] && day >= shock.start_day.saturating_add(shock.duration_days) {
                self.started[event] = true;
                self.rebuild_id[event] = Some(self.n_started);
                self.n_started += 1;
                any_started_now = true;
            }
        }
        if any_started_now {
            // BoARIO re-allocates (zeroes) the whole rebuild demand block when an event starts.
            self.demand.iter_mut().for_each(|r| *r = 0.0);
        }
        for (event, shock) in shocks.capital_rebuild.iter().enumerate() {
            let range = self.event_entries[event].clone();
            if self.started[event] && !self.finished[event] {
                let tau = f64::from(shock.tau_days);
                for k in range {
                    self.demand[k] = self.stock[k] * 1.0 / tau;
                }
            } else if compat == Compat::Clean && self.finished[event] {
                self.demand[range].iter_mut().for_each(|r| *r = 0.0);
            }
        }
    }

    /// Deliveries to reconstruction (`served(supplier, wanted)`: what a supplier delivers of
    /// a demand), stocks and damage updated.
    pub(super) fn deliver(&mut self, served: impl Fn(usize, f64) -> f64, boario: bool) {
        for k in 0..self.event.len() {
            let s = self.supplier[k] as usize;
            let delivered = served(s, self.demand[k]);
            self.demand[k] -= delivered;
            let event = self.event[k] as usize;
            if self.started[event] && !self.finished[event] {
                let left = self.stock[k] - delivered;
                self.stock[k] = if boario {
                    round_decimals(left, BOARIO_CAPITAL_DECIMALS).max(0.0)
                } else {
                    left.max(0.0)
                };
            }
        }
        for event in 0..self.started.len() {
            if !self.started[event] || self.finished[event] {
                continue;
            }
            let range = self.event_entries[event].clone();
            let done = if boario {
                self.stock[range.clone()].iter().all(|&b| b == 0.0)
            } else {
                self.stock[range.clone()].iter().sum::<f64>() <= 1e-6 * self.initial_total[event]
            };
            if done {
                self.finished[event] = true;
                continue;
            }
            // damage = remaining stock / factor, per damaged firm
            let damage = &mut self.damage[event];
            for (_, d) in damage.iter_mut() {
                *d = 0.0;
            }
            for k in range {
                let firm = self.damaged[k];
                if let Ok(pos) = damage.binary_search_by_key(&firm, |&(f, _)| f) {
                    damage[pos].1 += self.stock[k];
                }
            }
            let factor = self.factor[event];
            for (_, d) in damage.iter_mut() {
                *d = if factor > 0.0 { *d / factor } else { 0.0 };
            }
        }
    }
}
