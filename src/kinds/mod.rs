//! The shared vocabulary every layer may use: region kinds and selections, rule sets, recovery
//! functions, record kinds, policy switches, firm-size and degree laws, numbers that check
//! their own range while they are read, and the distributions of drawn parameters.
//!
//! These types are defined here, once: the scenario file reads them (with the position of a bad
//! value in the file), the checked model holds them, and the economy, shocks, policies, engine
//! and metrics use them. Nothing here depends on another module of the crate.

mod checked;
mod dist;

pub use checked::{
    Count, NonNegative, Positive, PositiveDays, PositiveF, Share, TailExponent, UnitInterval,
};
pub use dist::{DaysDist, Dist, ShareDist};

use serde::Deserialize;

/// What a region is, for selecting regions by kind.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RegionKind {
    /// Coastal provinces (industrial clusters, sea ports).
    Coastal,
    /// Strategic hinterland (e.g. Chengdu–Chongqing, Guanzhong, the middle Yangtze).
    Hinterland,
    /// Other domestic regions.
    Interior,
    /// Regions abroad.
    Foreign,
}

/// A set of regions.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename = "Regions")]
pub enum Select {
    /// Every region.
    All,
    /// The named regions.
    Names(Vec<String>),
    /// Every region of a kind.
    Kind(RegionKind),
    /// Every region that is not `Foreign`.
    Domestic,
}

/// Which rules the engine follows.
#[derive(Debug, Clone, Copy, Deserialize, Default, PartialEq, Eq)]
pub enum Compat {
    /// The model note's rules, without BoARIO's numerical quirks.
    #[default]
    Clean,
    /// BoARIO 0.7.2 exactly (timing lags, `allclose` gates, α rules, input threshold).
    Boario072,
}

/// How an order for one input is split over the suppliers of that input.
#[derive(Debug, Clone, Copy, Deserialize, Default, PartialEq, Eq)]
pub enum OrderType {
    /// Baseline flows weighted by each supplier's current capacity (Guan et al. 2020).
    #[default]
    Alt,
    /// Fixed baseline shares (Hallegatte 2013).
    NoAlt,
}

/// How an input rated "important" (IHS Markit's 0.5: production is impaired without it) in a
/// table's `criticality.csv` is taken.
#[derive(Debug, Clone, Copy, Deserialize, Default, PartialEq, Eq)]
pub enum Important {
    /// As critical: a shortage limits production (the default).
    #[default]
    Critical,
    /// As non-critical: production goes on without it.
    NonCritical,
}

/// Where firms' target stocks come from.
#[derive(Debug, Clone, Copy, Deserialize, Default, PartialEq, Eq)]
pub enum Stocks {
    /// `inventory_days` for every product (BoARIO), except the products listed in
    /// `inventory_days_by_input`.
    #[default]
    Uniform,
    /// The table's `inventory_days.csv` (days per product), except the products listed in
    /// `inventory_days_by_input`; products the file does not list get `inventory_days`.
    ByProduct,
}

/// How a firm that cannot meet all demand shares its output among its buyers.
#[derive(Debug, Clone, Copy, Deserialize, Default, PartialEq, Eq)]
pub enum Rationing {
    /// Every buyer gets the same share of what it asked for (BoARIO, Hallegatte 2008).
    #[default]
    Proportional,
    /// Final demand (households, government, investment, exports, reconstruction) is served
    /// first; firms' orders share what is left in proportion.
    FinalDemandFirst,
    /// Firms' orders are served first; final demand shares what is left in proportion
    /// (Pichler & Farmer 2022 discuss both priorities).
    FinalDemandLast,
}

/// Recovery functions of BoARIO (`φ(e, v0, τ)`, `e` days since recovery started).
#[derive(Debug, Clone, Copy, Deserialize, Default, PartialEq, Eq)]
pub enum RecoveryFunction {
    /// `v0 · (1 − e/τ)`, zero from `e = τ`.
    #[default]
    Linear,
    /// `v0 · (1 − 1/τ)^(4e)`.
    Convex,
    /// `v0 · (1 − 1/τ)^e`.
    ConvexNoScale,
    /// `v0 · τ / (τ + 1e-6 · e^γ)`, `γ = (ln τ − ln 1e-6)/(ln τ − ln 2)`.
    Concave,
}

