//! The default Chinese economy: a ten-region, 42-sector MRIO of China with foreign supplier
//! blocks, built reproducibly from the NBS 2020 national input-output table and 2022
//! provincial statistics (`hinterland build-china`).
//!
//! DOCS
#![allow(clippy::needless_range_loop)]

mod csv;
pub mod geography;
pub mod provinces;
pub mod sources;
pub mod table;
mod write;

use std::path::{Path, PathBuf};

use crate::output::OutputError;

pub use sources::DemandSplit;

/// Anything that stops `build-china`.
#[derive(Debug, thiserror::Error)]
pub enum ChinaError {
    /// A source file that is missing or malformed, naming file, line and field.
    #[error("{}", render(path, *row, *col, message))]
    Source {
        /// The file at fault.
        path: PathBuf,
        /// 1-based line, if the problem is at a line.
        row: Option<usize>,
        /// 1-based field, if the problem is at a cell.
        col: Option<usize>,
        /// What is wrong, what was expected.
        message: String,
    },
    /// Sources that read well but cannot give a consistent table.
    #[error("cannot derive the table: {0}")]
    Derivation(String),
    /// The output folder cannot be written.
    #[error(transparent)]
    Output(#[from] OutputError),
}

fn render(path: &Path, row: Option<usize>, col: Option<usize>, message: &str) -> String {
    match (row, col) {
        (Some(r), Some(c)) => format!("{}:{r}:{c}: {message}", path.display()),
        (Some(r), None) => format!("{}:{r}: {message}", path.display()),
        _ => format!("{}: {message}", path.display()),
    }
}

impl ChinaError {
    pub(crate) fn source(
        path: &Path,
        row: Option<usize>,
        col: Option<usize>,
        message: impl Into<String>,
    ) -> ChinaError {
        ChinaError::Source {
            path: path.to_path_buf(),
            row,
            col,
            message: message.into(),
        }
    }

    /// Whether the input (source files, an existing destination) is at fault rather than the
    /// machine. Input errors exit with status 2.
    pub fn is_input_error(&self) -> bool {
        match self {
            ChinaError::Source { .. } | ChinaError::Derivation(_) => true,
            ChinaError::Output(OutputError::Exists { .. }) => true,
            ChinaError::Output(OutputError::Io { .. }) => false,
        }
    }
}

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Folder of the source files (`data/china-sources`).
    pub sources: PathBuf,
    /// Destination folder of the table (`data/china-2020`).
    pub out: PathBuf,
    /// Replace the destination if it exists.
    pub force: bool,
}

/// What was built.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Where the table was written.
    pub out: PathBuf,
    /// Number of industries (regions × sectors, foreign blocks included).
    pub industries: usize,
    /// The calibrated home bias.
    pub home_bias: f64,
    /// Mean split over the 31 provinces (the calibrated level), percent.
    pub province_mean: DemandSplit,
    /// Mean split over the ten domestic regions of the written table, percent.
    pub region_mean: DemandSplit,
    /// The published split, percent.
    pub published: DemandSplit,
}

/// Read the sources, derive the regional table and write it in pymrio's saved format.
///
/// Nothing is written unless every step succeeds; an existing destination is refused
/// without `force` before any work is done.
pub fn build(options: &BuildOptions) -> Result<BuildReport, ChinaError> {
    if options.out.exists() && !options.force {
        return Err(OutputError::Exists {
            path: options.out.clone(),
        }
        .into());
    }
    let sources = sources::read(&options.sources)?;
    let location = provinces::locate(&sources)?;
    let economy = provinces::Economy31::new(&sources, &location)?;
    let calibration = provinces::calibrate(&economy, sources.published_split)?;
    let suppliers = table::supplier_shares(&sources);
    let regional = table::assemble(&sources, &location, &economy, &calibration, &suppliers);
    let region_splits = table::region_split(&regional);
    let region_mean = provinces::mean_split(&region_splits);
    let derived = write::Derived {
        sources: &sources,
        location: &location,
        calibration: &calibration,
        suppliers: &suppliers,
        table: &regional,
        region_splits: &region_splits,
        region_mean,
    };
    let out = write::write(&derived, &options.out, options.force)?;
    Ok(BuildReport {
        out,
        industries: regional.n(),
        home_bias: calibration.home_bias,
        province_mean: calibration.province_mean,
        region_mean,
        published: sources.published_split,
    })
}
