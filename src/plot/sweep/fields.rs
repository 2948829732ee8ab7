//! Small readers the sweep's table readers share: a `true`/`false` cell, a file's header as
//! an array of column names, and short names for parameter paths.

use crate::output::layout::TableFile;
use crate::plot::PlotError;
use crate::table::Row;

/// The shortest end of each path (whole components, split at `.`) that no other path ends
/// with: `capacity_share`, unless two backups' shares are swept together.
pub(crate) fn short_names(paths: &[String]) -> Vec<String> {
    let split: Vec<Vec<&str>> = paths.iter().map(|p| p.split('.').collect()).collect();
    let tail = |parts: &[&str], count: usize| parts[parts.len().saturating_sub(count)..].join(".");
    split
        .iter()
        .enumerate()
        .map(|(own, parts)| {
            (1..=parts.len())
                .find(|&count| {
                    let short = tail(parts, count);
                    split
                        .iter()
                        .enumerate()
                        .all(|(other, others)| other == own || tail(others, count) != short)
                })
                .map_or_else(|| paths[own].clone(), |count| tail(parts, count))
        })
        .collect()
}

/// The header of `file` as an array, to name its columns one by one (a name beyond the
/// header is empty, which no column is; the lengths are tested).
pub(crate) fn header_of<const N: usize>(file: &TableFile) -> [&'static str; N] {
    std::array::from_fn(|k| file.header.get(k).copied().unwrap_or(""))
}

/// `true` or `false` in field `index` of `row`.
pub(super) fn boolean(row: &Row, index: usize) -> Result<bool, PlotError> {
    match row.text(index).trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(PlotError::from(
            row.error(index, format!("expected true or false, found {other:?}")),
        )),
    }
}
