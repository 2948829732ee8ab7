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

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::table;

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

/// Name of the parameters file pymrio writes next to the tables.
const PARAMETERS_FILE: &str = "file_parameters.json";

/// Where a table file is and how it is laid out, from `file_parameters.json`.
struct FileSpec {
    path: PathBuf,
    nr_index_col: usize,
    nr_header: usize,
}

/// One data row of a table.
struct DataRow {
    /// 1-based line number.
    line: usize,
    /// The index (label) cells, `nr_index_col` of them.
    labels: Vec<String>,
}

/// A parsed table: header rows (line number, all fields) and data rows.
struct Parsed {
    headers: Vec<(usize, Vec<String>)>,
    rows: Vec<DataRow>,
    /// The value cells of all rows, row-major (`n_cols` per row), in one allocation so that
    /// a large `Z` is held once.
    values: Vec<f64>,
    nr_index_col: usize,
    n_cols: usize,
}

impl Parsed {
    /// The value cells of data row `i`.
    fn row_values(&self, i: usize) -> &[f64] {
        &self.values[i * self.n_cols..(i + 1) * self.n_cols]
    }

    /// Label cell `j` (0-based value column) of header row `h`, with its line and 1-based field.
    fn column_label(&self, h: usize, j: usize) -> Option<(&str, usize, usize)> {
        let (line, fields) = self.headers.get(h)?;
        let field = self.nr_index_col + j;
        fields.get(field).map(|s| (s.as_str(), *line, field + 1))
    }

    /// Row label `(first, second)` of data row `i`.
    fn row_label(&self, i: usize) -> Option<(&str, &str)> {
        let row = self.rows.get(i)?;
        Some((row.labels.first()?.as_str(), row.labels.get(1)?.as_str()))
    }
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
    let missing_params = format!("missing {PARAMETERS_FILE} (pymrio saved format expected)");
    if !dir.is_dir() {
        let why = if dir.exists() {
            "is not a folder"
        } else {
            "does not exist"
        };
        return Err(MrioError::new(
            &params_path,
            None,
            None,
            format!("{missing_params}; {} {why}", dir.display()),
        ));
    }
    let params_text = read_text(&params_path, &missing_params)?;
    let params: serde_json::Value = serde_json::from_str(&params_text).map_err(|e| {
        MrioError::new(
            &params_path,
            (e.line() > 0).then_some(e.line()),
            (e.column() > 0).then_some(e.column()),
            format!("invalid JSON: {e}"),
        )
    })?;
    let files = params
        .get("files")
        .and_then(|f| f.as_object())
        .ok_or_else(|| {
            MrioError::new(
                &params_path,
                None,
                None,
                "no \"files\" object (pymrio saved format expected)",
            )
        })?;

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

fn no_entry(params_path: &Path, key: &str) -> MrioError {
    MrioError::new(
        params_path,
        None,
        None,
        format!("no entry for {key} under \"files\" ({key} is required)"),
    )
}

fn missing_listed(key: &str) -> String {
    format!("missing file (listed as {key} in {PARAMETERS_FILE})")
}

/// Reads the entry `key` of the `files` object, if present.
fn file_spec(
    dir: &Path,
    params_path: &Path,
    files: &serde_json::Map<String, serde_json::Value>,
    key: &str,
    default_index_cols: usize,
    default_header_rows: usize,
) -> Result<Option<FileSpec>, MrioError> {
    let Some(entry) = files.get(key) else {
        return Ok(None);
    };
    let bad = |what: &str| MrioError::new(params_path, None, None, format!("entry {key}: {what}"));
    let name = entry
        .get("name")
        .and_then(|v| v.as_str())
        .ok_or_else(|| bad("\"name\" must be a string naming the file"))?;
    if name.trim().is_empty() {
        return Err(bad("\"name\" is empty"));
    }
    let count = |field: &str, default: usize| -> Result<usize, MrioError> {
        match entry.get(field) {
            None | Some(serde_json::Value::Null) => Ok(default),
            Some(serde_json::Value::String(s)) => s
                .trim()
                .parse::<usize>()
                .map_err(|_| bad(&format!("\"{field}\" must be a whole number, found {s:?}"))),
            Some(serde_json::Value::Number(num)) => num
                .as_u64()
                .and_then(|v| usize::try_from(v).ok())
                .ok_or_else(|| bad(&format!("\"{field}\" must be a whole number, found {num}"))),
            Some(other) => Err(bad(&format!(
                "\"{field}\" must be a whole number, found {other}"
            ))),
        }
    };
    Ok(Some(FileSpec {
        path: dir.join(name),
        nr_index_col: count("nr_index_col", default_index_cols)?,
        nr_header: count("nr_header", default_header_rows)?,
    }))
}

/// Checks that a file's layout is one this loader supports.
fn require_layout(
    params_path: &Path,
    key: &str,
    spec: &FileSpec,
    index_cols: usize,
    header_rows: Option<usize>,
) -> Result<(), MrioError> {
    if spec.nr_index_col != index_cols {
        return Err(MrioError::new(
            params_path,
            None,
            None,
            format!(
                "entry {key}: unsupported nr_index_col {} (only {index_cols} index columns, \
                 region and sector, are supported)",
                spec.nr_index_col
            ),
        ));
    }
    match header_rows {
        Some(h) if spec.nr_header != h => Err(MrioError::new(
            params_path,
            None,
            None,
            format!(
                "entry {key}: unsupported nr_header {} (only {h} header rows are supported)",
                spec.nr_header
            ),
        )),
        None if spec.nr_header == 0 => Err(MrioError::new(
            params_path,
            None,
            None,
            format!("entry {key}: unsupported nr_header 0 (a header row is expected)"),
        )),
        _ => Ok(()),
    }
}

/// Reads a UTF-8 text file (a leading byte-order mark is dropped).
fn read_text(path: &Path, missing_message: &str) -> Result<String, MrioError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(MrioError::new(path, None, None, missing_message));
        }
        Err(e) => {
            return Err(MrioError::new(
                path,
                None,
                None,
                format!("cannot read: {e}"),
            ));
        }
    };
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..'\u{feff}'.len_utf8());
            }
            Ok(s)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let before = bytes.get(..valid).unwrap_or(bytes);
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            Err(MrioError::new(
                path,
                Some(line),
                None,
                "not valid UTF-8 text",
            ))
        }
    }
}

