//! One run of the firm-level ARIO model: state arrays and the daily step (MODEL.md §3).
//!
//! The step runs over the flat arrays of [`Economy`] and allocates nothing. Its phases, in
//! order, on day `t`:
//!
//! 1. **shocks** — capacity loss `Δ` of every firm (capital lost / capital, capacity losses),
//!    reconstruction demand of rebuilding events;
//! 2. **demand** — `D = orders received + final demand + reconstruction demand`;
//! 3. **overproduction** — `α` moves toward `α_max` while demand exceeds last production;
//! 4. **production** — `x = min(D, x0·(1−Δ)·α)`, cut by the scarcest critical input;
//! 5. **distribution** — proportional rationing of `x` over all demand, inventories updated;
//! 6. **orders** — inventory gap (closed at `1/τ` per day) plus inputs used, split over
//!    suppliers by baseline flow × supplier capacity (`Alt`) or baseline flow (`NoAlt`).
//!
//! With `compat: Boario072` and one firm per industry the arithmetic is BoARIO 0.7.2's, in
//! its order, so trajectories match its references to rounding (see `tests/`).
//!
//! Large economies step their firms in parallel blocks (rayon, module `par`) with results
//! identical to the serial step for any thread count. On dense networks the orders are kept
//! implicit (struct `Implicit`) so that a day makes two passes over the links, four links at a
//! time with AVX where the CPU has it (module `kernels`, same bits); on dense tables with one
//! firm per industry the deliveries go over each sector's sales in supplier order (struct
//! `Runs`), and phases 2 to 5 run supplier by supplier in one pass over those sales
//! (`Simulation::fused_day`). Figures and profiles are in `docs/performance.md`.

mod kernels;
mod par;
mod params;

pub use params::{DAILY, INPUT_THRESHOLD, StepParams, is_critical};

use rayon::prelude::*;

use crate::economy::Economy;
use crate::model::Dynamics;
use crate::numeric::{einsum_dense, einsum_sum, pairwise_dense, pairwise_sum};
use crate::policy::Policies;
use crate::policy::state::PolicyState;
use crate::scenario::{Compat, OrderType};
use crate::shocks::{BOARIO_CAPITAL_DECIMALS, Shocks, round_decimals};
use par::{Blocks, Disjoint, PREFETCH_AHEAD, prefetch, spans};

/// numpy's `allclose` tolerances, used by BoARIO's global gates.
const ALLCLOSE_RTOL: f64 = 1e-5;
const ALLCLOSE_ATOL: f64 = 1e-8;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= ALLCLOSE_ATOL + ALLCLOSE_RTOL * b.abs()
}

/// Reconstruction stocks of all rebuilding events, one entry per (supplier, damaged firm).
#[derive(Debug, Clone, Default)]
struct Rebuild {
    /// Event of each entry (entries are grouped by event, then damaged firm).
    event: Vec<u32>,
    supplier: Vec<u32>,
    damaged: Vec<u32>,
    /// Remaining reconstruction stock `B`.
    stock: Vec<f64>,
    /// Reconstruction demand addressed to the supplier this day `R`.
    demand: Vec<f64>,
    /// CSR over suppliers: entries of firm `f` are `by_supplier[starts[f]..starts[f+1]]`.
    starts: Vec<u32>,
    by_supplier: Vec<u32>,
    /// Entry range of each event.
    event_entries: Vec<std::ops::Range<usize>>,
    /// Per event: has started rebuilding / is finished.
    started: Vec<bool>,
    /// Per event: BoARIO's rebuild id (order in which events started rebuilding).
    rebuild_id: Vec<Option<u32>>,
    /// Events that have started rebuilding.
    n_started: u32,
    finished: Vec<bool>,
    /// Per event: capital still destroyed `(firm, damage)`, sorted by firm.
    damage: Vec<Vec<(u32, f64)>>,
    /// Per event: reconstruction cost per unit of capital destroyed.
    factor: Vec<f64>,
    /// Per event: initial reconstruction stock (`Clean` ends an event below a millionth of it).
    initial_total: Vec<f64>,
}

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
struct Implicit {
    /// Orders are still the baseline ones (`z0`; zero for backup units) until phase 6 of day 0.
    baseline: bool,
    /// Inputs from this index on belong to backup units (which order nothing in the baseline).
    first_unit_input: usize,
    /// `T_k` of each input's outstanding order (indexed by slot with `runs`, else by input).
    total: Vec<f64>,
    /// `T_k` of the orders being placed today (summed in phase 5; indexed as `total`).
    total_next: Vec<f64>,
    /// Every supplier's sales go to consecutive slots, whose firms are consecutive (dense
    /// tables with one firm per industry): `sales_slot` is not kept, and phase 5 runs over
    /// the sales in supplier order (see [`Runs`]).
    runs: Option<Runs>,
    /// Baseline daily flow `z0` of each sale, in sales order (`Economy::sales_link`).
    sales_flow: Vec<f64>,
    /// Slot of the buyer's input of each sale, in sales order.
    sales_slot: Vec<u32>,
    /// Inputs in slot order: by sector, then firm, so that a supplier's sales (to buyers in
    /// firm order, all buying its sector) read consecutive slots.
    slot_input: Vec<u32>,
    /// Firm of each slot's input.
    slot_firm: Vec<u32>,
    /// `(q_k, T_k)` of the outstanding orders, in slot order (copied after phase 6); empty
    /// when slots are inputs (`packed` false).
    slot_order: Vec<(f64, f64)>,
    /// Slots are inputs sorted by sector (dense networks, where suppliers sell to many
    /// buyers in a row), or the inputs themselves (sparse ones, where the copy would cost
    /// more than it saves).
    packed: bool,
    /// Firms from this index on are backup units.
    first_unit: usize,
}

