//! Phase 2 of the day: the demand on each firm (orders received, final demand, reconstruction
//! demand), and with policies the backup units' share of the pool orders.

use super::Simulation;
use super::layout::{Orders, Row};
use super::par::Disjoint;
use super::rebuild::Rebuild;
use crate::economy::Economy;

impl<'e> Simulation<'e> {
    /// Phase 2: total demand on each firm (orders, final demand, reconstruction).
    pub(super) fn collect_demand(&mut self) {
        let e = self.economy;
        let boario = self.params.boario();
        let len = self.row_len();
        let demand = Disjoint::new(&mut self.demand);
        let share_total = Disjoint::new(&mut self.share_total);
        let orders_received = Disjoint::new(&mut self.orders_received);
        let rows = Disjoint::new(&mut self.rows);
        let demands = Demands {
            e,
            boario,
            dense: self.dense_rows,
            len,
            orders: self.orders(),
            final_demand: &self.final_demand,
            rb: &self.rebuild,
            given: self.given,
        };
        self.blocks.run(|b, firms| {
            // SAFETY: block `b` alone writes its firms' entries and its own scratch row.
            let (demand, share_total, orders_received, row) = unsafe {
                (
                    demand.range(firms.clone()),
                    share_total.range(firms.clone()),
                    orders_received.range(firms.clone()),
                    &mut rows.range(b..b + 1)[0],
                )
            };
            for (i, f) in firms.enumerate() {
                (orders_received[i], demand[i], share_total[i]) =
                    demands.of(f, row, orders_received[i]);
            }
        });
    }

    /// Phase 2b (policies): backup units' capacity today and their share of the pool orders.
    pub(super) fn assign_pool(&mut self) {
        let Some(policy) = &mut self.policy else {
            return;
        };
        let first = policy.policies().first_unit;
        for f in first..self.economy.n_firms() {
            self.capacity[f] = policy.unit_capacity(f) * (1.0 - self.delta[f]);
        }
        policy.assign_pool(&self.capacity, &mut self.demand);
        for f in first..self.economy.n_firms() {
            self.share_total[f] = self.demand[f];
            self.orders_received[f] = 0.0;
        }
    }
}

/// What phase 2 reads.
pub(super) struct Demands<'a> {
    pub(super) e: &'a Economy,
    pub(super) boario: bool,
    pub(super) dense: bool,
    /// Length of BoARIO's demand rows.
    pub(super) len: usize,
    pub(super) orders: Orders<'a>,
    pub(super) final_demand: &'a [f64],
    pub(super) rb: &'a Rebuild,
    /// The orders received are given (summed by a batch, [`super::batch`]).
    pub(super) given: bool,
}

impl Demands<'_> {
    /// Phase 2 for firm `f`: orders received, demand, and the rationing shares' denominator
    /// (BoARIO sums its demand row twice, in numpy's two orders, with scratch `row`).
    /// `received`: the orders received when they are given.
    #[inline]
    pub(super) fn of(&self, f: usize, row: &mut Row, received: f64) -> (f64, f64, f64) {
        let (e, rb) = (self.e, self.rb);
        if self.boario {
            let received = row.fill(
                self.dense,
                e,
                f,
                self.orders,
                self.final_demand,
                rb,
                self.len,
            );
            return (
                received,
                row.einsum(self.dense, self.len),
                row.pairwise(self.dense, self.len),
            );
        }
        let mut acc = if self.given {
            received
        } else {
            self.orders.sum_received(e, f)
        };
        let received = acc;
        let fd = e.firm_final_demand[f] as usize..e.firm_final_demand[f + 1] as usize;
        for &y in &self.final_demand[fd] {
            acc += y;
        }
        for &entry in &rb.by_supplier[rb.starts[f] as usize..rb.starts[f + 1] as usize] {
            acc += rb.demand[entry as usize];
        }
        (received, acc, acc)
    }
}
