//! The commands as library functions: `run` (scenario file in, output directory out) and
//! `validate` (every check of `run`, nothing simulated or written).
//!
//! Output of `run` (written to a temporary folder, renamed into place when complete):
//!
//! | path | content |
//! |---|---|
//! | `scenario.ron` | the scenario file as run |
//! | `draws.csv` | `run,shock,parameter,value`: every value drawn for the scenario shocks |
//! | `policies.csv` | with backups or reserves: per run and policy, activation day, activations, output or release, holding and activation costs |
//! | `records/<record>.csv`, `plots/` | one run: its daily records and charts |
//! | `runs/<k>/records/<record>.csv` | several runs: run `k`'s records (`k` zero-padded to 4 digits) |
//! | `runs/0000/plots/` | several runs: charts of run 0 |

use std::path::{Path, PathBuf};

use crate::Error;
use crate::economy::{self, Economy};
use crate::kinds::RecordKind;
use crate::metrics::ensemble::MetricStatistics;
use crate::metrics::ensemble::{
    Layout, RunSummary, bands, mean_industry_loss, set_loss_avoided, summarize_metrics,
};
use crate::model::Model;
use crate::model::NO_POLICIES;
use crate::montecarlo::{self, RunResult};
use crate::output::ensemble::{self as ensemble_out, csv_field};
use crate::output::{OutputDir, OutputError, format_number, write_record};
use crate::plot;
use crate::policy::Policies;
use crate::scenario;
use crate::shocks::Plan;

/// What `hinterland run` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The scenario file.
    pub scenario: PathBuf,
    /// Output directory; `None` = `output/<scenario name>`.
    pub out: Option<PathBuf>,
    /// Replace the output directory if it exists.
    pub force: bool,
    /// Number of runs instead of the scenario's `runs`.
    pub runs: Option<usize>,
    /// Shock seed instead of the scenario's `seed`.
    pub seed: Option<u64>,
    /// Worker threads (`None`: one per core). Results do not depend on it.
    pub threads: Option<usize>,
    /// Write every run's daily records (with one run they are always written).
    pub records: bool,
    /// Show progress on stderr (when it is a terminal).
    pub progress: bool,
    /// The command line, for the manifest.
    pub command: String,
}

/// What a finished run wrote.
#[derive(Debug, Clone)]
pub struct RunReport {
    /// The output directory.
    pub out: PathBuf,
    /// Firms in the economy.
    pub firms: usize,
    /// Links in the economy.
    pub links: usize,
    /// Days simulated.
    pub days: usize,
    /// Runs simulated.
    pub runs: usize,
    /// Files written, relative to `out`.
    pub files: Vec<String>,
}

/// A scenario that passed every check.
#[derive(Debug, Clone)]
pub struct Validated {
    /// The checked model.
    pub model: Model,
    /// Its economy, with the backup units.
    pub economy: Economy,
    /// Its backups and reserves, resolved.
    pub policies: Policies,
    /// Its shocks, resolved.
    pub plan: Plan,
}

/// Every check `run` makes before simulating: syntax, ranges, the MRIO table, names and
/// selectors of every shock.
pub fn validate(path: &Path) -> Result<Validated, Error> {
    let parsed = scenario::load(path)?;
    let model = Model::from_scenario(&parsed, path)?;
    let base = economy::build(&model.economy)?;
    let (extended, policies) = Policies::new(&model, &base)?;
    let economy = extended.unwrap_or(base);
    let plan = Plan::new(&model, &economy)?;
    Ok(Validated {
        model,
        economy,
        policies,
        plan,
    })
}

