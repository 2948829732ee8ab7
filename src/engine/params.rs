//! Constants of one run derived once from the dynamics and the economy.

use crate::economy::Economy;
use crate::economy::Resolver;
use crate::kinds::{Compat, Important, OrderType, Rationing, Stocks};
use crate::model::{Dynamics, Invalid};

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
    /// α ceiling of each sector where the scenario sets one (empty: `alpha_max` everywhere).
    pub alpha_max_by_sector: Vec<f64>,
    /// `1 / alpha_tau`.
    pub kappa: f64,
    /// Target stock in days, per input sector.
    pub inventory_days: Vec<f64>,
    /// Whether input sector `s` stops the production of buyer sector `b` when short, at
    /// `b · sectors + s`, where the scenario says (`None`: the share rule, [`is_critical`]).
    pub critical_by_pair: Vec<Option<bool>>,
    /// How a firm short of output shares it.
    pub rationing: Rationing,
}

impl StepParams {
    /// Derive the step's constants.
    pub fn new(dynamics: &Dynamics, economy: &Economy) -> StepParams {
        let mut days = dynamics.inventory_days;
        if dynamics.compat == Compat::Boario072 && days <= 1.0 {
            // BoARIO replaces targets of one step or less by 2.
            days = 2.0;
        }
        let n = economy.sectors.len();
        // the scenario's rules, over the MRIO folder's defaults, over the share rule; BoARIO
        // reads none of the folder's defaults
        let boario = dynamics.compat == Compat::Boario072;
        let (mut default_days, default_rating): (&[Option<f64>], &[Option<f64>]) = if boario {
            (&[], &[])
        } else {
            (&economy.default_inventory_days, &economy.default_rating)
        };
        if dynamics.stocks != Stocks::ByProduct {
            // the table's days per product are used only when asked for
            default_days = &[];
        }
        let mut inventory_days = vec![days; n];
        for (s, table_days) in default_days.iter().enumerate() {
            if let Some(table_days) = table_days {
                inventory_days[s] = *table_days;
            }
        }
        for (input, input_days) in &dynamics.inventory_days_by_input {
            // names are checked against the economy before any run (`check_input_rules`)
            if let Some(s) = economy.sector_index(input) {
                inventory_days[s] = *input_days;
            }
        }
        // IHS Markit's "important" (0.5) as the scenario takes it
        let important = dynamics.important_inputs == Important::Critical;
        let mut critical_by_pair: Vec<Option<bool>> = default_rating
            .iter()
            .map(|rating| rating.map(|r| if r == 0.5 { important } else { r == 1.0 }))
            .collect();
        if critical_by_pair.is_empty() && !dynamics.criticality.is_empty() {
            critical_by_pair = vec![None; n * n];
        }
        for rule in &dynamics.criticality {
            let Some(input) = economy.sector_index(&rule.input) else {
                continue;
            };
            let buyers: Vec<usize> = if rule.buyers.is_empty() {
                (0..n).collect()
            } else {
                rule.buyers
                    .iter()
                    .filter_map(|b| economy.sector_index(b))
                    .collect()
            };
            for b in buyers {
                critical_by_pair[b * n + input] = Some(rule.critical);
            }
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
            alpha_max_by_sector: if dynamics.alpha_max_by_sector.is_empty() {
                Vec::new()
            } else {
                let mut ceilings = vec![dynamics.alpha_max; n];
                for (sector, ceiling) in &dynamics.alpha_max_by_sector {
                    if let Some(s) = economy.sector_index(sector) {
                        ceilings[s] = *ceiling;
                    }
                }
                ceilings
            },
            kappa: 1.0 / dynamics.alpha_tau,
            inventory_days,
            critical_by_pair,
            rationing: dynamics.rationing,
        }
    }

    /// Whether input sector `input` stops the production of a firm of sector `buyer` when
    /// short: the scenario's rule for the pair, or the share rule.
    pub fn is_critical(
        &self,
        buyer: usize,
        input: usize,
        input_annual: f64,
        input_per_output: f64,
        output_daily: f64,
    ) -> bool {
        let n = self.inventory_days.len();
        self.critical_by_pair
            .get(buyer * n + input)
            .copied()
            .flatten()
            .unwrap_or_else(|| {
                is_critical(self.compat, input_annual, input_per_output, output_daily)
            })
    }

    /// Whether each input of `economy` (in input order) stops its buyer's production when
    /// short ([`StepParams::is_critical`] of every firm's inputs).
    pub fn critical_inputs(&self, economy: &Economy) -> Vec<bool> {
        let mut critical = Vec::with_capacity(economy.input_sector.len());
        for f in 0..economy.n_firms() {
            let x0 = economy.firm_output[f] * crate::economy::DAILY;
            let buyer = economy.industry_sector(economy.firm_industry[f] as usize);
            for k in economy.firm_inputs[f] as usize..economy.firm_inputs[f + 1] as usize {
                critical.push(self.is_critical(
                    buyer,
                    economy.input_sector[k] as usize,
                    economy.input_annual[k],
                    economy.input_per_output[k],
                    x0,
                ));
            }
        }
        critical
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

/// Every sector named by the dynamics' sector rules (`inventory_days_by_input`,
/// `alpha_max_by_sector`, `criticality`) is a sector of the economy, and every household
/// category a final-demand category of it.
pub fn check_input_rules(dynamics: &Dynamics, resolver: &Resolver) -> Result<(), Invalid> {
    let mut errors = Vec::new();
    for (k, (input, _)) in dynamics.inventory_days_by_input.iter().enumerate() {
        let at = format!("dynamics.inventory_days_by_input[{k}]");
        errors.extend(resolver.sector(input, &at).err());
    }
    for (k, (sector, _)) in dynamics.alpha_max_by_sector.iter().enumerate() {
        let at = format!("dynamics.alpha_max_by_sector[{k}]");
        errors.extend(resolver.sector(sector, &at).err());
    }
    for rule in &dynamics.criticality {
        errors.extend(
            resolver
                .sector(&rule.input, &format!("{}: input", rule.at))
                .err(),
        );
        for (j, buyer) in rule.buyers.iter().enumerate() {
            let at = format!("{}: buyers[{j}]", rule.at);
            errors.extend(resolver.sector(buyer, &at).err());
        }
    }
    let economy = resolver.economy();
    if dynamics.stocks == Stocks::ByProduct && economy.default_inventory_days.is_empty() {
        errors.push(resolver.invalid(
            "dynamics.stocks",
            format!(
                "ByProduct takes the days of each product from the table's {}, and this table \
                 has none: add the file or set the days with inventory_days_by_input",
                crate::economy::INVENTORY_DAYS_FILE
            ),
        ));
    }
    let mut categories: Vec<&str> = economy
        .final_demand_columns()
        .iter()
        .map(|(_, category)| category.as_str())
        .collect();
    categories.sort_unstable();
    categories.dedup();
    for (j, category) in dynamics.household_categories.iter().enumerate() {
        if !categories.contains(&category.as_str()) {
            errors.push(resolver.invalid(
                format!("dynamics.household_categories[{j}]"),
                crate::model::unknown("final-demand category", category, &categories),
            ));
        }
    }
    match Invalid::all(errors) {
        None => Ok(()),
        Some(error) => Err(error),
    }
}
