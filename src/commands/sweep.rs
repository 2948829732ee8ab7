//! `hinterland sweep`: a scenario's sweep (or `--grid`) in, one output directory out.

use std::path::PathBuf;

use crate::Error;
use crate::model::{Assignment, Invalid, Model};
use crate::montecarlo::{StudyOptions, SweepPlan, SweepResults, sweep_study};
use crate::output::sweep::{SweepAnalyses, write_sweep_files};

/// Bootstrap resamples of the Sobol indices' confidence intervals (SALib's default).
pub const BOOTSTRAP: usize = 1000;
use crate::output::layout::SHARDS;
use crate::output::{OutputDir, Provenance};
use crate::plot;

/// What `hinterland sweep` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct SweepOptions {
    /// The scenario file.
    pub scenario: PathBuf,
    /// Output directory; `None` = `output/<scenario name>-sweep`.
    pub out: Option<PathBuf>,
    /// Replace the output directory if it exists.
    pub force: bool,
    /// Runs of every point instead of the sweep's `runs_per_point`.
    pub runs: Option<usize>,
    /// Shock seed instead of the scenario's `seed`.
    pub seed: Option<u64>,
    /// Worker threads (`None`: one per core). Results do not depend on it.
    pub threads: Option<usize>,
    /// Runs of a variant stepped together (`None`: the default). Results do not depend on it.
    pub batch: Option<usize>,
    /// Show progress on stderr.
    pub progress: bool,
    /// Memory the sweep may use, in bytes, instead of what the machine has.
    pub max_memory: Option<u64>,
    /// The command line, for the manifest.
    pub command: String,
    /// Parameter paths set on top of the file before the sweep (`--set`).
    pub set: Vec<Assignment>,
    /// Grid parameters (`--grid path=v1,v2,…`): added to the sweep, or replacing the values of
    /// a path it already sweeps.
    pub grid: Vec<(String, Vec<String>)>,
    /// Split the sweep into this many shards (`--shards`) and compute one of them.
    pub shards: Option<usize>,
    /// Which shard (`--shard`, 0-based; `None`: from the scheduler's environment).
    pub shard: Option<usize>,
    /// Stop at the first run that fails instead of recording it and going on.
    pub fail_fast: bool,
}

/// What a finished sweep wrote.
#[derive(Debug, Clone)]
pub struct SweepReport {
    /// The output directory.
    pub out: PathBuf,
    /// Points of the design.
    pub points: usize,
    /// "No policies" references (one per uncertainty setting; none without policies).
    pub references: usize,
    /// Runs of every point.
    pub runs: usize,
    /// Files written, relative to `out`.
    pub files: Vec<String>,
    /// What the scenario allows but probably does not mean.
    pub warnings: Vec<String>,
    /// The shard computed (`None`: the whole sweep).
    pub shard: Option<crate::montecarlo::Shard>,
    /// Runs taken from a checkpoint of an earlier attempt (not computed again).
    pub resumed: usize,
    /// Runs that failed, `(point, run, why)`.
    pub failures: Vec<(String, usize, String)>,
}

