//! `Disaster`: in each run, with `probability`, the selected regions are hit on a drawn day; a
//! drawn share of their firms loses a drawn share of its productive capital, recovered or
//! rebuilt like a `CapitalLoss`.

use rand::RngExt;
use rand::rngs::ChaCha8Rng;

use super::primitive::capital_shock;
use super::{Compile, DrawContext, Recovers, choose, mean, record, recovers};
use crate::kinds::{DaysDist, ShareDist};
use crate::model::{Invalid, ShockKind};
use crate::shocks::plan::Drawn;

/// A disaster, compiled.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::shocks) struct Disaster {
    name: String,
    /// Regular firms of the selected regions.
    firms: Vec<u32>,
    /// Backup units standing in them.
    units: Vec<u32>,
    probability: f64,
    day: DaysDist,
    duration_days: DaysDist,
    firms_hit: ShareDist,
    capital_loss: ShareDist,
    recovery: Recovers,
}

/// Compile a `Disaster` named `name` at `at`.
pub(super) fn compile(
    kind: &ShockKind,
    name: String,
    at: &str,
    ctx: &Compile,
) -> Result<Disaster, Invalid> {
    let ShockKind::Disaster {
        regions,
        sectors,
        probability,
        day,
        duration_days,
        firms_hit,
        capital_loss,
        recovery,
    } = kind
    else {
        unreachable!("not a Disaster: {}", kind.label())
    };
    let resolver = ctx.resolver;
    let regions = resolver.regions(regions, &format!("{at}: regions"))?;
    let sectors = resolver.sectors(sectors, &format!("{at}: sectors"))?;
    Ok(Disaster {
        name,
        firms: resolver.of_sectors(resolver.firms_in(&regions), &sectors),
        units: resolver.of_sectors(resolver.units_in(&regions), &sectors),
        probability: *probability,
        day: *day,
        duration_days: *duration_days,
        firms_hit: *firms_hit,
        capital_loss: *capital_loss,
        recovery: recovers(recovery, at, resolver)?,
    })
}

impl Disaster {
    /// One run: whether it happens, then its day, duration, share hit, firms hit and losses.
    pub(super) fn draw(
        &self,
        ctx: &DrawContext,
        rng: &mut ChaCha8Rng,
        unit_rng: &mut ChaCha8Rng,
        drawn: &mut Drawn,
    ) {
        let name = &self.name;
        let happens = rng.random::<f64>() < self.probability;
        record(drawn, name, "happened", f64::from(u8::from(happens)));
        if !happens {
            return;
        }
        let capital = ctx.capital;
        let start = self.day.sample(rng).max(1);
        let duration = self.duration_days.sample(rng);
        let share = self.firms_hit.sample(rng);
        let hit = choose(&self.firms, share, rng);
        let mut damage: Vec<(u32, f64)> = hit
            .iter()
            .map(|&f| (f, self.capital_loss.sample(rng) * capital[f as usize]))
            .filter(|&(_, d)| d > 0.0)
            .collect();
        let unit_damage: Vec<(u32, f64)> = choose(&self.units, share, unit_rng)
            .into_iter()
            .map(|f| (f, self.capital_loss.sample(unit_rng) * capital[f as usize]))
            .filter(|&(_, d)| d > 0.0)
            .collect();
        let lost_share: Vec<(u32, f64)> = damage
            .iter()
            .map(|&(f, d)| (f, d / capital[f as usize]))
            .collect();
        record(drawn, name, "day", f64::from(start));
        record(drawn, name, "duration_days", f64::from(duration));
        record(drawn, name, "firms_hit", share);
        record(drawn, name, "firms_hit_count", hit.len() as f64);
        record(drawn, name, "capital_loss_mean", mean(&lost_share));
        damage.extend(unit_damage);
        if start >= ctx.days || damage.is_empty() {
            return;
        }
        let shocks = capital_shock(
            ctx.economy,
            ctx.compat,
            name.clone(),
            start,
            duration.max(1),
            damage,
            &self.recovery,
        );
        drawn.shocks.capital_recover.extend(shocks.capital_recover);
        drawn.shocks.capital_rebuild.extend(shocks.capital_rebuild);
    }
}
