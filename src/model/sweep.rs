//! The checked sweep: every parameter path resolved and every value tried on the scenario, the
//! role of each parameter (a lever a planner chooses, or an uncertainty the world draws), and
//! the value of a parameter at a point of a design.

use std::path::Path;

use super::Invalid;
use super::parameter::{self, Assignment};
use crate::scenario::{DesignSpec, Scenario, SweepSpec, ValuesSpec};

/// At most this many values in one `Range` (a step too small for its interval is a mistake).
pub const MAX_RANGE_VALUES: usize = 10_000;

/// At most this many points in a sweep.
pub const MAX_POINTS: usize = 1_000_000;

/// The metric regret, satisficing and the frontier use when the sweep names none.
pub const DEFAULT_LOSS: &str = "va_loss_money";

/// What a parameter is to a planner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// What a planner chooses: a backup's or a reserve's field (`backup.*`, `reserves.*`).
    Lever,
    /// What the world does: shocks, dynamics, stocks (`shocks.*`, `dynamics.*`).
    Uncertainty,
}

impl Role {
    /// The role of a parameter path.
    pub fn of(path: &str) -> Role {
        if path.starts_with("backup.") || path.starts_with("reserves.") {
            Role::Lever
        } else {
            Role::Uncertainty
        }
    }

    /// `lever` or `uncertainty`.
    pub fn name(self) -> &'static str {
        match self {
            Role::Lever => "lever",
            Role::Uncertainty => "uncertainty",
        }
    }
}

/// The values a parameter takes.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// These values, as RON text (a `Range` is expanded into its numbers).
    Listed(Vec<String>),
    /// Any number in `[lo, hi]`; `whole`: the field takes whole numbers (rounded to the
    /// nearest).
    Between {
        /// Lower end.
        lo: f64,
        /// Upper end.
        hi: f64,
        /// Whether the field takes whole numbers only.
        whole: bool,
    },
}

/// One swept parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// Its path (`backup.chips-cq.capacity_share`).
    pub path: String,
    /// Lever or uncertainty.
    pub role: Role,
    /// Its values.
    pub values: Values,
}

impl Parameter {
    /// The value at `u` in `[0, 1)` of a design: the value at `⌊u·n⌋` of a list, or
    /// `lo + u·(hi − lo)` of an interval.
    pub fn value_at(&self, u: f64) -> String {
        let u = u.clamp(0.0, 1.0);
        match &self.values {
            Values::Listed(values) => {
                let k = ((u * values.len() as f64) as usize).min(values.len() - 1);
                values[k].clone()
            }
            &Values::Between { lo, hi, whole } => {
                let value = lo + u * (hi - lo);
                if whole {
                    number_text(value.round())
                } else {
                    number_text(value)
                }
            }
        }
    }

    /// The number of values of a list (`None` for an interval).
    pub fn listed(&self) -> Option<&[String]> {
        match &self.values {
            Values::Listed(values) => Some(values),
            Values::Between { .. } => None,
        }
    }
}

/// The design of a sweep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Design {
    /// Every combination.
    Grid,
    /// `n` points of a Latin hypercube.
    Lhs(usize),
    /// `n` points of a scrambled Sobol sequence.
    Sobol(usize),
    /// Saltelli's design with `n` base points.
    Saltelli(usize),
}

/// Scenario discovery: which runs are the cases PRIM explains.
#[derive(Debug, Clone, PartialEq)]
pub struct Discovery {
    /// The metric (checked against the catalogue when the sweep is built).
    pub metric: String,
    /// `true`: a case has the metric above `threshold`; `false`: below.
    pub above: bool,
    /// The threshold, in the metric's unit.
    pub threshold: f64,
    /// The density PRIM's box must keep.
    pub min_density: f64,
}

impl Discovery {
    /// Whether a run with this value of the metric is a case.
    pub fn is_case(&self, value: f64) -> bool {
        if self.above {
            value > self.threshold
        } else {
            value < self.threshold
        }
    }