impl Implicit {
    fn new(economy: &Economy, first_unit: usize, runs: bool) -> Implicit {
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
        let mut sales_slot = vec![0u32; economy.n_links()];
        let mut sales_flow = vec![0.0; economy.n_links()];
        for (k, &slot) in slot_of_input.iter().enumerate() {
            for l in economy.input_links[k] as usize..economy.input_links[k + 1] as usize {
                let next = &mut cursor[economy.link_supplier[l] as usize];
                sales_slot[*next as usize] = slot;
                sales_flow[*next as usize] = economy.link_flow[l] * DAILY;
                *next += 1;
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
                Vec::new()
            } else {
                sales_slot
            },
            slot_input,
            slot_firm,
            slot_order: vec![(0.0, 0.0); if packed && runs.is_none() { inputs } else { 0 }],
            runs,
            packed,
            first_unit,
        }
    }

    /// Slot of the `i`th sale of firm `f` (`i` counts from `Economy::firm_sales`).
    #[inline]
    fn slot(&self, f: usize, i: usize, sales_start: usize) -> usize {
        match &self.runs {
            Some(runs) => runs.first_slot[f] as usize + (i - sales_start),
            None => self.sales_slot[i] as usize,
        }
    }

    /// The order on a sale with baseline flow `flow0` to the input in `slot`, from a supplier
    /// whose ratio was `ratio` when ordering; with the buying firm. Same arithmetic as
    /// [`Implicit::order`].
    #[inline]
    fn sale(&self, slot: usize, flow0: f64, ratio: f64, quantity: &[f64]) -> (usize, f64) {
        let firm = self.slot_firm[slot] as usize;
        if self.baseline {
            return (firm, if firm >= self.first_unit { 0.0 } else { flow0 });
        }
        let (quantity, total) = if let Some(runs) = &self.runs {
            (runs.quantity[slot], self.total[slot])
        } else if self.packed {
            self.slot_order[slot]
        } else {
            (quantity[slot], self.total[slot])
        };
        let order = if total != 0.0 {
            quantity * ((flow0 * ratio) / total)
        } else {
            0.0
        };
        (firm, order)
    }

