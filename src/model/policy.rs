//! Hinterland policies, checked: backup capacity (关键产业备份) and strategic reserves
//! (战略物资储备). Their regions and sectors are resolved against the economy in
//! [`crate::policy`].

use std::collections::BTreeSet;
use std::path::Path;

use super::Invalid;
use super::parameter::{Settable, set_fields};
use crate::kinds::{Priority, Serves, Sourcing, Trigger};
use crate::scenario::{BackupSpec, ReserveSpec};

/// A backup capacity definition with validated numbers (`docs/model.md` §5).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
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
    /// Whom the units serve.
    pub serves: Serves,
}

/// A strategic reserve definition with validated numbers (`docs/model.md` §6).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
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

/// The scenario's backups, with unique names and `OnShock` and `Warning` triggers naming a
/// shock.
pub(crate) fn backups(
    specs: &[BackupSpec],
    shock_names: &[&str],
    source: &Path,
) -> Result<Vec<BackupDef>, Invalid> {
    let mut names = BTreeSet::new();
    super::check_each(specs, |k, spec| -> Result<BackupDef, Invalid> {
        let at = format!("backup[{k}] {:?}", spec.name);
        if !names.insert(spec.name.clone()) {
            return Err(Invalid::new(
                source,
                at,
                "duplicate backup name: names must be unique",
            ));
        }
        if let Trigger::OnShock(shock) | Trigger::Warning { shock, .. } = &spec.trigger
            && !shock_names.contains(&shock.as_str())
        {
            return Err(Invalid::new(
                source,
                format!("{at}: trigger"),
                if shock_names.is_empty() {
                    format!("no shock is named {shock:?}: the scenario has no shocks")
                } else {
                    super::unknown("shock", shock, shock_names)
                },
            ));
        }
        let share = spec.capacity_share.get();
        if share > MAX_CAPACITY_SHARE {
            return Err(Invalid::new(
                source,
                format!("{at}: capacity_share"),
                format!(
                    "{} times the domestic output of the sector: expected at most \
                     {MAX_CAPACITY_SHARE} (a share of it; above 1, more than the country makes)",
                    if share < 1e6 {
                        share.to_string()
                    } else {
                        format!("{share:e}")
                    }
                ),
            ));
        }
        Ok(BackupDef {
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
            serves: spec.serves,
        })
    })
}

/// Largest backup capacity accepted, as a share of the domestic baseline output of its
/// sector: ten times the country's output is already far past any plan, and shares like
/// `1e300` overflow the units' inputs.
pub const MAX_CAPACITY_SHARE: f64 = 10.0;

/// The scenario's reserves, with unique names.
pub(crate) fn reserves(specs: &[ReserveSpec], source: &Path) -> Result<Vec<ReserveDef>, Invalid> {
    let mut names = BTreeSet::new();
    super::check_each(specs, |k, spec| -> Result<ReserveDef, Invalid> {
        let at = format!("reserves[{k}] {:?}", spec.name);
        if !names.insert(spec.name.clone()) {
            return Err(Invalid::new(
                source,
                at,
                "duplicate reserve name: names must be unique",
            ));
        }
        Ok(ReserveDef {
            at,
            name: spec.name.clone(),
            product: spec.product.clone(),
            region: spec.region.clone(),
            days: spec.days.get(),
            max_release: spec.max_release.get(),
            refill_days: spec.refill_days.get(),
            serves: spec.serves,
            priority: spec.priority,
        })
    })
}

impl Settable for BackupSpec {
    fn set(&mut self, path: &[&str], key: Option<&str>, value: &str) -> Result<(), String> {
        set_fields!("backup", path, key, value, {
            "sector" => &mut self.sector,
            "region" => &mut self.region,
            "capacity_share" => &mut self.capacity_share,
            "trigger" => &mut self.trigger,
            "activation_delay_days" => &mut self.activation_delay_days,
            "ramp_days" => &mut self.ramp_days,
            "release_after_days" => &mut self.release_after_days,
            "sourcing" => &mut self.sourcing,
            "prestock_days" => &mut self.prestock_days,
            "holding_cost_rate" => &mut self.holding_cost_rate,
            "activation_cost" => &mut self.activation_cost,
            "firms" => &mut self.firms,
            "serves" => &mut self.serves,
        })
    }
}

impl Settable for ReserveSpec {
    fn set(&mut self, path: &[&str], key: Option<&str>, value: &str) -> Result<(), String> {
        set_fields!("reserve", path, key, value, {
            "product" => &mut self.product,
            "region" => &mut self.region,
            "days" => &mut self.days,
            "max_release" => &mut self.max_release,
            "refill_days" => &mut self.refill_days,
            "serves" => &mut self.serves,
            "priority" => &mut self.priority,
        })
    }
}

impl Settable for Trigger {
    /// The whole trigger (`Availability(below: 0.8)`, `OnShock("quake")`, …), `below` and
    /// `lag_days` of an `Availability` trigger, or `shock`, `lead_days` and `false_alarm` of a
    /// `Warning`.
    fn set(&mut self, path: &[&str], key: Option<&str>, value: &str) -> Result<(), String> {
        if path.is_empty() {
            return super::parameter::set_whole(self, key, value);
        }
        match self {
            Trigger::Availability { below, lag_days } => {
                set_fields!("Availability", path, key, value, {
                    "below" => below,
                    "lag_days" => lag_days,
                })
            }
            Trigger::Warning {
                shock,
                lead_days,
                false_alarm,
            } => {
                set_fields!("Warning", path, key, value, {
                    "shock" => shock,
                    "lead_days" => lead_days,
                    "false_alarm" => false_alarm,
                })
            }
            other => Err(format!(
                "the trigger is {other:?}, which has no field {:?}: set the whole trigger",
                path[0]
            )),
        }
    }
}
