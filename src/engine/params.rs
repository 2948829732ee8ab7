//! Constants of one run derived once from the dynamics and the economy.

use crate::economy::Economy;
use crate::kinds::{Compat, OrderType};
use crate::model::Dynamics;

/// BoARIO's `TECHNOLOGY_THRESHOLD`: an input constrains production only above this share.
pub const INPUT_THRESHOLD: f64 = 1e-5;

/// Flags and rates of the daily step.
#[derive(Debug, Clone)]
pub struct StepParams {
    /// Rule set.
    pub compat: Compat,
    /// `ψ` (1 for ARIOBaseModel, which has no ψ factor).
    pub psi: Option<f64>,
    /// Share of the inventory gap ordered per day (`None`: the whole gap, ARIOBaseModel).
    pub restoration_rate: Option<f64>,
    /// Order split rule.
    pub order_type: OrderType,
    /// α floor.
    pub alpha_base: f64,
    /// α ceiling.
    pub alpha_max: f64,
    /// `1 / alpha_tau`.
    pub kappa: f64,
    /// Target stock in days, per sector.
    pub inventory_days: Vec<f64>,
}

impl StepParams {
    /// Derive the step's constants.
    pub fn new(dynamics: &Dynamics, economy: &Economy) -> StepParams {
        let mut days = dynamics.inventory_days;
        if dynamics.compat == Compat::Boario072 && days <= 1.0 {
            // BoARIO replaces targets of one step or less by 2.
            days = 2.0;
        }
        StepParams {
            compat: dynamics.compat,
            psi: dynamics.psi,
            restoration_rate: dynamics
                .psi
                .map(|_| 1.0 / dynamics.inventory_restoration_tau),
            order_type: dynamics.order_type,
            alpha_base: dynamics.alpha_base,
            alpha_max: dynamics.alpha_max,
            kappa: 1.0 / dynamics.alpha_tau,
            inventory_days: vec![days; economy.sectors.len()],
        }
    }

    /// Whether BoARIO 0.7.2's quirks are reproduced.
    pub fn boario(&self) -> bool {
        self.compat == Compat::Boario072
    }
}

/// Whether input `k` of a firm constrains its production.
///
/// BoARIO compares the *annual* purchases of the input with `1e-5 ×` the *daily* output (its own
/// unit mix); `compat: Clean` compares the input requirement per unit of output with `1e-5`.
pub fn is_critical(
    compat: Compat,
    input_annual: f64,
    input_per_output: f64,
    output_daily: f64,
) -> bool {
    match compat {
        Compat::Boario072 => input_annual > INPUT_THRESHOLD * output_daily,
        Compat::Clean => input_per_output > INPUT_THRESHOLD,
    }
}
