//! One run of the firm-level ARIO model: state arrays and the daily step (docs/model.md §3).
//!
//! The step runs over the flat arrays of [`Economy`] and allocates nothing. Its phases, in
//! order, on day `t`:
//!
//! 1. **shocks** — capacity loss `Δ` of every firm (capital lost / capital, capacity losses),
//!    reconstruction demand of rebuilding events;
//! 2. **demand** — `D = orders received + final demand + reconstruction demand`;
//! 3. **overproduction** — `α` moves toward `α_max` while demand exceeds last production;
//! 4. **production** — `x = min(D, x0·(1−Δ)·α)`, cut by the scarcest critical input;
//! 5. **distribution** — `x` rationed over all demand (in proportion, or final demand first or
//!    last: `rationing`), inventories updated.
//!    With `demand_response`, household demand then moves toward regional income (module
//!    `household`);
//! 6. **orders** — inventory gap (closed at `1/τ` per day) plus inputs used, split over
//!    suppliers by baseline flow × supplier capacity (`Alt`) or baseline flow (`NoAlt`).
//!
//! With `compat: Boario072` and one firm per industry the arithmetic is BoARIO 0.7.2's, in
//! its order, so trajectories match its references to rounding (see `tests/`).
//!
//! Files: `setup` (the baseline state), one file per phase (`day_shocks`, `day_demand`,
//! `day_alpha`, `day_production`, `day_distribution`, `day_orders`), `layout` (how outstanding
//! orders are held: stored per link, implicit, or in supplier runs), `supplier_runs` (the
//! one-pass day over supplier runs), `kernels` (AVX loops), `par` (parallel blocks),
//! `rebuild` (reconstruction demand), `params` (constants of the step), `memory` (the
//! bytes a simulation holds, known before the economy is built).
//!
//! Large economies step their firms in parallel blocks (rayon, module `par`) with results
//! identical to the serial step for any thread count. On dense networks the orders are kept
//! implicit (struct `Implicit`) so that a day makes two passes over the links, four links at a
//! time with AVX where the CPU has it (module `kernels`, same bits); on dense tables with one
//! firm per industry the deliveries go over each sector's sales in supplier order (struct
//! `Runs`), and phases 2 to 5 run supplier by supplier in one pass over those sales
//! (`Simulation::fused_day`). Figures and profiles are in `docs/performance.md`.

mod batch;
mod day_alpha;
mod day_demand;
mod day_distribution;
mod day_orders;
mod day_production;
mod day_shocks;
mod gates;
mod household;
mod kernels;
mod layout;
mod memory;
mod par;
mod params;
mod rationing;
mod rebuild;
mod setup;
mod supplier_runs;

pub use batch::{Batch, MAX_LANES};
pub use memory::{batch_bytes, state_bytes};
pub use params::{INPUT_THRESHOLD, StepParams, check_input_rules, is_critical};

use crate::economy::Economy;
use crate::policy::state::PolicyState;
use crate::shocks::Shocks;
use kernels::Supply;
use layout::{Implicit, Orders, Row};
use par::Blocks;
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
    /// α ceiling of each firm where sectors differ (`alpha_max_by_sector`); empty: the
    /// step's `alpha_max` for every firm.
    alpha_max: Vec<f64>,
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
    /// Orders kept implicit (`Alt` orders on dense networks, link shocks read through gates),
    /// or `None`: orders stored per link in `order`.
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
    /// not fully blocked is delivered whole. Empty with implicit orders (their gates hold it).
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
    /// Shares of its orders and of its final demand each regular firm serves today, under a
    /// rationing rule other than proportional (empty under proportional rationing).
    served: Vec<rationing::Served>,
    /// Household demand following income (`None`: fixed final demand).
    households: Option<household::Households>,
    /// A batch ([`batch`]) has summed today's orders received, deliveries, next weight totals
    /// and unserved shares: the phases read them instead of passing over the links.
    given: bool,
}

impl<'e> Simulation<'e> {
    /// Step in about `blocks` blocks of firms, in parallel on the current rayon pool when
    /// there are several, whatever the economy's size (by default small economies step on one
    /// thread). Results are identical for any split; this exists to test and measure that.
    #[doc(hidden)]
    pub fn split_blocks(&mut self, blocks: usize) {
        self.blocks = Blocks::split(self.economy, blocks);
        self.rows = vec![Row::default(); self.blocks.len()];
    }

