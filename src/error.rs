//! The library's error type: every failure a user can cause names its input.

use crate::china::ChinaError;
use crate::economy::{EconomyError, MrioError};
use crate::interrupt::Interrupted;
use crate::model::{Invalid, LoadError};
use crate::output::OutputError;
use crate::plot::PlotError;
use crate::scenario::ScenarioError;

/// Anything that stops a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A scenario file that cannot be read or parsed.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// A scenario value that does not fit the rest (or the economy).
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// An MRIO table that cannot be read.
    #[error(transparent)]
    Mrio(#[from] MrioError),
    /// An MRIO table that cannot become an economy.
    #[error(transparent)]
    Economy(#[from] EconomyError),
    /// Results that cannot be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// Charts that cannot be drawn.
    #[error(transparent)]
    Plot(#[from] PlotError),
    /// The default Chinese economy that cannot be built from its sources.
    #[error(transparent)]
    China(#[from] ChinaError),
    /// A run whose results are not finite numbers: the inputs push the model past what it
    /// can compute (nothing is written).
    #[error(
        "variant {variant:?}, run {run}: {what} is not a finite number; the run's draws: {draws}. \
         The scenario's numbers push the model past what it can compute: check sizes, shares \
         and distributions"
    )]
    NotFinite {
        /// The variant.
        variant: String,
        /// The run.
        run: usize,
        /// Its draws, as `shock.parameter = value`.
        draws: String,
        /// The first value that is not finite, and where.
        what: String,
    },
    /// A study larger than the memory it may use, or than the economy can index: refused
    /// before anything large is allocated.
    #[error("{}: {message}", file.display())]
    TooLarge {
        /// The scenario file.
        file: std::path::PathBuf,
        /// What is too large, by how much, and what sets it.
        message: String,
    },
    /// An output directory that `run --reproduce` cannot run again: its manifest or scenario
    /// copy is missing or malformed, or the data changed since.
    #[error("{}: {message}", file.display())]
    Reproduce {
        /// The file at fault (the manifest, the scenario copy, a data file).
        file: std::path::PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A run that failed under `--fail-fast` (without it, a failed run is recorded and the
    /// others go on).
    #[error(
        "variant {variant:?}, run {run} failed: {why}; stopped there (--fail-fast). The runs \
         finished so far are kept: the same command without --fail-fast resumes and records \
         the failure"
    )]
    RunFailed {
        /// The variant.
        variant: String,
        /// The run.
        run: usize,
        /// Why.
        why: String,
    },
    /// SIGINT or SIGTERM stopped the work; the runs finished are kept in a checkpoint.
    #[error(
        "interrupted by {}: {kept} of {total} runs are kept in {}; run the same command again \
         to go on from there",
        crate::interrupt::signal_name(*signal),
        checkpoint.display()
    )]
    Suspended {
        /// The signal.
        signal: i32,
        /// The checkpoint folder.
        checkpoint: std::path::PathBuf,
        /// Runs kept.
        kept: usize,
        /// Runs in all.
        total: usize,
    },
    /// Shards that cannot be merged: missing, duplicated or of different work.
    #[error("{}: cannot merge:\n  - {}", dir.display(), problems.join("\n  - "))]
    Merge {
        /// The folder given to `merge`.
        dir: std::path::PathBuf,
        /// Every problem found.
        problems: Vec<String>,
    },
    /// Command-line options that do not fit together (e.g. `hinterland bench`'s sizes).
    #[error("invalid options: {0}")]
    Options(String),
    /// SIGINT or SIGTERM stopped the work; nothing was written.
    #[error(transparent)]
    Interrupted(#[from] Interrupted),
    /// The worker threads could not be started.
    #[error("cannot start worker threads: {0}")]
    Threads(String),
    /// The runs' daily series could not be kept in a temporary file (a large ensemble).
    #[error("cannot keep the runs' daily series in a temporary file (TMPDIR): {0}")]
    Spill(String),
}

impl From<LoadError> for Error {
    fn from(err: LoadError) -> Error {
        match err {
            LoadError::Scenario(err) => Error::Scenario(err),
            LoadError::Invalid(err) => Error::Invalid(err),
        }
    }
}

impl Error {
    /// The signal that stopped the work, if it was interrupted (the binary exits with
    /// `128 + signal`).
    pub fn signal(&self) -> Option<i32> {
        match self {
            Error::Interrupted(Interrupted(signal))
            | Error::Suspended { signal, .. }
            | Error::Output(OutputError::Interrupted(Interrupted(signal))) => Some(*signal),
            Error::China(crate::china::ChinaError::Output(OutputError::Interrupted(
                Interrupted(signal),
            ))) => Some(*signal),
            _ => None,
        }
    }

    /// Whether the user's input (scenario, data, destination) is at fault, rather than the
    /// machine (disk full, permissions). Input errors exit with status 2.
    pub fn is_input_error(&self) -> bool {
        match self {
            Error::Scenario(_)
            | Error::Invalid(_)
            | Error::Mrio(_)
            | Error::Economy(_)
            | Error::NotFinite { .. }
            | Error::TooLarge { .. }
            | Error::Reproduce { .. }
            | Error::Merge { .. }
            | Error::Options(_) => true,
            // a value that is not finite comes from the inputs; a panic is a bug of ours
            Error::RunFailed { why, .. } => !why.starts_with("panic"),
            Error::Output(
                OutputError::Exists { .. }
                | OutputError::HoldsInput { .. }
                | OutputError::Unusable { .. }
                | OutputError::Malformed { .. }
                | OutputError::Mismatch { .. },
            ) => true,
            Error::China(err) => err.is_input_error(),
            // charts redrawn from a folder that is not an output folder, or damaged files
            Error::Plot(
                PlotError::Malformed { .. }
                | PlotError::MissingRecord { .. }
                | PlotError::Data { .. },
            ) => true,
            Error::Plot(PlotError::Io { source, .. }) => {
                source.kind() == std::io::ErrorKind::NotFound
            }
            Error::Output(OutputError::Io { .. } | OutputError::Interrupted(_))
            | Error::Plot(_)
            | Error::Threads(_)
            | Error::Spill(_)
            | Error::Interrupted(_)
            | Error::Suspended { .. } => false,
        }
    }
}
