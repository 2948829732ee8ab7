//! `hinterland run`: a scenario file in, an output directory out.

use std::path::{Path, PathBuf};

use crate::Error;
use crate::kinds::RecordKind;
use crate::metrics::ensemble::Layout;
use crate::model::{Assignment, Model};
use crate::montecarlo::{Ensemble, KeepRecords, RunSink, Shard, Study, StudyOptions};
use crate::output::layout::{SCENARIO, SHARDS, run_prefix};
use crate::output::pairs::{IDENTITY, Identity};
use crate::output::pieces::{SHARD_PIECES, header, write_piece};
use crate::output::trajectories::{TRAJECTORIES, Trajectories};
use crate::output::{OutputDir, Provenance, write_study};
use crate::plot;

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
    /// Runs of a variant stepped together (`None`: the default). Results do not depend on it.
    pub batch: Option<usize>,
    /// Write every run's daily records (with one run they are always written).
    pub records: bool,
    /// Write the daily records of every run of every variant, not only "base" (under
    /// `variants/<v>-<name>/`); implies `records`.
    pub variant_records: bool,
    /// Write every run's daily series, for every variant, to `trajectories.nc` as runs
    /// finish.
    pub trajectories: bool,
    /// Show progress on stderr (a bar on a terminal, a line per tenth elsewhere).
    pub progress: bool,
    /// Memory the run may use, in bytes, instead of what the machine has.
    pub max_memory: Option<u64>,
    /// The command line, for the manifest.
    pub command: String,
    /// Parameter paths set on the command line (`--set path=value`), applied in order on top
    /// of the file, before its variants, as a variant's `set` is.
    pub set: Vec<Assignment>,
    /// Run an earlier output directory again (`--reproduce DIR`): its scenario copy on the
    /// table folder its manifest names, with its seed and runs, after checking that every
    /// data file still has the checksum the manifest holds. `scenario` is then ignored.
    pub reproduce: Option<PathBuf>,
    /// Stop at the first run that fails instead of recording it in runs.csv and going on.
    pub fail_fast: bool,
    /// Split the runs into this many shards (`--shards`) and compute one of them.
    pub shards: Option<usize>,
    /// Which shard (`--shard`, 0-based; `None`: from the scheduler's environment).
    pub shard: Option<usize>,
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
    /// What the scenario allows but probably does not mean, as `file: at: message`.
    pub warnings: Vec<String>,
    /// The memory estimated before the run, in bytes (`None` where the machine's memory
    /// cannot be read).
    pub estimated_memory: Option<u64>,
    /// The shard computed (`None`: every run; `out` is then the shard's folder).
    pub shard: Option<Shard>,
    /// (variant, run) pairs computed or taken from the checkpoint.
    pub pairs: usize,
    /// Runs taken from a checkpoint of an earlier attempt (not computed again).
    pub resumed: usize,
    /// A shard's runs that failed, `(variant, run, why)` (a whole run counts them in
    /// `warnings`).
    pub failures: super::shards::Failures,
}

