//! The commands, one file each, as library functions: the binary parses flags and calls them.
//! Each is thin: it reads its inputs, builds a [`crate::montecarlo::Study`] (or what it needs),
//! and hands results to [`crate::output`] and [`crate::plot`].

pub mod bench;
mod example;
mod optimize;
mod plot;
mod rank;
mod run;
mod sweep;
pub mod throughput;
mod validate;

pub use example::{EXAMPLE, EXAMPLE_DIR, EXAMPLE_SCENARIO, ExampleReport, write_example};
pub use optimize::{DEFAULT_RUNS as OPTIMIZE_RUNS, OptimizeCommand, OptimizeReport, optimize};
pub use plot::replot;
pub use rank::{RankCommand, RankReport, rank};
pub use run::{RunOptions, RunReport, run};
pub use sweep::{SweepOptions, SweepReport, sweep};
pub use validate::{Validated, validate};
