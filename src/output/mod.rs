//! Writing results: CSV records with round-trip numbers, in an output directory that appears
//! whole or not at all.
//!
//! An [`OutputDir`] is built in a hidden temporary folder beside its destination and renamed
//! into place by [`OutputDir::commit`]; if the run fails or is interrupted before that, the
//! temporary folder is removed and nothing is left at the destination. An existing
//! destination is only replaced with `force`.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub mod ensemble;
pub mod layout;
mod manifest;
mod study;

pub use manifest::{Manifest, Provenance, fnv1a, timestamp};
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
        if !force {
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

/// Output folders under construction, removed by [`remove_partial_outputs`] on interruption.
static PARTIAL: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Remove every output folder still under construction (for an interrupt handler: the
/// destination is never half-written, and this also removes the hidden temporary folder).
pub fn remove_partial_outputs() {
    if let Ok(partial) = PARTIAL.lock() {
        for path in partial.iter() {
            let _ = fs::remove_dir_all(path);
        }
    }
}

fn register(path: &Path, add: bool) {
    if let Ok(mut partial) = PARTIAL.lock() {
        if add {
            partial.push(path.to_path_buf());
        } else {
            partial.retain(|p| p != path);
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
}

impl OutputDir {
    /// Start building `destination`. Fails at once if it exists and `force` is false, so that
    /// no work is done for nothing.
    pub fn create(destination: &Path, force: bool) -> Result<OutputDir, OutputError> {
        if destination.exists() && !force {
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
        let temporary = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if temporary.exists() {
            fs::remove_dir_all(&temporary).map_err(io_err(&temporary))?;
        }
        fs::create_dir_all(&temporary).map_err(io_err(&temporary))?;
        register(&temporary, true);
        Ok(OutputDir {
            destination: destination.to_path_buf(),
            temporary,
            force,
            committed: false,
        })
    }

    /// The folder to write into until [`commit`](Self::commit).
    pub fn path(&self) -> &Path {
        &self.temporary
    }

    /// Write a file at `relative` inside the output (folders created as needed).
    pub fn write_file(
        &self,
        relative: &str,
        write: impl FnOnce(&mut io::BufWriter<fs::File>) -> io::Result<()>,
    ) -> Result<(), OutputError> {
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

    /// Move the finished output into place, replacing an existing destination only with
    /// `force` (the old one is moved aside first and removed after the rename).
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        let mut aside = None;
        if self.destination.exists() {
            if !self.force {
                return Err(OutputError::Exists {
                    path: self.destination.clone(),
                });
            }
            let old = self
                .temporary
                .with_file_name(format!(".replaced-{}", std::process::id()));
            fs::rename(&self.destination, &old).map_err(io_err(&self.destination))?;
            aside = Some(old);
        }
        fs::rename(&self.temporary, &self.destination).map_err(io_err(&self.destination))?;
        self.committed = true;
        register(&self.temporary, false);
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
            register(&self.temporary, false);
        }
    }
}
