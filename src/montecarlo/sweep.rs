//! Sweeps: the points of a design, each a variant of the scenario, run on the same drawn crises
//! run by run, with one "no policies" reference per uncertainty setting shared by every lever
//! setting under it.
//!
//! Run `k` of every point draws its shocks from the streams `(seed, k, shock)`, exactly as run
//! `k` of `hinterland run` does, so a point's runs are those of a plain run with the point's
//! assignments given as `--set` (common random numbers across points).

use std::collections::BTreeMap;

use super::design;
use super::shard::PairRun;

use super::study::{Study, StudyOptions};
use crate::Error;
use crate::metrics::catalogue::{self, Values};
use crate::metrics::ensemble::{MetricStatistics, summarize_values};
use crate::metrics::robustness::{self, RegretSummary};
use crate::model::sweep::{Design, Role, Sweep};
use crate::model::{Assignment, Invalid, Model, PointSpec};
use crate::shocks::Draw;

/// Name of the reference of uncertainty setting `group` among the study's variants.
fn reference_name(group: usize) -> String {
    format!("no policies @{group}")
}

/// The points of a sweep, made from its design.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepPlan {
    /// The checked sweep.
    pub sweep: Sweep,
    /// Per point: its assignments, one per parameter in the sweep's order.
    pub points: Vec<Vec<Assignment>>,
    /// Per point: its uncertainty setting (index into `groups`).
    pub group_of: Vec<usize>,
    /// Each distinct setting of the uncertainties, in order of first appearance: the
    /// uncertainty assignments.
    pub groups: Vec<Vec<Assignment>>,
    /// Whether each setting has a "no policies" reference (the scenario has policies): the
    /// reference of `loss_avoided`, as in `hinterland run`.
    pub references: bool,
    /// Per point of a random design: its coordinates in the unit cube (empty for a grid).
    pub unit: Vec<Vec<f64>>,
}

impl SweepPlan {
    /// The points of `model`'s sweep (`None`: it has none).
    pub fn new(model: &Model) -> Result<Option<SweepPlan>, Invalid> {
        let Some(sweep) = model.sweep() else {
            return Ok(None);
        };
        check_metrics(sweep, model)?;
        let seed = sweep.design_seed.unwrap_or(model.seed());
        SweepPlan::of(sweep, seed, model.has_policies())
            .map(Some)
            .map_err(|e| Invalid::new(model.source(), "sweep: design", e))
    }

    /// The points of `sweep`, a random design drawn with `seed`; `references`: each
    /// uncertainty setting gets a "no policies" reference.
    pub fn of(sweep: &Sweep, seed: u64, references: bool) -> Result<SweepPlan, String> {
        let dims = sweep.parameters.len();
        let unit = match sweep.design {
            Design::Grid => Vec::new(),
            Design::Lhs(n) => design::latin_hypercube(n, dims, seed),
            Design::Sobol(n) => design::sobol_points(n, dims, seed)?,
            Design::Saltelli(n) => design::saltelli(n, dims, seed)?,
        };
        let points: Vec<Vec<Assignment>> = match sweep.design {
            Design::Grid => (0..sweep.points()).map(|p| sweep.grid_point(p)).collect(),
            _ => unit.iter().map(|u| sweep.design_point(u)).collect(),
        };
        let mut groups: Vec<Vec<Assignment>> = Vec::new();
        let mut seen: BTreeMap<Vec<(String, String)>, usize> = BTreeMap::new();
        let group_of = points
            .iter()
            .map(|assignments| {
                let world: Vec<Assignment> = assignments
                    .iter()
                    .filter(|a| Role::of(&a.path) == Role::Uncertainty)
                    .cloned()
                    .collect();
                let key = world
                    .iter()
                    .map(|a| (a.path.clone(), a.value.clone()))
                    .collect();
                *seen.entry(key).or_insert_with(|| {
                    groups.push(world);
                    groups.len() - 1
                })
            })
            .collect();
        Ok(SweepPlan {
            references,
            sweep: sweep.clone(),
            points,
            group_of,
            groups,
            unit,
        })
    }

    /// The variants to run: every point (`p0000`, …), then the references.
    pub fn variants(&self) -> Vec<PointSpec> {
        let mut all: Vec<PointSpec> = self
            .points
            .iter()
            .enumerate()
            .map(|(p, assignments)| PointSpec {
                name: format!("p{p:04}"),
                assignments: assignments.clone(),
                without_policies: false,
            })
            .collect();
        if self.references {
            all.extend(self.groups.iter().enumerate().map(|(g, world)| PointSpec {
                name: reference_name(g),
                assignments: world.clone(),
                without_policies: true,
            }));
        }
        all
    }
}

