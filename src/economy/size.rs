//! How large an economy will be, known before it is built: the counts that set its memory,
//! from the synthetic parameters or from a loaded MRIO table, and the bytes an economy of
//! those counts holds. The study checks them against the memory the machine has before
//! anything large is allocated (`montecarlo::memory`).

use super::Economy;
use super::mrio::MrioTable;
use crate::model::{EconomyParams, SyntheticParams};

/// The counts an economy's memory follows.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Size {
    /// Regions.
    pub regions: u64,
    /// Sectors.
    pub sectors: u64,
    /// Industries (regions × sectors).
    pub industries: u64,
    /// Final-demand columns.
    pub final_demand_columns: u64,
    /// Firms.
    pub firms: u64,
    /// Inputs (one per firm and sector it buys from).
    pub inputs: u64,
    /// Supplier → buyer links.
    pub links: u64,
    /// Final-demand entries (one per firm and final-demand column it sells to).
    pub final_demand: u64,
}

/// Bytes an [`Economy`] holds per firm, input, link, final-demand entry and industry (its
/// flat arrays: see the field list of [`Economy`]).
const PER_FIRM: u64 = 40;
const PER_INPUT: u64 = 24;
const PER_LINK: u64 = 16;
const PER_FINAL_DEMAND: u64 = 12;
const PER_INDUSTRY: u64 = 12;

/// Most firms, inputs or links an economy may have: they are indexed with `u32`.
pub const MAX_COUNT: u64 = u32::MAX as u64;

impl Size {
    /// The counts of a built economy.
    pub fn of(economy: &Economy) -> Size {
        Size {
            regions: economy.regions.len() as u64,
            sectors: economy.sectors.len() as u64,
            industries: economy.n_industries() as u64,
            final_demand_columns: economy.final_demand_columns.len() as u64,
            firms: economy.n_firms() as u64,
            inputs: economy.n_inputs() as u64,
            links: economy.n_links() as u64,
            final_demand: economy.n_final_demand() as u64,
        }
    }

    /// The counts a synthetic economy will have. Firms are exact; links are the expected
    /// `firms × mean_suppliers` (the drawn count is within a few per cent); inputs are at most
    /// one per link and one per firm and sector.
    pub fn synthetic(params: &SyntheticParams) -> Size {
        let firms = params.firms as u64;
        let sectors = params.sectors as u64;
        let links = (firms as f64 * params.mean_suppliers).ceil() as u64;
        Size {
            regions: params.regions as u64,
            sectors,
            industries: sectors * params.regions as u64,
            final_demand_columns: params.regions as u64,
            firms,
            inputs: links.min(firms.saturating_mul(sectors)),
            links,
            final_demand: firms,
        }
    }

