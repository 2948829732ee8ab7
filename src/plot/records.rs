//! Reading the CSV records written by [`crate::output::write_record`]: a `step` column, then
//! one column per industry labelled `<region>|<sector>`, one line per day.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::PlotError;
use crate::output::layout::RECORD_STEP;
use crate::table;

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
        let table = table::Table::parse(text.as_bytes(), path)?;
        let header = table.header();
        let first = header.first().map_or("", String::as_str);
        if first != RECORD_STEP {
            return Err(malformed(
                1,
                1,
                format!("the header must start with `{RECORD_STEP}`, found {first:?}"),
            ));
        }
        let mut columns: Vec<String> = Vec::new();
        for (index, name) in header.iter().enumerate().skip(1) {
            match name.split_once('|') {
                Some((region, sector)) if !region.is_empty() && !sector.is_empty() => {}
                _ => {
                    return Err(malformed(
                        1,
                        index + 1,
                        format!("column name {name:?} is not `<region>|<sector>`"),
                    ));
                }
            }
            columns.push(name.to_string());
        }
        if columns.is_empty() {
            return Err(malformed(1, 2, "no industry columns after `step`".into()));
        }
        let mut days = Vec::with_capacity(table.rows().len());
        let mut rows = Vec::with_capacity(table.rows().len());
        for row in table.rows() {
            days.push(row.number(0)?);
            rows.push(
                (1..row.len())
                    .map(|index| row.number(index))
                    .collect::<Result<Vec<f64>, _>>()?,
            );
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
