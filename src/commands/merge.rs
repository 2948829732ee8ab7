//! `hinterland merge DIR`: the shards of a split sweep or run (`DIR/shards/<I>-of-<N>/`) into
//! the files the whole sweep or run writes, byte for byte but `manifest.json`, after checking that every
//! (point, run) is there exactly once and that every shard is of the same work.

use std::path::{Path, PathBuf};

use crate::Error;
use crate::model::{Assignment, Model};
use crate::montecarlo::{
    KeepRecords, PairRun, RunPiece, RunSink, Study, StudyOptions, SweepPlan, SweepResults,
    sweep_study,
};
use crate::output::layout::{SCENARIO, SHARDS};
use crate::output::pairs::{IDENTITY, Identity, SHARD_RUNS, read_pairs};
use crate::output::pieces::{SHARD_PIECES, read_pieces};
use crate::output::{OutputDir, Provenance};
use crate::plot;

/// What `hinterland merge` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct MergeOptions {
    /// The folder the shards were written to (`--out` of the sweep).
    pub dir: PathBuf,
    /// Replace merged results already in the folder.
    pub force: bool,
    /// Worker threads for loading the economy (`None`: one per core).
    pub threads: Option<usize>,
    /// The command line, for the manifest.
    pub command: String,
}

/// What a merge wrote.
#[derive(Debug, Clone)]
pub struct MergeReport {
    /// The folder.
    pub out: PathBuf,
    /// Shards merged.
    pub shards: usize,
    /// Runs merged.
    pub runs: usize,
    /// Files written, relative to `out`.
    pub files: Vec<String>,
    /// Warnings (as the whole sweep gives them).
    pub warnings: Vec<String>,
    /// Runs that failed, `(point, run, why)`.
    pub failures: Vec<(String, usize, String)>,
}

/// The command a merged sweep records: the shards' sweep without `--shard I`, and the merge.
fn merged_command(sweep: &str, merge: &str) -> String {
    let mut words = Vec::new();
    let mut skip = false;
    for word in sweep.split(' ') {
        if std::mem::take(&mut skip) {
            continue;
        }
        match word {
            "--shard" => skip = true,
            w if w.starts_with("--shard=") => {}
            w => words.push(w),
        }
    }
    format!("{} (shards merged by: {merge})", words.join(" "))
}

/// One shard as found: its folder name, identity and folder.
struct Found {
    name: String,
    identity: Identity,
    folder: PathBuf,
}

/// The shards in `dir/shards`, and every problem that forbids merging them.
fn find(dir: &Path) -> Result<(Vec<Found>, Vec<String>), Error> {
    let shards = dir.join(SHARDS);
    let entries = std::fs::read_dir(&shards).map_err(|e| Error::Merge {
        dir: dir.to_path_buf(),
        problems: vec![format!(
            "{}: cannot read it ({e}); `hinterland sweep SCENARIO --out {} --shards N --shard I` \
             writes the shards there",
            shards.display(),
            dir.display()
        )],
    })?;
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let mut names: Vec<(usize, usize, String)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let (i, n) = name.split_once("-of-")?;
            Some((n.parse().ok()?, i.parse().ok()?, name))
        })
        .collect();
    names.sort();
    for (count, index, name) in names {
        let folder = shards.join(&name);
        match Identity::read(&folder.join(IDENTITY)) {
            Ok(identity) if identity.shard == index && identity.shards == count => {
                found.push(Found {
                    name,
                    identity,
                    folder,
                })
            }
            Ok(identity) => problems.push(format!(
                "{name}: its identity.json says it is shard {}-of-{}",
                identity.shard, identity.shards
            )),
            Err(why) => problems.push(format!("{name}/{IDENTITY}: {why}")),
        }
    }
    if found.is_empty() && problems.is_empty() {
        problems.push(format!(
            "{}: no shards (folders `<I>-of-<N>`) in it",
            shards.display()
        ));
    }
    Ok((found, problems))
}

