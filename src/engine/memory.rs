//! The bytes one simulation holds, known from the economy's counts before it is built (the
//! study checks them against the machine's memory: `montecarlo::memory`).

use super::par::BLOCKS_PER_THREAD;
use crate::economy::Size;

/// Per firm: eleven `f64` series (output, α, Δ, capital lost, capacity, demand, rationing
/// total, orders received, production, two capacity ratios) and the supply pair.
const PER_FIRM: u64 = 11 * 8 + 16;
/// Per input: the critical flag, inventory days, stock, received, target, quantity ordered
/// and unserved; with implicit orders the two totals, the slot's input and firm and the
/// packed `(q, T)` pair.
const PER_INPUT: u64 = 1 + 6 * 8 + 2 * 8 + 2 * 4 + 16;
/// Per link: the outstanding order (or the flow in sales order) and the buyer (or slot) of
/// each sale.
const PER_LINK: u64 = 8 + 4;
/// Per link when a shock may block links: the open and passing shares.
const PER_BLOCKABLE_LINK: u64 = 2 * 8;
/// Per final-demand entry: baseline and today's final demand.
const PER_FINAL_DEMAND: u64 = 2 * 8;

/// Bytes a [`super::Simulation`] of an economy of `size` holds on `threads` threads: its
/// state arrays (an upper bound: the implicit-order arrays are counted whether or not the
/// network uses them), the open and passing shares when `link_shocks`, and the dense scratch
/// rows of its parallel blocks on dense networks.
pub fn state_bytes(size: &Size, link_shocks: bool, threads: u64) -> u64 {
    let per_link = PER_LINK + if link_shocks { PER_BLOCKABLE_LINK } else { 0 };
    let dense = size.links.saturating_mul(4)
        >= size
            .firms
            .saturating_mul(size.firms.saturating_add(size.final_demand_columns));
    let rows = if dense {
        let blocks = threads.saturating_mul(BLOCKS_PER_THREAD as u64);
        blocks.saturating_mul(size.firms.saturating_add(size.final_demand_columns)) * 16
    } else {
        0
    };
    PER_FIRM
        .saturating_mul(size.firms)
        .saturating_add(PER_INPUT.saturating_mul(size.inputs))
        .saturating_add(per_link.saturating_mul(size.links))
        .saturating_add(PER_FINAL_DEMAND.saturating_mul(size.final_demand))
        .saturating_add(rows)
}

/// Bytes a [`super::Batch`] of `lanes` runs holds, the runs included: each run's state less
/// the arrays its runs share (flows and slots in sales order: [`PER_LINK`] once), and per
/// firm and input the values the batch's passes read and sum, side by side (lanes rounded up
/// to whole vectors of four), with the links' gates in link and sales order.
pub fn batch_bytes(size: &Size, link_shocks: bool, threads: u64, lanes: u64) -> u64 {
    let width = lanes.div_ceil(4) * 4;
    let per_firm = 5 * 8 * width;
    let per_input = 7 * 8 * width + 8;
    let shared = PER_LINK.saturating_mul(size.links);
    let lane = state_bytes(size, link_shocks, threads).saturating_sub(shared);
    lane.saturating_mul(lanes)
        .saturating_add(shared)
        .saturating_add(size.links.saturating_mul(2))
        .saturating_add(per_firm.saturating_mul(size.firms))
        .saturating_add(per_input.saturating_mul(size.inputs))
}