    /// The condition, as the user wrote it: `va_loss_pct > 2`.
    pub fn condition(&self) -> String {
        let sign = if self.above { ">" } else { "<" };
        format!("{} {sign} {}", self.metric, number_text(self.threshold))
    }
}

/// A checked sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    /// The parameters, in the order written.
    pub parameters: Vec<Parameter>,
    /// How points are chosen.
    pub design: Design,
    /// Runs of every point (`None`: the scenario's `runs`).
    pub runs_per_point: Option<usize>,
    /// Seed of a random design (`None`: the scenario's seed).
    pub design_seed: Option<u64>,
    /// The metric of regret, satisficing and the frontier (checked against the catalogue
    /// when the sweep is built).
    pub loss: String,
    /// The satisficing threshold on `loss`.
    pub satisficing: Option<f64>,
    /// Scenario discovery.
    pub discovery: Option<Discovery>,
}

impl Sweep {
    /// The number of points of the design.
    pub fn points(&self) -> usize {
        match self.design {
            Design::Grid => self
                .parameters
                .iter()
                .map(|p| p.listed().map_or(1, <[String]>::len))
                .product(),
            Design::Lhs(n) | Design::Sobol(n) => n,
            Design::Saltelli(n) => n * (self.parameters.len() + 2),
        }
    }

    /// The assignments of grid point `point` (the first parameter varies slowest).
    pub fn grid_point(&self, point: usize) -> Vec<Assignment> {
        let mut rest = point;
        let mut values = vec![String::new(); self.parameters.len()];
        for (k, parameter) in self.parameters.iter().enumerate().rev() {
            let listed = parameter.listed().unwrap_or(&[]);
            let n = listed.len().max(1);
            values[k] = listed.get(rest % n).cloned().unwrap_or_default();
            rest /= n;
        }
        self.assign(values)
    }

    /// The assignments of a design point at `unit` (one coordinate in `[0, 1)` per parameter).
    pub fn design_point(&self, unit: &[f64]) -> Vec<Assignment> {
        let values = self
            .parameters
            .iter()
            .zip(unit)
            .map(|(p, &u)| p.value_at(u))
            .collect();
        self.assign(values)
    }

    fn assign(&self, values: Vec<String>) -> Vec<Assignment> {
        self.parameters
            .iter()
            .zip(values)
            .map(|(p, value)| Assignment::new(p.path.clone(), value))
            .collect()
    }
}

/// A number as a value is written: at most 12 significant digits, so that `0.1 × 3` is `0.3`.
pub fn number_text(value: f64) -> String {
    let rounded: f64 = format!("{value:.11e}").parse().unwrap_or(value);
    format!("{}", rounded + 0.0)
}

