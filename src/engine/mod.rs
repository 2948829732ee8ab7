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
mod orders;
mod par;
mod params;
mod rebuild;
mod runs;

pub use params::{INPUT_THRESHOLD, StepParams, is_critical};

use crate::economy::{DAILY, Economy};
use crate::kinds::OrderType;
use crate::model::Dynamics;
use crate::policy::Policies;
use crate::policy::state::PolicyState;
use crate::shocks::Shocks;
use kernels::Supply;
use orders::{IMPLICIT_MIN_LINKS_PER_INPUT, Implicit, Orders, Row};
use par::{Blocks, Disjoint, PREFETCH_AHEAD, prefetch, spans};
use rebuild::Rebuild;

/// numpy's `allclose` tolerances, used by BoARIO's global gates.
const ALLCLOSE_RTOL: f64 = 1e-5;
const ALLCLOSE_ATOL: f64 = 1e-8;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= ALLCLOSE_ATOL + ALLCLOSE_RTOL * b.abs()
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