/// Daily records that can be written to `records/<name>.csv`.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub enum RecordKind {
    /// Realised production per industry (`production_realised`).
    ProductionRealised,
    /// Production capacity `x0·(1−Δ)·α` per industry (`production_capacity`).
    ProductionCapacity,
    /// Final demand not served, per demanding region × product (`final_demand_unmet`).
    FinalDemandUnmet,
    /// Overproduction factor α, output-weighted per industry (`overproduction`).
    Overproduction,
    /// Capacity loss Δ, output-weighted per industry (`capacity_loss`).
    CapacityLoss,
    /// Baseline value of the inputs each buying industry cannot receive today because their
    /// links are blocked: `Σ z0_l/365 · (1 − open_l)` (`inputs_blocked`).
    InputsBlocked,
    /// Orders received from other firms per industry (`intermediate_demand`).
    IntermediateDemand,
    /// Value added per industry, backup units included (`value_added`).
    ValueAdded,
    /// State of each backup unit: 0 standby, 1 activating, 2 ramping, 3 active (`backup_state`).
    BackupState,
    /// Output of each backup unit (`backup_output`).
    BackupOutput,
    /// Stock of each reserve (`reserve_stock`).
    ReserveStock,
}

impl RecordKind {
    /// Every record (`BackupState`, `BackupOutput` and `ReserveStock` are written only when
    /// the scenario has backups or reserves).
    pub const ALL: [RecordKind; 11] = [
        RecordKind::ProductionRealised,
        RecordKind::ProductionCapacity,
        RecordKind::FinalDemandUnmet,
        RecordKind::Overproduction,
        RecordKind::CapacityLoss,
        RecordKind::InputsBlocked,
        RecordKind::IntermediateDemand,
        RecordKind::ValueAdded,
        RecordKind::BackupState,
        RecordKind::BackupOutput,
        RecordKind::ReserveStock,
    ];

    /// File stem of the record (`records/<stem>.csv`).
    pub fn file_stem(self) -> &'static str {
        match self {
            RecordKind::ProductionRealised => "production_realised",
            RecordKind::ProductionCapacity => "production_capacity",
            RecordKind::FinalDemandUnmet => "final_demand_unmet",
            RecordKind::Overproduction => "overproduction",
            RecordKind::CapacityLoss => "capacity_loss",
            RecordKind::InputsBlocked => "inputs_blocked",
            RecordKind::IntermediateDemand => "intermediate_demand",
            RecordKind::ValueAdded => "value_added",
            RecordKind::BackupState => "backup_state",
            RecordKind::BackupOutput => "backup_output",
            RecordKind::ReserveStock => "reserve_stock",
        }
    }
}

/// When backup units start up.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub enum Trigger {
    /// Domestic availability of the sector (share of its baseline supply to domestic buyers that
    /// can still be delivered) seen `lag_days` late falls below `below`.
    Availability {
        /// Threshold (share).
        below: Share,
        /// Monitoring lag in days (东部预警).
        #[serde(default)]
        lag_days: u32,
    },
    /// The named shock starts (a pre-committed switch).
    OnShock(String),
    /// Early warning (东部预警+中西部备份): the named shock is announced `lead_days` before it
    /// starts (drawn per run; from day 1 at the earliest), and the units start then. With
    /// probability `false_alarm` a run also sees an alarm on a day drawn uniformly over the
    /// run that no shock follows: the units start, cost an activation, and stand down
    /// `release_after_days` after the day the alarm announced (`lead_days` after it).
    Warning {
        /// The shock announced.
        shock: String,
        /// Days between the warning and the shock's first day.
        lead_days: DaysDist,
        /// Chance that a run sees a false alarm.
        #[serde(default)]
        false_alarm: Share,
    },
    /// Started on day 0 and kept on.
    Always,
    /// Never started.
    Never,
}

impl Default for Trigger {
    fn default() -> Self {
        Trigger::Availability {
            below: Share(0.9),
            lag_days: 0,
        }
    }
}

/// Where backup units buy their inputs.
#[derive(Debug, Clone, Copy, Deserialize, Default, PartialEq, Eq)]
pub enum Sourcing {
    /// From domestic firms only; inputs no domestic firm makes are designed out (自主可控).
    #[default]
    Domestic,
    /// From firms in `Hinterland` regions only; inputs none of them makes are designed out.
    Hinterland,
    /// Like the sector's regular firms, foreign suppliers included.
    AsSector,
}

