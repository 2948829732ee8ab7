//! Where a day's orders live: stored per link, or implicit (`q`, `r`, `T`) on dense networks,
//! with the supplier-run layout of dense one-firm-per-industry tables; and the scratch row
//! that lays out BoARIO's demand matrix for one supplier.

use std::sync::Arc;

use rayon::prelude::*;

use super::gates::{Gates, gated_order};
use super::kernels;
use super::par::{PREFETCH_AHEAD, prefetch};
use super::rebuild::Rebuild;
use crate::economy::DAILY;
use crate::economy::Economy;
use crate::numeric::{einsum_dense, einsum_sum, pairwise_dense, pairwise_sum};

/// Orders without a per-link array.
///
/// With `Alt` orders and every link open, the order on link `l` (supplier `s`, buyer input `k`)
/// is `q_k · ((z0_l · r_s) / T_k)` with `q_k` the quantity ordered, `r_s` the supplier's
/// capacity ratio when ordering and `T_k = Σ_l z0_l · r_s` over the input's links. The engine
/// keeps `q`, `r` and `T` and evaluates this where an order is needed: on the supplier side
/// (demand, from a copy of the flows in sales order) and on the buyer side (deliveries, in
/// the same pass that sums the next `T`). The arithmetic is the stored path's, so results are
/// identical, and a day makes two passes over the links instead of four. The state per link
/// is a copy of the flows in sales order (8 bytes) and each sale's slot (4 bytes, not kept
/// with [`Runs`]), where stored orders would take 8 bytes and two more passes. The per-link
/// loops divide four links at a time (module `kernels`).
#[derive(Debug, Clone)]
pub(super) struct Implicit {
    /// Orders are still the baseline ones (`z0`; zero for backup units) until phase 6 of day 0.
    pub(super) baseline: bool,
    /// Inputs from this index on belong to backup units (which order nothing in the baseline).
    pub(super) first_unit_input: usize,
    /// `T_k` of each input's outstanding order (indexed by slot with `runs`, else by input).
    pub(super) total: Vec<f64>,
    /// `T_k` of the orders being placed today (summed in phase 5; indexed as `total`).
    pub(super) total_next: Vec<f64>,
    /// Every supplier's sales go to consecutive slots, whose firms are consecutive (dense
    /// tables with one firm per industry): `sales_slot` is not kept, and phase 5 runs over
    /// the sales in supplier order (see [`Runs`]).
    pub(super) runs: Option<Runs>,
    /// Baseline daily flow `z0` of each sale, in sales order (`Economy::sales_link`).
    pub(super) sales_flow: Arc<[f64]>,
    /// Slot of the buyer's input of each sale, in sales order.
    pub(super) sales_slot: Arc<[u32]>,
    /// Inputs in slot order: by sector, then firm, so that a supplier's sales (to buyers in
    /// firm order, all buying its sector) read consecutive slots.
    pub(super) slot_input: Arc<[u32]>,
    /// Firm of each slot's input.
    pub(super) slot_firm: Arc<[u32]>,
    /// `(q_k, T_k)` of the outstanding orders, in slot order (copied after phase 6); empty
    /// when slots are inputs (`packed` false).
    pub(super) slot_order: Vec<(f64, f64)>,
    /// Slots are inputs sorted by sector (dense networks, where suppliers sell to many
    /// buyers in a row), or the inputs themselves (sparse ones, where the copy would cost
    /// more than it saves).
    pub(super) packed: bool,
    /// Firms from this index on are backup units.
    pub(super) first_unit: usize,
    /// The run's link shocks (`None`: every link open); no supplier runs with them.
    pub(super) gates: Option<Gates>,
    /// `slot_order` (or the runs' `quantity`) is behind `q` and `T` (a batch stepped the day).
    pub(super) unpacked: bool,
}

