//! A made-up but plausible ensemble directory for the tests: the runs are invented, but they
//! are summarised, aggregated and written by the program's own code (the metric catalogue,
//! the statistics and bands, the writers of [`crate::output`]), so the charts are tested
//! against the format the program writes.

use std::fs;
use std::path::Path;

use crate::metrics::catalogue::{RunFacts, Values};
use crate::metrics::ensemble::{
    Layout, RunSummary, bands, compare_with_reference, difference_band, summarize_metrics,
};
use crate::metrics::series::RunMetrics;
use crate::output::Manifest;
use crate::output::ensemble::{write_daily, write_industry_loss, write_runs, write_summary};

const NAME: &str = "Harbour strike & flood";
/// A variant whose runs equal those of "no policies" (policies that never act).
pub(super) const PLACEBO: &str = "placebo";
const SCENARIO: &str = "// Ports close for two weeks (flows < 5 % of normal)\n\
                        Scenario(name: \"Harbour strike & flood\", days: 50)\n";

/// A made-up but plausible ensemble directory.
pub(super) struct Fake {
    pub variants: Vec<String>,
    pub regions: Vec<String>,
    pub sectors: Vec<String>,
    pub days: usize,
    pub runs: usize,
    /// How many of the last regions are foreign.
    pub foreign: usize,
}

impl Fake {
    pub fn small() -> Fake {
        Fake {
            variants: vec!["base".into(), "no policies".into()],
            regions: vec!["north".into(), "south".into(), "ROW_Europe".into()],
            sectors: vec!["goods".into(), "services".into()],
            days: 50,
            runs: 10,
            foreign: 1,
        }
    }

