//! The checked model: a scenario with paths resolved and every value that does not need the
//! economy validated. Names of regions and sectors stay names here: they are resolved against
//! the economy's labels when shocks and policies are attached to it ([`crate::shocks::Plan`],
//! [`crate::policy`]).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::kinds::{
    Compat, DaysDist, Degree, FirmSizes, OrderType, Priority, RecordKind, RecoveryFunction,
    RegionKind, Select, Serves, ShareDist, Sourcing, Trigger,
};
use crate::scenario::{
    DynamicsSpec, EconomySpec, RecoverySpec, Scenario, ScenarioError, ShockSpec,
};

/// Longest run accepted, in days (records are kept in memory).
pub const MAX_DAYS: usize = 36_500;

/// A validated scenario, ready to build an economy and run.
#[derive(Debug, Clone)]
pub struct Model {
    /// Scenario name.
    pub name: String,
    /// Scenario description.
    pub description: String,
    /// The scenario file (for messages).
    pub source: PathBuf,
    /// Days simulated (records have one row per day `0..days`).
    pub days: usize,
    /// How to build the economy.
    pub economy: EconomyDef,
    /// Daily dynamics.
    pub dynamics: Dynamics,
    /// Shocks, with names still unresolved.
    pub shocks: Vec<ShockDef>,
    /// Records to write, sorted and without duplicates.
    pub records: Vec<RecordKind>,
    /// Monte Carlo runs.
    pub runs: usize,
    /// Seed of the shock draws.
    pub seed: u64,
    /// Region kinds as listed (`Interior` for domestic regions not listed).
    pub region_kinds: Vec<(String, RegionKind)>,
    /// Backup capacity, names unresolved.
    pub backup: Vec<BackupDef>,
    /// Strategic reserves, names unresolved.
    pub reserves: Vec<ReserveDef>,
    /// Variants declared by the scenario (without "base").
    pub variants: Vec<Variant>,
}

/// A backup capacity definition with validated numbers (MODEL.md §5).
#[derive(Debug, Clone, PartialEq)]
pub struct BackupDef {
    /// Position and name for messages, e.g. `backup[0] "chips-cq"`.
    pub at: String,
    /// Name.
    pub name: String,
    /// Sector produced.
    pub sector: String,
    /// Region of the units.
    pub region: String,
    /// Capacity as a share of the domestic baseline output of the sector.
    pub capacity_share: f64,
    /// Start-up rule.
    pub trigger: Trigger,
    /// Days from trigger to first output.
    pub activation_delay_days: u32,
    /// Days of linear ramp to full capacity.
    pub ramp_days: u32,
    /// Quiet days before returning to standby.
    pub release_after_days: u32,
    /// Input sourcing policy.
    pub sourcing: Sourcing,
    /// Days of inputs held in standby.
    pub prestock_days: u32,
    /// Yearly holding cost per unit of capacity value.
    pub holding_cost_rate: f64,
    /// Cost per activation.
    pub activation_cost: f64,
    /// Units the capacity is split into.
    pub firms: usize,
}

/// A strategic reserve definition with validated numbers (MODEL.md §6).
#[derive(Debug, Clone, PartialEq)]
pub struct ReserveDef {
    /// Position and name for messages.
    pub at: String,
    /// Name.
    pub name: String,
    /// Sector stored.
    pub product: String,
    /// Region where it is held.
    pub region: String,
    /// Size in days of domestic baseline use.
    pub days: f64,
    /// Largest daily release as a share of domestic baseline daily use.
    pub max_release: f64,
    /// Days to refill from empty.
    pub refill_days: u32,
    /// Who it serves.
    pub serves: Serves,
    /// Before or after backup units.
    pub priority: Priority,
}

/// How the firm economy is built from an MRIO table.
#[derive(Debug, Clone, PartialEq)]
pub struct EconomyParams {
    /// Folder of the MRIO table (absolute or relative to the working directory).
    pub mrio_dir: PathBuf,
    /// Firms per industry with output > 0.
    pub firms_per_industry: usize,
    /// Suppliers a firm buys one input from, per supplying industry (at most).
    pub suppliers_per_input: usize,
    /// Distribution of firm sizes within an industry.
    pub firm_sizes: FirmSizes,
    /// Seed of the network draw.
    pub seed: u64,
    /// Productive capital per unit of annual value added.
    pub capital_to_value_added: f64,
}

