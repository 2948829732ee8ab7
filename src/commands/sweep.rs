//! `hinterland sweep`: a scenario's sweep (or `--grid`) in, one output directory out.

use std::path::PathBuf;

use crate::Error;
use crate::model::{Assignment, Invalid, Model};
use crate::montecarlo::{StudyOptions, SweepPlan, sweep_study};
use crate::output::sweep::{SweepAnalyses, write_sweep_files};

/// Bootstrap resamples of the Sobol indices' confidence intervals (SALib's default).
pub const BOOTSTRAP: usize = 1000;
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
}

/// Load, check, build every point, run them all on the same crises, and write. Nothing is
/// left at the destination unless everything succeeded.
pub fn sweep(options: &SweepOptions) -> Result<SweepReport, Error> {
    let started = std::time::SystemTime::now();
    let (scenario, model) = Model::read(&options.scenario)?;
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
    let out = super::destination(
        &model,
        &options.scenario,
        options.out.as_deref(),
        "-sweep",
        options.force,
    )?;
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
    let dir = OutputDir::create(&out, options.force)?;
    let results = study.sweep(&plan)?;
    let mut warnings = super::run::study_warnings(&study);
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
    let discovery = match &plan.sweep.discovery {
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
    let provenance = Provenance {
        command: options.command.clone(),
        started,
        scenario,
        records: false,
        trajectories: false,
        variant_records: false,
        set: options
            .set
            .iter()
            .map(|a| format!("{}={}", a.path, a.value))
            .collect(),
        grid: options
            .grid
            .iter()
            .map(|(path, values)| format!("{path}={}", values.join(",")))
            .collect(),
        warnings: warnings.clone(),
    };
    let mut files = write_sweep_files(&dir, &study, &results, &analyses, &provenance)?;
    let report = SweepReport {
        out: PathBuf::new(),
        points: plan.points.len(),
        references: results.references.len(),
        runs: study.runs(),
        files: Vec::new(),
        warnings,
    };
    drop(results);
    drop(study);
    files.extend(plot::draw_sweep(dir.path())?);
    let out = dir.commit()?;
    Ok(SweepReport {
        out,
        files,
        ..report
    })
}
