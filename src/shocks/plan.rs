//! Scenario shocks compiled once against the economy ([`Plan::new`]: names and selectors
//! resolved, everything checked) and drawn per run ([`Plan::draw`]) into engine primitives.
//!
//! Run `k` draws shock `i` from its own generator, seeded from `(seed, k, i)` only
//! ([`crate::seeding::stream_rng`]), so adding, removing or changing any other shock or
//! policy never changes the crisis a run sees.
//!
//! How each scenario shock expands, in each run:
//!
//! * `CoastalDisruption` — draw the start day, the duration and the share `h` of firms hit;
//!   choose `round(h × n)` of the selected regions' `n` firms uniformly at random; draw each hit
//!   firm's capacity loss. With `block_sea_imports`, every link from a `Foreign` supplier into
//!   the selected regions is blocked over the same days (reopening at once).
//! * `TechCutoff` / `RouteClosure` — draw start and duration; block the selected links.
//! * `Disaster` — happens with `probability` (one uniform draw); then draw its day, the days
//!   before recovery, the share of firms hit (chosen as above) and each hit firm's share of
//!   productive capital lost; recovered or rebuilt like `CapitalLoss`.
//!
//! A drawn start day of 0 becomes day 1 (day 0 is the baseline); a shock drawn to start on or
//! after the last day falls outside the run and does nothing. Every drawn value is reported
//! ([`Draw`]), so a run's crisis can be read back.

use rand::RngExt;
use rand::rngs::ChaCha8Rng;

use super::{
    CapacityShock, CapitalRebuildShock, CapitalRecoverShock, DemandShock, LinkShock, Shocks,
    rebuild_stock,
};
use crate::economy::{Economy, Resolver};
use crate::kinds::{Compat, DaysDist, RecoveryFunction, ShareDist};
use crate::model::{Invalid, Model, Recovery, ShockKind};
use crate::seeding::stream_rng;

/// One drawn value of one shock in one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Draw {
    /// Shock name.
    pub shock: String,
    /// Parameter name (`start_day`, `firms_hit`, …).
    pub parameter: &'static str,
    /// Value drawn.
    pub value: f64,
}

/// The primitives of one run and the values drawn for them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Drawn {
    /// What the engine sees.
    pub shocks: Shocks,
    /// What was drawn, in shock order.
    pub draws: Vec<Draw>,
}