    /// Lay BoARIO's demand rows out densely or sparsely (`Boario072` only; by default dense
    /// when the network is). Results are identical either way; this exists to test that.
    #[doc(hidden)]
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
    #[doc(hidden)]
    pub fn set_order_runs(&mut self, on: bool) {
        assert_eq!(self.day, 0, "set_order_runs before the first step");
        if let Some(implicit) = &self.implicit
            && implicit.runs.is_some() != on
        {
            let (first_unit, gates) = (implicit.first_unit, implicit.gates.clone());
            self.implicit = Some(Implicit::new(self.economy, first_unit, on, gates));
        }
    }

    /// Keep orders implicit where the network allows it (the default), or store them per
    /// link; before the first step only, and only from implicit to stored. Results are
    /// identical either way; this exists to test that.
    #[doc(hidden)]
    pub fn set_stored_orders(&mut self) {
        assert_eq!(self.day, 0, "set_stored_orders before the first step");
        if let Some(implicit) = self.implicit.take() {
            (self.order, self.sales_buyer) =
                setup::stored_orders(self.economy, implicit.first_unit);
            if !self.open.is_empty() {
                self.pass = vec![1.0; self.economy.n_links()];
            }
        }
    }

    /// Whether orders are implicit (not stored per link).
    pub fn implicit_orders(&self) -> bool {
        self.implicit.is_some()
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

    /// Blocked share of each link shock of the run today (changes only on the days a block
    /// starts, eases or ends).
    pub fn link_blocks(&self) -> &[f64] {
        &self.link_strength
    }

    /// Stock of each input (see [`Economy::firm_inputs`]).
    pub fn stocks(&self) -> &[f64] {
        &self.stock
    }

    /// Final demand not served on the last day stepped, per final-demand entry of the economy.
    pub fn final_demand_unmet(&self) -> impl Iterator<Item = f64> + '_ {
        let e = self.economy;
        (0..e.n_firms()).flat_map(move |f| {
            (e.firm_final_demand[f] as usize..e.firm_final_demand[f + 1] as usize).map(move |k| {
                let wanted = self.final_demand[k];
                let served = self.final_served(f, wanted);
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
        if let Some(implicit) = &mut self.implicit
            && implicit.unpacked
        {
            implicit.pack(&self.quantity, self.blocks.is_parallel());
            implicit.unpacked = false;
        }
        self.apply_shocks(day);
        if self.fused() {
            self.fused_day(day);
            self.settle();
        } else {
            self.collect_demand();
            self.assign_pool();
            self.update_alpha(day);
            self.produce();
            self.ration();
            self.distribute();
        }
        if let Some(households) = &mut self.households {
            households.update(&self.production);
        }
        self.place_orders();
        self.day += 1;
    }

    /// Phase 1, before a batch sums the orders received ([`batch::Batch`]).
    fn begin_day(&mut self) {
        self.apply_shocks(self.day);
    }

    /// Phases 2 to 4 and phase 5 up to the deliveries, with the orders received a batch summed.
    fn middle_day(&mut self) {
        self.given = true;
        self.collect_demand();
        self.assign_pool();
        self.update_alpha(self.day);
        self.produce();
        self.ration();
        self.supply_views();
        self.given = false;
    }

    /// The rest of the day, with the deliveries, next weight totals and unserved shares a
    /// batch summed.
    fn end_day(&mut self) {
        self.given = true;
        self.settle();
        if let Some(households) = &mut self.households {
            households.update(&self.production);
        }
        self.place_orders();
        self.given = false;
        self.day += 1;
    }

    /// Whether a batch can sum this run's links: implicit orders over slots (not supplier
    /// runs), past the baseline day, outside BoARIO's rules.
    fn batchable(&self) -> bool {
        !self.params.boario()
            && self
                .implicit
                .as_ref()
                .is_some_and(|i| i.packed && i.runs.is_none() && !i.baseline)
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
    /// pool needs every firm's capacity before any production) and under proportional
    /// rationing.
    fn fused(&self) -> bool {
        self.policy.is_none()
            && self.served.is_empty()
            && self
                .implicit
                .as_ref()
                .is_some_and(|i| i.runs.is_some() && !i.baseline)
    }

    /// Firms from this index on are backup units.
    fn first_unit(&self) -> usize {
        self.policy
            .as_ref()
            .map_or(self.economy.n_firms(), |p| p.policies().first_unit)
    }
}