    /// The counts the firm economy of a loaded table will have ([`Economy::from_mrio`]):
    /// `firms_per_industry` firms in each industry with output; in each industry pair with a
    /// flow, every buyer linked to `min(k, firms)` suppliers, or the `2·firms − 1` links that
    /// cover both sides when that is more; one input per buyer and input sector; one
    /// final-demand entry per firm and non-zero column of `Y`. Exact but for a few links where
    /// the covering pattern gives a buyer more than `k` suppliers.
    pub fn mrio(table: &MrioTable, params: &EconomyParams) -> Size {
        let n = table.n_industries();
        let m = table.n_final_demand_columns();
        let per = params.firms_per_industry as u64;
        let k = params.suppliers_per_input as u64;
        let links_per_pair = if per == 1 {
            1
        } else {
            (per * k.min(per)).max(2 * per - 1)
        };
        let mut regions: Vec<&str> = table.industries.iter().map(|(r, _)| r.as_str()).collect();
        let mut sectors: Vec<&str> = table.industries.iter().map(|(_, s)| s.as_str()).collect();
        regions.sort_unstable();
        regions.dedup();
        sectors.sort_unstable();
        sectors.dedup();
        let sector_of: Vec<usize> = table
            .industries
            .iter()
            .map(|(_, s)| sectors.binary_search(&s.as_str()).unwrap_or(0))
            .collect();
        let active: Vec<bool> = table.x.iter().map(|&x| x > 0.0).collect();
        let (mut pairs, mut buyer_sectors, mut entries) = (0u64, 0u64, 0u64);
        // the sectors each buyer industry buys from, stamped with the buyer's index
        let mut seen = vec![usize::MAX; sectors.len()];
        for buyer in (0..n).filter(|&j| active[j]) {
            for supplier in (0..n).filter(|&i| active[i]) {
                if table.z[supplier * n + buyer] > 0.0 {
                    pairs += 1;
                    let sector = sector_of[supplier];
                    if seen[sector] != buyer {
                        seen[sector] = buyer;
                        buyer_sectors += 1;
                    }
                }
            }
        }
        for industry in (0..n).filter(|&i| active[i]) {
            let row = &table.y[industry * m..(industry + 1) * m];
            entries += row.iter().filter(|&&y| y != 0.0).count() as u64;
        }
        let mut demand_regions: Vec<&str> = table
            .final_demand_columns
            .iter()
            .map(|(r, _)| r.as_str())
            .collect();
        demand_regions.sort_unstable();
        demand_regions.dedup();
        Size {
            regions: regions.len() as u64,
            sectors: sectors.len() as u64,
            industries: n as u64,
            final_demand_columns: m as u64,
            firms: per.saturating_mul(active.iter().filter(|&&a| a).count() as u64),
            inputs: per.saturating_mul(buyer_sectors),
            links: links_per_pair.saturating_mul(pairs),
            final_demand: per.saturating_mul(entries),
        }
    }

    /// This economy with `units` more firms (backup units), each buying from `inputs_per_unit`
    /// sectors over `links_per_unit` links and selling to no one.
    pub fn with_units(&self, units: u64, inputs_per_unit: u64, links_per_unit: u64) -> Size {
        Size {
            firms: self.firms.saturating_add(units),
            inputs: self
                .inputs
                .saturating_add(units.saturating_mul(inputs_per_unit)),
            links: self
                .links
                .saturating_add(units.saturating_mul(links_per_unit)),
            ..*self
        }
    }

    /// Bytes an economy of this size holds.
    pub fn bytes(&self) -> u64 {
        PER_FIRM
            .saturating_mul(self.firms)
            .saturating_add(PER_INPUT.saturating_mul(self.inputs))
            .saturating_add(PER_LINK.saturating_mul(self.links))
            .saturating_add(PER_FINAL_DEMAND.saturating_mul(self.final_demand))
            .saturating_add(PER_INDUSTRY.saturating_mul(self.industries))
    }

    /// Bytes held at the peak of building this economy, beyond the finished economy: for a
    /// synthetic one, the drawn links in chunks, their buyers, the sales order and the
    /// fixed-point solution (about 36 bytes per link and 48 per firm), and the sector-level
    /// technology (two `sectors × sectors` matrices); for an MRIO one, the links of one
    /// buyer industry being sorted (the table itself is counted by the caller).
    pub fn build_bytes(&self, synthetic: bool) -> u64 {
        if synthetic {
            36u64
                .saturating_mul(self.links)
                .saturating_add(48u64.saturating_mul(self.firms))
                .saturating_add(16u64.saturating_mul(self.sectors.saturating_mul(self.sectors)))
        } else {
            let per_buyer_industry = self.links / self.industries.max(1);
            32u64.saturating_mul(per_buyer_industry)
        }
    }

    /// The first count that is more than an economy can index (`u32`), as `(what, count)`.
    pub fn over_limit(&self) -> Option<(&'static str, u64)> {
        [
            ("firms", self.firms),
            ("inputs", self.inputs),
            ("links", self.links),
            ("final-demand entries", self.final_demand),
        ]
        .into_iter()
        .find(|&(_, count)| count > MAX_COUNT)
    }
}

/// Bytes an MRIO table holds once loaded.
pub fn table_bytes(table: &MrioTable) -> u64 {
    8 * (table.z.len() + table.y.len() + table.x.len()) as u64
        + 64 * (table.industries.len() + table.final_demand_columns.len()) as u64
}
