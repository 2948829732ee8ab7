//! `CoastalDisruption`: a drawn share of the selected (coastal) regions' firms loses a drawn
//! share of capacity; optionally every link from `Foreign` regions into them is blocked too.

use rand::rngs::ChaCha8Rng;

use super::{Compile, DrawContext, along, choose, mean, record};
use crate::kinds::{DaysDist, RecoveryFunction, ShareDist};
use crate::model::{Invalid, ShockKind};
use crate::shocks::plan::Drawn;
use crate::shocks::{CapacityShock, LinkShock};

/// A coastal disruption, compiled.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::shocks) struct Coastal {
    name: String,
    /// Regular firms of the selected regions.
    firms: Vec<u32>,
    /// Backup units standing in them.
    units: Vec<u32>,
    start_day: DaysDist,
    duration_days: DaysDist,
    firms_hit: ShareDist,
    capacity_loss: ShareDist,
    function: RecoveryFunction,
    tau_days: u32,
    /// With `block_sea_imports`: links from `Foreign` suppliers into the selected regions.
    sea_links: Option<Vec<u32>>,
}

/// Compile a `CoastalDisruption` named `name` at `at`.
pub(super) fn compile(
    kind: &ShockKind,
    name: String,
    at: &str,
    ctx: &Compile,
) -> Result<Coastal, Invalid> {
    let ShockKind::CoastalDisruption {
        regions,
        sectors,
        start_day,
        duration_days,
        firms_hit,
        capacity_loss,
        recovery,
        block_sea_imports,
    } = kind
    else {
        unreachable!("not a CoastalDisruption: {}", kind.label())
    };
    let resolver = ctx.resolver;
    let regions = resolver.regions(regions, &format!("{at}: regions"))?;
    let sectors = resolver.sectors(sectors, &format!("{at}: sectors"))?;
    let (function, tau_days) = along(recovery);
    let sea_links = block_sea_imports.then(|| {
        let foreign: Vec<bool> = resolver.kinds().domestic().iter().map(|d| !d).collect();
        let all = vec![true; resolver.economy().sectors.len()];
        resolver.links(&foreign, &all, &regions)
    });
    Ok(Coastal {
        name,
        firms: resolver.of_sectors(resolver.firms_in(&regions), &sectors),
        units: resolver.of_sectors(resolver.units_in(&regions), &sectors),
        start_day: *start_day,
        duration_days: *duration_days,
        firms_hit: *firms_hit,
        capacity_loss: *capacity_loss,
        function,
        tau_days,
        sea_links,
    })
}

impl Coastal {
    /// One run: start, duration, share hit, the firms hit and their losses.
    pub(super) fn draw(
        &self,
        ctx: &DrawContext,
        rng: &mut ChaCha8Rng,
        unit_rng: &mut ChaCha8Rng,
        drawn: &mut Drawn,
    ) {
        let name = &self.name;
        let start = self.start_day.sample(rng).max(1);
        let duration = self.duration_days.sample(rng);
        let share = self.firms_hit.sample(rng);
        let hit = choose(&self.firms, share, rng);
        let mut losses: Vec<(u32, f64)> = hit
            .iter()
            .map(|&f| (f, self.capacity_loss.sample(rng)))
            .collect();
        let unit_losses: Vec<(u32, f64)> = choose(&self.units, share, unit_rng)
            .into_iter()
            .map(|f| (f, self.capacity_loss.sample(unit_rng)))
            .collect();
        record(drawn, name, "start_day", f64::from(start));
        record(drawn, name, "duration_days", f64::from(duration));
        record(drawn, name, "firms_hit", share);
        record(drawn, name, "firms_hit_count", hit.len() as f64);
        record(drawn, name, "capacity_loss_mean", mean(&losses));
        losses.extend(unit_losses);
        if start >= ctx.days {
            return;
        }
        drawn.shocks.capacity.push(CapacityShock {
            name: name.clone(),
            start_day: start,
            duration_days: duration,
            function: self.function,
            tau_days: self.tau_days,
            firms: losses,
        });
        if let Some(links) = &self.sea_links {
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
}