/// Parses one numeric cell: finite numbers only.
fn parse_cell(text: &str) -> Result<f64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty cell (a number is expected)".to_string());
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_nan() => Err(format!("NaN is not allowed (found {text:?})")),
        Ok(v) if v.is_infinite() => Err(format!("infinite value {text:?} is not allowed")),
        Ok(v) => Ok(v),
        Err(_) => Err(format!("not a number: {text:?}")),
    }
}

/// Data rows parsed per parallel task.
const ROWS_PER_CHUNK: usize = 16;

/// How a table's rows are read.
struct Rows<'a> {
    path: &'a Path,
    /// Fields per row (labels and values).
    width: usize,
    nr_index_col: usize,
    /// `Some(table name)`: negative values are an error.
    nonnegative: Option<&'a str>,
}

impl Rows<'_> {
    /// The fields of a row as text (the file is valid UTF-8, and fields are split at ASCII
    /// bytes); a line break inside a field is an error: these tables have none.
    fn texts<'r>(&self, record: &'r table::Record) -> Result<Vec<&'r str>, MrioError> {
        record
            .fields
            .iter()
            .enumerate()
            .map(|(k, field)| {
                let error = |message: &str| {
                    MrioError::new(self.path, Some(record.line), Some(k + 1), message)
                };
                if field.contains(&b'\n') || field.contains(&b'\r') {
                    return Err(error("line break inside a quoted field"));
                }
                std::str::from_utf8(field).map_err(|_| error("not valid UTF-8 text"))
            })
            .collect()
    }

    /// Parses data row `record` into its labels (returned) and `values` (`width −
    /// nr_index_col` of them). A wrong field count is reported before any bad cell.
    fn parse(&self, record: &table::Record, values: &mut [f64]) -> Result<Vec<String>, MrioError> {
        if record.fields.len() != self.width {
            return Err(wrong_field_count(
                self.path,
                record.line,
                self.width,
                record.fields.len(),
            ));
        }
        let error = |field: usize, msg: String| {
            MrioError::new(self.path, Some(record.line), Some(field), msg)
        };
        let mut labels = Vec::with_capacity(self.nr_index_col);
        for (k, text) in self.texts(record)?.into_iter().enumerate() {
            if k < self.nr_index_col {
                if text.trim().is_empty() {
                    return Err(error(k + 1, "empty row label".to_string()));
                }
                labels.push(text.to_string());
                continue;
            }
            let v = parse_cell(text).map_err(|msg| error(k + 1, msg))?;
            if let Some(name) = self.nonnegative
                && v < 0.0
            {
                return Err(error(
                    k + 1,
                    format!("negative flow {v} in {name} (intermediate flows must be >= 0)"),
                ));
            }
            values[k - self.nr_index_col] = v;
        }
        Ok(labels)
    }
}

