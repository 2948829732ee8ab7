//! `hinterland optimize`: a scenario's backups in as templates, the best portfolio of them
//! for each annual holding-cost budget out.

use std::path::{Path, PathBuf};

use crate::Error;
use crate::explore::optimize::placement::{self, PlacementOptions};
use crate::model::{Assignment, Model};
use crate::montecarlo::{Study, StudyOptions};
use crate::output::optimize::write_optimize_files;
use crate::output::{OutputDir, Provenance};
use crate::plot;

/// Runs of every portfolio by default: enough for a CVaR95 of two runs' losses, and the
/// acceptance floor of the placement search (docs/optimize.md).
pub const DEFAULT_RUNS: usize = 30;

/// What `hinterland optimize` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct OptimizeCommand {
    /// The scenario file: its backups are the templates.
    pub scenario: PathBuf,
    /// Output directory; `None` = `output/<scenario name>-optimize`.
    pub out: Option<PathBuf>,
    /// Replace the output directory if it exists.
    pub force: bool,
    /// What to search.
    pub options: PlacementOptions,
    /// Take the sectors from the top `K` of the ranking in this folder (`--from-ranking DIR
    /// --top K`) instead of `options.sectors`.
    pub from_ranking: Option<(PathBuf, usize)>,
    /// Runs of every portfolio (`None`: [`DEFAULT_RUNS`]).
    pub runs: Option<usize>,
    /// Shock seed instead of the scenario's `seed`.
    pub seed: Option<u64>,
    /// Worker threads (`None`: one per core). Results do not depend on it.
    pub threads: Option<usize>,
    /// Runs stepped together (`None`: the default). Results do not depend on it.
    pub batch: Option<usize>,
    /// Show progress on stderr (a line per portfolio).
    pub progress: bool,
    /// Memory the search may use, in bytes, instead of what the machine has.
    pub max_memory: Option<u64>,
    /// Parameter paths set on top of the file (`--set`).
    pub set: Vec<Assignment>,
    /// The command line, for the manifest.
    pub command: String,
}

/// What a finished search wrote.
#[derive(Debug, Clone)]
pub struct OptimizeReport {
    /// The output directory.
    pub out: PathBuf,
    /// Candidates.
    pub candidates: usize,
    /// Portfolios evaluated.
    pub evaluated: usize,
    /// Per budget: the budget and the portfolio chosen (names).
    pub choices: Vec<(f64, String)>,
    /// Files written, relative to `out`.
    pub files: Vec<String>,
    /// What the scenario allows but probably does not mean.
    pub warnings: Vec<String>,
}

/// Load, check, search every budget, and write. Nothing is left at the destination unless
/// everything succeeded.
pub fn optimize(command: &OptimizeCommand) -> Result<OptimizeReport, Error> {
    let started = std::time::SystemTime::now();
    let (scenario, model) = Model::read(&command.scenario)?;
    let model = super::with_set(model, &command.set)?;
    let budgets = &command.options.budgets;
    if budgets.is_empty()
        || budgets.iter().any(|b| !(b.is_finite() && *b >= 0.0))
        || budgets.windows(2).any(|w| w[0] >= w[1])
    {
        return Err(Error::Options(format!(
            "--budget must be increasing annual holding costs >= 0 in the economy's money \
             unit, e.g. --budget 2e6,5e6; got {}",
            budgets
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(",")
        )));
    }
    let out = super::destination(
        &model,
        &command.scenario,
        command.out.as_deref(),
        "-optimize",
        command.force,
    )?;
    let run_options = StudyOptions {
        runs: Some(command.runs.unwrap_or(DEFAULT_RUNS)),
        seed: command.seed,
        threads: command.threads,
        batch: command.batch,
        max_memory: command.max_memory,
        ..StudyOptions::default()
    };
    // the study of the scenario as written: its economy and kinds, and the memory check; the
    // portfolios run on clones of its economy
    let mut options = command.options.clone();
    if let Some((dir, top)) = &command.from_ranking {
        options.sectors = ranked_sectors(dir, *top)?;
    }
    let study = Study::new(model.keeping_variants(&[]), &run_options)?;
    let candidates = placement::candidates(&study, &options)?;
    let dir = OutputDir::create(&out, command.force)?;
    let progress = command.progress;
    let clock = std::time::Instant::now();
    let mut count = 0usize;
    let found = placement::optimize(
        &study,
        candidates,
        &options,
        &run_options,
        |runs, candidates| {
            count += 1;
            if progress {
                let names: Vec<&str> = runs
                    .portfolio
                    .iter()
                    .map(|&c| candidates[c].name.as_str())
                    .collect();
                eprintln!(
                    "portfolio {count}: {}: mean loss {:.4e}, CVaR95 {:.4e} ({:.0} s)",
                    if names.is_empty() {
                        "no backup".to_string()
                    } else {
                        names.join(" + ")
                    },
                    runs.mean,
                    runs.cvar95,
                    clock.elapsed().as_secs_f64()
                );
            }
        },
    )?;
    let warnings = super::run::study_warnings(&study);
    let provenance = Provenance {
        command: command.command.clone(),
        started,
        scenario,
        records: false,
        trajectories: false,
        variant_records: false,
        set: command
            .set
            .iter()
            .map(|a| format!("{}={}", a.path, a.value))
            .collect(),
        grid: Vec::new(),
        warnings: warnings.clone(),
    };
    let mut files = write_optimize_files(&dir, &study, &found, &provenance)?;
    drop(study);
    files.extend(plot::draw_optimize(dir.path())?);
    let out = dir.commit()?;
    Ok(OptimizeReport {
        out,
        candidates: found.candidates.len(),
        evaluated: found.evaluated.len(),
        choices: found
            .searches
            .iter()
            .map(|s| (s.budget, found.names(&s.search.choice.chosen)))
            .collect(),
        files,
        warnings,
    })
}

/// The first `top` distinct sectors of the outages of `dir/ranking.csv`, in rank order.
fn ranked_sectors(dir: &Path, top: usize) -> Result<Vec<String>, Error> {
    let path = dir.join(crate::output::layout::RANKING.name);
    let bad = |e: crate::table::TableError| Error::Options(e.to_string());
    let table = crate::table::Table::read(
        &path,
        "expected the output folder of `hinterland rank`, with ranking.csv",
    )
    .map_err(bad)?;
    let [kind, sector] = table.columns(["kind", "sector"]).map_err(bad)?;
    let mut sectors: Vec<String> = Vec::new();
    for row in table.rows() {
        let name = row.name(sector).map_err(bad)?;
        if row.text(kind).trim() == "outage" && !sectors.iter().any(|s| s == name) {
            sectors.push(name.to_string());
        }
        if sectors.len() == top {
            break;
        }
    }
    if sectors.is_empty() {
        return Err(Error::Options(format!(
            "{}: no outage ranked: expected rows of kind outage",
            path.display()
        )));
    }
    Ok(sectors)
}
