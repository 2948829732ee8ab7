//! Reading a placement search's output directory (`portfolios.csv`, `choices.csv`,
//! `greedy_path.csv`, `choice_runs.csv`, `manifest.json`) into plain values, checked once:
//! costs are finite and not negative, budgets increase, every budget of `choice_runs.csv` is
//! one of `choices.csv` with the same runs, and a malformed cell is a
//! [`PlotError::Malformed`] naming its line and column.

use std::path::{Path, PathBuf};

use crate::output::layout::{CHOICE_RUNS, CHOICES, GREEDY_PATH, PORTFOLIOS};
use crate::plot::PlotError;
use crate::plot::ensemble::input::{Manifest, read_manifest, read_required};
use crate::plot::sweep::fields::header_of;
use crate::table::Table;

/// Everything the charts use, read from one placement directory.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OptimizeOutput {
    /// What `manifest.json` says (the scenario name).
    pub manifest: Manifest,
    /// `(annual cost, objective)` of every portfolio evaluated; the first is no backup.
    pub portfolios: Vec<(f64, f64)>,
    /// The portfolio of each budget, budgets increasing.
    pub choices: Vec<ChoiceRow>,
    /// `(budget, annual cost, objective)` of every greedy step, in file order.
    pub path: Vec<(f64, f64, f64)>,
    /// Per choice (same order): the runs' losses without backup and with the portfolio.
    pub runs: Vec<Vec<(f64, f64)>>,
    /// The directory, for messages.
    pub dir: PathBuf,
}

/// One line of `choices.csv`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChoiceRow {
    /// The budget (money a year).
    pub budget: f64,
    /// `mean` or `cvar95`.
    pub searched: String,
    /// The portfolio's names.
    pub portfolio: String,
    /// Its annual cost.
    pub annual_cost: f64,
    /// Its objective.
    pub objective: f64,
}

impl OptimizeOutput {
    /// Read and check the placement directory `dir`.
    pub fn read(dir: &Path) -> Result<OptimizeOutput, PlotError> {
        let manifest = read_manifest(dir)?;
        let table = |name: &str| -> Result<Table, PlotError> {
            let path = dir.join(name);
            Ok(Table::parse(read_required(&path)?.as_bytes(), &path)?)
        };
        let csv = table(PORTFOLIOS.name)?;
        let [cost, objective] = csv.columns(["annual_cost", "objective"])?;
        let mut portfolios = Vec::with_capacity(csv.rows().len());
        for row in csv.rows() {
            portfolios.push((row.nonnegative(cost)?, row.number(objective)?));
        }
        if portfolios.is_empty() {
            return Err(PlotError::Data {
                path: csv.path().to_path_buf(),
                message: "no portfolio: expected at least the one without backup".into(),
            });
        }
        let csv = table(CHOICES.name)?;
        let [budget, _, searched, portfolio, _, cost, objective] =
            csv.columns(header_of::<7>(&CHOICES))?;
        let mut choices: Vec<ChoiceRow> = Vec::with_capacity(csv.rows().len());
        for row in csv.rows() {
            let this = row.nonnegative(budget)?;
            if choices.last().is_some_and(|c| c.budget >= this) {
                return Err(PlotError::from(row.error(
                    budget,
                    format!("budget {this} after a larger or equal one"),
                )));
            }
            choices.push(ChoiceRow {
                budget: this,
                searched: row.name(searched)?.to_string(),
                portfolio: row.text(portfolio).to_string(),
                annual_cost: row.nonnegative(cost)?,
                objective: row.number(objective)?,
            });
        }
        let csv = table(GREEDY_PATH.name)?;
        let [budget, _, _, _, cost, objective] = csv.columns(header_of::<6>(&GREEDY_PATH))?;
        let mut path = Vec::with_capacity(csv.rows().len());
        for row in csv.rows() {
            path.push((
                row.nonnegative(budget)?,
                row.nonnegative(cost)?,
                row.number(objective)?,
            ));
        }
        let csv = table(CHOICE_RUNS.name)?;
        let [budget, run, none, loss] = csv.columns(header_of::<4>(&CHOICE_RUNS))?;
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new(); choices.len()];
        for row in csv.rows() {
            let this = row.nonnegative(budget)?;
            let Some(c) = choices.iter().position(|c| c.budget == this) else {
                return Err(PlotError::from(row.error(
                    budget,
                    format!("budget {this} is not one of {}", CHOICES.name),
                )));
            };
            let k = row.count(run)?;
            if k != runs[c].len() {
                return Err(PlotError::from(row.error(
                    run,
                    format!("run {k} where run {} was expected", runs[c].len()),
                )));
            }
            runs[c].push((row.number(none)?, row.number(loss)?));
        }
        if let Some(c) = runs.iter().position(|r| r.len() != runs[0].len()) {
            return Err(PlotError::Data {
                path: csv.path().to_path_buf(),
                message: format!(
                    "budget {} has {} runs, budget {} has {}: every budget has the same runs",
                    choices[c].budget,
                    runs[c].len(),
                    choices[0].budget,
                    runs[0].len()
                ),
            });
        }
        Ok(OptimizeOutput {
            manifest,
            portfolios,
            choices,
            path,
            runs,
            dir: dir.to_path_buf(),
        })
    }
}
