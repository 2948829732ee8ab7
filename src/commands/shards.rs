//! Split work: which shard this process computes, its runs computed in checkpointed pieces,
//! and the shard's folder (`<out>/shards/<I>-of-<N>/`) that `hinterland merge` reads.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::Error;
use crate::montecarlo::{KeepRecords, PairRun, Progress, RunPiece, Shard, Study, failure_error};
use crate::output::checkpoint::{CHECKPOINT, Checkpoint};
use crate::output::layout::{SCENARIO, SHARDS};
use crate::output::pairs::{IDENTITY, Identity, SHARD_RUNS, write_pairs};
use crate::output::{OutputDir, OutputError};

/// The environment variables a scheduler sets to a job array task's index, in the order
/// they are read: Slurm, Kubernetes indexed jobs, AWS Batch.
pub const SHARD_VARIABLES: [&str; 3] = [
    "SLURM_ARRAY_TASK_ID",
    "JOB_COMPLETION_INDEX",
    "AWS_BATCH_JOB_ARRAY_INDEX",
];

/// The shard asked for: `--shards N` with `--shard I`, or I from the scheduler's environment
/// ([`SHARD_VARIABLES`]); `None` without `--shards`.
pub fn shard(count: Option<usize>, index: Option<usize>) -> Result<Option<Shard>, Error> {
    shard_in(count, index, |name| std::env::var(name).ok())
}

