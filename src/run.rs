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
use crate::model::Model;
use crate::montecarlo::{self, RunResult};
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

/// Load, check, build, run and write. Nothing is left at the destination unless everything
/// succeeded.
pub fn run(options: &RunOptions) -> Result<RunReport, Error> {
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
    let base = economy::build(&model.economy)?;
    let (extended, policies) = Policies::new(&model, &base)?;
    let economy = extended.unwrap_or(base);
    let plan = Plan::new(&model, &economy)?;
    let runs = options.runs.unwrap_or(model.runs).max(1);
    let seed = options.seed.unwrap_or(model.seed);
    let results = in_pool(options.threads, || {
        montecarlo::run_all(&model, &economy, &policies, &plan, runs, seed)
    })?;
    let source = std::fs::read(&options.scenario).map_err(|source| OutputError::Io {
        path: options.scenario.clone(),
        source,
    })?;

    // Only now touch the disk, in a temporary folder: a failed run leaves nothing behind.
    let dir = OutputDir::create(&out, options.force)?;
    let mut files = Vec::new();
    dir.write_file("scenario.ron", |w| std::io::Write::write_all(w, &source))?;
    files.push("scenario.ron".to_string());
    dir.write_file("draws.csv", |w| write_draws(&results, w))?;
    files.push("draws.csv".to_string());
    if !policies.is_empty() {
        dir.write_file("policies.csv", |w| write_policies(&results, w))?;
        files.push("policies.csv".to_string());
    }
    for result in &results {
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
        if result.run == 0
            && model
                .records
                .contains(&scenario::RecordKind::ProductionRealised)
        {
            let title = if runs == 1 {
                model.name.clone()
            } else {
                format!("{} (run 0 of {runs})", model.name)
            };
            let charts = plot::draw_all(&dir.path().join(&prefix), &title)?;
            files.extend(charts.into_iter().map(|c| format!("{prefix}{c}")));
        }
    }
    let out = dir.commit()?;
    Ok(RunReport {
        out,
        firms: economy.n_firms(),
        links: economy.n_links(),
        days: model.days,
        runs,
        files,
    })
}

/// Run `work` on a pool of `threads` workers (or rayon's default pool).
fn in_pool<T: Send>(threads: Option<usize>, work: impl FnOnce() -> T + Send) -> Result<T, Error> {
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

fn write_policies(results: &[RunResult], out: &mut impl std::io::Write) -> std::io::Result<()> {
    writeln!(
        out,
        "run,policy,kind,activation_day,activations,delivered,holding_cost,activation_cost"
    )?;
    for result in results {
        for p in &result.policies {
            writeln!(
                out,
                "{},{},{},{},{},{},{},{}",
                result.run,
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
    Ok(())
}

/// A CSV field, quoted when it holds a comma, quote or line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
