//! # hinterland — supply-chain resilience with firm-level ARIO
//!
//! hinterland simulates how shocks to firms propagate through a production network and how
//! the economy recovers. Its core is the ARIO model (Hallegatte 2008, 2014) applied per firm
//! (as Inoue & Todo did): every industry of a multi-regional input-output table becomes one or
//! more firms with their own inventories, suppliers and capacity; shocks destroy capacity or
//! capital; firms ration, re-order from other suppliers, over-produce and rebuild.
//!
//! With one firm per industry and `compat: Boario072` the engine reproduces BoARIO 0.7.2, the
//! reference Python implementation, to rounding (tests check nine reference trajectories).
//!
//! Data flows one way: [`scenario`] (RON file) → [`model`] (checked values) → [`economy`]
//! (firms and links) → [`engine`] (+ [`shocks`]) → [`metrics`] (daily records) → [`output`].
//!
//! ```
//! use hinterland::{economy, engine::Simulation, model::Model, scenario, shocks};
//!
//! let path = std::path::Path::new("tests/fixtures/demo.ron");
//! let text = r#"Scenario(name: "demo", days: 20,
//!     economy: Mrio(path: "mrio-small", firms_per_industry: 4),
//!     shocks: [CapacityLoss(name: "flood", impacts: [("north", "goods", 0.5)],
//!                           start_day: 2, duration_days: 5)])"#;
//! let model = Model::from_scenario(&scenario::parse(text, path)?, path)?;
//! let economy = economy::build(&model.economy)?;
//! let shocks = shocks::resolve(&model.shocks, &economy, model.dynamics.compat, path)?;
//! let mut sim = Simulation::new(&economy, &model.dynamics, shocks);
//! for _ in 0..10 {
//!     sim.step();
//! }
//! let output: f64 = sim.production().iter().sum();
//! let baseline: f64 = sim.output0().iter().sum();
//! assert!(output < baseline); // the flood is on
//! # Ok::<(), hinterland::Error>(())
//! ```
#![deny(missing_docs)]

pub mod economy;
pub mod engine;
mod error;
pub mod metrics;
pub mod model;
pub mod montecarlo;
pub mod numeric;
pub mod output;
pub mod run;
pub mod scenario;
pub mod seeding;
pub mod shocks;

pub use error::Error;
pub use run::{RunOptions, RunReport, run};
pub mod plot;
