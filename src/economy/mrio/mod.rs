//! Loader for pymrio's saved text format (`file_parameters.json`, `Z`, `Y`, optional `x`).
//!
//! A folder written by pymrio's `save()` holds a `file_parameters.json` that names the table
//! files and tells how many index columns and header rows each has:
//!
//! ```text
//! {"files": {"Z": {"name": "Z.txt", "nr_index_col": "2", "nr_header": "2"}, ...}}
//! ```
//!
//! `Z` and `Y` are pandas frames written with `to_csv(sep="\t")`: two header rows holding the
//! column labels (`region` then `sector` for `Z`, `region` then `category` for `Y`), a row with
//! the index names (`region<TAB>sector<TAB><TAB>...`, optional here), then one data row per
//! industry: `region<TAB>sector<TAB>value...`. `x` (optional) has one header row
//! (`region<TAB>sector<TAB>indout`) and one row per industry. Comma-separated files are accepted
//! when the first line has no tab but has commas; fields may be quoted the CSV way. Lines are
//! split by the one table reader ([`crate::table`]). Blank lines are skipped (as pandas does)
//! but still counted in line numbers.
//!
//! Every problem is reported as an [`MrioError`] naming the file, the 1-based line and the
//! 1-based field as split by the separator.

#[cfg(test)]
mod damage_tests;
mod inputs;
mod labels;
mod params;
mod parse;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use labels::{check_row_labels, pair};
use params::{
    PARAMETERS_FILE, file_spec, missing_listed, no_entry, read_parameters, read_text, read_unit,
    require_layout,
};
use parse::parse_table;

pub use inputs::{
    CRITICALITY_FILE, INVENTORY_DAYS_FILE, InputDefaults, REGIONS_FILE, read_criticality,
    read_input_defaults, read_inventory_days, read_region_kinds,
};
pub use params::files_read;

/// A multi-regional input-output table as read from disk, in the file's own order.
#[derive(Debug, Clone, PartialEq)]
pub struct MrioTable {
    /// `(region, sector)` label of each industry (rows and columns of `Z`, rows of `Y`), file order.
    pub industries: Vec<(String, String)>,
    /// `(region, category)` label of each final-demand column of `Y`, file order.
    pub final_demand_columns: Vec<(String, String)>,
    /// Annual intermediate flows, `n × n`, row-major, rows = supplying industry.
    pub z: Vec<f64>,
    /// Annual final demand, `n × m`, row-major, rows = supplying industry.
    pub y: Vec<f64>,
    /// Annual gross output `x = Z·1 + Y·1`, `n`.
    pub x: Vec<f64>,
    /// Money unit as read from `unit.txt` if present (e.g. "Mill USD"), for documentation only.
    pub unit: Option<String>,
}

/// What is wrong with an MRIO folder, naming file, row and column (1-based, as a text editor counts).
#[derive(Debug, thiserror::Error)]
#[error("{}", self.render())]
pub struct MrioError {
    /// The file at fault.
    pub path: PathBuf,
    /// 1-based line in the file, if the problem is at a line.
    pub row: Option<usize>,
    /// 1-based field (column) in the line, if the problem is at a cell.
    pub col: Option<usize>,
    /// What is wrong, what was expected.
    pub message: String,
}

impl MrioError {
    fn render(&self) -> String {
        match (self.row, self.col) {
            (Some(r), Some(c)) => format!("{}:{}:{}: {}", self.path.display(), r, c, self.message),
            (Some(r), None) => format!("{}:{}: {}", self.path.display(), r, self.message),
            _ => format!("{}: {}", self.path.display(), self.message),
        }
    }

    fn new(
        path: &Path,
        row: Option<usize>,
        col: Option<usize>,
        message: impl Into<String>,
    ) -> MrioError {
        MrioError {
            path: path.to_path_buf(),
            row,
            col,
            message: message.into(),
        }
    }
}

impl MrioTable {
    /// Number of industries `n`.
    pub fn n_industries(&self) -> usize {
        self.industries.len()
    }
    /// Number of final-demand columns `m`.
    pub fn n_final_demand_columns(&self) -> usize {
        self.final_demand_columns.len()
    }
}

