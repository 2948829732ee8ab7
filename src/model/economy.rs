//! How the economy is built, checked.

use std::path::{Path, PathBuf};

use crate::kinds::{Degree, FirmSizes};
use crate::scenario::EconomySpec;

/// How the firm economy is built from an MRIO table.
#[derive(Debug, Clone, PartialEq)]
pub struct EconomyParams {
    /// Folder of the MRIO table (absolute or relative to the working directory).
    pub mrio_dir: PathBuf,
    /// Firms per industry with output > 0.
    pub firms_per_industry: usize,
    /// Suppliers a buyer is linked to in each supplying industry, `k`: each buyer takes the
    /// `k` largest remaining firms, after a pattern that links every firm of the two
    /// industries at least once (so a few buyers have one or two more; see
    /// [`crate::economy::build_links`]).
    pub suppliers_per_input: usize,
    /// Distribution of firm sizes within an industry.
    pub firm_sizes: FirmSizes,
    /// Seed of the network draw.
    pub seed: u64,
    /// Productive capital per unit of annual value added.
    pub capital_to_value_added: f64,
}

/// How the economy is built: from an MRIO table, or a synthetic firm network.
#[derive(Debug, Clone, PartialEq)]
pub enum EconomyDef {
    /// Firms disaggregated from an MRIO table.
    Mrio(EconomyParams),
    /// A synthetic firm network built directly.
    Synthetic(SyntheticParams),
}

impl EconomyDef {
    /// The economy a scenario asks for; `base` is the scenario's folder (table paths are
    /// relative to it).
    pub(crate) fn from_spec(
        spec: &EconomySpec,
        capital_to_value_added: f64,
        base: &Path,
    ) -> EconomyDef {
        match spec {
            EconomySpec::Mrio {
                path,
                firms_per_industry,
                suppliers_per_input,
                firm_sizes,
                seed,
            } => EconomyDef::Mrio(EconomyParams {
                mrio_dir: base.join(path),
                firms_per_industry: firms_per_industry.get() as usize,
                suppliers_per_input: suppliers_per_input.get() as usize,
                firm_sizes: *firm_sizes,
                seed: *seed,
                capital_to_value_added,
            }),
            EconomySpec::Synthetic {
                firms,
                sectors,
                regions,
                mean_suppliers,
                degree,
                seed,
            } => EconomyDef::Synthetic(SyntheticParams {
                firms: firms.get() as usize,
                sectors: sectors.get() as usize,
                regions: regions.get() as usize,
                mean_suppliers: mean_suppliers.get(),
                degree: *degree,
                seed: *seed,
                capital_to_value_added,
            }),
        }
    }

    /// Productive capital per unit of annual value added.
    pub fn capital_to_value_added(&self) -> f64 {
        match self {
            EconomyDef::Mrio(params) => params.capital_to_value_added,
            EconomyDef::Synthetic(params) => params.capital_to_value_added,
        }
    }

    /// Whether `other` builds the same network of firms and links (it may differ in capital,
    /// which is not part of the network).
    pub fn same_network(&self, other: &EconomyDef) -> bool {
        let mut other = other.clone();
        match &mut other {
            EconomyDef::Mrio(params) => {
                params.capital_to_value_added = self.capital_to_value_added()
            }
            EconomyDef::Synthetic(params) => {
                params.capital_to_value_added = self.capital_to_value_added()
            }
        }
        *self == other
    }
}

/// A synthetic firm network (checked by [`crate::kinds::check_synthetic`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticParams {
    /// Number of firms (`>= regions × sectors`).
    pub firms: usize,
    /// Number of sectors.
    pub sectors: usize,
    /// Number of regions.
    pub regions: usize,
    /// Mean number of suppliers per firm.
    pub mean_suppliers: f64,
    /// Law of the number of suppliers.
    pub degree: Degree,
    /// Seed of the network.
    pub seed: u64,
    /// Productive capital per unit of annual value added.
    pub capital_to_value_added: f64,
}
