//! Reading a sweep's output directory (`sweep.csv`, `frontier.csv`, `manifest.json`,
//! `scenario.ron`) into plain values, checked once: a point keeps its group and parameter
//! values on every line, every point of `frontier.csv` is one of `sweep.csv` with the same
//! group and values, every `dominated_by` names a point, and a malformed cell is a
//! [`PlotError::Malformed`] naming its line and column.
//!
//! The parameter columns are those between the fixed columns ([`SWEEP`]'s and
//! [`FRONTIER`]'s headers) and the first statistics column ([`SWEEP_STATISTICS`],
//! [`FRONTIER_COLUMNS`]); `points.csv` and `draws.csv` (every run) are not needed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::model::NO_POLICIES;
use crate::model::sweep::Role;
use crate::output::layout::{FRONTIER, FRONTIER_COLUMNS, SCENARIO, SWEEP, SWEEP_STATISTICS};
use crate::plot::PlotError;
use crate::plot::ensemble::input::{Manifest, read_manifest, read_optional, read_required};
use crate::table::{Row, Table, TableError};

use super::discovery::{self, Discovery};
use super::fields::{boolean, short_names};
use super::sensitivity::{self, SensitivityRow};

/// The columns of `sweep.csv` read by name, each one of [`SWEEP_STATISTICS`] (tested).
pub(super) const SWEEP_READ: [&str; 5] = ["metric", "unit", "n", "mean", "std_error"];

/// Everything the charts and the report use, read from one sweep directory.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SweepOutput {
    /// The directory, for messages and for writing.
    pub dir: PathBuf,
    /// What `manifest.json` says (`runs`: runs per point).
    pub manifest: Manifest,
    /// The swept parameters, in column order.
    pub parameters: Vec<Parameter>,
    /// Every point and reference, in order of first appearance in `sweep.csv`.
    pub points: Vec<Point>,
    /// The lines of `sweep.csv`.
    pub statistics: Vec<Statistic>,
    /// The metric whose loss the frontier, regret and satisficing measure.
    pub loss_metric: String,
    /// The lines of `frontier.csv`, in file order.
    pub frontier: Vec<FrontierRow>,
    /// The lines of `sensitivity.csv`, if that file exists.
    pub sensitivity: Option<Vec<SensitivityRow>>,
    /// `discovery.csv` and `discovery_box.csv`, if either exists.
    pub discovery: Option<Discovery>,
    /// The text of `scenario.ron`, if that file exists.
    pub scenario_text: Option<String>,
}

/// A swept parameter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Parameter {
    /// Its path, as the column is named (`backup.chips.capacity_share`).
    pub path: String,
    /// The shortest end of the path that tells it from the other parameters
    /// (`capacity_share`).
    pub short: String,
    /// Lever (a planner's choice) or uncertainty.
    pub role: Role,
}

/// A point of the sweep, or a "no policies" reference.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Point {
    /// Its name (`p0004`, `no policies @1`).
    pub name: String,
    /// Its uncertainty setting: points of one group share the uncertainties' values.
    pub group: usize,
    /// Per parameter, its value as written (empty: not set, a reference's levers).
    pub values: Vec<String>,
    /// Whether it is a "no policies" reference.
    pub reference: bool,
}

/// One line of `sweep.csv`: one metric's statistics across the runs of one point.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Statistic {
    /// Index into [`SweepOutput::points`].
    pub point: usize,
    /// The metric.
    pub metric: String,
    /// Its unit, as written (the economy's money unit for money).
    pub unit: String,
    /// Runs with a value.
    pub n: usize,
    /// Mean across those runs.
    pub mean: Option<f64>,
    /// Standard error of the mean.
    pub std_error: Option<f64>,
}

/// One line of `frontier.csv`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FrontierRow {
    /// Index into [`SweepOutput::points`].
    pub point: usize,
    /// Holding cost of the point's policies, money per year.
    pub annual_cost: Option<f64>,
    /// Mean loss across runs, in the loss metric's unit.
    pub mean_loss: Option<f64>,
    /// Mean of the worst 5 % of runs' losses.
    pub cvar95_loss: Option<f64>,
    /// Regret (loss minus the least loss of the group in the same run): mean over runs.
    pub mean_regret: Option<f64>,
    /// Its 90 % quantile.
    pub p90_regret: Option<f64>,
    /// Its maximum.
    pub max_regret: Option<f64>,
    /// Share of runs whose loss stays within the satisficing threshold (`None`: none set).
    pub satisficing_share: Option<f64>,
    /// On the frontier of annual cost and mean loss (in its group).
    pub efficient_mean: bool,
    /// On the frontier of annual cost and CVaR95 of loss.
    pub efficient_cvar95: bool,
    /// On the frontier of annual cost and mean regret.
    pub efficient_regret: bool,
    /// The point that dominates it on cost and mean loss (index into
    /// [`SweepOutput::points`]).
    pub dominated_by: Option<usize>,
    /// Dominated, but the paired run-by-run difference with its dominator has a 95 %
    /// interval that covers zero.
    pub indistinct: bool,
}

