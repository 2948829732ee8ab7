//! `hinterland validate`: every check of `run`, nothing simulated or written.

use std::path::Path;

use crate::Error;
use crate::model::Model;
use crate::montecarlo::{Study, StudyOptions};

/// A scenario that passed every check.
#[derive(Debug)]
pub struct Validated {
    /// The scenario made ready to run: its economy, and every variant's policies and shocks.
    pub study: Study,
    /// What the scenario allows but probably does not mean, as `file: at: message`.
    pub warnings: Vec<String>,
}

/// Every check `run` makes before simulating: syntax, ranges, the MRIO table, and the names,
/// selectors and rules of every shock, policy and variant.
pub fn validate(path: &Path) -> Result<Validated, Error> {
    let model = Model::load(path)?;
    let warnings = super::run::warnings(&model);
    let study = Study::new(model, &StudyOptions::default())?;
    Ok(Validated { study, warnings })
}
