//! Where the economy comes from: an MRIO table disaggregated into firms, or a synthetic firm
//! network.

use serde::Deserialize;

use super::defaults::{one_count, three};
use crate::kinds::{Count, Degree, FirmSizes, Positive, check_synthetic};

/// Source of the economy.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Economy")]
pub enum EconomySpec {
    /// A multi-regional input-output table in pymrio's saved format, disaggregated into firms.
    Mrio {
        /// Folder of the table, relative to the scenario file.
        path: String,
        /// Firms per industry (each industry with output > 0).
        #[serde(default = "one_count")]
        firms_per_industry: Count,
        /// Maximum number of suppliers a firm buys one input from, per supplying industry.
        #[serde(default = "three")]
        suppliers_per_input: Count,
        /// Distribution of firm sizes within an industry (normalised to the industry's output).
        #[serde(default)]
        firm_sizes: FirmSizes,
        /// Seed of the firm network (sizes and supplier choice).
        #[serde(default)]
        seed: u64,
    },
    /// A synthetic firm network built directly, without a table: `regions × sectors`
    /// industries named `r00…`, `s00…`, each buyer with a random number of suppliers (see
    /// [`crate::economy::synthetic_firms`]). Used for scale tests and benchmarks.
    Synthetic {
        /// Number of firms (at least one per industry, so `>= regions × sectors`, and >= 2).
        firms: Count,
        /// Number of sectors.
        sectors: Count,
        /// Number of regions.
        regions: Count,
        /// Mean number of suppliers per firm (in-degree), in `[1, firms / 2]`; the economy has
        /// about `firms × mean_suppliers` links.
        mean_suppliers: Positive,
        /// Law of the number of suppliers of a firm (default `PowerLaw(2.5)`).
        #[serde(default)]
        degree: Degree,
        /// Seed of the network (sizes, technology, suppliers).
        #[serde(default)]
        seed: u64,
    },
}

impl EconomySpec {
    /// Checks between fields that their own types cannot make; the message names the fields.
    pub fn check(&self) -> Result<(), String> {
        match self {
            EconomySpec::Mrio { .. } => Ok(()),
            EconomySpec::Synthetic {
                firms,
                sectors,
                regions,
                mean_suppliers,
                degree,
                ..
            } => check_synthetic(
                firms.get(),
                sectors.get(),
                regions.get(),
                mean_suppliers.get(),
                *degree,
            ),
        }
    }
}

/// The economy, with [`EconomySpec::check`] applied while it is read, so that an error points
/// at it in the file.
pub(super) fn checked_economy<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<EconomySpec, D::Error> {
    let spec = EconomySpec::deserialize(deserializer)?;
    spec.check().map_err(serde::de::Error::custom)?;
    Ok(spec)
}