/// Load, check, build, run every variant on the same crises, and write. Nothing is left at
/// the destination unless everything succeeded.
pub fn run(options: &RunOptions) -> Result<RunReport, Error> {
    let started = std::time::SystemTime::now();
    let reproduced;
    let (options, scenario, model) = match &options.reproduce {
        Some(dir) => {
            let (scenario, model, seed, runs, records, trajectories, variant_records, set) =
                reproduction(dir)?;
            reproduced = RunOptions {
                scenario: dir.join(crate::output::layout::SCENARIO),
                seed: options.seed.or(seed),
                runs: options.runs.or(runs),
                records: options.records || records,
                trajectories: options.trajectories || trajectories,
                variant_records: options.variant_records || variant_records,
                // the folder's own assignments, then any given now
                set: set.into_iter().chain(options.set.iter().cloned()).collect(),
                ..options.clone()
            };
            (&reproduced, scenario, model)
        }
        // read once: the scenario may be a pipe (`run /dev/stdin`)
        None => {
            let (scenario, model) = Model::read(&options.scenario)?;
            (options, scenario, model)
        }
    };
    // `--set` (and the assignments a reproduced folder records) on top of the file
    let model = super::with_set(model, &options.set)?;
    let shard = super::shards::shard(options.shards, options.shard)?;
    // a shard writes into `<out>/shards/`, beside the other shards
    let out = super::destination(
        &model,
        &options.scenario,
        options.out.as_deref(),
        "",
        options.force || shard.is_some(),
    )?;
    let keep_records =
        options.records || options.variant_records || options.runs.unwrap_or(model.runs()) <= 1;
    let study = Study::new(
        model,
        &StudyOptions {
            runs: options.runs,
            seed: options.seed,
            threads: options.threads,
            batch: options.batch,
            progress: options.progress,
            keep_records,
            variant_records: options.variant_records,
            max_memory: options.max_memory,
            spill_above: None,
            fail_fast: options.fail_fast,
        },
    )?;
    log::debug!(
        "{}: {} firms, {} links, {} days; {} variant{} × {} run{} on {} thread{}",
        options.scenario.display(),
        study.economy_of(0).n_firms(),
        study.economy_of(0).n_links(),
        study.model().days(),
        study.setups().len(),
        plural(study.setups().len()),
        study.runs(),
        plural(study.runs()),
        study.threads(),
        plural(study.threads()),
    );
    let set: Vec<String> = options
        .set
        .iter()
        .map(|a| format!("{}={}", a.path, a.value))
        .collect();
    let identity = Identity {
        command_line: options.command.clone(),
        ..super::shards::identity("run", outputs(options), &study, &scenario, &set, &[], shard)?
    };
    let keep = if options.variant_records {
        KeepRecords::EveryVariant
    } else if study.runs() == 1 || options.records {
        KeepRecords::Base
    } else {
        KeepRecords::None
    };
    let report = RunReport {
        out: PathBuf::new(),
        firms: study.economy_of(0).n_firms(),
        links: study.economy_of(0).n_links(),
        days: study.model().days(),
        runs: study.runs(),
        files: Vec::new(),
        warnings: study_warnings(&study),
        estimated_memory: study.estimate().map(|e| e.total),
        shard,
        pairs: study.setups().len() * study.runs(),
        resumed: 0,
        failures: Vec::new(),
    };
    if let Some(shard) = shard {
        let pairs = shard.range(report.pairs).len();
        if super::shards::already_done(&out, shard, &identity, options.force)? {
            return Ok(RunReport {
                out: out.join(SHARDS).join(shard.name()),
                pairs,
                ..report
            });
        }
        let (at, resumed, failures) = write_run_shard(
            &study,
            shard,
            &out,
            &identity,
            &scenario,
            keep,
            options.force,
        )?;
        return Ok(RunReport {
            out: at,
            files: vec![IDENTITY.into(), SCENARIO.into(), SHARD_PIECES.into()],
            pairs,
            resumed,
            failures,
            ..report
        });
    }
    // Everything is written in a temporary folder: a failed or interrupted run leaves
    // nothing behind but the runs finished, kept in `<out>/.checkpoint/` for the same command
    // to resume.
    let dir = OutputDir::create(&out, options.force)?;
    log::debug!(
        "writing into {}, renamed to {} when complete",
        dir.path().display(),
        out.display()
    );
    let trajectories = trajectories_file(&dir, &study, options.trajectories)?;
    let assembly = study.assembly(keep, trajectories.as_ref().map(|t| t as &dyn RunSink))?;
    let mut kept = Vec::new();
    let (resumed, checkpoint) = super::shards::compute_pieces(
        &study,
        None,
        &out,
        identity,
        options.force,
        keep,
        |piece| {
            kept.push(assembly.keep(piece));
            Ok(())
        },
    )?;
    let ensemble = assembly.finish(kept)?;
    let provenance = Provenance {
        command: options.command.clone(),
        started,
        scenario,
        records: options.records,
        trajectories: options.trajectories,
        variant_records: options.variant_records,
        set,
        grid: Vec::new(),
        warnings: failure_warnings(&study, &ensemble),
    };
    let (out, files, warnings) = write_run(dir, study, ensemble, trajectories, provenance)?;
    // the checkpoint went with the folder it was in, replaced by the results
    drop(checkpoint);
    Ok(RunReport {
        out,
        files,
        warnings: report.warnings.into_iter().chain(warnings).collect(),
        resumed,
        ..report
    })
}