/// How the economy is built: from an MRIO table, or a synthetic firm network.
#[derive(Debug, Clone, PartialEq)]
pub enum EconomyDef {
    /// Firms disaggregated from an MRIO table.
    Mrio(EconomyParams),
    /// A synthetic firm network built directly.
    Synthetic(SyntheticParams),
}

impl EconomyDef {
    /// Productive capital per unit of annual value added.
    pub fn capital_to_value_added(&self) -> f64 {
        match self {
            EconomyDef::Mrio(params) => params.capital_to_value_added,
            EconomyDef::Synthetic(params) => params.capital_to_value_added,
        }
    }
}

/// A synthetic firm network (checked by [`crate::kinds::check_synthetic`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticParams {
    /// Number of firms (`>= regions × sectors`).
    pub firms: usize,
    /// Number of sectors.
    pub sectors: usize,
    /// Number of regions.
    pub regions: usize,
    /// Mean number of suppliers per firm.
    pub mean_suppliers: f64,
    /// Law of the number of suppliers.
    pub degree: Degree,
    /// Seed of the network.
    pub seed: u64,
    /// Productive capital per unit of annual value added.
    pub capital_to_value_added: f64,
}

/// Validated parameters of the ARIO dynamics.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dynamics {
    /// Rule set.
    pub compat: Compat,
    /// `ψ`; `None` = ARIOBaseModel.
    pub psi: Option<f64>,
    /// Inventory restoration time in days.
    pub inventory_restoration_tau: f64,
    /// Order splitting rule.
    pub order_type: OrderType,
    /// α floor.
    pub alpha_base: f64,
    /// α ceiling.
    pub alpha_max: f64,
    /// α adjustment time in days.
    pub alpha_tau: f64,
    /// Target inventory in days of use.
    pub inventory_days: f64,
}

impl Dynamics {
    /// The dynamics of a scenario (ranges are checked while it is read; `alpha_max >=
    /// alpha_base` by [`Model::from_scenario`]).
    fn from_spec(spec: &DynamicsSpec) -> Dynamics {
        let DynamicsSpec::Ario {
            compat,
            psi,
            inventory_restoration_tau,
            order_type,
            alpha_base,
            alpha_max,
            alpha_tau,
            inventory_days,
            capital_to_value_added: _,
        } = spec;
        Dynamics {
            compat: *compat,
            psi: psi.map(|p| p.get()),
            inventory_restoration_tau: inventory_restoration_tau.get(),
            order_type: *order_type,
            alpha_base: alpha_base.get(),
            alpha_max: alpha_max.get(),
            alpha_tau: alpha_tau.get(),
            inventory_days: inventory_days.get(),
        }
    }
}

impl Default for Dynamics {
    /// `Ario()` with every field omitted: BoARIO 0.7.2's defaults, `compat: Clean`.
    fn default() -> Self {
        Dynamics::from_spec(&DynamicsSpec::default())
    }
}

/// How a shock's damage goes away.
#[derive(Debug, Clone, PartialEq)]
pub enum Recovery {
    /// Decay along a function.
    Recover {
        /// Shape.
        function: RecoveryFunction,
        /// Time constant in days.
        tau_days: u32,
    },
    /// Reconstruction demand on sectors.
    Rebuild {
        /// Days to place the stock.
        tau_days: u32,
        /// `(sector name, share)`.
        sectors: Vec<(String, f64)>,
        /// Reconstruction cost per unit of capital destroyed.
        factor: f64,
    },
}

/// One shock of the scenario, with validated numbers and unresolved names.
#[derive(Debug, Clone, PartialEq)]
pub struct ShockDef {
    /// Position and name for messages, e.g. `shocks[1] CapitalLoss "quake"`.
    pub at: String,
    /// Name.
    pub name: String,
    /// What the shock does.
    pub kind: ShockKind,
}

