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
/// selectors and rules of every shock, policy and variant, and a sweep's values, metrics and
/// design (each value alone on the scenario, not every combination: `sweep` checks those).
///
/// The memory check is `run`'s with the scenario's runs and one thread per core, against
/// `max_memory` or what the machine has.
pub fn validate(path: &Path, max_memory: Option<u64>) -> Result<Validated, Error> {
    let model = Model::load(path)?;
    // a sweep: every value was tried on the scenario when it was checked; its metrics and its
    // design are checked here
    crate::montecarlo::SweepPlan::new(&model)?;
    let options = StudyOptions {
        keep_records: model.runs() <= 1,
        max_memory,
        ..StudyOptions::default()
    };
    let study = Study::new(model, &options)?;
    let warnings = super::run::study_warnings(&study);
    Ok(Validated { study, warnings })
}
