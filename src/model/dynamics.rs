//! The daily dynamics, checked.

use super::parameter::{Settable, set_fields};
use crate::kinds::{Compat, Important, OrderType, Rationing, Stocks};
use crate::scenario::DynamicsSpec;

/// Validated parameters of the ARIO dynamics (defaults and their sources in
/// `docs/model.md`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Dynamics {
    /// Rule set.
    pub compat: Compat,
    /// `ψ`; `None` = ARIOBaseModel.
    pub psi: Option<f64>,
    /// Inventory restoration time in days.
    pub inventory_restoration_tau: f64,
    /// Order splitting rule.
    pub order_type: OrderType,
    /// α floor.
    pub alpha_base: f64,
    /// α ceiling.
    pub alpha_max: f64,
    /// α ceilings of some sectors instead: `(sector, α_max)`.
    pub alpha_max_by_sector: Vec<(String, f64)>,
    /// α adjustment time in days.
    pub alpha_tau: f64,
    /// Target inventory in days of use.
    pub inventory_days: f64,
    /// Where target stocks come from.
    pub stocks: Stocks,
    /// Targets of some input products instead: `(input sector, days)`.
    pub inventory_days_by_input: Vec<(String, f64)>,
    /// Which inputs stop production when short, instead of the share rule; later rules win.
    pub criticality: Vec<CriticalityRule>,
    /// How inputs rated "important" in the table are taken.
    pub important_inputs: Important,
    /// How a firm short of output shares it.
    pub rationing: Rationing,
    /// Share of lost income households stop spending (0: fixed final demand).
    pub demand_response: f64,
    /// Time constant in days of the household demand response.
    pub demand_response_days: f64,
    /// Final-demand categories that respond to income.
    pub household_categories: Vec<String>,
}

/// Whether input `input` stops the production of `buyers` (every sector when empty) when
/// short.
#[derive(Debug, Clone, PartialEq)]
pub struct CriticalityRule {
    /// Path in the scenario, for messages: `dynamics.criticality[0]`.
    pub at: String,
    /// Input sector.
    pub input: String,
    /// Buying sectors (empty: all).
    pub buyers: Vec<String>,
    /// Whether a shortage limits production.
    pub critical: bool,
}

