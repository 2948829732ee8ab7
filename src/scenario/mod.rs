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
mod sweep;
mod variant;

pub use dynamics::{CriticalitySpec, DynamicsSpec};
pub use economy::EconomySpec;
pub use policy::{BackupSpec, ReserveSpec};
pub use shocks::{RecoverySpec, ShockSpec};
pub use sweep::{DesignSpec, DiscoverySpec, SweepSpec, ValuesSpec};
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
        .map_err(|err| {
            let (line, col, message) = drawn_value_error(text, &err).unwrap_or_else(|| {
                (
                    err.span.start.line,
                    err.span.start.col,
                    explain(&err.code, text, err.span.start),
                )
            });
            ScenarioError::Syntax {
                path: path.to_path_buf(),
                line,
                col,
                message,
            }
        })
}

/// A value that is a number or a distribution is read whole before it is looked at, so RON
/// reports only that it is neither, after it. When the value was meant as a distribution
/// (it starts with a name), read it again alone as one: RON's own message (an unknown
/// distribution, a missing parenthesis) at its own position in the file.
fn drawn_value_error(text: &str, err: &ron::error::SpannedError) -> Option<(usize, usize, String)> {
    let ron::error::Error::Message(message) = &err.code else {
        return None;
    };
    if !message.contains(": a number such as") {
        return None;
    }
    // byte offset of the error, at the end of the value
    let line_start: usize = text
        .split_inclusive('\n')
        .take(err.span.start.line.saturating_sub(1))
        .map(str::len)
        .sum();
    let end = line_start
        + text[line_start..]
            .char_indices()
            .nth(err.span.start.col.saturating_sub(1))
            .map_or(text.len() - line_start, |(i, _)| i);
    // RON stops on the value's closing parenthesis
    let end = end + usize::from(text[end..].starts_with(')'));
    // back to the value's start: after the `:`, `,` or opening bracket that precedes it
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in text[..end].char_indices().rev() {
        match c {
            ')' | ']' => depth += 1,
            '(' | '[' if depth == 0 => {
                start = i + 1;
                break;
            }
            '(' | '[' => depth -= 1,
            ':' | ',' if depth == 0 => {
                start = i + 1;
                break;
            }
            _ => {}
        }
    }
    let value = &text[start..end];
    let lead = value.len() - value.trim_start().len();
    let value = value.trim();
    if !value.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let inner = ron::Options::default()
        .from_str::<crate::kinds::Dist>(value)
        .err()?;
    // the inner position, moved to where the value starts in the file
    let before = &text[..start + lead];
    let line = before.matches('\n').count() + 1;
    let col0 = before.rsplit('\n').next().map_or(0, |l| l.chars().count());
    let col = if inner.span.start.line == 1 {
        col0 + inner.span.start.col
    } else {
        inner.span.start.col
    };
    Some((
        line + inner.span.start.line - 1,
        col,
        inner.code.to_string(),
    ))
}

/// RON's message, with the fix where RON's own words do not give it: a number where a name
/// is expected, a quoted or drawn value where a plain number is, a fraction where whole days
/// are.
fn explain(code: &ron::error::Error, text: &str, at: ron::error::Position) -> String {
    use ron::error::Error as Ron;
    // the value written at the error: up to a comma or closing bracket outside its own
    // brackets, or the line end
    let mut depth = 0usize;
    let found: String = text
        .lines()
        .nth(at.line.saturating_sub(1))
        .unwrap_or("")
        .chars()
        .skip(at.col.saturating_sub(1))
        .take_while(|&c| {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' if depth == 0 => return false,
                ')' | ']' => depth -= 1,
                ',' if depth == 0 => return false,
                _ => {}
            }
            true
        })
        .collect();
    let found = found.trim();
    let quoted = found.starts_with('"');
    let drawn = found.contains('(');
    match code {
        Ron::SuggestRawIdentifier(word)
            if word.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.') =>
        {
            format!(
                "found the number {word} where a name is expected (such as `Kind(Coastal)`, \
                 `OnShock(\"name\")` or `Linear`): see docs/scenario.md for the forms this \
                 field takes"
            )
        }
        Ron::ExpectedFloat if quoted => {
            format!("expected a number, found the text {found}: write it without quotes")
        }
        Ron::ExpectedFloat if drawn => format!(
            "expected a number, found {found}: this field takes one number; only fields \
             documented as drawn take distributions"
        ),
        Ron::ExpectedFloat => format!("expected a number such as 0.5, found `{found}`"),
        Ron::ExpectedInteger if quoted => {
            format!("expected a whole number, found the text {found}: write it without quotes")
        }
        Ron::ExpectedInteger if drawn => {
            format!("expected a whole number, found {found}: this field takes one whole number")
        }
        Ron::ExpectedInteger => format!("expected a whole number such as 30, found `{found}`"),
        other => other.to_string(),
    }
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
    /// Parameters swept over a design (`hinterland sweep`); `run` ignores it.
    #[serde(default, deserialize_with = "sweep_field")]
    pub sweep: Option<SweepSpec>,
}

/// `sweep: Sweep(...)`, written without `Some`.
fn sweep_field<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<SweepSpec>, D::Error> {
    SweepSpec::deserialize(deserializer).map(Some)
}
