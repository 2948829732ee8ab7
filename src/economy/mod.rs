//! The firm economy: MRIO loading, firm disaggregation and balancing, and the network arrays
//! the engine steps over.
//!
//! Industries are ordered as BoARIO orders them: regions sorted, sectors sorted, industry
//! `i = region · n_sectors + sector`. Firms of one industry are contiguous. Everything the
//! daily step touches is a flat array in compressed-sparse-row form:
//!
//! * **inputs** (one per firm × input sector it buys): `firm_inputs[f]..firm_inputs[f+1]`;
//! * **links** (supplier → buyer, grouped by the buyer's input): `input_links[k]..input_links[k+1]`;
//! * **sales** (the same links grouped by supplier): `firm_sales[f]..firm_sales[f+1]` into
//!   `sales_link`;
//! * **final demand** (per firm × final-demand column): `firm_final_demand[f]..`.
//!
//! Economies come from an MRIO table disaggregated into firms ([`Economy::from_mrio`]) or from
//! a synthetic firm network generated directly ([`synthetic_firms`]); both satisfy the same
//! invariants (every firm sells exactly its output, flows > 0, CSR arrays consistent).
//!
//! All money is annual, in the MRIO's unit; the engine converts to per-day flows.

mod accessors;
mod dormant;
mod finite;
mod firm_network;
mod firms;
pub mod mrio;
mod network;
mod resolve;
mod size;
mod synthetic;

pub use dormant::{DormantFirm, DormantInput};
pub use firm_network::synthetic_firms;
pub use firms::{Link, build_links, for_each_buyer_industry};
pub use mrio::{
    CRITICALITY_FILE, INVENTORY_DAYS_FILE, InputDefaults, MrioError, MrioTable, REGIONS_FILE,
    load_mrio, read_criticality, read_input_defaults, read_inventory_days, read_region_kinds,
};
pub use resolve::{RegionKinds, Resolver};
pub use size::{MAX_COUNT, Size, Sizer};
pub use synthetic::synthetic_mrio;

use crate::kinds::FirmSizes;
use crate::model::{EconomyDef, EconomyParams};

/// Per-day conversion of annual flows, computed as BoARIO does (`τ_s / 365`).
pub const DAILY: f64 = 1.0 / 365.0;

/// The economy as the engine sees it: labels, firms, inputs, links and final demand.
#[derive(Debug, Clone)]
pub struct Economy {
    /// Region names, sorted.
    pub(crate) regions: Vec<String>,
    /// Sector names, sorted.
    pub(crate) sectors: Vec<String>,
    /// Regions that demand final goods (regions of `Y`'s columns), sorted.
    pub(crate) demand_regions: Vec<String>,
    /// `(demand region index, category)` of each final-demand column, sorted.
    pub(crate) final_demand_columns: Vec<(u32, String)>,
    /// Annual output of each industry in the table.
    pub(crate) industry_output: Vec<f64>,
    /// CSR: firms of industry `i` are `industry_firms[i]..industry_firms[i+1]`.
    pub(crate) industry_firms: Vec<u32>,
    /// Industry of each firm.
    pub(crate) firm_industry: Vec<u32>,
    /// Baseline annual output of each firm.
    pub(crate) firm_output: Vec<f64>,
    /// Annual value added of each firm (`output − inputs`, clamped at 0).
    pub(crate) firm_value_added: Vec<f64>,
    /// Productive capital of each firm.
    pub(crate) firm_capital: Vec<f64>,
    /// CSR: inputs of firm `f` are `firm_inputs[f]..firm_inputs[f+1]`.
    pub(crate) firm_inputs: Vec<u32>,
    /// Sector of each input.
    pub(crate) input_sector: Vec<u32>,
    /// Annual purchases of each input (sum of its links' flows).
    pub(crate) input_annual: Vec<f64>,
    /// Input requirement per unit of the buyer's output (`T[s, j]`).
    pub(crate) input_per_output: Vec<f64>,
    /// CSR: links of input `k` are `input_links[k]..input_links[k+1]`.
    pub(crate) input_links: Vec<u32>,
    /// Supplier firm of each link (its buyer is the firm whose inputs hold it:
    /// [`Economy::link_buyers`]).
    pub(crate) link_supplier: Vec<u32>,
    /// Baseline annual flow of each link.
    pub(crate) link_flow: Vec<f64>,
    /// CSR: sales of firm `f` are `sales_link[firm_sales[f]..firm_sales[f+1]]` (in link order).
    pub(crate) firm_sales: Vec<u32>,
    /// Link index of each sale.
    pub(crate) sales_link: Vec<u32>,
    /// CSR: final demand on firm `f` is `firm_final_demand[f]..firm_final_demand[f+1]`.
    pub(crate) firm_final_demand: Vec<u32>,
    /// Final-demand column of each entry.
    pub(crate) final_demand_column: Vec<u32>,
    /// Annual final demand of each entry.
    pub(crate) final_demand_annual: Vec<f64>,
    /// Money unit of the table, if known.
    pub(crate) unit: Option<String>,
    /// The rating of input sector `s` for buyer sector `b` in the MRIO folder's
    /// `criticality.csv` (1 critical, 0.5 important, 0 non-critical), at `b · sectors + s`
    /// (`None`: not rated there; empty: no file).
    pub(crate) default_rating: Vec<Option<f64>>,
    /// Target stock of each input sector in days, as the MRIO folder's `inventory_days.csv`
    /// says (`None`: not listed; empty: no file).
    pub(crate) default_inventory_days: Vec<Option<f64>>,
    /// Kind of each region as the MRIO folder's `regions.csv` says (`None`: not listed;
    /// empty: no file), with the file for messages.
    pub(crate) default_region_kinds: Vec<Option<crate::kinds::RegionKind>>,
    pub(crate) region_kinds_file: Option<std::path::PathBuf>,
    /// Older region names and the regions that replaced them (`regions.csv`'s `replaces`).
    pub(crate) region_renames: Vec<(String, Vec<String>)>,
}

