//! The defaults of the inputs that ship with the table: which inputs stop production when
//! short (`criticality.csv`), derived from the IHS Markit survey ratings Pichler et al. (2022)
//! used, and the target stock of each product in days (`inventory_days.csv`, goods from
//! desired stock days per industry, non-storable products 1 day), both mapped onto the 42 NBS
//! sectors by `data/china-sources/criticality/derive.py` (see the README there).
//! `build-china` checks them and copies them into the table's folder as they are, so the
//! rebuild test covers them.

use std::path::Path;

use super::ChinaError;
use super::geography::SECTOR_IDS;
use crate::economy::{
    CRITICALITY_FILE, INVENTORY_DAYS_FILE, MrioError, read_criticality, read_inventory_days,
};

/// The criticality ratings of the 42 sectors, in the sources folder.
pub const CRITICALITY_SOURCE: &str = "criticality/criticality_nbs42.csv";
/// The target stock days of the 42 products, in the sources folder.
pub const INVENTORY_DAYS_SOURCE: &str = "criticality/inventory_days_nbs42.csv";

/// The files copied beside the table: `(name in the table's folder, contents)`.
pub struct InputFiles {
    pub files: Vec<(&'static str, Vec<u8>)>,
}

impl From<MrioError> for ChinaError {
    fn from(err: MrioError) -> ChinaError {
        ChinaError::source(&err.path, err.row, err.col, err.message)
    }
}

/// Read and check the input defaults in the sources folder `dir`.
pub fn read(dir: &Path) -> Result<InputFiles, ChinaError> {
    let path = dir.join(CRITICALITY_SOURCE);
    let ratings = read_criticality(&path)?;
    let pairs: Vec<(&str, &str)> = ratings
        .iter()
        .map(|(input, buyer, _)| (input.as_str(), buyer.as_str()))
        .collect();
    check_every_pair(&path, &pairs)?;
    let criticality = bytes(&path)?;
    let path = dir.join(INVENTORY_DAYS_SOURCE);
    let days = read_inventory_days(&path)?;
    if let Some((unknown, _)) = days.iter().find(|(s, _)| !SECTOR_IDS.contains(&s.as_str())) {
        return Err(ChinaError::source(
            &path,
            None,
            None,
            format!(
                "unknown sector {unknown:?}: expected one of the 42 NBS sectors (sectors_42.csv)"
            ),
        ));
    }
    for sector in SECTOR_IDS {
        let listed = days.iter().filter(|(s, _)| s == sector).count();
        if listed != 1 {
            return Err(ChinaError::source(
                &path,
                None,
                None,
                format!(
                    "{sector:?} is listed {listed} times: expected each of the 42 sectors once"
                ),
            ));
        }
    }
    Ok(InputFiles {
        files: vec![
            (CRITICALITY_FILE, criticality),
            (INVENTORY_DAYS_FILE, bytes(&path)?),
        ],
    })
}

fn bytes(path: &Path) -> Result<Vec<u8>, ChinaError> {
    std::fs::read(path).map_err(|e| ChinaError::source(path, None, None, e.to_string()))
}

/// Every (input, buyer) pair of the 42 sectors is rated exactly once.
fn check_every_pair(path: &Path, pairs: &[(&str, &str)]) -> Result<(), ChinaError> {
    let index = |name: &str| SECTOR_IDS.iter().position(|s| *s == name);
    let n = SECTOR_IDS.len();
    let mut seen = vec![false; n * n];
    for &(input, buyer) in pairs {
        let (Some(i), Some(b)) = (index(input), index(buyer)) else {
            let unknown = if index(input).is_none() { input } else { buyer };
            return Err(ChinaError::source(
                path,
                None,
                None,
                format!(
                    "unknown sector {unknown:?}: expected one of the 42 NBS sectors (sectors_42.csv)"
                ),
            ));
        };
        if std::mem::replace(&mut seen[i * n + b], true) {
            return Err(ChinaError::source(
                path,
                None,
                None,
                format!("input {input:?} for buyer {buyer:?} is rated twice"),
            ));
        }
    }
    if let Some(missing) = seen.iter().position(|s| !s) {
        return Err(ChinaError::source(
            path,
            None,
            None,
            format!(
                "input {:?} for buyer {:?} is not rated: every pair of the 42 sectors needs a rating",
                SECTOR_IDS[missing / n],
                SECTOR_IDS[missing % n]
            ),
        ));
    }
    Ok(())
}
