//! Reading the CSV records written by [`crate::output::write_record`]: a `step` column, then
//! one column per industry labelled `<region>|<sector>`, one line per day.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::PlotError;

/// One record read back: its columns and one row of values per day.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    /// The file it was read from, for messages.
    pub path: PathBuf,
    /// Column labels after `step`, each `<region>|<sector>`.
    pub columns: Vec<String>,
    /// The `step` value (day) of each row.
    pub days: Vec<f64>,
    /// `rows[day][column]`, every row as long as `columns`.
    pub rows: Vec<Vec<f64>>,
}

impl Table {
    /// Read `dir/records/<name>.csv`; `Ok(None)` if the run did not write that record.
    pub fn read_optional(dir: &Path, name: &str) -> Result<Option<Table>, PlotError> {
        let path = dir.join("records").join(format!("{name}.csv"));
        match fs::read_to_string(&path) {
            Ok(text) => Table::parse(&text, &path).map(Some),
            Err(source) if source.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(PlotError::Io { path, source }),
        }
    }

    /// Parse the text of a record; `path` only names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Table, PlotError> {
        let malformed = |line: usize, column: usize, message: String| PlotError::Malformed {
            path: path.to_path_buf(),
            line,
            column,
            message,
        };
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(index, line)| (index + 1, line));
        let Some((_, header)) = lines.next() else {
            return Err(malformed(
                1,
                1,
                "empty file, expected a header `step,...`".into(),
            ));
        };
        let mut names = header.split(',');
        let first = names.next().unwrap_or_default();
        if first != "step" {
            return Err(malformed(
                1,
                1,
                format!("the header must start with `step`, found {first:?}"),
            ));
        }
        let mut columns: Vec<String> = Vec::new();
        // Only asked whether a name was seen, never iterated, so its order cannot matter.
        let mut seen = HashSet::new();
        for (index, name) in names.enumerate() {
            let column = index + 2;
            match name.split_once('|') {
                Some((region, sector)) if !region.is_empty() && !sector.is_empty() => {}
                _ => {
                    return Err(malformed(
                        1,
                        column,
                        format!("column name {name:?} is not `<region>|<sector>`"),
                    ));
                }
            }
            if !seen.insert(name) {
                return Err(malformed(1, column, format!("duplicate column {name:?}")));
            }
            columns.push(name.to_string());
        }
        if columns.is_empty() {
            return Err(malformed(1, 2, "no industry columns after `step`".into()));
        }

        let mut days = Vec::new();
        let mut rows = Vec::new();
        for (line_number, line) in lines {
            let fields: Vec<&str> = line.split(',').collect();
            let expected = columns.len() + 1;
            if fields.len() != expected {
                // Point at the first missing field, or at the first one too many.
                return Err(malformed(
                    line_number,
                    fields.len().min(expected) + 1,
                    format!(
                        "expected {expected} fields like the header, found {}",
                        fields.len()
                    ),
                ));
            }
            let field = |index: usize| {
                parse_number(fields[index])
                    .map_err(|message| malformed(line_number, index + 1, message))
            };
            days.push(field(0)?);
            let row = (1..expected)
                .map(field)
                .collect::<Result<Vec<f64>, PlotError>>()?;
            rows.push(row);
        }
        if rows.is_empty() {
            return Err(malformed(2, 1, "no data lines after the header".into()));
        }
        Ok(Table {
            path: path.to_path_buf(),
            columns,
            days,
            rows,
        })
    }

    /// The regions in the order of their first column, each with the indices of its columns.
    pub fn regions(&self) -> Vec<(String, Vec<usize>)> {
        let mut regions: Vec<(String, Vec<usize>)> = Vec::new();
        for (index, column) in self.columns.iter().enumerate() {
            let region = region_of(column);
            match regions.iter_mut().find(|(name, _)| name == region) {
                Some((_, indices)) => indices.push(index),
                None => regions.push((region.to_string(), vec![index])),
            }
        }
        regions
    }

    /// The sum of the given columns on every day.
    pub fn sum_columns(&self, indices: &[usize]) -> Vec<f64> {
        self.rows
            .iter()
            .map(|row| indices.iter().map(|&index| row[index]).sum())
            .collect()
    }
}

/// The region of a column label `<region>|<sector>` (checked when the table was parsed).
fn region_of(column: &str) -> &str {
    column.split_once('|').map_or(column, |(region, _)| region)
}

fn parse_number(field: &str) -> Result<f64, String> {
    match field.trim().parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        Ok(_) => Err(format!("not a finite number: {field:?}")),
        Err(_) => Err(format!("not a number: {field:?}")),
    }
}