/// The shocks a scenario can hold: engine primitives (fixed numbers) and crises whose
/// parameters are drawn in each run.
#[derive(Debug, Clone, PartialEq)]
pub enum ShockKind {
    /// Shares of capacity lost by whole industries.
    CapacityLoss {
        /// `(region, sector, share)`.
        impacts: Vec<(String, String, f64)>,
        /// First day.
        start_day: u32,
        /// Days at full loss.
        duration_days: u32,
        /// Recovery (always `Recover`).
        recovery: Recovery,
    },
    /// Capital destroyed in whole industries (money).
    CapitalLoss {
        /// `(region, sector, capital destroyed)`.
        impacts: Vec<(String, String, f64)>,
        /// First day.
        start_day: u32,
        /// Days before recovery or rebuilding.
        duration_days: u32,
        /// Recovery or rebuilding.
        recovery: Recovery,
    },
    /// Links blocked from supplier regions × sectors to buyer regions.
    LinkBlock {
        /// Supplier regions.
        from: Select,
        /// Supplier sectors (empty = all).
        sectors: Vec<String>,
        /// Buyer regions.
        to: Select,
        /// First day.
        start_day: u32,
        /// Days fully blocked.
        duration_days: u32,
        /// Reopening (always `Recover`).
        recovery: Recovery,
    },
    /// Final demand multiplied by a factor.
    DemandChange {
        /// Demanding regions.
        regions: Select,
        /// Products (empty = all).
        sectors: Vec<String>,
        /// Multiplier.
        factor: f64,
        /// First day.
        start_day: u32,
        /// Days at full change.
        duration_days: u32,
        /// Return to baseline (always `Recover`).
        recovery: Recovery,
    },
    /// Capacity lost by a drawn share of the selected regions' firms.
    CoastalDisruption {
        /// Regions hit.
        regions: Select,
        /// First day.
        start_day: DaysDist,
        /// Days at full loss.
        duration_days: DaysDist,
        /// Share of firms hit.
        firms_hit: ShareDist,
        /// Capacity share lost per hit firm.
        capacity_loss: ShareDist,
        /// Recovery (always `Recover`).
        recovery: Recovery,
        /// Also block imports from `Foreign` regions into the regions hit.
        block_sea_imports: bool,
    },
    /// Foreign supply of sectors cut off.
    TechCutoff {
        /// Foreign supplier regions.
        from: Select,
        /// Sectors cut off.
        sectors: Vec<String>,
        /// Buyer regions.
        to: Select,
        /// First day.
        start_day: DaysDist,
        /// Days cut off.
        duration_days: DaysDist,
    },
    /// A disaster that happens with a probability on a drawn day.
    Disaster {
        /// Regions hit.
        regions: Select,
        /// Chance that it happens in a run.
        probability: f64,
        /// Day.
        day: DaysDist,
        /// Days before recovery or rebuilding.
        duration_days: DaysDist,
        /// Share of firms hit.
        firms_hit: ShareDist,
        /// Share of capital lost per hit firm.
        capital_loss: ShareDist,
        /// Recovery or rebuilding.
        recovery: Recovery,
    },
    /// Links from some regions to others closed.
    RouteClosure {
        /// Supplier regions.
        from: Select,
        /// Buyer regions.
        to: Select,
        /// Sectors (empty = all).
        sectors: Vec<String>,
        /// First day.
        start_day: DaysDist,
        /// Days closed.
        duration_days: DaysDist,
    },
}

impl ShockKind {
    /// The scenario name of the shock kind.
    pub fn label(&self) -> &'static str {
        match self {
            ShockKind::CapacityLoss { .. } => "CapacityLoss",
            ShockKind::CapitalLoss { .. } => "CapitalLoss",
            ShockKind::LinkBlock { .. } => "LinkBlock",
            ShockKind::DemandChange { .. } => "DemandChange",
            ShockKind::CoastalDisruption { .. } => "CoastalDisruption",
            ShockKind::TechCutoff { .. } => "TechCutoff",
            ShockKind::Disaster { .. } => "Disaster",
            ShockKind::RouteClosure { .. } => "RouteClosure",
        }
    }

    /// The recovery of the shock, if it has one.
    pub fn recovery(&self) -> Option<&Recovery> {
        match self {
            ShockKind::CapacityLoss { recovery, .. }
            | ShockKind::CapitalLoss { recovery, .. }
            | ShockKind::LinkBlock { recovery, .. }
            | ShockKind::DemandChange { recovery, .. }
            | ShockKind::CoastalDisruption { recovery, .. }
            | ShockKind::Disaster { recovery, .. } => Some(recovery),
            ShockKind::TechCutoff { .. } | ShockKind::RouteClosure { .. } => None,
        }
    }

    /// Whether the shock's damage can be rebuilt (capital) rather than only recover.
    fn can_rebuild(&self) -> bool {
        matches!(
            self,
            ShockKind::CapitalLoss { .. } | ShockKind::Disaster { .. }
        )
    }

    /// The fixed start day of a primitive.
    fn fixed_start_day(&self) -> Option<u32> {
        match self {
            ShockKind::CapacityLoss { start_day, .. }
            | ShockKind::CapitalLoss { start_day, .. }
            | ShockKind::LinkBlock { start_day, .. }
            | ShockKind::DemandChange { start_day, .. } => Some(*start_day),
            _ => None,
        }
    }
}

