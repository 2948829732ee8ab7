//! The default Chinese economy: a ten-region, 42-sector MRIO of China with foreign supplier
//! blocks, built reproducibly from the NBS 2020 national input-output table and 2022
//! provincial statistics (`hinterland build-china`).
//!
//! The sources are in `data/china-sources/` (copies with their provenance notes); the built
//! table is `data/china-2020/`, in pymrio's saved format ([`crate::economy::load_mrio`]
//! reads it). The same derivation, with the numbers it produced, is in `data/README.md`.
//!
//! ```no_run
//! use hinterland::china::{BuildOptions, build};
//! let report = build(&BuildOptions {
//!     sources: "data/china-sources".into(),
//!     out: "data/china-2020".into(),
//!     force: true,
//! })?;
//! println!("home bias {}", report.home_bias);
//! # Ok::<(), hinterland::china::ChinaError>(())
//! ```
//!
//! ## Derivation
//!
//! 1. **National table** ([`sources`]): NBS 2020, 42 products × 42 using sectors, in
//!    non-competitive form (domestic and imported intermediate use apart), final use by
//!    origin. The builder checks the accounting identities (row sums, supply = use) to 1e-9
//!    before using them. Value added of a sector = output − domestic − imported inputs.
//! 2. **Where production is** ([`provinces::locate`]): province `p`'s share of sector `i` is
//!    `s[p,i] = Σ_k φ_k c_k[p] + (1 − Σ_k φ_k) w_p`. The `c_k` are located products from
//!    `province_sector_output.csv` and `province_sector_output_extra.csv` (primary-industry
//!    value added, raw coal, crude oil and gas, chemicals, crude steel, non-ferrous
//!    metals, vehicles, electronics, electricity generation): listed provinces
//!    at their value over the national total, `A+B` groups spread by GDP, the unlisted
//!    remainder spread over the other provinces by GDP; `φ_k` is the product's weight in
//!    its NBS sector (sourced or an assumption, [`sources`]). The province weight `w_p` is
//!    solved so that every province's value added share equals its share of the 31
//!    provinces' 2022 GDP exactly: the concentrations move output between sectors of a
//!    province's economy, not between provinces.
//! 3. **Technology and final demand**: every province uses the national input coefficients
//!    (domestic and imported). Domestic final use (consumption, capital formation, inventory
//!    changes) is spread over provinces by 2022 GDP share (population is not used: Hainan's
//!    is unverified). Negative inventory changes are netted ([`provinces::net_categories`]).
//!    Exports of each product leave from provinces in proportion to their output.
//! 4. **Trade between provinces** ([`provinces::Economy31::sourcing`]): for each product,
//!    flows from `p` to `q` are `a_p K[p,q] b_q` with `K[p,q] = 1000 km / d_pq` (great-circle
//!    distance between provincial capitals, [`geography::PROVINCES`]) and `K[p,p] = h`, the
//!    home bias; `a`, `b` are fitted (RAS) so that each province sells its output less
//!    exports and each province's demand (intermediate plus final) is met. Each buyer sources
//!    a product with the same origin mix for all its uses.
//! 5. **Calibration** ([`provinces::calibrate`]): the value added of every province is
//!    attributed to the final demand that generates it through the Leontief inverse
//!    (own province, other provinces, exports). The published mean over 31 provinces is
//!    55.1 / 33.4 / 11.5 % (2017). The foreign share is not a free parameter (it follows from
//!    the NBS export totals), so `h` is set so that the mean own share of the domestically
//!    generated part, `own / (own + other)`, equals 55.1 / 88.5, to 1e-9.
//! 6. **Regions** ([`table::assemble`]): provinces are summed into the ten regions of
//!    [`geography::REGIONS`]; larger units keep more of their trade inside, so the regions'
//!    own share is higher than the provinces' (both are reported in `metadata.json`).
//! 7. **Foreign blocks**: the import block of the national table is spread over buyers like
//!    domestic inputs and split over the nine [`geography::FOREIGN_BLOCKS`] by the shares of
//!    `import_shares_by_block.csv` (derived from customs statistics by partner by
//!    `imports/derive.py`: electronics, crude oil and gas, ores, soybeans, special equipment
//!    have their own; every other product takes the shares of all 2022 imports). Foreign
//!    industries buy nothing (value added = output). Imported final use goes to the regions
//!    by GDP share; all exports, re-exports included, are the final demand `exports` of
//!    `ROW_Other`.
//! 8. **Writing** (atomic, [`crate::output::OutputDir`]): numbers in shortest round-trip
//!    form, `x.txt` computed exactly as the loader computes it, metadata without timestamps,
//!    so rebuilds are byte-identical.
//!
//! National totals are exact by construction: every product's domestic demand is met
//! exactly by the fit (it ends on the demand side), so regional outputs add up to the NBS
//! output, and the regional blocks of `Z` add up to the national domestic and imported
//! blocks.
#![allow(clippy::needless_range_loop)]

pub mod geography;
mod inputs;
pub mod located;
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

impl From<crate::table::TableError> for ChinaError {
    fn from(err: crate::table::TableError) -> ChinaError {
        ChinaError::Source {
            path: err.path,
            row: err.line,
            col: err.column,
            message: err.message,
        }
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
            ChinaError::Output(
                OutputError::Exists { .. }
                | OutputError::HoldsInput { .. }
                | OutputError::Unusable { .. }
                | OutputError::Malformed { .. }
                | OutputError::Mismatch { .. },
            ) => true,
            ChinaError::Output(OutputError::Io { .. } | OutputError::Interrupted(_)) => false,
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
    crate::output::check_destination(&options.out, options.force, &[&options.sources])?;
    let sources = sources::read(&options.sources)?;
    let location = provinces::locate(&sources)?;
    let economy = provinces::Economy31::new(&sources, &location)?;
    let calibration = provinces::calibrate(&economy, sources.published_split)?;
    let inputs = inputs::read(&options.sources)?;
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
        inputs: &inputs,
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