impl Implicit {
    pub(super) fn new(
        economy: &Economy,
        first_unit: usize,
        runs: bool,
        gates: Option<Gates>,
    ) -> Implicit {
        let runs = runs && gates.is_none();
        let inputs = economy.input_sector.len();
        let packed = economy.n_links() >= IMPLICIT_MIN_LINKS_PER_INPUT * inputs;
        // slots: inputs counting-sorted by sector, firm order kept within a sector (packed),
        // or the inputs in their own order
        let sectors = if packed { economy.sectors.len() } else { 1 };
        let sector = |k: usize| {
            if packed {
                economy.input_sector[k] as usize
            } else {
                0
            }
        };
        let mut starts = vec![0usize; sectors + 1];
        for k in 0..inputs {
            starts[sector(k) + 1] += 1;
        }
        for s in 0..sectors {
            starts[s + 1] += starts[s];
        }
        let mut slot_of_input = vec![0u32; inputs];
        let mut slot_input = vec![0u32; inputs];
        let mut slot_firm = vec![0u32; inputs];
        for f in 0..economy.n_firms() {
            for k in economy.firm_inputs[f] as usize..economy.firm_inputs[f + 1] as usize {
                let next = &mut starts[sector(k)];
                slot_of_input[k] = *next as u32;
                slot_input[*next] = k as u32;
                slot_firm[*next] = f as u32;
                *next += 1;
            }
        }
        // sales in supplier order are links in link order per supplier (as `sales_link` is
        // laid out): fill them by a cursor per supplier, without a per-link temporary
        let mut cursor: Vec<u32> = economy.firm_sales[..economy.n_firms()].to_vec();
        // shared arrays made in place (a `Vec` turned into an `Arc` would be copied, and the
        // run would hold both for a moment)
        let mut sales_slot: Arc<[u32]> = std::iter::repeat_n(0, economy.n_links()).collect();
        let mut sales_flow: Arc<[f64]> = std::iter::repeat_n(0.0, economy.n_links()).collect();
        {
            let only = "a new array has one owner";
            let (slots, flows) = (
                Arc::get_mut(&mut sales_slot).expect(only),
                Arc::get_mut(&mut sales_flow).expect(only),
            );
            for (k, &slot) in slot_of_input.iter().enumerate() {
                for l in economy.input_links[k] as usize..economy.input_links[k + 1] as usize {
                    let next = &mut cursor[economy.link_supplier[l] as usize];
                    slots[*next as usize] = slot;
                    flows[*next as usize] = economy.link_flow[l] * DAILY;
                    *next += 1;
                }
            }
        }
        let runs = (packed && runs)
            .then(|| Runs::new(economy, &sales_slot, &slot_firm, &slot_input, slot_of_input))
            .flatten();
        Implicit {
            baseline: true,
            first_unit_input: economy.firm_inputs[first_unit] as usize,
            total: vec![0.0; inputs],
            total_next: vec![0.0; inputs],
            sales_flow,
            sales_slot: if runs.is_some() {
                Arc::from(Vec::new())
            } else {
                sales_slot
            },
            slot_input: slot_input.into(),
            slot_firm: slot_firm.into(),
            slot_order: vec![(0.0, 0.0); if packed && runs.is_none() { inputs } else { 0 }],
            runs,
            packed,
            first_unit,
            gates,
            unpacked: false,
        }
    }

    /// The layout of another run on the same economy with the same backup units, sharing this
    /// one's static arrays (flows and slots in sales order), at the baseline; for `gates` of
    /// the same kind as this one's (with supplier runs only without link shocks).
    pub(super) fn sibling(&self, gates: Option<Gates>) -> Implicit {
        let inputs = self.total.len();
        Implicit {
            baseline: true,
            first_unit_input: self.first_unit_input,
            total: vec![0.0; inputs],
            total_next: vec![0.0; inputs],
            sales_flow: Arc::clone(&self.sales_flow),
            sales_slot: Arc::clone(&self.sales_slot),
            slot_input: Arc::clone(&self.slot_input),
            slot_firm: Arc::clone(&self.slot_firm),
            slot_order: vec![(0.0, 0.0); self.slot_order.len()],
            runs: self.runs.as_ref().map(Runs::fresh),
            packed: self.packed,
            first_unit: self.first_unit,
            gates,
            unpacked: false,
        }
    }

