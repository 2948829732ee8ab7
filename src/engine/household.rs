//! Household demand that follows income (`dynamics.demand_response`, docs/model.md §3.7).
//!
//! A region's household income is taken to move with the value added its firms make: on day
//! `t`, `I_r(t) = Σ_f va_f · x_f(t) / x0_f` over the region's firms (backup units included,
//! which add income when they produce), against `I_r0 = Σ_f va_f` over its regular firms.
//! Households spend a share `m` (`demand_response`) of what they lose, and adjust over
//! `T` days (`demand_response_days`):
//!
//! ```text
//! h_r(t+1) = h_r(t) + (max(0, 1 − m·(1 − I_r(t)/I_r0)) − h_r(t)) / T,   h_r(0) = 1
//! ```
//!
//! and the final demand of every entry whose column is a household category of region `r` is
//! its baseline × its demand changes × `h_r`. This is a simplified form of the consumption rule
//! of Pichler et al. (2022), which scales consumption with labour income and smooths it
//! over time; here value added stands for labour income, as the table has no wage split.

use crate::economy::{DAILY, Economy};
use crate::model::Dynamics;

/// No group: the entry does not respond (not a household category, or no firms in its
/// region).
const NONE: u32 = u32::MAX;

/// State of the household demand response of one run.
#[derive(Debug, Clone)]
pub(super) struct Households {
    /// `m`.
    response: f64,
    /// `1 / T`.
    rate: f64,
    /// Region of each firm.
    firm_region: Vec<u32>,
    /// Daily value added of each firm per unit of its baseline output (`va_f / x0_f`).
    va_per_output: Vec<f64>,
    /// Baseline income of each region.
    income0: Vec<f64>,
    /// Today's income of each region (scratch).
    income: Vec<f64>,
    /// `h_r`.
    pub(super) factor: Vec<f64>,
    /// Region of each final-demand entry that responds, or `NONE`.
    pub(super) entry_region: Vec<u32>,
}

impl Households {
    /// The response of `dynamics` over `economy` (`None` without one); firms from
    /// `first_unit` on are backup units.
    pub(super) fn new(dynamics: &Dynamics, economy: &Economy, first_unit: usize) -> Option<Self> {
        if dynamics.demand_response <= 0.0 {
            return None;
        }
        let n_regions = economy.regions.len();
        let firm_region: Vec<u32> = (0..economy.n_firms())
            .map(|f| economy.industry_region(economy.firm_industry[f] as usize) as u32)
            .collect();
        let mut income0 = vec![0.0; n_regions];
        let va_per_output: Vec<f64> = (0..economy.n_firms())
            .map(|f| {
                let (va, x) = (economy.firm_value_added[f], economy.firm_output[f]);
                let per_output = if x > 0.0 { va / x } else { 0.0 };
                if f < first_unit {
                    // as `update` computes it at the baseline output, so that the baseline
                    // holds exactly
                    income0[firm_region[f] as usize] += per_output * (x * DAILY);
                }
                per_output
            })
            .collect();
        // a demand region is a firm region of the same name
        let column_region: Vec<u32> = economy
            .final_demand_columns
            .iter()
            .map(|(region, category)| {
                let name = &economy.demand_regions[*region as usize];
                match economy.regions.binary_search(name) {
                    Ok(r)
                        if dynamics.household_categories.contains(category) && income0[r] > 0.0 =>
                    {
                        r as u32
                    }
                    _ => NONE,
                }
            })
            .collect();
        let entry_region = economy
            .final_demand_column
            .iter()
            .map(|&c| column_region[c as usize])
            .collect();
        Some(Households {
            response: dynamics.demand_response,
            rate: 1.0 / dynamics.demand_response_days,
            firm_region,
            va_per_output,
            income: vec![0.0; n_regions],
            income0,
            factor: vec![1.0; n_regions],
            entry_region,
        })
    }

    /// Update `h` from today's production (daily).
    pub(super) fn update(&mut self, production: &[f64]) {
        self.income.iter_mut().for_each(|i| *i = 0.0);
        for ((&r, &v), &x) in self
            .firm_region
            .iter()
            .zip(&self.va_per_output)
            .zip(production)
        {
            self.income[r as usize] += v * x;
        }
        for ((h, &income), &income0) in self.factor.iter_mut().zip(&self.income).zip(&self.income0)
        {
            if income0 > 0.0 {
                let target = (1.0 - self.response * (1.0 - income / income0)).max(0.0);
                *h += (target - *h) * self.rate;
            }
        }
    }
}