/// Parses a table with `nr_index_col` label columns and `nr_header` header rows (tab- or
/// comma-separated, split by the one table reader). With `nonnegative = Some(name)`, negative
/// entries are an error naming the table.
fn parse_table(
    path: &Path,
    text: &str,
    nr_index_col: usize,
    nr_header: usize,
    nonnegative: Option<&str>,
) -> Result<Parsed, MrioError> {
    let records = table::records(text.as_bytes(), table::detect_delimiter(text.as_bytes()))
        .map_err(|(line, field, message)| MrioError::new(path, Some(line), Some(field), message))?;
    if records.is_empty() {
        return Err(MrioError::new(
            path,
            None,
            None,
            "table is empty: the file has no lines",
        ));
    }
    if records.len() < nr_header {
        return Err(MrioError::new(
            path,
            None,
            None,
            format!(
                "table is empty: expected {nr_header} header rows, the file has only {} lines",
                records.len()
            ),
        ));
    }
    let (header_records, rest) = records.split_at(nr_header);
    let mut reader = Rows {
        path,
        width: header_records[0].fields.len(),
        nr_index_col,
        nonnegative,
    };
    let width = reader.width;
    if width <= nr_index_col {
        return Err(MrioError::new(
            path,
            None,
            None,
            format!(
                "table is empty: no value columns (the header has {width} fields, \
                 {nr_index_col} of which are index columns)"
            ),
        ));
    }
    let mut headers = Vec::with_capacity(nr_header);
    for record in header_records {
        if record.fields.len() != width {
            return Err(wrong_field_count(
                path,
                record.line,
                width,
                record.fields.len(),
            ));
        }
        let fields = reader.texts(record)?;
        for (k, cell) in fields.iter().enumerate().skip(nr_index_col) {
            if cell.trim().is_empty() {
                return Err(MrioError::new(
                    path,
                    Some(record.line),
                    Some(k + 1),
                    "empty column label",
                ));
            }
        }
        headers.push((record.line, fields.into_iter().map(String::from).collect()));
    }
    let n_cols = width - nr_index_col;

    let mut rest = rest;
    // With multi-level columns pandas writes the index names on a row of their own, whose
    // value cells are empty.
    if nr_header >= 2
        && let Some((record, after)) = rest.split_first()
    {
        let fields = reader.texts(record)?;
        let values_empty = fields
            .iter()
            .skip(nr_index_col)
            .all(|c| c.trim().is_empty());
        if fields.len() <= width && values_empty {
            rest = after;
        }
    }

    // Data rows in parallel chunks, each writing its own rows of `values`; the first error in
    // file order is reported, whatever the thread count.
    reader.width = width;
    let mut values = vec![0.0; rest.len() * n_cols];
    let reader = &reader;
    let chunks: Vec<Result<Vec<DataRow>, MrioError>> = rest
        .par_chunks(ROWS_PER_CHUNK)
        .zip(values.par_chunks_mut(ROWS_PER_CHUNK * n_cols))
        .map(|(records, values)| {
            records
                .iter()
                .zip(values.chunks_exact_mut(n_cols))
                .map(|(record, values)| {
                    Ok(DataRow {
                        line: record.line,
                        labels: reader.parse(record, values)?,
                    })
                })
                .collect()
        })
        .collect();
    let mut rows = Vec::with_capacity(rest.len());
    for chunk in chunks {
        rows.extend(chunk?);
    }
    if rows.is_empty() {
        return Err(MrioError::new(
            path,
            None,
            None,
            "table is empty: no data rows after the header",
        ));
    }
    Ok(Parsed {
        headers,
        rows,
        values,
        nr_index_col,
        n_cols,
    })
}

fn wrong_field_count(path: &Path, line: usize, expected: usize, found: usize) -> MrioError {
    MrioError::new(
        path,
        Some(line),
        None,
        format!(
            "wrong number of fields: expected {expected} (as in the first header row), found {found}"
        ),
    )
}

/// The first two labels as a `(region, sector)` pair.
fn pair(labels: &[String]) -> (String, String) {
    (
        labels.first().cloned().unwrap_or_default(),
        labels.get(1).cloned().unwrap_or_default(),
    )
}

/// Checks that `table`'s row labels are Z's industries, in order.
fn check_row_labels(
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

/// Third field of the first data row of the unit file, if any; never fails.
fn read_unit(dir: &Path, files: &serde_json::Map<String, serde_json::Value>) -> Option<String> {
    let name = files
        .get("unit")
        .and_then(|e| e.get("name"))
        .and_then(|n| n.as_str())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or("unit.txt");
    let bytes = std::fs::read(dir.join(name)).ok()?;
    let records = table::records(&bytes, table::detect_delimiter(&bytes)).ok()?;
    let unit = std::str::from_utf8(records.get(1)?.fields.get(2)?)
        .ok()?
        .trim();
    (!unit.is_empty()).then(|| unit.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    const PYMRIO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mrio-pymrio");
    const SMALL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mrio-small");
    const BAD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mrio-bad");

    const PARAMS: &str = r#"{"files": {
        "Z": {"name": "Z.txt", "nr_index_col": "2", "nr_header": "2"},
        "Y": {"name": "Y.txt", "nr_index_col": "2", "nr_header": "2"},
        "x": {"name": "x.txt", "nr_index_col": "2", "nr_header": "1"},
        "A": {"name": "A.txt", "nr_index_col": "2", "nr_header": "2"}
    }, "systemtype": "IOSystem"}"#;

    const PARAMS_NO_X: &str = r#"{"files": {
        "Z": {"name": "Z.txt", "nr_index_col": "2", "nr_header": "2"},
        "Y": {"name": "Y.txt", "nr_index_col": "2", "nr_header": "2"}
    }}"#;

    // Line 1..3 are headers, lines 4..7 data rows.
    const Z: &str = "region\t\tnorth\tnorth\tsouth\tsouth