/// The loss and discovery metrics are metrics of the catalogue, and the loss is a loss.
fn check_metrics(sweep: &Sweep, model: &Model) -> Result<(), Invalid> {
    let names: Vec<&str> = catalogue::CATALOGUE.iter().map(|m| m.name).collect();
    let unknown = |at: &str, name: &str| {
        Invalid::new(
            model.source(),
            at,
            crate::model::unknown("metric", name, &names),
        )
    };
    match catalogue::metric(&sweep.loss) {
        None => return Err(unknown("sweep: loss", &sweep.loss)),
        Some(metric) if !metric.higher_is_worse => {
            return Err(Invalid::new(
                model.source(),
                "sweep: loss",
                format!(
                    "{:?} is better when higher: expected a loss (a metric whose higher values are worse), e.g. \"va_loss_money\"",
                    sweep.loss
                ),
            ));
        }
        Some(_) => {}
    }
    if let Some(discovery) = &sweep.discovery
        && catalogue::metric(&discovery.metric).is_none()
    {
        return Err(unknown("sweep: discovery", &discovery.metric));
    }
    Ok(())
}

/// One point's (or reference's) runs.
#[derive(Debug, Clone, PartialEq)]
pub struct PointRuns {
    /// Its variant name (`p0003`, `no policies @0`).
    pub name: String,
    /// Its assignments (a reference: the uncertainties only).
    pub assignments: Vec<Assignment>,
    /// Its uncertainty setting.
    pub group: usize,
    /// Per run: every metric, compared with the reference's same run when there is one.
    pub runs: Vec<Values>,
    /// Per run: the values drawn for its shocks.
    pub draws: Vec<Vec<Draw>>,
    /// Per run: why it failed, if it did (its metrics are then all empty).
    pub failures: Vec<Option<String>>,
}

/// What a sweep gives.
#[derive(Debug, Clone)]
pub struct SweepResults {
    /// The plan that was run.
    pub plan: SweepPlan,
    /// Every point, in design order.
    pub points: Vec<PointRuns>,
    /// Every reference, by uncertainty setting (empty without references).
    pub references: Vec<PointRuns>,
    /// Runs per point.
    pub runs: usize,
    /// Days per run.
    pub days: usize,
}

/// Build the study of a sweep: the scenario's points as its variants.
pub fn sweep_study(
    model: &Model,
    plan: &SweepPlan,
    options: &StudyOptions,
) -> Result<Study, Error> {
    let points = model.with_points(&plan.variants())?;
    let options = StudyOptions {
        runs: options.runs.or(plan.sweep.runs_per_point),
        keep_records: false,
        variant_records: false,
        ..options.clone()
    };
    Study::new(points, &options)
}

impl Study {
    /// Run every point of `plan` (this study's variants, made by [`sweep_study`]) and compare
    /// each with its reference, run by run. A run that fails is kept as failed
    /// ([`PairRun::failure`]) and the others go on.
    pub fn sweep(&self, plan: &SweepPlan) -> Result<SweepResults, Error> {
        let pairs = super::Shard { index: 0, count: 1 }.pairs(self.setups().len(), self.runs());
        let progress = super::Progress::new(self.runs(), self.setups().len(), self.progress());
        let done = self.pair_runs(&pairs, &progress)?;
        progress.finish();
        Ok(SweepResults::assemble(
            plan,
            self.runs(),
            self.model().days(),
            done,
        ))
    }
}

impl SweepResults {
    /// The results of `plan` from every run of every variant (`pairs`, in any order: each
    /// `(variant, run)` exactly once): each point compared with its reference, run by run.
    pub fn assemble(
        plan: &SweepPlan,
        runs: usize,
        days: usize,
        mut pairs: Vec<PairRun>,
    ) -> SweepResults {
        pairs.sort_by_key(|p| (p.variant, p.run));
        let names: Vec<String> = plan.variants().into_iter().map(|v| v.name).collect();
        let mut all: Vec<PointRuns> = names
            .into_iter()
            .map(|name| PointRuns {
                name,
                assignments: Vec::new(),
                group: 0,
                runs: Vec::with_capacity(runs),
                draws: Vec::with_capacity(runs),
                failures: Vec::with_capacity(runs),
            })
            .collect();
        for pair in pairs {
            let point = &mut all[pair.variant];
            point.runs.push(pair.values);
            point.draws.push(pair.draws);
            point.failures.push(pair.failure);
        }
        let n_points = plan.points.len();
        let mut references = all.split_off(n_points);
        for (g, reference) in references.iter_mut().enumerate() {
            reference.assignments = plan.groups[g].clone();
            reference.group = g;
        }
        for (p, point) in all.iter_mut().enumerate() {
            point.group = plan.group_of[p];
            point.assignments = plan.points[p].clone();
            if let Some(reference) = references.get(point.group) {
                for (run, base) in point.runs.iter_mut().zip(&reference.runs) {
                    run.compare(base);
                }
            }
        }
        SweepResults {
            plan: plan.clone(),
            points: all,
            references,
            runs,
            days,
        }
    }

    /// Failed runs: `(point or reference name, run, reason)`, in file order.
    pub fn failures(&self) -> Vec<(&str, usize, &str)> {
        self.all()
            .flat_map(|p| {
                p.failures
                    .iter()
                    .enumerate()
                    .filter_map(|(run, f)| Some((p.name.as_str(), run, f.as_deref()?)))
            })
            .collect()
    }
}

