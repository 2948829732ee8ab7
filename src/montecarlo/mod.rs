//! Runs: the Monte Carlo loop over a scenario's runs, each with its own shock draws.
//!
//! Runs are independent: run `k` draws its shocks from streams seeded by `(seed, k, shock)`
//! only, runs execute in parallel (rayon) and are collected in run order, so results are the
//! same bytes whatever the number of threads.

use rayon::prelude::*;

use crate::economy::Economy;
use crate::engine::Simulation;
use crate::metrics::{Record, Recorder};
use crate::model::Model;
use crate::scenario::ScenarioError;
use crate::shocks::{Draw, Plan, Shocks};

/// The outcome of one run.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// Run index.
    pub run: usize,
    /// Daily records.
    pub records: Vec<Record>,
    /// Values drawn for the run's shocks.
    pub draws: Vec<Draw>,
}

/// Simulate `shocks` on `economy` for the model's days and return the daily records.
pub fn simulate(model: &Model, economy: &Economy, shocks: Shocks) -> Vec<Record> {
    let mut simulation = Simulation::new(economy, &model.dynamics, shocks);
    let mut recorder = Recorder::new(economy, &model.records, model.days);
    for _ in 0..model.days {
        simulation.step();
        recorder.record(&simulation);
    }
    recorder.into_records()
}

/// Run the model once (run 0 of its seed) on `economy` and return its daily records.
pub fn run_once(model: &Model, economy: &Economy) -> Result<Vec<Record>, ScenarioError> {
    let plan = Plan::new(model, economy)?;
    Ok(simulate(model, economy, plan.first_run(economy)))
}

/// Every run `0..runs` with shock seed `seed`, in parallel on the current rayon pool,
/// returned in run order.
pub fn run_all(
    model: &Model,
    economy: &Economy,
    plan: &Plan,
    runs: usize,
    seed: u64,
) -> Vec<RunResult> {
    (0..runs)
        .into_par_iter()
        .map(|run| {
            let drawn = plan.draw(economy, seed, run as u64);
            RunResult {
                run,
                records: simulate(model, economy, drawn.shocks),
                draws: drawn.draws,
            }
        })
        .collect()
}
