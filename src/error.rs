//! The library's error type: every failure a user can cause names its input.

use crate::economy::{EconomyError, MrioError};
use crate::output::OutputError;
use crate::plot::PlotError;
use crate::scenario::ScenarioError;

/// Anything that stops a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A scenario file that cannot be used.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
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
    /// Command-line options that do not fit together (e.g. `hinterland bench`'s sizes).
    #[error("invalid options: {0}")]
    Options(String),
    /// The worker threads could not be started.
    #[error("cannot start worker threads: {0}")]
    Threads(String),
}

impl Error {
    /// Whether the user's input (scenario, data, destination) is at fault, rather than the
    /// machine (disk full, permissions). Input errors exit with status 2.
    pub fn is_input_error(&self) -> bool {
        match self {
            Error::Scenario(ScenarioError::Read { .. }) => true,
            Error::Scenario(_) | Error::Mrio(_) | Error::Economy(_) | Error::Options(_) => true,
            Error::Output(OutputError::Exists { .. }) => true,
            // charts redrawn from a folder that is not an output folder, or damaged files
            Error::Plot(
                PlotError::Malformed { .. }
                | PlotError::MissingRecord { .. }
                | PlotError::Data { .. },
            ) => true,
            Error::Plot(PlotError::Io { source, .. }) => {
                source.kind() == std::io::ErrorKind::NotFound
            }
            Error::Output(OutputError::Io { .. }) | Error::Plot(_) | Error::Threads(_) => false,
        }
    }
}
