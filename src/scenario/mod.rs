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

mod defaults;
mod dynamics;
mod economy;
mod policy;
mod shocks;
mod variant;

pub use dynamics::DynamicsSpec;
pub use economy::EconomySpec;
pub use policy::{BackupSpec, ReserveSpec};
pub use shocks::{RecoverySpec, ShockSpec};
pub use variant::VariantSpec;

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::kinds::{Count, PositiveDays, RecordKind, RegionKind};
use defaults::{all_records, one_count};

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

/// One scenario file: an economy, its dynamics, the shocks that hit it and what to record.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name, used in titles and default output paths.
    pub name: String,
    /// What the scenario is about, for reports (optional).
    #[serde(default)]
    pub description: String,
    /// Length of the run in days (day 0 is the baseline day).
    pub days: PositiveDays,
    /// Monte Carlo runs (each draws the random shock parameters anew).
    #[serde(default = "one_count")]
    pub runs: Count,
    /// Seed of the shock draws: run `k` draws shock `i` from the stream `(seed, k, i)`.
    #[serde(default)]
    pub seed: u64,
    /// Kind of each region (`Coastal`, `Hinterland`, `Interior`, `Foreign`); domestic regions
    /// not listed are `Interior`.
    #[serde(default)]
    pub regions: Vec<(String, RegionKind)>,
    /// Where the economy comes from.
    #[serde(deserialize_with = "economy::checked_economy")]
    pub economy: EconomySpec,
    /// Daily dynamics; omitted = `Ario()` with BoARIO's defaults.
    #[serde(default)]
    pub dynamics: DynamicsSpec,
    /// Shocks, in the order they are listed.
    #[serde(default)]
    pub shocks: Vec<ShockSpec>,
    /// Standby production units in the hinterland (关键产业备份).
    #[serde(default)]
    pub backup: Vec<BackupSpec>,
    /// Strategic reserves of products (战略物资储备).
    #[serde(default)]
    pub reserves: Vec<ReserveSpec>,
    /// Daily records to write (omitted = all of them).
    #[serde(default = "all_records")]
    pub records: Vec<RecordKind>,
    /// Named variants of the scenario, run on the same drawn crises as the scenario itself
    /// (which is the variant "base").
    #[serde(default)]
    pub variants: Vec<VariantSpec>,
}
