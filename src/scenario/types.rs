//! Plain serde types of the scenario file. Nothing here is checked beyond what a field's own
//! deserializer checks (ranges of single numbers, with the position of the bad value); names
//! are resolved and cross-checked when the [`crate::model::Model`] and the economy are built.

use serde::Deserialize;

use super::checked::{NonNegative, PositiveDays, Share, TailExponent, UnitInterval};
use super::random::{DaysDist, Dist, ShareDist};

/// One scenario file: an economy, its dynamics, the shocks that hit it and what to record.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name, used in titles and default output paths.
    pub name: String,
    /// What the scenario is about, for reports (optional).
    #[serde(default)]
    pub description: String,
    /// Length of the run in days (day 0 is the baseline day).
    pub days: PositiveDays,
    /// Monte Carlo runs (each draws the random shock parameters anew).
    #[serde(default = "one")]
    pub runs: PositiveDays,
    /// Seed of the shock draws: run `k` draws shock `i` from the stream `(seed, k, i)`.
    #[serde(default)]
    pub seed: u64,
    /// Kind of each region (`Coastal`, `Hinterland`, `Interior`, `Foreign`); domestic regions
    /// not listed are `Interior`.
    #[serde(default)]
    pub regions: Vec<(String, RegionKind)>,
    /// Where the economy comes from.
    #[serde(deserialize_with = "checked_economy")]
    pub economy: EconomySpec,
    /// Daily dynamics; omitted = `Ario()` with BoARIO's defaults.
    #[serde(default)]
    pub dynamics: DynamicsSpec,
    /// Shocks, in the order they are listed.
    #[serde(default)]
    pub shocks: Vec<ShockSpec>,
    /// Standby production units in the hinterland (关键产业备份).
    #[serde(default)]
    pub backup: Vec<BackupSpec>,
    /// Strategic reserves of products (战略物资储备).
    #[serde(default)]
    pub reserves: Vec<ReserveSpec>,
    /// Daily records to write (omitted = all of them).
    #[serde(default = "all_records")]
    pub records: Vec<RecordKind>,
    /// Named variants of the scenario, run on the same drawn crises as the scenario itself
    /// (which is the variant "base").
    #[serde(default)]
    pub variants: Vec<VariantSpec>,
}

/// A named set of parameter overrides, e.g.
/// `Variant(name: "no backup", set: [("backup.chips-cq.capacity_share", 0.0)])`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Variant")]
pub struct VariantSpec {
    /// Name, unique among variants ("base" is the scenario itself).
    pub name: String,
    /// `(parameter path, value)`: `backup.<name>.<field>`, `reserves.<name>.<field>` or
    /// `dynamics.<field>` (see `hinterland example`).
    pub set: Vec<(String, f64)>,
}

/// Standby capacity of one sector placed in one region.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Backup")]
pub struct BackupSpec {
    /// Name, unique among backups.
    pub name: String,
    /// Sector produced.
    pub sector: String,
    /// Region where the units stand (`Hinterland` or `Interior`).
    pub region: String,
    /// Capacity as a share of the domestic baseline output of `sector`.
    pub capacity_share: NonNegative,
    /// When the units start up.
    #[serde(default)]
    pub trigger: Trigger,
    /// Days from the trigger to the first output (平急转换).
    #[serde(default)]
    pub activation_delay_days: u32,
    /// Days for capacity to rise linearly from 0 to full.
    #[serde(default)]
    pub ramp_days: u32,
    /// Days the trigger must stay quiet before the units return to standby.
    #[serde(default = "thirty")]
    pub release_after_days: u32,
    /// Where the units buy their inputs.
    #[serde(default)]
    pub sourcing: Sourcing,
    /// Days of inputs (at full capacity) held in standby.
    #[serde(default = "thirty")]
    pub prestock_days: u32,
    /// Yearly holding cost per unit of standby capacity value (annual output).
    #[serde(default)]
    pub holding_cost_rate: NonNegative,
    /// Cost of each activation (money).
    #[serde(default)]
    pub activation_cost: NonNegative,
    /// Number of units the capacity is split into.
    #[serde(default = "one")]
    pub firms: PositiveDays,
}

/// When backup units start up.
#[derive(Debug, Clone, Deserialize, PartialEq)]
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

