//! Daily records: firm state summed (or output-weighted) to industries, one row per day.
//!
//! Backup units count in the industry (region × sector) where they stand for production,
//! capacity and value added; their state and output also have records of their own.
//! Value added of a firm on a day is its production × its value-added share (baseline value
//! added / baseline output; for a backup unit, 1 − its input requirements).

pub mod catalogue;
pub mod ensemble;
mod memory;
pub mod robustness;
pub mod series;
pub mod stats;

use crate::economy::{DAILY, Economy};
use crate::engine::Simulation;
use crate::kinds::RecordKind;
use crate::policy::Policies;

pub use memory::{records_bytes, summary_bytes};

/// One daily record: a column label per series and one row of values per day.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Which record.
    pub kind: RecordKind,
    /// Column labels (`region|sector`).
    pub columns: Vec<String>,
    /// `days × columns` values, row-major.
    pub values: Vec<f64>,
}

impl Record {
    /// Values of day `day`.
    pub fn row(&self, day: usize) -> &[f64] {
        let n = self.columns.len();
        &self.values[day * n..(day + 1) * n]
    }

    /// Number of days recorded.
    pub fn days(&self) -> usize {
        self.values
            .len()
            .checked_div(self.columns.len())
            .unwrap_or(0)
    }
}

/// Collects the requested records day by day.
#[derive(Debug, Clone)]
pub struct Recorder {
    records: Vec<Record>,
    /// Baseline output of each industry's firms summed (for output-weighted means).
    industry_weight: Vec<f64>,
    /// Final-demand region of each final-demand entry of the economy.
    entry_region: Vec<u32>,
    /// Value added per unit of output of each firm.
    value_added_share: Vec<f64>,
    /// `(firm, industry)` of each backup unit.
    units: Vec<(usize, usize)>,
    /// The link shocks' blocked shares the last `inputs_blocked` row was computed for, and
    /// that row: the row changes only when a block does, so the pass over every link is
    /// made on those days only.
    blocked: (Vec<f64>, Vec<f64>),
}

impl Recorder {
    /// A recorder for `kinds` over `days` days.
    pub fn new(economy: &Economy, kinds: &[RecordKind], days: usize) -> Recorder {
        Recorder::with_policies(economy, kinds, days, &Policies::default())
    }

    /// A recorder that also follows backup units and reserves. Backup and reserve records are
    /// left out when the scenario has none.
    pub fn with_policies(
        economy: &Economy,
        kinds: &[RecordKind],
        days: usize,
        policies: &Policies,
    ) -> Recorder {
        let unit_labels: Vec<String> = policies
            .backups
            .iter()
            .flat_map(|b| {
                let n = b.firms.len();
                (0..n).map(move |i| {
                    if n == 1 {
                        b.name.clone()
                    } else {
                        format!("{}#{}", b.name, i + 1)
                    }
                })
            })
            .collect();
        let reserve_labels: Vec<String> =
            policies.reserves.iter().map(|r| r.name.clone()).collect();
        let industries: Vec<String> = (0..economy.n_industries())
            .map(|i| economy.industry_label(i))
            .collect();
        let records = kinds
            .iter()
            .filter(|kind| match kind {
                RecordKind::BackupState | RecordKind::BackupOutput => !unit_labels.is_empty(),
                RecordKind::ReserveStock => !reserve_labels.is_empty(),
                _ => true,
            })
            .map(|&kind| {
                let columns = match kind {
                    RecordKind::BackupState | RecordKind::BackupOutput => unit_labels.clone(),
                    RecordKind::ReserveStock => reserve_labels.clone(),
                    RecordKind::FinalDemandUnmet => economy
                        .demand_regions
                        .iter()
                        .flat_map(|r| economy.sectors.iter().map(move |s| format!("{r}|{s}")))
                        .collect(),
                    _ => industries.clone(),
                };
                Record {
                    kind,
                    values: Vec::with_capacity(days * columns.len()),
                    columns,
                }
            })
            .collect();
        let mut industry_weight = vec![0.0; economy.n_industries()];
        for (f, &x) in economy.firm_output.iter().enumerate() {
            industry_weight[economy.firm_industry[f] as usize] += x;
        }
        let entry_region = economy
            .final_demand_column
            .iter()
            .map(|&c| economy.final_demand_columns[c as usize].0)
            .collect();
        let value_added_share = (0..economy.n_firms())
            .map(|f| {
                if economy.firm_output[f] > 0.0 {
                    economy.firm_value_added[f] / economy.firm_output[f]
                } else {
                    let inputs: f64 = economy.input_per_output
                        [economy.firm_inputs[f] as usize..economy.firm_inputs[f + 1] as usize]
                        .iter()
                        .sum();
                    (1.0 - inputs).max(0.0)
                }
            })
            .collect();
        let mut value_added_share: Vec<f64> = value_added_share;
        for backup in &policies.backups {
            for &f in &backup.firms {
                if let Some(share) = value_added_share.get_mut(f as usize) {
                    *share = backup.value_added_share;
                }
            }
        }
        let units = (economy.n_regular_firms()..economy.n_firms())
            .map(|f| (f, economy.firm_industry[f] as usize))
            .collect();
        Recorder {
            records,
            industry_weight,
            entry_region,
            value_added_share,
            units,
            blocked: (Vec::new(), Vec::new()),
        }
    }

