//! The day on dense one-firm-per-industry tables, whose suppliers each sell to a run of
//! consecutive slots ([`Runs`]): phases 2 to 5 in one pass over each sector's sales, and the
//! deliveries alone (the baseline day, runs with policies).

use rayon::prelude::*;

use super::Simulation;
use super::day_alpha::next_alpha;
use super::day_demand::Demands;
use super::day_production::Stocks;
use super::kernels;
use super::kernels::Supply;
use super::layout::{Implicit, Row};
use super::par::{Disjoint, spans};
use crate::economy::Economy;

impl Simulation<'_> {
    /// Phases 2 to 4 firm by firm, and the deliveries of phase 5, in one pass over each
    /// sector's sales. Phases 2 to 4 of a firm read only its own row and inputs, so a
    /// supplier can produce and deliver as soon as its demand row is summed; its sales are
    /// then still in cache, and memory is read once a day instead of twice. Each slot still
    /// sums its suppliers in increasing order ([`Runs`]): results are those of the phase-by-
    /// phase step, bit for bit.
    pub(super) fn fused_day(&mut self, day: u32) {
        let e = self.economy;
        let (len, groups) = (self.row_len(), self.rows.len());
        let Some(Implicit {
            total_next,
            runs: Some(runs),
            ..
        }) = &mut self.implicit
        else {
            return;
        };
        let mut total_next = std::mem::take(total_next);
        let mut slot_received = std::mem::take(&mut runs.received);
        {
            let demand = Disjoint::new(&mut self.demand);
            let share_total = Disjoint::new(&mut self.share_total);
            let orders_received = Disjoint::new(&mut self.orders_received);
            let alpha = Disjoint::new(&mut self.alpha);
            let capacity = Disjoint::new(&mut self.capacity);
            let production = Disjoint::new(&mut self.production);
            let ratio_next = Disjoint::new(&mut self.supplier_ratio_next);
            let rows = Disjoint::new(&mut self.rows);
            let acc_all = Disjoint::new(&mut slot_received);
            let next_all = Disjoint::new(&mut total_next);
            let p = &self.params;
            let demands = Demands {
                e,
                boario: p.boario(),
                dense: self.dense_rows,
                len,
                orders: self.orders(),
                final_demand: &self.final_demand,
                rb: &self.rebuild,
                given: false,
            };
            let stocks = Stocks {
                clean: !p.boario(),
                psi: p.psi,
                critical: &self.critical,
                stock: &self.stock,
                input_days: &self.input_days,
            };
            let (output0, delta, ratio) = (&self.output0, &self.delta, &self.supplier_ratio);
            let Some(implicit) = &self.implicit else {
                return;
            };
            let Some(runs) = &implicit.runs else {
                return;
            };
            let keep_alpha = p.boario() && day <= 1;
            // BoARIO's rules lay out each supplier's orders in its dense demand row
            // ([`super::layout::Orders::lay_out`]): the deliveries read them from there
            let from_row = p.boario() && self.dense_rows;
            let ceilings = &self.alpha_max;
            // phases 2 to 4 of firm `f`: what its deliveries need
            let firm = |f: usize, row: &mut Row| -> (Supply, f64) {
                let (received, d, share) = demands.of(f, row, 0.0);
                // SAFETY: firm `f`'s entries are written by the task that has its sector
                // (or by the serial loop over firms without sales) alone.
                unsafe {
                    orders_received.range(f..f + 1)[0] = received;
                    demand.range(f..f + 1)[0] = d;
                    share_total.range(f..f + 1)[0] = share;
                    let a = &mut alpha.range(f..f + 1)[0];
                    let x = &mut production.range(f..f + 1)[0];
                    let cap = &mut capacity.range(f..f + 1)[0];
                    if !keep_alpha {
                        let ceiling = ceilings.get(f).copied().unwrap_or(p.alpha_max);
                        *a = next_alpha(p, ceiling, *a, d, *x, *cap);
                    }
                    *cap = (output0[f] * (1.0 - delta[f])) * *a;
                    let cap = *cap;
                    let (r_next, made) = stocks.produce(e, f, output0[f], cap, d);
                    ratio_next.range(f..f + 1)[0] = r_next;
                    *x = made;
                    let view = Supply {
                        demand: share,
                        production: made,
                    };
                    (view, r_next)
                }
            };
            let group = |g: usize| {
                // SAFETY: group `g` alone uses scratch row `g`.
                let row = unsafe { &mut rows.range(g..g + 1)[0] };
                for sector in runs.sector_group(g, groups) {
                    let target = (acc_all, next_all);
                    // SAFETY: the sector's slots are this group's alone.
                    unsafe {
                        deliver_sector(e, implicit, sector, ratio, target, (row, from_row), firm)
                    };
                }
            };
            if self.blocks.is_parallel() {
                (0..groups).into_par_iter().for_each(group);
            } else {
                (0..groups).for_each(group);
            }
            // SAFETY: the groups are done; row 0 is free again.
            let row = unsafe { &mut rows.range(0..1)[0] };
            for &f in &runs.idle {
                firm(f as usize, row);
            }
        }
        self.restore_run_sums(total_next, slot_received);
    }

    /// `received` of every input from the deliveries summed by slot ([`Runs`]).
    fn copy_run_deliveries(&mut self) {
        let e = self.economy;
        let Some(Implicit {
            runs: Some(runs), ..
        }) = &self.implicit
        else {
            return;
        };
        let received = Disjoint::new(&mut self.received);
        self.blocks.run(|_, firms| {
            let (inputs, _) = spans(e, &firms);
            // SAFETY: each block writes its own inputs.
            let got = unsafe { received.range(inputs.clone()) };
            for (got, k) in got.iter_mut().zip(inputs) {
                *got = runs.received[runs.slot_of_input[k] as usize];
            }
        });
    }

    /// Phase 5 deliveries and next weight totals with implicit orders over [`Runs`], from the
    /// suppliers' demand and production of phases 2 to 4 (the baseline day, and runs with
    /// policies).
    pub(super) fn deliver_runs(&mut self) {
        let e = self.economy;
        let groups = self.rows.len();
        let Some(Implicit {
            total_next,
            runs: Some(runs),
            ..
        }) = &mut self.implicit
        else {
            return;
        };
        let mut total_next = std::mem::take(total_next);
        let mut slot_received = std::mem::take(&mut runs.received);
        {
            let acc_all = Disjoint::new(&mut slot_received);
            let next_all = Disjoint::new(&mut total_next);
            let Some(implicit) = &self.implicit else {
                return;
            };
            let Some(runs) = &implicit.runs else {
                return;
            };
            let (supply, ratio, ratio_next) = (
                &self.supply,
                &self.supplier_ratio,
                &self.supplier_ratio_next,
            );
            let group = |g: usize| {
                for sector in runs.sector_group(g, groups) {
                    let target = (acc_all, next_all);
                    let supplier = |s: usize, _: &mut Row| (supply[s], ratio_next[s]);
                    let mut row = Row::default();
                    // SAFETY: the sector's slots are this group's alone.
                    unsafe {
                        deliver_sector(
                            e,
                            implicit,
                            sector,
                            ratio,
                            target,
                            (&mut row, false),
                            supplier,
                        )
                    };
                }
            };
            if self.blocks.is_parallel() {
                (0..groups).into_par_iter().for_each(group);
            } else {
                (0..groups).for_each(group);
            }
        }
        self.restore_run_sums(total_next, slot_received);
    }

    /// Put back the sums by slot taken out for a pass over the runs, and copy the deliveries
    /// to `received` by input.
    fn restore_run_sums(&mut self, total_next: Vec<f64>, slot_received: Vec<f64>) {
        if let Some(Implicit {
            total_next: kept,
            runs: Some(runs),
            ..
        }) = &mut self.implicit
        {
            *kept = total_next;
            runs.received = slot_received;
        }
        self.copy_run_deliveries();
    }
}