/// Relative tolerance used when checking a given `x` file against `Z·1 + Y·1`:
/// a value passes when `|given − computed| ≤ X_RELATIVE_TOLERANCE · max(|computed|, tiny)`.
pub const X_RELATIVE_TOLERANCE: f64 = 1e-6;

/// Parse one table's text as the loader parses `Z` (two index columns, `nr_header` header
/// rows): the number of data rows, or the error. For the fuzz targets.
#[doc(hidden)]
pub fn parse_table_text(text: &str, nr_header: usize) -> Result<usize, MrioError> {
    parse_table(Path::new("Z.txt"), text, 2, nr_header, Some("Z")).map(|t| t.rows.len())
}

/// Load an MRIO folder in pymrio's saved format.
///
/// Reads `file_parameters.json`, then `Z` and `Y` (required) and `x` (optional, checked against
/// `Z·1 + Y·1` with relative tolerance [`X_RELATIVE_TOLERANCE`]), and `unit.txt` if present.
/// Labels of `Z` rows, `Z` columns and `Y` rows must agree position by position; `Z` must be
/// square, without duplicate industries and without negative entries; all cells must be finite
/// numbers. `Y` may hold negative entries (inventory changes).
pub fn load_mrio(dir: &Path) -> Result<MrioTable, MrioError> {
    let params_path = dir.join(PARAMETERS_FILE);
    let files = read_parameters(dir, &params_path)?;
    let files = &files;

    let z_spec = file_spec(dir, &params_path, files, "Z", 2, 2)?
        .ok_or_else(|| no_entry(&params_path, "Z"))?;
    let y_spec = file_spec(dir, &params_path, files, "Y", 2, 2)?
        .ok_or_else(|| no_entry(&params_path, "Y"))?;
    let x_spec = file_spec(dir, &params_path, files, "x", 2, 1)?;

    require_layout(&params_path, "Z", &z_spec, 2, Some(2))?;
    require_layout(&params_path, "Y", &y_spec, 2, Some(2))?;
    if let Some(spec) = &x_spec {
        require_layout(&params_path, "x", spec, 2, None)?;
    }

    // Z.
    let z_text = read_text(&z_spec.path, &missing_listed("Z"))?;
    let z_table = parse_table(&z_spec.path, &z_text, 2, z_spec.nr_header, Some("Z"))?;
    drop(z_text);
    let n = z_table.rows.len();
    if z_table.n_cols != n {
        return Err(MrioError::new(
            &z_spec.path,
            None,
            None,
            format!(
                "Z is not square: {n} industry rows but {} value columns",
                z_table.n_cols
            ),
        ));
    }
    let mut industries: Vec<(String, String)> = Vec::with_capacity(n);
    let mut seen: HashMap<(String, String), usize> = HashMap::with_capacity(n);
    for row in &z_table.rows {
        let label = pair(&row.labels);
        for (field, name) in [(1, &label.0), (2, &label.1)] {
            if let Some(message) = unwritable(name) {
                return Err(MrioError::new(
                    &z_spec.path,
                    Some(row.line),
                    Some(field),
                    message,
                ));
            }
        }
        if let Some(first) = seen.get(&label) {
            return Err(MrioError::new(
                &z_spec.path,
                Some(row.line),
                Some(1),
                format!(
                    "duplicate industry label {}|{} (first at line {first})",
                    label.0, label.1
                ),
            ));
        }
        seen.insert(label.clone(), row.line);
        industries.push(label);
    }
    for (j, (region, sector)) in industries.iter().enumerate() {
        let top = z_table.column_label(0, j);
        let bottom = z_table.column_label(1, j);
        if let (Some((c_region, l0, f0)), Some((c_sector, l1, f1))) = (top, bottom) {
            let at = if c_region != region {
                Some((l0, f0))
            } else if c_sector != sector {
                Some((l1, f1))
            } else {
                None
            };
            if let Some((line, field)) = at {
                return Err(MrioError::new(
                    &z_spec.path,
                    Some(line),
                    Some(field),
                    format!(
                        "column label {c_region}|{c_sector} differs from row label \
                         {region}|{sector} at the same position"
                    ),
                ));
            }
        }
    }

    // Y.
    let y_text = read_text(&y_spec.path, &missing_listed("Y"))?;
    let y_table = parse_table(&y_spec.path, &y_text, 2, y_spec.nr_header, None)?;
    drop(y_text);
    check_row_labels(&y_spec.path, "Y", &y_table, &industries, &z_spec.path)?;
    let m = y_table.n_cols;
    for j in 0..m {
        if let Some((region, line, field)) = y_table.column_label(0, j)
            && let Some(message) = unwritable(region)
        {
            return Err(MrioError::new(
                &y_spec.path,
                Some(line),
                Some(field),
                message,
            ));
        }
    }
    let mut final_demand_columns = Vec::with_capacity(m);
    for j in 0..m {
        let region = y_table.column_label(0, j).map(|c| c.0).unwrap_or_default();
        let category = y_table.column_label(1, j).map(|c| c.0).unwrap_or_default();
        final_demand_columns.push((region.to_string(), category.to_string()));
    }

    // Flows, and x computed from them.
    let mut x = Vec::with_capacity(n);
    let mut row_terms: Vec<(usize, f64)> = Vec::with_capacity(n + m);
    for (i, z_row) in z_table.rows.iter().enumerate() {
        // pymrio's calc_x: np.sum(np.hstack((Z, Y)), 1), numpy's pairwise order, file order.
        row_terms.clear();
        row_terms.extend(
            z_table
                .row_values(i)
                .iter()
                .chain(y_table.row_values(i))
                .copied()
                .enumerate(),
        );
        let total = crate::numeric::pairwise_sum(&row_terms, row_terms.len());
        if !total.is_finite() {
            return Err(MrioError::new(
                &z_spec.path,
                Some(z_row.line),
                None,
                "gross output (sum of the Z row plus the Y row) is not finite: the sums overflow",
            ));
        }
        x.push(total);
    }
    let (z, y) = (z_table.values, y_table.values);

    // Optional x, checked against the computed one.
    if let Some(spec) = &x_spec {
        let x_text = read_text(&spec.path, &missing_listed("x"))?;
        let x_table = parse_table(&spec.path, &x_text, 2, spec.nr_header, None)?;
        if x_table.n_cols != 1 {
            let line = x_table.headers.first().map(|h| h.0);
            return Err(MrioError::new(
                &spec.path,
                line,
                None,
                format!(
                    "x must have exactly one value column (indout), found {}",
                    x_table.n_cols
                ),
            ));
        }
        check_row_labels(&spec.path, "x", &x_table, &industries, &z_spec.path)?;
        for (i, (row, &computed)) in x_table.rows.iter().zip(&x).enumerate() {
            let Some(&given) = x_table.row_values(i).first() else {
                continue;
            };
            let scale = computed.abs().max(f64::MIN_POSITIVE);
            let diff = (given - computed).abs();
            if diff > X_RELATIVE_TOLERANCE * scale {
                return Err(MrioError::new(
                    &spec.path,
                    Some(row.line),
                    Some(x_table.nr_index_col + 1),
                    format!(
                        "gross output {given} differs from Z row sum + Y row sum = {computed} \
                         (relative difference {:.3e} exceeds {X_RELATIVE_TOLERANCE:e})",
                        diff / scale
                    ),
                ));
            }
        }
    }

    let unit = read_unit(dir, files);

    Ok(MrioTable {
        industries,
        final_demand_columns,
        z,
        y,
        x,
        unit,
    })
}

/// Why a region, sector or final-demand region name cannot label the outputs, if it cannot:
/// `|` separates region and sector in every label (`region|sector`), and control characters
/// break charts and the report.
fn unwritable(name: &str) -> Option<String> {
    if name.contains('|') {
        Some(format!(
            "label {name:?} holds '|', which separates region and sector in the outputs: rename it"
        ))
    } else if name.chars().any(char::is_control) {
        Some(format!(
            "label {name:?} holds a control character: rename it"
        ))
    } else {
        None
    }
}