    /// Slot of the `i`th sale of firm `f` (`i` counts from `Economy::firm_sales`).
    #[inline]
    pub(super) fn slot(&self, f: usize, i: usize, sales_start: usize) -> usize {
        match &self.runs {
            Some(runs) => runs.first_slot[f] as usize + (i - sales_start),
            None => self.sales_slot[i] as usize,
        }
    }

    /// The order on sale `i` with baseline flow `flow0` to the input in `slot`, from a
    /// supplier whose ratio was `ratio` when ordering, times the share delivered today; with
    /// the buying firm. Same arithmetic as [`Implicit::order`].
    #[inline]
    pub(super) fn sale(
        &self,
        i: usize,
        slot: usize,
        flow0: f64,
        ratio: f64,
        quantity: &[f64],
    ) -> (usize, f64) {
        let firm = self.slot_firm[slot] as usize;
        if self.baseline {
            let order = if firm >= self.first_unit { 0.0 } else { flow0 };
            return match &self.gates {
                Some(gates) => (firm, order * gates.pass[gates.sales[i] as usize]),
                None => (firm, order),
            };
        }
        let (quantity, total) = if let Some(runs) = &self.runs {
            (runs.quantity[slot], self.total[slot])
        } else if self.packed {
            self.slot_order[slot]
        } else {
            (quantity[slot], self.total[slot])
        };
        if let Some(gates) = &self.gates {
            let g = gates.sales[i] as usize;
            return (firm, gated_order(gates, g, quantity, flow0, ratio, total));
        }
        let order = if total != 0.0 {
            quantity * ((flow0 * ratio) / total)
        } else {
            0.0
        };
        (firm, order)
    }

    /// Copy today's `(q, T)` into slot order.
    pub(super) fn pack(&mut self, quantity: &[f64], parallel: bool) {
        if let Some(runs) = &mut self.runs {
            let slot_input = &self.slot_input;
            let copy = |(slot, k): (&mut f64, &u32)| *slot = quantity[*k as usize];
            if parallel {
                runs.quantity
                    .par_iter_mut()
                    .zip(slot_input.par_iter())
                    .with_min_len(1 << 14)
                    .for_each(copy);
            } else {
                runs.quantity
                    .iter_mut()
                    .zip(slot_input.iter())
                    .for_each(copy);
            }
            return;
        }
        if !self.packed {
            return;
        }
        let (slot_input, total) = (&self.slot_input, &self.total);
        let copy = |(slot, k): (&mut (f64, f64), &u32)| {
            *slot = (quantity[*k as usize], total[*k as usize]);
        };
        if parallel {
            self.slot_order
                .par_iter_mut()
                .zip(slot_input.par_iter())
                .with_min_len(1 << 14)
                .for_each(copy);
        } else {
            self.slot_order
                .iter_mut()
                .zip(slot_input.iter())
                .for_each(copy);
        }
    }

    /// The outstanding order of input `k` on a link with baseline flow `flow0`, from a
    /// supplier whose ratio was `ratio` when ordering (`quantity`: `q` of every input).
    #[inline]
    pub(super) fn order(&self, quantity: &[f64], k: usize, flow0: f64, ratio: f64) -> f64 {
        if self.baseline {
            return if k >= self.first_unit_input {
                0.0
            } else {
                flow0
            };
        }
        let total = self.total[k];
        if total != 0.0 {
            quantity[k] * ((flow0 * ratio) / total)
        } else {
            0.0
        }
    }
}

