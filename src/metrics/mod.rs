//! Daily records: firm state summed (or output-weighted) to industries, one row per day.

use crate::economy::Economy;
use crate::engine::Simulation;
use crate::scenario::RecordKind;

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
}

impl Recorder {
    /// A recorder for `kinds` over `days` days.
    pub fn new(economy: &Economy, kinds: &[RecordKind], days: usize) -> Recorder {
        let industries: Vec<String> = (0..economy.n_industries())
            .map(|i| economy.industry_label(i))
            .collect();
        let records = kinds
            .iter()
            .map(|&kind| {
                let columns = match kind {
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
        Recorder {
            records,
            industry_weight,
            entry_region,
        }
    }

    /// Append the state of the day just stepped.
    pub fn record(&mut self, sim: &Simulation) {
        let economy = sim.economy();
        for index in 0..self.records.len() {
            let kind = self.records[index].kind;
            match kind {
                RecordKind::ProductionRealised => self.push_sum(index, economy, sim.production()),
                RecordKind::ProductionCapacity => self.push_sum(index, economy, sim.capacity()),
                RecordKind::IntermediateDemand => {
                    self.push_sum(index, economy, sim.orders_received())
                }
                RecordKind::Overproduction => self.push_weighted(index, economy, sim.alpha()),
                RecordKind::CapacityLoss => self.push_weighted(index, economy, sim.capacity_loss()),
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
