//! Phase 3 of the day: overproduction `α` moves toward `α_max` while demand exceeds the last
//! production, and relaxes toward `α_base` otherwise.

use super::Simulation;
use super::par::Disjoint;
use super::params::StepParams;

impl<'e> Simulation<'e> {
    /// Phase 3: overproduction from the gap between demand and yesterday's production.
    pub(super) fn update_alpha(&mut self, day: u32) {
        let p = &self.params;
        if p.boario() && day <= 1 {
            return;
        }
        let first_unit = self.first_unit();
        let alpha = Disjoint::new(&mut self.alpha);
        let (demand, production, ceilings) = (&self.demand, &self.production, &self.alpha_max);
        let capacity = &self.capacity;
        self.blocks.run(|_, firms| {
            let firms = firms.start.min(first_unit)..firms.end.min(first_unit);
            // SAFETY: each block writes its own firms.
            let alpha = unsafe { alpha.range(firms.clone()) };
            for (a, f) in alpha.iter_mut().zip(firms) {
                let ceiling = ceilings.get(f).copied().unwrap_or(p.alpha_max);
                *a = next_alpha(p, ceiling, *a, demand[f], production[f], capacity[f]);
            }
        });
    }
}

/// Phase 3 for one firm with ceiling `alpha_max`: `α` after a day with demand `d` on a firm
/// that produced `x` the day before, with capacity `cap` then.
///
/// Under `Clean` α rises only where capacity bound yesterday (`x ≥ cap`): a firm held back by
/// its inputs gains nothing from more capacity, and its α would only attract orders it cannot
/// serve. BoARIO raises α on any excess demand.
#[inline]
pub(super) fn next_alpha(
    p: &StepParams,
    alpha_max: f64,
    alpha: f64,
    d: f64,
    x: f64,
    cap: f64,
) -> f64 {
    if p.boario() {
        let zeta = if d != 0.0 { (d - x) / d } else { 0.0 };
        // relaxation only when ζ is exactly zero; floor 1 (BoARIO 0.7.2)
        let relax = if zeta == 0.0 { 1.0 } else { 0.0 };
        let change =
            (alpha_max - alpha) * zeta * p.kappa + (p.alpha_base - alpha) * relax * p.kappa;
        let next = alpha + change;
        return next.max(1.0);
    }
    // a demand at or below 0 (negative final demand, buyers gone) is no excess demand: with
    // `d < 0`, `(d − x) / d` would exceed 1 and push α past `α_max`
    let zeta = if d > 0.0 { (d - x) / d } else { 0.0 };
    if zeta > 0.0 && x >= cap {
        alpha + (alpha_max - alpha) * zeta * p.kappa
    } else {
        alpha + (p.alpha_base - alpha) * p.kappa
    }
}