/// Who a reserve serves.
#[derive(Debug, Clone, Copy, Deserialize, Default, PartialEq, Eq)]
pub enum Serves {
    /// Firms' orders that regular suppliers cannot serve.
    Industry,
    /// Final demand left unmet.
    FinalDemand,
    /// Industry first, then final demand.
    #[default]
    Both,
}

/// Order of a reserve and backup units in serving the pool.
#[derive(Debug, Clone, Copy, Deserialize, Default, PartialEq, Eq)]
pub enum Priority {
    /// The reserve releases first.
    #[default]
    BeforeBackup,
    /// Backup units produce first.
    AfterBackup,
}

/// Firm-size distribution within an industry.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub enum FirmSizes {
    /// Every firm the same size.
    Equal,
    /// `exp(sigma · N(0,1))`: the usual log-normal firm-size distribution.
    LogNormal {
        /// Standard deviation of log size.
        sigma: NonNegative,
    },
    /// Pareto with tail exponent `shape` (Zipf's law: shape ≈ 1).
    Pareto {
        /// Tail exponent (> 0).
        shape: Positive,
    },
}

impl Default for FirmSizes {
    /// Log-normal with sigma 1, a common fit to within-industry firm sizes.
    fn default() -> Self {
        FirmSizes::LogNormal {
            sigma: NonNegative(1.0),
        }
    }
}

/// Law of the number of suppliers (in-degree) of a firm in a synthetic economy.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
pub enum Degree {
    /// `1 + Poisson(mean − 1)`: every firm has about the mean.
    Poisson,
    /// A discrete power law `P(k) ∝ (k + c)^(−exponent)`, `k ≥ 1`, with `c` set so that the
    /// mean is `mean_suppliers`: a few firms buy from very many suppliers.
    PowerLaw(TailExponent),
}

impl Default for Degree {
    /// `PowerLaw(2.5)`, in the range measured for firm networks (in-degree exponents 2–3).
    fn default() -> Self {
        Degree::PowerLaw(TailExponent(2.5))
    }
}

/// Most links a synthetic economy may have (link indices are `u32`; half of the range is
/// kept as headroom for the random degrees).
pub const MAX_SYNTHETIC_LINKS: f64 = 2_147_483_648.0;

/// Whether the parameters of a synthetic economy can be built: at least one firm per industry
/// (and two firms), `1 <= mean_suppliers <= firms / 2` (every firm buys from at least one
/// other firm, and the degree law needs room above its mean), a power-law exponent above 2
/// (a finite mean), and at most [`MAX_SYNTHETIC_LINKS`] links.
///
/// ```
/// use hinterland::kinds::{Degree, check_synthetic};
/// assert!(check_synthetic(2_000, 5, 4, 10.0, Degree::Poisson).is_ok());
/// assert!(check_synthetic(10, 5, 4, 2.0, Degree::Poisson).is_err()); // 20 industries
/// ```
pub fn check_synthetic(
    firms: u32,
    sectors: u32,
    regions: u32,
    mean_suppliers: f64,
    degree: Degree,
) -> Result<(), String> {
    let industries = u64::from(sectors) * u64::from(regions);
    let needed = industries.max(2);
    if sectors == 0 || regions == 0 || u64::from(firms) < needed {
        return Err(format!(
            "Synthetic: {firms} firms cannot fill {regions} regions × {sectors} sectors: expected firms >= {needed} (one firm per industry, and two at least)"
        ));
    }
    let most = f64::from(firms) / 2.0;
    if !(1.0..=most).contains(&mean_suppliers) {
        return Err(format!(
            "Synthetic: mean_suppliers {mean_suppliers} is out of range: expected 1 <= mean_suppliers <= firms / 2 = {most}"
        ));
    }
    if f64::from(firms) * mean_suppliers > MAX_SYNTHETIC_LINKS {
        return Err(format!(
            "Synthetic: {firms} firms × {mean_suppliers} suppliers is more than the supported {MAX_SYNTHETIC_LINKS} links"
        ));
    }
    if let Degree::PowerLaw(exponent) = degree
        && !(exponent.get().is_finite() && exponent.get() > 2.0)
    {
        return Err(format!(
            "Synthetic: PowerLaw({}) has no finite mean: expected an exponent > 2",
            exponent.get()
        ));
    }
    Ok(())
}