/// What else `options` asks the outputs to hold, as flags: `--records`, `--variant-records`,
/// `--trajectories`.
fn outputs(options: &RunOptions) -> Vec<String> {
    [
        (options.records, "--records"),
        (options.variant_records, "--variant-records"),
        (options.trajectories, "--trajectories"),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, flag)| flag.to_string())
    .collect()
}

/// `trajectories.nc` in `dir`, to be written as runs are kept, when `wanted`.
pub(super) fn trajectories_file(
    dir: &OutputDir,
    study: &Study,
    wanted: bool,
) -> Result<Option<Trajectories>, Error> {
    if !wanted {
        return Ok(None);
    }
    let names: Vec<String> = study
        .setups()
        .iter()
        .map(|s| s.name().to_string())
        .collect();
    Ok(Some(Trajectories::create(
        dir,
        &Layout::new(study.economy(), study.kinds()),
        &names,
        study.runs(),
        study.model().days(),
        study.economy().unit(),
    )?))
}

/// Compute shard `shard`'s runs of `study` (resuming from its checkpoint) into
/// `<out>/shards/<I>-of-<N>/`: its identity, the scenario's bytes and its runs, streamed to
/// the folder's `runs.bin` as they are kept. The folder appears whole or not at all. The
/// folder, the runs taken from the checkpoint, and the runs that failed.
fn write_run_shard(
    study: &Study,
    shard: Shard,
    out: &Path,
    identity: &Identity,
    scenario: &[u8],
    keep: KeepRecords,
    force: bool,
) -> Result<(PathBuf, usize, super::shards::Failures), Error> {
    let dir = OutputDir::create(&out.join(SHARDS).join(shard.name()), force)?;
    let path = dir.path().join(SHARD_PIECES);
    let io = |e: std::io::Error| crate::output::OutputError::Io {
        path: out.join(SHARDS).join(shard.name()).join(SHARD_PIECES),
        source: e,
    };
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).map_err(io)?);
    std::io::Write::write_all(&mut file, header()).map_err(io)?;
    let mut bytes = Vec::new();
    let mut failures = Vec::new();
    let (resumed, checkpoint) = super::shards::compute_pieces(
        study,
        Some(shard),
        out,
        identity.clone(),
        force,
        keep,
        |piece| {
            if let Some(why) = &piece.failure {
                let name = study.setups()[piece.variant].name().to_string();
                failures.push((name, piece.run, why.clone()));
            }
            bytes.clear();
            write_piece(&mut bytes, &piece);
            std::io::Write::write_all(&mut file, &bytes).map_err(|e| io(e).into())
        },
    )?;
    file.into_inner()
        .map_err(|e| io(e.into_error()))?
        .sync_all()
        .map_err(io)?;
    dir.write_file(IDENTITY, |w| {
        std::io::Write::write_all(w, identity.to_json().as_bytes())
    })?;
    dir.write_file(SCENARIO, |w| std::io::Write::write_all(w, scenario))?;
    let at = dir.commit()?;
    checkpoint.remove();
    failures.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    Ok((at, resumed, failures))
}

/// Write a run's results into `dir` (its files, then its charts, drawn from the files once
/// the study and ensemble are freed) and commit it: where it landed, the files written and
/// the warnings of failed runs.
pub(super) fn write_run(
    dir: OutputDir,
    study: Study,
    ensemble: Ensemble,
    trajectories: Option<Trajectories>,
    provenance: Provenance,
) -> Result<(PathBuf, Vec<String>, Vec<String>), Error> {
    let mut files = Vec::new();
    if let Some(trajectories) = trajectories {
        trajectories.finish()?;
        files.push(TRAJECTORIES.to_string());
    }
    files.extend(write_study(&dir, &study, &ensemble, &provenance)?);
    let model = study.model();
    // a failed run 0 has no records to draw
    let first_run_charts = !ensemble.records.is_empty()
        && ensemble.variants[0].failures[0].is_none()
        && model.records().contains(&RecordKind::ProductionRealised);
    let (name, runs) = (model.name().to_string(), study.runs());
    // the charts are drawn from the files just written: the economies and results are freed
    // first, so that the run's peak memory is the larger of the two, not their sum
    drop(ensemble);
    drop(study);
    if first_run_charts {
        let prefix = run_prefix(runs, 0);
        let title = if runs == 1 {
            name
        } else {
            format!("{name} (run 0 of {runs})")
        };
        let charts = plot::draw_all(&dir.path().join(&prefix), &title)?;
        files.extend(charts.into_iter().map(|c| format!("{prefix}{c}")));
    }
    files.extend(plot::draw_ensemble(dir.path())?);
    let out = dir.commit()?;
    Ok((out, files, provenance.warnings))
}

