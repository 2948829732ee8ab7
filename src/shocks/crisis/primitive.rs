//! The engine primitives: `CapacityLoss`, `CapitalLoss`, `LinkBlock`, `DemandChange`. Written
//! with plain numbers they are the same in every run; a start or duration written as a
//! distribution is drawn in each run (the start as crises draw it: rounded, day 0 becomes day
//! 1, a start on or after the last day leaves the run unshocked).

use rand::rngs::ChaCha8Rng;

use super::{Compile, Crisis, DrawContext, Recovers, along, draw_days, recovers};
use crate::economy::{Economy, Resolver};
use crate::kinds::Compat;
use crate::kinds::DaysDist;
use crate::model::{Invalid, ShockKind};
use crate::shocks::plan::Drawn;
use crate::shocks::{
    CapacityShock, CapitalRebuildShock, CapitalRecoverShock, DemandShock, LinkShock, Shocks,
    rebuild_stock,
};

/// A primitive whose start or duration is drawn in each run.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::shocks) struct Timed {
    name: String,
    /// The primitive with its fixed numbers (its days replaced in each run).
    template: Shocks,
    start_day: DaysDist,
    duration_days: DaysDist,
}

/// Compile a primitive named `name` at `at`: fixed, or drawn when its start or duration is a
/// distribution.
pub(super) fn compile(
    kind: &ShockKind,
    name: String,
    at: &str,
    ctx: &Compile,
) -> Result<Crisis, Invalid> {
    let (start_day, duration_days) = kind.days();
    let (start_day, duration_days) = (*start_day, *duration_days);
    match (start_day.fixed_days(), duration_days.fixed_days()) {
        (Some(start), Some(duration)) => {
            Ok(Crisis::Fixed(shocks(kind, name, at, ctx, start, duration)?))
        }
        _ => Ok(Crisis::Primitive(Timed {
            template: shocks(kind, name.clone(), at, ctx, 1, 1)?,
            name,
            start_day,
            duration_days,
        })),
    }
}

impl Timed {
    /// One run: draw the start and the duration, and place the primitive on those days.
    pub(super) fn draw(&self, ctx: &DrawContext, rng: &mut ChaCha8Rng, drawn: &mut Drawn) {
        let (start, duration) =
            draw_days(&self.name, &self.start_day, &self.duration_days, rng, drawn);
        if start >= ctx.days {
            return;
        }
        let mut shocks = self.template.clone();
        for shock in &mut shocks.capacity {
            (shock.start_day, shock.duration_days) = (start, duration);
        }
        for shock in &mut shocks.capital_recover {
            (shock.start_day, shock.duration_days) = (start, duration);
        }
        for shock in &mut shocks.capital_rebuild {
            (shock.start_day, shock.duration_days) = (start, duration);
        }
        for shock in &mut shocks.links {
            (shock.start_day, shock.duration_days) = (start, duration);
        }
        for shock in &mut shocks.demand {
            (shock.start_day, shock.duration_days) = (start, duration);
        }
        drawn.shocks.append(shocks);
    }
}

/// The primitive's engine shocks, on `start_day` for `duration_days`.
fn shocks(
    kind: &ShockKind,
    name: String,
    at: &str,
    ctx: &Compile,
    start_day: u32,
    duration_days: u32,
) -> Result<Shocks, Invalid> {
    let resolver = ctx.resolver;
    let economy = resolver.economy();
    Ok(match kind {
        ShockKind::CapacityLoss {
            impacts, recovery, ..
        } => {
            let firms = industry_impacts(resolver, at, impacts, false)?;
            let (function, tau_days) = along(recovery);
            Shocks {
                capacity: vec![CapacityShock {
                    name,
                    start_day,
                    duration_days,
                    function,
                    tau_days,
                    firms,
                }],
                ..Shocks::default()
            }
        }
        ShockKind::CapitalLoss {
            impacts, recovery, ..
        } => {
            let firms = industry_impacts(resolver, at, impacts, true)?;
            capital_shock(
                economy,
                ctx.compat,
                name,
                start_day,
                duration_days,
                firms,
                &recovers(recovery, at, resolver)?,
            )
        }
        ShockKind::LinkBlock {
            from,
            sectors,
            to,
            recovery,
            ..
        } => {
            let links = resolver.select_links(from, sectors, to, at)?;
            let (function, tau_days) = along(recovery);
            Shocks {
                links: vec![LinkShock {
                    name,
                    start_day,
                    duration_days,
                    function,
                    tau_days,
                    links,
                }],
                ..Shocks::default()
            }
        }
        ShockKind::DemandChange {
            regions,
            sectors,
            factor,
            recovery,
            ..
        } => {
            let regions = resolver.regions(regions, &format!("{at}: regions"))?;
            let sectors = resolver.sectors(sectors, &format!("{at}: sectors"))?;
            let entries = demand_entries(economy, resolver, &regions, &sectors);
            let (function, tau_days) = along(recovery);
            Shocks {
                demand: vec![DemandShock {
                    name,
                    start_day,
                    duration_days,
                    function,
                    tau_days,
                    factor: *factor,
                    entries,
                }],
                ..Shocks::default()
            }
        }
        other => unreachable!("not a primitive: {}", other.label()),
    })
}

