//! Helpers shared by the integration tests.

use std::io::Read;
use std::path::{Path, PathBuf};

use hinterland::economy::{self, Economy};
use hinterland::metrics::Record;
use hinterland::model::{EconomyDef, EconomyParams, Model};
use hinterland::{montecarlo, scenario};

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
    let mut text = String::new();
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if path.extension().is_some_and(|e| e == "gz") {
        flate2::read::GzDecoder::new(file)
            .read_to_string(&mut text)
            .unwrap();
    } else {
        std::io::BufReader::new(file)
            .read_to_string(&mut text)
            .unwrap();
    }
    let mut lines = text.lines();
    let columns = lines
        .next()
        .unwrap()
        .split(',')
        .skip(1)
        .map(String::from)
        .collect();
    let rows = lines
        .map(|l| {
            l.split(',')
                .skip(1)
                .map(|v| v.parse::<f64>().unwrap())
                .collect()
        })
        .collect();
    Csv { columns, rows }
}

/// Load a scenario file into a model, overriding the economy and days if asked.
pub fn model(path: &Path) -> Model {
    let parsed = scenario::load(path).unwrap_or_else(|e| panic!("{e}"));
    Model::from_scenario(&parsed, path).unwrap_or_else(|e| panic!("{e}"))
}

/// The MRIO parameters of a model built from a table.
pub fn mrio_params(model: &mut Model) -> &mut EconomyParams {
    match &mut model.economy {
        EconomyDef::Mrio(params) => params,
        other => panic!("not an MRIO economy: {other:?}"),
    }
}

pub fn build(model: &Model) -> Economy {
    economy::build(&model.economy).unwrap_or_else(|e| panic!("{e}"))
}

pub fn run(model: &Model, economy: &Economy) -> Vec<Record> {
    montecarlo::run_once(model, economy).unwrap_or_else(|e| panic!("{e}"))
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
