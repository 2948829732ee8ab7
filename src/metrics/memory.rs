//! The bytes a run's records and an ensemble's summaries hold, known before the economy is
//! built (the study checks them against the machine's memory: `montecarlo::memory`).

use crate::economy::Size;
use crate::kinds::RecordKind;

/// Bytes of a column label (a `String` and its `region|sector` text).
const PER_LABEL: u64 = 24 + 24;

/// Columns of record `kind` in an economy of `size` with `units` backup units and
/// `reserves` reserves (zero when the record is left out).
fn columns(kind: RecordKind, size: &Size, units: u64, reserves: u64) -> u64 {
    match kind {
        RecordKind::BackupState | RecordKind::BackupOutput => units,
        RecordKind::ReserveStock => reserves,
        RecordKind::FinalDemandUnmet => size.demand_regions.saturating_mul(size.sectors),
        _ => size.industries,
    }
}

/// Bytes the daily records `kinds` of one run over `days` days hold (values and labels),
/// with what the recorder keeps per firm and final-demand entry.
pub fn records_bytes(
    size: &Size,
    kinds: &[RecordKind],
    days: u64,
    units: u64,
    reserves: u64,
) -> u64 {
    let per_column = days.saturating_mul(8).saturating_add(PER_LABEL);
    let records = kinds
        .iter()
        .map(|&kind| columns(kind, size, units, reserves).saturating_mul(per_column))
        .fold(0u64, u64::saturating_add);
    records
        .saturating_add(size.firms.saturating_mul(8))
        .saturating_add(size.final_demand.saturating_mul(4))
}

/// Bytes the [`super::ensemble::RunSummary`] of one run over `days` days holds: the national,
/// regional, sectoral, backup, unmet-demand and reserve series, the loss per industry and the metrics.
pub fn summary_bytes(size: &Size, days: u64) -> u64 {
    let series = 1 + size.regions + size.sectors + 2 + size.demand_regions + 1;
    let vectors = 24 * (size.regions + size.sectors + size.demand_regions + 6);
    series
        .saturating_mul(days)
        .saturating_mul(8)
        .saturating_add(size.industries.saturating_mul(8))
        .saturating_add(vectors)
        .saturating_add(1024)
}
