//! Read access to the economy's arrays, for code outside the crate (inside it, the fields are
//! read directly).

use super::Economy;

/// Read access to the arrays (the economy is built only by [`Economy::from_mrio`],
/// [`super::synthetic_firms`] and [`super::build`], which keep them consistent).
impl Economy {
    /// Region names, sorted.
    pub fn regions(&self) -> &[String] {
        &self.regions
    }

    /// Sector names, sorted.
    pub fn sectors(&self) -> &[String] {
        &self.sectors
    }

    /// Regions that demand final goods (regions of `Y`'s columns), sorted.
    pub fn demand_regions(&self) -> &[String] {
        &self.demand_regions
    }

    /// `(demand region index, category)` of each final-demand column, sorted.
    pub fn final_demand_columns(&self) -> &[(u32, String)] {
        &self.final_demand_columns
    }

    /// Annual output of each industry in the table.
    pub fn industry_output(&self) -> &[f64] {
        &self.industry_output
    }

    /// CSR: firms of industry `i` are `industry_firms[i]..industry_firms[i+1]`.
    pub fn industry_firms(&self) -> &[u32] {
        &self.industry_firms
    }

    /// Industry of each firm.
    pub fn firm_industry(&self) -> &[u32] {
        &self.firm_industry
    }

    /// Baseline annual output of each firm.
    pub fn firm_output(&self) -> &[f64] {
        &self.firm_output
    }

    /// Annual value added of each firm (`output − inputs`, clamped at 0).
    pub fn firm_value_added(&self) -> &[f64] {
        &self.firm_value_added
    }

    /// Productive capital of each firm.
    pub fn firm_capital(&self) -> &[f64] {
        &self.firm_capital
    }

    /// CSR: inputs of firm `f` are `firm_inputs[f]..firm_inputs[f+1]`.
    pub fn firm_inputs(&self) -> &[u32] {
        &self.firm_inputs
    }

    /// Sector of each input.
    pub fn input_sector(&self) -> &[u32] {
        &self.input_sector
    }

    /// Annual purchases of each input (sum of its links' flows).
    pub fn input_annual(&self) -> &[f64] {
        &self.input_annual
    }

    /// Input requirement per unit of the buyer's output (`T[s, j]`).
    pub fn input_per_output(&self) -> &[f64] {
        &self.input_per_output
    }

    /// CSR: links of input `k` are `input_links[k]..input_links[k+1]`.
    pub fn input_links(&self) -> &[u32] {
        &self.input_links
    }

    /// Supplier firm of each link (its buyer is the firm whose inputs hold it:
    /// [`Economy::link_buyers`]).
    pub fn link_supplier(&self) -> &[u32] {
        &self.link_supplier
    }

    /// Baseline annual flow of each link.
    pub fn link_flow(&self) -> &[f64] {
        &self.link_flow
    }

    /// CSR: sales of firm `f` are `sales_link[firm_sales[f]..firm_sales[f+1]]` (in link order).
    pub fn firm_sales(&self) -> &[u32] {
        &self.firm_sales
    }

    /// Link index of each sale.
    pub fn sales_link(&self) -> &[u32] {
        &self.sales_link
    }

    /// CSR: final demand on firm `f` is `firm_final_demand[f]..firm_final_demand[f+1]`.
    pub fn firm_final_demand(&self) -> &[u32] {
        &self.firm_final_demand
    }

    /// Final-demand column of each entry.
    pub fn final_demand_column(&self) -> &[u32] {
        &self.final_demand_column
    }

    /// Annual final demand of each entry.
    pub fn final_demand_annual(&self) -> &[f64] {
        &self.final_demand_annual
    }

    /// Money unit of the table, if known.
    pub fn unit(&self) -> Option<&str> {
        self.unit.as_deref()
    }
}
