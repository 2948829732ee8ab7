//! Helpers shared by the integration tests.

use std::io::Read;
use std::path::{Path, PathBuf};

use hinterland::economy::{self, Economy, RegionKinds, Resolver};
use hinterland::metrics::Record;
use hinterland::model::{Assignment, Model};
use hinterland::montecarlo::{Study, StudyOptions};
use hinterland::policy::Policies;
use hinterland::scenario;
use hinterland::shocks::Plan;
use hinterland::table::Table;

/// The `hinterland` binary run with `args` in `dir`.
pub fn hinterland(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_hinterland"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

/// Path of a file in the crate.
pub fn repo(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// A CSV record file (plain or gzipped): header labels after `step`, and the value rows.
pub struct Csv {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<f64>>,
}

pub fn read_csv(path: &Path) -> Csv {
    let mut bytes = Vec::new();
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if path.extension().is_some_and(|e| e == "gz") {
        flate2::read::GzDecoder::new(file)
            .read_to_end(&mut bytes)
            .unwrap();
    } else {
        std::io::BufReader::new(file)
            .read_to_end(&mut bytes)
            .unwrap();
    }
    // the program's own reader: quoted labels come back whole
    let table = Table::parse(&bytes, path).unwrap_or_else(|e| panic!("{e}"));
    let columns = table.header()[1..].to_vec();
    let rows = table
        .rows()
        .iter()
        .map(|row| {
            (1..row.len())
                .map(|c| row.number(c).unwrap_or_else(|e| panic!("{e}")))
                .collect()
        })
        .collect();
    Csv { columns, rows }
}

/// Load and check a scenario file.
pub fn model(path: &Path) -> Model {
    Model::load(path).unwrap_or_else(|e| panic!("{e}"))
}

/// Load a scenario file with textual edits `(from, to)` made first (for settings that are not
/// parameters: days, the economy's network), each of which must apply.
pub fn model_edited(path: &Path, edits: &[(&str, &str)]) -> Model {
    let mut text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
    for (from, to) in edits {
        assert!(text.contains(from), "{}: no {from:?}", path.display());
        text = text.replacen(from, to, 1);
    }
    let parsed = scenario::parse(&text, path).unwrap_or_else(|e| panic!("{e}"));
    Model::from_scenario(&parsed, path).unwrap_or_else(|e| panic!("{e}"))
}

/// Load a scenario file with its `days:` line set to `days` (a run length is not a parameter).
pub fn model_with_days(path: &Path, days: usize) -> Model {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("days:"))
        .unwrap_or_else(|| panic!("{}: no days: line", path.display()));
    let indent = &line[..line.len() - line.trim_start().len()];
    model_edited(path, &[(line, &format!("{indent}days: {days},"))])
}

/// The model with parameters set by path, e.g. `("backup.fab.capacity_share", "0.1")`.
pub fn set(model: &Model, assignments: &[(&str, &str)]) -> Model {
    let assignments: Vec<Assignment> = assignments
        .iter()
        .map(|(path, value)| Assignment::new(*path, *value))
        .collect();
    model
        .with_assignments(&assignments)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The model of one of its variants (`"no policies"`, …).
pub fn variant(model: &Model, name: &str) -> Model {
    model
        .variants()
        .iter()
        .find(|v| v.name() == name)
        .unwrap_or_else(|| panic!("no variant {name:?}"))
        .model()
        .clone()
}

pub fn build(model: &Model) -> Economy {
    economy::build(model.economy()).unwrap_or_else(|e| panic!("{e}"))
}

/// The model made ready to run on `economy` (built from it), one thread per core.
pub fn study(model: &Model, economy: &Economy) -> Study {
    Study::with_economy(model.clone(), economy.clone(), &StudyOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The model's shocks compiled against `economy` (for tests of the shocks themselves).
pub fn plan(model: &Model, economy: &Economy) -> Plan {
    let kinds = RegionKinds::new(economy, model).unwrap_or_else(|e| panic!("{e}"));
    Plan::new(model, &Resolver::new(economy, &kinds, model.source()))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The model's policies resolved against `economy`: the economy with the backup units (if
/// any) and the policies.
pub fn policies(model: &Model, economy: &Economy) -> Result<(Option<Economy>, Policies), String> {
    let kinds = RegionKinds::new(economy, model).map_err(|e| e.to_string())?;
    Policies::new(model, &Resolver::new(economy, &kinds, model.source())).map_err(|e| e.to_string())
}

/// The records of run 0 of the model as written, on `economy`.
pub fn run(model: &Model, economy: &Economy) -> Vec<Record> {
    study(model, economy).first_run()
}

pub fn record<'a>(records: &'a [Record], stem: &str) -> &'a Record {
    records
        .iter()
        .find(|r| r.kind.file_stem() == stem)
        .unwrap_or_else(|| panic!("no record {stem}"))
}

/// Sum of a record's columns on each day.
pub fn daily_total(record: &Record) -> Vec<f64> {
    (0..record.days())
        .map(|d| record.row(d).iter().sum())
        .collect()
}

/// Names directly in `dir`, sorted.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// FNV-1a 64-bit hash (golden hashes of output files).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Copy the small test table (`tests/fixtures/mrio-small`) into `dir`.
pub fn copy_mrio_small(dir: &Path) {
    for file in [
        "Z.txt",
        "Y.txt",
        "x.txt",
        "unit.txt",
        "file_parameters.json",
    ] {
        std::fs::copy(repo("tests/fixtures/mrio-small").join(file), dir.join(file)).unwrap();
    }
}

/// Write a table in pymrio's saved format into `dir`: the small table's
/// `file_parameters.json` and `files` (`(name, text)`: `Z.txt`, `Y.txt`, `x.txt`, `unit.txt`).
pub fn write_mrio(dir: &Path, files: &[(&str, &str)]) {
    std::fs::copy(
        repo("tests/fixtures/mrio-small/file_parameters.json"),
        dir.join("file_parameters.json"),
    )
    .unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

/// Every file under `dir` (folders walked), as paths relative to it with `/` separators,
/// sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().to_string_lossy();
                found.push(relative.replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

/// Every file under `dir` with its bytes, by relative path.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    files_under(dir)
        .into_iter()
        .map(|name| {
            let bytes = std::fs::read(dir.join(&name)).unwrap();
            (name, bytes)
        })
        .collect()
}
