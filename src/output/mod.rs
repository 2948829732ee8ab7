//! Writing results: CSV records with round-trip numbers, in an output directory that appears
//! whole or not at all.
//!
//! An [`OutputDir`] is built in a hidden folder beside its destination,
//! `.<name>.partial-<host>-<pid>`, and renamed into place by [`OutputDir::commit`]; if the run
//! fails or is interrupted (SIGINT, SIGTERM: [`crate::interrupt`]) before that, the folder is
//! removed once, by its owner, and nothing is left at the destination. A run killed outright
//! leaves its folder; the next run into the same parent on the same machine removes it (only
//! when its process is dead: a shared cluster filesystem may hold other machines' live ones).
//! An existing destination is only replaced with `force`.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub mod checkpoint;
pub mod ensemble;
pub mod layout;
mod manifest;
pub mod netcdf;
pub mod optimize;
pub mod pairs;
pub mod pieces;
pub mod rank;
mod study;
pub mod sweep;
pub mod trajectories;

pub use manifest::{Manifest, Provenance, data_checksums, fnv1a, git_commit, sha256, timestamp};
pub use study::write_study;

use crate::metrics::Record;
use crate::table::{Writer, number};
use layout::RECORD_STEP;

/// A failure to write results.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The destination exists and `--force` was not given.
    #[error("{}: already exists; use --force to replace it", path.display())]
    Exists {
        /// The destination.
        path: PathBuf,
    },
    /// The destination holds an input of the run (`--force` would delete it).
    #[error(
        "{}: refusing to replace it: it holds {}, an input of this run; choose another --out",
        path.display(),
        input.display()
    )]
    HoldsInput {
        /// The destination.
        path: PathBuf,
        /// The input inside it.
        input: PathBuf,
    },
    /// The destination cannot be made (its parent is a file, …).
    #[error("{}: cannot write the results there: {message}", path.display())]
    Unusable {
        /// The destination.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// A file the command wrote earlier (a shard, a checkpoint) that cannot be read back.
    #[error("{}: {message}", path.display())]
    Malformed {
        /// The file, with `:line` where it is known.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Files of other work where this work would go (a checkpoint of another sweep).
    #[error("{}: {message}", path.display())]
    Mismatch {
        /// The folder.
        path: PathBuf,
        /// What differs.
        message: String,
    },
    /// SIGINT or SIGTERM stopped the writing; the folder under construction is removed.
    #[error(transparent)]
    Interrupted(#[from] crate::interrupt::Interrupted),
    /// An I/O error on a path.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path written.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Write a record as CSV: `step,<col>,...` then one line per day.
pub fn write_record(record: &Record, out: impl Write) -> io::Result<()> {
    let mut table = Writer::new(out);
    table.row(std::iter::once(RECORD_STEP).chain(record.columns.iter().map(String::as_str)))?;
    for day in 0..record.days() {
        table.row(
            std::iter::once(day.to_string()).chain(record.row(day).iter().map(|&v| number(v))),
        )?;
    }
    table.finish()
}

/// Check a destination before any work: it may not exist unless `force`; with `force` it may
/// not hold (or be) any of `inputs`; and its nearest existing ancestor must be a folder.
pub fn check_destination(
    destination: &Path,
    force: bool,
    inputs: &[&Path],
) -> Result<(), OutputError> {
    if destination.exists() {
        if !force && !checkpoint::only_checkpoint(destination) {
            return Err(OutputError::Exists {
                path: destination.to_path_buf(),
            });
        }
        if let Ok(target) = destination.canonicalize() {
            for input in inputs {
                if let Ok(input) = input.canonicalize()
                    && input.starts_with(&target)
                {
                    return Err(OutputError::HoldsInput {
                        path: destination.to_path_buf(),
                        input,
                    });
                }
            }
        }
    }
    let mut ancestor = destination.parent();
    while let Some(folder) = ancestor {
        if folder.as_os_str().is_empty() || folder.exists() {
            break;
        }
        ancestor = folder.parent();
    }
    if let Some(folder) = ancestor.filter(|f| !f.as_os_str().is_empty() && !f.is_dir()) {
        return Err(OutputError::Unusable {
            path: destination.to_path_buf(),
            message: format!("{} is not a folder", folder.display()),
        });
    }
    Ok(())
}

/// This machine's name, for the names of folders under construction (a shared cluster
/// filesystem may hold other machines' live ones).
fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty() && !h.contains(['/', '\\']))
        .unwrap_or_else(|| "localhost".into())
}

/// Whether process `pid` of this machine is alive (`true` where it cannot be told).
fn alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if !proc.is_dir() {
        return true;
    }
    let entry = proc.join(pid.to_string());
    match fs::read_to_string(entry.join("stat")) {
        // `pid (name) S …`: a zombie (Z) or dead (X) process is gone, though not yet
        // reaped (in a container whose first process reaps nothing, never)
        Ok(stat) => !stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.trim_start().chars().next())
            .is_some_and(|state| state == 'Z' || state == 'X'),
        Err(_) => entry.exists(),
    }
}

