//! Writers of a placement search's files: `candidates.csv`, `portfolios.csv` (every portfolio
//! evaluated), `choices.csv` (the portfolio of each budget), `greedy_path.csv`,
//! `choice_runs.csv` (run by run against no backup), the scenario as run and the manifest.

use std::io::{self, Write};

use super::layout::{
    CANDIDATES, CHOICE_RUNS, CHOICES, GREEDY_PATH, MANIFEST, PORTFOLIOS, SCENARIO,
};
use super::manifest::{Manifest, Provenance};
use super::{OutputDir, OutputError};
use crate::explore::optimize::placement::{Evaluated, Placement};
use crate::montecarlo::Study;
use crate::table::{Writer, number};

/// Candidate indices as a cell: `0 3 7`.
fn indices(portfolio: &[usize]) -> String {
    portfolio
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The cells every portfolio row shares, from `annual_cost` on: cost, objective, mean and
/// CVaR95 loss, mean activation cost, and the loss avoided against no backup.
fn cells(placement: &Placement, runs: &Evaluated) -> [String; 7] {
    let none = &placement.evaluated[0];
    let cost: f64 = runs
        .portfolio
        .iter()
        .map(|&c| placement.candidates[c].annual_cost)
        .sum::<f64>()
        + 0.0;
    let activation = runs.activation.iter().sum::<f64>() / runs.activation.len().max(1) as f64;
    [
        number(cost),
        number(runs.objective(placement.objective)),
        number(runs.mean),
        number(runs.cvar95),
        number(activation + 0.0),
        number(none.mean - runs.mean),
        number(none.cvar95 - runs.cvar95),
    ]
}

/// `candidates.csv`.
pub fn write_candidates(out: &mut impl Write, placement: &Placement) -> io::Result<()> {
    let mut table = Writer::new(out);
    table.row(CANDIDATES.header)?;
    for (k, c) in placement.candidates.iter().enumerate() {
        table.row([
            k.to_string(),
            c.name.clone(),
            c.template.clone(),
            c.sector.clone(),
            c.region.clone(),
            number(c.size),
            number(c.capacity_share),
            number(c.capacity_value),
            number(c.annual_cost),
        ])?;
    }
    table.finish()
}

/// Per portfolio evaluated: whether no other is at least as good on annual cost, mean loss
/// and CVaR95 and better on one (the Pareto set of the three objectives).
pub fn pareto(placement: &Placement) -> Vec<bool> {
    let point = |e: &Evaluated| {
        let cost: f64 = e
            .portfolio
            .iter()
            .map(|&c| placement.candidates[c].annual_cost)
            .sum();
        [cost, e.mean, e.cvar95]
    };
    let points: Vec<[f64; 3]> = placement.evaluated.iter().map(point).collect();
    points
        .iter()
        .map(|p| {
            !points.iter().any(|q| {
                q.iter().zip(p).all(|(a, b)| a <= b) && q.iter().zip(p).any(|(a, b)| a < b)
            })
        })
        .collect()
}

/// `portfolios.csv`.
pub fn write_portfolios(out: &mut impl Write, placement: &Placement) -> io::Result<()> {
    let mut table = Writer::new(out);
    table.row(PORTFOLIOS.header)?;
    let efficient = pareto(placement);
    for (k, runs) in placement.evaluated.iter().enumerate() {
        let fixed = [
            k.to_string(),
            placement.names(&runs.portfolio),
            indices(&runs.portfolio),
        ];
        table.row(
            fixed
                .into_iter()
                .chain(cells(placement, runs))
                .chain([efficient[k].to_string()]),
        )?;
    }
    table.finish()
}

/// `choices.csv`.
pub fn write_choices(out: &mut impl Write, placement: &Placement) -> io::Result<()> {
    let mut table = Writer::new(out);
    table.row(CHOICES.header)?;
    let none = &placement.evaluated[0];
    let (mut budget_before, mut objective_before) = (0.0, none.objective(placement.objective));
    for one in &placement.searches {
        let choice = &one.search.choice;
        let runs = placement.of(&choice.chosen);
        let extra = one.budget - budget_before;
        let marginal = if extra > 0.0 {
            number((objective_before - choice.objective) / extra)
        } else {
            String::new()
        };
        let fixed = [
            number(one.budget),
            choice.method.name().to_string(),
            placement.objective.name().to_string(),
            placement.names(&choice.chosen),
            indices(&choice.chosen),
        ];
        table.row(
            fixed
                .into_iter()
                .chain(cells(placement, runs))
                .chain([marginal]),
        )?;
        (budget_before, objective_before) = (one.budget, choice.objective);
    }
    table.finish()
}

/// `greedy_path.csv`.
pub fn write_greedy_path(out: &mut impl Write, placement: &Placement) -> io::Result<()> {
    let mut table = Writer::new(out);
    table.row(GREEDY_PATH.header)?;
    for one in &placement.searches {
        for (k, step) in one.search.path.iter().enumerate() {
            table.row([
                number(one.budget),
                (k + 1).to_string(),
                placement.names(&step.portfolio),
                indices(&step.portfolio),
                number(step.cost),
                number(step.objective),
                number(step.ratio),
            ])?;
        }
    }
    table.finish()
}

/// `choice_runs.csv`.
pub fn write_choice_runs(out: &mut impl Write, placement: &Placement) -> io::Result<()> {
    let mut table = Writer::new(out);
    table.row(CHOICE_RUNS.header)?;
    let none = &placement.evaluated[0];
    for one in &placement.searches {
        let runs = placement.of(&one.search.choice.chosen);
        for (k, (loss, paid)) in runs.losses.iter().zip(&runs.activation).enumerate() {
            table.row([
                number(one.budget),
                k.to_string(),
                number(none.losses[k]),
                number(*loss),
                number(*paid),
            ])?;
        }
    }
    table.finish()
}

/// Write every file of a placement search into `dir`; returns their names.
pub fn write_optimize_files(
    dir: &OutputDir,
    study: &Study,
    placement: &Placement,
    provenance: &Provenance,
) -> Result<Vec<String>, OutputError> {
    let mut written: Vec<String> = Vec::new();
    dir.write_listed(SCENARIO, &mut written, |w| {
        w.write_all(&provenance.scenario)
    })?;
    dir.write_listed(CANDIDATES.name, &mut written, |w| {
        write_candidates(w, placement)
    })?;
    dir.write_listed(PORTFOLIOS.name, &mut written, |w| {
        write_portfolios(w, placement)
    })?;
    dir.write_listed(CHOICES.name, &mut written, |w| write_choices(w, placement))?;
    dir.write_listed(GREEDY_PATH.name, &mut written, |w| {
        write_greedy_path(w, placement)
    })?;
    dir.write_listed(CHOICE_RUNS.name, &mut written, |w| {
        write_choice_runs(w, placement)
    })?;
    let manifest = Manifest::of(study, provenance, Vec::new())?.to_json();
    dir.write_listed(MANIFEST, &mut written, |w| w.write_all(manifest.as_bytes()))?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explore::optimize::placement::{Objective, PlacementCandidate};

    fn candidate(annual_cost: f64) -> PlacementCandidate {
        PlacementCandidate {
            name: String::new(),
            template: String::new(),
            sector: String::new(),
            region: String::new(),
            size: 1.0,
            capacity_share: 0.1,
            capacity_value: 1.0,
            annual_cost,
            group: 0,
            placed: crate::model::PlacedBackup {
                template: 0,
                name: String::new(),
                sector: String::new(),
                region: String::new(),
                capacity_share: 0.1,
            },
        }
    }

    fn evaluated(portfolio: &[usize], mean: f64, cvar95: f64) -> Evaluated {
        Evaluated {
            portfolio: portfolio.to_vec(),
            losses: vec![mean],
            activation: vec![0.0],
            mean,
            cvar95,
        }
    }

    #[test]
    fn the_pareto_set_keeps_what_no_other_portfolio_beats_on_cost_mean_and_cvar95() {
        let placement = Placement {
            candidates: vec![candidate(1.0), candidate(2.0), candidate(2.0)],
            evaluated: vec![
                evaluated(&[], 10.0, 20.0),
                // cheap, a little better
                evaluated(&[0], 9.0, 19.0),
                // dearer, better mean, worse tail than [2]
                evaluated(&[1], 5.0, 18.0),
                evaluated(&[2], 6.0, 12.0),
                // dearer than [1] and worse on both: dominated
                evaluated(&[0, 1], 5.5, 18.5),
                // dearer than [2], the same mean, a worse tail: dominated
                evaluated(&[0, 2], 6.0, 13.0),
            ],
            searches: Vec::new(),
            objective: Objective::Mean,
            runs: 1,
        };
        assert_eq!(pareto(&placement), [true, true, true, true, false, false]);
    }
}
