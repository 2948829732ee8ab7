//! Phase 5 of the day: output rationed over all demand in proportion, deliveries received,
//! stocks updated, reconstruction delivered, reserves serving households.

use super::Simulation;
use super::kernels::Supply;
use super::par::{Disjoint, PREFETCH_AHEAD, prefetch, spans};
use super::rationing::served_final;
use super::{close, gates, kernels};
use crate::economy::DAILY;

impl<'e> Simulation<'e> {
    /// Phase 5: proportional rationing over all demand; inventories and reconstruction stocks.
    pub(super) fn distribute(&mut self) {
        self.supply_views();
        self.deliver();
        self.settle();
    }

    /// What phase 5 reads of each supplier: its demand and production, or the shares served.
    pub(super) fn supply_views(&mut self) {
        {
            let supply = Disjoint::new(&mut self.supply);
            let (share_total, production, served) =
                (&self.share_total, &self.production, &self.served);
            self.blocks.run(|_, firms| {
                // SAFETY: each block writes its own firms.
                let supply = unsafe { supply.range(firms.clone()) };
                for (view, f) in supply.iter_mut().zip(firms) {
                    *view = match served.get(f) {
                        // a rule other than proportional: each order gets the share served
                        Some(s) => Supply {
                            demand: 1.0,
                            production: s.orders,
                        },
                        None => Supply {
                            demand: share_total[f],
                            production: production[f],
                        },
                    };
                }
            });
        }
    }

    /// Phase 5's pass over the links: deliveries of the outstanding orders (and, with implicit
    /// orders, the weight totals of today's).
    fn deliver(&mut self) {
        let e = self.economy;
        if self.implicit.as_ref().is_some_and(|i| i.runs.is_some()) {
            self.deliver_runs();
        } else if let Some(implicit) = &mut self.implicit {
            // deliveries of the outstanding orders, and the weight totals `T` of today's orders
            // (by today's supplier ratios) in the same pass over the links
            let received = Disjoint::new(&mut self.received);
            let total_next = Disjoint::new(&mut implicit.total_next);
            let implicit = &*implicit;
            let (supply, quantity) = (&self.supply, &self.quantity);
            let (ratio, ratio_next) = (&self.supplier_ratio, &self.supplier_ratio_next);
            let suppliers = kernels::Suppliers {
                supply,
                ratio,
                ratio_next,
            };
            self.blocks.run(|_, firms| {
                let (inputs, _) = spans(e, &firms);
                // SAFETY: each block writes its own firms' inputs.
                let (received, total_next) = unsafe {
                    (
                        received.range(inputs.clone()),
                        total_next.range(inputs.clone()),
                    )
                };
                for ((got, next), k) in received.iter_mut().zip(total_next).zip(inputs) {
                    let links = e.input_links[k] as usize..e.input_links[k + 1] as usize;
                    if !implicit.baseline {
                        (*got, *next) = match &implicit.gates {
                            Some(gates) => gates::deliveries(
                                quantity[k],
                                implicit.total[k],
                                &e.link_supplier[links.clone()],
                                &e.link_flow[links.clone()],
                                &gates.link[links],
                                DAILY,
                                &suppliers,
                                gates,
                            ),
                            None => kernels::deliveries(
                                quantity[k],
                                implicit.total[k],
                                &e.link_supplier[links.clone()],
                                &e.link_flow[links],
                                DAILY,
                                &suppliers,
                            ),
                        };
                        continue;
                    }
                    let (mut acc, mut total) = (0.0, 0.0);
                    for l in links {
                        let supplier = e.link_supplier[l] as usize;
                        let s = supply[supplier];
                        let flow0 = e.link_flow[l] * DAILY;
                        let gate = implicit.gates.as_ref().map(|g| (g, g.link[l] as usize));
                        if s.demand != 0.0 {
                            let mut order = implicit.order(quantity, k, flow0, ratio[supplier]);
                            if let Some((gates, g)) = gate {
                                order *= gates.pass[g];
                            }
                            acc += (order / s.demand) * s.production;
                        }
                        let mut weight = flow0 * ratio_next[supplier];
                        if let Some((gates, g)) = gate {
                            weight *= gates.open[g];
                        }
                        total += weight;
                    }
                    *got = acc;
                    *next = total;
                }
            });
        } else {
            let received = Disjoint::new(&mut self.received);
            let (order, pass, supply) = (&self.order, &self.pass, &self.supply);
            self.blocks.run(|_, firms| {
                let (inputs, _) = spans(e, &firms);
                // SAFETY: each block writes its own firms' inputs.
                let received = unsafe { received.range(inputs.clone()) };
                for (got, k) in received.iter_mut().zip(inputs) {
                    let mut acc = 0.0;
                    for l in e.input_links[k] as usize..e.input_links[k + 1] as usize {
                        if let Some(&ahead) = e.link_supplier.get(l + PREFETCH_AHEAD) {
                            prefetch(supply, ahead as usize);
                        }
                        let s = supply[e.link_supplier[l] as usize];
                        if s.demand != 0.0 {
                            // without link shocks `pass` is empty: every order passes whole
                            let order = if pass.is_empty() {
                                order[l]
                            } else {
                                order[l] * pass[l]
                            };
                            acc += (order / s.demand) * s.production;
                        }
                    }
                    *got = acc;
                }
            });
        }
    }

    /// Phase 5 after the deliveries of the orders: the pool's, inventories and reconstruction
    /// stocks.
    pub(super) fn settle(&mut self) {
        let e = self.economy;
        let boario = self.params.boario();
        if let Some(policy) = &mut self.policy {
            policy.deliver_pool(e, &self.production, &mut self.received);
        }
        // BoARIO skips the whole update when every delivery is within allclose of use.
        let (received, production) = (&self.received, &self.production);
        let skip = boario
            && self.blocks.all(|_, firms| {
                firms.into_iter().all(|f| {
                    let x = production[f];
                    (e.firm_inputs[f] as usize..e.firm_inputs[f + 1] as usize)
                        .all(|k| close(received[k], x * e.input_per_output[k]))
                })
            });
        if !skip {
            let stock = Disjoint::new(&mut self.stock);
            self.blocks.run(|_, firms| {
                let (inputs, _) = spans(e, &firms);
                // SAFETY: each block writes its own firms' inputs.
                let stock = unsafe { stock.range(inputs.clone()) };
                let first = inputs.start;
                for f in firms {
                    let x = production[f];
                    for k in e.firm_inputs[f] as usize..e.firm_inputs[f + 1] as usize {
                        let used = x * e.input_per_output[k];
                        let held = &mut stock[k - first];
                        let next = (*held - used) + received[k];
                        *held = next.max(0.0);
                    }
                }
            });
        }
        let (served, share_total, production) = (&self.served, &self.share_total, &self.production);
        self.rebuild.deliver(
            |f, wanted| served_final(served, share_total, production, f, wanted),
            boario,
        );
        if let Some(policy) = &mut self.policy {
            // reserves serving households top up final demand left unmet
            let final_demand = &self.final_demand;
            policy.serve_final_demand(|k, f| {
                let wanted = final_demand[k];
                wanted - served_final(served, share_total, production, f, wanted)
            });
        }
    }
}
