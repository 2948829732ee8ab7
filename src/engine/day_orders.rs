//! Phase 6 of the day: orders for tomorrow, the inventory gap closed at `1/τ` plus what was
//! used, split over suppliers (and the pool, with policies).

use super::Simulation;
use super::close;
use super::par::{Disjoint, PREFETCH_AHEAD, prefetch, spans};
use crate::economy::DAILY;
use crate::kinds::OrderType;

impl<'e> Simulation<'e> {
    /// Phase 6: orders for tomorrow.
    pub(super) fn place_orders(&mut self) {
        let e = self.economy;
        let p = &self.params;
        let boario = p.boario();
        let len = self.row_len();
        // target stocks from demand left (reconstruction demand net of today's deliveries)
        let all_close = {
            let target = Disjoint::new(&mut self.target);
            let rows = Disjoint::new(&mut self.rows);
            let orders = self.orders();
            let (final_demand, rb, dense) = (&self.final_demand, &self.rebuild, self.dense_rows);
            let (demand, capacity, orders_received) =
                (&self.demand, &self.capacity, &self.orders_received);
            let (policy, input_days) = (&self.policy, &self.input_days);
            let stock = &self.stock;
            self.blocks.all(|b, firms| {
                let (inputs, _) = spans(e, &firms);
                // SAFETY: block `b` alone writes its firms, their inputs and its scratch row.
                let (target, row) =
                    unsafe { (target.range(inputs.clone()), &mut rows.range(b..b + 1)[0]) };
                let first = inputs.start;
                let mut all_close = true;
                for f in firms {
                    let rebuild = rb.starts[f] as usize..rb.starts[f + 1] as usize;
                    let wanted = if rebuild.is_empty() {
                        demand[f]
                    } else if boario {
                        row.fill(dense, e, f, orders, final_demand, rb, len);
                        row.einsum(dense, len)
                    } else {
                        let mut acc = orders_received[f];
                        let fd =
                            e.firm_final_demand[f] as usize..e.firm_final_demand[f + 1] as usize;
                        for &y in &final_demand[fd] {
                            acc += y;
                        }
                        for &entry in &rb.by_supplier[rebuild] {
                            acc += rb.demand[entry as usize];
                        }
                        acc
                    };
                    let mut optimal = wanted.min(capacity[f]);
                    if let Some(policy) = policy
                        && let Some(full) = policy.standby_output(f)
                    {
                        // a unit in standby keeps (and rebuilds) its prestock: full capacity's
                        // inputs
                        optimal = full;
                    }
                    for k in e.firm_inputs[f] as usize..e.firm_inputs[f + 1] as usize {
                        let t = (optimal * e.input_per_output[k]) * input_days[k];
                        target[k - first] = t;
                        all_close &= close(stock[k], t);
                    }
                }
                all_close
            })
        };
        // today's orders weight suppliers by today's capacity ratios
        std::mem::swap(&mut self.supplier_ratio, &mut self.supplier_ratio_next);
        let skip_gaps = boario && all_close;
        // quantity ordered of each input: the gap closed at rate ρ plus what was used
        {
            let quantity = Disjoint::new(&mut self.quantity);
            let (target, stock, production) = (&self.target, &self.stock, &self.production);
            self.blocks.run(|_, firms| {
                let (inputs, _) = spans(e, &firms);
                // SAFETY: each block writes its own firms' inputs.
                let quantity = unsafe { quantity.range(inputs.clone()) };
                let first = inputs.start;
                for f in firms {
                    let x = production[f];
                    for k in e.firm_inputs[f] as usize..e.firm_inputs[f + 1] as usize {
                        let mut gap = if skip_gaps {
                            0.0
                        } else {
                            (target[k] - stock[k]).max(0.0)
                        };
                        if let Some(rate) = p.restoration_rate {
                            gap *= rate;
                        }
                        quantity[k - first] = gap + x * e.input_per_output[k];
                    }
                }
            });
        }
        if self.policy.is_some() {
            // the share regular suppliers cannot serve may go to backup units and reserves
            // (a batch has summed it in phase 5)
            if !self.given {
                let unserved = Disjoint::new(&mut self.unserved);
                let (ratio, open) = (&self.supplier_ratio, &self.open);
                self.blocks.run(|_, firms| {
                    let (inputs, _) = spans(e, &firms);
                    // SAFETY: each block writes its own firms' inputs.
                    let unserved = unsafe { unserved.range(inputs.clone()) };
                    for (cell, k) in unserved.iter_mut().zip(inputs) {
                        let links = e.input_links[k] as usize..e.input_links[k + 1] as usize;
                        let (mut able, mut total) = (0.0, 0.0);
                        for l in links {
                            let ratio = ratio[e.link_supplier[l] as usize].min(1.0);
                            let flow0 = e.link_flow[l] * DAILY;
                            // `open` is empty without link shocks: × 1.0 would be exact
                            able += if open.is_empty() {
                                flow0 * ratio
                            } else {
                                flow0 * ratio * open[l]
                            };
                            total += flow0;
                        }
                        *cell = if total > 0.0 { 1.0 - able / total } else { 0.0 };
                    }
                });
            }
            let (stock, critical, params, input_days) =
                (&self.stock, &self.critical, &self.params, &self.input_days);
            let producible = |f: usize, capacity: f64| {
                // the production-constraint ratio of phase 4, at `capacity`, with today's stocks
                let mut ratio: f64 = 1.0;
                for k in e.firm_inputs[f] as usize..e.firm_inputs[f + 1] as usize {
                    if critical[k] {
                        let needed = capacity
                            * e.input_per_output[k]
                            * params.psi.unwrap_or(1.0)
                            * input_days[k];
                        if needed > 0.0 {
                            ratio = ratio.min(stock[k] / needed);
                        }
                    }
                }
                capacity * ratio
            };
            if let Some(policy) = &mut self.policy {
                policy.place_pool_orders(
                    e,
                    self.day,
                    &self.delta,
                    &mut self.quantity,
                    &self.unserved,
                    producible,
                );
            }
        }
        if let Some(implicit) = &mut self.implicit {
            // orders stay implicit: `q` (set above), `r` (swapped in above) and `T`
            std::mem::swap(&mut implicit.total, &mut implicit.total_next);
            implicit.baseline = false;
            if let Some(gates) = &mut implicit.gates {
                gates.placed();
            }
            // a batch reads `q` and `T` by input: the slot-order copy waits until a day
            // steps alone
            if self.given {
                implicit.unpacked = true;
            } else {
                implicit.pack(&self.quantity, self.blocks.is_parallel());
            }
            return;
        }
        let order = Disjoint::new(&mut self.order);
        let (quantity, supplier_ratio, open, unserved) = (
            &self.quantity,
            &self.supplier_ratio,
            &self.open,
            &self.unserved,
        );
        let policy = &self.policy;
        let order_type = self.params.order_type;
        self.blocks.run(|_, firms| {
            let (inputs, links) = spans(e, &firms);
            // SAFETY: each block writes its own firms' links.
            let order = unsafe { order.range(links.clone()) };
            let first = links.start;
            let open_at = |l: usize| open.get(l).copied().unwrap_or(1.0);
            for k in inputs {
                let quantity = quantity[k];
                let links = e.input_links[k] as usize..e.input_links[k + 1] as usize;
                match order_type {
                    OrderType::Alt => {
                        // a blocked link counts as a supplier without capacity (without link
                        // shocks `open` is empty, and × 1.0 would be exact: skip it)
                        let weight = |l: usize| {
                            let w = (e.link_flow[l] * DAILY)
                                * supplier_ratio[e.link_supplier[l] as usize];
                            if open.is_empty() { w } else { w * open[l] }
                        };
                        // weights are kept in the order slots between the two passes, so that
                        // each supplier's ratio is looked up once
                        let mut total = 0.0;
                        for l in links.clone() {
                            if let Some(&ahead) = e.link_supplier.get(l + PREFETCH_AHEAD) {
                                prefetch(supplier_ratio, ahead as usize);
                            }
                            let w = weight(l);
                            order[l - first] = w;
                            total += w;
                        }
                        for l in links {
                            let weighted = order[l - first];
                            order[l - first] = if total != 0.0 {
                                quantity * (weighted / total)
                            } else {
                                0.0
                            };
                        }
                    }
                    OrderType::NoAlt => {
                        let pooled = policy.as_ref().map_or(0.0, |p| p.pool_order[k]);
                        let total = e.input_annual[k];
                        if pooled > 0.0 {
                            // the pool's part comes out of the links that cannot deliver: each
                            // link keeps its fixed share less φ × its undeliverable share
                            let ordered = quantity + pooled;
                            let served = pooled / (ordered * unserved[k]);
                            for l in links {
                                let ratio = supplier_ratio[e.link_supplier[l] as usize].min(1.0);
                                let undeliverable = 1.0 - ratio * open_at(l);
                                let fixed_share = e.link_flow[l] / total;
                                order[l - first] =
                                    ordered * fixed_share * (1.0 - served * undeliverable);
                            }
                        } else {
                            for l in links {
                                order[l - first] = quantity * (e.link_flow[l] / total);
                            }
                        }
                    }
                }
            }
        });
    }
}