/// An MRIO table (or synthetic parameters) that cannot be turned into an economy.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct EconomyError {
    /// The MRIO folder (`Synthetic` for a synthetic economy).
    pub path: std::path::PathBuf,
    /// What is wrong.
    pub message: String,
}

impl Economy {
    /// Build the firm economy from a loaded MRIO table.
    pub fn from_mrio(table: &MrioTable, params: &EconomyParams) -> Result<Economy, EconomyError> {
        let fail = |message: String| EconomyError {
            path: params.mrio_dir.clone(),
            message,
        };
        let n = table.n_industries();
        if n == 0 {
            return Err(fail("the table has no industries".into()));
        }
        let mut regions: Vec<String> = table.industries.iter().map(|(r, _)| r.clone()).collect();
        let mut sectors: Vec<String> = table.industries.iter().map(|(_, s)| s.clone()).collect();
        regions.sort();
        regions.dedup();
        sectors.sort();
        sectors.dedup();
        let n_sectors = sectors.len();
        if regions.len() * n_sectors != n {
            return Err(fail(format!(
                "{} industries do not form a full grid of {} regions × {} sectors",
                n,
                regions.len(),
                n_sectors
            )));
        }
        // order[sorted industry] = index in the file
        let mut order = vec![usize::MAX; n];
        for (file_index, (r, s)) in table.industries.iter().enumerate() {
            let r = regions.binary_search(r).unwrap_or(0);
            let s = sectors.binary_search(s).unwrap_or(0);
            let sorted = r * n_sectors + s;
            if order[sorted] != usize::MAX {
                return Err(fail(format!(
                    "industry {}|{} appears twice",
                    regions[r], sectors[s]
                )));
            }
            order[sorted] = file_index;
        }
        let m = table.n_final_demand_columns();
        let mut demand_regions: Vec<String> = table
            .final_demand_columns
            .iter()
            .map(|(r, _)| r.clone())
            .collect();
        demand_regions.sort();
        demand_regions.dedup();
        let mut fd_order: Vec<usize> = (0..m).collect();
        fd_order
            .sort_by(|&a, &b| table.final_demand_columns[a].cmp(&table.final_demand_columns[b]));
        let final_demand_columns: Vec<(u32, String)> = fd_order
            .iter()
            .map(|&c| {
                let (r, cat) = &table.final_demand_columns[c];
                (
                    demand_regions.binary_search(r).unwrap_or(0) as u32,
                    cat.clone(),
                )
            })
            .collect();

        let z = |supplier: usize, buyer: usize| table.z[order[supplier] * n + order[buyer]];
        let industry_output: Vec<f64> = (0..n).map(|i| table.x[order[i]]).collect();
        check_outputs(&industry_output, &table.z, &order, |i| {
            format!("{}|{}", regions[i / n_sectors], sectors[i % n_sectors])
        })
        .map_err(fail)?;

        // Firms and their size shares.
        let mut industry_firms = Vec::with_capacity(n + 1);
        let mut firm_industry = Vec::new();
        let mut firm_share = Vec::new();
        industry_firms.push(0u32);
        for (i, &x) in industry_output.iter().enumerate() {
            let count = if x > 0.0 {
                params.firms_per_industry
            } else {
                0
            };
            let shares = firms::size_shares(count, params.firm_sizes, params.seed, i as u64);
            firm_industry.extend(std::iter::repeat_n(i as u32, count));
            firm_share.extend(shares);
            industry_firms.push(firm_industry.len() as u32);
        }
        let n_firms = firm_industry.len();
        if n_firms > u32::MAX as usize / 2 {
            return Err(fail(format!("{n_firms} firms exceed the supported 2^31")));
        }
        let firm_output: Vec<f64> = (0..n_firms)
            .map(|f| {
                let i = firm_industry[f] as usize;
                if params.firms_per_industry == 1 {
                    industry_output[i]
                } else {
                    industry_output[i] * firm_share[f]
                }
            })
            .collect();

        // Links of every industry pair, balanced, laid out one buyer industry at a time (so
        // that they are never held twice): grouped by buyer, then input sector, then supplier.
        let mut firm_inputs = Vec::with_capacity(n_firms + 1);
        let mut input_sector = Vec::new();
        let mut input_links = Vec::new();
        let mut link_supplier = Vec::new();
        let mut link_flow = Vec::new();
        let firm_sector: Vec<u32> = firm_industry
            .iter()
            .map(|&i| i % n_sectors as u32)
            .collect();
        let sector_of = |firm: u32| firm_sector[firm as usize] as usize;
        let (mut counts, mut sorted) = (Vec::new(), Vec::new());
        for_each_buyer_industry(
            n,
            &industry_firms,
            &firm_share,
            z,
            params.suppliers_per_input,
            params.seed,
            |buyers, links| {
                // by buyer, then input sector (a stable counting sort), then supplier
                let bucket = |link: &Link| {
                    (link.buyer as usize - buyers.start) * n_sectors + sector_of(link.supplier)
                };
                counts.clear();
                counts.resize(buyers.len() * n_sectors + 1, 0);
                for link in links.iter() {
                    counts[bucket(link) + 1] += 1;
                }
                for b in 1..counts.len() {
                    counts[b] += counts[b - 1];
                }
                sorted.clear();
                sorted.resize(links.len(), Link::default());
                let mut next = counts.clone();
                for link in links.iter() {
                    let at = &mut next[bucket(link)];
                    sorted[*at] = *link;
                    *at += 1;
                }
                for b in 0..counts.len() - 1 {
                    let group = &mut sorted[counts[b]..counts[b + 1]];
                    if !group.is_sorted_by_key(|link| link.supplier) {
                        group.sort_unstable_by_key(|link| link.supplier);
                    }
                }
                std::mem::swap(links, &mut sorted);
                let mut cursor = 0;
                for buyer in buyers {
                    firm_inputs.push(input_sector.len() as u32);
                    while cursor < links.len() && links[cursor].buyer as usize == buyer {
                        let sector = sector_of(links[cursor].supplier);
                        input_sector.push(sector as u32);
                        input_links.push(link_supplier.len() as u32);
                        while cursor < links.len()
                            && links[cursor].buyer as usize == buyer
                            && sector_of(links[cursor].supplier) == sector
                        {
                            link_supplier.push(links[cursor].supplier);
                            link_flow.push(links[cursor].flow);
                            cursor += 1;
                        }
                    }
                }
            },
        );
        firm_inputs.push(input_sector.len() as u32);
        input_links.push(link_supplier.len() as u32);

        // Per input: annual purchases and requirement per unit of output. The requirement is
        // summed from per-link coefficients (flow × 1/x), as pymrio's A and BoARIO's I_sum·A do.
        let n_inputs = input_sector.len();
        let mut input_annual = vec![0.0; n_inputs];
        let mut input_per_output = vec![0.0; n_inputs];
        for buyer in 0..n_firms {
            let reciprocal = 1.0 / firm_output[buyer];
            for k in firm_inputs[buyer] as usize..firm_inputs[buyer + 1] as usize {
                let range = input_links[k] as usize..input_links[k + 1] as usize;
                input_annual[k] = link_flow[range.clone()].iter().sum();
                input_per_output[k] = link_flow[range].iter().map(|z| z * reciprocal).sum();
            }
        }

        let (firm_sales, sales_link) = sales_by_supplier(n_firms, &link_supplier);

        // Final demand: each firm takes its size share of its industry's row of Y.
        let mut firm_final_demand = Vec::with_capacity(n_firms + 1);
        let mut final_demand_column = Vec::new();
        let mut final_demand_annual = Vec::new();
        for f in 0..n_firms {
            firm_final_demand.push(final_demand_column.len() as u32);
            let i = firm_industry[f] as usize;
            for (c, &file_c) in fd_order.iter().enumerate() {
                let y = table.y[order[i] * m + file_c];
                if y != 0.0 {
                    final_demand_column.push(c as u32);
                    final_demand_annual.push(if params.firms_per_industry == 1 {
                        y
                    } else {
                        y * firm_share[f]
                    });
                }
            }
        }
        firm_final_demand.push(final_demand_column.len() as u32);
        // the arrays grew by doubling: give back what they do not use (a shrink moves nothing
        // for large arrays, which the allocator maps and remaps)
        for array in [&mut input_sector, &mut input_links, &mut link_supplier] {
            array.shrink_to_fit();
        }
        link_flow.shrink_to_fit();
        final_demand_column.shrink_to_fit();
        final_demand_annual.shrink_to_fit();

        let firm_value_added: Vec<f64> = (0..n_firms)
            .map(|f| {
                let inputs: f64 = input_annual
                    [firm_inputs[f] as usize..firm_inputs[f + 1] as usize]
                    .iter()
                    .sum();
                (firm_output[f] - inputs).max(0.0)
            })
            .collect();
        let firm_capital = firm_value_added
            .iter()
            .map(|va| params.capital_to_value_added * va)
            .collect();

        Ok(Economy {
            regions,
            sectors,
            demand_regions,
            final_demand_columns,
            industry_output,
            industry_firms,
            firm_industry,
            firm_output,
            firm_value_added,
            firm_capital,
            firm_inputs,
            input_sector,
            input_annual,
            input_per_output,
            input_links,
            link_supplier,
            link_flow,
            firm_sales,
            sales_link,
            firm_final_demand,
            final_demand_column,
            final_demand_annual,
            unit: table.unit.clone(),
            default_rating: Vec::new(),
            default_inventory_days: Vec::new(),
            default_region_kinds: Vec::new(),
            region_kinds_file: None,
            region_renames: Vec::new(),
        })
    }