    /// Copy today's `(q, T)` into slot order.
    fn pack(&mut self, quantity: &[f64], parallel: bool) {
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
                runs.quantity.iter_mut().zip(slot_input).for_each(copy);
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
            self.slot_order.iter_mut().zip(slot_input).for_each(copy);
        }
    }

    /// The outstanding order of input `k` on a link with baseline flow `flow0`, from a
    /// supplier whose ratio was `ratio` when ordering (`quantity`: `q` of every input).
    #[inline]
    fn order(&self, quantity: &[f64], k: usize, flow0: f64, ratio: f64) -> f64 {
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
struct Runs {
    /// First slot of each firm's sales (0 without sales).
    first_slot: Vec<u32>,
    /// Firms with sales, by the sector of their slots, then firm.
    suppliers: Vec<u32>,
    /// Start of each sector's suppliers in `suppliers` (and the end).
    sector_suppliers: Vec<u32>,
    /// Start of each sector's slots (and the end).
    sector_slots: Vec<u32>,
    /// Firms without sales.
    idle: Vec<u32>,
    /// Slot of each input.
    slot_of_input: Vec<u32>,
    /// `q` of each slot (copied after phase 6).
    quantity: Vec<f64>,
    /// Deliveries to each slot today.
    received: Vec<f64>,
}

impl Runs {
    /// The sectors of group `g` of `groups` (contiguous, about equal counts).
    fn sector_group(&self, g: usize, groups: usize) -> std::ops::Range<usize> {
        let sectors = self.sector_slots.len() - 1;
        g * sectors / groups..(g + 1) * sectors / groups
    }

    /// The runs of `economy`'s sales, if every supplier's sales are one.
    fn new(
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

/// State of one run.
#[derive(Debug, Clone)]
pub struct Simulation<'e> {
    economy: &'e Economy,
    params: StepParams,
    shocks: Shocks,
    day: u32,
    // per firm
    output0: Vec<f64>,
    alpha: Vec<f64>,
    delta: Vec<f64>,
    capital_lost: Vec<f64>,
    capacity: Vec<f64>,
    demand: Vec<f64>,
    /// Denominator of the rationing shares (the demand again, summed as `np.sum` under
    /// `Boario072`).
    share_total: Vec<f64>,
    orders_received: Vec<f64>,
    production: Vec<f64>,
    /// Capacity ratio `x_cap / x0` of each firm as a supplier when the outstanding orders
    /// were placed (yesterday's; today's after phase 6).
    supplier_ratio: Vec<f64>,
    /// Today's capacity ratio, set in phase 4 (becomes `supplier_ratio` in phase 6).
    supplier_ratio_next: Vec<f64>,
    /// What phase 5 reads of each supplier, side by side (one cache line per supplier on
    /// large sparse networks instead of four).
    supply: Vec<Supply>,
    // per input
    critical: Vec<bool>,
    /// Target stock in days of use (inventory days; a backup unit's prestock days).
    input_days: Vec<f64>,
    stock: Vec<f64>,
    received: Vec<f64>,
    target: Vec<f64>,
    /// Orders kept implicit (`Alt` orders without link shocks), or `None`: orders stored per
    /// link in `order`.
    implicit: Option<Implicit>,
    // per link (baseline flows and fixed shares are computed from the economy's flows when
    // needed, with the same arithmetic as stored ones: `z · DAILY`, `z / input total`)
    order: Vec<f64>,
    /// Buyer of each sale, in sales order (with stored orders; empty with implicit ones).
    sales_buyer: Vec<u32>,
    /// Share of each link's flow that can pass today (1 = open, 0 = blocked); empty when the
    /// run has no link shocks (every link open), and so is `pass`.
    open: Vec<f64>,
    /// Share of an order on each link that is delivered: `open` with fixed-share orders;
    /// with `Alt` orders the weights already follow `open`, so an order on a link that is
    /// not fully blocked is delivered whole.
    pass: Vec<f64>,
    /// Blocked share of each link shock on the last day stepped (to redo `open` on change).
    link_strength: Vec<f64>,
    // per final-demand entry
    final_demand0: Vec<f64>,
    /// Final demand today (baseline × demand changes).
    final_demand: Vec<f64>,
    /// Multiplier of each demand shock on the last day stepped.
    demand_multiplier: Vec<f64>,
    rebuild: Rebuild,
    /// Scratch row `(position, value)` per block for numpy-ordered sums (`Boario072` only).
    rows: Vec<Row>,
    /// Lay BoARIO rows out densely (the network is dense enough that this is cheaper).
    dense_rows: bool,
    /// The firms split for parallel stepping (one block for small economies).
    blocks: Blocks,
    /// Quantity ordered of each input today (before it is split over suppliers).
    quantity: Vec<f64>,
    /// Share of each input's order its regular suppliers cannot serve (policies only).
    unserved: Vec<f64>,
    /// Backup units, reserves and the pool (`None`: no policy, the engine as without them).
    policy: Option<PolicyState<'e>>,
}

impl<'e> Simulation<'e> {
    /// A run at its baseline (day 0 not yet stepped).
    pub fn new(economy: &'e Economy, dynamics: &Dynamics, shocks: Shocks) -> Simulation<'e> {
        Simulation::build(economy, dynamics, shocks, None)
    }

    /// A run with backup units and reserves; `economy` must be the one [`Policies::new`]
    /// returned (extended with the units). Without any policy this is [`Simulation::new`].
    pub fn with_policies(
        economy: &'e Economy,
        dynamics: &Dynamics,
        shocks: Shocks,
        policies: &'e Policies,
    ) -> Simulation<'e> {
        let policies = (!policies.is_empty()).then_some(policies);
        Simulation::build(economy, dynamics, shocks, policies)
    }

    fn build(
        economy: &'e Economy,
        dynamics: &Dynamics,
        shocks: Shocks,
        policies: Option<&'e Policies>,
    ) -> Simulation<'e> {
        let params = StepParams::new(dynamics, economy);
        let n_firms = economy.n_firms();
        let output0: Vec<f64> = economy.firm_output.iter().map(|x| x * DAILY).collect();
        let mut critical = Vec::with_capacity(economy.input_sector.len());
        let mut stock = Vec::with_capacity(economy.input_sector.len());
        let mut input_days = Vec::with_capacity(economy.input_sector.len());
        for (f, &x0) in output0.iter().enumerate() {
            for k in economy.firm_inputs[f] as usize..economy.firm_inputs[f + 1] as usize {
                critical.push(is_critical(
                    params.compat,
                    economy.input_annual[k],
                    economy.input_per_output[k],
                    x0,
                ));
                let days = params.inventory_days[economy.input_sector[k] as usize];
                input_days.push(days);
                stock.push((x0 * economy.input_per_output[k]) * days);
            }
        }
        let rebuild = Rebuild::new(economy, &shocks);
        let policy = policies.map(|p| PolicyState::new(p, economy, &shocks));
        // implicit orders pay on dense networks (suppliers selling to many buyers in a row);
        // on sparse ones reading `q` and `T` of random buyers costs more than one stored order
        let implicit = (dynamics.order_type == OrderType::Alt
            && shocks.links.is_empty()
            && economy.n_links() >= IMPLICIT_MIN_LINKS_PER_INPUT * economy.input_sector.len())
        .then(|| Implicit::new(economy, policies.map_or(n_firms, |p| p.first_unit), true));
        let mut order: Vec<f64> = if implicit.is_some() {
            Vec::new()
        } else {
            economy.link_flow.iter().map(|z| z * DAILY).collect()
        };
        let sales_buyer: Vec<u32> = if implicit.is_some() {
            Vec::new()
        } else {
            let link_buyer: Vec<u32> = economy.link_buyers().collect();
            economy
                .sales_link
                .iter()
                .map(|&l| link_buyer[l as usize])
                .collect()
        };
        if let Some(policies) = policies {
            // backup units hold their prestock and order nothing in the baseline
            let first_link =
                economy.input_links[economy.firm_inputs[policies.first_unit] as usize] as usize;
            if let Some(order) = order.get_mut(first_link..) {
                order.iter_mut().for_each(|o| *o = 0.0);
            }
            for backup in &policies.backups {
                let per_unit = backup.capacity_per_day / backup.firms.len() as f64;
                for &f in &backup.firms {
                    let f = f as usize;
                    let inputs =
                        economy.firm_inputs[f] as usize..economy.firm_inputs[f + 1] as usize;
                    // a unit's stock target is its prestock, not the firms' inventory days
                    let days = f64::from(backup.prestock_days.max(1));
                    input_days[inputs.clone()]
                        .iter_mut()
                        .for_each(|d| *d = days);
                    for (held, per_output) in stock[inputs.clone()]
                        .iter_mut()
                        .zip(&economy.input_per_output[inputs])
                    {
                        *held = per_unit * per_output * days;
                    }
                }
            }
        }
        let link_strength = vec![0.0; shocks.links.len()];
        let has_link_shocks = !shocks.links.is_empty();
        let blocks = Blocks::new(economy);
        let final_demand0: Vec<f64> = economy
            .final_demand_annual
            .iter()
            .map(|y| y * DAILY)
            .collect();
        let demand_multiplier = vec![1.0; shocks.demand.len()];
        Simulation {
            economy,
            shocks,
            day: 0,
            alpha: vec![params.alpha_base; n_firms],
            delta: vec![0.0; n_firms],
            capital_lost: vec![0.0; n_firms],
            capacity: output0.iter().map(|x| x * params.alpha_base).collect(),
            demand: output0.clone(),
            share_total: output0.clone(),
            orders_received: vec![0.0; n_firms],
            production: output0.clone(),
            supplier_ratio: vec![1.0; n_firms],
            supplier_ratio_next: vec![1.0; n_firms],
            supply: vec![Supply::default(); n_firms],
            implicit,
            output0,
            critical,
            input_days,
            received: vec![0.0; stock.len()],
            target: vec![0.0; stock.len()],
            stock,
            order,
            sales_buyer,
            open: vec![
                1.0;
                if has_link_shocks {
                    economy.n_links()
                } else {
                    0
                }
            ],
            pass: vec![
                1.0;
                if has_link_shocks {
                    economy.n_links()
                } else {
                    0
                }
            ],
            link_strength,
            final_demand: final_demand0.clone(),
            final_demand0,
            demand_multiplier,
            rebuild,
            rows: vec![Row::default(); blocks.len()],
            dense_rows: economy.n_links().saturating_mul(4)
                >= n_firms.saturating_mul(n_firms + economy.final_demand_columns.len()),
            blocks,
            quantity: vec![0.0; economy.input_sector.len()],
            unserved: vec![0.0; economy.input_sector.len()],
            policy,
            params,
        }
    }

    /// Step in about `blocks` blocks of firms, in parallel on the current rayon pool when
    /// there are several, whatever the economy's size (by default small economies step on one
    /// thread). Results are identical for any split; this exists to test and measure that.
    pub fn split_blocks(&mut self, blocks: usize) {
        self.blocks = Blocks::split(self.economy, blocks);
        self.rows = vec![Row::default(); self.blocks.len()];
    }

    /// Lay BoARIO's demand rows out densely or sparsely (`Boario072` only; by default dense
    /// when the network is). Results are identical either way; this exists to test that.
    pub fn set_dense_rows(&mut self, dense: bool) {
        self.dense_rows = dense;
    }

    /// Whether BoARIO's demand rows are laid out densely.
    pub fn dense_rows(&self) -> bool {
        self.dense_rows
    }

    /// Use the supplier-run layout of implicit orders where the network allows it (the
    /// default), or not; before the first step only. Results are identical either way; this
    /// exists to test that.
    pub fn set_order_runs(&mut self, on: bool) {
        assert_eq!(self.day, 0, "set_order_runs before the first step");
        if let Some(implicit) = &self.implicit
            && implicit.runs.is_some() != on
        {
            self.implicit = Some(Implicit::new(self.economy, implicit.first_unit, on));
        }
    }

    /// Whether the implicit orders use the supplier-run layout (dense tables with one firm per
    /// industry).
    pub fn order_runs(&self) -> bool {
        self.implicit.as_ref().is_some_and(|i| i.runs.is_some())
    }

    /// The economy this run steps over.
    pub fn economy(&self) -> &'e Economy {
        self.economy
    }

    /// Next day to be stepped (0 before the first step).
    pub fn day(&self) -> u32 {
        self.day
    }

    /// Baseline daily output of each firm.
    pub fn output0(&self) -> &[f64] {
        &self.output0
    }

    /// Realised production of each firm on the last day stepped.
    pub fn production(&self) -> &[f64] {
        &self.production
    }

    /// Production capacity `x0·(1−Δ)·α` of each firm on the last day stepped.
    pub fn capacity(&self) -> &[f64] {
        &self.capacity
    }

    /// Overproduction factor α of each firm on the last day stepped.
    pub fn alpha(&self) -> &[f64] {
        &self.alpha
    }

    /// Capacity loss Δ of each firm on the last day stepped.
    pub fn capacity_loss(&self) -> &[f64] {
        &self.delta
    }

    /// Orders from other firms received by each firm at the start of the last day stepped.
    pub fn orders_received(&self) -> &[f64] {
        &self.orders_received
    }

    /// Total demand addressed to each firm on the last day stepped.
    pub fn demand(&self) -> &[f64] {
        &self.demand
    }

    /// Backup units and reserves during this run (`None` without policies).
    pub fn policy(&self) -> Option<&PolicyState<'e>> {
        self.policy.as_ref()
    }

    /// Final demand addressed to each final-demand entry today (baseline × demand changes).
    pub fn final_demand(&self) -> &[f64] {
        &self.final_demand
    }

    /// Share of each link's flow that can pass today (1 open, 0 blocked); empty when the run
    /// has no link shocks (every link open).
    pub fn link_open(&self) -> &[f64] {
        &self.open
    }

    /// Stock of each input (see [`Economy::firm_inputs`]).
    pub fn stocks(&self) -> &[f64] {
        &self.stock
    }

    /// Final demand not served on the last day stepped, per final-demand entry of the economy.
    pub fn final_demand_unmet(&self) -> impl Iterator<Item = f64> + '_ {
        let e = self.economy;
        (0..e.n_firms()).flat_map(move |f| {
            let (d, x) = (self.share_total[f], self.production[f]);
            (e.firm_final_demand[f] as usize..e.firm_final_demand[f + 1] as usize).map(move |k| {
                let wanted = self.final_demand[k];
                let served = if d == 0.0 { 0.0 } else { (wanted / d) * x };
                let from_reserves = self
                    .policy
                    .as_ref()
                    .map_or(0.0, |p| p.final_demand_served[k]);
                wanted - served - from_reserves
            })
        })
    }

    /// Advance one day.
    pub fn step(&mut self) {
        let day = self.day;
        self.apply_shocks(day);
        if self.fused() {
            self.fused_day(day);
            self.settle();
        } else {
            self.collect_demand();
            self.assign_pool();
            self.update_alpha(day);
            self.produce();
            self.distribute();
        }
        self.place_orders();
        self.day += 1;
    }

    /// Share of link `l`'s flow that can pass today (`open` is empty without link shocks).
    fn open_at(&self, l: usize) -> f64 {
        self.open.get(l).copied().unwrap_or(1.0)
    }

    /// Phase 1: capacity losses and reconstruction demand for `day`.
    fn apply_shocks(&mut self, day: u32) {
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
    fn apply_link_blocks(&mut self, day: u32) {
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

    /// Final demand for `day` (overlapping changes multiply), recomputed only on change.
    fn apply_demand_changes(&mut self, day: u32) {
        let mut changed = false;
        for (multiplier, shock) in self.demand_multiplier.iter_mut().zip(&self.shocks.demand) {
            let m = shock.multiplier_on(day);
            if m != *multiplier {
                *multiplier = m;
                changed = true;
            }
        }
        if changed {
            self.final_demand.copy_from_slice(&self.final_demand0);
            for (&m, shock) in self.demand_multiplier.iter().zip(&self.shocks.demand) {
                if m != 1.0 {
                    for &k in &shock.entries {
                        self.final_demand[k as usize] *= m;
                    }
                }
            }
        }
    }

    /// The outstanding orders (placed yesterday).
    fn orders(&self) -> Orders<'_> {
        match &self.implicit {
            Some(implicit) => Orders::Implicit {
                implicit,
                ratio: &self.supplier_ratio,
                quantity: &self.quantity,
            },
            None => Orders::Stored {
                order: &self.order,
                pass: &self.pass,
                buyer: &self.sales_buyer,
            },
        }
    }

    /// Length of a row of BoARIO's demand matrix `E = [O | F | R]` (`R` has one block of
    /// `n + m` columns per rebuilding event).
    fn row_len(&self) -> usize {
        let width = self.economy.n_firms() + self.economy.final_demand_columns.len();
        width + width * self.rebuild.n_started as usize
    }

    /// Whether phases 2 to 5 run as one pass over the sales ([`Simulation::fused_day`]):
    /// implicit orders over supplier runs, past the baseline day, without policies (whose
    /// pool needs every firm's capacity before any production).
    fn fused(&self) -> bool {
        self.policy.is_none()
            && self
                .implicit
                .as_ref()
                .is_some_and(|i| i.runs.is_some() && !i.baseline)
    }

    /// Phases 2 to 4 firm by firm, and the deliveries of phase 5, in one pass over each
    /// sector's sales. Phases 2 to 4 of a firm read only its own row and inputs, so a
    /// supplier can produce and deliver as soon as its demand row is summed; its sales are
    /// then still in cache, and memory is read once a day instead of twice. Each slot still
    /// sums its suppliers in increasing order ([`Runs`]): results are those of the phase-by-
    /// phase step, bit for bit.
    fn fused_day(&mut self, day: u32) {
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
            };
            let stocks = Stocks {
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
            // phases 2 to 4 of firm `f`: what its deliveries need
            let firm = |f: usize, row: &mut Row| -> (Supply, f64) {
                let (received, d, share) = demands.of(f, row);
                // SAFETY: firm `f`'s entries are written by the task that has its sector
                // (or by the serial loop over firms without sales) alone.
                unsafe {
                    orders_received.range(f..f + 1)[0] = received;
                    demand.range(f..f + 1)[0] = d;
                    share_total.range(f..f + 1)[0] = share;
                    let a = &mut alpha.range(f..f + 1)[0];
                    let x = &mut production.range(f..f + 1)[0];
                    if !keep_alpha {
                        *a = next_alpha(p, *a, d, *x);
                    }
                    let cap = (output0[f] * (1.0 - delta[f])) * *a;
                    capacity.range(f..f + 1)[0] = cap;
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
                // SAFETY: group `g` alone uses scratch row `g` and its sectors' slots.
                let row = unsafe { &mut rows.range(g..g + 1)[0] };
                for sector in runs.sector_group(g, groups) {
                    let slots =
                        runs.sector_slots[sector] as usize..runs.sector_slots[sector + 1] as usize;
                    // SAFETY: as above.
                    let (acc, next) =
                        unsafe { (acc_all.range(slots.clone()), next_all.range(slots.clone())) };
                    acc.fill(0.0);
                    next.fill(0.0);
                    let sellers = runs.sector_suppliers[sector] as usize
                        ..runs.sector_suppliers[sector + 1] as usize;
                    for &s in &runs.suppliers[sellers] {
                        let s = s as usize;
                        let (view, r_next) = firm(s, row);
                        let sales = e.firm_sales[s] as usize..e.firm_sales[s + 1] as usize;
                        let first = runs.first_slot[s] as usize;
                        let run = first - slots.start..first - slots.start + sales.len();
                        let own = first..first + sales.len();
                        kernels::deliver_run(
                            &implicit.sales_flow[sales],
                            &runs.quantity[own.clone()],
                            &implicit.total[own],
                            ratio[s],
                            r_next,
                            view,
                            &mut acc[run.clone()],
                            &mut next[run],
                        );
                    }
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

    /// Phase 2: total demand on each firm (orders, final demand, reconstruction).
    fn collect_demand(&mut self) {
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
                (orders_received[i], demand[i], share_total[i]) = demands.of(f, row);
            }
        });
    }

    /// Firms from this index on are backup units.
    fn first_unit(&self) -> usize {
        self.policy
            .as_ref()
            .map_or(self.economy.n_firms(), |p| p.policies().first_unit)
    }

    /// Phase 2b (policies): backup units' capacity today and their share of the pool orders.
    fn assign_pool(&mut self) {
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

    /// Phase 3: overproduction from the gap between demand and yesterday's production.
    fn update_alpha(&mut self, day: u32) {
        let p = &self.params;
        if p.boario() && day <= 1 {
            return;
        }
        let first_unit = self.first_unit();
        let alpha = Disjoint::new(&mut self.alpha);
        let (demand, production) = (&self.demand, &self.production);
        self.blocks.run(|_, firms| {
            let firms = firms.start.min(first_unit)..firms.end.min(first_unit);
            // SAFETY: each block writes its own firms.
            let alpha = unsafe { alpha.range(firms.clone()) };
            for (a, f) in alpha.iter_mut().zip(firms) {
                *a = next_alpha(p, *a, demand[f], production[f]);
            }
        });
    }

    /// Phase 4: capacity, then production limited by demand and the scarcest critical input.
    fn produce(&mut self) {
        let e = self.economy;
        let psi = self.params.psi;
        let first_unit = self.first_unit();
        let capacity = Disjoint::new(&mut self.capacity);
        let production = Disjoint::new(&mut self.production);
        let ratio_next = Disjoint::new(&mut self.supplier_ratio_next);
        let (output0, delta, alpha, demand) =
            (&self.output0, &self.delta, &self.alpha, &self.demand);
        let stocks = Stocks {
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

    /// Phase 5: proportional rationing over all demand; inventories and reconstruction stocks.
    fn distribute(&mut self) {
        let e = self.economy;
        {
            let supply = Disjoint::new(&mut self.supply);
            let (share_total, production) = (&self.share_total, &self.production);
            self.blocks.run(|_, firms| {
                // SAFETY: each block writes its own firms.
                let supply = unsafe { supply.range(firms.clone()) };
                for (view, f) in supply.iter_mut().zip(firms) {
                    *view = Supply {
                        demand: share_total[f],
                        production: production[f],
                    };
                }
            });
        }
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
                        (*got, *next) = kernels::deliveries(
                            quantity[k],
                            implicit.total[k],
                            &e.link_supplier[links.clone()],
                            &e.link_flow[links],
                            DAILY,
                            &suppliers,
                        );
                        continue;
                    }
                    let (mut acc, mut total) = (0.0, 0.0);
                    for l in e.input_links[k] as usize..e.input_links[k + 1] as usize {
                        let supplier = e.link_supplier[l] as usize;
                        let s = supply[supplier];
                        let flow0 = e.link_flow[l] * DAILY;
                        if s.demand != 0.0 {
                            let order = implicit.order(quantity, k, flow0, ratio[supplier]);
                            acc += (order / s.demand) * s.production;
                        }
                        total += flow0 * ratio_next[supplier];
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
        self.settle();
    }

    /// Phase 5 after the deliveries of the orders: the pool's, inventories and reconstruction
    /// stocks.
    fn settle(&mut self) {
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
        self.rebuild
            .deliver(&self.share_total, &self.production, boario);
        if let Some(policy) = &mut self.policy {
            // reserves serving households top up final demand left unmet
            let (share_total, production, final_demand) =
                (&self.share_total, &self.production, &self.final_demand);
            policy.serve_final_demand(|k, f| {
                let (d, x) = (share_total[f], production[f]);
                let wanted = final_demand[k];
                wanted - if d == 0.0 { 0.0 } else { (wanted / d) * x }
            });
        }
    }

    /// Phase 5 deliveries and next weight totals with implicit orders over [`Runs`]: each
    /// block of buying firms goes over every supplier's sales to it, suppliers in order.
    fn deliver_runs(&mut self) {
        let e = self.economy;
        let Some(Implicit {
            baseline,
            total,
            total_next,
            sales_flow,
            slot_firm,
            runs: Some(runs),
            first_unit,
            ..
        }) = &mut self.implicit
        else {
            return;
        };
        let (baseline, first_unit) = (*baseline, *first_unit);
        let (total, sales_flow, slot_firm) = (&*total, &*sales_flow, &*slot_firm);
        let Runs {
            first_slot,
            suppliers,
            sector_suppliers,
            sector_slots,
            slot_of_input,
            quantity,
            received: slot_received,
            ..
        } = runs;
        let received = Disjoint::new(&mut self.received);
        let slot_received_all = Disjoint::new(slot_received);
        let total_next = Disjoint::new(total_next);
        let (supply, ratio, ratio_next) = (
            &self.supply,
            &self.supplier_ratio,
            &self.supplier_ratio_next,
        );
        let sector = |sector: usize| {
            let slots = sector_slots[sector] as usize..sector_slots[sector + 1] as usize;
            // SAFETY: the sector's slots are this task's alone.
            let (acc, next) = unsafe {
                (
                    slot_received_all.range(slots.clone()),
                    total_next.range(slots.clone()),
                )
            };
            acc.fill(0.0);
            next.fill(0.0);
            let sellers = sector_suppliers[sector] as usize..sector_suppliers[sector + 1] as usize;
            for &s in &suppliers[sellers] {
                let s = s as usize;
                let sales = e.firm_sales[s] as usize..e.firm_sales[s + 1] as usize;
                let first = first_slot[s] as usize;
                let run = first - slots.start..first - slots.start + sales.len();
                let (acc, next) = (&mut acc[run.clone()], &mut next[run]);
                let flows = &sales_flow[sales.clone()];
                let view = supply[s];
                if baseline {
                    // baseline orders: `z0`, none from backup units
                    let firm0 = slot_firm[first] as usize;
                    for (j, &flow0) in flows.iter().enumerate() {
                        let order = if firm0 + j >= first_unit { 0.0 } else { flow0 };
                        if view.demand != 0.0 {
                            acc[j] += (order / view.demand) * view.production;
                        }
                        next[j] += flow0 * ratio_next[s];
                    }
                    continue;
                }
                let slots = first..first + sales.len();
                kernels::deliver_run(
                    flows,
                    &quantity[slots.clone()],
                    &total[slots],
                    ratio[s],
                    ratio_next[s],
                    view,
                    acc,
                    next,
                );
            }
        };
        let sectors = sector_slots.len() - 1;
        if self.blocks.is_parallel() {
            (0..sectors).into_par_iter().for_each(sector);
        } else {
            (0..sectors).for_each(sector);
        }
        let slot_received = &*slot_received;
        self.blocks.run(|_, firms| {
            let (inputs, _) = spans(e, &firms);
            // SAFETY: each block writes its own inputs.
            let got = unsafe { received.range(inputs.clone()) };
            for (got, k) in got.iter_mut().zip(inputs) {
                *got = slot_received[slot_of_input[k] as usize];
            }
        });
    }

    /// Phase 6: orders for tomorrow.
    fn place_orders(&mut self) {
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
            for k in 0..e.input_sector.len() {
                let (mut able, mut total) = (0.0, 0.0);
                for l in e.input_links[k] as usize..e.input_links[k + 1] as usize {
                    let ratio = self.supplier_ratio[e.link_supplier[l] as usize].min(1.0);
                    let flow0 = e.link_flow[l] * DAILY;
                    able += flow0 * ratio * self.open_at(l);
                    total += flow0;
                }
                self.unserved[k] = if total > 0.0 { 1.0 - able / total } else { 0.0 };
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
            implicit.pack(&self.quantity, self.blocks.is_parallel());
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

/// What phase 2 reads.
struct Demands<'a> {
    e: &'a Economy,
    boario: bool,
    dense: bool,
    /// Length of BoARIO's demand rows.
    len: usize,
    orders: Orders<'a>,
    final_demand: &'a [f64],
    rb: &'a Rebuild,
}

impl Demands<'_> {
    /// Phase 2 for firm `f`: orders received, demand, and the rationing shares' denominator
    /// (BoARIO sums its demand row twice, in numpy's two orders, with scratch `row`).
    #[inline]
    fn of(&self, f: usize, row: &mut Row) -> (f64, f64, f64) {
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
        let mut acc = 0.0;
        self.orders.for_each_received(e, f, |_, value| acc += value);
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

/// What phase 4 reads about inputs.
struct Stocks<'a> {
    psi: Option<f64>,
    critical: &'a [bool],
    stock: &'a [f64],
    input_days: &'a [f64],
}

impl Stocks<'_> {
    /// Phase 4 for firm `f` with baseline output `output0`, capacity `cap` and demand `d`:
    /// the capacity ratio suppliers are weighted by in today's orders, and production
    /// (demand within capacity, cut by the scarcest critical input).
    #[inline]
    fn produce(&self, e: &Economy, f: usize, output0: f64, cap: f64, d: f64) -> (f64, f64) {
        let ratio_next = if output0 != 0.0 { cap / output0 } else { 1.0 };
        let optimal = d.min(cap);
        let mut ratio: f64 = 1.0;
        for k in e.firm_inputs[f] as usize..e.firm_inputs[f + 1] as usize {
            if !self.critical[k] {
                continue;
            }
            let mut needed = optimal * e.input_per_output[k];
            if let Some(psi) = self.psi {
                needed *= psi;
            }
            needed *= self.input_days[k];
            if needed != 0.0 {
                ratio = ratio.min(self.stock[k] / needed);
            }
        }
        (ratio_next, optimal * ratio)
    }
}

/// Phase 3 for one firm: `α` after a day with demand `d` on a firm that produced `x` the day
/// before.
#[inline]
fn next_alpha(p: &StepParams, alpha: f64, d: f64, x: f64) -> f64 {
    let zeta = if d != 0.0 { (d - x) / d } else { 0.0 };
    if p.boario() {
        // relaxation only when ζ is exactly zero; floor 1 (BoARIO 0.7.2)
        let relax = if zeta == 0.0 { 1.0 } else { 0.0 };
        let change =
            (p.alpha_max - alpha) * zeta * p.kappa + (p.alpha_base - alpha) * relax * p.kappa;
        let next = alpha + change;
        next.max(1.0)
    } else if zeta > 0.0 {
        alpha + (p.alpha_max - alpha) * zeta * p.kappa
    } else {
        alpha + (p.alpha_base - alpha) * p.kappa
    }
}

/// Links per input from which orders are kept implicit (see [`Implicit`]).
const IMPLICIT_MIN_LINKS_PER_INPUT: usize = 4;

/// A supplier as the deliveries of phase 5 see it.
#[derive(Debug, Clone, Copy, Default)]
struct Supply {
    /// Denominator of the rationing shares (`share_total`).
    demand: f64,
    /// Production today.
    production: f64,
}

/// Where the outstanding orders are read from.
#[derive(Clone, Copy)]
enum Orders<'a> {
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
    /// Add the orders firm `f` received to `row`, by buying firm, in sales order.
    #[inline]
    fn add_received(self, e: &Economy, f: usize, row: &mut [f64]) {
        if let Orders::Implicit {
            implicit, ratio, ..
        } = self
            && implicit.packed
            && !implicit.baseline
        {
            let sales = e.firm_sales[f] as usize..e.firm_sales[f + 1] as usize;
            if let Some(runs) = &implicit.runs {
                if sales.is_empty() {
                    return;
                }
                let first = runs.first_slot[f] as usize;
                let slots = first..first + sales.len();
                let firm0 = implicit.slot_firm[first] as usize;
                kernels::add_sales_run(
                    &mut row[firm0..firm0 + sales.len()],
                    &implicit.sales_flow[sales],
                    ratio[f],
                    &runs.quantity[slots.clone()],
                    &implicit.total[slots],
                );
                return;
            }
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

    /// Call `each(buyer, order)` for the orders firm `f` received, in sales order.
    #[inline]
    fn for_each_received(self, e: &Economy, f: usize, mut each: impl FnMut(usize, f64)) {
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
                    let (buyer, value) = implicit.sale(slot, flow0, r, quantity);
                    each(buyer, value);
                }
            }
        }
    }
}

/// Scratch for one firm's row of BoARIO's demand matrix `E = [O | F | R]`, summed in numpy's
/// orders: sparse `(column, value)` terms, or the dense row (for dense networks).
#[derive(Debug, Clone, Default)]
struct Row {
    terms: Vec<(usize, f64)>,
    dense: Vec<f64>,
}

impl Row {
    /// Lay out firm `f`'s row of `len` columns; returns the einsum of its orders part `O`.
    #[allow(clippy::too_many_arguments)]
    fn fill(
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
            row.clear();
            row.resize(len, 0.0);
            orders.add_received(e, f, row);
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
    fn einsum(&self, dense: bool, len: usize) -> f64 {
        if dense {
            einsum_dense(&self.dense[..len])
        } else {
            einsum_sum(&self.terms, len)
        }
    }

    /// numpy's `np.sum` of the row laid out last.
    fn pairwise(&self, dense: bool, len: usize) -> f64 {
        if dense {
            pairwise_dense(&self.dense[..len])
        } else {
            pairwise_sum(&self.terms, len)
        }
    }
}

impl Rebuild {
    fn new(economy: &Economy, shocks: &Shocks) -> Rebuild {
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
    fn start_events(&mut self, shocks: &Shocks, day: u32, compat: Compat) {
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

    /// Deliveries to reconstruction, stocks and damage updated.
    fn deliver(&mut self, demand: &[f64], production: &[f64], boario: bool) {
        for k in 0..self.event.len() {
            let s = self.supplier[k] as usize;
            let delivered = if demand[s] != 0.0 {
                (self.demand[k] / demand[s]) * production[s]
            } else {
                0.0
            };
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