/// Final-demand entries of demanding regions in `regions` for products in `sectors`.
fn demand_entries(
    economy: &Economy,
    resolver: &Resolver,
    regions: &[bool],
    sectors: &[bool],
) -> Vec<u32> {
    // demand regions are named like MRIO regions; others are never selected
    let demand_region_selected: Vec<bool> = economy
        .demand_regions
        .iter()
        .map(|name| economy.region_index(name).is_some_and(|r| regions[r]))
        .collect();
    let mut entries = Vec::new();
    for f in 0..economy.n_firms() {
        if !sectors[resolver.firm_sector(f)] {
            continue;
        }
        for k in economy.firm_final_demand[f] as usize..economy.firm_final_demand[f + 1] as usize {
            let column = economy.final_demand_column[k] as usize;
            if demand_region_selected[economy.final_demand_columns[column].0 as usize] {
                entries.push(k as u32);
            }
        }
    }
    entries
}

/// Industry impacts `(region, sector, value)` to firm impacts: capacity shares apply to every
/// firm of the industry; capital is spread over its firms in proportion to their capital.
fn industry_impacts(
    resolver: &Resolver,
    at: &str,
    impacts: &[(String, String, f64)],
    capital: bool,
) -> Result<Vec<(u32, f64)>, Invalid> {
    let economy = resolver.economy();
    let mut by_industry: Vec<(usize, f64)> = Vec::new();
    for (k, (region, sector, value)) in impacts.iter().enumerate() {
        let at = format!("{at}: impacts[{k}]");
        let r = resolver.region(region, &at)?;
        let s = resolver.sector(sector, &at)?;
        let industry = r * economy.sectors.len() + s;
        if capital {
            // an industry listed twice loses the sum: check the running total
            let earlier: f64 = by_industry
                .iter()
                .filter(|e| e.0 == industry)
                .map(|e| e.1)
                .sum();
            let destroyed = earlier + value;
            let total: f64 = economy
                .firms_of(industry)
                .map(|f| economy.firm_capital[f])
                .sum();
            if destroyed > total {
                return Err(resolver.invalid(
                    at,
                    format!(
                        "capital destroyed {} exceeds the productive capital {total} of \
                         {region}|{sector}",
                        if destroyed < 1e12 {
                            destroyed.to_string()
                        } else {
                            format!("{destroyed:e}")
                        }
                    ),
                ));
            }
        }
        if *value > 0.0 {
            by_industry.push((industry, *value));
        }
    }
    by_industry.sort_by_key(|&(i, _)| i);
    by_industry.dedup_by(|later, earlier| {
        if later.0 == earlier.0 {
            if capital {
                earlier.1 += later.1;
            } else {
                earlier.1 = earlier.1.max(later.1);
            }
            true
        } else {
            false
        }
    });
    let mut firms = Vec::new();
    for (industry, value) in by_industry {
        let range = economy.firms_of(industry);
        if !capital {
            firms.extend(range.map(|f| (f as u32, value)));
        } else if range.len() == 1 {
            firms.push((range.start as u32, value));
        } else {
            let total: f64 = range.clone().map(|f| economy.firm_capital[f]).sum();
            firms.extend(range.map(|f| {
                let share = if total > 0.0 {
                    economy.firm_capital[f] / total
                } else {
                    0.0
                };
                (f as u32, value * share)
            }));
        }
    }
    Ok(firms)
}

/// A capital loss on firms, recovering or rebuilt.
pub(super) fn capital_shock(
    economy: &Economy,
    compat: Compat,
    name: String,
    start_day: u32,
    duration_days: u32,
    firms: Vec<(u32, f64)>,
    recovery: &Recovers,
) -> Shocks {
    let mut shocks = Shocks::default();
    match recovery {
        Recovers::Along(function, tau_days) => shocks.capital_recover.push(CapitalRecoverShock {
            name,
            start_day,
            duration_days,
            function: *function,
            tau_days: *tau_days,
            firms,
        }),
        Recovers::Rebuild {
            tau_days,
            sectors,
            factor,
        } => {
            let stock = rebuild_stock(economy, compat, &firms, sectors, *factor);
            shocks.capital_rebuild.push(CapitalRebuildShock {
                name,
                start_day,
                duration_days,
                tau_days: *tau_days,
                factor: *factor,
                firms,
                stock,
            });
        }
    }
    shocks
}
