//! Reading the ensemble CSV files: RFC 4180 fields (quoted when they hold a comma, a quote or
//! a line break, as [`crate::output`] writes them), columns found by their header name, and
//! every error pointing at the file, line and field.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::PlotError;

/// One field of a CSV file and the line it starts on (from 1).
#[derive(Debug, Clone, PartialEq)]
struct Field {
    text: String,
    line: usize,
}

/// One line of a CSV file (more than one when a quoted field holds a line break).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    fields: Vec<Field>,
    path: PathBuf,
}

/// A CSV file read whole: the data rows, every one as long as the header.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Csv {
    /// The file, for messages.
    pub path: PathBuf,
    /// The data rows, after the header.
    pub rows: Vec<Row>,
    /// The header's names.
    header: Vec<String>,
}

impl Csv {
    /// Parse `text`; `path` only names the file in errors. `expected` is the header the
    /// writer writes, quoted in the message about an empty file.
    pub fn parse(text: &str, path: &Path, expected: &str) -> Result<Csv, PlotError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut rows = split_rows(text, path)?.into_iter();
        let Some(header) = rows.next() else {
            return Err(malformed(
                path,
                1,
                1,
                format!("empty file, expected a header `{expected}`"),
            ));
        };
        // Only asked whether a name was seen, never iterated, so its order cannot matter.
        let mut seen = HashSet::new();
        for (index, field) in header.fields.iter().enumerate() {
            if !seen.insert(field.text.as_str()) {
                return Err(header.error(index, format!("duplicate column {:?}", field.text)));
            }
        }
        let header_names: Vec<String> = header.fields.into_iter().map(|f| f.text).collect();
        let mut data = Vec::new();
        for row in rows {
            let found = row.fields.len();
            let wanted = header_names.len();
            if found != wanted {
                // Point at the first missing field, or at the first one too many.
                let index = found.min(wanted);
                let line = row
                    .fields
                    .get(index)
                    .or(row.fields.last())
                    .map_or(1, |field| field.line);
                return Err(malformed(
                    path,
                    line,
                    index + 1,
                    format!("expected {wanted} fields like the header, found {found}"),
                ));
            }
            data.push(row);
        }
        Ok(Csv {
            path: path.to_path_buf(),
            rows: data,
            header: header_names,
        })
    }

    /// The index of each of `names` in the header, in the same order. Other columns are
    /// allowed (and ignored), so that a file with more columns can still be read.
    pub fn columns<const N: usize>(&self, names: [&str; N]) -> Result<[usize; N], PlotError> {
        let mut indices = [0; N];
        for (slot, name) in indices.iter_mut().zip(names) {
            let Some(index) = self.header.iter().position(|column| column == name) else {
                return Err(malformed(
                    &self.path,
                    1,
                    self.header.len() + 1,
                    format!("no column `{name}`; the header needs `{}`", names.join(",")),
                ));
            };
            *slot = index;
        }
        Ok(indices)
    }
}

impl Row {
    /// The text of field `index` (checked against the header when the file was parsed).
    pub fn text(&self, index: usize) -> &str {
        self.fields
            .get(index)
            .map_or("", |field| field.text.as_str())
    }

    /// A non-empty text field.
    pub fn name(&self, index: usize) -> Result<&str, PlotError> {
        let text = self.text(index);
        if text.is_empty() {
            Err(self.error(index, "empty field, expected a name".into()))
        } else {
            Ok(text)
        }
    }

    /// A number; `None` for an empty field or `NaN`, which the writers use for "no value".
    pub fn optional_number(&self, index: usize) -> Result<Option<f64>, PlotError> {
        let text = self.text(index).trim();
        if text.is_empty() {
            return Ok(None);
        }
        match text.parse::<f64>() {
            Ok(value) if value.is_nan() => Ok(None),
            Ok(value) if value.is_finite() => Ok(Some(value)),
            Ok(_) => Err(self.error(index, format!("not a finite number: {text:?}"))),
            Err(_) => Err(self.error(index, format!("not a number: {text:?}"))),
        }
    }

    /// A finite number that must be there.
    pub fn number(&self, index: usize) -> Result<f64, PlotError> {
        self.optional_number(index)?.ok_or_else(|| {
            self.error(
                index,
                format!("expected a number, found {:?}", self.text(index)),
            )
        })
    }

    /// A count: a whole number, zero or more.
    pub fn count(&self, index: usize) -> Result<usize, PlotError> {
        let text = self.text(index).trim();
        text.parse::<usize>().map_err(|_| {
            self.error(
                index,
                format!("expected a whole number of runs, found {text:?}"),
            )
        })
    }

    /// An error about field `index` of this row.
    pub fn error(&self, index: usize, message: String) -> PlotError {
        let line = self
            .fields
            .get(index)
            .or(self.fields.last())
            .map_or(1, |field| field.line);
        malformed(&self.path, line, index + 1, message)
    }
}

fn malformed(path: &Path, line: usize, column: usize, message: String) -> PlotError {
    PlotError::Malformed {
        path: path.to_path_buf(),
        line,
        column,
        message,
    }
}