/// Load, check, build, run every variant on the same crises, and write. Nothing is left at
/// the destination unless everything succeeded.
pub fn run(options: &RunOptions) -> Result<RunReport, Error> {
    let started = std::time::SystemTime::now();
    let source_text = std::fs::read(&options.scenario).ok();
    let parsed = scenario::load(&options.scenario)?;
    let model = Model::from_scenario(&parsed, &options.scenario)?;
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(&model.name));
    // Refuse an existing destination before any work is done.
    if out.exists() && !options.force {
        return Err(OutputError::Exists { path: out }.into());
    }
    // the loader parses large tables in parallel: on the run's threads
    let base = in_pool(options.threads, || economy::build(&model.economy))??;
    let runs = options.runs.unwrap_or(model.runs).max(1);
    let seed = options.seed.unwrap_or(model.seed);
    let variants = model.all_variants();
    let layout = Layout::new(&base, &model.region_kinds);
    // the metrics need these records whatever the scenario asks to write
    let mut recorded: Vec<RecordKind> = model.records.clone();
    for kind in [
        RecordKind::ValueAdded,
        RecordKind::FinalDemandUnmet,
        RecordKind::CapacityLoss,
        RecordKind::BackupOutput,
        RecordKind::BackupState,
    ] {
        if !recorded.contains(&kind) {
            recorded.push(kind);
        }
    }
    recorded.sort();
    let keep_records = runs == 1 || options.records;
    let progress = Progress::new(runs * variants.len(), options.progress);

    let mut summaries: Vec<(String, Vec<RunSummary>)> = Vec::new();
    let mut base_results: Vec<RunResult> = Vec::new();
    let mut outcomes: Vec<(String, Vec<RunResult>)> = Vec::new();
    let mut threads_used = 1;
    let mut base_size = (0, 0);
    for (v, variant) in variants.iter().enumerate() {
        let mut variant_model = model.with_variant(variant);
        variant_model.records = recorded.clone();
        let (extended, policies) = Policies::new(&variant_model, &base)?;
        let economy = extended.as_ref().unwrap_or(&base);
        let plan = Plan::new(&variant_model, economy)?;
        if v == 0 {
            base_size = (economy.n_firms(), economy.n_links());
        }
        let (kept, threads) = in_pool(options.threads, || {
            let kept = montecarlo::run_map(
                &variant_model,
                economy,
                &policies,
                &plan,
                runs,
                seed,
                |mut result| {
                    // `+ 0.0`: an empty f64 sum is -0.0
                    let backup: f64 = result
                        .policies
                        .iter()
                        .filter(|p| p.kind == "backup")
                        .map(|p| p.delivered)
                        .sum::<f64>()
                        + 0.0;
                    let holding: f64 =
                        result.policies.iter().map(|p| p.holding_cost).sum::<f64>() + 0.0;
                    let summary = layout.summarize_run(&result.records, backup, holding);
                    if v == 0 && keep_records {
                        result.records.retain(|r| model.records.contains(&r.kind));
                    } else {
                        result.records.clear();
                    }
                    progress.tick();
                    (summary, result)
                },
            );
            (kept, rayon::current_num_threads())
        })?;
        threads_used = threads;
        let (variant_summaries, results): (Vec<RunSummary>, Vec<RunResult>) =
            kept.into_iter().unzip();
        summaries.push((variant.name.clone(), variant_summaries));
        if v == 0 {
            base_results = results.clone();
        }
        outcomes.push((variant.name.clone(), results));
    }
    progress.finish();
    if let Some(reference) = summaries.iter().position(|(name, _)| name == NO_POLICIES) {
        let reference_runs = summaries[reference].1.clone();
        for (name, runs) in summaries.iter_mut() {
            if name != NO_POLICIES {
                set_loss_avoided(runs, &reference_runs);
            }
        }
    }
    let statistics: Vec<(String, MetricStatistics)> = summaries
        .iter()
        .map(|(name, runs)| (name.clone(), summarize_metrics(runs)))
        .collect();
    let daily: Vec<(String, ensemble_out::Bands)> = summaries
        .iter()
        .map(|(name, runs)| (name.clone(), bands(&layout, runs)))
        .collect();
    let industry: Vec<(String, Vec<f64>)> = summaries
        .iter()
        .map(|(name, runs)| (name.clone(), mean_industry_loss(runs)))
        .collect();
    let source = source_text.ok_or_else(|| OutputError::Io {
        path: options.scenario.clone(),
        source: std::io::Error::other("the scenario file could not be read again"),
    })?;

    // Only now touch the disk, in a temporary folder: a failed run leaves nothing behind.
    let dir = OutputDir::create(&out, options.force)?;
    let mut files: Vec<String> = Vec::new();
    dir.write_file("scenario.ron", |w| std::io::Write::write_all(w, &source))?;
    dir.write_file("draws.csv", |w| write_draws(&base_results, w))?;
    dir.write_file("runs.csv", |w| {
        ensemble_out::write_runs(w, seed, &summaries)
    })?;
    dir.write_file("summary.csv", |w| {
        ensemble_out::write_summary(w, &statistics)
    })?;
    dir.write_file("daily.csv", |w| ensemble_out::write_daily(w, &daily))?;
    dir.write_file("industry_loss.csv", |w| {
        ensemble_out::write_industry_loss(w, &layout.regions, &layout.sectors, &industry)
    })?;
    files.extend(
        [
            "scenario.ron",
            "draws.csv",
            "runs.csv",
            "summary.csv",
            "daily.csv",
            "industry_loss.csv",
        ]
        .map(String::from),
    );
    if !model.backup.is_empty() || !model.reserves.is_empty() {
        dir.write_file("policies.csv", |w| write_policies(&outcomes, w))?;
        files.push("policies.csv".into());
    }
    for result in base_results.iter().filter(|_| keep_records) {
        let prefix = if runs == 1 {
            String::new()
        } else {
            format!("runs/{:04}/", result.run)
        };
        for record in &result.records {
            let name = format!("{prefix}records/{}.csv", record.kind.file_stem());
            dir.write_file(&name, |w| write_record(record, w))?;
            files.push(name);
        }
        if result.run == 0 && model.records.contains(&RecordKind::ProductionRealised) {
            let title = if runs == 1 {
                model.name.clone()
            } else {
                format!("{} (run 0 of {runs})", model.name)
            };
            let charts = plot::draw_all(&dir.path().join(&prefix), &title)?;
            files.extend(charts.into_iter().map(|c| format!("{prefix}{c}")));
        }
    }
    let manifest = serde_json::json!({
        "name": model.name,
        "description": model.description,
        "version": env!("CARGO_PKG_VERSION"),
        "command": options.command,
        "scenario_hash": format!("{:016x}", fnv1a(&source)),
        "seed": seed,
        "runs": runs,
        "threads": threads_used,
        "variants": variants.iter().map(|v| v.name.clone()).collect::<Vec<_>>(),
        "start": timestamp(started),
        "end": timestamp(std::time::SystemTime::now()),
    });
    let manifest = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    dir.write_file("manifest.json", |w| {
        std::io::Write::write_all(w, manifest.as_bytes())
    })?;
    files.push("manifest.json".into());
    // ensemble charts and the report, drawn from the files just written
    files.extend(plot::draw_ensemble(dir.path())?);
    let out = dir.commit()?;
    Ok(RunReport {
        out,
        firms: base_size.0,
        links: base_size.1,
        days: model.days,
        runs,
        files,
    })
}