impl Model {
    /// Check a parsed scenario. `source` is the scenario file: relative paths in it are taken
    /// relative to its folder.
    pub fn from_scenario(scenario: &Scenario, source: &Path) -> Result<Model, ScenarioError> {
        let invalid = |at: String, message: String| ScenarioError::Invalid {
            path: source.to_path_buf(),
            at,
            message,
        };
        let base = source.parent().unwrap_or(Path::new(""));
        // the name becomes the default output folder `output/<name>`
        let name = scenario.name.as_str();
        if name.is_empty()
            || name == "."
            || name == ".."
            || name.contains(['/', '\\'])
            || name.chars().any(char::is_control)
        {
            return Err(invalid(
                "name".into(),
                format!(
                    "{name:?} cannot name an output folder: expected a non-empty name without slashes, e.g. \"coastal-blockade\""
                ),
            ));
        }
        let DynamicsSpec::Ario {
            alpha_base,
            alpha_max,
            capital_to_value_added,
            ..
        } = &scenario.dynamics;
        if alpha_max.get() < alpha_base.get() {
            return Err(invalid(
                "dynamics.alpha_max".into(),
                format!(
                    "alpha_max {} is below alpha_base {}: expected alpha_max >= alpha_base",
                    alpha_max.get(),
                    alpha_base.get()
                ),
            ));
        }
        let dynamics = Dynamics::from_spec(&scenario.dynamics);
        let economy = match &scenario.economy {
            EconomySpec::Mrio {
                path,
                firms_per_industry,
                suppliers_per_input,
                firm_sizes,
                seed,
            } => EconomyDef::Mrio(EconomyParams {
                mrio_dir: base.join(path),
                firms_per_industry: firms_per_industry.get() as usize,
                suppliers_per_input: suppliers_per_input.get() as usize,
                firm_sizes: *firm_sizes,
                seed: *seed,
                capital_to_value_added: capital_to_value_added.get(),
            }),
            EconomySpec::Synthetic {
                firms,
                sectors,
                regions,
                mean_suppliers,
                degree,
                seed,
            } => EconomyDef::Synthetic(SyntheticParams {
                firms: firms.get() as usize,
                sectors: sectors.get() as usize,
                regions: regions.get() as usize,
                mean_suppliers: mean_suppliers.get(),
                degree: *degree,
                seed: *seed,
                capital_to_value_added: capital_to_value_added.get(),
            }),
        };
        let days = scenario.days.get() as usize;
        if days > MAX_DAYS {
            return Err(invalid(
                "days".into(),
                format!("{days} days is more than the supported {MAX_DAYS} (100 years)"),
            ));
        }
        let mut names = BTreeSet::new();
        let mut shocks = Vec::with_capacity(scenario.shocks.len());
        for (index, spec) in scenario.shocks.iter().enumerate() {
            let def = shock_def(index, spec);
            if !names.insert(def.name.clone()) {
                return Err(invalid(
                    def.at,
                    format!("duplicate shock name {:?}: names must be unique", def.name),
                ));
            }
            if let ShockKind::CapacityLoss { impacts, .. } | ShockKind::CapitalLoss { impacts, .. } =
                &def.kind
                && impacts.is_empty()
            {
                return Err(invalid(
                    format!("{}: impacts", def.at),
                    "empty list: expected at least one (region, sector, value)".into(),
                ));
            }
            if let ShockKind::TechCutoff { sectors, .. } = &def.kind
                && sectors.is_empty()
            {
                return Err(invalid(
                    format!("{}: sectors", def.at),
                    "empty list: expected the sectors cut off".into(),
                ));
            }
            if let Some(start_day) = def.kind.fixed_start_day()
                && start_day as usize >= days
            {
                return Err(invalid(
                    format!("{}: start_day", def.at),
                    format!(
                        "day {start_day} is not inside the run (days 0..{days}): expected 1 <= start_day < days"
                    ),
                ));
            }
            match def.kind.recovery() {
                Some(Recovery::Rebuild { .. }) if !def.kind.can_rebuild() => {
                    return Err(invalid(
                        format!("{}: recovery", def.at),
                        format!(
                            "a {} cannot be rebuilt: expected Recover(function, tau_days)",
                            def.kind.label()
                        ),
                    ));
                }
                Some(Recovery::Rebuild { sectors, .. }) => {
                    let total: f64 = sectors.iter().map(|(_, share)| share).sum();
                    if sectors.is_empty() || (total - 1.0).abs() > 1e-9 {
                        return Err(invalid(
                            format!("{}: recovery.sectors", def.at),
                            format!("shares sum to {total}: expected them to sum to 1"),
                        ));
                    }
                }
                _ => {}
            }
            shocks.push(def);
        }
        let mut seen = BTreeSet::new();
        for (k, (region, _)) in scenario.regions.iter().enumerate() {
            if !seen.insert(region.clone()) {
                return Err(invalid(
                    format!("regions[{k}]"),
                    format!("region {region:?} is listed twice"),
                ));
            }
        }
        let mut backup = Vec::with_capacity(scenario.backup.len());
        let mut backup_names = BTreeSet::new();
        for (k, spec) in scenario.backup.iter().enumerate() {
            let at = format!("backup[{k}] {:?}", spec.name);
            if !backup_names.insert(spec.name.clone()) {
                return Err(invalid(
                    at,
                    "duplicate backup name: names must be unique".into(),
                ));
            }
            if let Trigger::OnShock(shock) = &spec.trigger
                && !names.contains(shock)
            {
                let known: Vec<String> = names.iter().cloned().collect();
                return Err(invalid(
                    format!("{at}: trigger"),
                    format!(
                        "no shock is named {shock:?}; shocks: {}",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ),
                ));
            }
            backup.push(BackupDef {
                at,
                name: spec.name.clone(),
                sector: spec.sector.clone(),
                region: spec.region.clone(),
                capacity_share: spec.capacity_share.get(),
                trigger: spec.trigger.clone(),
                activation_delay_days: spec.activation_delay_days,
                ramp_days: spec.ramp_days,
                release_after_days: spec.release_after_days,
                sourcing: spec.sourcing,
                prestock_days: spec.prestock_days,
                holding_cost_rate: spec.holding_cost_rate.get(),
                activation_cost: spec.activation_cost.get(),
                firms: spec.firms.get() as usize,
            });
        }
        let mut reserves = Vec::with_capacity(scenario.reserves.len());
        let mut reserve_names = BTreeSet::new();
        for (k, spec) in scenario.reserves.iter().enumerate() {
            let at = format!("reserves[{k}] {:?}", spec.name);
            if !reserve_names.insert(spec.name.clone()) {
                return Err(invalid(
                    at,
                    "duplicate reserve name: names must be unique".into(),
                ));
            }
            reserves.push(ReserveDef {
                at,
                name: spec.name.clone(),
                product: spec.product.clone(),
                region: spec.region.clone(),
                days: spec.days.get(),
                max_release: spec.max_release.get(),
                refill_days: spec.refill_days.get(),
                serves: spec.serves,
                priority: spec.priority,
            });
        }
        let mut variants: Vec<Variant> = Vec::with_capacity(scenario.variants.len());
        for (k, spec) in scenario.variants.iter().enumerate() {
            let at = format!("variants[{k}] {:?}", spec.name);
            if spec.name == "base" || variants.iter().any(|v| v.name == spec.name) {
                return Err(invalid(
                    at,
                    "duplicate variant name (\"base\" is the scenario itself)".into(),
                ));
            }
            let mut set = Vec::with_capacity(spec.set.len());
            for (j, (path, value)) in spec.set.iter().enumerate() {
                let (parameter, field) = parameter(path, &backup, &reserves)
                    .map_err(|message| invalid(format!("{at}: set[{j}]"), message))?;
                check_value(&field, *value)
                    .map_err(|message| invalid(format!("{at}: set[{j}]"), message))?;
                set.push((parameter, *value));
            }
            variants.push(Variant {
                name: spec.name.clone(),
                set,
                without_policies: false,
            });
        }
        let records: BTreeSet<RecordKind> = scenario.records.iter().copied().collect();
        Ok(Model {
            name: scenario.name.clone(),
            description: scenario.description.clone(),
            source: source.to_path_buf(),
            days,
            economy,
            dynamics,
            shocks,
            records: records.into_iter().collect(),
            runs: scenario.runs.get() as usize,
            seed: scenario.seed,
            region_kinds: scenario.regions.clone(),
            backup,
            reserves,
            variants,
        })
    }
}

