//! Phase 5a of the day under `rationing: FinalDemandFirst` or `FinalDemandLast`: how each firm
//! short of output shares it between firms' orders and final demand (docs/model.md §3.1.4).
//!
//! Final demand here is the table's final-demand entries (households, government, investment,
//! exports) and reconstruction demand; orders are the other firms'. Within each group the
//! shares are proportional. A negative final-demand entry (a drawdown of inventories in the
//! table) adds to what the firm hands out and is always met. Backup units serve the pool only
//! and are not rationed this way.

use super::Simulation;
use crate::kinds::Rationing;

/// The share of its orders and of its final demand a firm serves today.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Served {
    pub(super) orders: f64,
    pub(super) final_demand: f64,
}

/// `served / wanted`, at most 1, 0 when nothing is wanted.
fn fraction(served: f64, wanted: f64) -> f64 {
    if wanted > 0.0 {
        (served / wanted).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

impl<'e> Simulation<'e> {
    /// Phase 5a: the shares served of each firm's orders and final demand (nothing to do
    /// under proportional rationing, where both are `production / demand`).
    pub(super) fn ration(&mut self) {
        let rule = self.params.rationing;
        if rule == Rationing::Proportional {
            return;
        }
        let e = self.economy;
        let rb = &self.rebuild;
        for f in 0..self.first_unit() {
            // negative final demand (inventory drawdowns in `Y`) adds to what the firm can
            // hand out and is always "served"; the positive final demand and reconstruction
            // compete with the orders
            let fd = e.firm_final_demand[f] as usize..e.firm_final_demand[f + 1] as usize;
            let (mut wanted_final, mut drawn) = (0.0, 0.0);
            for &y in &self.final_demand[fd] {
                if y > 0.0 {
                    wanted_final += y;
                } else {
                    drawn -= y;
                }
            }
            for &entry in &rb.by_supplier[rb.starts[f] as usize..rb.starts[f + 1] as usize] {
                wanted_final += rb.demand[entry as usize];
            }
            let wanted_orders = self.orders_received[f].max(0.0);
            let available = self.production[f].max(0.0) + drawn;
            let (to_orders, to_final) = match rule {
                Rationing::FinalDemandFirst => {
                    let to_final = available.min(wanted_final);
                    (available - to_final, to_final)
                }
                Rationing::FinalDemandLast | Rationing::Proportional => {
                    let to_orders = available.min(wanted_orders);
                    (to_orders, available - to_orders)
                }
            };
            self.served[f] = Served {
                orders: fraction(to_orders, wanted_orders),
                final_demand: fraction(to_final, wanted_final),
            };
        }
    }

    /// What firm `f` delivers today of a final demand (or reconstruction demand) of `wanted`.
    pub(super) fn final_served(&self, f: usize, wanted: f64) -> f64 {
        served_final(&self.served, &self.share_total, &self.production, f, wanted)
    }
}

/// [`Simulation::final_served`] over borrowed fields.
pub(super) fn served_final(
    served: &[Served],
    share_total: &[f64],
    production: &[f64],
    f: usize,
    wanted: f64,
) -> f64 {
    match served.get(f) {
        // a negative entry (an inventory drawdown) is always served
        Some(_) if wanted < 0.0 => wanted,
        Some(s) => wanted * s.final_demand,
        None => {
            let (d, x) = (share_total[f], production[f]);
            if d == 0.0 { 0.0 } else { (wanted / d) * x }
        }
    }
}
