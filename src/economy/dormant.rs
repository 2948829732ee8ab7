//! Dormant firms appended to an economy (backup units): they belong to an industry's region
//! and sector but not to its firm range, so industry aggregates and the baseline are unchanged.

use super::Economy;

/// A dormant firm to append.
#[derive(Debug, Clone, PartialEq)]
pub struct DormantFirm {
    /// Industry (region · n_sectors + sector) where the firm stands.
    pub industry: u32,
    /// Productive capital (money), so that capital losses can hit it.
    pub capital: f64,
    /// Its inputs.
    pub inputs: Vec<DormantInput>,
}

/// One input of a dormant firm.
#[derive(Debug, Clone, PartialEq)]
pub struct DormantInput {
    /// Input sector.
    pub sector: u32,
    /// Requirement per unit of output.
    pub per_output: f64,
    /// `(supplier firm, nominal annual flow)`: the flows only weigh orders between suppliers;
    /// nothing flows in the baseline.
    pub suppliers: Vec<(u32, f64)>,
}

impl Economy {
    /// Firms that belong to an industry (backup units come after them).
    pub fn n_regular_firms(&self) -> usize {
        self.industry_firms.last().copied().unwrap_or(0) as usize
    }

    /// A copy of the economy with `firms` appended as dormant firms: zero baseline output, no
    /// buyers, no final demand, their own inputs and suppliers.
    pub fn with_dormant_firms(&self, firms: &[DormantFirm]) -> Economy {
        let mut e = self.clone();
        // reserve exactly: pushing onto the cloned (full) arrays would double them
        let inputs = firms.iter().flat_map(|f| &f.inputs);
        let n_inputs = inputs.clone().filter(|i| !i.suppliers.is_empty()).count();
        let n_links: usize = inputs.map(|i| i.suppliers.len()).sum();
        e.firm_industry.reserve_exact(firms.len());
        e.firm_output.reserve_exact(firms.len());
        e.firm_value_added.reserve_exact(firms.len());
        e.firm_capital.reserve_exact(firms.len());
        e.firm_inputs.reserve_exact(firms.len());
        e.firm_final_demand.reserve_exact(firms.len());
        e.input_sector.reserve_exact(n_inputs);
        e.input_per_output.reserve_exact(n_inputs);
        e.input_annual.reserve_exact(n_inputs);
        e.input_links.reserve_exact(n_inputs);
        e.link_supplier.reserve_exact(n_links);
        e.link_flow.reserve_exact(n_links);
        for firm in firms {
            e.firm_industry.push(firm.industry);
            e.firm_output.push(0.0);
            e.firm_value_added.push(0.0);
            e.firm_capital.push(firm.capital);
            let mut inputs = firm.inputs.clone();
            inputs.sort_by_key(|i| i.sector);
            for input in inputs.iter().filter(|i| !i.suppliers.is_empty()) {
                e.input_sector.push(input.sector);
                e.input_per_output.push(input.per_output);
                e.input_annual
                    .push(input.suppliers.iter().map(|s| s.1).sum());
                let mut suppliers = input.suppliers.clone();
                suppliers.sort_by_key(|s| s.0);
                for (supplier, flow) in suppliers {
                    e.link_supplier.push(supplier);
                    e.link_flow.push(flow);
                }
                e.input_links.push(e.link_supplier.len() as u32);
            }
            e.firm_inputs.push(e.input_sector.len() as u32);
            e.firm_final_demand
                .push(*e.firm_final_demand.last().unwrap_or(&0));
        }
        let (firm_sales, sales_link) =
            super::sales_by_supplier(e.firm_industry.len(), &e.link_supplier);
        e.firm_sales = firm_sales;
        e.sales_link = sales_link;
        e
    }
}