fn recovery(spec: &RecoverySpec) -> Recovery {
    match spec {
        RecoverySpec::Recover { function, tau_days } => Recovery::Recover {
            function: *function,
            tau_days: tau_days.get(),
        },
        RecoverySpec::Rebuild {
            tau_days,
            sectors,
            factor,
        } => Recovery::Rebuild {
            tau_days: tau_days.get(),
            sectors: sectors.iter().map(|(s, v)| (s.clone(), v.get())).collect(),
            factor: factor.get(),
        },
    }
}

fn impacts<T: Copy>(
    list: &[(String, String, T)],
    get: impl Fn(T) -> f64,
) -> Vec<(String, String, f64)> {
    list.iter()
        .map(|(r, s, v)| (r.clone(), s.clone(), get(*v)))
        .collect()
}

fn shock_def(index: usize, spec: &ShockSpec) -> ShockDef {
    let (name, kind) = match spec {
        ShockSpec::CapacityLoss {
            name,
            impacts: list,
            start_day,
            duration_days,
            recovery: rec,
        } => (
            name,
            ShockKind::CapacityLoss {
                impacts: impacts(list, |v: crate::kinds::Share| v.get()),
                start_day: start_day.get(),
                duration_days: duration_days.get(),
                recovery: recovery(rec),
            },
        ),
        ShockSpec::CapitalLoss {
            name,
            impacts: list,
            start_day,
            duration_days,
            recovery: rec,
        } => (
            name,
            ShockKind::CapitalLoss {
                impacts: impacts(list, |v: crate::kinds::NonNegative| v.get()),
                start_day: start_day.get(),
                duration_days: duration_days.get(),
                recovery: recovery(rec),
            },
        ),
        ShockSpec::LinkBlock {
            name,
            from,
            sectors,
            to,
            start_day,
            duration_days,
            recovery: rec,
        } => (
            name,
            ShockKind::LinkBlock {
                from: from.clone(),
                sectors: sectors.clone(),
                to: to.clone(),
                start_day: start_day.get(),
                duration_days: duration_days.get(),
                recovery: recovery(rec),
            },
        ),
        ShockSpec::DemandChange {
            name,
            regions,
            sectors,
            factor,
            start_day,
            duration_days,
            recovery: rec,
        } => (
            name,
            ShockKind::DemandChange {
                regions: regions.clone(),
                sectors: sectors.clone(),
                factor: factor.get(),
                start_day: start_day.get(),
                duration_days: duration_days.get(),
                recovery: recovery(rec),
            },
        ),
        ShockSpec::CoastalDisruption {
            name,
            regions,
            start_day,
            duration_days,
            firms_hit,
            capacity_loss,
            recovery: rec,
            block_sea_imports,
        } => (
            name,
            ShockKind::CoastalDisruption {
                regions: regions.clone(),
                start_day: *start_day,
                duration_days: *duration_days,
                firms_hit: *firms_hit,
                capacity_loss: *capacity_loss,
                recovery: recovery(rec),
                block_sea_imports: *block_sea_imports,
            },
        ),
        ShockSpec::TechCutoff {
            name,
            from,
            sectors,
            to,
            start_day,
            duration_days,
        } => (
            name,
            ShockKind::TechCutoff {
                from: from.clone(),
                sectors: sectors.clone(),
                to: to.clone(),
                start_day: *start_day,
                duration_days: *duration_days,
            },
        ),
        ShockSpec::Disaster {
            name,
            regions,
            probability,
            day,
            duration_days,
            firms_hit,
            capital_loss,
            recovery: rec,
        } => (
            name,
            ShockKind::Disaster {
                regions: regions.clone(),
                probability: probability.get(),
                day: *day,
                duration_days: *duration_days,
                firms_hit: *firms_hit,
                capital_loss: *capital_loss,
                recovery: recovery(rec),
            },
        ),
        ShockSpec::RouteClosure {
            name,
            from,
            to,
            sectors,
            start_day,
            duration_days,
        } => (
            name,
            ShockKind::RouteClosure {
                from: from.clone(),
                to: to.clone(),
                sectors: sectors.clone(),
                start_day: *start_day,
                duration_days: *duration_days,
            },
        ),
    };
    ShockDef {
        at: format!("shocks[{index}] {} {name:?}", kind.label()),
        name: name.clone(),
        kind,
    }
}