/// Split `text` into rows of fields. A line break ends a row unless it is inside quotes;
/// `\r\n` counts as one line break; the last line needs no line break.
fn split_rows(text: &str, path: &Path) -> Result<Vec<Row>, PlotError> {
    let mut rows = Vec::new();
    let mut fields: Vec<Field> = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut field_line = 1;
    let mut chars = text.chars().peekable();
    let mut at_field_start = true;
    loop {
        let Some(c) = chars.next() else {
            // A final line break ends the last row; text after it starts one more.
            if !at_field_start || !fields.is_empty() || !field.is_empty() {
                fields.push(Field {
                    text: field,
                    line: field_line,
                });
                rows.push(Row {
                    fields,
                    path: path.to_path_buf(),
                });
            }
            return Ok(rows);
        };
        if at_field_start && c == '"' {
            let quote_line = line;
            loop {
                match chars.next() {
                    None => {
                        return Err(malformed(
                            path,
                            quote_line,
                            fields.len() + 1,
                            "quoted field not closed before the end of the file".into(),
                        ));
                    }
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(other) => {
                        if other == '\n' {
                            line += 1;
                        }
                        field.push(other);
                    }
                }
            }
            match chars.peek() {
                None | Some(',' | '\n' | '\r') => {}
                Some(_) => {
                    return Err(malformed(
                        path,
                        line,
                        fields.len() + 1,
                        "text after the closing quote of a field".into(),
                    ));
                }
            }
            at_field_start = false;
            continue;
        }
        match c {
            ',' => {
                fields.push(Field {
                    text: std::mem::take(&mut field),
                    line: field_line,
                });
                field_line = line;
                at_field_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                fields.push(Field {
                    text: std::mem::take(&mut field),
                    line: field_line,
                });
                rows.push(Row {
                    fields: std::mem::take(&mut fields),
                    path: path.to_path_buf(),
                });
                line += 1;
                field_line = line;
                at_field_start = true;
            }
            other => {
                field.push(other);
                at_field_start = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Csv, PlotError> {
        Csv::parse(text, Path::new("x.csv"), "a,b")
    }

    #[test]
    fn quoted_fields_and_line_breaks() {
        let csv = parse("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",3\n").unwrap();
        assert_eq!(csv.rows.len(), 2);
        assert_eq!(csv.rows[0].text(0), "x, y");
        assert_eq!(csv.rows[0].text(1), "say \"hi\"");
        assert_eq!(csv.rows[1].text(0), "two\nlines");
        // The number starts on line 4, after the line break inside the quotes.
        let error = csv.rows[1].error(1, "bad".into()).to_string();
        assert_eq!(error, "x.csv:4:2: bad");
    }

    #[test]
    fn errors_point_at_the_field() {
        let error = |text: &str| parse(text).unwrap_err().to_string();
        assert_eq!(error(""), "x.csv:1:1: empty file, expected a header `a,b`");
        assert_eq!(error("a,a\n"), "x.csv:1:2: duplicate column \"a\"");
        assert_eq!(
            error("a,b\n1,2,3\n"),
            "x.csv:2:3: expected 2 fields like the header, found 3"
        );
        assert_eq!(
            error("a,b\n1,2\n\n"),
            "x.csv:3:2: expected 2 fields like the header, found 1"
        );
        assert_eq!(
            error("a,b\n1,\"2\n"),
            "x.csv:2:2: quoted field not closed before the end of the file"
        );
        assert_eq!(
            error("a,b\n\"1\"x,2\n"),
            "x.csv:2:1: text after the closing quote of a field"
        );
        let csv = parse("a,b\n1,x\n").unwrap();
        assert_eq!(
            csv.columns(["b", "c"]).unwrap_err().to_string(),
            "x.csv:1:3: no column `c`; the header needs `b,c`"
        );
        assert_eq!(csv.columns(["b", "a"]).unwrap(), [1, 0]);
        let row = &csv.rows[0];
        assert_eq!(row.number(0).unwrap(), 1.0);
        assert_eq!(
            row.number(1).unwrap_err().to_string(),
            "x.csv:2:2: not a number: \"x\""
        );
    }

    #[test]
    fn empty_and_nan_are_no_value() {
        let csv = parse("a,b\n,NaN\ninf,-1.5e3\n").unwrap();
        assert_eq!(csv.rows[0].optional_number(0).unwrap(), None);
        assert_eq!(csv.rows[0].optional_number(1).unwrap(), None);
        assert!(csv.rows[1].optional_number(0).is_err());
        assert_eq!(csv.rows[1].number(1).unwrap(), -1500.0);
        assert_eq!(
            csv.rows[0].number(0).unwrap_err().to_string(),
            "x.csv:2:1: expected a number, found \"\""
        );
        assert_eq!(
            csv.rows[1].count(1).unwrap_err().to_string(),
            "x.csv:3:2: expected a whole number of runs, found \"-1.5e3\""
        );
    }
}
