//! Shocks, checked: engine primitives with fixed numbers and crises with drawn parameters.
//! Their names and selectors are resolved against the economy in [`crate::shocks::Plan`].

use super::parameter::{Settable, set_fields, set_whole};
use crate::kinds::{DaysDist, Dist, RecoveryFunction, Select, ShareDist};
use crate::scenario::{RecoverySpec, ShockSpec};

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
#[non_exhaustive]
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
        start_day: DaysDist,
        /// Days at full loss.
        duration_days: DaysDist,
        /// Recovery (always `Recover`).
        recovery: Recovery,
    },
    /// Capital destroyed in whole industries (money).
    CapitalLoss {
        /// `(region, sector, capital destroyed)`.
        impacts: Vec<(String, String, f64)>,
        /// First day.
        start_day: DaysDist,
        /// Days before recovery or rebuilding.
        duration_days: DaysDist,
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
        start_day: DaysDist,
        /// Days fully blocked.
        duration_days: DaysDist,
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
        start_day: DaysDist,
        /// Days at full change.
        duration_days: DaysDist,
        /// Return to baseline (always `Recover`).
        recovery: Recovery,
    },
    /// Capacity lost by a drawn share of the selected regions' firms.
    CoastalDisruption {
        /// Regions hit.
        regions: Select,
        /// Sectors whose firms can be hit (empty = all).
        sectors: Vec<String>,
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
        /// Sectors whose firms can be hit (empty = all).
        sectors: Vec<String>,
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

    /// Whether the shock may block links (the engine then keeps the open and passing share of
    /// every link).
    pub fn may_block_links(&self) -> bool {
        match self {
            ShockKind::LinkBlock { .. }
            | ShockKind::TechCutoff { .. }
            | ShockKind::RouteClosure { .. } => true,
            ShockKind::CoastalDisruption {
                block_sea_imports, ..
            } => *block_sea_imports,
            ShockKind::CapacityLoss { .. }
            | ShockKind::CapitalLoss { .. }
            | ShockKind::DemandChange { .. }
            | ShockKind::Disaster { .. } => false,
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
    pub(super) fn can_rebuild(&self) -> bool {
        matches!(
            self,
            ShockKind::CapitalLoss { .. } | ShockKind::Disaster { .. }
        )
    }

    /// The start day and the duration of a shock (a disaster's `day`).
    pub fn days(&self) -> (&DaysDist, &DaysDist) {
        match self {
            ShockKind::CapacityLoss {
                start_day,
                duration_days,
                ..
            }
            | ShockKind::CapitalLoss {
                start_day,
                duration_days,
                ..
            }
            | ShockKind::LinkBlock {
                start_day,
                duration_days,
                ..
            }
            | ShockKind::DemandChange {
                start_day,
                duration_days,
                ..
            }
            | ShockKind::CoastalDisruption {
                start_day,
                duration_days,
                ..
            }
            | ShockKind::TechCutoff {
                start_day,
                duration_days,
                ..
            }
            | ShockKind::RouteClosure {
                start_day,
                duration_days,
                ..
            } => (start_day, duration_days),
            ShockKind::Disaster {
                day, duration_days, ..
            } => (day, duration_days),
        }
    }

    /// The start day of a shock, and its field's name.
    fn start(&self) -> (&'static str, &DaysDist) {
        let field = match self {
            ShockKind::Disaster { .. } => "day",
            _ => "start_day",
        };
        (field, self.days().0)
    }

    /// Whether the shock is an engine primitive (its numbers as written, its start and
    /// duration drawn only when written as distributions).
    pub fn is_primitive(&self) -> bool {
        matches!(
            self,
            ShockKind::CapacityLoss { .. }
                | ShockKind::CapitalLoss { .. }
                | ShockKind::LinkBlock { .. }
                | ShockKind::DemandChange { .. }
        )
    }

    /// The drawn start day of a crisis, or of a primitive whose start is a distribution, and
    /// its field's name.
    pub(super) fn drawn_start_day(&self) -> Option<(&'static str, &DaysDist)> {
        let (field, start) = self.start();
        (!self.is_primitive() || start.fixed_days().is_none()).then_some((field, start))
    }

    /// The fixed start day of a primitive.
    pub(super) fn fixed_start_day(&self) -> Option<u32> {
        let (_, start) = self.start();
        if self.is_primitive() {
            start.fixed_days()
        } else {
            None
        }
    }

    /// Whether anything about the shock is drawn anew in each run (a primitive written with
    /// plain numbers is the same in every run).
    pub fn is_drawn(&self) -> bool {
        let (start, duration) = self.days();
        let timed = start.fixed_days().is_none() || duration.fixed_days().is_none();
        // which firms are hit is drawn unless none or all are
        let some_firms =
            |hit: &ShareDist| !matches!(hit.dist(), Dist::Fixed(x) if x == 0.0 || x == 1.0);
        match self {
            ShockKind::CoastalDisruption {
                firms_hit,
                capacity_loss,
                ..
            } => timed || !capacity_loss.is_fixed() || some_firms(firms_hit),
            ShockKind::Disaster {
                probability,
                firms_hit,
                capital_loss,
                ..
            } => {
                (*probability > 0.0 && *probability < 1.0)
                    || timed
                    || !capital_loss.is_fixed()
                    || some_firms(firms_hit)
            }
            _ => timed,
        }
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

pub(super) fn shock_def(index: usize, spec: &ShockSpec) -> ShockDef {
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
                start_day: *start_day,
                duration_days: *duration_days,
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
                start_day: *start_day,
                duration_days: *duration_days,
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
                start_day: *start_day,
                duration_days: *duration_days,
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
                start_day: *start_day,
                duration_days: *duration_days,
                recovery: recovery(rec),
            },
        ),
        ShockSpec::CoastalDisruption {
            name,
            regions,
            sectors,
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
                sectors: sectors.clone(),
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
            sectors,
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
                sectors: sectors.clone(),
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

impl Settable for ShockSpec {
    fn set(&mut self, path: &[&str], key: Option<&str>, value: &str) -> Result<(), String> {
        // `name` is what the path is addressed by: it is not a parameter
        match self {
            ShockSpec::CapacityLoss {
                name: _,
                impacts,
                start_day,
                duration_days,
                recovery,
            } => set_fields!("CapacityLoss", path, key, value, {
                "impacts" => impacts,
                "start_day" => start_day,
                "duration_days" => duration_days,
                "recovery" => recovery,
            }),
            ShockSpec::CapitalLoss {
                name: _,
                impacts,
                start_day,
                duration_days,
                recovery,
            } => set_fields!("CapitalLoss", path, key, value, {
                "impacts" => impacts,
                "start_day" => start_day,
                "duration_days" => duration_days,
                "recovery" => recovery,
            }),
            ShockSpec::LinkBlock {
                name: _,
                from,
                sectors,
                to,
                start_day,
                duration_days,
                recovery,
            } => set_fields!("LinkBlock", path, key, value, {
                "from" => from,
                "sectors" => sectors,
                "to" => to,
                "start_day" => start_day,
                "duration_days" => duration_days,
                "recovery" => recovery,
            }),
            ShockSpec::DemandChange {
                name: _,
                regions,
                sectors,
                factor,
                start_day,
                duration_days,
                recovery,
            } => set_fields!("DemandChange", path, key, value, {
                "regions" => regions,
                "sectors" => sectors,
                "factor" => factor,
                "start_day" => start_day,
                "duration_days" => duration_days,
                "recovery" => recovery,
            }),
            ShockSpec::CoastalDisruption {
                name: _,
                regions,
                sectors,
                start_day,
                duration_days,
                firms_hit,
                capacity_loss,
                recovery,
                block_sea_imports,
            } => set_fields!("CoastalDisruption", path, key, value, {
                "regions" => regions,
                "sectors" => sectors,
                "start_day" => start_day,
                "duration_days" => duration_days,
                "firms_hit" => firms_hit,
                "capacity_loss" => capacity_loss,
                "recovery" => recovery,
                "block_sea_imports" => block_sea_imports,
            }),
            ShockSpec::TechCutoff {
                name: _,
                from,
                sectors,
                to,
                start_day,
                duration_days,
            } => set_fields!("TechCutoff", path, key, value, {
                "from" => from,
                "sectors" => sectors,
                "to" => to,
                "start_day" => start_day,
                "duration_days" => duration_days,
            }),
            ShockSpec::Disaster {
                name: _,
                regions,
                sectors,
                probability,
                day,
                duration_days,
                firms_hit,
                capital_loss,
                recovery,
            } => set_fields!("Disaster", path, key, value, {
                "regions" => regions,
                "sectors" => sectors,
                "probability" => probability,
                "day" => day,
                "duration_days" => duration_days,
                "firms_hit" => firms_hit,
                "capital_loss" => capital_loss,
                "recovery" => recovery,
            }),
            ShockSpec::RouteClosure {
                name: _,
                from,
                to,
                sectors,
                start_day,
                duration_days,
            } => set_fields!("RouteClosure", path, key, value, {
                "from" => from,
                "to" => to,
                "sectors" => sectors,
                "start_day" => start_day,
                "duration_days" => duration_days,
            }),
        }
    }
}

impl Settable for RecoverySpec {
    /// The whole recovery (`Recover(function: Linear, tau_days: 30)`), or one of its fields.
    fn set(&mut self, path: &[&str], key: Option<&str>, value: &str) -> Result<(), String> {
        if path.is_empty() {
            return set_whole(self, key, value);
        }
        match self {
            RecoverySpec::Recover { function, tau_days } => {
                set_fields!("Recover", path, key, value, {
                    "function" => function,
                    "tau_days" => tau_days,
                })
            }
            RecoverySpec::Rebuild {
                tau_days,
                sectors,
                factor,
            } => set_fields!("Rebuild", path, key, value, {
                "tau_days" => tau_days,
                "sectors" => sectors,
                "factor" => factor,
            }),
        }
    }
}
