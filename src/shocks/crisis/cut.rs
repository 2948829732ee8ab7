//! Links cut for a drawn time: the draw that `TechCutoff` and `RouteClosure` share.

use rand::rngs::ChaCha8Rng;

use super::{DrawContext, record};
use crate::kinds::{DaysDist, RecoveryFunction};
use crate::shocks::LinkShock;
use crate::shocks::plan::Drawn;

/// Links cut from a drawn day for a drawn number of days, reopened at once.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::shocks) struct Cut {
    pub(super) name: String,
    pub(super) links: Vec<u32>,
    pub(super) start_day: DaysDist,
    pub(super) duration_days: DaysDist,
}

impl Cut {
    /// One run: the start day and the duration.
    pub(super) fn draw(&self, ctx: &DrawContext, rng: &mut ChaCha8Rng, drawn: &mut Drawn) {
        let start = self.start_day.sample(rng).max(1);
        let duration = self.duration_days.sample(rng);
        record(drawn, &self.name, "start_day", f64::from(start));
        record(drawn, &self.name, "duration_days", f64::from(duration));
        if start >= ctx.days {
            return;
        }
        drawn.shocks.links.push(LinkShock {
            name: self.name.clone(),
            start_day: start,
            duration_days: duration,
            function: RecoveryFunction::Linear,
            tau_days: 1,
            links: self.links.clone(),
        });
    }
}
