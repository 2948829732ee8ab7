//! Shocks as written in the scenario: engine primitives whose start and duration are numbers
//! or distributions, and crises whose parameters are drawn in each run.

use serde::Deserialize;

use super::defaults::{coastal, domestic, foreign, one_day, one_nn};
use crate::kinds::{
    DaysDist, NonNegative, PositiveDays, RecoveryFunction, Select, Share, ShareDist,
};

/// A shock as written in the scenario: an engine primitive, or a crisis that expands into
/// primitives with parameters drawn in each run.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Shock")]
pub enum ShockSpec {
    /// A share of production capacity lost by whole industries.
    CapacityLoss {
        /// Name, unique in the scenario.
        name: String,
        /// `(region, sector, share lost)`.
        impacts: Vec<(String, String, Share)>,
        /// First day of the loss (≥ 1); a number, or a distribution drawn in each run.
        start_day: DaysDist,
        /// Days the full loss lasts before recovery starts.
        #[serde(default = "one_day")]
        duration_days: DaysDist,
        /// How the loss fades (only `Recover`).
        #[serde(default = "recover_linear_1")]
        recovery: RecoverySpec,
    },
    /// Productive capital destroyed (money in the MRIO's unit), recovered or rebuilt.
    CapitalLoss {
        /// Name, unique in the scenario.
        name: String,
        /// `(region, sector, capital destroyed)`.
        impacts: Vec<(String, String, NonNegative)>,
        /// Day of the event (≥ 1); a number, or a distribution drawn in each run.
        start_day: DaysDist,
        /// Days before recovery or rebuilding starts.
        #[serde(default = "one_day")]
        duration_days: DaysDist,
        /// Recovery along a function, or reconstruction demand.
        recovery: RecoverySpec,
    },
    /// No deliveries from the selected supplier regions × sectors to the selected buyer
    /// regions (an embargo, a port or corridor closure).
    LinkBlock {
        /// Name, unique in the scenario.
        name: String,
        /// Supplier regions.
        from: Select,
        /// Supplier sectors (empty = every sector).
        #[serde(default)]
        sectors: Vec<String>,
        /// Buyer regions.
        to: Select,
        /// First day (≥ 1); a number, or a distribution drawn in each run.
        start_day: DaysDist,
        /// Days fully blocked.
        #[serde(default = "one_day")]
        duration_days: DaysDist,
        /// How the links reopen (default: at once).
        #[serde(default = "recover_linear_1")]
        recovery: RecoverySpec,
    },
    /// Final demand of the selected regions for the selected products multiplied by `factor`.
    DemandChange {
        /// Name, unique in the scenario.
        name: String,
        /// Demanding regions.
        regions: Select,
        /// Products (empty = every sector).
        #[serde(default)]
        sectors: Vec<String>,
        /// Multiplier of baseline final demand (0.8 = a 20 % fall, 1.3 = a 30 % surge).
        factor: NonNegative,
        /// First day (≥ 1); a number, or a distribution drawn in each run.
        start_day: DaysDist,
        /// Days at full change.
        #[serde(default = "one_day")]
        duration_days: DaysDist,
        /// How demand returns to baseline (default: at once).
        #[serde(default = "recover_linear_1")]
        recovery: RecoverySpec,
    },
    /// A drawn share of the selected (coastal) regions' firms loses a drawn share of capacity;
    /// optionally every link from `Foreign` regions into them is blocked too.
    CoastalDisruption {
        /// Name, unique in the scenario.
        name: String,
        /// Regions hit (default: every `Coastal` region).
        #[serde(default = "coastal")]
        regions: Select,
        /// Sectors whose firms can be hit (empty = every sector): a typhoon on the coast's
        /// electronics is `sectors: ["electronics"]`.
        #[serde(default)]
        sectors: Vec<String>,
        /// First day.
        start_day: DaysDist,
        /// Days at full loss.
        duration_days: DaysDist,
        /// Share of the regions' firms hit (drawn once per run).
        firms_hit: ShareDist,
        /// Share of capacity each hit firm loses (drawn per firm).
        capacity_loss: ShareDist,
        /// How capacity comes back (only `Recover`).
        #[serde(default = "recover_linear_1")]
        recovery: RecoverySpec,
        /// Also block all imports from `Foreign` regions into the regions hit.
        #[serde(default)]
        block_sea_imports: bool,
    },
    /// Foreign regions stop supplying the given sectors to the given regions.
    TechCutoff {
        /// Name, unique in the scenario.
        name: String,
        /// Supplier regions, all `Foreign` (default: every `Foreign` region).
        #[serde(default = "foreign")]
        from: Select,
        /// Sectors cut off (at least one).
        sectors: Vec<String>,
        /// Buyer regions (default: every domestic region).
        #[serde(default = "domestic")]
        to: Select,
        /// First day.
        start_day: DaysDist,
        /// Days cut off.
        duration_days: DaysDist,
    },
    /// In each run, with `probability`, the selected regions are hit on a drawn day: a drawn
    /// share of their firms loses a drawn share of its productive capital.
    Disaster {
        /// Name, unique in the scenario.
        name: String,
        /// Regions hit.
        regions: Select,
        /// Sectors whose firms can be hit (empty = every sector).
        #[serde(default)]
        sectors: Vec<String>,
        /// Chance that the disaster happens in a run.
        probability: Share,
        /// Day it happens.
        day: DaysDist,
        /// Days before recovery or rebuilding starts.
        #[serde(default = "one_day")]
        duration_days: DaysDist,
        /// Share of the regions' firms hit (drawn once per run).
        firms_hit: ShareDist,
        /// Share of its productive capital each hit firm loses (drawn per firm).
        capital_loss: ShareDist,
        /// Recovery along a function, or reconstruction demand.
        recovery: RecoverySpec,
    },
    /// A chokepoint closes: no deliveries from `from` regions to `to` regions (of the given
    /// sectors; empty = every sector).
    RouteClosure {
        /// Name, unique in the scenario.
        name: String,
        /// Supplier regions.
        from: Select,
        /// Buyer regions.
        to: Select,
        /// Sectors shipped through the route (empty = every sector).
        #[serde(default)]
        sectors: Vec<String>,
        /// First day.
        start_day: DaysDist,
        /// Days closed.
        duration_days: DaysDist,
    },
}

