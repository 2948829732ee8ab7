//! Labels: rows of `Y` and `x` must name `Z`'s industries in the same order.

use std::path::Path;

use super::MrioError;
use super::parse::Parsed;

/// The first two labels as a `(region, sector)` pair.
pub(super) fn pair(labels: &[String]) -> (String, String) {
    (
        labels.first().cloned().unwrap_or_default(),
        labels.get(1).cloned().unwrap_or_default(),
    )
}

/// Checks that `table`'s row labels are Z's industries, in order.
pub(super) fn check_row_labels(
    path: &Path,
    name: &str,
    table: &Parsed,
    industries: &[(String, String)],
    z_path: &Path,
) -> Result<(), MrioError> {
    for (i, (region, sector)) in industries.iter().enumerate() {
        let Some((r, s)) = table.row_label(i) else {
            break;
        };
        let field = if r != region {
            1
        } else if s != sector {
            2
        } else {
            continue;
        };
        let line = table.rows.get(i).map(|row| row.line);
        return Err(MrioError::new(
            path,
            line,
            Some(field),
            format!("{name} row label {r}|{s} differs from Z row label {region}|{sector}"),
        ));
    }
    let (k, n) = (table.rows.len(), industries.len());
    if k > n {
        let line = table.rows.get(n).map(|row| row.line);
        return Err(MrioError::new(
            path,
            line,
            None,
            format!(
                "{name} has {k} data rows but Z ({}) has {n}: one row per industry expected",
                z_path.display()
            ),
        ));
    }
    if k < n {
        return Err(MrioError::new(
            path,
            None,
            None,
            format!(
                "{name} has {k} data rows but Z ({}) has {n}: one row per industry expected",
                z_path.display()
            ),
        ));
    }
    Ok(())
}