/// Check `spec` against the scenario `scenario` (each value is tried on it).
pub(super) fn check(
    spec: &SweepSpec,
    scenario: &Scenario,
    source: &Path,
) -> Result<Sweep, Invalid> {
    let mut errors = Vec::new();
    let invalid = |at: String, message: String| Invalid::new(source, at, message);
    if spec.parameters.is_empty() {
        errors.push(invalid(
            "sweep: parameters".into(),
            "no parameter: expected at least one (\"path\", List([...])) ".into(),
        ));
    }
    let design = match spec.design {
        DesignSpec::Grid => Design::Grid,
        DesignSpec::Lhs(n) => Design::Lhs(n.get() as usize),
        DesignSpec::Sobol(n) => Design::Sobol(n.get() as usize),
        DesignSpec::Saltelli(n) => Design::Saltelli(n.get() as usize),
    };
    let mut written = scenario.clone();
    written.variants.clear();
    written.sweep = None;
    let mut parameters = Vec::new();
    for (k, (path, values)) in spec.parameters.iter().enumerate() {
        let at = format!("sweep: parameters[{k}] {path:?}");
        if spec.parameters[..k].iter().any(|(p, _)| p == path) {
            errors.push(invalid(at, "this path is swept twice".into()));
            continue;
        }
        // every value is tried on the scenario as written
        let try_value = |value: &str| -> Result<(), String> {
            parameter::apply(&mut written.clone(), &Assignment::new(path.clone(), value))
                .map_err(|message| format!("{value}: {message}"))
        };
        let checked = match values {
            ValuesSpec::List(list) if list.is_empty() => {
                Err("an empty List: expected values".into())
            }
            ValuesSpec::List(list) => {
                let texts: Vec<String> = list
                    .iter()
                    .map(|v| v.get_ron().trim().to_string())
                    .collect();
                texts
                    .iter()
                    .try_for_each(|v| try_value(v))
                    .map(|()| Values::Listed(texts))
            }
            &ValuesSpec::Range(lo, hi, step) => range(lo, hi, step).and_then(|texts| {
                texts
                    .iter()
                    .try_for_each(|v| try_value(v))
                    .map(|()| Values::Listed(texts))
            }),
            &ValuesSpec::Between(lo, hi) => {
                if !(lo.is_finite() && hi.is_finite() && lo < hi) {
                    Err(format!(
                        "Between({lo}, {hi}): expected finite numbers with lo < hi"
                    ))
                } else if design == Design::Grid {
                    Err("Between(lo, hi) is an interval, which a Grid cannot enumerate: use List or Range(lo, hi, step), or design: Lhs(n), Sobol(n) or Saltelli(n)".into())
                } else {
                    // a whole-number field refuses a fraction before it checks its range
                    let whole = try_value("0.5").is_err_and(|e| e.contains("not a whole number"));
                    let ends = if whole {
                        [lo.round(), hi.round()]
                    } else {
                        [lo, hi]
                    };
                    ends.iter()
                        .try_for_each(|&v| try_value(&number_text(v)))
                        .map(|()| Values::Between { lo, hi, whole })
                }
            }
        };
        match checked {
            Ok(values) => parameters.push(Parameter {
                path: path.clone(),
                role: Role::of(path),
                values,
            }),
            Err(message) => errors.push(invalid(at, message)),
        }
    }
    let loss = spec
        .loss
        .clone()
        .unwrap_or_else(|| DEFAULT_LOSS.to_string());
    if let Some(threshold) = spec.satisficing
        && !threshold.is_finite()
    {
        errors.push(invalid(
            "sweep: satisficing".into(),
            format!("{threshold}: expected a finite number, in the unit of `loss`"),
        ));
    }
    let discovery = spec.discovery.as_ref().and_then(|d| {
        let at = "sweep: discovery".to_string();
        let (above, threshold) = match (d.above, d.below) {
            (Some(t), None) => (true, t),
            (None, Some(t)) => (false, t),
            _ => {
                errors.push(invalid(
                    at,
                    "expected exactly one of `above` and `below`: the threshold that makes a run a case".into(),
                ));
                return None;
            }
        };
        let min_density = d.min_density.unwrap_or(0.8);
        if !(threshold.is_finite() && min_density > 0.0 && min_density <= 1.0) {
            errors.push(invalid(
                at,
                "expected a finite threshold and min_density in (0, 1]".into(),
            ));
            return None;
        }
        Some(Discovery {
            metric: d.metric.clone(),
            above,
            threshold,
            min_density,
        })
    });
    let sweep = Sweep {
        parameters,
        design,
        runs_per_point: spec.runs_per_point.map(|n| n.get() as usize),
        design_seed: spec.design_seed,
        loss,
        satisficing: spec.satisficing,
        discovery,
    };
    if errors.is_empty() {
        let points = sweep.points_checked();
        if points.is_none_or(|n| n > MAX_POINTS) {
            errors.push(invalid(
                "sweep".into(),
                format!(
                    "the design has more than {MAX_POINTS} points: sweep fewer values or use Lhs(n)"
                ),
            ));
        }
    }
    super::or_errors(sweep, errors)
}

