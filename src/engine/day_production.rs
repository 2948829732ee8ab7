//! Phase 4 of the day: production within capacity, cut by the scarcest critical input.

use super::Simulation;
use super::par::Disjoint;
use crate::economy::Economy;

impl<'e> Simulation<'e> {
    /// Phase 4: capacity, then production limited by demand and the scarcest critical input.
    pub(super) fn produce(&mut self) {
        let e = self.economy;
        let psi = self.params.psi;
        let first_unit = self.first_unit();
        let capacity = Disjoint::new(&mut self.capacity);
        let production = Disjoint::new(&mut self.production);
        let ratio_next = Disjoint::new(&mut self.supplier_ratio_next);
        let (output0, delta, alpha, demand) =
            (&self.output0, &self.delta, &self.alpha, &self.demand);
        let stocks = Stocks {
            clean: !self.params.boario(),
            psi,
            critical: &self.critical,
            stock: &self.stock,
            input_days: &self.input_days,
        };
        self.blocks.run(|_, firms| {
            // SAFETY: each block writes its own firms.
            let (capacity, production, ratio_next) = unsafe {
                (
                    capacity.range(firms.clone()),
                    production.range(firms.clone()),
                    ratio_next.range(firms.clone()),
                )
            };
            for (i, f) in firms.enumerate() {
                // backup units' capacity was set with their pool demand
                let cap = if f < first_unit {
                    (output0[f] * (1.0 - delta[f])) * alpha[f]
                } else {
                    capacity[i]
                };
                capacity[i] = cap;
                (ratio_next[i], production[i]) = stocks.produce(e, f, output0[f], cap, demand[f]);
            }
        });
    }
}

/// What phase 4 reads about inputs.
pub(super) struct Stocks<'a> {
    /// `compat: Clean`, which differs from BoARIO 0.7.2 twice here:
    /// - a demand below 0 gives no production. A firm whose final demand is negative
    ///   (inventory drawdowns in `Y`) may see its total demand fall below 0 when its buyers
    ///   stop ordering; BoARIO then takes `min(D, x_cap)` as is: negative production, or, with
    ///   a critical input, the ratio of two negative numbers, which lets production grow
    ///   without bound;
    /// - buyers weigh the firm as a supplier by what it can deliver, its capacity limited by
    ///   what its stocks of critical inputs allow; BoARIO weighs by capacity.
    pub(super) clean: bool,
    pub(super) psi: Option<f64>,
    pub(super) critical: &'a [bool],
    pub(super) stock: &'a [f64],
    pub(super) input_days: &'a [f64],
}

impl Stocks<'_> {
    /// Phase 4 for firm `f` with baseline output `output0`, capacity `cap` and demand `d`:
    /// the ratio buyers weigh the firm by in today's orders (what it can deliver / `x0`;
    /// BoARIO: capacity / `x0`), and production (demand within capacity, cut by the scarcest
    /// critical input).
    #[inline]
    pub(super) fn produce(
        &self,
        e: &Economy,
        f: usize,
        output0: f64,
        cap: f64,
        d: f64,
    ) -> (f64, f64) {
        let optimal = if self.clean {
            d.min(cap).max(0.0)
        } else {
            d.min(cap)
        };
        let mut ratio: f64 = 1.0;
        // what the stocks allow at most (`Clean`): min over critical inputs of Ω / (T·ψ·inv)
        let mut allowed = f64::INFINITY;
        for k in e.firm_inputs[f] as usize..e.firm_inputs[f + 1] as usize {
            if !self.critical[k] {
                continue;
            }
            // BoARIO's order of operations: (x_opt · T) · ψ · inv
            let mut needed = optimal * e.input_per_output[k];
            if let Some(psi) = self.psi {
                needed *= psi;
            }
            needed *= self.input_days[k];
            if needed != 0.0 {
                ratio = ratio.min(self.stock[k] / needed);
            }
            if self.clean {
                let per_output =
                    e.input_per_output[k] * self.psi.unwrap_or(1.0) * self.input_days[k];
                if per_output > 0.0 {
                    allowed = allowed.min(self.stock[k] / per_output);
                }
            }
        }
        // suppliers are weighed by what they can deliver (`Clean`), or by capacity (BoARIO)
        let deliverable = if self.clean { cap.min(allowed) } else { cap };
        let ratio_next = if output0 != 0.0 {
            deliverable / output0
        } else {
            1.0
        };
        (ratio_next, optimal * ratio)
    }
}