/// Zero the slots of `sector` in `(acc, next)` (deliveries and next weight totals by slot),
/// then add each of its suppliers' deliveries and weights, suppliers in increasing order.
/// `supplier(s, row)` gives supplier `s`'s demand and production today and its capacity ratio
/// (and may compute them first, with scratch `row`); `ratio` holds the ratios when the
/// orders were placed. With `from_row`, `supplier` lays out `s`'s orders in `row`'s dense
/// columns of its buyers, and the deliveries read them there instead of splitting again.
///
/// # Safety
/// No other live slice of `acc` or `next` overlaps the sector's slots.
unsafe fn deliver_sector(
    e: &Economy,
    implicit: &Implicit,
    sector: usize,
    ratio: &[f64],
    (acc, next): (Disjoint<f64>, Disjoint<f64>),
    (row, from_row): (&mut Row, bool),
    supplier: impl Fn(usize, &mut Row) -> (Supply, f64),
) {
    let Some(runs) = &implicit.runs else {
        return;
    };
    let slots = runs.sector_slots[sector] as usize..runs.sector_slots[sector + 1] as usize;
    // SAFETY: the caller's contract.
    let (acc, next) = unsafe { (acc.range(slots.clone()), next.range(slots.clone())) };
    acc.fill(0.0);
    next.fill(0.0);
    let sellers =
        runs.sector_suppliers[sector] as usize..runs.sector_suppliers[sector + 1] as usize;
    for &s in &runs.suppliers[sellers] {
        let s = s as usize;
        let (view, r_next) = supplier(s, row);
        let sales = e.firm_sales[s] as usize..e.firm_sales[s + 1] as usize;
        let first = runs.first_slot[s] as usize;
        let run = first - slots.start..first - slots.start + sales.len();
        let (acc, next) = (&mut acc[run.clone()], &mut next[run]);
        let flows = &implicit.sales_flow[sales.clone()];
        if implicit.baseline {
            // baseline orders: `z0`, none from backup units
            let firm0 = implicit.slot_firm[first] as usize;
            for (j, &flow0) in flows.iter().enumerate() {
                let order = if firm0 + j >= implicit.first_unit {
                    0.0
                } else {
                    flow0
                };
                if view.demand != 0.0 {
                    acc[j] += (order / view.demand) * view.production;
                }
                next[j] += flow0 * r_next;
            }
            continue;
        }
        if from_row {
            let columns = implicit.slot_firm[first] as usize..;
            let orders = &row.dense[columns][..sales.len()];
            kernels::deliver_orders(orders, flows, r_next, view, acc, next);
            continue;
        }
        let own = first..first + sales.len();
        kernels::deliver_run(
            flows,
            &runs.quantity[own.clone()],
            &implicit.total[own],
            ratio[s],
            r_next,
            view,
            acc,
            next,
        );
    }
}
