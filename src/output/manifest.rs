//! `manifest.json`: how an output directory was made.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use serde::Serialize;
use sha2::{Digest, Sha256};

/// `manifest.json`, written with its keys in alphabetical order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Manifest {
    /// The command line, as run.
    pub command: String,
    /// The table folder the economy was read from, absolute (`None`: a synthetic economy).
    pub data_dir: Option<String>,
    /// SHA-256 of every file of the table folder that was read, by name in the folder.
    pub data_files: BTreeMap<String, String>,
    /// The scenario description.
    pub description: String,
    /// When the run ended (UTC, `YYYY-MM-DDThh:mm:ssZ`).
    pub end: String,
    /// The commit of hinterland's source the binary was built from, when it was built in a
    /// git checkout.
    pub git_commit: Option<String>,
    /// The scenario name.
    pub name: String,
    /// Operating system and architecture (`linux-x86_64`).
    pub platform: String,
    /// Whether every run's daily records were written (`--records`).
    pub records: bool,
    /// Runs per variant.
    pub runs: usize,
    /// Parameter paths set on the command line (`--set`), `path=value` in order; absent
    /// when none was.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<String>,
    /// Whether the records of every variant were written too (`--variant-records`).
    pub variant_records: bool,
    /// FNV-1a 64-bit hash of the scenario file, in hexadecimal.
    pub scenario_hash: String,
    /// SHA-256 of the scenario file, in hexadecimal.
    pub scenario_sha256: String,
    /// The master seed of the shock draws.
    pub seed: u64,
    /// When the run started.
    pub start: String,
    /// Worker threads.
    pub threads: usize,
    /// Whether every run's daily series were written to `trajectories.nc`.
    pub trajectories: bool,
    /// The variant names, in file order.
    pub variants: Vec<String>,
    /// Grid parameters given on the command line (`sweep --grid`), `path=v1,v2,…` in order;
    /// absent when none was.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub grid: Vec<String>,
    /// The hinterland version that wrote the directory.
    pub version: String,
    /// What is allowed but probably not meant (also on stderr and in the report).
    pub warnings: Vec<String>,
}

impl Manifest {
    /// The manifest of `study` as `provenance` ran it, with `variants` (names, in order);
    /// ended now. Callers change what their command records differently.
    pub fn of(
        study: &crate::montecarlo::Study,
        provenance: &Provenance,
        variants: Vec<String>,
    ) -> Result<Manifest, super::OutputError> {
        let model = study.model();
        let (data_dir, data_files) = data_checksums(model)?;
        Ok(Manifest {
            command: provenance.command.clone(),
            data_dir,
            data_files,
            description: model.description().to_string(),
            end: timestamp(SystemTime::now()),
            git_commit: git_commit(),
            name: model.name().to_string(),
            platform: platform(),
            records: provenance.records,
            variant_records: provenance.variant_records,
            set: provenance.set.clone(),
            runs: study.runs(),
            scenario_hash: format!("{:016x}", fnv1a(&provenance.scenario)),
            scenario_sha256: sha256(&provenance.scenario),
            seed: study.seed(),
            start: timestamp(provenance.started),
            threads: study.threads(),
            trajectories: provenance.trajectories,
            grid: provenance.grid.clone(),
            variants,
            version: env!("CARGO_PKG_VERSION").to_string(),
            warnings: provenance.warnings.clone(),
        })
    }

    /// The manifest as written: pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// What the manifest records besides the study itself.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// The command line, as run.
    pub command: String,
    /// When the run started.
    pub started: SystemTime,
    /// The scenario file's bytes (hashed).
    pub scenario: Vec<u8>,
    /// Whether every run's daily records are written (`--records`).
    pub records: bool,
    /// Whether `trajectories.nc` is written (`--trajectories`).
    pub trajectories: bool,
    /// Whether every variant's records are written (`--variant-records`).
    pub variant_records: bool,
    /// Parameter paths set on the command line, `path=value`, in order.
    pub set: Vec<String>,
    /// Grid parameters given on the command line, `path=v1,v2,…`, in order.
    pub grid: Vec<String>,
    /// Warnings of the work beyond the study's (a sweep's analyses that could not be made).
    pub warnings: Vec<String>,
}

/// The table folder of `model`'s economy, absolute, and a checksum of every file read from it
/// (`run --reproduce` checks them before it runs again); `None` and nothing for a synthetic
/// economy.
pub fn data_checksums(
    model: &crate::model::Model,
) -> Result<(Option<String>, BTreeMap<String, String>), super::OutputError> {
    match model.economy() {
        crate::model::EconomyDef::Mrio(params) => {
            let dir =
                std::fs::canonicalize(&params.mrio_dir).unwrap_or_else(|_| params.mrio_dir.clone());
            let files = crate::economy::mrio::files_read(&dir).unwrap_or_default();
            let sums = checksums(&dir, &files).map_err(|e| super::OutputError::Io {
                path: dir.clone(),
                source: e,
            })?;
            Ok((Some(dir.display().to_string()), sums))
        }
        crate::model::EconomyDef::Synthetic(_) => Ok((None, BTreeMap::new())),
    }
}

/// SHA-256 of `bytes`, in lower-case hexadecimal.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// SHA-256 of every file in `files` (all inside `dir`), by name relative to `dir`.
pub fn checksums(
    dir: &Path,
    files: &[std::path::PathBuf],
) -> std::io::Result<BTreeMap<String, String>> {
    let mut sums = BTreeMap::new();
    for file in files {
        let name = file.strip_prefix(dir).unwrap_or(file);
        sums.insert(name.display().to_string(), sha256(&std::fs::read(file)?));
    }
    Ok(sums)
}

/// The platform of this binary, `<os>-<arch>`.
pub fn platform() -> String {
    format!("{}-{}", std::env::consts::OS, std::env::consts::ARCH)
}

/// The commit the binary was built from (`build.rs`), if any.
pub fn git_commit() -> Option<String> {
    Some(env!("HINTERLAND_GIT_COMMIT"))
        .filter(|c| !c.is_empty())
        .map(String::from)
}

/// FNV-1a 64-bit hash (the scenario hash of the manifest).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// UTC time as `YYYY-MM-DDThh:mm:ssZ`.
pub fn timestamp(time: SystemTime) -> String {
    let secs = time
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // civil date from days since 1970-01-01 (Howard Hinnant's algorithm)
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_civil_utc() {
        let at =
            |secs: u64| timestamp(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs));
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        // 2024-02-29 12:34:56 UTC (a leap day)
        assert_eq!(at(1_709_210_096), "2024-02-29T12:34:56Z");
    }
}
