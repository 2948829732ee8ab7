//! Per-run metrics (MODEL.md §7) and their statistics across runs, for each variant.
//!
//! Everything is about **domestic** value added (regions not `Foreign`), backup units
//! included. A day's value added of a firm is its production × its value-added share; the
//! baseline is day 0 (shocks start on day 1 or later).
//!
//! | metric | unit | definition |
//! |---|---|---|
//! | `va_loss_pct` | % | value-added loss over the run, % of annual baseline value added |
//! | `va_loss_days` | days | the same loss in days of baseline value added |
//! | `trough` | ratio | lowest daily value added / baseline |
//! | `trough_day` | day | first day of the trough |
//! | `recovery_days_95`, `recovery_days_99` | days | from the trough to the day value added is back at 95 % / 99 % of baseline for good (empty: not recovered) |
//! | `unmet_final_demand` | money | final demand of domestic regions not served, summed over days |
//! | `direct_loss` | days | capacity removed from shocked firms (Δ × baseline output × value-added share), in days of baseline value added |
//! | `indirect_loss` | days | `va_loss_days − direct_loss`: the loss that spread through the network (negative when the network absorbed part of the direct loss) |
//! | `amplification` | ratio | `va_loss_days / direct_loss` (empty when there is no direct loss) |
//! | `backup_output` | money | output of all backup units over the run |
//! | `holding_cost` | money | holding cost of all backups over the run |
//! | `loss_avoided` | days | `va_loss_days` of the variant "no policies" in the same run minus this variant's (empty without policies) |
//!
//! Across runs (`summary.csv`): n (runs with a value: for `recovery_days_*`, the runs that
//! recovered), mean, standard error, type-7 quantiles, and VaR95 / CVaR95 of the bad tail —
//! the upper tail (95 % quantile, mean at or above it) for losses, days and costs, the lower
//! tail (5 % quantile, mean at or below it) for `trough` and `loss_avoided`. A variant that
//! changes `dynamics.*` is compared, for `loss_avoided`, with "no policies" under the base
//! dynamics: its difference mixes the policy with the dynamics.

use super::Record;
use super::series::{RunMetrics, direct_indirect};
use super::stats::{Summary, daily_bands, summarize};
use crate::economy::{DAILY, Economy, RegionKinds};
use crate::kinds::RecordKind;

/// The records the metrics are computed from, whatever the scenario asks to write.
pub const NEEDED_RECORDS: [RecordKind; 5] = [
    RecordKind::ValueAdded,
    RecordKind::FinalDemandUnmet,
    RecordKind::CapacityLoss,
    RecordKind::BackupOutput,
    RecordKind::BackupState,
];

/// Metric names, in file order.
pub const METRICS: [&str; 13] = [
    "va_loss_pct",
    "va_loss_days",
    "trough",
    "trough_day",
    "recovery_days_95",
    "recovery_days_99",
    "unmet_final_demand",
    "direct_loss",
    "indirect_loss",
    "amplification",
    "backup_output",
    "holding_cost",
    "loss_avoided",
];

/// Metrics for which a higher value is better: their VaR95 and CVaR95 describe the lower tail.
pub const HIGHER_IS_BETTER: [&str; 2] = ["trough", "loss_avoided"];

/// What the ensemble keeps of one run (a few daily series and the metrics, not the records).
#[derive(Debug, Clone, PartialEq)]
pub struct RunSummary {
    /// Metric values in [`METRICS`] order (`None`: not recovered / not applicable).
    pub metrics: [Option<f64>; 13],
    /// Domestic value added per day / baseline.
    pub national: Vec<f64>,
    /// Per region: value added per day / its baseline.
    pub regions: Vec<Vec<f64>>,
    /// Per sector (domestic): value added per day / its baseline.
    pub sectors: Vec<Vec<f64>>,
    /// Backup output per day (money).
    pub backup_output: Vec<f64>,
    /// Share of backup units producing (ramping or active) per day.
    pub backup_active: Vec<f64>,
    /// Per demand region: final demand not served per day (money).
    pub unmet: Vec<Vec<f64>>,
    /// Per industry: value-added loss over the run, % of its baseline.
    pub industry_loss_pct: Vec<f64>,
}

/// Labels the summaries refer to.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Region names.
    pub regions: Vec<String>,
    /// Sector names.
    pub sectors: Vec<String>,
    /// Demand region names.
    pub demand_regions: Vec<String>,
    domestic: Vec<bool>,
    domestic_demand: Vec<bool>,
    /// Baseline daily output × value-added share of each industry (money per day).
    va_rate: Vec<f64>,
}

impl Layout {
    /// The layout of an economy whose regions have `kinds`.
    pub fn new(economy: &Economy, kinds: &RegionKinds) -> Layout {
        let domestic = kinds.domestic();
        let domestic_demand = economy
            .demand_regions
            .iter()
            .map(|r| economy.region_index(r).is_some_and(|i| domestic[i]))
            .collect();
        let va_rate = (0..economy.n_industries())
            .map(|i| {
                economy
                    .firms_of(i)
                    .map(|f| economy.firm_value_added[f])
                    .sum::<f64>()
                    * DAILY
            })
            .collect();
        Layout {
            regions: economy.regions.clone(),
            sectors: economy.sectors.clone(),
            demand_regions: economy.demand_regions.clone(),
            domestic,
            domestic_demand,
            va_rate,
        }
    }

