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
use crate::policy::Policies;
use crate::scenario::ScenarioError;
use crate::shocks::{Draw, Plan, Shocks};

/// What one run of a policy did.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyOutcome {
    /// Backup or reserve name.
    pub name: String,
    /// `backup` or `reserve`.
    pub kind: &'static str,
    /// First day the backup was triggered.
    pub activation_day: Option<u32>,
    /// Times the backup was triggered.
    pub activations: u32,
    /// Output of the backup units, or release of the reserve, over the run (money).
    pub delivered: f64,
    /// Holding cost over the run (money): capacity value × rate × days / 365.
    pub holding_cost: f64,
    /// Activation cost over the run (money).
    pub activation_cost: f64,
}

/// The outcome of one run.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// Run index.
    pub run: usize,
    /// Daily records.
    pub records: Vec<Record>,
    /// Values drawn for the run's shocks.
    pub draws: Vec<Draw>,
    /// What each policy did.
    pub policies: Vec<PolicyOutcome>,
}

/// Simulate `shocks` on `economy` (extended with the policies' backup units) for the model's
/// days; the daily records and what each policy did.
pub fn simulate(
    model: &Model,
    economy: &Economy,
    policies: &Policies,
    shocks: Shocks,
) -> (Vec<Record>, Vec<PolicyOutcome>) {
    let mut simulation = Simulation::with_policies(economy, &model.dynamics, shocks, policies);
    let mut recorder = Recorder::with_policies(economy, &model.records, model.days, policies);
    let mut unit_output = vec![0.0; policies.backups.len()];
    for _ in 0..model.days {
        simulation.step();
        recorder.record(&simulation);
        for (total, backup) in unit_output.iter_mut().zip(&policies.backups) {
            *total += backup
                .firms
                .iter()
                .map(|&f| simulation.production()[f as usize])
                .sum::<f64>();
        }
    }
    let years = model.days as f64 / 365.0;
    let mut outcomes = Vec::new();
    if let Some(state) = simulation.policy() {
        for (b, backup) in policies.backups.iter().enumerate() {
            let run = &state.backups[b];
            outcomes.push(PolicyOutcome {
                name: backup.name.clone(),
                kind: "backup",
                activation_day: run.first_activation,
                activations: run.activations,
                delivered: unit_output[b],
                holding_cost: backup.capacity_value * backup.holding_cost_rate * years,
                activation_cost: backup.activation_cost * f64::from(run.activations),
            });
        }
        for (r, reserve) in policies.reserves.iter().enumerate() {
            outcomes.push(PolicyOutcome {
                name: reserve.name.clone(),
                kind: "reserve",
                activation_day: None,
                activations: 0,
                delivered: state.released_total[r],
                holding_cost: 0.0,
                activation_cost: 0.0,
            });
        }
    }
    (recorder.into_records(), outcomes)
}

/// Run the model once (run 0 of its seed) and return its daily records.
pub fn run_once(model: &Model, economy: &Economy) -> Result<Vec<Record>, ScenarioError> {
    let (extended, policies) = Policies::new(model, economy)?;
    let economy = extended.as_ref().unwrap_or(economy);
    let plan = Plan::new(model, economy)?;
    Ok(simulate(model, economy, &policies, plan.first_run(economy)).0)
}

/// Every run `0..runs` with shock seed `seed`, in parallel on the current rayon pool,
/// returned in run order. `economy` is the one the policies were resolved on.
pub fn run_all(
    model: &Model,
    economy: &Economy,
    policies: &Policies,
    plan: &Plan,
    runs: usize,
    seed: u64,
) -> Vec<RunResult> {
    run_map(model, economy, policies, plan, runs, seed, |result| result)
}

/// Every run, each reduced by `keep` as soon as it finishes (so that an ensemble holds only
/// what it needs), returned in run order.
pub fn run_map<T: Send>(
    model: &Model,
    economy: &Economy,
    policies: &Policies,
    plan: &Plan,
    runs: usize,
    seed: u64,
    keep: impl Fn(RunResult) -> T + Sync,
) -> Vec<T> {
    (0..runs)
        .into_par_iter()
        .map(|run| {
            let drawn = plan.draw(economy, seed, run as u64);
            let (records, outcomes) = simulate(model, economy, policies, drawn.shocks);
            keep(RunResult {
                run,
                records,
                draws: drawn.draws,
                policies: outcomes,
            })
        })
        .collect()
}
