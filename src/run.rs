//! The `run` command as a library function: scenario file in, output directory out.

use std::path::{Path, PathBuf};

use crate::Error;
use crate::economy;
use crate::model::Model;
use crate::montecarlo;
use crate::output::{OutputDir, OutputError, write_record};
use crate::plot;
use crate::scenario;

/// What `hinterland run` was asked to do.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The scenario file.
    pub scenario: PathBuf,
    /// Output directory; `None` = `output/<scenario name>`.
    pub out: Option<PathBuf>,
    /// Replace an existing output directory.
    pub force: bool,
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
    /// Files written, relative to `out`.
    pub files: Vec<String>,
}

/// Load, check, build, run and write. Nothing is left at the destination unless everything
/// succeeded.
pub fn run(options: &RunOptions) -> Result<RunReport, Error> {
    let parsed = scenario::load(&options.scenario)?;
    let model = Model::from_scenario(&parsed, &options.scenario)?;
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(&model.name));
    // Refuse an existing destination before any work is done.
    if out.exists() && !options.force {
        return Err(OutputError::Exists { path: out }.into());
    }
    let economy = economy::build(&model.economy)?;
    let records = montecarlo::run_once(&model, &economy)?;
    let source = std::fs::read(&options.scenario).map_err(|source| OutputError::Io {
        path: options.scenario.clone(),
        source,
    })?;
    // Only now touch the disk, in a temporary folder: a failed run leaves nothing behind.
    let dir = OutputDir::create(&out, options.force)?;
    let mut files = Vec::new();
    dir.write_file("scenario.ron", |w| std::io::Write::write_all(w, &source))?;
    files.push("scenario.ron".to_string());
    for record in &records {
        let name = format!("records/{}.csv", record.kind.file_stem());
        dir.write_file(&name, |w| write_record(record, w))?;
        files.push(name);
    }
    files.extend(plot::draw_all(dir.path(), &model.name)?);
    let out = dir.commit()?;
    Ok(RunReport {
        out,
        firms: economy.n_firms(),
        links: economy.n_links(),
        days: model.days,
        files,
    })
}