    /// Summarise one run from its records (`value_added`, `final_demand_unmet`,
    /// `capacity_loss`, and `backup_output` when there are backups) and its policies' totals.
    pub fn summarize_run(
        &self,
        records: &[Record],
        backup_output: f64,
        holding_cost: f64,
    ) -> RunSummary {
        let find = |stem: &str| records.iter().find(|r| r.kind.file_stem() == stem);
        let n_sectors = self.sectors.len();
        let mut metrics = [None; 13];
        let (mut national, mut regions, mut sectors, mut industry_loss_pct) = (
            Vec::new(),
            vec![Vec::new(); self.regions.len()],
            vec![Vec::new(); n_sectors],
            Vec::new(),
        );
        let mut national_baseline = 0.0;
        if let Some(va) = find("value_added") {
            let days = va.days();
            let mut money = Vec::with_capacity(days);
            let mut region_money = vec![vec![0.0; days]; self.regions.len()];
            let mut sector_money = vec![vec![0.0; days]; n_sectors];
            for d in 0..days {
                let row = va.row(d);
                let mut total = 0.0;
                for (i, &v) in row.iter().enumerate() {
                    let (r, s) = (i / n_sectors, i % n_sectors);
                    region_money[r][d] += v;
                    if self.domestic[r] {
                        total += v;
                        sector_money[s][d] += v;
                    }
                }
                money.push(total);
            }
            national_baseline = money.first().copied().unwrap_or(0.0);
            let ratio = |series: &[f64]| -> Vec<f64> {
                let base = series.first().copied().unwrap_or(0.0);
                series
                    .iter()
                    .map(|v| if base > 0.0 { v / base } else { 1.0 })
                    .collect()
            };
            national = ratio(&money);
            regions = region_money.iter().map(|s| ratio(s)).collect();
            sectors = sector_money.iter().map(|s| ratio(s)).collect();
            industry_loss_pct = (0..va.columns.len())
                .map(|i| {
                    let base = va.row(0)[i];
                    if base > 0.0 && days > 0 {
                        100.0 * (0..days).map(|d| base - va.row(d)[i]).sum::<f64>()
                            / (days as f64 * base)
                    } else {
                        0.0
                    }
                })
                .collect();
            if let Some(run) = RunMetrics::from_series(&money, national_baseline) {
                metrics[0] = Some(run.va_loss_pct);
                metrics[1] = Some(run.va_loss_days);
                metrics[2] = Some(run.trough);
                metrics[3] = Some(f64::from(run.trough_day));
                metrics[4] = run.recovery_days_95.map(f64::from);
                metrics[5] = run.recovery_days_99.map(f64::from);
            }
        }
        let mut unmet = vec![Vec::new(); self.demand_regions.len()];
        if let Some(record) = find("final_demand_unmet") {
            let mut total = 0.0;
            for (r, series) in unmet.iter_mut().enumerate() {
                *series = (0..record.days())
                    .map(|d| {
                        record.row(d)[r * n_sectors..(r + 1) * n_sectors]
                            .iter()
                            .sum::<f64>()
                    })
                    .collect();
                if self.domestic_demand[r] {
                    total += series.iter().sum::<f64>();
                }
            }
            metrics[6] = Some(total);
        }
        if let (Some(record), Some(total)) = (find("capacity_loss"), metrics[1])
            && national_baseline > 0.0
        {
            let mut direct = 0.0;
            for d in 0..record.days() {
                for (i, &delta) in record.row(d).iter().enumerate() {
                    if self.domestic[i / n_sectors] {
                        direct += delta * self.va_rate[i];
                    }
                }
            }
            let direct = direct / national_baseline;
            let (indirect, amplification) = direct_indirect(direct, total);
            metrics[7] = Some(direct);
            metrics[8] = Some(indirect);
            metrics[9] = amplification;
        }
        let backup_series = find("backup_output")
            .map(|r| (0..r.days()).map(|d| r.row(d).iter().sum()).collect())
            .unwrap_or_default();
        // state codes: 0 standby, 1 activating, 2 ramping, 3 active
        let backup_active = find("backup_state")
            .map(|r| {
                let units = r.columns.len().max(1) as f64;
                (0..r.days())
                    .map(|d| r.row(d).iter().filter(|&&s| s >= 2.0).count() as f64 / units)
                    .collect()
            })
            .unwrap_or_default();
        metrics[10] = Some(backup_output);
        metrics[11] = Some(holding_cost);
        RunSummary {
            metrics,
            national,
            regions,
            sectors,
            backup_output: backup_series,
            backup_active,
            unmet,
            industry_loss_pct,
        }
    }
}