/// Redraw the charts and the report of an output folder from its files alone (`hinterland
/// plot DIR`): the ensemble charts and `report.html`, and the per-run charts of `records/` or
/// `runs/<k>/records/` where there are records.
pub fn replot(dir: &Path) -> Result<Vec<String>, Error> {
    let mut files = plot::draw_ensemble(dir)?;
    let name = std::fs::read_to_string(dir.join("manifest.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|v| v.get("name").and_then(|n| n.as_str()).map(String::from))
        .unwrap_or_else(|| "hinterland".into());
    if dir.join("records/production_realised.csv").exists() {
        files.extend(plot::draw_all(dir, &name)?);
    }
    let first_run = dir.join("runs/0000");
    if first_run.join("records/production_realised.csv").exists() {
        let runs = std::fs::read_dir(dir.join("runs")).map_or(0, |d| d.count());
        let charts = plot::draw_all(&first_run, &format!("{name} (run 0 of {runs})"))?;
        files.extend(charts.into_iter().map(|c| format!("runs/0000/{c}")));
    }
    Ok(files)
}

/// FNV-1a 64-bit hash (the scenario hash of the manifest).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// UTC time as `YYYY-MM-DDThh:mm:ssZ`.
fn timestamp(time: std::time::SystemTime) -> String {
    let secs = time
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // civil date from days since 1970-01-01 (Howard Hinnant's algorithm)
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Runs done, rate and time left, on stderr when it is a terminal.
struct Progress {
    total: usize,
    done: std::sync::atomic::AtomicUsize,
    started: std::time::Instant,
    shown: bool,
}

impl Progress {
    fn new(total: usize, wanted: bool) -> Progress {
        use std::io::IsTerminal;
        Progress {
            total,
            done: std::sync::atomic::AtomicUsize::new(0),
            started: std::time::Instant::now(),
            shown: wanted && std::io::stderr().is_terminal(),
        }
    }

    fn tick(&self) {
        let done = self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if self.shown {
            let elapsed = self.started.elapsed().as_secs_f64();
            let rate = done as f64 / elapsed.max(1e-9);
            let left = (self.total - done) as f64 / rate;
            eprint!(
                "\r  runs {done}/{} · {rate:.1}/s · {left:.0} s left   ",
                self.total
            );
        }
    }

    fn finish(&self) {
        if self.shown {
            eprintln!();
        }
    }
}

/// Run `work` on a pool of `threads` workers (or rayon's default pool).
pub(crate) fn in_pool<T: Send>(
    threads: Option<usize>,
    work: impl FnOnce() -> T + Send,
) -> Result<T, Error> {
    match threads {
        None => Ok(work()),
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build()
                .map_err(|err| Error::Threads(err.to_string()))?;
            Ok(pool.install(work))
        }
    }
}

fn write_draws(results: &[RunResult], out: &mut impl std::io::Write) -> std::io::Result<()> {
    writeln!(out, "run,shock,parameter,value")?;
    for result in results {
        for draw in &result.draws {
            writeln!(
                out,
                "{},{},{},{}",
                result.run,
                csv_field(&draw.shock),
                draw.parameter,
                format_number(draw.value)
            )?;
        }
    }
    Ok(())
}

fn write_policies(
    variants: &[(String, Vec<RunResult>)],
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "run,variant,policy,kind,activation_day,activations,delivered,holding_cost,activation_cost"
    )?;
    for (variant, results) in variants {
        for result in results {
            for p in &result.policies {
                writeln!(
                    out,
                    "{},{},{},{},{},{},{},{},{}",
                    result.run,
                    csv_field(variant),
                    csv_field(&p.name),
                    p.kind,
                    p.activation_day.map_or(String::new(), |d| d.to_string()),
                    p.activations,
                    format_number(p.delivered),
                    format_number(p.holding_cost),
                    format_number(p.activation_cost)
                )?;
            }
        }
    }
    Ok(())
}