    /// Number of industries.
    pub fn n_industries(&self) -> usize {
        self.industry_output.len()
    }

    /// Number of firms.
    pub fn n_firms(&self) -> usize {
        self.firm_industry.len()
    }

    /// Number of links.
    pub fn n_links(&self) -> usize {
        self.link_supplier.len()
    }

    /// Number of inputs (one per firm and sector it buys from).
    pub fn n_inputs(&self) -> usize {
        self.input_sector.len()
    }

    /// Number of final-demand entries (one per firm and final-demand column it sells to).
    pub fn n_final_demand(&self) -> usize {
        self.final_demand_annual.len()
    }

    /// Sector index of an industry.
    pub fn industry_sector(&self, industry: usize) -> usize {
        industry % self.sectors.len()
    }

    /// Region index of an industry.
    pub fn industry_region(&self, industry: usize) -> usize {
        industry / self.sectors.len()
    }

    /// `region|sector` label of an industry.
    pub fn industry_label(&self, industry: usize) -> String {
        format!(
            "{}|{}",
            self.regions[self.industry_region(industry)],
            self.sectors[self.industry_sector(industry)]
        )
    }

    /// Index of a region by name.
    pub fn region_index(&self, name: &str) -> Option<usize> {
        self.regions.binary_search_by(|r| r.as_str().cmp(name)).ok()
    }

