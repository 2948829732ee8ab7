//! Per-run metrics and their statistics across runs, for each variant. The metrics themselves
//! are defined in [`super::catalogue`].
//!
//! Across runs (`summary.csv`): n (runs with a value: for `recovery_days_*`, the runs that
//! recovered), mean, standard error, type-7 quantiles, and VaR95 / CVaR95 of the bad tail —
//! the upper tail (95 % quantile, mean at or above it) for metrics where higher is worse, the
//! lower tail (5 % quantile, mean at or below it) for the others (`trough`, `loss_avoided`).
//! `loss_avoided` compares a variant with "no policies" in the same run only when the variant
//! changes nothing but backups and reserves.

use super::Record;
use super::catalogue::{CATALOGUE, RunFacts, Values};
use super::series::RunMetrics;
use super::stats::{Summary, daily_bands, summarize};
use crate::economy::{DAILY, Economy, RegionKinds};
use crate::kinds::RecordKind;

/// The records the metrics are computed from, whatever the scenario asks to write.
pub const NEEDED_RECORDS: [RecordKind; 7] = [
    RecordKind::ValueAdded,
    RecordKind::FinalDemandUnmet,
    RecordKind::CapacityLoss,
    RecordKind::InputsBlocked,
    RecordKind::BackupOutput,
    RecordKind::BackupState,
    RecordKind::ReserveStock,
];

/// The `daily.csv` series of a variant's national value added minus that of "no policies" in
/// the same run (ratio to baseline), for the variants `loss_avoided` compares.
pub const NATIONAL_VS_NO_POLICIES: &str = "national_vs_no_policies";

/// What the ensemble keeps of one run (a few daily series and the metrics, not the records).
#[derive(Debug, Clone, PartialEq)]
pub struct RunSummary {
    /// Its metrics.
    pub metrics: Values,
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
    /// Stock of every strategic reserve per day, summed (money; empty without reserves).
    pub reserve_stock: Vec<f64>,
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
    /// Whether each region is domestic (not `Foreign`).
    pub domestic: Vec<bool>,
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

    /// A layout of labels only (everything domestic, no value added): for tests that make
    /// summaries by hand.
    #[doc(hidden)]
    pub fn from_labels(regions: &[&str], sectors: &[&str], demand_regions: &[&str]) -> Layout {
        let strings = |names: &[&str]| names.iter().map(|n| n.to_string()).collect();
        Layout {
            regions: strings(regions),
            sectors: strings(sectors),
            demand_regions: strings(demand_regions),
            domestic: vec![true; regions.len()],
            domestic_demand: vec![true; demand_regions.len()],
            va_rate: vec![0.0; regions.len() * sectors.len()],
        }
    }

    /// Summarise one run from its records (`value_added`, `final_demand_unmet`,
    /// `capacity_loss`, and `backup_output` when there are backups) and its policies' totals
    /// (backup output, holding and activation costs, money).
    pub fn summarize_run(
        &self,
        records: &[Record],
        backup_output: f64,
        holding_cost: f64,
        activation_cost: f64,
    ) -> RunSummary {
        let find = |stem: &str| records.iter().find(|r| r.kind.file_stem() == stem);
        let n_sectors = self.sectors.len();
        let mut facts = RunFacts {
            backup_output,
            holding_cost,
            activation_cost,
            ..RunFacts::default()
        };
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
            facts.series = RunMetrics::from_series(&money, national_baseline);
            facts.baseline_va = Some(national_baseline);
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
            facts.unmet_final_demand = Some(total);
        }
        if let (Some(record), Some(_)) = (find("capacity_loss"), facts.series)
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
            // link shocks (cut-offs, closed routes): the value of the inputs domestic buyers
            // cannot receive
            if let Some(blocked) = find("inputs_blocked") {
                for d in 0..blocked.days() {
                    for (i, &value) in blocked.row(d).iter().enumerate() {
                        if self.domestic[i / n_sectors] {
                            direct += value;
                        }
                    }
                }
            }
            facts.direct_loss = Some(direct / national_baseline);
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
        let reserve_stock = find("reserve_stock")
            .map(|r| {
                (0..r.days())
                    .map(|d| r.row(d).iter().sum::<f64>() + 0.0)
                    .collect()
            })
            .unwrap_or_default();
        RunSummary {
            metrics: Values::of_run(&facts),
            national,
            regions,
            sectors,
            backup_output: backup_series,
            backup_active,
            unmet,
            reserve_stock,
            industry_loss_pct,
        }
    }
}

