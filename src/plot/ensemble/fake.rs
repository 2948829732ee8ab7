//! A made-up but plausible ensemble directory, written as `hinterland run` writes one, for
//! the tests.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use crate::metrics::stats::{quantile, summarize};
use crate::output::format_number;

const NAME: &str = "Harbour strike & flood";
const SCENARIO: &str = "// Ports close for two weeks (flows < 5 % of normal)\n\
                        Scenario(name: \"Harbour strike & flood\", days: 50)\n";
use crate::metrics::ensemble::METRICS;

/// A made-up but plausible ensemble directory.
pub(super) struct Fake {
    pub variants: Vec<String>,
    pub regions: Vec<String>,
    pub sectors: Vec<String>,
    pub days: usize,
    pub runs: usize,
}

impl Fake {
    pub fn small() -> Fake {
        Fake {
            variants: vec!["base".into(), "no policies".into()],
            regions: vec!["north".into(), "south".into()],
            sectors: vec!["goods".into(), "services".into()],
            days: 50,
            runs: 10,
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

    /// Value added / baseline on `day` of one run: a dip from day 5, then recovery.
    fn ratio(&self, variant: usize, run: usize, part: usize, day: usize) -> f64 {
        let policy = if self.variants[variant] == "no policies" {
            1.0
        } else {
            0.55 + 0.1 * variant as f64
        };
        let depth = policy * (0.06 + 0.08 * Fake::noise(variant, run, part));
        let start = 5;
        if day < start {
            return 1.0;
        }
        let t = (day - start) as f64;
        let fall = (t / 4.0).min(1.0);
        let recovery = (-(t - 6.0).max(0.0) / (8.0 + 6.0 * Fake::noise(run, part, 3))).exp();
        1.0 - depth * fall * recovery
    }

    pub fn write(&self, dir: &Path) {
        let runs_of = |variant: usize, part: usize| -> Vec<Vec<f64>> {
            (0..self.runs)
                .map(|run| {
                    (0..self.days)
                        .map(|day| self.ratio(variant, run, part, day))
                        .collect()
                })
                .collect()
        };
        let mut daily = String::from("variant,day,series,mean,p05,p25,p50,p75,p95\n");
        let mut runs_csv = String::from("run,variant,seed,");
        runs_csv.push_str(&METRICS.join(","));
        runs_csv.push('\n');
        let mut summary =
            String::from("variant,metric,n,mean,std_error,p05,p25,p50,p75,p95,var95,cvar95\n");
        let mut industry = String::from("variant,region,sector,loss_pct\n");
        // Loss avoided compares with the "no policies" variant in the same run.
        let reference = self.variants.iter().position(|v| v == "no policies");
        let no_policy_loss: Vec<Option<f64>> = (0..self.runs)
            .map(|run| {
                reference.map(|variant| {
                    (0..self.days)
                        .map(|day| 1.0 - self.ratio(variant, run, 0, day))
                        .sum()
                })
            })
            .collect();
        for (v, variant) in self.variants.iter().enumerate() {
            let quoted = quote(variant);
            let national = runs_of(v, 0);
            let mut series: Vec<(String, Vec<Vec<f64>>)> = vec![("national".into(), national)];
            for (r, region) in self.regions.iter().enumerate() {
                series.push((format!("region:{region}"), runs_of(v, 1 + r)));
            }
            for (s, sector) in self.sectors.iter().enumerate() {
                series.push((format!("sector:{sector}"), runs_of(v, 100 + s)));
            }
            let has_backup = variant != "no policies";
            let backup: Vec<Vec<f64>> = series[0]
                .1
                .iter()
                .map(|run| {
                    run.iter()
                        .map(|r| if has_backup { 4.0e6 * (1.0 - r) } else { 0.0 })
                        .collect()
                })
                .collect();
            series.push(("backup_output".into(), backup));
            for (r, region) in self.regions.iter().enumerate() {
                let unmet: Vec<Vec<f64>> = series[1 + r]
                    .1
                    .iter()
                    .map(|run| {
                        run.iter()
                            .map(|x| 2.5e6 * (1.0 - x) * (r + 1) as f64)
                            .collect()
                    })
                    .collect();
                series.push((format!("unmet_final_demand:{region}"), unmet));
            }
            for day in 0..self.days {
                for (name, runs) in &series {
                    let mut column: Vec<f64> = runs.iter().map(|run| run[day]).collect();
                    let mean = column.iter().sum::<f64>() / column.len() as f64;
                    column.sort_by(f64::total_cmp);
                    let quantiles: Vec<String> = [0.05, 0.25, 0.5, 0.75, 0.95]
                        .map(|p| format_number(quantile(&column, p).unwrap()))
                        .to_vec();
                    writeln!(
                        daily,
                        "{quoted},{day},{},{},{}",
                        quote(name),
                        format_number(mean),
                        quantiles.join(",")
                    )
                    .unwrap();
                }
            }
            let mut per_metric: Vec<Vec<f64>> = vec![Vec::new(); METRICS.len()];
            for (run, (path, reference_loss)) in series[0].1.iter().zip(&no_policy_loss).enumerate()
            {
                let loss_days: f64 = path.iter().map(|r| 1.0 - r).sum();
                let trough = path.iter().copied().fold(f64::INFINITY, f64::min);
                let trough_day = path.iter().position(|&r| r == trough).unwrap();
                let recovery = |level: f64| {
                    (trough_day..self.days)
                        .find(|&d| path[d..].iter().all(|&r| r >= level))
                        .map(|d| (d - trough_day) as f64)
                };
                let has_policies = variant != "no policies";
                let reference_loss = reference_loss.filter(|_| has_policies);
                let direct = 0.6 * loss_days;
                let values = [
                    Some(100.0 * loss_days / 365.0),
                    Some(loss_days),
                    Some(trough),
                    Some(trough_day as f64),
                    recovery(0.95),
                    recovery(0.99),
                    Some(2.5e6 * loss_days),
                    Some(direct),
                    Some(loss_days - direct),
                    Some(loss_days / direct),
                    Some(if has_policies { 4.0e6 * loss_days } else { 0.0 }),
                    Some(if has_policies { 1.5e5 } else { 0.0 }),
                    reference_loss.map(|reference| reference - loss_days),
                ];
                let cells: Vec<String> = values
                    .iter()
                    .map(|value| value.map_or(String::new(), format_number))
                    .collect();
                writeln!(runs_csv, "{run},{quoted},42,{}", cells.join(",")).unwrap();
                for (sample, value) in per_metric.iter_mut().zip(values) {
                    sample.extend(value);
                }
            }
            for (metric, sample) in METRICS.iter().zip(&per_metric) {
                match summarize(sample) {
                    Some(s) => writeln!(
                        summary,
                        "{quoted},{metric},{},{}",
                        s.n,
                        [
                            s.mean,
                            s.std_error,
                            s.p05,
                            s.p25,
                            s.p50,
                            s.p75,
                            s.p95,
                            s.var95,
                            s.cvar95
                        ]
                        .map(format_number)
                        .join(",")
                    ),
                    None => writeln!(summary, "{quoted},{metric},0,,,,,,,,,"),
                }
                .unwrap();
            }
            for (r, region) in self.regions.iter().enumerate() {
                for (s, sector) in self.sectors.iter().enumerate() {
                    let loss = 12.0 * Fake::noise(r, s, v) - 1.0;
                    writeln!(
                        industry,
                        "{quoted},{},{},{}",
                        quote(region),
                        quote(sector),
                        format_number(loss)
                    )
                    .unwrap();
                }
            }
        }
        let variants_json: Vec<String> = self.variants.iter().map(|v| format!("{v:?}")).collect();
        let manifest = format!(
            "{{\n  \"name\": {NAME:?},\n  \"description\": \"Dockworkers strike in the north \
             while a flood closes the southern rail line.\\nTests the value of backup \
             suppliers.\",\n  \"version\": \"0.1.0\",\n  \"command\": \"hinterland run \
             scenarios/strike.ron --runs {runs} --seed 42 --out output/strike\",\n  \
             \"scenario_hash\": \"5f0c1e2d3a4b5c6d\",\n  \"seed\": 42,\n  \"runs\": {runs},\n  \
             \"threads\": 8,\n  \"variants\": [{}],\n  \"start\": \"2025-01-02T03:04:05Z\",\n  \
             \"end\": \"2025-01-02T03:05:00Z\"\n}}\n",
            variants_json.join(", "),
            runs = self.runs
        );
        fs::create_dir_all(dir).unwrap();
        for (file, text) in [
            ("daily.csv", daily.as_str()),
            ("runs.csv", &runs_csv),
            ("summary.csv", &summary),
            ("industry_loss.csv", &industry),
            ("manifest.json", &manifest),
            ("scenario.ron", SCENARIO),
        ] {
            fs::write(dir.join(file), text).unwrap();
        }
    }
}

/// A CSV field as the writers quote it.
fn quote(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