sector\t\tgoods\tservices\tgoods\tservices
region\tsector\t\t\t\t
north\tgoods\t20.0\t10.0\t8.0\t2.0
north\tservices\t15.0\t25.0\t3.0\t7.0
south\tgoods\t6.0\t2.0\t30.0\t12.0
south\tservices\t4.0\t8.0\t10.0\t20.0
";

    const Y: &str = "region\t\tnorth\tnorth\tsouth\tsouth
category\t\thouseholds\tinvestment\thouseholds\tinvestment
region\tsector\t\t\t\t
north\tgoods\t50.0\t20.0\t10.0\t5.0
north\tservices\t80.0\t10.0\t6.0\t4.0
south\tgoods\t12.0\t3.0\t60.0\t25.0
south\tservices\t5.0\t2.0\t70.0\t-15.0
";

    // Line 1 header, lines 2..5 data rows.
    const X: &str = "region\tsector\tindout
north\tgoods\t125.0
north\tservices\t150.0
south\tgoods\t150.0
south\tservices\t104.0
";

    /// A temp folder holding the given files.
    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, text) in files {
            fs::write(dir.path().join(name), text).expect("write fixture file");
        }
        dir
    }

    fn good_files() -> Vec<(&'static str, String)> {
        vec![
            ("file_parameters.json", PARAMS.to_string()),
            ("Z.txt", Z.to_string()),
            ("Y.txt", Y.to_string()),
            ("x.txt", X.to_string()),
        ]
    }

    /// The good table with `file`'s text replaced through `edit`.
    fn with_edit(file: &str, edit: impl Fn(&str) -> String) -> tempfile::TempDir {
        let files: Vec<(&str, String)> = good_files()
            .into_iter()
            .map(|(n, t)| if n == file { (n, edit(&t)) } else { (n, t) })
            .collect();
        let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
        folder(&refs)
    }

    /// The good table with field `field` (1-based) of line `line` (1-based) of `file` set to `value`.
    fn with_cell(file: &str, line: usize, field: usize, value: &str) -> tempfile::TempDir {
        with_edit(file, |text| {
            let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
            let mut fields: Vec<String> = lines[line - 1].split('\t').map(str::to_string).collect();
            fields[field - 1] = value.to_string();
            lines[line - 1] = fields.join("\t");
            lines.join("\n")
        })
    }

    #[track_caller]
    fn expect_err(
        dir: &Path,
        file: &str,
        row: Option<usize>,
        col: Option<usize>,
        fragment: &str,
    ) -> MrioError {
        let err = match load_mrio(dir) {
            Ok(t) => panic!("expected an error, loaded {} industries", t.n_industries()),
            Err(e) => e,
        };
        assert_eq!(err.path, dir.join(file), "path of: {err}");
        assert_eq!((err.row, err.col), (row, col), "position of: {err}");
        assert!(
            err.message.contains(fragment),
            "message {:?} lacks {fragment:?}",
            err.message
        );
        err
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-6 * b.abs().max(f64::MIN_POSITIVE)
    }

    #[test]
    fn loads_pymrio_test_system() {
        let t = load_mrio(Path::new(PYMRIO)).expect("fixture loads");
        assert_eq!(t.n_industries(), 48);
        assert_eq!(t.n_final_demand_columns(), 42);
        assert_eq!(t.industries[0], ("reg1".to_string(), "food".to_string()));
        assert_eq!(t.industries[1], ("reg1".to_string(), "mining".to_string()));
        assert_eq!(
            t.final_demand_columns[0],
            (
                "reg1".to_string(),
                "Final consumption expenditure by households".to_string()
            )
        );
        assert_eq!(t.z.len(), 48 * 48);
        assert_eq!(t.y.len(), 48 * 42);
        assert_eq!(t.z[0], 23697.221);
        assert_eq!(t.unit.as_deref(), Some("Mill USD"));
        assert!(t.z.iter().all(|v| *v >= 0.0));

        // x matches x.txt, read independently.
        let x_text = fs::read_to_string(Path::new(PYMRIO).join("x.txt")).expect("x.txt");
        let given: Vec<f64> = x_text
            .lines()
            .skip(1)
            .filter(|l| !l.is_empty())
            .map(|l| {
                l.split('\t')
                    .nth(2)
                    .expect("3 fields")
                    .parse()
                    .expect("number")
            })
            .collect();
        assert_eq!(given.len(), 48);
        for (i, (g, c)) in given.iter().zip(&t.x).enumerate() {
            assert!(close(*g, *c), "industry {i}: x.txt {g} vs computed {c}");
        }
        // x is computed as pymrio does: a pairwise sum of the row of [Z | Y].
        for i in 0..48 {
            let row: Vec<(usize, f64)> = t.z[i * 48..(i + 1) * 48]
                .iter()
                .chain(&t.y[i * 42..(i + 1) * 42])
                .copied()
                .enumerate()
                .collect();
            assert_eq!(t.x[i], crate::numeric::pairwise_sum(&row, 90));
        }
    }

    #[test]
    fn loads_small_fixture_with_positive_value_added() {
        let t = load_mrio(Path::new(SMALL)).expect("small fixture loads");
        let n = t.n_industries();
        assert_eq!(n, 4);
        assert_eq!(t.n_final_demand_columns(), 4);
        assert_eq!(t.industries[0], ("north".to_string(), "goods".to_string()));
        assert_eq!(
            t.industries[3],
            ("south".to_string(), "services".to_string())
        );
        assert_eq!(t.x, vec![125.0, 150.0, 150.0, 134.0]);
        assert_eq!(t.unit.as_deref(), Some("Mill EUR"));
        for j in 0..n {
            let inputs: f64 = (0..n).map(|i| t.z[i * n + j]).sum();
            assert!(t.x[j] - inputs > 0.0, "value added of industry {j}");
        }
        assert!(t.y.iter().all(|v| *v > 0.0));
    }

    #[test]
    fn loads_inline_table() {
        let dir = with_edit("x.txt", |t| t.to_string());
        let t = load_mrio(dir.path()).expect("loads");
        assert_eq!(t.n_industries(), 4);
        assert_eq!(t.z[1], 10.0);
        assert_eq!(t.z[4 * 3 + 3], 20.0);
        // Negative final demand is allowed.
        assert_eq!(t.y[4 * 3 + 3], -15.0);
        assert_eq!(t.x, vec![125.0, 150.0, 150.0, 104.0]);
        assert_eq!(
            t.final_demand_columns[1],
            ("north".to_string(), "investment".to_string())
        );
        assert_eq!(t.unit, None);
    }

    #[test]
    fn comma_separated_variant_loads() {
        let tabbed = folder(&[
            ("file_parameters.json", PARAMS),
            ("Z.txt", Z),
            ("Y.txt", Y),
            ("x.txt", X),
        ]);
        let comma = |t: &str| t.replace('\t', ",");
        let y_quoted = comma(Y).replace("households", "\"house, holds\"");
        let dir = folder(&[
            ("file_parameters.json", PARAMS),
            ("Z.txt", &comma(Z)),
            ("Y.txt", &y_quoted),
            ("x.txt", &comma(X)),
        ]);
        let a = load_mrio(tabbed.path()).expect("tab loads");
        let b = load_mrio(dir.path()).expect("comma loads");
        assert_eq!(a.z, b.z);
        assert_eq!(a.y, b.y);
        assert_eq!(a.x, b.x);
        assert_eq!(a.industries, b.industries);
        assert_eq!(b.final_demand_columns[0].1, "house, holds");
    }

    #[test]
    fn index_names_row_is_optional_and_crlf_and_blank_lines_are_fine() {
        let drop_third = |t: &str| {
            let mut lines: Vec<&str> = t.split('\n').collect();
            lines.remove(2);
            lines.join("\n")
        };
        let dir = folder(&[
            ("file_parameters.json", PARAMS),
            ("Z.txt", &drop_third(Z).replace('\n', "\r\n")),
            ("Y.txt", &format!("\u{feff}{}\n\n", drop_third(Y))),
            ("x.txt", X),
        ]);
        let t = load_mrio(dir.path()).expect("loads");
        assert_eq!(t.n_industries(), 4);
        assert_eq!(t.x[0], 125.0);
    }

    #[test]
    fn x_is_optional_and_unit_never_fails() {
        let dir = folder(&[
            ("file_parameters.json", PARAMS_NO_X),
            ("Z.txt", Z),
            ("Y.txt", Y),
            ("unit.txt", "region\tsector\tunit\nnorth\tgoods\tMill USD\n"),
        ]);
        let t = load_mrio(dir.path()).expect("loads");
        assert_eq!(t.unit.as_deref(), Some("Mill USD"));
        assert_eq!(t.x[3], 104.0);
        for unit in [
            "",
            "region\tsector\tunit\n",
            "a\tb\n\u{1}\n",
            "x\nonly\ttwo\n",
        ] {
            fs::write(dir.path().join("unit.txt"), unit).expect("write");
            assert_eq!(load_mrio(dir.path()).expect("loads").unit, None);
        }
        fs::write(dir.path().join("unit.txt"), [0xff_u8, 0xfe, 0x00]).expect("write");
        assert_eq!(load_mrio(dir.path()).expect("loads").unit, None);
    }

    #[test]
    fn missing_files() {
        let dir = folder(&[("file_parameters.json", PARAMS), ("Y.txt", Y), ("x.txt", X)]);
        expect_err(dir.path(), "Z.txt", None, None, "missing file");

        let dir = folder(&[("file_parameters.json", PARAMS), ("Z.txt", Z), ("x.txt", X)]);
        expect_err(dir.path(), "Y.txt", None, None, "missing file");

        let dir = folder(&[("file_parameters.json", PARAMS), ("Z.txt", Z), ("Y.txt", Y)]);
        expect_err(dir.path(), "x.txt", None, None, "missing file (listed as x");

        let dir = folder(&[("Z.txt", Z), ("Y.txt", Y)]);
        let e = expect_err(
            dir.path(),
            "file_parameters.json",
            None,
            None,
            "missing file_parameters.json (pymrio saved format expected)",
        );
        assert!(e.to_string().ends_with(
            "file_parameters.json: missing file_parameters.json (pymrio saved format expected)"
        ));

        let gone = dir.path().join("nowhere");
        let e = load_mrio(&gone).expect_err("no folder");
        assert_eq!(e.path, gone.join("file_parameters.json"));
        assert!(e.message.contains("does not exist"));
    }

    #[test]
    fn bad_parameters() {
        let dir = folder(&[("file_parameters.json", "{\"files\": {\n  \"Z\": [}")]);
        let e = load_mrio(dir.path()).expect_err("bad json");
        assert_eq!(e.row, Some(2));
        assert!(e.message.contains("invalid JSON"), "{e}");

        let dir = folder(&[("file_parameters.json", "{\"systemtype\": \"IOSystem\"}")]);
        expect_err(
            dir.path(),
            "file_parameters.json",
            None,
            None,
            "no \"files\"",
        );

        let dir = folder(&[(
            "file_parameters.json",
            PARAMS_NO_X.replace("\"Y\"", "\"W\"").as_str(),
        )]);
        expect_err(
            dir.path(),
            "file_parameters.json",
            None,
            None,
            "no entry for Y",
        );

        let p = PARAMS.replacen("\"nr_index_col\": \"2\"", "\"nr_index_col\": \"1\"", 1);
        let dir = folder(&[("file_parameters.json", &p), ("Z.txt", Z), ("Y.txt", Y)]);
        expect_err(
            dir.path(),
            "file_parameters.json",
            None,
            None,
            "unsupported nr_index_col 1",
        );

        let p = PARAMS.replacen("\"nr_header\": \"2\"", "\"nr_header\": \"x\"", 1);
        let dir = folder(&[("file_parameters.json", &p), ("Z.txt", Z), ("Y.txt", Y)]);
        expect_err(
            dir.path(),
            "file_parameters.json",
            None,
            None,
            "whole number",
        );

        // Numbers instead of strings are accepted.
        let p = PARAMS.replace("\"2\"", "2").replace("\"1\"", "1");
        let dir = folder(&[
            ("file_parameters.json", &p),
            ("Z.txt", Z),
            ("Y.txt", Y),
            ("x.txt", X),
        ]);
        assert!(load_mrio(dir.path()).is_ok());
    }

    #[test]
    fn bad_cells() {
        let dir = with_cell("Z.txt", 5, 4, "abc");
        let e = expect_err(
            dir.path(),
            "Z.txt",
            Some(5),
            Some(4),
            "not a number: \"abc\"",
        );
        assert!(
            e.to_string().ends_with("Z.txt:5:4: not a number: \"abc\""),
            "{e}"
        );

        let dir = with_cell("Z.txt", 6, 3, "NaN");
        expect_err(dir.path(), "Z.txt", Some(6), Some(3), "NaN is not allowed");
        let dir = with_cell("Y.txt", 4, 6, "nan");
        expect_err(dir.path(), "Y.txt", Some(4), Some(6), "NaN is not allowed");
        let dir = with_cell("Y.txt", 4, 3, "inf");
        expect_err(
            dir.path(),
            "Y.txt",
            Some(4),
            Some(3),
            "infinite value \"inf\"",
        );
        let dir = with_cell("Z.txt", 4, 3, "1e400");
        expect_err(dir.path(), "Z.txt", Some(4), Some(3), "infinite value");

        let dir = with_cell("Y.txt", 7, 5, "");
        expect_err(dir.path(), "Y.txt", Some(7), Some(5), "empty cell");
        let dir = with_cell("x.txt", 2, 3, " ");
        expect_err(dir.path(), "x.txt", Some(2), Some(3), "empty cell");

        let dir = with_cell("Z.txt", 4, 5, "-3.0");
        let e = expect_err(
            dir.path(),
            "Z.txt",
            Some(4),
            Some(5),
            "negative flow -3 in Z",
        );
        assert!(e.message.contains("(intermediate flows must be >= 0)"));
        // -0.0 is not negative (the error is then about x, whose row sum changed).
        let dir = with_cell("Z.txt", 4, 6, "-0.0");
        expect_err(dir.path(), "x.txt", Some(2), Some(3), "differs");

        let dir = with_cell("Z.txt", 5, 2, "");
        expect_err(dir.path(), "Z.txt", Some(5), Some(2), "empty row label");

        let dir = with_edit("Z.txt", |t| {
            t.replacen("north\tgoods\t20.0", "\"north\tgoods\t20.0", 1)
        });
        expect_err(
            dir.path(),
            "Z.txt",
            Some(4),
            Some(1),
            "quoted field not closed",
        );
    }

    #[test]
    fn rows_with_the_wrong_number_of_fields() {
        // too few, too many; a bad cell in a row that is also too long: the count is reported
        let dir = with_edit("Z.txt", |t| t.replacen("\t2.0\n", "\n", 1));
        expect_err(
            dir.path(),
            "Z.txt",
            Some(4),
            None,
            "expected 6 (as in the first header row), found 5",
        );
        let dir = with_edit("Z.txt", |t| t.replacen("\t7.0\n", "\t7.0\t1.0\n", 1));
        expect_err(dir.path(), "Z.txt", Some(5), None, "found 7");
        let dir = with_edit("Z.txt", |t| t.replacen("\t7.0\n", "\tabc\t1.0\n", 1));
        expect_err(dir.path(), "Z.txt", Some(5), None, "found 7");
        let dir = with_edit("Z.txt", |t| {
            t.replacen("north\tgoods\t20.0", "\t\tnorth\tgoods\t20.0", 1)
        });
        expect_err(dir.path(), "Z.txt", Some(4), None, "found 8");
    }

    #[test]
    fn the_first_bad_row_in_file_order_is_reported_from_a_table_parsed_in_parallel() {
        // 40 data rows (several parallel chunks), two bad ones: the earlier is reported on any
        // thread count
        let mut z = String::from("region\tsector\ta\n\t\tb\nregion\tsector\t\n");
        for i in 0..40 {
            let cell = match i {
                25 => "oops".to_string(),
                33 => "-1".to_string(),
                _ => format!("{i}.5"),
            };
            z.push_str(&format!("r{i}\ts\t{cell}\n"));
        }
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let err = pool
                .install(|| parse_table(Path::new("Z.txt"), &z, 2, 2, Some("Z")))
                .err()
                .expect("a bad cell");
            assert_eq!((err.row, err.col), (Some(29), Some(3)), "{err}");
            assert!(err.message.contains("not a number: \"oops\""), "{err}");
        }
        let good = z.replace("oops", "1").replace("\t-1\n", "\t2\n");
        let table = parse_table(Path::new("Z.txt"), &good, 2, 2, Some("Z")).unwrap();
        assert_eq!(table.values.len(), 40);
        assert_eq!(table.values[39], 39.5);
        assert_eq!(table.rows[39].line, 43);
    }

    #[test]
    fn label_mismatches() {
        let dir = with_cell("Y.txt", 5, 2, "goods");
        expect_err(
            dir.path(),
            "Y.txt",
            Some(5),
            Some(2),
            "Y row label north|goods differs from Z row label north|services",
        );
        let dir = with_cell("Y.txt", 6, 1, "east");
        expect_err(
            dir.path(),
            "Y.txt",
            Some(6),
            Some(1),
            "Y row label east|goods",
        );

        let dir = with_cell("Z.txt", 1, 4, "south");
        expect_err(
            dir.path(),
            "Z.txt",
            Some(1),
            Some(4),
            "column label south|services differs from row label north|services at the same position",
        );
        let dir = with_cell("Z.txt", 2, 6, "goods");
        expect_err(
            dir.path(),
            "Z.txt",
            Some(2),
            Some(6),
            "column label south|goods differs from row label south|services",
        );
        let dir = with_cell("Z.txt", 2, 6, "");
        expect_err(dir.path(), "Z.txt", Some(2), Some(6), "empty column label");

        let dir = with_cell("x.txt", 4, 2, "mining");
        expect_err(
            dir.path(),
            "x.txt",
            Some(4),
            Some(2),
            "x row label south|mining differs from Z row label south|goods",
        );

        let dir = with_edit("Z.txt", |t| {
            t.replace("south\tgoods", "north\tgoods")
                .replace("north\tnorth\tsouth\tsouth", "north\tnorth\tnorth\tsouth")
        });
        expect_err(
            dir.path(),
            "Z.txt",
            Some(6),
            Some(1),
            "duplicate industry label north|goods (first at line 4)",
        );
    }

    #[test]
    fn row_counts_and_shapes() {
        // Y lacks its last row.
        let dir = with_edit("Y.txt", |t| {
            t.lines().take(6).collect::<Vec<_>>().join("\n")
        });
        expect_err(dir.path(), "Y.txt", None, None, "Y has 3 data rows but Z");
        // Y has an extra row.
        let dir = with_edit("Y.txt", |t| format!("{t}east\tgoods\t1\t1\t1\t1\n"));
        expect_err(dir.path(), "Y.txt", Some(8), None, "Y has 5 data rows");
        // x has an extra row.
        let dir = with_edit("x.txt", |t| format!("{t}east\tgoods\t1\n"));
        expect_err(dir.path(), "x.txt", Some(6), None, "x has 5 data rows");

        // Ragged data row.
        let dir = with_edit("Z.txt", |t| t.replace("\t7.0\n", "\n"));
        expect_err(
            dir.path(),
            "Z.txt",
            Some(5),
            None,
            "expected 6 (as in the first header row), found 5",
        );
        let dir = with_edit("Y.txt", |t| t.replace("\t4.0\n", "\t4.0\t9\n"));
        expect_err(dir.path(), "Y.txt", Some(5), None, "expected 6");
        // Ragged second header row.
        let dir = with_edit("Z.txt", |t| {
            t.replace("\tservices\n", "\tservices\textra\n")
        });
        expect_err(dir.path(), "Z.txt", Some(2), None, "found 7");

        // Not square: a column less everywhere.
        let dir = with_edit("Z.txt", |t| {
            t.lines()
                .map(|l| l.rsplit_once('\t').map_or(l, |(a, _)| a))
                .collect::<Vec<_>>()
                .join("\n")
        });
        expect_err(
            dir.path(),
            "Z.txt",
            None,
            None,
            "Z is not square: 4 industry rows but 3 value columns",
        );
    }

    #[test]
    fn empty_tables() {
        let header_only = |t: &str| t.lines().take(3).collect::<Vec<_>>().join("\n") + "\n";
        let dir = with_edit("Z.txt", header_only);
        expect_err(dir.path(), "Z.txt", None, None, "table is empty");
        let dir = with_edit("Y.txt", header_only);
        expect_err(dir.path(), "Y.txt", None, None, "table is empty");
        let dir = with_edit("Z.txt", |_| String::new());
        expect_err(dir.path(), "Z.txt", None, None, "table is empty");
        let dir = with_edit("Z.txt", |_| "region\t\n".to_string());
        expect_err(dir.path(), "Z.txt", None, None, "table is empty");
        let dir = with_edit("Y.txt", |_| {
            "region\t\nsector\t\nnorth\tgoods\n".to_string()
        });
        expect_err(
            dir.path(),
            "Y.txt",
            None,
            None,
            "table is empty: no value columns",
        );
    }

    #[test]
    fn x_mismatch() {
        let dir = with_cell("x.txt", 3, 3, "151.0");
        let e = expect_err(
            dir.path(),
            "x.txt",
            Some(3),
            Some(3),
            "gross output 151 differs from Z row sum + Y row sum = 150",
        );
        assert!(e.message.contains("exceeds 1e-6"), "{e}");
        // Within the tolerance is fine.
        let dir = with_cell("x.txt", 3, 3, "150.0001");
        assert!(load_mrio(dir.path()).is_ok());
        // x with two value columns.
        let dir = with_edit("x.txt", |t| t.replace('\n', "\t1\n"));
        expect_err(
            dir.path(),
            "x.txt",
            Some(1),
            None,
            "exactly one value column",
        );
    }

    #[test]
    fn not_utf8() {
        let dir = with_edit("Z.txt", |t| t.to_string());
        let mut bytes = Z.as_bytes().to_vec();
        bytes.splice(bytes.len() - 3..bytes.len() - 3, [0xff_u8]);
        fs::write(dir.path().join("Z.txt"), bytes).expect("write");
        expect_err(dir.path(), "Z.txt", Some(7), None, "not valid UTF-8");
    }

    /// The committed corpus under tests/fixtures/mrio-bad, as listed in expected.txt.
    #[test]
    fn committed_bad_corpus() {
        let list = fs::read_to_string(Path::new(BAD).join("expected.txt")).expect("expected.txt");
        let mut cases = 0;
        for line in list.lines().filter(|l| !l.trim().is_empty()) {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 5, "bad line in expected.txt: {line:?}");
            let num = |s: &str| (s != "-").then(|| s.parse::<usize>().expect("number"));
            let dir = Path::new(BAD).join(f[0]);
            let e = load_mrio(&dir).expect_err(f[0]);
            assert_eq!(e.path, dir.join(f[1]), "case {}: {e}", f[0]);
            assert_eq!((e.row, e.col), (num(f[2]), num(f[3])), "case {}: {e}", f[0]);
            assert!(
                e.message.contains(f[4]),
                "case {}: {e} lacks {:?}",
                f[0],
                f[4]
            );
            cases += 1;
        }
        assert!(cases >= 10);
    }

    /// Random damage to a good table never panics.
    #[test]
    fn damaged_tables_do_not_panic() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("file_parameters.json"), PARAMS).expect("write");
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound.max(1) as u64) as usize
        };
        let inserts = ["\t", "\n", "\"", ",", "-", "nan", "\r", "", "x", "1e999"];
        for _ in 0..400 {
            for (name, base) in [("Z.txt", Z), ("Y.txt", Y), ("x.txt", X)] {
                let mut bytes = base.as_bytes().to_vec();
                for _ in 0..next(4) {
                    let at = next(bytes.len() + 1);
                    if next(2) == 0 && at < bytes.len() {
                        bytes.remove(at);
                    } else {
                        let ins = inserts[next(inserts.len())].as_bytes();
                        bytes.splice(at..at, ins.iter().copied());
                    }
                }
                fs::write(dir.path().join(name), bytes).expect("write");
            }
            if let Ok(t) = load_mrio(dir.path()) {
                let n = t.n_industries();
                assert_eq!(t.z.len(), n * n);
                assert_eq!(t.y.len(), n * t.n_final_demand_columns());
                assert_eq!(t.x.len(), n);
            }
        }
    }
}
