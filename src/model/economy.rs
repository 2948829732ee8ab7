//! How the economy is built, checked.

use std::path::{Path, PathBuf};

use crate::kinds::{Degree, FirmSizes};
use crate::scenario::EconomySpec;

/// How the firm economy is built from an MRIO table (made by the model, or by
/// [`EconomyParams::new`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
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

/// A synthetic firm network (checked by [`crate::kinds::check_synthetic`]; made by the model,
/// or by [`SyntheticParams::new`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
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

impl EconomyParams {
    /// Checked parameters: at least one firm per industry and one supplier per input, and a
    /// finite capital ratio `>= 0`.
    pub fn new(
        mrio_dir: impl Into<PathBuf>,
        firms_per_industry: usize,
        suppliers_per_input: usize,
        firm_sizes: FirmSizes,
        seed: u64,
        capital_to_value_added: f64,
    ) -> Result<EconomyParams, String> {
        if firms_per_industry == 0 || suppliers_per_input == 0 {
            return Err(
                "expected at least one firm per industry and one supplier per input".into(),
            );
        }
        check_capital(capital_to_value_added)?;
        Ok(EconomyParams {
            mrio_dir: mrio_dir.into(),
            firms_per_industry,
            suppliers_per_input,
            firm_sizes,
            seed,
            capital_to_value_added,
        })
    }
}

impl SyntheticParams {
    /// Checked parameters (see [`crate::kinds::check_synthetic`]) with a finite capital ratio
    /// `>= 0`.
    pub fn new(
        firms: usize,
        sectors: usize,
        regions: usize,
        mean_suppliers: f64,
        degree: Degree,
        seed: u64,
        capital_to_value_added: f64,
    ) -> Result<SyntheticParams, String> {
        let count = |n: usize| u32::try_from(n).map_err(|_| format!("{n} is too large"));
        crate::kinds::check_synthetic(
            count(firms)?,
            count(sectors)?,
            count(regions)?,
            mean_suppliers,
            degree,
        )?;
        check_capital(capital_to_value_added)?;
        Ok(SyntheticParams {
            firms,
            sectors,
            regions,
            mean_suppliers,
            degree,
            seed,
            capital_to_value_added,
        })
    }
}

/// A capital ratio must be a finite number `>= 0` (as the file's `NonNegative` checks it).
fn check_capital(capital_to_value_added: f64) -> Result<(), String> {
    if capital_to_value_added.is_finite() && capital_to_value_added >= 0.0 {
        Ok(())
    } else {
        Err(format!(
            "capital_to_value_added {capital_to_value_added}: expected a finite number >= 0"
        ))
    }
}
