//! One run of one variant: draw its shocks, step the engine day by day, record, and report
//! what each policy did.

use crate::economy::Economy;
use crate::engine::{Batch, Simulation};
use crate::kinds::RecordKind;
use crate::metrics::{Record, Recorder};
use crate::model::Dynamics;
use crate::policy::Policies;
use crate::shocks::{Draw, Shocks};

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

/// Simulate `shocks` on `economy` (extended with the policies' backup units) for `days` days;
/// the daily records of `kinds` and what each policy did.
pub fn simulate(
    economy: &Economy,
    dynamics: &Dynamics,
    policies: &Policies,
    shocks: Shocks,
    days: usize,
    kinds: &[RecordKind],
) -> (Vec<Record>, Vec<PolicyOutcome>) {
    let mut one = simulate_batch(economy, dynamics, policies, vec![shocks], days, kinds);
    one.pop().expect("one run")
}

/// [`simulate`] for several runs stepped together ([`Batch`]: at most
/// [`crate::engine::MAX_LANES`]); each run's results are those it gives alone.
pub fn simulate_batch(
    economy: &Economy,
    dynamics: &Dynamics,
    policies: &Policies,
    shocks: Vec<Shocks>,
    days: usize,
    kinds: &[RecordKind],
) -> Vec<(Vec<Record>, Vec<PolicyOutcome>)> {
    // the runs share the static arrays of the first
    let mut lanes: Vec<Simulation> = Vec::with_capacity(shocks.len());
    for shocks in shocks {
        let lane = match lanes.first() {
            Some(first) => first.sibling(dynamics, shocks),
            None => Simulation::with_policies(economy, dynamics, shocks, policies),
        };
        lanes.push(lane);
    }
    let mut recorders: Vec<Recorder> = lanes
        .iter()
        .map(|_| Recorder::with_policies(economy, kinds, days, policies))
        .collect();
    let mut unit_output = vec![vec![0.0; policies.backups.len()]; lanes.len()];
    let mut batch = Batch::new(lanes);
    for _ in 0..days {
        // interrupted: stop here; the caller discards what was done
        if crate::interrupt::requested().is_some() {
            break;
        }
        batch.step();
        for ((simulation, recorder), output) in batch
            .lanes()
            .iter()
            .zip(&mut recorders)
            .zip(&mut unit_output)
        {
            recorder.record(simulation);
            for (total, backup) in output.iter_mut().zip(&policies.backups) {
                *total += backup
                    .firms
                    .iter()
                    .map(|&f| simulation.production()[f as usize])
                    .sum::<f64>();
            }
        }
    }
    batch
        .into_lanes()
        .iter()
        .zip(recorders)
        .zip(unit_output)
        .map(|((simulation, recorder), output)| {
            let outcomes = outcomes(simulation, policies, &output, days);
            (recorder.into_records(), outcomes)
        })
        .collect()
}

/// What each policy did in a run stepped `days` days (`unit_output`: each backup's output).
fn outcomes(
    simulation: &Simulation,
    policies: &Policies,
    unit_output: &[f64],
    days: usize,
) -> Vec<PolicyOutcome> {
    let years = days as f64 / 365.0;
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
    outcomes
}