/// Recovery with sector names resolved.
#[derive(Debug, Clone, PartialEq)]
enum Recovers {
    Along(RecoveryFunction, u32),
    Rebuild {
        tau_days: u32,
        sectors: Vec<(usize, f64)>,
        factor: f64,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum Item {
    /// Primitives with fixed numbers.
    Fixed(Shocks),
    Coastal {
        name: String,
        firms: Vec<u32>,
        units: Vec<u32>,
        start_day: DaysDist,
        duration_days: DaysDist,
        firms_hit: ShareDist,
        capacity_loss: ShareDist,
        function: RecoveryFunction,
        tau_days: u32,
        sea_links: Option<Vec<u32>>,
    },
    Cut {
        name: String,
        links: Vec<u32>,
        start_day: DaysDist,
        duration_days: DaysDist,
    },
    Disaster {
        name: String,
        firms: Vec<u32>,
        units: Vec<u32>,
        probability: f64,
        day: DaysDist,
        duration_days: DaysDist,
        firms_hit: ShareDist,
        capital_loss: ShareDist,
        recovery: Recovers,
    },
}

/// The scenario's shocks compiled against an economy, ready to be drawn run by run.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    items: Vec<Item>,
    compat: Compat,
    days: u32,
    seed: u64,
    capital: Vec<f64>,
}

impl Plan {
    /// Resolve every name and selector of the model's shocks with `resolver` (on the economy
    /// the runs step over, backup units included).
    pub fn new(model: &Model, resolver: &Resolver) -> Result<Plan, Invalid> {
        let economy = resolver.economy();
        let compat = model.dynamics().compat;
        let mut items = Vec::with_capacity(model.shocks().len());
        for def in model.shocks() {
            let at = def.at.as_str();
            let name = def.name.clone();
            let recovers = |recovery: &Recovery| -> Result<Recovers, Invalid> {
                Ok(match recovery {
                    Recovery::Recover { function, tau_days } => {
                        Recovers::Along(*function, *tau_days)
                    }
                    Recovery::Rebuild {
                        tau_days,
                        sectors,
                        factor,
                    } => Recovers::Rebuild {
                        tau_days: *tau_days,
                        sectors: sectors
                            .iter()
                            .enumerate()
                            .map(|(k, (s, share))| {
                                Ok((
                                    resolver.sector(s, &format!("{at}: recovery.sectors[{k}]"))?,
                                    *share,
                                ))
                            })
                            .collect::<Result<_, Invalid>>()?,
                        factor: *factor,
                    },
                })
            };
            // the model has already refused `Rebuild` for shocks that cannot be rebuilt
            let along = |recovery: &Recovery| match recovery {
                Recovery::Recover { function, tau_days } => (*function, *tau_days),
                Recovery::Rebuild { tau_days, .. } => (RecoveryFunction::Linear, *tau_days),
            };
            let item = match &def.kind {
                ShockKind::CapacityLoss {
                    impacts,
                    start_day,
                    duration_days,
                    recovery,
                } => {
                    let firms = industry_impacts(resolver, at, impacts, false)?;
                    let (function, tau_days) = along(recovery);
                    Item::Fixed(Shocks {
                        capacity: vec![CapacityShock {
                            name,
                            start_day: *start_day,
                            duration_days: *duration_days,
                            function,
                            tau_days,
                            firms,
                        }],
                        ..Shocks::default()
                    })
                }
                ShockKind::CapitalLoss {
                    impacts,
                    start_day,
                    duration_days,
                    recovery,
                } => {
                    let firms = industry_impacts(resolver, at, impacts, true)?;
                    Item::Fixed(capital_shock(
                        economy,
                        compat,
                        name,
                        *start_day,
                        *duration_days,
                        firms,
                        &recovers(recovery)?,
                    ))
                }
                ShockKind::LinkBlock {
                    from,
                    sectors,
                    to,
                    start_day,
                    duration_days,
                    recovery,
                } => {
                    let links = resolver.select_links(from, sectors, to, at)?;
                    let (function, tau_days) = along(recovery);
                    Item::Fixed(Shocks {
                        links: vec![LinkShock {
                            name,
                            start_day: *start_day,
                            duration_days: *duration_days,
                            function,
                            tau_days,
                            links,
                        }],
                        ..Shocks::default()
                    })
                }
                ShockKind::DemandChange {
                    regions,
                    sectors,
                    factor,
                    start_day,
                    duration_days,
                    recovery,
                } => {
                    let regions = resolver.regions(regions, &format!("{at}: regions"))?;
                    let sectors = resolver.sectors(sectors, &format!("{at}: sectors"))?;
                    let entries = demand_entries(economy, resolver, &regions, &sectors);
                    let (function, tau_days) = along(recovery);
                    Item::Fixed(Shocks {
                        demand: vec![DemandShock {
                            name,
                            start_day: *start_day,
                            duration_days: *duration_days,
                            function,
                            tau_days,
                            factor: *factor,
                            entries,
                        }],
                        ..Shocks::default()
                    })
                }
                ShockKind::CoastalDisruption {
                    regions,
                    start_day,
                    duration_days,
                    firms_hit,
                    capacity_loss,
                    recovery,
                    block_sea_imports,
                } => {
                    let regions = resolver.regions(regions, &format!("{at}: regions"))?;
                    let (function, tau_days) = along(recovery);
                    let sea_links = block_sea_imports.then(|| {
                        let foreign: Vec<bool> =
                            resolver.kinds().domestic().iter().map(|d| !d).collect();
                        let all = vec![true; economy.sectors.len()];
                        resolver.links(&foreign, &all, &regions)
                    });
                    Item::Coastal {
                        name,
                        firms: resolver.firms_in(&regions),
                        units: resolver.units_in(&regions),
                        start_day: *start_day,
                        duration_days: *duration_days,
                        firms_hit: *firms_hit,
                        capacity_loss: *capacity_loss,
                        function,
                        tau_days,
                        sea_links,
                    }
                }
                ShockKind::TechCutoff {
                    from,
                    sectors,
                    to,
                    start_day,
                    duration_days,
                } => {
                    let from_mask = resolver.regions(from, &format!("{at}: from"))?;
                    for (r, selected) in from_mask.iter().enumerate() {
                        let kind = resolver.kinds().kind(r);
                        if *selected && kind != crate::kinds::RegionKind::Foreign {
                            return Err(resolver.invalid(
                                format!("{at}: from"),
                                format!(
                                    "region {:?} is {kind:?}: a TechCutoff cuts foreign supply, so every `from` region must be Foreign (use RouteClosure or LinkBlock for domestic links)",
                                    economy.regions[r]
                                ),
                            ));
                        }
                    }
                    let links = resolver.links(
                        &from_mask,
                        &resolver.sectors(sectors, &format!("{at}: sectors"))?,
                        &resolver.regions(to, &format!("{at}: to"))?,
                    );
                    Item::Cut {
                        name,
                        links,
                        start_day: *start_day,
                        duration_days: *duration_days,
                    }
                }
                ShockKind::RouteClosure {
                    from,
                    to,
                    sectors,
                    start_day,
                    duration_days,
                } => {
                    let links = resolver.select_links(from, sectors, to, at)?;
                    Item::Cut {
                        name,
                        links,
                        start_day: *start_day,
                        duration_days: *duration_days,
                    }
                }
                ShockKind::Disaster {
                    regions,
                    probability,
                    day,
                    duration_days,
                    firms_hit,
                    capital_loss,
                    recovery,
                } => {
                    let regions = resolver.regions(regions, &format!("{at}: regions"))?;
                    Item::Disaster {
                        name,
                        firms: resolver.firms_in(&regions),
                        units: resolver.units_in(&regions),
                        probability: *probability,
                        day: *day,
                        duration_days: *duration_days,
                        firms_hit: *firms_hit,
                        capital_loss: *capital_loss,
                        recovery: recovers(recovery)?,
                    }
                }
            };
            items.push(item);
        }
        Ok(Plan {
            items,
            compat,
            days: model.days() as u32,
            seed: model.seed(),
            capital: economy.firm_capital.clone(),
        })
    }

