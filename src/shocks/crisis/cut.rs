//! Links cut for a drawn time: the draw that `TechCutoff` and `RouteClosure` share.

use rand::rngs::ChaCha8Rng;

use super::{DrawContext, draw_days};
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
        let (start, duration) =
            draw_days(&self.name, &self.start_day, &self.duration_days, rng, drawn);
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
