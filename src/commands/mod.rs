//! The commands, one file each, as library functions: the binary parses flags and calls them.
//! Each is thin: it reads its inputs, builds a [`crate::montecarlo::Study`] (or what it needs),
//! and hands results to [`crate::output`] and [`crate::plot`].

pub mod bench;
mod example;
mod merge;
mod optimize;
mod plot;
mod rank;
mod run;
mod shards;
mod sweep;
pub mod throughput;
mod validate;

pub use example::{EXAMPLE, EXAMPLE_DIR, EXAMPLE_SCENARIO, ExampleReport, write_example};
pub use merge::{MergeOptions, MergeReport, merge};
pub use optimize::{DEFAULT_RUNS as OPTIMIZE_RUNS, OptimizeCommand, OptimizeReport, optimize};
pub use plot::replot;
pub use rank::{RankCommand, RankReport, rank};
pub use run::{RunOptions, RunReport, run};
pub use shards::SHARD_VARIABLES;
pub use sweep::{SweepOptions, SweepReport, sweep};
pub use validate::{Validated, validate};

/// `model` with `set` made on top of the file (`--set`), checked again; unchanged when empty.
fn with_set(
    model: crate::model::Model,
    set: &[crate::model::Assignment],
) -> Result<crate::model::Model, crate::Error> {
    if set.is_empty() {
        Ok(model)
    } else {
        Ok(model.with_assignments(set)?)
    }
}

/// The output folder of a command on `model` read from `scenario`: `out`, or
/// `output/<scenario name><suffix>`. Refused before any work is done if it exists (without
/// `force`), holds an input (the scenario, the table folder), or cannot be made.
fn destination(
    model: &crate::model::Model,
    scenario: &std::path::Path,
    out: Option<&std::path::Path>,
    suffix: &str,
    force: bool,
) -> Result<std::path::PathBuf, crate::Error> {
    let out = out.map_or_else(
        || std::path::Path::new("output").join(format!("{}{suffix}", model.name())),
        std::path::Path::to_path_buf,
    );
    let mut inputs: Vec<&std::path::Path> = vec![scenario];
    if let crate::model::EconomyDef::Mrio(params) = model.economy() {
        inputs.push(&params.mrio_dir);
    }
    crate::output::check_destination(&out, force, &inputs)?;
    Ok(out)
}