/// One row of the frontier: a point's cost, its loss's mean and tail, its regret and
/// satisficing share, and which point dominates it on each pair of axes.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontierRow {
    /// Annual holding cost of its policies (money per year): `holding_cost × 365 / days`.
    pub annual_cost: f64,
    /// Mean of the loss metric over runs.
    pub mean_loss: f64,
    /// CVaR95 of the loss metric over runs.
    pub cvar95_loss: f64,
    /// Regret against the best lever setting of its uncertainty setting, run by run.
    pub regret: Option<RegretSummary>,
    /// Share of runs whose loss stays at or below the sweep's `satisficing` threshold.
    pub satisficing: Option<f64>,
    /// The point that dominates it on (annual cost, mean loss), if any.
    pub dominated_mean: Option<usize>,
    /// … on (annual cost, CVaR95 of the loss).
    pub dominated_cvar95: Option<usize>,
    /// … on (annual cost, mean regret).
    pub dominated_regret: Option<usize>,
    /// Dominated on (cost, mean loss), but the paired difference of its loss over its
    /// dominator's, run by run, has a 95 % interval that covers zero: the two cannot be told
    /// apart with these runs.
    pub indistinct: bool,
}

impl SweepResults {
    /// The points, then the references: every lever setting compared on the frontier.
    pub fn all(&self) -> impl Iterator<Item = &PointRuns> {
        self.points.iter().chain(&self.references)
    }

    /// Statistics of every metric over the runs of each point, then of each reference.
    pub fn statistics(&self) -> Vec<MetricStatistics> {
        self.all()
            .map(|p| summarize_values(&p.runs.iter().collect::<Vec<_>>()))
            .collect()
    }

    /// Per point, then reference: its runs' values of `metric` (`NaN`: none).
    pub fn metric_runs(&self, metric: &str) -> Vec<Vec<f64>> {
        self.all()
            .map(|p| {
                p.runs
                    .iter()
                    .map(|v| v.get(metric).unwrap_or(f64::NAN))
                    .collect()
            })
            .collect()
    }

    /// The frontier and robustness of every point, then reference, on the sweep's loss.
    pub fn frontier(&self, statistics: &[MetricStatistics]) -> Vec<FrontierRow> {
        let sweep = &self.plan.sweep;
        let losses = self.metric_runs(&sweep.loss);
        let group_of: Vec<usize> = self.all().map(|p| p.group).collect();
        let statistic = |stats: &MetricStatistics, name: &str| {
            stats.iter().find(|(m, _)| *m == name).and_then(|(_, s)| *s)
        };
        let years = self.days as f64 / 365.0;
        let cost: Vec<f64> = statistics
            .iter()
            .map(|s| statistic(s, "holding_cost").map_or(f64::NAN, |h| h.mean / years))
            .collect();
        let loss = |s: &MetricStatistics| statistic(s, &sweep.loss);
        let mean: Vec<f64> = statistics
            .iter()
            .map(|s| loss(s).map_or(f64::NAN, |l| l.mean))
            .collect();
        let cvar: Vec<f64> = statistics
            .iter()
            .map(|s| loss(s).map_or(f64::NAN, |l| l.cvar95))
            .collect();
        let regrets = robustness::regrets(&losses, &group_of);
        let regret: Vec<Option<RegretSummary>> = regrets
            .iter()
            .map(|r| robustness::summarize_regret(r))
            .collect();
        let mean_regret: Vec<f64> = regret
            .iter()
            .map(|r| r.map_or(f64::NAN, |r| r.mean))
            .collect();
        let by_mean = robustness::dominated_by(&cost, &mean, &group_of);
        let by_cvar = robustness::dominated_by(&cost, &cvar, &group_of);
        let by_regret = robustness::dominated_by(&cost, &mean_regret, &group_of);
        (0..cost.len())
            .map(|p| FrontierRow {
                annual_cost: cost[p],
                mean_loss: mean[p],
                cvar95_loss: cvar[p],
                regret: regret[p],
                satisficing: sweep
                    .satisficing
                    .map(|t| robustness::satisficing_share(&losses[p], t)),
                dominated_mean: by_mean[p].filter(|&q| q != p),
                dominated_cvar95: by_cvar[p].filter(|&q| q != p),
                dominated_regret: by_regret[p].filter(|&q| q != p),
                indistinct: by_mean[p]
                    .filter(|&q| q != p)
                    .is_some_and(|q| robustness::indistinguishable(&losses[p], &losses[q])),
            })
            .collect()
    }
}

impl FrontierRow {
    /// Pareto-efficient on (annual cost, mean loss).
    pub fn efficient_mean(&self) -> bool {
        self.dominated_mean.is_none() && self.annual_cost.is_finite() && self.mean_loss.is_finite()
    }

    /// Pareto-efficient on (annual cost, CVaR95 of the loss).
    pub fn efficient_cvar95(&self) -> bool {
        self.dominated_cvar95.is_none()
            && self.annual_cost.is_finite()
            && self.cvar95_loss.is_finite()
    }

    /// Pareto-efficient on (annual cost, mean regret).
    pub fn efficient_regret(&self) -> bool {
        self.dominated_regret.is_none() && self.annual_cost.is_finite() && self.regret.is_some()
    }
}