impl SweepOutput {
    /// Read and check the sweep directory `dir`.
    pub fn read(dir: &Path) -> Result<SweepOutput, PlotError> {
        let manifest = read_manifest(dir)?;
        let (parameters, points, statistics) = read_sweep(dir)?;
        let (loss_metric, frontier) = read_frontier(dir, &parameters, &points)?;
        Ok(SweepOutput {
            dir: dir.to_path_buf(),
            manifest,
            sensitivity: sensitivity::read(dir)?,
            discovery: discovery::read(dir)?,
            scenario_text: read_optional(&dir.join(SCENARIO))?,
            parameters,
            points,
            statistics,
            loss_metric,
            frontier,
        })
    }

    /// The statistics of `metric` at point `point`, if `sweep.csv` has them.
    pub fn statistic(&self, point: usize, metric: &str) -> Option<&Statistic> {
        self.statistics
            .iter()
            .find(|s| s.point == point && s.metric == metric)
    }

    /// The unit `sweep.csv` gives `metric` (empty if it has no line of it).
    pub fn unit_of(&self, metric: &str) -> &str {
        self.statistics
            .iter()
            .find(|s| s.metric == metric && !s.unit.is_empty())
            .map_or("", |s| s.unit.as_str())
    }

    /// The economy's money unit: the unit of `va_loss_money` in `sweep.csv`, else "money".
    pub fn money_unit(&self) -> &str {
        match self.unit_of("va_loss_money") {
            "" => "money",
            unit => unit,
        }
    }

    /// "p0004: capacity_share 0.2, activation_delay_days 0": a point's name and the values
    /// of its levers (a reference has none set).
    pub fn point_label(&self, point: usize) -> String {
        let point = &self.points[point];
        let levers: Vec<String> = self
            .parameters
            .iter()
            .zip(&point.values)
            .filter(|(parameter, value)| parameter.role == Role::Lever && !value.is_empty())
            .map(|(parameter, value)| format!("{} {value}", parameter.short))
            .collect();
        if levers.is_empty() {
            point.name.clone()
        } else {
            format!("{}: {}", point.name, levers.join(", "))
        }
    }

    /// The groups (uncertainty settings) in order of first appearance.
    pub fn groups(&self) -> Vec<usize> {
        let mut groups: Vec<usize> = Vec::new();
        for point in &self.points {
            if !groups.contains(&point.group) {
                groups.push(point.group);
            }
        }
        groups
    }