/// Implicit orders on a table whose suppliers each sell to a run of consecutive slots.
///
/// Phase 5 then goes over the sales in supplier order, each block of buying firms taking its
/// part of every supplier's run: the deliveries and the next `T` of a slot are summed over
/// its suppliers in increasing order, which is the order of the input's links, so the sums
/// are those of the per-input loop, bit for bit. The sales are read once a day in this
/// layout and once in phase 2, with no index per link.
#[derive(Debug, Clone)]
pub(super) struct Runs {
    /// First slot of each firm's sales (0 without sales).
    pub(super) first_slot: Vec<u32>,
    /// Firms with sales, by the sector of their slots, then firm.
    pub(super) suppliers: Vec<u32>,
    /// Start of each sector's suppliers in `suppliers` (and the end).
    pub(super) sector_suppliers: Vec<u32>,
    /// Start of each sector's slots (and the end).
    pub(super) sector_slots: Vec<u32>,
    /// Firms without sales.
    pub(super) idle: Vec<u32>,
    /// Slot of each input.
    pub(super) slot_of_input: Vec<u32>,
    /// `q` of each slot (copied after phase 6).
    pub(super) quantity: Vec<f64>,
    /// Deliveries to each slot today.
    pub(super) received: Vec<f64>,
}

impl Runs {
    /// The same runs at the baseline (their `q` and deliveries zero).
    fn fresh(&self) -> Runs {
        Runs {
            quantity: vec![0.0; self.quantity.len()],
            received: vec![0.0; self.received.len()],
            ..self.clone()
        }
    }

    /// The sectors of group `g` of `groups` (contiguous, about equal counts).
    pub(super) fn sector_group(&self, g: usize, groups: usize) -> std::ops::Range<usize> {
        let sectors = self.sector_slots.len() - 1;
        g * sectors / groups..(g + 1) * sectors / groups
    }

    /// The runs of `economy`'s sales, if every supplier's sales are one.
    pub(super) fn new(
        economy: &Economy,
        sales_slot: &[u32],
        slot_firm: &[u32],
        slot_input: &[u32],
        slot_of_input: Vec<u32>,
    ) -> Option<Runs> {
        let mut first_slot = vec![0u32; economy.n_firms()];
        for (f, first) in first_slot.iter_mut().enumerate() {
            let slots =
                &sales_slot[economy.firm_sales[f] as usize..economy.firm_sales[f + 1] as usize];
            let Some(&start) = slots.first() else {
                continue;
            };
            let firm0 = slot_firm[start as usize];
            let consecutive = slots.iter().enumerate().all(|(i, &slot)| {
                slot as usize == start as usize + i
                    && slot_firm[slot as usize] as usize == firm0 as usize + i
            });
            if !consecutive {
                return None;
            }
            *first = start;
        }
        let mut suppliers: Vec<u32> = (0..economy.n_firms() as u32)
            .filter(|&f| economy.firm_sales[f as usize] < economy.firm_sales[f as usize + 1])
            .collect();
        // a sale's sector is its slot's: the sector of the buyer's input
        let sector =
            |f: u32| economy.input_sector[slot_input[first_slot[f as usize] as usize] as usize];
        suppliers.sort_by_key(|&f| (sector(f), f));
        let starts = |sectors: &mut dyn Iterator<Item = u32>| {
            let mut starts = vec![0u32; economy.sectors.len() + 1];
            for s in sectors {
                starts[s as usize + 1] += 1;
            }
            for s in 1..starts.len() {
                starts[s] += starts[s - 1];
            }
            starts
        };
        let sector_suppliers = starts(&mut suppliers.iter().map(|&f| sector(f)));
        let sector_slots =
            starts(&mut slot_input.iter().map(|&k| economy.input_sector[k as usize]));
        let idle = (0..economy.n_firms() as u32)
            .filter(|&f| economy.firm_sales[f as usize] == economy.firm_sales[f as usize + 1])
            .collect();
        let slots = slot_of_input.len();
        Some(Runs {
            idle,
            suppliers,
            sector_suppliers,
            sector_slots,
            first_slot,
            slot_of_input,
            quantity: vec![0.0; slots],
            received: vec![0.0; slots],
        })
    }
}

