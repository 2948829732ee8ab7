//! How large an economy will be, known before it is built: the counts that set its memory,
//! from the synthetic parameters or from a loaded MRIO table, and the bytes an economy of
//! those counts holds. The study checks them against the memory the machine has before
//! anything large is allocated (`montecarlo::memory`).

use super::Economy;
use super::mrio::MrioTable;
use crate::model::{EconomyDef, EconomyParams, SyntheticParams};

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
    /// Regions with final demand.
    pub demand_regions: u64,
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
            demand_regions: economy.demand_regions.len() as u64,
            firms: economy.n_firms() as u64,
            inputs: economy.n_inputs() as u64,
            links: economy.n_links() as u64,
            final_demand: economy.n_final_demand() as u64,
        }
    }

    /// The counts a synthetic economy will have. Firms are exact; links are the expected
    /// `firms × mean_suppliers` and inputs the expected distinct supplier sectors of each
    /// firm (the drawn counts are within a few per cent).
    pub fn synthetic(params: &SyntheticParams) -> Size {
        let firms = params.firms as u64;
        let sectors = params.sectors as u64;
        let links = (firms as f64 * params.mean_suppliers).ceil() as u64;
        let inputs = (firms as f64 * super::firm_network::expected_inputs_per_firm(params)).ceil();
        Size {
            regions: params.regions as u64,
            sectors,
            industries: sectors.saturating_mul(params.regions as u64),
            final_demand_columns: params.regions as u64,
            demand_regions: params.regions as u64,
            firms,
            inputs: (inputs as u64)
                .min(links)
                .min(firms.saturating_mul(sectors)),
            links,
            final_demand: firms,
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

/// The counts of a loaded table that the size of its firm economy follows.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct TableCounts {
    regions: u64,
    sectors: u64,
    industries: u64,
    final_demand_columns: u64,
    demand_regions: u64,
    /// Industries with output (those that get firms).
    active: u64,
    /// Supplier → buyer industry pairs with a flow, among active industries.
    pairs: u64,
    /// Σ over active buyer industries of the sectors they buy from.
    buyer_sectors: u64,
    /// Non-zero final-demand cells of active industries.
    entries: u64,
}

impl TableCounts {
    fn of(table: &MrioTable) -> TableCounts {
        let n = table.n_industries();
        let m = table.n_final_demand_columns();
        fn distinct(mut names: Vec<&str>) -> Vec<&str> {
            names.sort_unstable();
            names.dedup();
            names
        }
        let regions = distinct(table.industries.iter().map(|(r, _)| r.as_str()).collect());
        let sectors = distinct(table.industries.iter().map(|(_, s)| s.as_str()).collect());
        let demand_regions = distinct(
            table
                .final_demand_columns
                .iter()
                .map(|(r, _)| r.as_str())
                .collect(),
        );
        let sector_of: Vec<usize> = table
            .industries
            .iter()
            .map(|(_, s)| sectors.binary_search(&s.as_str()).unwrap_or(0))
            .collect();
        let active: Vec<usize> = (0..n).filter(|&i| table.x[i] > 0.0).collect();
        let (mut pairs, mut buyer_sectors, mut entries) = (0u64, 0u64, 0u64);
        // the sectors each buyer industry buys from, stamped with the buyer's index
        let mut seen = vec![usize::MAX; sectors.len()];
        for &buyer in &active {
            for &supplier in &active {
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
        for &industry in &active {
            let row = &table.y[industry * m..(industry + 1) * m];
            entries += row.iter().filter(|&&y| y != 0.0).count() as u64;
        }
        TableCounts {
            regions: regions.len() as u64,
            sectors: sectors.len() as u64,
            industries: n as u64,
            final_demand_columns: m as u64,
            demand_regions: demand_regions.len() as u64,
            active: active.len() as u64,
            pairs,
            buyer_sectors,
            entries,
        }
    }

    /// The counts of the firm economy [`Economy::from_mrio`] makes with `params`:
    /// `firms_per_industry` firms in each industry with output; in each industry pair with a
    /// flow, every buyer linked to `min(k, firms)` suppliers, or the `2·firms − 1` links that
    /// cover both sides when that is more; one input per buyer and input sector; one
    /// final-demand entry per firm and non-zero cell of `Y`. Exact but for a few links where
    /// the covering pattern gives a buyer more than `k` suppliers.
    fn size(&self, params: &EconomyParams) -> Size {
        let per = params.firms_per_industry as u64;
        let k = params.suppliers_per_input as u64;
        let links_per_pair = if per <= 1 {
            per
        } else {
            per.saturating_mul(k.min(per)).max(2 * per - 1)
        };
        Size {
            regions: self.regions,
            sectors: self.sectors,
            industries: self.industries,
            final_demand_columns: self.final_demand_columns,
            demand_regions: self.demand_regions,
            firms: per.saturating_mul(self.active),
            inputs: per.saturating_mul(self.buyer_sectors),
            links: links_per_pair.saturating_mul(self.pairs),
            final_demand: per.saturating_mul(self.entries),
        }
    }
}

/// The size of the economy an [`EconomyDef`] makes, before it is built: from its synthetic
/// parameters, or from the counts of the MRIO table already loaded.
#[derive(Debug, Clone, Default)]
pub struct Sizer {
    table: Option<TableCounts>,
    table_bytes: u64,
}

impl Sizer {
    /// Sizes of synthetic economies only (no table loaded).
    pub fn synthetic() -> Sizer {
        Sizer::default()
    }

    /// Sizes of economies made from `table`.
    pub fn of_table(table: &MrioTable) -> Sizer {
        Sizer {
            table: Some(TableCounts::of(table)),
            table_bytes: table_bytes(table),
        }
    }

    /// The counts of the economy `def` makes. An MRIO economy is sized from the loaded table
    /// (a variant reading another folder is taken to be of its size).
    pub fn size(&self, def: &EconomyDef) -> Size {
        match def {
            EconomyDef::Synthetic(params) => Size::synthetic(params),
            EconomyDef::Mrio(params) => self
                .table
                .map(|counts| counts.size(params))
                .unwrap_or_default(),
        }
    }

    /// Bytes the loaded table holds (0 for a synthetic economy).
    pub fn table_bytes(&self) -> u64 {
        self.table_bytes
    }
}

/// Bytes an MRIO table holds once loaded.
pub fn table_bytes(table: &MrioTable) -> u64 {
    8 * (table.z.len() + table.y.len() + table.x.len()) as u64
        + 64 * (table.industries.len() + table.final_demand_columns.len()) as u64
}