    /// The primitives of run `run` with shock seed `seed` (normally the scenario's).
    pub fn draw(&self, economy: &Economy, seed: u64, run: u64) -> Drawn {
        let mut drawn = Drawn::default();
        for (index, item) in self.items.iter().enumerate() {
            let mut rng = stream_rng(seed, &[3, run, index as u64]);
            // backup units hit by the shock are drawn from a stream of their own, so that the
            // regular firms hit are the same with and without backups (common random numbers)
            let mut unit_rng = stream_rng(seed, &[3, run, index as u64, 1]);
            self.draw_item(economy, item, &mut rng, &mut unit_rng, &mut drawn);
        }
        drawn
    }

    /// The primitives of run 0 with the scenario's seed.
    pub fn first_run(&self, economy: &Economy) -> Shocks {
        self.draw(economy, self.seed, 0).shocks
    }

    fn draw_item(
        &self,
        economy: &Economy,
        item: &Item,
        rng: &mut ChaCha8Rng,
        unit_rng: &mut ChaCha8Rng,
        drawn: &mut Drawn,
    ) {
        let mut record = |shock: &str, parameter: &'static str, value: f64| {
            drawn.draws.push(Draw {
                shock: shock.to_string(),
                parameter,
                value,
            })
        };
        match item {
            Item::Fixed(shocks) => {
                let s = &mut drawn.shocks;
                s.capacity.extend(shocks.capacity.iter().cloned());
                s.capital_recover
                    .extend(shocks.capital_recover.iter().cloned());
                s.capital_rebuild
                    .extend(shocks.capital_rebuild.iter().cloned());
                s.links.extend(shocks.links.iter().cloned());
                s.demand.extend(shocks.demand.iter().cloned());
            }
            Item::Coastal {
                name,
                firms,
                units,
                start_day,
                duration_days,
                firms_hit,
                capacity_loss,
                function,
                tau_days,
                sea_links,
            } => {
                let start = start_day.sample(rng).max(1);
                let duration = duration_days.sample(rng);
                let share = firms_hit.sample(rng);
                let hit = choose(firms, share, rng);
                let mut losses: Vec<(u32, f64)> = hit
                    .iter()
                    .map(|&f| (f, capacity_loss.sample(rng)))
                    .collect();
                let unit_losses: Vec<(u32, f64)> = choose(units, share, unit_rng)
                    .into_iter()
                    .map(|f| (f, capacity_loss.sample(unit_rng)))
                    .collect();
                record(name, "start_day", f64::from(start));
                record(name, "duration_days", f64::from(duration));
                record(name, "firms_hit", share);
                record(name, "firms_hit_count", hit.len() as f64);
                record(name, "capacity_loss_mean", mean(&losses));
                losses.extend(unit_losses);
                if start >= self.days {
                    return;
                }
                drawn.shocks.capacity.push(CapacityShock {
                    name: name.clone(),
                    start_day: start,
                    duration_days: duration,
                    function: *function,
                    tau_days: *tau_days,
                    firms: losses,
                });
                if let Some(links) = sea_links {
                    drawn.shocks.links.push(LinkShock {
                        name: format!("{name} (sea imports)"),
                        start_day: start,
                        duration_days: duration,
                        function: RecoveryFunction::Linear,
                        tau_days: 1,
                        links: links.clone(),
                    });
                }
            }
            Item::Cut {
                name,
                links,
                start_day,
                duration_days,
            } => {
                let start = start_day.sample(rng).max(1);
                let duration = duration_days.sample(rng);
                record(name, "start_day", f64::from(start));
                record(name, "duration_days", f64::from(duration));
                if start >= self.days {
                    return;
                }
                drawn.shocks.links.push(LinkShock {
                    name: name.clone(),
                    start_day: start,
                    duration_days: duration,
                    function: RecoveryFunction::Linear,
                    tau_days: 1,
                    links: links.clone(),
                });
            }
            Item::Disaster {
                name,
                firms,
                units,
                probability,
                day,
                duration_days,
                firms_hit,
                capital_loss,
                recovery,
            } => {
                let happens = rng.random::<f64>() < *probability;
                record(name, "happened", f64::from(u8::from(happens)));
                if !happens {
                    return;
                }
                let start = day.sample(rng).max(1);
                let duration = duration_days.sample(rng);
                let share = firms_hit.sample(rng);
                let hit = choose(firms, share, rng);
                let mut damage: Vec<(u32, f64)> = hit
                    .iter()
                    .map(|&f| (f, capital_loss.sample(rng) * self.capital[f as usize]))
                    .filter(|&(_, d)| d > 0.0)
                    .collect();
                let unit_damage: Vec<(u32, f64)> = choose(units, share, unit_rng)
                    .into_iter()
                    .map(|f| (f, capital_loss.sample(unit_rng) * self.capital[f as usize]))
                    .filter(|&(_, d)| d > 0.0)
                    .collect();
                let lost_share: Vec<(u32, f64)> = damage
                    .iter()
                    .map(|&(f, d)| (f, d / self.capital[f as usize]))
                    .collect();
                record(name, "day", f64::from(start));
                record(name, "duration_days", f64::from(duration));
                record(name, "firms_hit", share);
                record(name, "firms_hit_count", hit.len() as f64);
                record(name, "capital_loss_mean", mean(&lost_share));
                damage.extend(unit_damage);
                if start >= self.days || damage.is_empty() {
                    return;
                }
                let shocks = capital_shock(
                    economy,
                    self.compat,
                    name.clone(),
                    start,
                    duration.max(1),
                    damage,
                    recovery,
                );
                drawn.shocks.capital_recover.extend(shocks.capital_recover);
                drawn.shocks.capital_rebuild.extend(shocks.capital_rebuild);
            }
        }
    }
}