/// The failed runs of `ensemble`, counted in one warning naming the first three (none when
/// every run succeeded).
pub(super) fn failure_warnings(
    study: &Study,
    ensemble: &crate::montecarlo::Ensemble,
) -> Vec<String> {
    let failed: Vec<(&str, usize, &str)> = ensemble
        .variants
        .iter()
        .flat_map(|v| {
            v.failures
                .iter()
                .enumerate()
                .filter_map(|(run, f)| Some((v.name.as_str(), run, f.as_deref()?)))
        })
        .collect();
    if failed.is_empty() {
        return Vec::new();
    }
    let total = ensemble.variants.len() * study.runs();
    let first: Vec<String> = failed
        .iter()
        .take(3)
        .map(|(variant, run, why)| format!("variant {variant:?}, run {run}: {why}"))
        .collect();
    vec![format!(
        "{}: {} of {total} runs failed and are left out of the statistics (runs.csv, column \
         `failure`): {}{}",
        study.model().source().display(),
        failed.len(),
        first.join("; "),
        if failed.len() > first.len() {
            "; …"
        } else {
            ""
        }
    )]
}

/// `s` after a count other than one.
fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// The study's warnings ([`Study::warnings`]), each naming the scenario file.
pub(super) fn study_warnings(study: &Study) -> Vec<String> {
    let file = study.model().source().display();
    study
        .warnings()
        .iter()
        .map(|w| format!("{file}: {w}"))
        .collect()
}

/// What `--reproduce` runs: the scenario copy's bytes, its model, and the seed, runs,
/// records and trajectories flags of the manifest.
type Reproduction = (
    Vec<u8>,
    Model,
    Option<u64>,
    Option<usize>,
    bool,
    bool,
    bool,
    Vec<Assignment>,
);

/// The scenario copy, model, seed and runs of the output directory `dir`, its data checked
/// against the manifest's checksums.
fn reproduction(dir: &Path) -> Result<Reproduction, Error> {
    let fail = |file: PathBuf, message: String| Error::Reproduce { file, message };
    let manifest_path = dir.join(crate::output::layout::MANIFEST);
    let text = std::fs::read_to_string(&manifest_path).map_err(|e| {
        fail(
            manifest_path.clone(),
            format!("cannot read it ({e}); --reproduce takes a folder `hinterland run` wrote"),
        )
    })?;
    let manifest: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| fail(manifest_path.clone(), format!("not a manifest: {e}")))?;
    let scenario_path = dir.join(crate::output::layout::SCENARIO);
    let (bytes, model) = match manifest["data_dir"].as_str() {
        Some(data) => {
            // the table the run read, wherever the copy now is, unchanged since
            let data = Path::new(data);
            let recorded = manifest["data_files"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            for (name, sum) in &recorded {
                let file = data.join(name);
                let now = std::fs::read(&file)
                    .map(|b| crate::output::sha256(&b))
                    .map_err(|e| fail(file.clone(), format!("cannot read it ({e})")))?;
                if Some(now.as_str()) != sum.as_str() {
                    return Err(fail(
                        file,
                        format!(
                            "changed since {} was written (SHA-256 {} there, {now} now): the \
                             results would differ",
                            dir.display(),
                            sum.as_str().unwrap_or("?")
                        ),
                    ));
                }
            }
            Model::read_with_data(&scenario_path, data)?
        }
        None => Model::read(&scenario_path)?,
    };
    let seed = manifest["seed"].as_u64();
    let runs = manifest["runs"].as_u64().map(|n| n as usize);
    let records = manifest["records"].as_bool().unwrap_or(false);
    let trajectories = manifest["trajectories"].as_bool().unwrap_or(false);
    let variant_records = manifest["variant_records"].as_bool().unwrap_or(false);
    let set = manifest["set"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter_map(|a| a.as_str()?.split_once('='))
                .map(|(path, value)| Assignment::new(path, value))
                .collect()
        })
        .unwrap_or_default();
    Ok((
        bytes,
        model,
        seed,
        runs,
        records,
        trajectories,
        variant_records,
        set,
    ))
}