impl Sweep {
    /// The number of points, `None` on overflow.
    fn points_checked(&self) -> Option<usize> {
        match self.design {
            Design::Grid => self.parameters.iter().try_fold(1usize, |n, p| {
                n.checked_mul(p.listed().map_or(1, <[String]>::len))
            }),
            Design::Saltelli(n) => n.checked_mul(self.parameters.len() + 2),
            Design::Lhs(n) | Design::Sobol(n) => Some(n),
        }
    }
}

/// The values of `Range(lo, hi, step)` as text: `hi` is included when it falls on the grid.
fn range(lo: f64, hi: f64, step: f64) -> Result<Vec<String>, String> {
    let written = format!("Range({lo}, {hi}, {step})");
    if !(lo.is_finite() && hi.is_finite() && step.is_finite()) || step <= 0.0 || hi < lo {
        return Err(format!(
            "{written}: expected finite numbers with lo <= hi and a step > 0"
        ));
    }
    // a tolerance of a millionth of a step for the decimal fractions binary cannot hold
    let steps = ((hi - lo) / step + 1e-6).floor();
    if steps + 1.0 > MAX_RANGE_VALUES as f64 {
        return Err(format!(
            "{written} has more than {MAX_RANGE_VALUES} values: expected a larger step"
        ));
    }
    Ok((0..=steps as usize)
        .map(|k| number_text(lo + k as f64 * step))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_includes_its_end_when_it_falls_on_the_grid() {
        assert_eq!(range(0.0, 90.0, 30.0).unwrap(), ["0", "30", "60", "90"]);
        assert_eq!(range(0.0, 100.0, 30.0).unwrap(), ["0", "30", "60", "90"]);
        assert_eq!(range(0.0, 0.3, 0.1).unwrap(), ["0", "0.1", "0.2", "0.3"]);
        assert_eq!(range(5.0, 5.0, 1.0).unwrap(), ["5"]);
        assert!(range(1.0, 0.0, 1.0).is_err());
        assert!(range(0.0, 1.0, 0.0).is_err());
        assert!(range(0.0, 1.0, 1e-9).is_err());
    }

    #[test]
    fn grid_points_vary_the_last_parameter_fastest() {
        let listed = |path: &str, values: &[&str]| Parameter {
            path: path.into(),
            role: Role::of(path),
            values: Values::Listed(values.iter().map(|v| v.to_string()).collect()),
        };
        let sweep = Sweep {
            parameters: vec![
                listed("backup.a.capacity_share", &["0", "0.1"]),
                listed("shocks.s.duration_days", &["10", "20", "30"]),
            ],
            design: Design::Grid,
            runs_per_point: None,
            design_seed: None,
            loss: DEFAULT_LOSS.into(),
            satisficing: None,
            discovery: None,
        };
        assert_eq!(sweep.points(), 6);
        let values = |p: usize| -> Vec<String> {
            sweep.grid_point(p).into_iter().map(|a| a.value).collect()
        };
        assert_eq!(values(0), ["0", "10"]);
        assert_eq!(values(1), ["0", "20"]);
        assert_eq!(values(3), ["0.1", "10"]);
        assert_eq!(values(5), ["0.1", "30"]);
        assert_eq!(sweep.parameters[0].role, Role::Lever);
        assert_eq!(sweep.parameters[1].role, Role::Uncertainty);
    }

    #[test]
    fn design_values_fill_lists_evenly_and_round_whole_fields() {
        let between = Parameter {
            path: "backup.a.activation_delay_days".into(),
            role: Role::Lever,
            values: Values::Between {
                lo: 0.0,
                hi: 90.0,
                whole: true,
            },
        };
        assert_eq!(between.value_at(0.0), "0");
        assert_eq!(between.value_at(0.5), "45");
        assert_eq!(between.value_at(0.499), "45");
        assert_eq!(between.value_at(0.99), "89");
        let list = Parameter {
            values: Values::Listed(vec!["a".into(), "b".into(), "c".into()]),
            ..between
        };
        assert_eq!(list.value_at(0.0), "a");
        assert_eq!(list.value_at(0.34), "b");
        assert_eq!(list.value_at(0.9999), "c");
    }
}
