//! `TechCutoff`: foreign regions stop supplying the given sectors to the given regions, from a
//! drawn day for a drawn time (drawn as a [`Cut`]).

use super::Compile;
use super::cut::Cut;
use crate::kinds::RegionKind;
use crate::model::{Invalid, ShockKind};

/// Compile a `TechCutoff` named `name` at `at`: every `from` region must be `Foreign`.
pub(super) fn compile(
    kind: &ShockKind,
    name: String,
    at: &str,
    ctx: &Compile,
) -> Result<Cut, Invalid> {
    let ShockKind::TechCutoff {
        from,
        sectors,
        to,
        start_day,
        duration_days,
    } = kind
    else {
        unreachable!("not a TechCutoff: {}", kind.label())
    };
    let resolver = ctx.resolver;
    let from_mask = resolver.regions(from, &format!("{at}: from"))?;
    for (r, selected) in from_mask.iter().enumerate() {
        let kind = resolver.kinds().kind(r);
        if *selected && kind != RegionKind::Foreign {
            return Err(resolver.invalid(
                format!("{at}: from"),
                format!(
                    "region {:?} is {kind:?}: a TechCutoff cuts foreign supply, so every `from` region must be Foreign (use RouteClosure or LinkBlock for domestic links)",
                    resolver.economy().regions[r]
                ),
            ));
        }
    }
    let links = resolver.links(
        &from_mask,
        &resolver.sectors(sectors, &format!("{at}: sectors"))?,
        &resolver.regions(to, &format!("{at}: to"))?,
    );
    Ok(Cut {
        name,
        links,
        start_day: *start_day,
        duration_days: *duration_days,
    })
}