impl Dynamics {
    /// The dynamics of a scenario and its capital-to-value-added ratio (an economy setting
    /// written among the dynamics), or `(path, message)` of a rule between fields that fails.
    pub(crate) fn from_spec(spec: &DynamicsSpec) -> Result<(Dynamics, f64), (String, String)> {
        let DynamicsSpec::Ario {
            compat,
            psi,
            inventory_restoration_tau,
            order_type,
            alpha_base,
            alpha_max,
            alpha_max_by_sector,
            alpha_tau,
            inventory_days,
            stocks,
            inventory_days_by_input,
            criticality,
            important_inputs,
            rationing,
            demand_response,
            demand_response_days,
            household_categories,
            capital_to_value_added,
        } = spec;
        if *compat == Compat::Boario072
            && !(inventory_days_by_input.is_empty()
                && criticality.is_empty()
                && alpha_max_by_sector.is_empty())
        {
            return Err((
                "dynamics".into(),
                "inventory_days_by_input, criticality and alpha_max_by_sector are not part of \
                 BoARIO 0.7.2: expected compat: Clean to set them"
                    .into(),
            ));
        }
        if *compat == Compat::Boario072 && *important_inputs != Important::Critical {
            return Err((
                "dynamics.important_inputs".into(),
                "BoARIO 0.7.2 reads no criticality ratings: expected compat: Clean".into(),
            ));
        }
        if *compat == Compat::Boario072 && *stocks != Stocks::Uniform {
            return Err((
                "dynamics.stocks".into(),
                "BoARIO 0.7.2 holds inventory_days of every product: expected compat: Clean for \
                 stocks by product"
                    .into(),
            ));
        }
        if *compat == Compat::Boario072 && *rationing != Rationing::Proportional {
            return Err((
                "dynamics.rationing".into(),
                "BoARIO 0.7.2 rations in proportion: expected compat: Clean for another rule"
                    .into(),
            ));
        }
        if *compat == Compat::Boario072 && demand_response.get() > 0.0 {
            return Err((
                "dynamics.demand_response".into(),
                "BoARIO 0.7.2 keeps final demand fixed: expected compat: Clean for a demand \
                 response"
                    .into(),
            ));
        }
        if demand_response.get() > 0.0 && household_categories.is_empty() {
            return Err((
                "dynamics.household_categories".into(),
                "a demand response needs the final-demand categories of households, e.g. \
                 household_categories: [\"final_consumption\"]"
                    .into(),
            ));
        }
        for (k, (sector, ceiling)) in alpha_max_by_sector.iter().enumerate() {
            let at = format!("dynamics.alpha_max_by_sector[{k}]");
            if alpha_max_by_sector[..k].iter().any(|(s, _)| s == sector) {
                return Err((at, format!("{sector:?} is listed twice")));
            }
            if ceiling.get() < alpha_base.get() {
                return Err((
                    at,
                    format!(
                        "alpha_max {} of {sector:?} is below alpha_base {}: expected alpha_max >= alpha_base",
                        ceiling.get(),
                        alpha_base.get()
                    ),
                ));
            }
        }
        for (k, (input, _)) in inventory_days_by_input.iter().enumerate() {
            if inventory_days_by_input[..k].iter().any(|(i, _)| i == input) {
                return Err((
                    format!("dynamics.inventory_days_by_input[{k}]"),
                    format!("{input:?} is listed twice"),
                ));
            }
        }
        if alpha_max.get() < alpha_base.get() {
            return Err((
                "dynamics.alpha_max".into(),
                format!(
                    "alpha_max {} is below alpha_base {}: expected alpha_max >= alpha_base",
                    alpha_max.get(),
                    alpha_base.get()
                ),
            ));
        }
        let dynamics = Dynamics {
            compat: *compat,
            psi: psi.map(|p| p.get()),
            inventory_restoration_tau: inventory_restoration_tau.get(),
            order_type: *order_type,
            alpha_base: alpha_base.get(),
            alpha_max: alpha_max.get(),
            alpha_max_by_sector: alpha_max_by_sector
                .iter()
                .map(|(sector, ceiling)| (sector.clone(), ceiling.get()))
                .collect(),
            alpha_tau: alpha_tau.get(),
            inventory_days: inventory_days.get(),
            stocks: *stocks,
            inventory_days_by_input: inventory_days_by_input
                .iter()
                .map(|(input, days)| (input.clone(), days.get()))
                .collect(),
            criticality: criticality
                .iter()
                .enumerate()
                .map(|(k, rule)| CriticalityRule {
                    at: format!("dynamics.criticality[{k}]"),
                    input: rule.input.clone(),
                    buyers: rule.buyers.clone(),
                    critical: rule.critical,
                })
                .collect(),
            important_inputs: *important_inputs,
            rationing: *rationing,
            demand_response: demand_response.get(),
            demand_response_days: demand_response_days.get(),
            household_categories: household_categories.clone(),
        };
        Ok((dynamics, capital_to_value_added.get()))
    }
}

impl Dynamics {
    /// The default dynamics under `compat` (a rule set changes no checked value).
    pub fn with_compat(compat: Compat) -> Dynamics {
        Dynamics {
            compat,
            ..Dynamics::default()
        }
    }
}

impl Default for Dynamics {
    /// `Ario()` with every field omitted: BoARIO 0.7.2's defaults, `compat: Clean`.
    fn default() -> Self {
        let (dynamics, _) = Dynamics::from_spec(&DynamicsSpec::default())
            .unwrap_or_else(|(at, message)| unreachable!("the defaults pass: {at}: {message}"));
        dynamics
    }
}

impl Settable for DynamicsSpec {
    fn set(&mut self, path: &[&str], key: Option<&str>, value: &str) -> Result<(), String> {
        let DynamicsSpec::Ario {
            compat,
            psi,
            inventory_restoration_tau,
            order_type,
            alpha_base,
            alpha_max,
            alpha_max_by_sector,
            alpha_tau,
            inventory_days,
            stocks,
            inventory_days_by_input,
            criticality,
            important_inputs,
            rationing,
            demand_response,
            demand_response_days,
            household_categories,
            capital_to_value_added,
        } = self;
        set_fields!("dynamics", path, key, value, {
            "compat" => compat,
            "psi" => psi,
            "inventory_restoration_tau" => inventory_restoration_tau,
            "order_type" => order_type,
            "alpha_base" => alpha_base,
            "alpha_max" => alpha_max,
            "alpha_max_by_sector" => alpha_max_by_sector,
            "alpha_tau" => alpha_tau,
            "inventory_days" => inventory_days,
            "stocks" => stocks,
            "inventory_days_by_input" => inventory_days_by_input,
            "criticality" => criticality,
            "important_inputs" => important_inputs,
            "rationing" => rationing,
            "demand_response" => demand_response,
            "demand_response_days" => demand_response_days,
            "household_categories" => household_categories,
            "capital_to_value_added" => capital_to_value_added,
        })
    }
}
