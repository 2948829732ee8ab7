//! A sweep: parameters set over a design, each point run as a variant on the same drawn crises.

use ron::value::RawValue;
use serde::{Deserialize, Deserializer};

use crate::kinds::Count;

/// `sweep: Sweep(parameters: [("backup.bk.capacity_share", List([0.0, 0.1]))], runs_per_point: 50)`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Sweep")]
pub struct SweepSpec {
    /// `(parameter path, values)`: the paths of variants (`backup.<name>.<field>`,
    /// `shocks.<name>.<field>`…) and the values each takes.
    pub parameters: Vec<(String, ValuesSpec)>,
    /// How points are chosen: `Grid` (every combination, the default), `Lhs(n)`, `Sobol(n)` or
    /// `Saltelli(n)` (for Sobol indices).
    #[serde(default)]
    pub design: DesignSpec,
    /// Runs of every point (the same crises for every point, run by run); omitted = the
    /// scenario's `runs`.
    #[serde(default, deserialize_with = "some")]
    pub runs_per_point: Option<Count>,
    /// Seed of a random design (`Lhs`, `Sobol`, `Saltelli`); omitted = the scenario's `seed`.
    #[serde(default, deserialize_with = "some")]
    pub design_seed: Option<u64>,
    /// The metric that regret, satisficing and the frontier are about; omitted =
    /// `"va_loss_money"`.
    #[serde(default, deserialize_with = "some")]
    pub loss: Option<String>,
    /// A run satisfices when its `loss` stays at or below this value (in the metric's unit).
    #[serde(default, deserialize_with = "some")]
    pub satisficing: Option<f64>,
    /// Scenario discovery (PRIM): the condition whose runs are explained by the swept and
    /// drawn parameters.
    #[serde(default, deserialize_with = "some")]
    pub discovery: Option<DiscoverySpec>,
}

/// The values a parameter takes.
#[derive(Debug, Clone, Deserialize)]
pub enum ValuesSpec {
    /// These values, each written as the field is written (`List([0.0, 0.1])`,
    /// `List(["MidYangtze", "Guanzhong"])`).
    List(Vec<Box<RawValue>>),
    /// `Range(lo, hi, step)`: `lo`, `lo + step`, … up to `hi`, which is included when it falls
    /// on the grid.
    Range(f64, f64, f64),
    /// `Between(lo, hi)`: any number in `[lo, hi]`, for a space-filling design (a whole-number
    /// field takes the nearest whole number).
    Between(f64, f64),
}

/// How the points of a sweep are chosen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum DesignSpec {
    /// Every combination of every parameter's values.
    #[default]
    Grid,
    /// `n` points of a Latin hypercube.
    Lhs(Count),
    /// `n` points of a scrambled Sobol sequence.
    Sobol(Count),
    /// Saltelli's design for Sobol indices: `n` base points, `n × (parameters + 2)` in all.
    Saltelli(Count),
}

/// `Discovery(metric: "va_loss_pct", above: 2.0)`: the runs whose metric is above (or below)
/// a threshold are the cases PRIM explains.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Discovery")]
pub struct DiscoverySpec {
    /// The metric (a column of `runs.csv`).
    pub metric: String,
    /// A run is a case when its metric is above this value…
    #[serde(default, deserialize_with = "some")]
    pub above: Option<f64>,
    /// …or below this one.
    #[serde(default, deserialize_with = "some")]
    pub below: Option<f64>,
    /// Density the box must keep (PRIM's threshold); omitted = 0.8.
    #[serde(default, deserialize_with = "some")]
    pub min_density: Option<f64>,
}

/// An optional field written as its plain value (`runs_per_point: 50`, not `Some(50)`).
fn some<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}