/// Set the metrics computed against a reference (`loss_avoided`) of each run of a variant,
/// against the same run of the reference variant.
pub fn compare_with_reference(runs: &mut [RunSummary], reference: &[RunSummary]) {
    for (run, base) in runs.iter_mut().zip(reference) {
        run.metrics.compare(&base.metrics);
    }
}

/// `(metric, statistics over runs)` in catalogue order.
pub type MetricStatistics = Vec<(&'static str, Option<Summary>)>;

/// Statistics of every metric over a variant's runs (`None` where no run has a value).
pub fn summarize_metrics(runs: &[RunSummary]) -> MetricStatistics {
    let values: Vec<&Values> = runs.iter().map(|r| &r.metrics).collect();
    summarize_values(&values)
}

/// Statistics of every metric over runs' metric values (`None` where no run has a value).
pub fn summarize_values(runs: &[&Values]) -> MetricStatistics {
    CATALOGUE
        .iter()
        .enumerate()
        .map(|(m, metric)| {
            let sample: Vec<f64> = runs
                .iter()
                .filter_map(|r| r.as_slice()[m])
                .filter(|v| v.is_finite())
                .collect();
            let mut summary = summarize(&sample);
            if !metric.higher_is_worse
                && let Some(s) = &mut summary
            {
                // the bad tail is the lower one: VaR95 is the 5 % quantile, CVaR95 the mean of
                // the runs at or below it
                s.var95 = s.p05;
                let tail: Vec<f64> = sample.iter().copied().filter(|v| *v <= s.p05).collect();
                s.cvar95 = tail.iter().sum::<f64>() / tail.len().max(1) as f64;
            }
            (metric.name, summary)
        })
        .collect()
}

/// Daily quantile bands of one variant: `(series name, per day [p05, p25, p50, p75, p95], per
/// day mean)`.
pub type Bands = Vec<(String, Vec<[f64; 5]>, Vec<f64>)>;

/// One of the daily series a run summary keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesId {
    /// Domestic value added / baseline.
    National,
    /// A region's value added / baseline.
    Region(usize),
    /// A sector's domestic value added / baseline.
    Sector(usize),
    /// Backup output (money).
    BackupOutput,
    /// Share of backup units producing.
    BackupActive,
    /// A demand region's unmet final demand (money).
    Unmet(usize),
    /// Reserve stock (money).
    ReserveStock,
}

impl RunSummary {
    /// The daily series `id` (empty where the run has none).
    pub fn series(&self, id: SeriesId) -> &[f64] {
        fn pick(list: &[Vec<f64>], i: usize) -> &[f64] {
            list.get(i).map_or(&[][..], Vec::as_slice)
        }
        match id {
            SeriesId::National => &self.national,
            SeriesId::Region(i) => pick(&self.regions, i),
            SeriesId::Sector(i) => pick(&self.sectors, i),
            SeriesId::BackupOutput => &self.backup_output,
            SeriesId::BackupActive => &self.backup_active,
            SeriesId::Unmet(i) => pick(&self.unmet, i),
            SeriesId::ReserveStock => &self.reserve_stock,
        }
    }

    /// The summary of a run that failed: no metrics, no series.
    pub fn failed() -> RunSummary {
        RunSummary {
            metrics: Values::from_list(vec![None; crate::metrics::catalogue::CATALOGUE.len()]),
            national: Vec::new(),
            regions: Vec::new(),
            sectors: Vec::new(),
            backup_output: Vec::new(),
            backup_active: Vec::new(),
            unmet: Vec::new(),
            reserve_stock: Vec::new(),
            industry_loss_pct: Vec::new(),
        }
    }

    /// Take out every daily series but the national one (which the comparisons with "no
    /// policies" read), in [`series_ids`] order after the first; the summary keeps empty
    /// series in their place.
    pub fn take_series(&mut self) -> Vec<Vec<f64>> {
        let mut taken = Vec::new();
        taken.extend(self.regions.iter_mut().map(std::mem::take));
        taken.extend(self.sectors.iter_mut().map(std::mem::take));
        taken.push(std::mem::take(&mut self.backup_output));
        taken.push(std::mem::take(&mut self.backup_active));
        taken.extend(self.unmet.iter_mut().map(std::mem::take));
        taken.push(std::mem::take(&mut self.reserve_stock));
        taken
    }
}

