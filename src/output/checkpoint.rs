//! Checkpoints: the runs a command has finished, kept in `<out>/.checkpoint/` (a shard's in
//! `<out>/.checkpoint/<I>-of-<N>/`) so that the same command, started again after a kill,
//! computes only what is missing.
//!
//! The folder holds `identity.json` (what the work is: [`Identity`]) and one file of runs per
//! batch finished, named by its first pair: `<first pair>.jsonl` for a sweep
//! ([`super::pairs`]), `<first pair>.bin` for a run ([`super::pieces`]). Every file is written beside its
//! name and renamed into place, so a kill at any moment leaves either the whole batch or none
//! of it. The folder is removed once the results have landed.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::pairs::{IDENTITY, Identity, read_pairs, write_pairs};
use super::{OutputError, io_err};
use crate::montecarlo::PairRun;

/// The checkpoint folder inside an output folder.
pub const CHECKPOINT: &str = ".checkpoint";

/// Whether `dir` holds nothing but a checkpoint (a command that was stopped): it may be
/// resumed into without `--force`.
pub fn only_checkpoint(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .all(|entry| entry.file_name() == CHECKPOINT)
    })
}

/// Write `bytes` to `path` atomically: beside it under a temporary name, then renamed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let mut file = fs::File::create(&temporary).map_err(io_err(path))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(io_err(path))?;
    drop(file);
    fs::rename(&temporary, path).map_err(io_err(path))
}

/// A command's checkpoint folder.
#[derive(Debug)]
pub struct Checkpoint {
    dir: PathBuf,
    identity: Identity,
}

impl Checkpoint {
    /// The checkpoint of the work `identity` in `dir`, and its files of runs with extension
    /// `ext` (`jsonl`, `bin`), in order (none when the folder does not exist). A folder of other work is refused with what changed,
    /// unless `force`, which empties it.
    pub fn open(
        dir: &Path,
        identity: Identity,
        force: bool,
        ext: &str,
    ) -> Result<(Checkpoint, Vec<PathBuf>), OutputError> {
        let checkpoint = Checkpoint {
            dir: dir.to_path_buf(),
            identity,
        };
        let kept = dir.join(IDENTITY);
        if !kept.exists() {
            return Ok((checkpoint, Vec::new()));
        }
        let then = Identity::read(&kept).map_err(|message| OutputError::Malformed {
            path: kept.clone(),
            message,
        })?;
        let changed = then.differences(&checkpoint.identity, true);
        if !changed.is_empty() {
            if force {
                fs::remove_dir_all(dir).map_err(io_err(dir))?;
                return Ok((checkpoint, Vec::new()));
            }
            return Err(OutputError::Mismatch {
                path: dir.to_path_buf(),
                message: format!(
                    "holds the finished runs of other work: {}. Run the command as it was to \
                     resume it, or add --force to start again",
                    changed.join("; ")
                ),
            });
        }
        let mut kept = Vec::new();
        let mut files: Vec<PathBuf> = fs::read_dir(dir)
            .map_err(io_err(dir))?
            .flatten()
            .map(|entry| entry.path())
            .collect();
        files.sort();
        for file in files {
            let name = file.file_name().unwrap_or_default().to_string_lossy();
            if name.starts_with('.') {
                // a batch cut short by a kill: never renamed into place
                let _ = fs::remove_file(&file);
            } else if file.extension().is_some_and(|e| e == ext) {
                kept.push(file);
            }
        }
        Ok((checkpoint, kept))
    }

    /// The runs a sweep's checkpoint holds: its files read, a run kept twice (two processes
    /// resuming at once) counted once.
    pub fn read_runs(files: &[PathBuf]) -> Result<Vec<PairRun>, OutputError> {
        let mut runs = Vec::new();
        for file in files {
            runs.extend(read_pairs(file)?);
        }
        runs.sort_by_key(|r| (r.variant, r.run));
        runs.dedup_by_key(|r| (r.variant, r.run));
        Ok(runs)
    }

    /// Keep `runs` (a finished batch of a sweep; `first`: its first pair's number, which
    /// names the file).
    pub fn save(&self, first: usize, runs: &[PairRun]) -> Result<(), OutputError> {
        if runs.is_empty() {
            return Ok(());
        }
        let mut bytes = Vec::new();
        write_pairs(&mut bytes, runs).map_err(io_err(&self.dir))?;
        self.save_bytes(first, "jsonl", &bytes)
    }

    /// Keep a finished batch already written as `bytes`, in `<first>.<ext>`.
    pub fn save_bytes(&self, first: usize, ext: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let identity = self.dir.join(IDENTITY);
        if !identity.exists() {
            fs::create_dir_all(&self.dir).map_err(io_err(&self.dir))?;
            write_atomic(&identity, self.identity.to_json().as_bytes())?;
        }
        write_atomic(&self.dir.join(format!("{first:09}.{ext}")), bytes)
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Remove the folder (the results have landed), and its parent `.checkpoint` when it is
    /// left empty.
    pub fn remove(self) {
        let _ = fs::remove_dir_all(&self.dir);
        if let Some(parent) = self.dir.parent()
            && parent.file_name().is_some_and(|n| n == CHECKPOINT)
        {
            // fails, as it should, while other shards' checkpoints are in it
            let _ = fs::remove_dir(parent);
        }
    }
}