/// How damage goes away.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Recovery")]
pub enum RecoverySpec {
    /// The damage decays along `function` with time constant `tau_days`.
    Recover {
        /// Shape of the decay.
        #[serde(default)]
        function: RecoveryFunction,
        /// Time constant in days.
        tau_days: PositiveDays,
    },
    /// The destroyed capital is rebuilt: reconstruction demand on the given sectors.
    Rebuild {
        /// Reconstruction demand is placed at `stock / tau_days` per day.
        tau_days: PositiveDays,
        /// `(sector, share)` of reconstruction demand; shares sum to 1.
        sectors: Vec<(String, Share)>,
        /// Reconstruction cost per unit of capital destroyed.
        #[serde(default = "one_nn")]
        factor: NonNegative,
    },
}

impl ShockSpec {
    /// The shock's name.
    pub fn name(&self) -> &str {
        match self {
            ShockSpec::CapacityLoss { name, .. }
            | ShockSpec::CapitalLoss { name, .. }
            | ShockSpec::LinkBlock { name, .. }
            | ShockSpec::DemandChange { name, .. }
            | ShockSpec::CoastalDisruption { name, .. }
            | ShockSpec::TechCutoff { name, .. }
            | ShockSpec::Disaster { name, .. }
            | ShockSpec::RouteClosure { name, .. } => name,
        }
    }
}

/// The default recovery of shocks that only recover: at once (linear over one day).
fn recover_linear_1() -> RecoverySpec {
    RecoverySpec::Recover {
        function: RecoveryFunction::Linear,
        tau_days: PositiveDays(1),
    }
}