    /// "duration_days 60": the uncertainties' values in `group` (empty if there are none).
    pub fn group_label(&self, group: usize) -> String {
        let Some(point) = self.points.iter().find(|p| p.group == group) else {
            return String::new();
        };
        self.parameters
            .iter()
            .zip(&point.values)
            .filter(|(parameter, _)| parameter.role == Role::Uncertainty)
            .map(|(parameter, value)| format!("{} {value}", parameter.short))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Whether `name` is that of a "no policies" reference: `no policies @<group>`.
pub(crate) fn is_reference(name: &str) -> bool {
    name.strip_prefix(NO_POLICIES)
        .and_then(|rest| rest.strip_prefix(" @"))
        .is_some_and(|group| group.parse::<usize>().is_ok())
}

fn malformed(path: &Path, line: usize, column: usize, message: String) -> PlotError {
    PlotError::Malformed {
        path: path.to_path_buf(),
        line,
        column,
        message,
    }
}

/// The parameter columns of `csv`: those after `fixed`, which must open the header, and
/// before `first_after`.
fn parameter_columns(
    csv: &Table,
    fixed: &[&str],
    first_after: &str,
) -> Result<Vec<String>, PlotError> {
    let header = csv.header();
    for (index, name) in fixed.iter().enumerate() {
        if header.get(index).map(String::as_str) != Some(name) {
            return Err(malformed(
                csv.path(),
                1,
                index + 1,
                format!(
                    "expected column `{name}` here: the header starts `{}`",
                    fixed.join(",")
                ),
            ));
        }
    }
    let after = csv.column(first_after)?;
    if after < fixed.len() {
        return Err(malformed(
            csv.path(),
            1,
            after + 1,
            format!("column `{first_after}` comes before the parameters"),
        ));
    }
    Ok(header[fixed.len()..after].to_vec())
}

/// The parameter values of `row` in `columns`, trimmed.
fn values_of(row: &Row, columns: &[usize]) -> Vec<String> {
    columns
        .iter()
        .map(|&c| row.text(c).trim().to_string())
        .collect()
}

/// An error if `row` gives `point` another group or other values than `expected`.
fn check_same_point(
    row: &Row,
    (group_column, group): (usize, usize),
    (value_columns, values): (&[usize], &[String]),
    expected: &Point,
    other_file: &str,
) -> Result<(), PlotError> {
    if group != expected.group {
        return Err(PlotError::from(row.error(
            group_column,
            format!(
                "point {:?} is in group {} in {other_file}, not {group}",
                expected.name, expected.group
            ),
        )));
    }
    for ((&column, value), known) in value_columns.iter().zip(values).zip(&expected.values) {
        if value != known {
            return Err(PlotError::from(row.error(
                column,
                format!(
                    "point {:?} has the value {known:?} here in {other_file}, not {value:?}",
                    expected.name
                ),
            )));
        }
    }
    Ok(())
}

type SweepTables = (Vec<Parameter>, Vec<Point>, Vec<Statistic>);

fn read_sweep(dir: &Path) -> Result<SweepTables, PlotError> {
    let path = dir.join(SWEEP.name);
    parse_sweep(&read_required(&path)?, &path)
}

/// The parameters, points and statistics of `sweep.csv`'s text.
pub(super) fn parse_sweep(text: &str, path: &Path) -> Result<SweepTables, PlotError> {
    let csv = Table::parse(text.as_bytes(), path)?;
    let paths = parameter_columns(&csv, SWEEP.header, SWEEP_STATISTICS[0])?;
    let shorts = short_names(&paths);
    let parameters: Vec<Parameter> = paths
        .iter()
        .zip(shorts)
        .map(|(path, short)| Parameter {
            path: path.clone(),
            short,
            role: Role::of(path),
        })
        .collect();
    let [point, group] = csv.columns([SWEEP.header[0], SWEEP.header[1]])?;
    let [metric, unit, n, mean, std_error] = csv.columns(SWEEP_READ)?;
    let value_columns: Vec<usize> =
        (SWEEP.header.len()..SWEEP.header.len() + paths.len()).collect();
    // Every other statistic is checked too: a broken number anywhere is a broken file.
    let other_numbers: Vec<usize> = SWEEP_STATISTICS
        .iter()
        .filter(|name| !SWEEP_READ.contains(name))
        .map(|name| csv.column(name))
        .collect::<Result<_, TableError>>()?;
    // Only looked up, never iterated: the order is that of `points`.
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut points: Vec<Point> = Vec::new();
    // Only asked whether a pair was seen, never iterated.
    let mut seen = HashSet::new();
    let mut statistics = Vec::with_capacity(csv.rows().len());
    for row in csv.rows() {
        let name = row.name(point)?;
        let group_value = row.count(group)?;
        let values = values_of(row, &value_columns);
        let at = match index.get(name) {
            Some(&at) => {
                check_same_point(
                    row,
                    (group, group_value),
                    (&value_columns, &values),
                    &points[at],
                    "a line above",
                )?;
                at
            }
            None => {
                index.insert(name.to_string(), points.len());
                points.push(Point {
                    name: name.to_string(),
                    group: group_value,
                    values,
                    reference: is_reference(name),
                });
                points.len() - 1
            }
        };
        let metric_name = row.name(metric)?;
        if !seen.insert((at, metric_name.to_string())) {
            return Err(PlotError::from(row.error(
                metric,
                format!("second line for metric {metric_name:?} of point {name:?}"),
            )));
        }
        for &column in &other_numbers {
            row.optional_number(column)?;
        }
        statistics.push(Statistic {
            point: at,
            metric: metric_name.to_string(),
            unit: row.text(unit).trim().to_string(),
            n: row.count(n)?,
            mean: row.optional_number(mean)?,
            std_error: row.optional_number(std_error)?,
        });
    }
    Ok((parameters, points, statistics))
}

fn read_frontier(
    dir: &Path,
    parameters: &[Parameter],
    points: &[Point],
) -> Result<(String, Vec<FrontierRow>), PlotError> {
    let path = dir.join(FRONTIER.name);
    parse_frontier(&read_required(&path)?, &path, parameters, points)
}

/// The loss metric and the rows of `frontier.csv`'s text, checked against `sweep.csv`'s
/// parameters and points.
pub(super) fn parse_frontier(
    text: &str,
    path: &Path,
    parameters: &[Parameter],
    points: &[Point],
) -> Result<(String, Vec<FrontierRow>), PlotError> {
    let csv = Table::parse(text.as_bytes(), path)?;
    let paths = parameter_columns(&csv, FRONTIER.header, FRONTIER_COLUMNS[0])?;
    for (index, parameter) in parameters.iter().enumerate() {
        if paths.get(index) != Some(&parameter.path) {
            return Err(malformed(
                path,
                1,
                FRONTIER.header.len() + index + 1,
                format!(
                    "expected parameter column `{}` as in sweep.csv",
                    parameter.path
                ),
            ));
        }
    }
    if paths.len() > parameters.len() {
        return Err(malformed(
            path,
            1,
            FRONTIER.header.len() + parameters.len() + 1,
            format!(
                "parameter column `{}` is not in sweep.csv",
                paths[parameters.len()]
            ),
        ));
    }
    let [point, group] = csv.columns([FRONTIER.header[0], FRONTIER.header[1]])?;
    let [
        loss_metric,
        annual_cost,
        mean_loss,
        cvar95_loss,
        mean_regret,
        p90_regret,
        max_regret,
        satisficing_share,
        efficient_mean,
        efficient_cvar95,
        efficient_regret,
        dominated_by,
        indistinct,
    ] = csv.columns(FRONTIER_COLUMNS)?;
    let value_columns: Vec<usize> =
        (FRONTIER.header.len()..FRONTIER.header.len() + paths.len()).collect();
    // Only looked up, never iterated.
    let index: HashMap<&str, usize> = points
        .iter()
        .enumerate()
        .map(|(at, p)| (p.name.as_str(), at))
        .collect();
    let mut loss: Option<String> = None;
    let mut rows = Vec::with_capacity(csv.rows().len());
    let mut dominators: Vec<(usize, &str)> = Vec::new();
    for (line, row) in csv.rows().iter().enumerate() {
        let name = row.name(point)?;
        let Some(&at) = index.get(name) else {
            return Err(PlotError::from(
                row.error(point, format!("point {name:?} is not in sweep.csv")),
            ));
        };
        if rows.iter().any(|r: &FrontierRow| r.point == at) {
            return Err(PlotError::from(
                row.error(point, format!("second line for point {name:?}")),
            ));
        }
        check_same_point(
            row,
            (group, row.count(group)?),
            (&value_columns, &values_of(row, &value_columns)),
            &points[at],
            "sweep.csv",
        )?;
        let metric = row.name(loss_metric)?;
        match &loss {
            Some(first) if first != metric => {
                return Err(PlotError::from(row.error(
                    loss_metric,
                    format!("loss metric {metric:?} differs from {first:?} above"),
                )));
            }
            Some(_) => {}
            None => loss = Some(metric.to_string()),
        }
        let dominator = row.text(dominated_by).trim();
        if !dominator.is_empty() {
            dominators.push((line, dominator));
        }
        rows.push(FrontierRow {
            point: at,
            annual_cost: row.optional_number(annual_cost)?,
            mean_loss: row.optional_number(mean_loss)?,
            cvar95_loss: row.optional_number(cvar95_loss)?,
            mean_regret: row.optional_number(mean_regret)?,
            p90_regret: row.optional_number(p90_regret)?,
            max_regret: row.optional_number(max_regret)?,
            satisficing_share: row.optional_number(satisficing_share)?,
            efficient_mean: boolean(row, efficient_mean)?,
            efficient_cvar95: boolean(row, efficient_cvar95)?,
            efficient_regret: boolean(row, efficient_regret)?,
            dominated_by: None,
            indistinct: boolean(row, indistinct)?,
        });
    }
    // A dominator may come further down the file.
    for (line, dominator) in dominators {
        let known = index
            .get(dominator)
            .filter(|&&at| rows.iter().any(|r| r.point == at));
        match known {
            Some(&at) => rows[line].dominated_by = Some(at),
            None => {
                return Err(PlotError::from(csv.rows()[line].error(
                    dominated_by,
                    format!("dominated by {dominator:?}, which is not a point of the file"),
                )));
            }
        }
    }
    let Some(loss) = loss else {
        return Err(PlotError::Data {
            path: path.to_path_buf(),
            message: "no point: the frontier charts need at least one".into(),
        });
    };
    Ok((loss, rows))
}