fn shard_in(
    count: Option<usize>,
    index: Option<usize>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<Shard>, Error> {
    let Some(count) = count else {
        return match index {
            Some(_) => Err(Error::Options(
                "--shard needs --shards N, the number of shards".into(),
            )),
            None => Ok(None),
        };
    };
    if count == 0 {
        return Err(Error::Options("--shards 0: expected at least 1".into()));
    }
    let (index, from) = match index {
        Some(index) => (index, "--shard".to_string()),
        None => {
            let found = SHARD_VARIABLES
                .iter()
                .find_map(|name| Some((*name, env(name)?)));
            let Some((name, value)) = found else {
                return Err(Error::Options(format!(
                    "--shards {count} needs --shard I (0 to {}), or one of {} set by the \
                     scheduler",
                    count - 1,
                    SHARD_VARIABLES.join(", ")
                )));
            };
            let index = value.trim().parse::<usize>().map_err(|_| {
                Error::Options(format!(
                    "{name}={value:?}: expected a shard index, 0 to {}",
                    count - 1
                ))
            })?;
            (index, format!("{name}={index}"))
        }
    };
    if index >= count {
        return Err(Error::Options(format!(
            "{from} is not a shard of --shards {count}: shards are numbered 0 to {} \
             (a Slurm job array: --array=0-{})",
            count - 1,
            count - 1
        )));
    }
    Ok(Some(Shard { index, count }))
}

/// A checkpoint piece grows while it takes less than this many seconds.
pub const PIECE_SECONDS: f64 = 30.0;

/// What `study` computes for `command` (`run`, `sweep`), for checkpoints and shards: the
/// scenario's bytes, its `set` and `grid` given on the command line, the table it reads, the
/// other `outputs` asked for, and `shard`.
pub fn identity(
    command: &str,
    outputs: Vec<String>,
    study: &Study,
    scenario: &[u8],
    set: &[String],
    grid: &[String],
    shard: Option<Shard>,
) -> Result<Identity, Error> {
    let (data_dir, data_files) = crate::output::data_checksums(study.model())?;
    let shard = shard.unwrap_or(Shard { index: 0, count: 1 });
    Ok(Identity {
        command: command.into(),
        version: env!("CARGO_PKG_VERSION").into(),
        git_commit: crate::output::git_commit(),
        scenario_sha256: crate::output::sha256(scenario),
        data_dir,
        data_files,
        set: set.to_vec(),
        grid: grid.to_vec(),
        outputs,
        runs: study.runs(),
        seed: study.seed(),
        variants: study.setups().len(),
        shards: shard.count,
        shard: shard.index,
        command_line: String::new(),
        scenario_path: study.model().source().display().to_string(),
    })
}

/// Whether shard `shard` of `out` is there already, made by the same work: nothing to do
/// (a scheduler that runs a finished task again). A shard of other work is refused unless
/// `force`, which makes it again.
pub fn already_done(
    out: &Path,
    shard: Shard,
    identity: &Identity,
    force: bool,
) -> Result<bool, Error> {
    let folder = out.join(SHARDS).join(shard.name());
    if !folder.exists() || force {
        return Ok(false);
    }
    let path = folder.join(IDENTITY);
    let then = Identity::read(&path).map_err(|message| OutputError::Malformed {
        path: path.clone(),
        message,
    })?;
    let changed = then.differences(identity, true);
    if changed.is_empty() {
        log::info!(
            "{}: this shard is done already; nothing to compute",
            folder.display()
        );
        return Ok(true);
    }
    Err(OutputError::Mismatch {
        path: folder,
        message: format!(
            "holds this shard of other work: {}; use --force to replace it",
            changed.join("; ")
        ),
    }
    .into())
}

/// A shard's pairs, its checkpoint and the checkpoint's files of runs.
type Opened = (Vec<(usize, usize)>, Checkpoint, Vec<PathBuf>);

/// The pairs `shard` of `study` computes (all of them when `None`), and its checkpoint
/// `<out>/.checkpoint[/<I>-of-<N>]` opened with its files of runs `ext`.
fn open(
    study: &Study,
    shard: Option<Shard>,
    out: &Path,
    identity: Identity,
    force: bool,
    ext: &str,
) -> Result<Opened, Error> {
    let mine = shard
        .unwrap_or(Shard { index: 0, count: 1 })
        .pairs(study.setups().len(), study.runs());
    let dir = match shard {
        None => out.join(CHECKPOINT),
        Some(shard) => out.join(CHECKPOINT).join(shard.name()),
    };
    let (checkpoint, files) = Checkpoint::open(&dir, identity, force, ext)?;
    Ok((mine, checkpoint, files))
}

/// The progress of the `pending` runs of `shard` of `study`, `resumed` others taken from
/// `checkpoint` (said in the log).
fn progress(
    study: &Study,
    shard: Option<Shard>,
    checkpoint: &Checkpoint,
    resumed: usize,
    pending: usize,
) -> Progress {
    let (variants, runs) = (study.setups().len(), study.runs());
    let whole = format!("{runs} runs × {variants} variants");
    let mut what = match shard {
        Some(shard) => format!("shard {} of {whole}", shard.name()),
        None => whole,
    };
    if resumed > 0 {
        log::info!(
            "{}: {resumed} of {} runs were finished by an earlier attempt; computing the other \
             {pending}",
            checkpoint.dir().display(),
            resumed + pending,
        );
        what += &format!(", {resumed} done before");
    }
    Progress::of(pending, what, study.progress())
}

/// Compute the runs of `shard` of `study` (all of them when `None`), in pieces, each kept in
/// the checkpoint `<out>/.checkpoint[/<I>-of-<N>]` as it finishes; runs kept there by an
/// earlier attempt of the same work are taken, not computed again. The runs, sorted by
/// variant and run, how many were taken from the checkpoint, and the checkpoint (to be
/// removed once the results have landed).
pub fn compute(
    study: &Study,
    shard: Option<Shard>,
    out: &Path,
    identity: Identity,
    force: bool,
    fail_fast: bool,
) -> Result<(Vec<PairRun>, usize, Checkpoint), Error> {
    let runs = study.runs();
    let (mine, checkpoint, files) = open(study, shard, out, identity, force, "jsonl")?;
    let kept = Checkpoint::read_runs(&files)?;
    let wanted: BTreeSet<(usize, usize)> = mine.iter().copied().collect();
    let mut done: Vec<PairRun> = kept
        .into_iter()
        .filter(|r| wanted.contains(&(r.variant, r.run)))
        .collect();
    let resumed = done.len();
    let fail = |failed: &PairRun| -> Option<Error> {
        let why = failed.failure.clone()?;
        Some(Error::RunFailed {
            variant: study.setups()[failed.variant].name().to_string(),
            run: failed.run,
            why,
        })
    };
    if fail_fast && let Some(err) = done.iter().find_map(fail) {
        return Err(err);
    }
    let have: BTreeSet<(usize, usize)> = done.iter().map(|r| (r.variant, r.run)).collect();
    let pending: Vec<(usize, usize)> = mine.into_iter().filter(|p| !have.contains(p)).collect();
    let total = done.len() + pending.len();
    let progress = progress(study, shard, &checkpoint, resumed, pending.len());
    // a piece keeps every thread busy with a few batches; its end is a moment all threads
    // wait, so pieces grow (doubling) while they take less than PIECE_SECONDS: a kill loses at
    // most about that much work, and the waits cost little
    let mut piece = (study.threads() * study.batch() * 4).max(1);
    let mut rest: &[(usize, usize)] = &pending;
    while !rest.is_empty() {
        let (pairs, after) = rest.split_at(piece.min(rest.len()));
        rest = after;
        let started = std::time::Instant::now();
        let finished = study
            .pair_runs(pairs, &progress)
            .map_err(|stopped| Error::Suspended {
                signal: stopped.0,
                checkpoint: checkpoint.dir().to_path_buf(),
                kept: done.len(),
                total,
            })?;
        let (v, run) = pairs[0];
        checkpoint.save(v * runs + run, &finished)?;
        if fail_fast && let Some(err) = finished.iter().find_map(fail) {
            return Err(err);
        }
        done.extend(finished);
        if started.elapsed().as_secs_f64() < PIECE_SECONDS {
            piece = piece.saturating_mul(2);
        }
    }
    progress.finish();
    done.sort_by_key(|r| (r.variant, r.run));
    Ok((done, resumed, checkpoint))
}

/// [`compute`] for `hinterland run`: the runs of `shard` of `study` (all of them when `None`)
/// as its ensemble keeps them ([`RunPiece`], daily series included), in pieces kept in the
/// checkpoint as they finish (`<first pair>.bin`, [`crate::output::pieces`]). Each run, taken
/// from an earlier attempt's checkpoint or computed, is handed to `take`, in no particular
/// order. Under `--fail-fast` the first failed run is the error. How many runs were taken
/// from the checkpoint, and the checkpoint (to be removed once the results have landed).
pub fn compute_pieces(
    study: &Study,
    shard: Option<Shard>,
    out: &Path,
    identity: Identity,
    force: bool,
    keep: KeepRecords,
    mut take: impl FnMut(RunPiece) -> Result<(), Error>,
) -> Result<(usize, Checkpoint), Error> {
    use crate::output::pieces::{header, read_pieces, write_piece};
    let runs = study.runs();
    let (mine, checkpoint, files) = open(study, shard, out, identity, force, "bin")?;
    let wanted: BTreeSet<(usize, usize)> = mine.iter().copied().collect();
    let fail = |piece: &RunPiece| -> Option<Error> {
        let why = piece.failure.as_deref()?;
        let name = study.setups()[piece.variant].name();
        Some(failure_error(name, piece.run, &piece.draws, why))
    };
    let fail_fast = study.fail_fast();
    // a run kept twice (two processes resuming at once) counts once
    let mut have: BTreeSet<(usize, usize)> = BTreeSet::new();
    for file in &files {
        read_pieces(file, |piece: RunPiece| {
            let pair = (piece.variant, piece.run);
            if !wanted.contains(&pair) || !have.insert(pair) {
                return Ok(());
            }
            if fail_fast && let Some(err) = fail(&piece) {
                return Err(err);
            }
            take(piece)
        })?;
    }
    let resumed = have.len();
    let pending: Vec<(usize, usize)> = mine.into_iter().filter(|p| !have.contains(p)).collect();
    let total = resumed + pending.len();
    let progress = progress(study, shard, &checkpoint, resumed, pending.len());
    // as in `compute`, but a piece's daily series are held until it is kept: at most
    // PIECE_BYTES of them
    let layout = crate::metrics::ensemble::Layout::new(study.economy(), study.kinds());
    let per_run = crate::metrics::ensemble::series_ids(&layout).len() as u64
        * study.model().days() as u64
        * 8;
    let fitting = |per_run: u64| {
        usize::try_from(crate::montecarlo::PIECE_BYTES / per_run.max(1))
            .unwrap_or(usize::MAX)
            .max(1)
    };
    let mut most = fitting(per_run);
    // records kept (`--records`) can outweigh the series many times: start at one batch per
    // thread, and size the pieces by the bytes they turn out to hold
    let batches = if keep == KeepRecords::None { 4 } else { 1 };
    let mut piece = (study.threads() * study.batch() * batches).clamp(1, most);
    let mut rest: &[(usize, usize)] = &pending;
    let mut kept = resumed;
    while !rest.is_empty() {
        let (pairs, after) = rest.split_at(piece.min(rest.len()));
        rest = after;
        let started = std::time::Instant::now();
        let finished = study
            .run_pieces(pairs, keep, &progress)
            .map_err(|stopped| Error::Suspended {
                signal: stopped.0,
                checkpoint: checkpoint.dir().to_path_buf(),
                kept,
                total,
            })?;
        let mut bytes = header().to_vec();
        for one in &finished {
            write_piece(&mut bytes, one);
        }
        let (v, run) = pairs[0];
        checkpoint.save_bytes(v * runs + run, "bin", &bytes)?;
        most = most.min(fitting(bytes.len() as u64 / finished.len().max(1) as u64));
        drop(bytes);
        kept += finished.len();
        if fail_fast && let Some(err) = finished.iter().find_map(fail) {
            return Err(err);
        }
        for one in finished {
            take(one)?;
        }
        if started.elapsed().as_secs_f64() < PIECE_SECONDS {
            piece = piece.saturating_mul(2);
        }
        piece = piece.min(most);
    }
    progress.finish();
    Ok((resumed, checkpoint))
}

/// Runs that failed: `(variant name, run, why)` each.
pub type Failures = Vec<(String, usize, String)>;

/// The runs of `runs` that failed.
pub fn failures(study: &Study, runs: &[PairRun]) -> Failures {
    runs.iter()
        .filter_map(|r| {
            Some((
                study.setups()[r.variant].name().to_string(),
                r.run,
                r.failure.clone()?,
            ))
        })
        .collect()
}

/// Refused unless `study` makes the `variants` variants the shards hold.
pub fn same_variants(
    study: &Study,
    variants: usize,
    refuse: &dyn Fn(Vec<String>) -> Error,
) -> Result<(), Error> {
    if study.setups().len() == variants {
        return Ok(());
    }
    Err(refuse(vec![format!(
        "the shards hold {variants} variants, the scenario makes {}",
        study.setups().len()
    )]))
}

/// Write shard `shard`'s folder, `<out>/shards/<I>-of-<N>/`: its identity, the scenario's
/// bytes and its runs. The folder appears whole or not at all.
pub fn write_shard(
    out: &Path,
    shard: Shard,
    identity: &Identity,
    scenario: &[u8],
    runs: &[PairRun],
    force: bool,
) -> Result<PathBuf, Error> {
    let dir = OutputDir::create(&out.join(SHARDS).join(shard.name()), force)?;
    dir.write_file(IDENTITY, |w| {
        std::io::Write::write_all(w, identity.to_json().as_bytes())
    })?;
    dir.write_file(SCENARIO, |w| std::io::Write::write_all(w, scenario))?;
    dir.write_file(SHARD_RUNS, |w| write_pairs(w, runs))?;
    Ok(dir.commit()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_shard_comes_from_the_flag_or_the_schedulers_variable() {
        let none = env(&[]);
        assert_eq!(shard_in(None, None, &none).unwrap(), None);
        assert_eq!(
            shard_in(Some(7), Some(3), &none).unwrap(),
            Some(Shard { index: 3, count: 7 })
        );
        let slurm = env(&[("SLURM_ARRAY_TASK_ID", "6"), ("JOB_COMPLETION_INDEX", "1")]);
        assert_eq!(
            shard_in(Some(7), None, &slurm).unwrap(),
            Some(Shard { index: 6, count: 7 })
        );
        // the flag wins over the environment
        assert_eq!(
            shard_in(Some(7), Some(2), &slurm).unwrap(),
            Some(Shard { index: 2, count: 7 })
        );
        let k8s = env(&[("JOB_COMPLETION_INDEX", "4")]);
        assert_eq!(shard_in(Some(5), None, &k8s).unwrap().unwrap().index, 4);
        let aws = env(&[("AWS_BATCH_JOB_ARRAY_INDEX", "0")]);
        assert_eq!(shard_in(Some(2), None, &aws).unwrap().unwrap().index, 0);
    }

    #[test]
    fn a_shard_outside_the_count_or_without_one_is_refused() {
        let none = env(&[]);
        let err = shard_in(Some(7), Some(7), &none).unwrap_err().to_string();
        assert!(
            err.contains("numbered 0 to 6") && err.contains("--array=0-6"),
            "{err}"
        );
        let slurm = env(&[("SLURM_ARRAY_TASK_ID", "7")]);
        let err = shard_in(Some(7), None, &slurm).unwrap_err().to_string();
        assert!(err.contains("SLURM_ARRAY_TASK_ID=7"), "{err}");
        let err = shard_in(Some(7), None, &none).unwrap_err().to_string();
        assert!(
            err.contains("--shard I") && err.contains("SLURM_ARRAY_TASK_ID"),
            "{err}"
        );
        assert!(shard_in(None, Some(1), &none).is_err());
        assert!(shard_in(Some(0), Some(0), &none).is_err());
        let junk = env(&[("SLURM_ARRAY_TASK_ID", "x")]);
        assert!(shard_in(Some(3), None, &junk).is_err());
        for err in [
            shard_in(Some(7), Some(7), &none).unwrap_err(),
            shard_in(Some(7), None, &none).unwrap_err(),
        ] {
            assert!(err.is_input_error(), "exit status 2: {err}");
        }
    }
}
