//! `hinterland rank`: a scenario's economy in, its critical-industry list out.

use std::path::PathBuf;

use crate::Error;
use crate::explore::rank::{RankOptions, rank as rank_economy};
use crate::model::{Assignment, Invalid, Model};
use crate::montecarlo::{Study, StudyOptions};
use crate::output::rank::write_rank_files;
use crate::output::{OutputDir, Provenance};
use crate::plot;

/// What `hinterland rank` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct RankCommand {
    /// The scenario file: its economy, dynamics and `days` (its shocks and policies are not
    /// used).
    pub scenario: PathBuf,
    /// Output directory; `None` = `output/<scenario name>-rank`.
    pub out: Option<PathBuf>,
    /// Replace the output directory if it exists.
    pub force: bool,
    /// The outages and cut-offs.
    pub options: RankOptions,
    /// Worker threads (`None`: one per core). Results do not depend on it.
    pub threads: Option<usize>,
    /// Outages stepped together (`None`: the default). Results do not depend on it.
    pub batch: Option<usize>,
    /// Show progress on stderr.
    pub progress: bool,
    /// Memory the ranking may use, in bytes, instead of what the machine has.
    pub max_memory: Option<u64>,
    /// Parameter paths set on top of the file (`--set`).
    pub set: Vec<Assignment>,
    /// The command line, for the manifest.
    pub command: String,
}

/// What a finished ranking wrote.
#[derive(Debug, Clone)]
pub struct RankReport {
    /// The output directory.
    pub out: PathBuf,
    /// Outages ranked.
    pub outages: usize,
    /// Cut-offs ranked.
    pub cutoffs: usize,
    /// Files written, relative to `out`.
    pub files: Vec<String>,
    /// What the scenario allows but probably does not mean.
    pub warnings: Vec<String>,
}

/// Load, check, simulate every outage and cut-off, and write. Nothing is left at the
/// destination unless everything succeeded.
pub fn rank(command: &RankCommand) -> Result<RankReport, Error> {
    let started = std::time::SystemTime::now();
    let (scenario, model) = Model::read(&command.scenario)?;
    let model = super::with_set(model, &command.set)?;
    check_options(&model, &command.options)?;
    let out = super::destination(
        &model,
        &command.scenario,
        command.out.as_deref(),
        "-rank",
        command.force,
    )?;
    // the scenario's own variants, shocks and policies are not simulated
    let model = model.keeping_variants(&[]);
    let study = Study::new(
        model,
        &StudyOptions {
            runs: Some(crate::engine::MAX_LANES),
            threads: command.threads,
            batch: command.batch,
            progress: command.progress,
            max_memory: command.max_memory,
            ..StudyOptions::default()
        },
    )?;
    let has_foreign = study
        .kinds()
        .kinds()
        .contains(&crate::kinds::RegionKind::Foreign);
    check_cutoffs(study.model(), &command.options, has_foreign)?;
    let dir = OutputDir::create(&out, command.force)?;
    let ranking = rank_economy(&study, &command.options)?;
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
    let mut files = write_rank_files(&dir, &study, &ranking, &provenance)?;
    let count = |kind| {
        ranking
            .entries
            .iter()
            .filter(|e| e.target.kind == kind)
            .count()
    };
    let (outages, cutoffs) = (
        count(crate::explore::rank::TargetKind::Outage),
        count(crate::explore::rank::TargetKind::Cutoff),
    );
    drop(study);
    files.extend(plot::draw_rank(dir.path())?);
    let out = dir.commit()?;
    Ok(RankReport {
        out,
        outages,
        cutoffs,
        files,
        warnings,
    })
}

/// Refuse options the scenario's horizon cannot hold.
fn check_options(model: &Model, options: &RankOptions) -> Result<(), Error> {
    let invalid = |field: &str, message: String| Invalid::new(model.source(), field, message);
    let days = model.days() as u64;
    let end = u64::from(options.start_day) + u64::from(options.duration_days);
    if options.start_day == 0 {
        return Err(Error::Options(
            "--start-day must be at least 1 (day 0 is the baseline)".into(),
        ));
    }
    if options.duration_days == 0 || options.cutoff_days == 0 {
        return Err(Error::Options(
            "--duration and --cutoff-duration must be at least 1 day".into(),
        ));
    }
    if end >= days {
        return Err(invalid(
            "days",
            format!(
                "the outages last from day {} to day {} (--start-day, --duration) but the \
                 scenario runs {days} days: the ranking needs days after the outage to see the \
                 recovery; set a longer `days` (e.g. --set days={})",
                options.start_day,
                end - 1,
                (end + 180).max(365)
            ),
        )
        .into());
    }
    let m = &options.magnitudes;
    if m.is_empty()
        || m.iter().any(|v| !(*v > 0.0 && *v <= 1.0))
        || m.windows(2).any(|w| w[0] >= w[1])
    {
        return Err(Error::Options(format!(
            "--magnitudes must be increasing shares of capacity lost in (0, 1], e.g. \
             0.25,0.5,1; got {}",
            m.iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(",")
        )));
    }
    Ok(())
}

/// Refuse cut-offs the scenario's horizon cannot hold (when the economy has foreign regions).
fn check_cutoffs(model: &Model, options: &RankOptions, has_foreign: bool) -> Result<(), Error> {
    let invalid = |field: &str, message: String| Invalid::new(model.source(), field, message);
    let days = model.days() as u64;
    let cutoff_end = u64::from(options.start_day) + u64::from(options.cutoff_days);
    if options.foreign && has_foreign && cutoff_end >= days {
        return Err(invalid(
            "days",
            format!(
                "the cut-offs last from day {} to day {} (--start-day, --cutoff-duration) but \
                 the scenario runs {days} days: the ranking needs days after them to see the \
                 recovery; set a longer `days` (e.g. --set days={}), a shorter \
                 --cutoff-duration, or --no-foreign",
                options.start_day,
                cutoff_end - 1,
                (cutoff_end + 180).max(365)
            ),
        )
        .into());
    }
    Ok(())
}