/// A parameter a variant can set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Parameter {
    /// A field of backup `index`.
    Backup(usize, BackupField),
    /// A field of reserve `index`.
    Reserve(usize, ReserveField),
    /// A field of the dynamics.
    Dynamics(DynamicsField),
}

/// Backup fields a variant can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupField {
    /// `capacity_share`.
    CapacityShare,
    /// `activation_delay_days`.
    ActivationDelayDays,
    /// `ramp_days`.
    RampDays,
    /// `release_after_days`.
    ReleaseAfterDays,
    /// `prestock_days`.
    PrestockDays,
    /// `holding_cost_rate`.
    HoldingCostRate,
    /// `activation_cost`.
    ActivationCost,
}

/// Reserve fields a variant can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReserveField {
    /// `days`.
    Days,
    /// `max_release`.
    MaxRelease,
    /// `refill_days`.
    RefillDays,
}

/// Dynamics fields a variant can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DynamicsField {
    /// `psi`.
    Psi,
    /// `inventory_restoration_tau`.
    InventoryRestorationTau,
    /// `alpha_max`.
    AlphaMax,
    /// `alpha_tau`.
    AlphaTau,
    /// `inventory_days`.
    InventoryDays,
}

const BACKUP_FIELDS: [(&str, BackupField); 7] = [
    ("capacity_share", BackupField::CapacityShare),
    ("activation_delay_days", BackupField::ActivationDelayDays),
    ("ramp_days", BackupField::RampDays),
    ("release_after_days", BackupField::ReleaseAfterDays),
    ("prestock_days", BackupField::PrestockDays),
    ("holding_cost_rate", BackupField::HoldingCostRate),
    ("activation_cost", BackupField::ActivationCost),
];
const RESERVE_FIELDS: [(&str, ReserveField); 3] = [
    ("days", ReserveField::Days),
    ("max_release", ReserveField::MaxRelease),
    ("refill_days", ReserveField::RefillDays),
];
const DYNAMICS_FIELDS: [(&str, DynamicsField); 5] = [
    ("psi", DynamicsField::Psi),
    (
        "inventory_restoration_tau",
        DynamicsField::InventoryRestorationTau,
    ),
    ("alpha_max", DynamicsField::AlphaMax),
    ("alpha_tau", DynamicsField::AlphaTau),
    ("inventory_days", DynamicsField::InventoryDays),
];

