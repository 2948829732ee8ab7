//! The checked model: a scenario with paths resolved and every value that does not need the
//! economy validated. Names of regions and sectors stay names here: they are resolved against
//! the economy's labels when shocks are attached to it ([`crate::shocks::resolve`]).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::scenario::{
    Compat, DynamicsSpec, EconomySpec, FirmSizes, OrderType, RecordKind, RecoveryFunction,
    RecoverySpec, Scenario, ScenarioError, ShockSpec,
};

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
    pub economy: EconomyParams,
    /// Daily dynamics.
    pub dynamics: Dynamics,
    /// Shocks, with names still unresolved.
    pub shocks: Vec<ShockDef>,
    /// Records to write, sorted and without duplicates.
    pub records: Vec<RecordKind>,
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

/// What kind of primitive a shock is.
#[derive(Debug, Clone, PartialEq)]
pub enum ShockKind {
    /// Impacts are shares of capacity.
    CapacityLoss,
    /// Impacts are capital destroyed (money).
    CapitalLoss,
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

/// A shock primitive with validated numbers and unresolved names.
#[derive(Debug, Clone, PartialEq)]
pub struct ShockDef {
    /// Position and name for messages, e.g. `shocks[1] CapitalLoss "quake"`.
    pub at: String,
    /// Name.
    pub name: String,
    /// Primitive kind.
    pub kind: ShockKind,
    /// `(region, sector, value)`.
    pub impacts: Vec<(String, String, f64)>,
    /// First day.
    pub start_day: u32,
    /// Days of full damage before recovery.
    pub duration_days: u32,
    /// Recovery.
    pub recovery: Recovery,
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
        let DynamicsSpec::Ario {
            compat,
            psi,
            inventory_restoration_tau,
            order_type,
            alpha_base,
            alpha_max,
            alpha_tau,
            inventory_days,
            capital_to_value_added,
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
        let dynamics = Dynamics {
            compat: *compat,
            psi: psi.map(|p| p.get()),
            inventory_restoration_tau: inventory_restoration_tau.get(),
            order_type: *order_type,
            alpha_base: alpha_base.get(),
            alpha_max: alpha_max.get(),
            alpha_tau: alpha_tau.get(),
            inventory_days: inventory_days.get(),
        };
        let EconomySpec::Mrio {
            path,
            firms_per_industry,
            suppliers_per_input,
            firm_sizes,
            seed,
        } = &scenario.economy;
        let economy = EconomyParams {
            mrio_dir: base.join(path),
            firms_per_industry: firms_per_industry.get() as usize,
            suppliers_per_input: suppliers_per_input.get() as usize,
            firm_sizes: *firm_sizes,
            seed: *seed,
            capital_to_value_added: capital_to_value_added.get(),
        };
        let days = scenario.days.get() as usize;
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
            if def.impacts.is_empty() {
                return Err(invalid(
                    format!("{}: impacts", def.at),
                    "empty list: expected at least one (region, sector, value)".into(),
                ));
            }
            if def.start_day as usize >= days {
                return Err(invalid(
                    format!("{}: start_day", def.at),
                    format!(
                        "day {} is not inside the run (days 0..{}): expected 1 <= start_day < days",
                        def.start_day, days
                    ),
                ));
            }
            match (&def.kind, &def.recovery) {
                (ShockKind::CapacityLoss, Recovery::Rebuild { .. }) => {
                    return Err(invalid(
                        format!("{}: recovery", def.at),
                        "a capacity loss cannot be rebuilt: expected Recover(function, tau_days)"
                            .into(),
                    ));
                }
                (_, Recovery::Rebuild { sectors, .. }) => {
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
        })
    }
}

fn shock_def(index: usize, spec: &ShockSpec) -> ShockDef {
    let recovery = |spec: &RecoverySpec| match spec {
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
    };
    match spec {
        ShockSpec::CapacityLoss {
            name,
            impacts,
            start_day,
            duration_days,
            recovery: rec,
        } => ShockDef {
            at: format!("shocks[{index}] CapacityLoss {name:?}"),
            name: name.clone(),
            kind: ShockKind::CapacityLoss,
            impacts: impacts
                .iter()
                .map(|(r, s, v)| (r.clone(), s.clone(), v.get()))
                .collect(),
            start_day: start_day.get(),
            duration_days: duration_days.get(),
            recovery: recovery(rec),
        },
        ShockSpec::CapitalLoss {
            name,
            impacts,
            start_day,
            duration_days,
            recovery: rec,
        } => ShockDef {
            at: format!("shocks[{index}] CapitalLoss {name:?}"),
            name: name.clone(),
            kind: ShockKind::CapitalLoss,
            impacts: impacts
                .iter()
                .map(|(r, s, v)| (r.clone(), s.clone(), v.get()))
                .collect(),
            start_day: start_day.get(),
            duration_days: duration_days.get(),
            recovery: recovery(rec),
        },
    }
}
