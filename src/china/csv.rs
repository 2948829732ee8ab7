//! A small reader for the source CSV files: comma-separated, one header row, fields may be
//! quoted (`""` stands for `"`), `\n` or `\r\n` line ends. Every problem names the file, the
//! 1-based line and the 1-based field.

use std::path::{Path, PathBuf};

use super::ChinaError;

/// One data line of a CSV file.
pub struct CsvRow {
    /// 1-based line number in the file.
    pub line: usize,
    /// The fields, as many as the header has.
    pub fields: Vec<String>,
}

/// A CSV file read whole.
pub struct CsvFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// Header labels.
    pub header: Vec<String>,
    /// Data rows (blank lines are skipped).
    pub rows: Vec<CsvRow>,
}

impl CsvFile {
    /// Read `dir/name`.
    pub fn read(dir: &Path, name: &str) -> Result<CsvFile, ChinaError> {
        let path = dir.join(name);
        let bytes = std::fs::read(&path).map_err(|e| {
            let message = if e.kind() == std::io::ErrorKind::NotFound {
                "missing source file".to_string()
            } else {
                format!("cannot read: {e}")
            };
            ChinaError::source(&path, None, None, message)
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..valid]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            ChinaError::source(&path, Some(line), None, "not valid UTF-8 text")
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let mut header: Option<Vec<String>> = None;
        let mut rows = Vec::new();
        for (index, raw) in text.split('\n').enumerate() {
            let line = index + 1;
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            if raw.trim().is_empty() {
                continue;
            }
            let fields = split(raw).map_err(|(col, message)| {
                ChinaError::source(&path, Some(line), Some(col), message)
            })?;
            match &header {
                None => header = Some(fields),
                Some(h) if fields.len() != h.len() => {
                    return Err(ChinaError::source(
                        &path,
                        Some(line),
                        None,
                        format!(
                            "expected {} fields (as in the header), found {}",
                            h.len(),
                            fields.len()
                        ),
                    ));
                }
                Some(_) => rows.push(CsvRow { line, fields }),
            }
        }
        let header = header
            .ok_or_else(|| ChinaError::source(&path, None, None, "empty file: no header row"))?;
        Ok(CsvFile { path, header, rows })
    }

    /// Index of the column labelled `name`.
    pub fn column(&self, name: &str) -> Result<usize, ChinaError> {
        self.header.iter().position(|h| h == name).ok_or_else(|| {
            ChinaError::source(&self.path, Some(1), None, format!("no column {name:?}"))
        })
    }

    /// An error at a cell.
    pub fn error(&self, row: &CsvRow, col: usize, message: impl Into<String>) -> ChinaError {
        ChinaError::source(&self.path, Some(row.line), Some(col + 1), message)
    }

    /// The text of cell `col` of `row`.
    pub fn text<'a>(&self, row: &'a CsvRow, col: usize) -> &'a str {
        row.fields[col].trim()
    }

    /// Cell `col` of `row` as a finite number.
    pub fn number(&self, row: &CsvRow, col: usize) -> Result<f64, ChinaError> {
        let text = self.text(row, col);
        if text.is_empty() {
            return Err(self.error(row, col, "empty cell (a number is expected)"));
        }
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            Ok(_) => Err(self.error(row, col, format!("{text:?} is not a finite number"))),
            Err(_) => Err(self.error(row, col, format!("not a number: {text:?}"))),
        }
    }

    /// Cell `col` of `row` as a finite number that is not negative.
    pub fn nonnegative(&self, row: &CsvRow, col: usize) -> Result<f64, ChinaError> {
        let v = self.number(row, col)?;
        if v < 0.0 {
            return Err(self.error(row, col, format!("negative value {v} (expected >= 0)")));
        }
        Ok(v)
    }
}

/// Splits one comma-separated line into fields (the MRIO loader's CSV rules: `"` quotes,
/// `""` escapes); on error, the 1-based field and what is wrong.
fn split(line: &str) -> Result<Vec<String>, (usize, String)> {
    crate::economy::split_fields(line, ',')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_and_errors() {
        assert_eq!(
            split(r#"a,"b,c","d""e",,f"#).unwrap(),
            ["a", "b,c", "d\"e", "", "f"]
        );
        assert_eq!(split(r#"a,"b"#).unwrap_err().0, 2);
        assert_eq!(split(r#"a,"b"x,c"#).unwrap_err().0, 2);
    }

    #[test]
    fn cells_name_their_position() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.csv"), "a,b\r\n1,x\r\n\r\n2,-3\r\n").unwrap();
        let file = CsvFile::read(dir.path(), "t.csv").unwrap();
        assert_eq!(file.rows.len(), 2);
        let e = file.number(&file.rows[0], 1).unwrap_err().to_string();
        assert!(e.ends_with("t.csv:2:2: not a number: \"x\""), "{e}");
        let e = file.nonnegative(&file.rows[1], 1).unwrap_err().to_string();
        assert!(
            e.ends_with("t.csv:4:2: negative value -3 (expected >= 0)"),
            "{e}"
        );
        std::fs::write(dir.path().join("r.csv"), "a,b\n1\n").unwrap();
        let e = CsvFile::read(dir.path(), "r.csv")
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.ends_with("r.csv:2: expected 2 fields (as in the header), found 1"),
            "{e}"
        );
    }
}