    /// Index of a sector by name.
    pub fn sector_index(&self, name: &str) -> Option<usize> {
        self.sectors.binary_search_by(|s| s.as_str().cmp(name)).ok()
    }

    /// Firms of an industry.
    pub fn firms_of(&self, industry: usize) -> std::ops::Range<usize> {
        self.industry_firms[industry] as usize..self.industry_firms[industry + 1] as usize
    }

    /// The buyer firm of each link, in link order (links are grouped by buyer, so this is
    /// not stored).
    pub fn link_buyers(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.n_firms()).flat_map(move |f| {
            let links = self.input_links[self.firm_inputs[f] as usize]
                ..self.input_links[self.firm_inputs[f + 1] as usize];
            links.map(move |_| f as u32)
        })
    }

    /// A copy whose regular firms hold `capital_to_value_added` × their value added as
    /// productive capital (a variant may change the ratio; the network stays the same).
    pub fn with_capital_to_value_added(&self, capital_to_value_added: f64) -> Economy {
        let mut economy = self.clone();
        economy.firm_capital = economy
            .firm_value_added
            .iter()
            .map(|va| capital_to_value_added * va)
            .collect();
        economy
    }

    /// Firm-level flows summed back to industries: annual `Z` (`n × n`, rows = supplier).
    pub fn aggregate_z(&self) -> Vec<f64> {
        let n = self.n_industries();
        let mut z = vec![0.0; n * n];
        for ((&flow, &supplier), buyer) in self
            .link_flow
            .iter()
            .zip(&self.link_supplier)
            .zip(self.link_buyers())
        {
            let s = self.firm_industry[supplier as usize] as usize;
            let b = self.firm_industry[buyer as usize] as usize;
            z[s * n + b] += flow;
        }
        z
    }

    /// Firm-level final demand summed back to industries: annual `Y` (`n × m`, sorted columns).
    pub fn aggregate_y(&self) -> Vec<f64> {
        let m = self.final_demand_columns.len();
        let mut y = vec![0.0; self.n_industries() * m];
        for f in 0..self.n_firms() {
            let i = self.firm_industry[f] as usize;
            for e in self.firm_final_demand[f] as usize..self.firm_final_demand[f + 1] as usize {
                y[i * m + self.final_demand_column[e] as usize] += self.final_demand_annual[e];
            }
        }
        y
    }

    /// Firm output summed back to industries: annual `x`.
    pub fn aggregate_x(&self) -> Vec<f64> {
        let mut x = vec![0.0; self.n_industries()];
        for (f, &output) in self.firm_output.iter().enumerate() {
            x[self.firm_industry[f] as usize] += output;
        }
        x
    }

    /// Each firm's annual sales (links + final demand); equals its output in a balanced economy.
    pub fn firm_sales_total(&self) -> Vec<f64> {
        (0..self.n_firms())
            .map(|f| {
                let links: f64 = self.sales_link
                    [self.firm_sales[f] as usize..self.firm_sales[f + 1] as usize]
                    .iter()
                    .map(|&l| self.link_flow[l as usize])
                    .sum();
                let fd: f64 = self.final_demand_annual
                    [self.firm_final_demand[f] as usize..self.firm_final_demand[f + 1] as usize]
                    .iter()
                    .sum();
                links + fd
            })
            .collect()
    }
}