/// A named variant: parameter overrides applied to the scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Name.
    pub name: String,
    /// Overrides, applied in order.
    pub set: Vec<(Parameter, f64)>,
    /// Remove every backup and reserve (the implicit variant "no policies").
    pub without_policies: bool,
}

/// Name of the implicit variant without backups and reserves (the reference of `loss_avoided`).
pub const NO_POLICIES: &str = "no policies";

impl Model {
    /// The model with a variant's overrides applied.
    pub fn with_variant(&self, variant: &Variant) -> Model {
        let mut model = self.clone();
        if variant.without_policies {
            model.backup.clear();
            model.reserves.clear();
        }
        for &(parameter, value) in &variant.set {
            let days = value.round().max(0.0) as u32;
            match parameter {
                Parameter::Backup(i, field) => {
                    let b = &mut model.backup[i];
                    match field {
                        BackupField::CapacityShare => b.capacity_share = value,
                        BackupField::ActivationDelayDays => b.activation_delay_days = days,
                        BackupField::RampDays => b.ramp_days = days,
                        BackupField::ReleaseAfterDays => b.release_after_days = days,
                        BackupField::PrestockDays => b.prestock_days = days,
                        BackupField::HoldingCostRate => b.holding_cost_rate = value,
                        BackupField::ActivationCost => b.activation_cost = value,
                    }
                }
                Parameter::Reserve(i, field) => {
                    let r = &mut model.reserves[i];
                    match field {
                        ReserveField::Days => r.days = value,
                        ReserveField::MaxRelease => r.max_release = value,
                        ReserveField::RefillDays => r.refill_days = days.max(1),
                    }
                }
                Parameter::Dynamics(field) => {
                    let d = &mut model.dynamics;
                    match field {
                        DynamicsField::Psi => d.psi = Some(value),
                        DynamicsField::InventoryRestorationTau => {
                            d.inventory_restoration_tau = value
                        }
                        DynamicsField::AlphaMax => d.alpha_max = value,
                        DynamicsField::AlphaTau => d.alpha_tau = value,
                        DynamicsField::InventoryDays => d.inventory_days = value,
                    }
                }
            }
        }
        model
    }

