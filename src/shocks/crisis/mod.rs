//! Each scenario shock compiled once against the economy (names and selectors resolved,
//! everything checked) and drawn per run into engine primitives, one file per kind:
//!
//! * `primitive` — `CapacityLoss`, `CapitalLoss`, `LinkBlock`, `DemandChange`: fixed numbers,
//!   or a start and duration drawn in each run where they are written as distributions;
//! * `coastal` — `CoastalDisruption`: draw the start day, the duration and the share `h` of
//!   firms hit; choose `round(h × n)` of the selected regions' `n` firms uniformly at random;
//!   draw each hit firm's capacity loss. With `block_sea_imports`, every link from a `Foreign`
//!   supplier into the selected regions is blocked over the same days (reopening at once);
//! * `tech_cutoff`, `route_closure` — draw start and duration; block the selected links
//!   (`cut`, the draw they share);
//! * `disaster` — happens with `probability` (one uniform draw); then draw its day, the days
//!   before recovery, the share of firms hit (chosen as above) and each hit firm's share of
//!   productive capital lost; recovered or rebuilt like `CapitalLoss`.
//!
//! A kind is registered once, in [`Crisis`] and its two dispatches below.

mod coastal;
mod cut;
mod disaster;
mod primitive;
mod route_closure;
mod tech_cutoff;

use rand::RngExt;
use rand::rngs::ChaCha8Rng;

use super::Shocks;
use super::plan::{Draw, Drawn};
use crate::economy::{Economy, Resolver};
use crate::kinds::{Compat, RecoveryFunction};
use crate::model::{Invalid, Recovery, ShockDef, ShockKind};

/// One scenario shock, compiled.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Crisis {
    /// Primitives with fixed numbers.
    Fixed(Shocks),
    /// A primitive whose start or duration is drawn.
    Primitive(primitive::Timed),
    /// A coastal disruption.
    Coastal(coastal::Coastal),
    /// Links cut for a drawn time (a technology cut-off or a route closure).
    Cut(cut::Cut),
    /// A disaster.
    Disaster(disaster::Disaster),
}

/// What every compile step needs besides the shock.
pub(super) struct Compile<'a> {
    /// Names resolved against the economy the runs step over.
    pub resolver: &'a Resolver<'a>,
    /// The rule set (rebuilding follows BoARIO's split under `Boario072`).
    pub compat: Compat,
}

/// What every draw needs besides the generators.
pub(super) struct DrawContext<'a> {
    /// The economy the runs step over.
    pub economy: &'a Economy,
    /// The rule set.
    pub compat: Compat,
    /// Days in a run: a shock drawn to start on or after the last day does nothing.
    pub days: u32,
    /// Productive capital of each firm.
    pub capital: &'a [f64],
}

impl Crisis {
    /// Compile `def` (the registration of each kind).
    pub(super) fn compile(def: &ShockDef, ctx: &Compile) -> Result<Crisis, Invalid> {
        let at = def.at.as_str();
        let name = def.name.clone();
        Ok(match &def.kind {
            ShockKind::CapacityLoss { .. }
            | ShockKind::CapitalLoss { .. }
            | ShockKind::LinkBlock { .. }
            | ShockKind::DemandChange { .. } => primitive::compile(&def.kind, name, at, ctx)?,
            ShockKind::CoastalDisruption { .. } => {
                Crisis::Coastal(coastal::compile(&def.kind, name, at, ctx)?)
            }
            ShockKind::TechCutoff { .. } => {
                Crisis::Cut(tech_cutoff::compile(&def.kind, name, at, ctx)?)
            }
            ShockKind::RouteClosure { .. } => {
                Crisis::Cut(route_closure::compile(&def.kind, name, at, ctx)?)
            }
            ShockKind::Disaster { .. } => {
                Crisis::Disaster(disaster::compile(&def.kind, name, at, ctx)?)
            }
        })
    }

    /// Draw one run of the crisis into `drawn`: `rng` is the shock's stream, `unit_rng` the
    /// stream of the backup units it hits.
    pub(super) fn draw(
        &self,
        ctx: &DrawContext,
        rng: &mut ChaCha8Rng,
        unit_rng: &mut ChaCha8Rng,
        drawn: &mut Drawn,
    ) {
        match self {
            Crisis::Fixed(shocks) => drawn.shocks.append(shocks.clone()),
            Crisis::Primitive(primitive) => primitive.draw(ctx, rng, drawn),
            Crisis::Coastal(coastal) => coastal.draw(ctx, rng, unit_rng, drawn),
            Crisis::Cut(cut) => cut.draw(ctx, rng, drawn),
            Crisis::Disaster(disaster) => disaster.draw(ctx, rng, unit_rng, drawn),
        }
    }
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

/// A recovery with its rebuilding sectors resolved (errors at `at: recovery.sectors[k]`).
fn recovers(recovery: &Recovery, at: &str, resolver: &Resolver) -> Result<Recovers, Invalid> {
    Ok(match recovery {
        Recovery::Recover { function, tau_days } => Recovers::Along(*function, *tau_days),
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
}

/// The function and time constant of a recovery that only recovers (the model has already
/// refused `Rebuild` for shocks that cannot be rebuilt).
fn along(recovery: &Recovery) -> (RecoveryFunction, u32) {
    match recovery {
        Recovery::Recover { function, tau_days } => (*function, *tau_days),
        Recovery::Rebuild { tau_days, .. } => (RecoveryFunction::Linear, *tau_days),
    }
}

/// Draw a start day (day 0 becomes day 1) and a duration, and record both.
fn draw_days(
    name: &str,
    start_day: &crate::kinds::DaysDist,
    duration_days: &crate::kinds::DaysDist,
    rng: &mut ChaCha8Rng,
    drawn: &mut Drawn,
) -> (u32, u32) {
    let start = start_day.sample(rng).max(1);
    let duration = duration_days.sample(rng);
    record(drawn, name, "start_day", f64::from(start));
    record(drawn, name, "duration_days", f64::from(duration));
    (start, duration)
}

/// Record one drawn value.
fn record(drawn: &mut Drawn, shock: &str, parameter: &'static str, value: f64) {
    drawn.draws.push(Draw {
        shock: shock.to_string(),
        parameter,
        value,
    });
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seeding::stream_rng;

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