/// Set `loss_avoided` of each run of a variant against the same run of the reference variant.
pub fn set_loss_avoided(runs: &mut [RunSummary], reference: &[RunSummary]) {
    for (run, base) in runs.iter_mut().zip(reference) {
        run.metrics[12] = match (base.metrics[1], run.metrics[1]) {
            (Some(without), Some(with)) => Some(without - with),
            _ => None,
        };
    }
}

/// `(metric, statistics over runs)` in [`METRICS`] order.
pub type MetricStatistics = Vec<(&'static str, Option<Summary>)>;

/// Statistics of every metric over a variant's runs (`None` where no run has a value).
pub fn summarize_metrics(runs: &[RunSummary]) -> MetricStatistics {
    METRICS
        .iter()
        .enumerate()
        .map(|(m, name)| {
            let sample: Vec<f64> = runs
                .iter()
                .filter_map(|r| r.metrics[m])
                .filter(|v| v.is_finite())
                .collect();
            let mut summary = summarize(&sample);
            if HIGHER_IS_BETTER.contains(name)
                && let Some(s) = &mut summary
            {
                // the bad tail is the lower one: VaR95 is the 5 % quantile, CVaR95 the mean of
                // the runs at or below it
                s.var95 = s.p05;
                let tail: Vec<f64> = sample.iter().copied().filter(|v| *v <= s.p05).collect();
                s.cvar95 = tail.iter().sum::<f64>() / tail.len().max(1) as f64;
            }
            (*name, summary)
        })
        .collect()
}

/// Daily quantile bands of one variant: `(series name, per day [p05, p25, p50, p75, p95], per
/// day mean)`.
pub type Bands = Vec<(String, Vec<[f64; 5]>, Vec<f64>)>;

/// Daily quantile bands of the series kept of each run.
pub fn bands(layout: &Layout, runs: &[RunSummary]) -> Bands {
    let mut out = Vec::new();
    let mut push = |name: String, series: Vec<&[f64]>| {
        if series.is_empty() || series[0].is_empty() {
            return;
        }
        let days = series[0].len();
        let mean = (0..days)
            .map(|d| {
                series
                    .iter()
                    .map(|s| s.get(d).copied().unwrap_or(f64::NAN))
                    .sum::<f64>()
                    / series.len() as f64
            })
            .collect();
        out.push((name, daily_bands(&series), mean));
    };
    push(
        "national".into(),
        runs.iter().map(|r| r.national.as_slice()).collect(),
    );
    for (i, name) in layout.regions.iter().enumerate() {
        push(
            format!("region:{name}"),
            runs.iter().map(|r| r.regions[i].as_slice()).collect(),
        );
    }
    for (i, name) in layout.sectors.iter().enumerate() {
        push(
            format!("sector:{name}"),
            runs.iter().map(|r| r.sectors[i].as_slice()).collect(),
        );
    }
    push(
        "backup_output".into(),
        runs.iter().map(|r| r.backup_output.as_slice()).collect(),
    );
    push(
        "backup_active".into(),
        runs.iter().map(|r| r.backup_active.as_slice()).collect(),
    );
    for (i, name) in layout.demand_regions.iter().enumerate() {
        push(
            format!("unmet_final_demand:{name}"),
            runs.iter()
                .map(|r| r.unmet.get(i).map_or(&[][..], |s| s.as_slice()))
                .collect(),
        );
    }
    out
}

/// Mean over runs of each industry's value-added loss (% of its baseline).
pub fn mean_industry_loss(runs: &[RunSummary]) -> Vec<f64> {
    let n = runs.first().map_or(0, |r| r.industry_loss_pct.len());
    (0..n)
        .map(|i| runs.iter().map(|r| r.industry_loss_pct[i]).sum::<f64>() / runs.len() as f64)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_with(trough: f64, loss: f64) -> RunSummary {
        let mut metrics = [None; 13];
        metrics[1] = Some(loss);
        metrics[2] = Some(trough);
        RunSummary {
            metrics,
            national: Vec::new(),
            regions: Vec::new(),
            sectors: Vec::new(),
            backup_output: Vec::new(),
            backup_active: Vec::new(),
            unmet: Vec::new(),
            industry_loss_pct: Vec::new(),
        }
    }

    #[test]
    fn risk_measures_describe_the_bad_tail() {
        // 20 runs: troughs 0.60..0.79, losses 1..20 days
        let runs: Vec<RunSummary> = (0..20)
            .map(|k| run_with(0.60 + 0.01 * k as f64, 1.0 + k as f64))
            .collect();
        let stats = summarize_metrics(&runs);
        let get = |name: &str| stats.iter().find(|s| s.0 == name).unwrap().1.unwrap();
        let loss = get("va_loss_days");
        assert!((loss.var95 - 19.05).abs() < 1e-9); // upper tail: the 95 % quantile
        assert_eq!(loss.cvar95, 20.0);
        let trough = get("trough");
        assert!((trough.var95 - trough.p05).abs() < 1e-15); // lower tail
        assert!((trough.var95 - 0.6095).abs() < 1e-9);
        assert!((trough.cvar95 - 0.60).abs() < 1e-12); // the one run at or below it
    }
}