/// Check the shards, merge them, analyse and write the whole sweep's files into `dir`.
pub fn merge(options: &MergeOptions) -> Result<MergeReport, Error> {
    let started = std::time::SystemTime::now();
    let dir = &options.dir;
    let refuse = |problems: Vec<String>| Error::Merge {
        dir: dir.clone(),
        problems,
    };
    let (found, mut problems) = find(dir)?;
    let Some(first) = found.first() else {
        return Err(refuse(problems));
    };
    let reference = first.identity.clone();
    let counts: std::collections::BTreeSet<usize> =
        found.iter().map(|f| f.identity.shards).collect();
    if counts.len() > 1 {
        problems.push(format!(
            "shards of different splits ({}): remove the folders of the split not meant",
            counts
                .iter()
                .map(|n| format!("{n} shards"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for shard in &found[1..] {
        let here = format!("in {}", shard.name);
        let there = format!("in {}", first.name);
        let changed = shard.identity.compared(&reference, false, (&here, &there));
        if !changed.is_empty() && shard.identity.shards == reference.shards {
            problems.push(format!(
                "{} is of other work than {}: {}",
                shard.name,
                first.name,
                changed.join("; ")
            ));
        }
    }
    let count = reference.shards;
    let missing: Vec<usize> = (0..count)
        .filter(|i| {
            !found
                .iter()
                .any(|f| f.identity.shards == count && f.identity.shard == *i)
        })
        .collect();
    if !missing.is_empty() {
        problems.push(format!(
            "missing shards: {} (submit them again: --array={})",
            missing
                .iter()
                .map(|i| format!("{i}-of-{count}"))
                .collect::<Vec<_>>()
                .join(", "),
            missing
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(",")
        ));
    }
    if !problems.is_empty() {
        return Err(refuse(problems));
    }
    let manifest = dir.join(crate::output::layout::MANIFEST);
    if manifest.exists() && !options.force {
        return Err(crate::output::OutputError::Exists { path: manifest }.into());
    }
    // the work again, without computing: the scenario as the shards read it
    let (scenario, model) = model_of(first, &reference, &refuse)?;
    if reference.command == "run" {
        return merge_run(options, &found, &reference, scenario, model, started);
    }
    // every run exactly once
    let (variants, runs) = (reference.variants, reference.runs);
    let mut seen = vec![0u32; variants * runs];
    let mut all: Vec<PairRun> = Vec::with_capacity(variants * runs);
    let mut stray = Vec::new();
    for shard in &found {
        for run in read_pairs(&shard.folder.join(SHARD_RUNS))? {
            if run.variant >= variants || run.run >= runs {
                stray.push(format!(
                    "{}: variant {}, run {} is outside {variants} variants × {runs} runs",
                    shard.name, run.variant, run.run
                ));
                continue;
            }
            seen[run.variant * runs + run.run] += 1;
            all.push(run);
        }
    }
    problems.extend(stray);
    problems.extend(coverage(&seen, runs));
    if !problems.is_empty() {
        return Err(refuse(problems));
    }
    let grid: Vec<(String, Vec<String>)> = reference
        .grid
        .iter()
        .filter_map(|g| g.split_once('='))
        .map(|(path, values)| {
            (
                path.to_string(),
                values.split(',').map(String::from).collect(),
            )
        })
        .collect();
    let model = if grid.is_empty() {
        model
    } else {
        model.with_grid(&grid)?
    };
    let Some(plan) = SweepPlan::new(&model)? else {
        return Err(refuse(vec![format!(
            "{}: the scenario has no sweep",
            first.folder.join(SCENARIO).display()
        )]));
    };
    let study = sweep_study(
        &model,
        &plan,
        &StudyOptions {
            runs: Some(runs),
            seed: Some(reference.seed),
            threads: options.threads,
            ..StudyOptions::default()
        },
    )?;
    super::shards::same_variants(&study, variants, &refuse)?;
    let failures = super::shards::failures(&study, &all);
    let merged = all.len();
    let results = SweepResults::assemble(&plan, runs, study.model().days(), all);
    let out = OutputDir::create_within(dir, options.force)?;
    let (mut files, warnings) = super::sweep::write_results(
        &out,
        &study,
        &model,
        results,
        Provenance {
            command: merged_command(&reference.command_line, &options.command),
            started,
            scenario,
            records: false,
            trajectories: false,
            variant_records: false,
            set: reference.set.clone(),
            grid: reference.grid.clone(),
            warnings: Vec::new(),
        },
    )?;
    drop(study);
    files.extend(plot::draw_sweep(out.path())?);
    let out = out.commit()?;
    Ok(MergeReport {
        out,
        shards: count,
        runs: merged,
        files,
        warnings,
        failures,
    })
}

/// Problems of a set of runs, `seen[variant × runs + run]` times each: those missing, those
/// present more than once (the first five of each named).
fn coverage(seen: &[u32], runs: usize) -> Vec<String> {
    let listed = |what: &str, which: Vec<usize>| -> Option<String> {
        let first: Vec<String> = which
            .iter()
            .take(5)
            .map(|k| format!("variant {} run {}", k / runs, k % runs))
            .collect();
        (!which.is_empty()).then(|| {
            format!(
                "{} runs {what}: {}{}",
                which.len(),
                first.join(", "),
                if which.len() > 5 { ", …" } else { "" }
            )
        })
    };
    let mut problems = Vec::new();
    problems.extend(listed(
        "missing",
        (0..seen.len()).filter(|&k| seen[k] == 0).collect(),
    ));
    problems.extend(listed(
        "present more than once",
        (0..seen.len()).filter(|&k| seen[k] > 1).collect(),
    ));
    problems
}

/// The scenario's bytes as the shards read it (the copy in the first shard) and its model on
/// the table they read (refused if a data file changed since), with their `--set` applied.
fn model_of(
    first: &Found,
    reference: &Identity,
    refuse: &dyn Fn(Vec<String>) -> Error,
) -> Result<(Vec<u8>, Model), Error> {
    let copy = first.folder.join(SCENARIO);
    let scenario = std::fs::read(&copy)
        .map_err(|e| refuse(vec![format!("{}: cannot read it ({e})", copy.display())]))?;
    let model = match &reference.data_dir {
        Some(data) => {
            let data = Path::new(data);
            let changed: Vec<String> = reference
                .data_files
                .iter()
                .filter(|(name, sum)| {
                    std::fs::read(data.join(name))
                        .map(|b| crate::output::sha256(&b))
                        .ok()
                        .as_ref()
                        != Some(*sum)
                })
                .map(|(name, _)| data.join(name).display().to_string())
                .collect();
            if !changed.is_empty() {
                return Err(refuse(vec![format!(
                    "the table changed (or is missing) since the shards were made: {}",
                    changed.join(", ")
                )]));
            }
            Model::read_with_data(&copy, data)?.1
        }
        None => Model::read(&copy)?.1,
    };
    // messages name the file the shards were run on, as theirs did
    let model = if reference.scenario_path.is_empty() {
        model
    } else {
        model.named(Path::new(&reference.scenario_path))
    };
    let set: Vec<Assignment> = reference
        .set
        .iter()
        .filter_map(|a| a.split_once('='))
        .map(|(path, value)| Assignment::new(path, value))
        .collect();
    Ok((scenario, super::with_set(model, &set)?))
}

/// Merge the shards of `hinterland run --shards N`: every run of every shard's `runs.bin`
/// into the ensemble the whole run makes, written as the run writes it.
fn merge_run(
    options: &MergeOptions,
    found: &[Found],
    reference: &Identity,
    scenario: Vec<u8>,
    model: Model,
    started: std::time::SystemTime,
) -> Result<MergeReport, Error> {
    let dir = &options.dir;
    let refuse = |problems: Vec<String>| Error::Merge {
        dir: dir.clone(),
        problems,
    };
    let flag = |f: &str| reference.outputs.iter().any(|o| o == f);
    let (records, variant_records, trajectories) = (
        flag("--records"),
        flag("--variant-records"),
        flag("--trajectories"),
    );
    let (variants, runs) = (reference.variants, reference.runs);
    let study = Study::new(
        model,
        &StudyOptions {
            runs: Some(runs),
            seed: Some(reference.seed),
            threads: options.threads,
            keep_records: records || variant_records || runs <= 1,
            variant_records,
            ..StudyOptions::default()
        },
    )?;
    super::shards::same_variants(&study, variants, &refuse)?;
    let keep = if variant_records {
        KeepRecords::EveryVariant
    } else if runs == 1 || records {
        KeepRecords::Base
    } else {
        KeepRecords::None
    };
    let out = OutputDir::create_within(dir, options.force)?;
    let sink = super::run::trajectories_file(&out, &study, trajectories)?;
    let assembly = study.assembly(keep, sink.as_ref().map(|t| t as &dyn RunSink))?;
    let mut seen = vec![0u32; variants * runs];
    let mut kept = Vec::with_capacity(variants * runs);
    let mut problems = Vec::new();
    let mut failures = Vec::new();
    for shard in found {
        read_pieces(&shard.folder.join(SHARD_PIECES), |piece: RunPiece| {
            if piece.variant >= variants || piece.run >= runs {
                problems.push(format!(
                    "{}: variant {}, run {} is outside {variants} variants × {runs} runs",
                    shard.name, piece.variant, piece.run
                ));
                return Ok::<(), Error>(());
            }
            let k = piece.variant * runs + piece.run;
            seen[k] += 1;
            if seen[k] == 1 {
                if let Some(why) = &piece.failure {
                    failures.push((
                        study.setups()[piece.variant].name().to_string(),
                        piece.run,
                        why.clone(),
                    ));
                }
                kept.push(assembly.keep(piece));
            }
            Ok(())
        })?;
    }
    problems.extend(coverage(&seen, runs));
    if !problems.is_empty() {
        return Err(refuse(problems));
    }
    let merged = kept.len();
    let ensemble = assembly.finish(kept)?;
    let provenance = Provenance {
        command: merged_command(&reference.command_line, &options.command),
        started,
        scenario,
        records,
        trajectories,
        variant_records,
        set: reference.set.clone(),
        grid: Vec::new(),
        warnings: super::run::failure_warnings(&study, &ensemble),
    };
    let mut warnings = super::run::study_warnings(&study);
    let (out, files, failed) = super::run::write_run(out, study, ensemble, sink, provenance)?;
    warnings.extend(failed);
    Ok(MergeReport {
        out,
        shards: reference.shards,
        runs: merged,
        files,
        warnings,
        failures,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_merged_command_is_the_sweep_without_its_shard_index() {
        assert_eq!(
            super::merged_command(
                "hinterland sweep s.ron --out o --shards 3 --shard 1 --threads 2",
                "hinterland merge o"
            ),
            "hinterland sweep s.ron --out o --shards 3 --threads 2 (shards merged by: hinterland merge o)"
        );
        assert_eq!(
            super::merged_command("hinterland sweep s.ron --shards=3 --shard=0", "m"),
            "hinterland sweep s.ron --shards=3 (shards merged by: m)"
        );
    }
}