fn mean(values: &[(u32, f64)]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().map(|v| v.1).sum::<f64>() / values.len() as f64
    }
}

/// `round(share × n)` of `firms`, chosen uniformly without replacement, in index order.
fn choose(firms: &[u32], share: f64, rng: &mut ChaCha8Rng) -> Vec<u32> {
    let count = ((share * firms.len() as f64).round() as usize).min(firms.len());
    let mut pool = firms.to_vec();
    for i in 0..count {
        let j = rng.random_range(i..pool.len());
        pool.swap(i, j);
    }
    let mut chosen = pool[..count].to_vec();
    chosen.sort_unstable();
    chosen
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
                        "capital destroyed {destroyed} exceeds the productive capital {total} of {region}|{sector}"
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
fn capital_shock(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choose_takes_the_rounded_share_without_repeats() {
        let firms: Vec<u32> = (10..30).collect();
        let mut rng = stream_rng(3, &[]);
        let hit = choose(&firms, 0.26, &mut rng);
        assert_eq!(hit.len(), 5);
        assert!(hit.windows(2).all(|w| w[0] < w[1]));
        assert!(hit.iter().all(|f| firms.contains(f)));
        assert_eq!(choose(&firms, 1.0, &mut rng), firms);
        assert!(choose(&firms, 0.0, &mut rng).is_empty());
    }
}