    /// Append the state of the day just stepped.
    pub fn record(&mut self, sim: &Simulation) {
        let economy = sim.economy();
        for index in 0..self.records.len() {
            let kind = self.records[index].kind;
            match kind {
                RecordKind::ProductionRealised => {
                    self.push_sum(index, economy, sim.production());
                    self.add_units(index, economy, |f| sim.production()[f]);
                }
                RecordKind::ProductionCapacity => {
                    self.push_sum(index, economy, sim.capacity());
                    self.add_units(index, economy, |f| sim.capacity()[f]);
                }
                RecordKind::ValueAdded => {
                    let share = &self.value_added_share;
                    let value_added: Vec<f64> = sim
                        .production()
                        .iter()
                        .zip(share)
                        .map(|(x, s)| x * s)
                        .collect();
                    self.push_sum(index, economy, &value_added);
                    self.add_units(index, economy, |f| value_added[f]);
                }
                RecordKind::BackupState | RecordKind::BackupOutput => {
                    let Some(policy) = sim.policy() else { continue };
                    let record = &mut self.records[index];
                    for backup in &policy.policies().backups {
                        let b = policy
                            .policies()
                            .backups
                            .iter()
                            .position(|x| std::ptr::eq(x, backup))
                            .unwrap_or(0);
                        for &f in &backup.firms {
                            record.values.push(if kind == RecordKind::BackupState {
                                f64::from(policy.backups[b].state as u8)
                            } else {
                                sim.production()[f as usize]
                            });
                        }
                    }
                }
                RecordKind::ReserveStock => {
                    let Some(policy) = sim.policy() else { continue };
                    self.records[index]
                        .values
                        .extend_from_slice(&policy.reserve_stock);
                }
                RecordKind::IntermediateDemand => {
                    self.push_sum(index, economy, sim.orders_received())
                }
                RecordKind::Overproduction => self.push_weighted(index, economy, sim.alpha()),
                RecordKind::CapacityLoss => self.push_weighted(index, economy, sim.capacity_loss()),
                RecordKind::InputsBlocked => self.push_blocked(index, economy, sim),
                RecordKind::FinalDemandUnmet => self.push_unmet(index, economy, sim),
            }
        }
    }

    /// The records collected so far.
    pub fn into_records(self) -> Vec<Record> {
        self.records
    }

    fn push_sum(&mut self, index: usize, economy: &Economy, firm_values: &[f64]) {
        let record = &mut self.records[index];
        for i in 0..economy.n_industries() {
            let firms = economy.firms_of(i);
            let value = if firms.len() == 1 {
                firm_values[firms.start]
            } else {
                firm_values[firms].iter().sum()
            };
            record.values.push(value);
        }
    }

    /// Add backup units' values to the industry columns of the row just pushed.
    fn add_units(&mut self, index: usize, economy: &Economy, value: impl Fn(usize) -> f64) {
        if self.units.is_empty() {
            return;
        }
        let record = &mut self.records[index];
        let start = record.values.len() - economy.n_industries();
        for &(f, industry) in &self.units {
            record.values[start + industry] += value(f);
        }
    }

    fn push_weighted(&mut self, index: usize, economy: &Economy, firm_values: &[f64]) {
        let record = &mut self.records[index];
        for i in 0..economy.n_industries() {
            let firms = economy.firms_of(i);
            let value = match firms.len() {
                0 => 0.0,
                1 => firm_values[firms.start],
                _ => {
                    let weighted: f64 = firms
                        .clone()
                        .map(|f| firm_values[f] * economy.firm_output[f])
                        .sum();
                    weighted / self.industry_weight[i]
                }
            };
            record.values.push(value);
        }
    }

    /// Per buying industry: the baseline daily value of its firms' inputs on blocked links.
    fn push_blocked(&mut self, index: usize, economy: &Economy, sim: &Simulation) {
        let (key, row) = &mut self.blocked;
        if row.is_empty() || key.as_slice() != sim.link_blocks() {
            key.clear();
            key.extend_from_slice(sim.link_blocks());
            *row = blocked_inputs(economy, sim.link_open());
        }
        self.records[index].values.extend_from_slice(row);
    }
}

/// Per buying industry, the baseline daily value of its firms' inputs on links that are
/// `open` only in part (all zeros when `open` is empty: no link shocks).
fn blocked_inputs(economy: &Economy, open: &[f64]) -> Vec<f64> {
    let mut row = vec![0.0; economy.n_industries()];
    if !open.is_empty() {
        for f in 0..economy.n_firms() {
            let mut blocked = 0.0;
            for k in economy.firm_inputs[f] as usize..economy.firm_inputs[f + 1] as usize {
                let links = economy.input_links[k] as usize..economy.input_links[k + 1] as usize;
                for (&z, &o) in economy.link_flow[links.clone()].iter().zip(&open[links]) {
                    blocked += (z * DAILY) * (1.0 - o);
                }
            }
            row[economy.firm_industry[f] as usize] += blocked;
        }
    }
    row
}

impl Recorder {
    fn push_unmet(&mut self, index: usize, economy: &Economy, sim: &Simulation) {
        let n_sectors = economy.sectors.len();
        let record = &mut self.records[index];
        let start = record.values.len();
        record.values.resize(start + record.columns.len(), 0.0);
        let row = &mut record.values[start..];
        let mut entry = 0;
        let mut unmet = sim.final_demand_unmet();
        for f in 0..economy.n_firms() {
            let sector = economy.industry_sector(economy.firm_industry[f] as usize);
            for _ in economy.firm_final_demand[f]..economy.firm_final_demand[f + 1] {
                let value = unmet.next().unwrap_or(0.0);
                row[self.entry_region[entry] as usize * n_sectors + sector] += value;
                entry += 1;
            }
        }
    }
}