    /// A number in [0, 1) from a few integers, the same on every machine.
    fn noise(a: usize, b: usize, c: usize) -> f64 {
        let mut x = (a as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)
            ^ (b as u64 + 7).wrapping_mul(0xc2b2_ae3d_27d4_eb4f)
            ^ (c as u64 + 13).wrapping_mul(0x1656_67b1_9e37_79f9);
        x ^= x >> 29;
        x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x ^= x >> 32;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Value added / baseline on `day` of one run: a dip from day 5, then recovery. The crisis
    /// of a run is the same in every variant (common random numbers); policies make it
    /// shallower, except in a variant named [`PLACEBO`], which is "no policies" again.
    fn ratio(&self, variant: usize, run: usize, part: usize, day: usize) -> f64 {
        let policy = match self.variants[variant].as_str() {
            "no policies" | PLACEBO => 1.0,
            _ => 0.55 + 0.1 * variant as f64,
        };
        let depth = policy * (0.06 + 0.08 * Fake::noise(run, part, 7));
        let start = 5;
        if day < start {
            return 1.0;
        }
        let t = (day - start) as f64;
        let fall = (t / 4.0).min(1.0);
        let recovery = (-(t - 6.0).max(0.0) / (8.0 + 6.0 * Fake::noise(run, part, 3))).exp();
        1.0 - depth * fall * recovery
    }

    /// One invented run of variant `v`, summarised as the program summarises a real one.
    fn run(&self, v: usize, run: usize) -> RunSummary {
        let series = |part: usize| -> Vec<f64> {
            (0..self.days)
                .map(|day| self.ratio(v, run, part, day))
                .collect()
        };
        let national = series(0);
        let regions: Vec<Vec<f64>> = (0..self.regions.len()).map(|r| series(1 + r)).collect();
        let has_policies = self.variants[v] != "no policies";
        let loss_days: f64 = national.iter().map(|r| 1.0 - r).sum();
        let facts = RunFacts {
            series: RunMetrics::from_series(&national, 1.0),
            unmet_final_demand: Some(2.5e6 * loss_days),
            direct_loss: Some(0.6 * loss_days),
            backup_output: if has_policies { 4.0e6 * loss_days } else { 0.0 },
            holding_cost: if has_policies { 1.5e5 } else { 0.0 },
            activation_cost: 0.0,
            baseline_va: Some(1.0e6),
        };
        RunSummary {
            metrics: Values::of_run(&facts),
            backup_output: national
                .iter()
                .map(|r| if has_policies { 4.0e6 * (1.0 - r) } else { 0.0 })
                .collect(),
            backup_active: national
                .iter()
                .map(|r| if has_policies && *r < 0.99 { 1.0 } else { 0.0 })
                .collect(),
            unmet: regions
                .iter()
                .enumerate()
                .map(|(r, series)| {
                    series
                        .iter()
                        .map(|x| 2.5e6 * (1.0 - x) * (r + 1) as f64)
                        .collect()
                })
                .collect(),
            sectors: (0..self.sectors.len()).map(|s| series(100 + s)).collect(),
            // a reserve drawn down while value added is low, in the variants with policies
            reserve_stock: if has_policies {
                national.iter().map(|r| 5.0e6 * r).collect()
            } else {
                Vec::new()
            },
            industry_loss_pct: Vec::new(),
            national,
            regions,
        }
    }

    pub fn write(&self, dir: &Path) {
        let (regions, sectors): (Vec<&str>, Vec<&str>) = (
            self.regions.iter().map(String::as_str).collect(),
            self.sectors.iter().map(String::as_str).collect(),
        );
        let mut layout = Layout::from_labels(&regions, &sectors, &regions);
        // the last region is foreign, as an MRIO table's rest of the world
        let foreign = self.regions.len().saturating_sub(self.foreign);
        for (r, domestic) in layout.domestic.iter_mut().enumerate() {
            *domestic = r < foreign;
        }
        let mut runs: Vec<Vec<RunSummary>> = (0..self.variants.len())
            .map(|v| (0..self.runs).map(|run| self.run(v, run)).collect())
            .collect();
        // loss avoided compares with the "no policies" variant in the same run
        let reference = self.variants.iter().position(|v| v == "no policies");
        if let Some(reference) = reference {
            let reference_runs = runs[reference].clone();
            for (v, variant) in runs.iter_mut().enumerate() {
                if v != reference {
                    compare_with_reference(variant, &reference_runs);
                }
            }
        }
        let industry: Vec<Vec<f64>> = (0..self.variants.len())
            .map(|v| {
                (0..self.regions.len() * self.sectors.len())
                    .map(|i| {
                        let (r, s) = (i / self.sectors.len(), i % self.sectors.len());
                        12.0 * Fake::noise(r, s, v) - 1.0
                    })
                    .collect()
            })
            .collect();
        let statistics: Vec<_> = runs.iter().map(|r| summarize_metrics(r)).collect();
        let daily: Vec<_> = runs
            .iter()
            .enumerate()
            .map(|(v, r)| {
                let mut daily = bands(&layout, r);
                if let Some(reference) = reference.filter(|&reference| reference != v) {
                    daily.extend(difference_band(r, &runs[reference]));
                }
                daily
            })
            .collect();
        let per_variant = |i: usize| self.variants[i].as_str();
        let manifest = Manifest {
            command: format!(
                "hinterland run scenarios/strike.ron --runs {} --seed 42 --out output/strike",
                self.runs
            ),
            data_dir: None,
            data_files: Default::default(),
            description: "Dockworkers strike in the north while a flood closes the southern \
                          rail line.\nTests the value of backup suppliers."
                .into(),
            end: "2025-01-02T03:05:00Z".into(),
            git_commit: None,
            name: NAME.into(),
            platform: "linux-x86_64".into(),
            records: false,
            runs: self.runs,
            scenario_hash: "5f0c1e2d3a4b5c6d".into(),
            scenario_sha256: "0".repeat(64),
            seed: 42,
            start: "2025-01-02T03:04:05Z".into(),
            threads: 8,
            trajectories: false,
            variant_records: false,
            set: Vec::new(),
            grid: Vec::new(),
            variants: self.variants.clone(),
            version: "0.1.0".into(),
            warnings: Vec::new(),
        };
        fs::create_dir_all(dir).unwrap();
        let file = |name: &str| std::io::BufWriter::new(fs::File::create(dir.join(name)).unwrap());
        let none: Vec<Vec<Option<String>>> = runs.iter().map(|r| vec![None; r.len()]).collect();
        let runs_of: Vec<crate::output::ensemble::VariantRuns> = runs
            .iter()
            .enumerate()
            .map(|(v, r)| (self.variants[v].clone(), r.as_slice(), none[v].as_slice()))
            .collect();
        write_runs(&mut file("runs.csv"), 42, &runs_of).unwrap();
        let statistics: Vec<_> = (0..runs.len())
            .map(|v| (per_variant(v), &statistics[v]))
            .collect();
        write_summary(&mut file("summary.csv"), &statistics, Some("Mill USD")).unwrap();
        let daily: Vec<_> = (0..runs.len())
            .map(|v| (per_variant(v), &daily[v]))
            .collect();
        write_daily(&mut file("daily.csv"), &daily, None).unwrap();
        let industry: Vec<_> = (0..runs.len())
            .map(|v| (per_variant(v), industry[v].as_slice()))
            .collect();
        write_industry_loss(
            &mut file("industry_loss.csv"),
            &self.regions,
            &layout.domestic,
            &self.sectors,
            &industry,
        )
        .unwrap();
        fs::write(dir.join("manifest.json"), manifest.to_json()).unwrap();
        fs::write(dir.join("scenario.ron"), SCENARIO).unwrap();
    }
}
