//! The daily dynamics: the ARIO model's parameters.

use serde::Deserialize;

use super::defaults::{
    alpha_max, days_365, default_psi, four, ninety, one_f, sixty, thirty_days, zero_share,
};
use crate::kinds::{
    Compat, Important, NonNegative, OrderType, Positive, PositiveF, Rationing, Share, Stocks,
    UnitInterval,
};

/// Daily dynamics.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Dynamics")]
pub enum DynamicsSpec {
    /// The ARIO model applied per firm. Omitted fields take BoARIO 0.7.2's defaults.
    Ario {
        /// `Clean` (default) or `Boario072` (reproduce BoARIO 0.7.2's quirks exactly).
        #[serde(default)]
        compat: Compat,
        /// Share `ψ` of the target stock below which production is constrained;
        /// `None` gives BoARIO's ARIOBaseModel (no ψ, whole gap ordered at once).
        #[serde(default = "default_psi")]
        psi: Option<UnitInterval>,
        /// Days to close an inventory gap (ARIOPsiModel's `inventory_restoration_tau`).
        #[serde(default = "sixty")]
        inventory_restoration_tau: PositiveF,
        /// How orders are split between suppliers of one input.
        #[serde(default)]
        order_type: OrderType,
        /// Overproduction floor `α_base`.
        #[serde(default = "one_f")]
        alpha_base: Positive,
        /// Overproduction ceiling `α_max`.
        #[serde(default = "alpha_max")]
        alpha_max: Positive,
        /// Overproduction ceilings of some sectors instead of `alpha_max`, e.g.
        /// `[("s24_electricity_heat", 1.05)]` (a sector with little spare capacity).
        #[serde(default)]
        alpha_max_by_sector: Vec<(String, Positive)>,
        /// Overproduction adjustment time in days.
        #[serde(default = "days_365")]
        alpha_tau: PositiveF,
        /// Inventory target in days of use, every input.
        #[serde(default = "ninety")]
        inventory_days: PositiveF,
        /// Where target stocks come from: `Uniform` (default: `inventory_days` for every
        /// product) or `ByProduct` (the table's `inventory_days.csv`).
        #[serde(default)]
        stocks: Stocks,
        /// Inventory targets of some input products instead of `inventory_days`, e.g.
        /// `[("s24_electricity_heat", 1.0)]` (a product that cannot be stored).
        #[serde(default)]
        inventory_days_by_input: Vec<(String, PositiveF)>,
        /// Which inputs stop production when short, instead of the share rule (every input
        /// above 1e-5 of a firm's output); later entries win.
        #[serde(default)]
        criticality: Vec<CriticalitySpec>,
        /// How inputs the table's `criticality.csv` rates "important" (0.5) are taken:
        /// `Critical` (default) or `NonCritical`.
        #[serde(default)]
        important_inputs: Important,
        /// How a firm short of output shares it: `Proportional` (default, BoARIO),
        /// `FinalDemandFirst` or `FinalDemandLast`.
        #[serde(default)]
        rationing: Rationing,
        /// Share of lost income that households stop spending (0, the default: final demand
        /// stays fixed, as in BoARIO). A region's income follows its firms' value added.
        #[serde(default = "zero_share")]
        demand_response: Share,
        /// Time constant in days over which household demand follows income.
        #[serde(default = "thirty_days")]
        demand_response_days: PositiveF,
        /// Final-demand categories (columns of `Y`) that respond to income, e.g.
        /// `["final_consumption"]`; needed when `demand_response` is above 0.
        #[serde(default)]
        household_categories: Vec<String>,
        /// Productive capital per unit of annual value added.
        #[serde(default = "four")]
        capital_to_value_added: NonNegative,
    },
}

/// Whether an input product stops production when short, for all buyers or some:
/// `Criticality(input: "s32_finance", critical: false)`,
/// `Criticality(input: "s20_electronics", buyers: ["s18_transport_equipment"], critical: true)`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename = "Criticality")]
pub struct CriticalitySpec {
    /// The input sector (product).
    pub input: String,
    /// The buying sectors (empty: every sector).
    #[serde(default)]
    pub buyers: Vec<String>,
    /// `true`: a shortage limits production; `false`: production goes on without it.
    pub critical: bool,
}

impl Default for DynamicsSpec {
    fn default() -> Self {
        DynamicsSpec::Ario {
            compat: Compat::default(),
            psi: default_psi(),
            inventory_restoration_tau: sixty(),
            order_type: OrderType::default(),
            alpha_base: one_f(),
            alpha_max: alpha_max(),
            alpha_max_by_sector: Vec::new(),
            alpha_tau: days_365(),
            inventory_days: ninety(),
            stocks: Stocks::default(),
            inventory_days_by_input: Vec::new(),
            criticality: Vec::new(),
            important_inputs: Important::default(),
            rationing: Rationing::default(),
            demand_response: zero_share(),
            demand_response_days: thirty_days(),
            household_categories: Vec::new(),
            capital_to_value_added: four(),
        }
    }
}