/// Relative shortfall of value added below zero that is taken for rounding, not refused.
const VALUE_ADDED_TOLERANCE: f64 = 1e-9;

/// `v` as written, or in scientific notation when it is very large or small.
fn shown(v: f64) -> String {
    if v == 0.0 || (1e-6..1e9).contains(&v.abs()) {
        v.to_string()
    } else {
        format!("{v:e}")
    }
}

/// Every industry's gross output is `>= 0` and covers its inputs (value added `>= 0`, up to
/// rounding), and some industry produces: otherwise the table cannot be a baseline.
fn check_outputs(
    output: &[f64],
    z: &[f64],
    order: &[usize],
    label: impl Fn(usize) -> String,
) -> Result<(), String> {
    let n = output.len();
    // the inputs of each industry: Z's column sums, summed row by row (in file order)
    let mut inputs = vec![0.0; n];
    for row in z.chunks_exact(n.max(1)) {
        for (total, &flow) in inputs.iter_mut().zip(row) {
            *total += flow;
        }
    }
    for (i, &x) in output.iter().enumerate() {
        if x < 0.0 {
            return Err(format!(
                "industry {} has gross output {} (Z row sum + Y row sum): expected >= 0",
                label(i),
                shown(x)
            ));
        }
        let inputs = inputs[order[i]];
        if x > 0.0 && x - inputs < -VALUE_ADDED_TOLERANCE * x {
            return Err(format!(
                "industry {} buys inputs of {} (its Z column) but produces only {}: value added \
                 would be negative",
                label(i),
                shown(inputs),
                shown(x)
            ));
        }
    }
    if !output.iter().any(|&x| x > 0.0) {
        return Err("no industry produces anything: every gross output is 0".into());
    }
    Ok(())
}

