//! Hinterland policies as written in the scenario: standby capacity and strategic reserves.

use serde::Deserialize;

use super::defaults::{ninety_days, one_count, serves_industry, thirty};
use crate::kinds::{Count, NonNegative, PositiveDays, Priority, Serves, Sourcing, Trigger};

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
    #[serde(default = "one_count")]
    pub firms: Count,
    /// Whom the units serve: `Industry` (default: firms' orders their regular suppliers cannot
    /// serve), `FinalDemand` (households, government, investment and exports left unmet by
    /// the sector's domestic firms) or `Both` (industry first).
    #[serde(default = "serves_industry")]
    pub serves: Serves,
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