/// Links per input from which orders are kept implicit (see [`Implicit`]).
pub(super) const IMPLICIT_MIN_LINKS_PER_INPUT: usize = 4;

/// Where the outstanding orders are read from.
#[derive(Clone, Copy)]
pub(super) enum Orders<'a> {
    /// Per link, times the share that passes (`pass` empty: everything passes); with the
    /// buyer of each sale.
    Stored {
        order: &'a [f64],
        pass: &'a [f64],
        buyer: &'a [u32],
    },
    /// Evaluated from quantities and the suppliers' ratios when ordering.
    Implicit {
        implicit: &'a Implicit,
        ratio: &'a [f64],
        quantity: &'a [f64],
    },
}

impl Orders<'_> {
    /// Lay out `row` with `len` columns: zeros, plus the orders firm `f` received, by buying
    /// firm, in sales order.
    #[inline]
    pub(super) fn lay_out(self, e: &Economy, f: usize, row: &mut Vec<f64>, len: usize) {
        if let Orders::Implicit {
            implicit, ratio, ..
        } = self
            && !implicit.baseline
            && let Some(runs) = &implicit.runs
        {
            // the run's columns are overwritten: only the others need clearing
            row.truncate(len);
            row.resize(len, 0.0);
            let sales = e.firm_sales[f] as usize..e.firm_sales[f + 1] as usize;
            if sales.is_empty() {
                row.fill(0.0);
                return;
            }
            let first = runs.first_slot[f] as usize;
            let slots = first..first + sales.len();
            let columns = implicit.slot_firm[first] as usize..;
            let columns = columns.start..columns.start + sales.len();
            row[..columns.start].fill(0.0);
            row[columns.end..].fill(0.0);
            kernels::set_sales_run(
                &mut row[columns],
                &implicit.sales_flow[sales],
                ratio[f],
                &runs.quantity[slots.clone()],
                &implicit.total[slots],
            );
            return;
        }
        row.clear();
        row.resize(len, 0.0);
        self.add_received(e, f, row);
    }

    /// Add the orders firm `f` received to `row`, by buying firm, in sales order.
    #[inline]
    fn add_received(self, e: &Economy, f: usize, row: &mut [f64]) {
        if let Orders::Implicit {
            implicit, ratio, ..
        } = self
            && implicit.packed
            && implicit.runs.is_none()
            && implicit.gates.is_none()
            && !implicit.baseline
        {
            let sales = e.firm_sales[f] as usize..e.firm_sales[f + 1] as usize;
            kernels::add_sales(
                row,
                &implicit.sales_slot[sales.clone()],
                &implicit.sales_flow[sales],
                ratio[f],
                &implicit.slot_order,
                &implicit.slot_firm,
            );
            return;
        }
        self.for_each_received(e, f, |buyer, value| row[buyer] += value);
    }

    /// The orders firm `f` received, summed in sales order (as [`Orders::for_each_received`]
    /// would add them).
    #[inline]
    pub(super) fn sum_received(self, e: &Economy, f: usize) -> f64 {
        if let Orders::Implicit {
            implicit, ratio, ..
        } = self
            && implicit.packed
            && implicit.runs.is_none()
            && !implicit.baseline
        {
            let sales = e.firm_sales[f] as usize..e.firm_sales[f + 1] as usize;
            let gate = implicit
                .gates
                .as_ref()
                .map(|gates| (&gates.sales[sales.clone()], gates));
            return super::gates::sum_sales(
                0.0,
                &implicit.sales_slot[sales.clone()],
                &implicit.sales_flow[sales],
                ratio[f],
                &implicit.slot_order,
                gate,
            );
        }
        let mut acc = 0.0;
        self.for_each_received(e, f, |_, value| acc += value);
        acc
    }

    /// Call `each(buyer, order)` for the orders firm `f` received, in sales order.
    #[inline]
    pub(super) fn for_each_received(self, e: &Economy, f: usize, mut each: impl FnMut(usize, f64)) {
        let sales = e.firm_sales[f] as usize..e.firm_sales[f + 1] as usize;
        match self {
            Orders::Stored { order, pass, buyer } => {
                for i in sales {
                    if let Some(&ahead) = e.sales_link.get(i + PREFETCH_AHEAD) {
                        prefetch(order, ahead as usize);
                    }
                    let l = e.sales_link[i] as usize;
                    let value = if pass.is_empty() {
                        order[l]
                    } else {
                        order[l] * pass[l]
                    };
                    each(buyer[i] as usize, value);
                }
            }
            Orders::Implicit {
                implicit,
                ratio,
                quantity,
            } => {
                let (r, start) = (ratio[f], sales.start);
                for (i, &flow0) in sales.clone().zip(&implicit.sales_flow[sales]) {
                    let slot = implicit.slot(f, i, start);
                    let (buyer, value) = implicit.sale(i, slot, flow0, r, quantity);
                    each(buyer, value);
                }
            }
        }
    }
}

