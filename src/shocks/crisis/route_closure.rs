//! `RouteClosure`: a chokepoint closes; no deliveries from the `from` regions to the `to`
//! regions (of the given sectors) from a drawn day for a drawn time (drawn as a [`Cut`]).

use super::Compile;
use super::cut::Cut;
use crate::model::{Invalid, ShockKind};

/// Compile a `RouteClosure` named `name` at `at`.
pub(super) fn compile(
    kind: &ShockKind,
    name: String,
    at: &str,
    ctx: &Compile,
) -> Result<Cut, Invalid> {
    let ShockKind::RouteClosure {
        from,
        to,
        sectors,
        start_day,
        duration_days,
    } = kind
    else {
        unreachable!("not a RouteClosure: {}", kind.label())
    };
    Ok(Cut {
        name,
        links: ctx.resolver.select_links(from, sectors, to, at)?,
        start_day: *start_day,
        duration_days: *duration_days,
    })
}