/// Remove this machine's folders under construction for `name` in `parent` whose process is
/// dead (left by a run that was killed outright); other machines' are left alone.
fn remove_stale(parent: &Path, name: &str) {
    let prefix = format!(".{name}.partial-{}-", host());
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(pid) = file
            .to_str()
            .and_then(|f| f.strip_prefix(&prefix))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !alive(pid) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// An output directory under construction.
#[derive(Debug)]
pub struct OutputDir {
    destination: PathBuf,
    temporary: PathBuf,
    force: bool,
    committed: bool,
    /// Built inside the destination, an existing folder whose other entries stay
    /// ([`OutputDir::create_within`]).
    within: bool,
}

impl OutputDir {
    /// Start building `destination`. Fails at once if it exists and `force` is false, so that
    /// no work is done for nothing.
    pub fn create(destination: &Path, force: bool) -> Result<OutputDir, OutputError> {
        if destination.exists() && !force && !checkpoint::only_checkpoint(destination) {
            return Err(OutputError::Exists {
                path: destination.to_path_buf(),
            });
        }
        let name = destination
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        let parent = match destination.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        remove_stale(&parent, &name);
        let temporary = parent.join(format!(".{name}.partial-{}-{}", host(), std::process::id()));
        if temporary.exists() {
            fs::remove_dir_all(&temporary).map_err(io_err(&temporary))?;
        }
        fs::create_dir_all(&temporary).map_err(io_err(destination))?;
        Ok(OutputDir {
            destination: destination.to_path_buf(),
            temporary,
            force,
            committed: false,
            within: false,
        })
    }

    /// Start building results inside `destination`, an existing folder whose other entries
    /// stay (a merge's `shards/`): built in `destination/.results.partial-<host>-<pid>`, then
    /// moved in entry by entry, `manifest.json` last, by [`OutputDir::commit`]. Results there
    /// already (a `manifest.json`) are only replaced with `force`.
    pub fn create_within(destination: &Path, force: bool) -> Result<OutputDir, OutputError> {
        let manifest = destination.join(layout::MANIFEST);
        if manifest.exists() && !force {
            return Err(OutputError::Exists { path: manifest });
        }
        remove_stale(destination, "results");
        let temporary = destination.join(format!(
            ".results.partial-{}-{}",
            host(),
            std::process::id()
        ));
        if temporary.exists() {
            fs::remove_dir_all(&temporary).map_err(io_err(&temporary))?;
        }
        fs::create_dir_all(&temporary).map_err(io_err(destination))?;
        Ok(OutputDir {
            destination: destination.to_path_buf(),
            temporary,
            force,
            committed: false,
            within: true,
        })
    }

    /// Move the entries of a folder built [`within`](Self::create_within) its destination
    /// into place, each by a rename, `manifest.json` last: the results have landed when it
    /// is there.
    fn commit_within(mut self) -> Result<PathBuf, OutputError> {
        crate::interrupt::check()?;
        let manifest = self.destination.join(layout::MANIFEST);
        if manifest.exists() && !self.force {
            return Err(OutputError::Exists { path: manifest });
        }
        let mut entries: Vec<PathBuf> = fs::read_dir(&self.temporary)
            .map_err(io_err(&self.destination))?
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort_by_key(|p| (p.file_name() == Some(layout::MANIFEST.as_ref()), p.clone()));
        // the old manifest goes first: until the new one lands, no results are claimed
        if manifest.exists() {
            fs::remove_file(&manifest).map_err(io_err(&manifest))?;
        }
        for entry in entries {
            let target = self.destination.join(entry.file_name().unwrap_or_default());
            if target.is_dir() {
                let aside = self.temporary.join(format!(
                    ".replaced-{}",
                    target.file_name().unwrap_or_default().to_string_lossy()
                ));
                fs::rename(&target, &aside).map_err(io_err(&target))?;
            }
            fs::rename(&entry, &target).map_err(io_err(&target))?;
        }
        self.committed = true;
        let _ = fs::remove_dir_all(&self.temporary);
        Ok(self.destination.clone())
    }

    /// The folder to write into until [`commit`](Self::commit).
    pub fn path(&self) -> &Path {
        &self.temporary
    }

    /// The folder as it will be once committed (for messages).
    pub fn destination(&self) -> &Path {
        &self.destination
    }

    /// Write a file at `relative` inside the output (folders created as needed).
    pub fn write_file(
        &self,
        relative: &str,
        write: impl FnOnce(&mut io::BufWriter<fs::File>) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        crate::interrupt::check()?;
        let path = self.temporary.join(relative);
        // errors name the file as it will be, never the temporary folder
        let shown = self.destination.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_err(&shown))?;
        }
        let file = fs::File::create(&path).map_err(io_err(&shown))?;
        let mut writer = io::BufWriter::new(file);
        write(&mut writer).map_err(io_err(&shown))?;
        writer.flush().map_err(io_err(&shown))?;
        Ok(())
    }

    /// [`OutputDir::write_file`], then `relative` added to `listed` (the files a writer
    /// reports, in order).
    pub fn write_listed(
        &self,
        relative: &str,
        listed: &mut Vec<String>,
        write: impl FnOnce(&mut io::BufWriter<fs::File>) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        self.write_file(relative, write)?;
        listed.push(relative.to_string());
        Ok(())
    }

    /// Move the finished output into place, replacing an existing destination only with
    /// `force` (the old one is moved aside first and removed after the rename).
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        if self.within {
            return self.commit_within();
        }
        crate::interrupt::check()?;
        let mut aside = None;
        if self.destination.exists() {
            if !self.force && !checkpoint::only_checkpoint(&self.destination) {
                return Err(OutputError::Exists {
                    path: self.destination.clone(),
                });
            }
            let old = self.temporary.with_file_name(format!(
                ".replaced-{}-{}",
                host(),
                std::process::id()
            ));
            fs::rename(&self.destination, &old).map_err(io_err(&self.destination))?;
            aside = Some(old);
        }
        fs::rename(&self.temporary, &self.destination).map_err(io_err(&self.destination))?;
        self.committed = true;
        if let Some(old) = aside {
            let _ = fs::remove_dir_all(old);
        }
        Ok(self.destination.clone())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temporary);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    #[test]
    fn a_killed_process_not_yet_reaped_is_not_alive() {
        if !std::path::Path::new("/proc").is_dir() {
            return;
        }
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let pid = child.id();
        assert!(super::alive(pid));
        child.kill().unwrap();
        // a zombie until it is waited for: its folder under construction is stale already
        let deadline = Instant::now() + Duration::from_secs(5);
        while super::alive(pid) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(!super::alive(pid), "a zombie counts as dead");
        child.wait().unwrap();
        assert!(!super::alive(pid));
        assert!(super::alive(std::process::id()));
    }
}