/// Scratch for one firm's row of BoARIO's demand matrix `E = [O | F | R]`, summed in numpy's
/// orders: sparse `(column, value)` terms, or the dense row (for dense networks).
#[derive(Debug, Clone, Default)]
pub(super) struct Row {
    pub(super) terms: Vec<(usize, f64)>,
    pub(super) dense: Vec<f64>,
}

impl Row {
    /// Lay out firm `f`'s row of `len` columns; returns the einsum of its orders part `O`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn fill(
        &mut self,
        dense: bool,
        e: &Economy,
        f: usize,
        orders: Orders,
        final_demand: &[f64],
        rb: &Rebuild,
        len: usize,
    ) -> f64 {
        let (n, m) = (e.n_firms(), e.final_demand_columns.len());
        let entries = &rb.by_supplier[rb.starts[f] as usize..rb.starts[f + 1] as usize];
        let rebuild_column = |entry: usize| {
            rb.rebuild_id[rb.event[entry] as usize]
                .map(|id| n + m + id as usize * (n + m) + rb.damaged[entry] as usize)
        };
        let fd_entries = e.firm_final_demand[f] as usize..e.firm_final_demand[f + 1] as usize;
        if dense {
            let row = &mut self.dense;
            orders.lay_out(e, f, row, len);
            let received = einsum_dense(&row[..n]);
            for k in fd_entries.clone() {
                row[n + e.final_demand_column[k] as usize] += final_demand[k];
            }
            for &entry in entries {
                if let Some(column) = rebuild_column(entry as usize) {
                    row[column] += rb.demand[entry as usize];
                }
            }
            return received;
        }
        let row = &mut self.terms;
        row.clear();
        orders.for_each_received(e, f, |buyer, value| row.push((buyer, value)));
        let received = einsum_sum(row, n);
        for k in fd_entries {
            row.push((n + e.final_demand_column[k] as usize, final_demand[k]));
        }
        if !entries.is_empty() {
            let before = row.len();
            for &entry in entries {
                if let Some(column) = rebuild_column(entry as usize) {
                    row.push((column, rb.demand[entry as usize]));
                }
            }
            row[before..].sort_by_key(|&(column, _)| column);
        }
        received
    }

    /// numpy's `einsum` of the row laid out last.
    pub(super) fn einsum(&self, dense: bool, len: usize) -> f64 {
        if dense {
            einsum_dense(&self.dense[..len])
        } else {
            einsum_sum(&self.terms, len)
        }
    }

    /// numpy's `np.sum` of the row laid out last.
    pub(super) fn pairwise(&self, dense: bool, len: usize) -> f64 {
        if dense {
            pairwise_dense(&self.dense[..len])
        } else {
            pairwise_sum(&self.terms, len)
        }
    }
}
