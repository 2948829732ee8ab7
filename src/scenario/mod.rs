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

pub use dynamics::{CriticalitySpec, DynamicsSpec};
pub use economy::EconomySpec;
pub use policy::{BackupSpec, ReserveSpec};
pub use shocks::{RecoverySpec, ShockSpec};
pub use variant::VariantSpec;

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::kinds::{Count, PositiveDays, RecordKind, RegionKind};
use defaults::{all_records, one_count};

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
}

/// Read and parse a scenario file.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    Ok(read(path)?.1)
}

/// Read a scenario file once (it may be a pipe, such as `/dev/stdin`) and parse it: its bytes,
/// as run, and the scenario.
pub fn read(path: &Path) -> Result<(Vec<u8>, Scenario), ScenarioError> {
    let bytes = std::fs::read(path).map_err(|source| ScenarioError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|err| {
        let before = &bytes[..err.valid_up_to()];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let col = before.len()
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1)
            + 1;
        ScenarioError::Syntax {
            path: path.to_path_buf(),
            line,
            col,
            message: "not valid UTF-8 text".into(),
        }
    })?;
    let scenario = parse(text, path)?;
    Ok((bytes, scenario))
}

/// Parse scenario text (a leading byte-order mark is skipped); `path` is only used in error
/// messages.
pub fn parse(text: &str, path: &Path) -> Result<Scenario, ScenarioError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
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