impl Economy {
    /// This economy with the input defaults of its MRIO folder (`criticality.csv`,
    /// `inventory_days.csv`); a sector they name must be a sector of the table.
    pub fn with_input_defaults(
        mut self,
        defaults: &InputDefaults,
        params: &EconomyParams,
    ) -> Result<Economy, EconomyError> {
        let n = self.sectors.len();
        let sector = |name: &str, file: &str| {
            self.sector_index(name).ok_or_else(|| EconomyError {
                path: params.mrio_dir.join(file),
                message: format!(
                    "sector {name:?} is not a sector of the table; sectors: {}",
                    self.sectors.join(", ")
                ),
            })
        };
        let mut critical = Vec::new();
        if !defaults.criticality.is_empty() {
            critical = vec![None; n * n];
            for (input, buyer, rating) in &defaults.criticality {
                let (s, b) = (
                    sector(input, mrio::CRITICALITY_FILE)?,
                    sector(buyer, mrio::CRITICALITY_FILE)?,
                );
                critical[b * n + s] = Some(*rating);
            }
        }
        let mut days = Vec::new();
        if !defaults.inventory_days.is_empty() {
            days = vec![None; n];
            for (input, value) in &defaults.inventory_days {
                days[sector(input, mrio::INVENTORY_DAYS_FILE)?] = Some(*value);
            }
        }
        let mut kinds = Vec::new();
        if !defaults.region_kinds.is_empty() {
            let file = params.mrio_dir.join(mrio::REGIONS_FILE);
            kinds = vec![None; self.regions.len()];
            for (name, kind) in &defaults.region_kinds {
                let r = self.region_index(name).ok_or_else(|| EconomyError {
                    path: file.clone(),
                    message: format!(
                        "region {name:?} is not a region of the table; regions: {}",
                        self.regions.join(", ")
                    ),
                })?;
                kinds[r] = Some(*kind);
            }
            self.region_kinds_file = Some(file);
        }
        self.region_renames = defaults.region_renames.clone();
        self.default_rating = critical;
        self.default_inventory_days = days;
        self.default_region_kinds = kinds;
        Ok(self)
    }
}

/// Build the economy a model asks for: load an MRIO folder and disaggregate it into firms, or
/// generate a synthetic firm network.
pub fn build(def: &EconomyDef) -> Result<Economy, crate::Error> {
    build_checked(def, |_| Ok(()))
}

/// [`build`], calling `check` with the economy's size once it is known and before anything
/// large is allocated: before drawing a synthetic network, after loading an MRIO table and
/// before disaggregating it. An error from `check` stops the build.
pub fn build_checked(
    def: &EconomyDef,
    check: impl FnOnce(&Sizer) -> Result<(), crate::Error>,
) -> Result<Economy, crate::Error> {
    match def {
        EconomyDef::Mrio(params) => {
            let table = load_mrio(&params.mrio_dir)?;
            let defaults = read_input_defaults(&params.mrio_dir)?;
            check(&Sizer::of_table(&table))?;
            Ok(Economy::from_mrio(&table, params)?.with_input_defaults(&defaults, params)?)
        }
        EconomyDef::Synthetic(params) => {
            check(&Sizer::synthetic())?;
            Ok(synthetic_firms(params)?)
        }
    }
}

/// The CSR of sales by supplier (`firm_sales`, `sales_link`), each firm's sales in link
/// order, by counting sort.
pub(crate) fn sales_by_supplier(n_firms: usize, link_supplier: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let mut firm_sales = vec![0u32; n_firms + 1];
    for &s in link_supplier {
        firm_sales[s as usize + 1] += 1;
    }
    for f in 0..n_firms {
        firm_sales[f + 1] += firm_sales[f];
    }
    let mut fill = firm_sales.clone();
    let mut sales_link = vec![0u32; link_supplier.len()];
    for (l, &s) in link_supplier.iter().enumerate() {
        sales_link[fill[s as usize] as usize] = l as u32;
        fill[s as usize] += 1;
    }
    (firm_sales, sales_link)
}

impl FirmSizes {
    /// Draw one unnormalised firm size.
    pub(crate) fn draw(self, rng: &mut impl rand::Rng) -> f64 {
        use rand::RngExt;
        match self {
            FirmSizes::Equal => 1.0,
            FirmSizes::LogNormal { sigma } => {
                let normal: f64 = rng.sample(rand_distr::StandardNormal);
                (sigma.get() * normal).exp()
            }
            FirmSizes::Pareto { shape } => {
                let u: f64 = rng.random::<f64>();
                (1.0 - u).powf(-1.0 / shape.get())
            }
        }
    }
}