    /// Every variant to run: "base" (the scenario as written), the scenario's variants, and,
    /// when the scenario has backups or reserves, "no policies" (unless it defines one).
    pub fn all_variants(&self) -> Vec<Variant> {
        let mut all = vec![Variant {
            name: "base".into(),
            set: Vec::new(),
            without_policies: false,
        }];
        all.extend(self.variants.iter().cloned());
        let has_policies = !self.backup.is_empty() || !self.reserves.is_empty();
        if has_policies && !all.iter().any(|v| v.name == NO_POLICIES) {
            all.push(Variant {
                name: NO_POLICIES.into(),
                set: Vec::new(),
                without_policies: true,
            });
        }
        all
    }
}

/// Resolve a variant's parameter path, e.g. `backup.chips-cq.capacity_share`.
fn parameter(
    path: &str,
    backup: &[BackupDef],
    reserves: &[ReserveDef],
) -> Result<(Parameter, String), String> {
    let fields = |list: &[&str]| list.join(", ");
    let (kind, rest) = path.split_once('.').ok_or_else(|| {
        format!("{path:?} is not a parameter path: expected backup.<name>.<field>, reserves.<name>.<field> or dynamics.<field>")
    })?;
    match kind {
        "dynamics" => DYNAMICS_FIELDS
            .iter()
            .find(|(name, _)| *name == rest)
            .map(|(_, f)| (Parameter::Dynamics(*f), rest.to_string()))
            .ok_or_else(|| {
                format!(
                    "unknown dynamics field {rest:?}; known: {}",
                    fields(&DYNAMICS_FIELDS.map(|f| f.0))
                )
            }),
        "backup" | "reserves" => {
            let (name, field) = rest
                .rsplit_once('.')
                .ok_or_else(|| format!("{path:?}: expected {kind}.<name>.<field>"))?;
            if kind == "backup" {
                let i = backup
                    .iter()
                    .position(|b| b.name == name)
                    .ok_or_else(|| format!("no backup is named {name:?}"))?;
                let f = lookup(&BACKUP_FIELDS, field, "backup")?;
                Ok((Parameter::Backup(i, f), field.to_string()))
            } else {
                let i = reserves
                    .iter()
                    .position(|r| r.name == name)
                    .ok_or_else(|| format!("no reserve is named {name:?}"))?;
                let f = lookup(&RESERVE_FIELDS, field, "reserve")?;
                Ok((Parameter::Reserve(i, f), field.to_string()))
            }
        }
        _ => Err(format!(
            "{path:?}: parameters start with backup., reserves. or dynamics."
        )),
    }
}

/// The field named `field` in `table`, or an error listing the known ones.
fn lookup<T: Copy>(table: &[(&str, T)], field: &str, what: &str) -> Result<T, String> {
    table
        .iter()
        .find(|(name, _)| *name == field)
        .map(|(_, f)| *f)
        .ok_or_else(|| {
            let known: Vec<&str> = table.iter().map(|(name, _)| *name).collect();
            format!(
                "unknown {what} field {field:?}; known: {}",
                known.join(", ")
            )
        })
}

/// Whether `value` is allowed for the field named `field`.
fn check_value(field: &str, value: f64) -> Result<(), String> {
    let ok = match field {
        "psi" => value > 0.0 && value <= 1.0,
        "inventory_restoration_tau" | "alpha_tau" | "inventory_days" | "alpha_max" => {
            value.is_finite() && value > 0.0
        }
        _ => value.is_finite() && value >= 0.0,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{value} is out of range for {field}"))
    }
}