/// Load, check, build every point, run them all on the same crises, and write. Nothing is
/// left at the destination unless everything succeeded, but the runs finished so far, kept in
/// `<out>/.checkpoint/` for the same command to resume. With `shards`, only one shard's runs
/// are computed, into `<out>/shards/<I>-of-<N>/`, for [`merge`](super::merge).
pub fn sweep(options: &SweepOptions) -> Result<SweepReport, Error> {
    let started = std::time::SystemTime::now();
    let (scenario, model) = Model::read(&options.scenario)?;
    let shard = super::shards::shard(options.shards, options.shard)?;
    let model = super::with_set(model, &options.set)?;
    let model = if options.grid.is_empty() {
        model
    } else {
        model.with_grid(&options.grid)?
    };
    let Some(plan) = SweepPlan::new(&model)? else {
        return Err(Invalid::new(
            model.source(),
            "sweep",
            "the scenario has no sweep: add `sweep: Sweep(parameters: [(\"backup.<name>.capacity_share\", List([0.0, 0.1]))])`, or give --grid PATH=V1,V2,…",
        )
        .into());
    };
    let out = match shard {
        None => super::destination(
            &model,
            &options.scenario,
            options.out.as_deref(),
            "-sweep",
            options.force,
        )?,
        Some(_) => super::destination(
            &model,
            &options.scenario,
            options.out.as_deref(),
            "-sweep",
            true,
        )?,
    };
    let study = sweep_study(
        &model,
        &plan,
        &StudyOptions {
            runs: options.runs,
            seed: options.seed,
            threads: options.threads,
            batch: options.batch,
            progress: options.progress,
            max_memory: options.max_memory,
            ..StudyOptions::default()
        },
    )?;
    let set: Vec<String> = options
        .set
        .iter()
        .map(|a| format!("{}={}", a.path, a.value))
        .collect();
    let grid: Vec<String> = options
        .grid
        .iter()
        .map(|(path, values)| format!("{path}={}", values.join(",")))
        .collect();
    let identity = crate::output::pairs::Identity {
        command_line: options.command.clone(),
        ..super::shards::identity("sweep", Vec::new(), &study, &scenario, &set, &grid, shard)?
    };
    if let Some(shard) = shard
        && super::shards::already_done(&out, shard, &identity, options.force)?
    {
        return Ok(SweepReport {
            out: out.join(SHARDS).join(shard.name()),
            points: plan.points.len(),
            references: plan.variants().len() - plan.points.len(),
            runs: study.runs(),
            files: Vec::new(),
            warnings: Vec::new(),
            shard: Some(shard),
            resumed: 0,
            failures: Vec::new(),
        });
    }
    log::debug!(
        "{}: {} points and {} references × {} runs on {} threads",
        options.scenario.display(),
        plan.points.len(),
        if plan.references {
            plan.groups.len()
        } else {
            0
        },
        study.runs(),
        study.threads()
    );
    let (runs, resumed, checkpoint) = super::shards::compute(
        &study,
        shard,
        &out,
        identity.clone(),
        options.force,
        options.fail_fast,
    )?;
    let failures = super::shards::failures(&study, &runs);
    if let Some(shard) = shard {
        let at =
            super::shards::write_shard(&out, shard, &identity, &scenario, &runs, options.force)?;
        checkpoint.remove();
        return Ok(SweepReport {
            out: at,
            points: plan.points.len(),
            references: plan.variants().len() - plan.points.len(),
            runs: study.runs(),
            files: vec![
                crate::output::pairs::IDENTITY.into(),
                crate::output::layout::SCENARIO.into(),
                crate::output::pairs::SHARD_RUNS.into(),
            ],
            warnings: super::run::study_warnings(&study),
            shard: Some(shard),
            resumed,
            failures,
        });
    }
    if let Some(first) = runs.first()
        && runs.iter().all(|r| r.failure.is_some())
    {
        return Err(crate::montecarlo::failure_error(
            study.setups()[first.variant].name(),
            first.run,
            &first.draws,
            first.failure.as_deref().unwrap_or_default(),
        ));
    }
    let results = SweepResults::assemble(&plan, study.runs(), study.model().days(), runs);
    let dir = OutputDir::create(&out, options.force)?;
    let written = write_results(
        &dir,
        &study,
        &model,
        results,
        Provenance {
            command: options.command.clone(),
            started,
            scenario,
            records: false,
            trajectories: false,
            variant_records: false,
            set,
            grid,
            warnings: Vec::new(),
        },
    )?;
    let report = SweepReport {
        out: PathBuf::new(),
        points: plan.points.len(),
        references: plan.variants().len() - plan.points.len(),
        runs: study.runs(),
        files: Vec::new(),
        warnings: written.1,
        shard: None,
        resumed,
        failures,
    };
    drop(study);
    let mut files = written.0;
    files.extend(plot::draw_sweep(dir.path())?);
    let out = dir.commit()?;
    // the checkpoint went with the folder it was in, replaced by the results
    drop(checkpoint);
    Ok(SweepReport {
        out,
        files,
        ..report
    })
}

/// Analyse `results` (Sobol indices, the discovery box) and write every file of a sweep but
/// the charts into `dir`; the files written and the warnings. `provenance.warnings` is
/// filled here.
pub(super) fn write_results(
    dir: &OutputDir,
    study: &crate::montecarlo::Study,
    model: &Model,
    results: SweepResults,
    mut provenance: Provenance,
) -> Result<(Vec<String>, Vec<String>), Error> {
    let mut warnings = super::run::study_warnings(study);
    let failures = results.failures();
    if !failures.is_empty() {
        let total = (results.points.len() + results.references.len()) * results.runs;
        let first: Vec<String> = failures
            .iter()
            .take(3)
            .map(|(point, run, why)| format!("point {point:?}, run {run}: {why}"))
            .collect();
        warnings.push(format!(
            "{}: {} of {total} runs failed and are left out of the statistics (points.csv, \
             column `failure`): {}{}",
            model.source().display(),
            failures.len(),
            first.join("; "),
            if failures.len() > first.len() {
                "; …"
            } else {
                ""
            }
        ));
    }
    let sensitivity = crate::explore::sensitivity::of_sweep(&results, BOOTSTRAP, study.seed());
    for metric in sensitivity.iter().flatten() {
        if let Err(why) = &metric.indices {
            warnings.push(format!(
                "{}: no Sobol indices of {}: {why}",
                model.source().display(),
                metric.metric
            ));
        }
    }
    let discovery = match &results.plan.sweep.discovery {
        None => None,
        Some(condition) => match crate::explore::discover::of_sweep(&results, condition) {
            Ok(found) => Some(found),
            Err(why) => {
                warnings.push(format!(
                    "{}: sweep: discovery: no box for {}: {why}",
                    model.source().display(),
                    condition.condition()
                ));
                None
            }
        },
    };
    let analyses = SweepAnalyses {
        sensitivity,
        discovery,
    };
    provenance.warnings = warnings.clone();
    let files = write_sweep_files(dir, study, &results, &analyses, &provenance)?;
    Ok((files, warnings))
}
