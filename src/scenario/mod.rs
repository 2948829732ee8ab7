//! The RON scenario format: plain serde types, loading, and errors that point into the file.
//!
//! A scenario names an economy, its dynamics, the shocks and the daily records to write:
//!
//! ```
//! let text = r#"Scenario(
//!     name: "demo",
//!     days: 30,
//!     economy: Mrio(path: "tests/fixtures/mrio-small"),
//!     shocks: [CapacityLoss(name: "flood", impacts: [("north", "goods", 0.3)],
//!                           start_day: 5, duration_days: 10)],
//! )"#;
//! let scenario = hinterland::scenario::parse(text, "demo.ron".as_ref()).unwrap();
//! assert_eq!(scenario.days.get(), 30);
//! ```

mod checked;
mod random;
mod types;

pub use checked::{
    NonNegative, Positive, PositiveDays, PositiveF, Share, TailExponent, UnitInterval,
};
pub use random::{DaysDist, Dist, ShareDist};
pub use types::*;

use std::path::{Path, PathBuf};

/// An annotated scenario that uses every feature (`hinterland example`). Its MRIO path is
/// relative to the project folder.
pub const EXAMPLE: &str = include_str!("example.ron");

/// A scenario file that cannot be used, with where and why.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{}: cannot read scenario: {source}", path.display())]
    Read {
        /// The scenario file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Syntax, type, unknown-field or out-of-range error at a position in the file.
    #[error("{}:{line}:{col}: {message}", path.display())]
    Syntax {
        /// The scenario file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// What is wrong, what was expected.
        message: String,
    },
    /// A value that is well-formed but does not fit the rest (unknown region, duplicate name…),
    /// named by its path in the scenario, e.g. `shocks[2] CapitalLoss "b_reg1": impacts[0]`.
    #[error("{}: {at}: {message}", path.display())]
    Invalid {
        /// The scenario file.
        path: PathBuf,
        /// Path of the value inside the scenario.
        at: String,
        /// What is wrong, what was expected.
        message: String,
    },
}

/// Read and parse a scenario file.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, path)
}

/// Parse scenario text; `path` is only used in error messages.
pub fn parse(text: &str, path: &Path) -> Result<Scenario, ScenarioError> {
    ron::Options::default()
        .from_str::<Scenario>(text)
        .map_err(|err| ScenarioError::Syntax {
            path: path.to_path_buf(),
            line: err.span.start.line,
            col: err.span.start.col,
            message: err.code.to_string(),
        })
}
