//! The study: a scenario's variants run together on the same drawn crises.
//!
//! A [`Study`] is built once from a checked model: its economy (loaded on the study's threads),
//! the kind of each region, and for every variant its policies (backup units appended to the
//! economy), its compiled shocks and its dynamics. Every command builds its runs through it:
//! `run` today; sweeps, rankings, the placement search and shards will too.
//!
//! Runs are independent: run `k` draws its shocks from streams seeded by `(seed, k, shock)`
//! only, every (variant, run) executes in parallel on one thread pool ([`Pool`]) and results
//! are collected in variant and run order, then aggregated serially ([`Ensemble`]), so results
//! are the same bytes whatever the number of threads.

pub mod design;
mod ensemble;
pub mod memory;
mod pairs;
mod pool;
mod progress;
mod runner;
mod shard;
pub mod spill;
mod study;
mod sweep;

pub use ensemble::{
    Assembly, Ensemble, KeepRecords, Kept, RunPiece, RunSink, VariantResults, failure_error,
};
pub use memory::PIECE_BYTES;
pub use pool::{MAX_THREADS, Pool};
pub use progress::Progress;
pub use runner::{PolicyOutcome, RunResult, simulate};
pub use shard::{PairRun, Shard, guarded};
pub use study::{DEFAULT_BATCH, Setup, Study, StudyOptions};
pub use sweep::{FrontierRow, PointRuns, SweepPlan, SweepResults, sweep_study};
