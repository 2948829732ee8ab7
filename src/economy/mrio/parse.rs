//! Parsing one table: header rows, the optional row of index names, then data rows split by
//! the one table reader and parsed in parallel chunks.

use std::path::Path;

use rayon::prelude::*;

use super::MrioError;
use crate::table;

/// One data row of a table.
pub(super) struct DataRow {
    /// 1-based line number.
    pub(super) line: usize,
    /// The index (label) cells, `nr_index_col` of them.
    pub(super) labels: Vec<String>,
}

/// A parsed table: header rows (line number, all fields) and data rows.
pub(super) struct Parsed {
    pub(super) headers: Vec<(usize, Vec<String>)>,
    pub(super) rows: Vec<DataRow>,
    /// The value cells of all rows, row-major (`n_cols` per row), in one allocation so that
    /// a large `Z` is held once.
    pub(super) values: Vec<f64>,
    pub(super) nr_index_col: usize,
    pub(super) n_cols: usize,
}

impl Parsed {
    /// The value cells of data row `i`.
    pub(super) fn row_values(&self, i: usize) -> &[f64] {
        &self.values[i * self.n_cols..(i + 1) * self.n_cols]
    }

    /// Label cell `j` (0-based value column) of header row `h`, with its line and 1-based field.
    pub(super) fn column_label(&self, h: usize, j: usize) -> Option<(&str, usize, usize)> {
        let (line, fields) = self.headers.get(h)?;
        let field = self.nr_index_col + j;
        fields.get(field).map(|s| (s.as_str(), *line, field + 1))
    }

    /// Row label `(first, second)` of data row `i`.
    pub(super) fn row_label(&self, i: usize) -> Option<(&str, &str)> {
        let row = self.rows.get(i)?;
        Some((row.labels.first()?.as_str(), row.labels.get(1)?.as_str()))
    }
}

/// Parses one numeric cell: finite numbers only.
pub(super) fn parse_cell(text: &str) -> Result<f64, String> {
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
pub(super) const ROWS_PER_CHUNK: usize = 16;

/// Data rows split before a batch is parsed (about 20 MB of a 3,000-industry `Z`).
const ROWS_PER_BATCH: usize = 256;

/// How a table's rows are read.
pub(super) struct Rows<'a> {
    pub(super) path: &'a Path,
    /// Fields per row (labels and values).
    pub(super) width: usize,
    pub(super) nr_index_col: usize,
    /// `Some(table name)`: negative values are an error.
    pub(super) nonnegative: Option<&'a str>,
}

impl Rows<'_> {
    /// The fields of a row as text (the file is valid UTF-8, and fields are split at ASCII
    /// bytes); a line break inside a field is an error: these tables have none.
    pub(super) fn texts<'r>(&self, record: &'r table::Record) -> Result<Vec<&'r str>, MrioError> {
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
    pub(super) fn parse(
        &self,
        record: &table::Record,
        values: &mut [f64],
    ) -> Result<Vec<String>, MrioError> {
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
pub(super) fn parse_table(
    path: &Path,
    text: &str,
    nr_index_col: usize,
    nr_header: usize,
    nonnegative: Option<&str>,
) -> Result<Parsed, MrioError> {
    let bytes = text.as_bytes();
    let mut records = table::Records::new(bytes, table::detect_delimiter(bytes));
    // rows are split one at a time and parsed in batches: a large table is never held split
    let mut next = || -> Result<Option<table::Record>, MrioError> {
        records
            .next()
            .transpose()
            .map_err(|(line, field, message)| {
                MrioError::new(path, Some(line), Some(field), message)
            })
    };
    let mut header_records = Vec::with_capacity(nr_header);
    while header_records.len() < nr_header {
        match next()? {
            Some(record) => header_records.push(record),
            None if header_records.is_empty() => {
                return Err(MrioError::new(
                    path,
                    None,
                    None,
                    "table is empty: the file has no lines",
                ));
            }
            None => {
                return Err(MrioError::new(
                    path,
                    None,
                    None,
                    format!(
                        "table is empty: expected {nr_header} header rows, the file has only {} lines",
                        header_records.len()
                    ),
                ));
            }
        }
    }
    let reader = Rows {
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
    for record in &header_records {
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

    let mut first = next()?;
    // With multi-level columns pandas writes the index names on a row of their own, whose
    // value cells are empty.
    if nr_header >= 2
        && let Some(record) = &first
    {
        let fields = reader.texts(record)?;
        let values_empty = fields
            .iter()
            .skip(nr_index_col)
            .all(|c| c.trim().is_empty());
        if fields.len() <= width && values_empty {
            first = next()?;
        }
    }

    // Data rows in batches, each batch parsed in parallel chunks writing their own rows of
    // `values`; the first error in file order is reported, whatever the thread count.
    let lines = memchr::memchr_iter(b'\n', bytes).count() + 1;
    let mut values = Vec::with_capacity(lines.saturating_sub(nr_header) * n_cols);
    let mut rows = Vec::new();
    let mut batch: Vec<table::Record> = Vec::with_capacity(ROWS_PER_BATCH);
    let mut pending = first;
    while let Some(record) = pending {
        batch.push(record);
        pending = next()?;
        if batch.len() < ROWS_PER_BATCH && pending.is_some() {
            continue;
        }
        let start = values.len();
        values.resize(start + batch.len() * n_cols, 0.0);
        let chunks: Vec<Result<Vec<DataRow>, MrioError>> = batch
            .par_chunks(ROWS_PER_CHUNK)
            .zip(values[start..].par_chunks_mut(ROWS_PER_CHUNK * n_cols))
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
        for chunk in chunks {
            rows.extend(chunk?);
        }
        batch.clear();
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

pub(super) fn wrong_field_count(
    path: &Path,
    line: usize,
    expected: usize,
    found: usize,
) -> MrioError {
    MrioError::new(
        path,
        Some(line),
        None,
        format!(
            "wrong number of fields: expected {expected} (as in the first header row), found {found}"
        ),
    )
}
