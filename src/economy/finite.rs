//! The built economy's numbers are finite, and every firm produces: extreme firm sizes or
//! table values are refused before any run, not found as NaN in its results.

use super::Economy;

impl Economy {
    /// The first number of the economy that cannot be computed with: a firm output that is
    /// not a finite number `> 0` (`≥ 0` for backup units), or a value added, capital, input, link flow or final demand
    /// that is not finite. `None` when there is none.
    pub fn first_not_finite(&self) -> Option<String> {
        let firm = |f: usize| {
            format!(
                "firm {f} ({})",
                self.industry_label(self.firm_industry[f] as usize)
            )
        };
        let buyer_of_input = |k: usize| {
            self.firm_inputs
                .partition_point(|&start| start as usize <= k)
                .saturating_sub(1)
        };
        // backup units are dormant: their baseline output is 0
        let regular = self.n_regular_firms();
        if let Some(f) = (0..self.n_firms()).find(|&f| {
            let x = self.firm_output[f];
            !(x.is_finite() && (x > 0.0 || f >= regular))
        }) {
            return Some(format!(
                "the output of {} is {}",
                firm(f),
                self.firm_output[f]
            ));
        }
        for (what, values) in [
            ("value added", &self.firm_value_added),
            ("capital", &self.firm_capital),
        ] {
            if let Some(f) = values.iter().position(|v| !v.is_finite()) {
                return Some(format!("the {what} of {} is {}", firm(f), values[f]));
            }
        }
        for (what, values) in [
            ("annual purchases", &self.input_annual),
            ("input per unit of output", &self.input_per_output),
        ] {
            if let Some(k) = values.iter().position(|v| !v.is_finite()) {
                return Some(format!(
                    "the {what} of an input of {} is {}",
                    firm(buyer_of_input(k)),
                    values[k]
                ));
            }
        }
        if let Some(l) = self.link_flow.iter().position(|v| !v.is_finite()) {
            return Some(format!(
                "the flow from {} on link {l} is {}",
                firm(self.link_supplier[l] as usize),
                self.link_flow[l]
            ));
        }
        if let Some(e) = self.final_demand_annual.iter().position(|v| !v.is_finite()) {
            return Some(format!(
                "final-demand entry {e} is {}",
                self.final_demand_annual[e]
            ));
        }
        None
    }
}
