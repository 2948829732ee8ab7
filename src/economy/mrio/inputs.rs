//! hinterland's two optional files beside a pymrio table: which inputs stop production when
//! short (`criticality.csv`), and how many days of each input product firms hold
//! (`inventory_days.csv`). They are the economy's defaults; a scenario's
//! `dynamics.criticality` and `dynamics.inventory_days_by_input` override them.
//!
//! ```text
//! criticality.csv       input_sector,<buyer sector>,...   one row per input sector, ratings
//!                       1 (critical), 0.5 (important) or 0 (non-critical)
//! inventory_days.csv    input_sector,days[,...]           days > 0; other columns ignored
//! regions.csv           region,kind[,replaces][,...]      Coastal, Hinterland, Interior or
//!                                                         Foreign; `replaces` lists, separated
//!                                                         by `;`, older region names this one
//!                                                         took over (for messages); other
//!                                                         columns ignored
//! ```

use std::path::Path;

use super::MrioError;
use crate::kinds::RegionKind;
use crate::table::{Table, TableError};

/// File of the criticality ratings, in the MRIO folder.
pub const CRITICALITY_FILE: &str = "criticality.csv";
/// File of the target inventory days per input product, in the MRIO folder.
pub const INVENTORY_DAYS_FILE: &str = "inventory_days.csv";
/// File of the kind of each region, in the MRIO folder.
pub const REGIONS_FILE: &str = "regions.csv";

/// The defaults an MRIO folder gives the inputs, by sector name, as read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InputDefaults {
    /// `(input sector, buyer sector, rating)`, rating 1, 0.5 or 0; with the file and line of
    /// each row, for messages.
    pub criticality: Vec<(String, String, f64)>,
    /// `(input sector, days)`.
    pub inventory_days: Vec<(String, f64)>,
    /// `(region, kind)`.
    pub region_kinds: Vec<(String, RegionKind)>,
    /// `(old name, regions that replace it)`, from `regions.csv`'s optional `replaces`.
    pub region_renames: Vec<(String, Vec<String>)>,
}

impl From<TableError> for MrioError {
    fn from(err: TableError) -> MrioError {
        MrioError::new(&err.path, err.line, err.column, err.message)
    }
}

/// The input defaults of the MRIO folder `dir` (empty where a file is absent).
pub fn read_input_defaults(dir: &Path) -> Result<InputDefaults, MrioError> {
    let mut defaults = InputDefaults::default();
    let path = dir.join(CRITICALITY_FILE);
    if path.exists() {
        defaults.criticality = read_criticality(&path)?;
    }
    let path = dir.join(INVENTORY_DAYS_FILE);
    if path.exists() {
        defaults.inventory_days = read_inventory_days(&path)?;
    }
    let path = dir.join(REGIONS_FILE);
    if path.exists() {
        defaults.region_kinds = read_region_kinds(&path)?;
        defaults.region_renames = read_region_renames(&path)?;
    }
    Ok(defaults)
}

/// The kinds of a file laid out as `regions.csv`: `(region, kind)`, each region once.
pub fn read_region_kinds(path: &Path) -> Result<Vec<(String, RegionKind)>, MrioError> {
    let table = Table::read(path, "missing")?;
    let [region, kind] = table.columns(["region", "kind"])?;
    let mut kinds: Vec<(String, RegionKind)> = Vec::new();
    for row in table.rows() {
        let name = row.name(region)?;
        if kinds.iter().any(|(r, _)| r == name) {
            return Err(row
                .error(region, format!("region {name:?} is listed twice"))
                .into());
        }
        let value = match row.name(kind)? {
            "Coastal" => RegionKind::Coastal,
            "Hinterland" => RegionKind::Hinterland,
            "Interior" => RegionKind::Interior,
            "Foreign" => RegionKind::Foreign,
            other => {
                return Err(row
                    .error(
                        kind,
                        format!(
                            "kind {other:?}: expected Coastal, Hinterland, Interior or Foreign"
                        ),
                    )
                    .into());
            }
        };
        kinds.push((name.to_string(), value));
    }
    Ok(kinds)
}

/// The older names a file laid out as `regions.csv` says its regions replace: each old name
/// with every region that lists it, in file order. Empty without a `replaces` column.
pub fn read_region_renames(path: &Path) -> Result<Vec<(String, Vec<String>)>, MrioError> {
    let table = Table::read(path, "missing")?;
    let Some(replaces) = table.header().iter().position(|h| h == "replaces") else {
        return Ok(Vec::new());
    };
    let region = table.column("region")?;
    let mut renames: Vec<(String, Vec<String>)> = Vec::new();
    for row in table.rows() {
        let name = row.name(region)?;
        for old in row.text(replaces).split(';').map(str::trim) {
            if old.is_empty() {
                continue;
            }
            match renames.iter_mut().find(|(o, _)| o == old) {
                Some((_, new)) => new.push(name.to_string()),
                None => renames.push((old.to_string(), vec![name.to_string()])),
            }
        }
    }
    Ok(renames)
}

/// The ratings of a file laid out as `criticality.csv`: `(input sector, buyer sector,
/// rating)`.
pub fn read_criticality(path: &Path) -> Result<Vec<(String, String, f64)>, MrioError> {
    let mut ratings = Vec::new();
    let table = Table::read(path, "missing")?;
    let input = table.column("input_sector")?;
    let buyers: Vec<(usize, &String)> = table
        .header()
        .iter()
        .enumerate()
        .filter(|&(c, _)| c != input)
        .collect();
    for row in table.rows() {
        let input_sector = row.name(input)?;
        for &(c, buyer) in &buyers {
            let rating = row.number(c)?;
            if ![0.0, 0.5, 1.0].contains(&rating) {
                return Err(row
                    .error(
                        c,
                        format!("rating {rating}: expected 1 (critical), 0.5 (important) or 0"),
                    )
                    .into());
            }
            ratings.push((input_sector.to_string(), buyer.clone(), rating));
        }
    }
    Ok(ratings)
}

/// The days of a file laid out as `inventory_days.csv`: `(input sector, days)`.
pub fn read_inventory_days(path: &Path) -> Result<Vec<(String, f64)>, MrioError> {
    let mut days_by_input = Vec::new();
    let table = Table::read(path, "missing")?;
    let [input, days] = table.columns(["input_sector", "days"])?;
    for row in table.rows() {
        let value = row.number(days)?;
        if value <= 0.0 {
            return Err(row
                .error(days, format!("{value} days: expected more than 0 (a product that cannot be stored gets about 1)"))
                .into());
        }
        days_by_input.push((row.name(input)?.to_string(), value));
    }
    Ok(days_by_input)
}