/// A strategic stock of one product.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Reserve")]
pub struct ReserveSpec {
    /// Name, unique among reserves.
    pub name: String,
    /// Sector whose product is stored.
    pub product: String,
    /// Region where it is held (for reports).
    pub region: String,
    /// Size in days of domestic baseline use (intermediate + final).
    pub days: NonNegative,
    /// Largest release per day, as a share of domestic baseline daily use.
    pub max_release: NonNegative,
    /// Days to refill from empty once shortfalls end.
    #[serde(default = "ninety_days")]
    pub refill_days: PositiveDays,
    /// Who it serves.
    #[serde(default)]
    pub serves: Serves,
    /// Served before or after backup units.
    #[serde(default)]
    pub priority: Priority,
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

/// Source of the economy.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Economy")]
pub enum EconomySpec {
    /// A multi-regional input-output table in pymrio's saved format, disaggregated into firms.
    Mrio {
        /// Folder of the table, relative to the scenario file.
        path: String,
        /// Firms per industry (each industry with output > 0).
        #[serde(default = "one")]
        firms_per_industry: PositiveDays,
        /// Maximum number of suppliers a firm buys one input from, per supplying industry.
        #[serde(default = "three")]
        suppliers_per_input: PositiveDays,
        /// Distribution of firm sizes within an industry (normalised to the industry's output).
        #[serde(default)]
        firm_sizes: FirmSizes,
        /// Seed of the firm network (sizes and supplier choice).
        #[serde(default)]
        seed: u64,
    },
    /// A synthetic firm network built directly, without a table: `regions × sectors`
    /// industries named `r00…`, `s00…`, each buyer with a random number of suppliers (see
    /// [`crate::economy::synthetic_firms`]). Used for scale tests and benchmarks.
    Synthetic {
        /// Number of firms (at least one per industry, so `>= regions × sectors`, and >= 2).
        firms: PositiveDays,
        /// Number of sectors.
        sectors: PositiveDays,
        /// Number of regions.
        regions: PositiveDays,
        /// Mean number of suppliers per firm (in-degree), in `[1, firms / 2]`; the economy has
        /// about `firms × mean_suppliers` links.
        mean_suppliers: Positive,
        /// Law of the number of suppliers of a firm (default `PowerLaw(2.5)`).
        #[serde(default)]
        degree: Degree,
        /// Seed of the network (sizes, technology, suppliers).
        #[serde(default)]
        seed: u64,
    },
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

impl EconomySpec {
    /// Checks between fields that their own types cannot make; the message names the fields.
    pub fn check(&self) -> Result<(), String> {
        match self {
            EconomySpec::Mrio { .. } => Ok(()),
            EconomySpec::Synthetic {
                firms,
                sectors,
                regions,
                mean_suppliers,
                degree,
                ..
            } => check_synthetic(
                firms.get(),
                sectors.get(),
                regions.get(),
                mean_suppliers.get(),
                *degree,
            ),
        }
    }
}

/// Whether the parameters of a synthetic economy can be built: at least one firm per industry
/// (and two firms), `1 <= mean_suppliers <= firms / 2` (every firm buys from at least one
/// other firm, and the degree law needs room above its mean), a power-law exponent above 2
/// (a finite mean), and at most [`MAX_SYNTHETIC_LINKS`] links.
///
/// ```
/// use hinterland::scenario::{Degree, check_synthetic};
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

/// The economy, with [`EconomySpec::check`] applied while it is read, so that an error points
/// at it in the file.
fn checked_economy<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<EconomySpec, D::Error> {
    let spec = EconomySpec::deserialize(deserializer)?;
    spec.check().map_err(serde::de::Error::custom)?;
    Ok(spec)
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

pub use super::checked::Positive;

/// Daily dynamics.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Dynamics")]
pub enum DynamicsSpec {
    /// The ARIO model applied per firm. Omitted fields take BoARIO 0.7.2's defaults.
    Ario {
        /// `Clean` (default) or `Boario072` (reproduce BoARIO 0.7.2's quirks exactly).
        #[serde(default)]
        compat: Compat,
        /// Share `ψ` of the target stock below which production is constrained;
        /// `None` gives BoARIO's ARIOBaseModel (no ψ, whole gap ordered at once).
        #[serde(default = "default_psi")]
        psi: Option<UnitInterval>,
        /// Days to close an inventory gap (ARIOPsiModel's `inventory_restoration_tau`).
        #[serde(default = "sixty")]
        inventory_restoration_tau: PositiveF,
        /// How orders are split between suppliers of one input.
        #[serde(default)]
        order_type: OrderType,
        /// Overproduction floor `α_base`.
        #[serde(default = "one_f")]
        alpha_base: Positive,
        /// Overproduction ceiling `α_max`.
        #[serde(default = "alpha_max")]
        alpha_max: Positive,
        /// Overproduction adjustment time in days.
        #[serde(default = "days_365")]
        alpha_tau: PositiveF,
        /// Inventory target in days of use, every input.
        #[serde(default = "ninety")]
        inventory_days: PositiveF,
        /// Productive capital per unit of annual value added.
        #[serde(default = "four")]
        capital_to_value_added: NonNegative,
    },
}

pub use super::checked::PositiveF;

impl Default for DynamicsSpec {
    fn default() -> Self {
        DynamicsSpec::Ario {
            compat: Compat::default(),
            psi: default_psi(),
            inventory_restoration_tau: sixty(),
            order_type: OrderType::default(),
            alpha_base: one_f(),
            alpha_max: alpha_max(),
            alpha_tau: days_365(),
            inventory_days: ninety(),
            capital_to_value_added: four(),
        }
    }
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
        /// First day of the loss (≥ 1).
        start_day: PositiveDays,
        /// Days the full loss lasts before recovery starts.
        #[serde(default = "one")]
        duration_days: PositiveDays,
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
        /// Day of the event (≥ 1).
        start_day: PositiveDays,
        /// Days before recovery or rebuilding starts.
        #[serde(default = "one")]
        duration_days: PositiveDays,
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
        /// First day (≥ 1).
        start_day: PositiveDays,
        /// Days fully blocked.
        #[serde(default = "one")]
        duration_days: PositiveDays,
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
        /// First day (≥ 1).
        start_day: PositiveDays,
        /// Days at full change.
        #[serde(default = "one")]
        duration_days: PositiveDays,
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
    pub const ALL: [RecordKind; 10] = [
        RecordKind::ProductionRealised,
        RecordKind::ProductionCapacity,
        RecordKind::FinalDemandUnmet,
        RecordKind::Overproduction,
        RecordKind::CapacityLoss,
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
            RecordKind::IntermediateDemand => "intermediate_demand",
            RecordKind::ValueAdded => "value_added",
            RecordKind::BackupState => "backup_state",
            RecordKind::BackupOutput => "backup_output",
            RecordKind::ReserveStock => "reserve_stock",
        }
    }
}

fn all_records() -> Vec<RecordKind> {
    RecordKind::ALL.to_vec()
}
fn thirty() -> u32 {
    30
}
fn ninety_days() -> PositiveDays {
    PositiveDays(90)
}
fn one() -> PositiveDays {
    PositiveDays(1)
}
fn three() -> PositiveDays {
    PositiveDays(3)
}
fn default_psi() -> Option<UnitInterval> {
    Some(UnitInterval(0.8))
}
fn sixty() -> PositiveF {
    PositiveF(60.0)
}
fn one_f() -> Positive {
    Positive(1.0)
}
fn one_nn() -> NonNegative {
    NonNegative(1.0)
}
fn alpha_max() -> Positive {
    Positive(1.25)
}
fn days_365() -> PositiveF {
    PositiveF(365.0)
}
fn ninety() -> PositiveF {
    PositiveF(90.0)
}
fn four() -> NonNegative {
    NonNegative(4.0)
}
fn coastal() -> Select {
    Select::Kind(RegionKind::Coastal)
}
fn foreign() -> Select {
    Select::Kind(RegionKind::Foreign)
}
fn domestic() -> Select {
    Select::Domestic
}
fn one_day() -> DaysDist {
    DaysDist(Dist::Fixed(1.0))
}
fn recover_linear_1() -> RecoverySpec {
    RecoverySpec::Recover {
        function: RecoveryFunction::Linear,
        tau_days: PositiveDays(1),
    }
}
