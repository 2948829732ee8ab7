//! Runs: one simulation of a model over its days, collecting daily records.

use crate::economy::Economy;
use crate::engine::Simulation;
use crate::metrics::{Record, Recorder};
use crate::model::Model;
use crate::scenario::ScenarioError;
use crate::shocks;

/// Run the model once on `economy` and return its daily records.
pub fn run_once(model: &Model, economy: &Economy) -> Result<Vec<Record>, ScenarioError> {
    let shocks = shocks::resolve(&model.shocks, economy, model.dynamics.compat, &model.source)?;
    let mut simulation = Simulation::new(economy, &model.dynamics, shocks);
    let mut recorder = Recorder::new(economy, &model.records, model.days);
    for _ in 0..model.days {
        simulation.step();
        recorder.record(&simulation);
    }
    Ok(recorder.into_records())
}
