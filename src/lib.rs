//! # hinterland — supply-chain resilience with firm-level ARIO
//!
//! hinterland simulates how shocks to firms propagate through a production network and how
//! the economy recovers. Its core is the ARIO model (Hallegatte 2008, 2014) applied per firm
//! (as Inoue & Todo did): every industry of a multi-regional input-output table becomes one or
//! more firms with their own inventories, suppliers and capacity; shocks destroy capacity or
//! capital; firms ration, re-order from other suppliers, over-produce and rebuild.
//!
//! With one firm per industry and `compat: Boario072` the engine reproduces BoARIO 0.7.2, the
//! reference Python implementation, to rounding (tests check ten reference trajectories).
//!
//! On top of the engine:
//!
//! - **crises** are written in RON, with uncertain parameters as distributions, and drawn anew
//!   in every Monte Carlo run from streams seeded by `(seed, run, shock)` only ([`shocks`]);
//! - **hinterland policies** are available ([`policy`]): standby capacity placed in space, with
//!   triggers, activation delays, input sourcing and costs, and strategic reserves;
//! - **ensembles** run every variant of a scenario on the same crises, in parallel, with
//!   results that do not depend on the thread count; they report per-run metrics, statistics
//!   across runs, daily quantile bands, charts and a report ([`metrics::ensemble`],
//!   [`output`], [`plot`]).
//!
//! - **synthetic firm economies** (`economy: Synthetic(firms, sectors, regions,
//!   mean_suppliers, degree, seed)`) are generated directly at firm level, without an MRIO
//!   table, with Poisson or power-law supplier counts and the same invariants as a table's
//!   economy: a million firms and ten million links build in about four seconds on two cores
//!   ([`economy::synthetic_firms`]); `hinterland bench` times the daily step on them
//!   ([`commands::bench`]), which runs the firms of one run in parallel blocks with results that
//!   do not depend on the thread count (`docs/performance.md`). Dense tables step with
//!   implicit orders and AVX divisions (same bits as scalar ones); BoARIO's 365-day run of a
//!   3,000-industry table takes about a sixteenth of BoARIO's time and a fifth of its memory.
//!
//! Data flows one way: [`scenario`] (RON file) → [`model`] (checked values, parameter paths)
//! → [`economy`] (firms and links, names resolved) → [`engine`] (+ [`shocks`], [`policy`]) →
//! [`metrics`] (records, metrics, statistics) → [`montecarlo`] (the study: variants, runs,
//! aggregation) → [`output`] (files) → [`plot`] (charts and report from the files). [`kinds`]
//! is the vocabulary every layer shares; [`commands`] are the thin commands on top. The model
//! is described in `docs/model.md`.
//!
//! ```
//! use hinterland::model::Model;
//! use hinterland::montecarlo::{Study, StudyOptions};
//! use hinterland::scenario;
//!
//! let path = std::path::Path::new("tests/fixtures/demo.ron");
//! let text = r#"Scenario(name: "demo", days: 20,
//!     economy: Mrio(path: "mrio-small", firms_per_industry: 4),
//!     shocks: [CapacityLoss(name: "flood", impacts: [("north", "goods", 0.5)],
//!                           start_day: 2, duration_days: 5)])"#;
//! let model = Model::from_scenario(&scenario::parse(text, path)?, path)?;
//! // the economy built, names resolved, shocks compiled: ready to run
//! let study = Study::new(model, &StudyOptions::default())?;
//! let mut sim = study.simulation(0, 0); // variant "base", run 0
//! for _ in 0..10 {
//!     sim.step();
//! }
//! let output: f64 = sim.production().iter().sum();
//! let baseline: f64 = sim.output0().iter().sum();
//! assert!(output < baseline); // the flood is on
//! # Ok::<(), hinterland::Error>(())
//! ```
//!
//! ## Firms versus industries
//!
//! Each firm of an industry gets the industry's technology and sales mix, in proportion to its
//! size (see [`economy`]), so a shock that hits every firm of an industry in the same
//! proportion gives the same aggregate path whatever the number of firms. The tests check
//! this on BoARIO's scenario b (capital destroyed in three sectors of `reg1`, spread over an
//! industry's firms in proportion to their capital). With 20 firms per industry instead of
//! one:
//!
//! - national production differs from the one-firm run by at most **9e-11** (relative, on any
//!   day), and industry production by at most **1.2e-8**;
//! - the cumulative production loss differs by **3e-8**.
//!
//! The firm level matters when shocks hit firms unevenly, or when links are cut. It also
//! matters through who buys from whom: a firm has up to `suppliers_per_input` suppliers in
//! each supplying industry, not all of them.
//!
//! ## Choices where the model note is silent
//!
//! - **Synthetic firm economies.** docs/model.md §2 builds stylized economies through an MRIO
//!   table. `Synthetic` economies skip the table: a dense table of the industries would be
//!   small, but disaggregating it block by block (RAS per industry pair) does not scale to
//!   millions of firms. They are balanced by construction instead (outputs solve
//!   `x = A_links x + y`), so the baseline is a steady state just the same; their firms have
//!   their own supplier sets and input mixes rather than their industry's. Final demand is
//!   local (one `final` column per region, each firm selling to its own region's). See
//!   [`economy::synthetic_firms`].
//! - **Industry order.** Industries are ordered as BoARIO orders them (regions sorted, then
//!   sectors sorted), so output columns come in that order.
//! - **Firm output.** A firm's baseline output is its size share of the industry's output.
//!   With one firm it is the table's `x`, computed as pymrio computes it.
//! - **Spreading shocks over firms.** A capital loss given for an industry is spread over its
//!   firms in proportion to their productive capital. A capacity loss applies to every firm of
//!   the industry.
//! - **Reconstruction demand.** It goes to the damaged firm's own baseline suppliers of each
//!   rebuilding sector, in proportion to their flows (BoARIO's split over supplier regions). A
//!   firm that buys nothing from a rebuilding sector cannot place that demand: BoARIO drops
//!   it, while `Clean` sends it to every firm of the sector, by output.
//! - **Timing under `Clean`.** A loss keeps full strength for exactly `duration_days`, then
//!   recovers (see [`shocks`]).
//! - **α under `Clean`.** α rises while demand exceeds the previous day's production and
//!   otherwise relaxes toward `alpha_base`.
//! - **Critical inputs under `Clean`.** An input constrains production when it is at least
//!   1e-5 per unit of output. This is what BoARIO's threshold intends; BoARIO itself compares
//!   annual purchases with daily output.
//! - **Target stocks.** Tomorrow's orders are sized on today's demand, with reconstruction
//!   demand net of today's deliveries. This is what BoARIO does, and `Clean` keeps it.
#![deny(missing_docs)]

pub mod china;
pub mod commands;
pub mod economy;
pub mod engine;
mod error;
pub mod explore;
pub mod interrupt;
pub mod kinds;
pub mod metrics;
pub mod model;
pub mod montecarlo;
pub mod numeric;
pub mod output;
pub mod plot;
pub mod policy;
pub mod scenario;
pub mod seeding;
pub mod shocks;
pub mod table;

pub use commands::{RunOptions, RunReport, Validated, replot, run, validate};
pub use economy::Economy;
pub use engine::Simulation;
pub use error::Error;
pub use model::Model;
pub use montecarlo::{Study, StudyOptions};