/// The `daily.csv` series of a variant, in order, with their names: national, regions,
/// sectors, backup output and activity, unmet final demand by demand region, reserve stock.
/// After the first they are in the order of [`RunSummary::take_series`].
pub fn series_ids(layout: &Layout) -> Vec<(String, SeriesId)> {
    let mut ids = vec![("national".to_string(), SeriesId::National)];
    for (i, name) in layout.regions.iter().enumerate() {
        ids.push((format!("region:{name}"), SeriesId::Region(i)));
    }
    for (i, name) in layout.sectors.iter().enumerate() {
        ids.push((format!("sector:{name}"), SeriesId::Sector(i)));
    }
    ids.push(("backup_output".into(), SeriesId::BackupOutput));
    ids.push(("backup_active".into(), SeriesId::BackupActive));
    for (i, name) in layout.demand_regions.iter().enumerate() {
        ids.push((format!("unmet_final_demand:{name}"), SeriesId::Unmet(i)));
    }
    ids.push(("reserve_stock".into(), SeriesId::ReserveStock));
    ids
}

/// Daily quantile bands of the series kept of each run.
pub fn bands(layout: &Layout, runs: &[RunSummary]) -> Bands {
    bands_by(layout, |id| {
        Ok::<_, std::convert::Infallible>(runs.iter().map(|r| r.series(id).to_vec()).collect())
    })
    .unwrap_or_else(|never| match never {})
}

/// [`bands`] of the runs whose series `id` `series(id)` gives (one per run, in run order).
pub fn bands_by<E>(
    layout: &Layout,
    mut series: impl FnMut(SeriesId) -> Result<Vec<Vec<f64>>, E>,
) -> Result<Bands, E> {
    let mut out = Vec::new();
    for (name, id) in series_ids(layout) {
        let runs = series(id)?;
        if runs.is_empty() || runs[0].is_empty() {
            continue;
        }
        let runs: Vec<&[f64]> = runs.iter().map(Vec::as_slice).collect();
        let days = runs[0].len();
        let mean = (0..days)
            .map(|d| {
                runs.iter()
                    .map(|s| s.get(d).copied().unwrap_or(f64::NAN))
                    .sum::<f64>()
                    / runs.len() as f64
            })
            .collect();
        out.push((name, daily_bands(&runs), mean));
    }
    Ok(out)
}

/// The daily band of [`NATIONAL_VS_NO_POLICIES`]: per day, quantiles and mean over runs of
/// each run's national value added minus that of the same run of `reference` (paired, so the
/// spread of the crises themselves cancels out). `None` without national series.
pub fn difference_band(
    runs: &[RunSummary],
    reference: &[RunSummary],
) -> Option<(String, Vec<[f64; 5]>, Vec<f64>)> {
    let differences: Vec<Vec<f64>> = runs
        .iter()
        .zip(reference)
        .map(|(run, base)| {
            run.national
                .iter()
                .zip(&base.national)
                .map(|(v, b)| v - b)
                .collect()
        })
        .collect();
    let days = differences.first()?.len();
    if days == 0 || differences.iter().any(|d| d.len() != days) {
        return None;
    }
    let series: Vec<&[f64]> = differences.iter().map(Vec::as_slice).collect();
    let mean = (0..days)
        .map(|d| series.iter().map(|s| s[d]).sum::<f64>() / series.len() as f64)
        .collect();
    Some((
        NATIONAL_VS_NO_POLICIES.to_string(),
        daily_bands(&series),
        mean,
    ))
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
        let mut metrics = Values::of_run(&RunFacts::default());
        metrics.set("va_loss_days", Some(loss));
        metrics.set("trough", Some(trough));
        RunSummary {
            metrics,
            national: Vec::new(),
            regions: Vec::new(),
            sectors: Vec::new(),
            backup_output: Vec::new(),
            backup_active: Vec::new(),
            unmet: Vec::new(),
            reserve_stock: Vec::new(),
            industry_loss_pct: Vec::new(),
        }
    }

    #[test]
    fn the_difference_band_is_paired_run_by_run() {
        let with_national = |national: Vec<f64>| RunSummary {
            national,
            ..run_with(1.0, 0.0)
        };
        // two crises, one mild and one severe; the policy lifts each by 0.1
        let reference = [with_national(vec![1.0, 0.9]), with_national(vec![1.0, 0.5])];
        let policy = [with_national(vec![1.0, 1.0]), with_national(vec![1.0, 0.6])];
        let (name, quantiles, mean) = difference_band(&policy, &reference).unwrap();
        assert_eq!(name, NATIONAL_VS_NO_POLICIES);
        assert_eq!(quantiles[0], [0.0; 5]);
        // unpaired, the runs would give differences from -0.3 to 0.5; paired, all are 0.1
        for q in quantiles[1] {
            assert!((q - 0.1).abs() < 1e-12, "{q}");
        }
        assert!((mean[1] - 0.1).abs() < 1e-12);
        let (_, same, _) = difference_band(&reference, &reference).unwrap();
        assert!(same.iter().flatten().all(|&q| q == 0.0));
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
