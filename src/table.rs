//! The one table reader and writer: CSV (and pymrio's tab-separated text) on the `csv`
//! crate, with every error naming the file, the line and the field as a text editor counts
//! them (from 1).
//!
//! - **Writing** ([`Writer`]): fields are quoted only when they hold the delimiter, a quote or a
//!   line break (RFC 4180: a quote inside is doubled); lines end with `\n`; numbers are written
//!   in shortest round-trip form ([`number`]).
//! - **Reading** ([`records`], [`Table`]): quoted fields, `\n` or `\r\n` line ends, a leading
//!   byte-order mark and blank lines are accepted; blank lines are skipped but counted, so a
//!   line number is the file's. A [`Table`] has a header row and finds its columns by name.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A table that cannot be read: the file, and the line and field where the problem is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct TableError {
    /// The file at fault.
    pub path: PathBuf,
    /// 1-based line, if the problem is at a line.
    pub line: Option<usize>,
    /// 1-based field in the line, if the problem is at a cell.
    pub column: Option<usize>,
    /// What is wrong, what was expected.
    pub message: String,
}

impl TableError {
    /// An error in `path` at `line` and `column` (either may be unknown).
    pub fn new(
        path: &Path,
        line: Option<usize>,
        column: Option<usize>,
        message: impl Into<String>,
    ) -> TableError {
        TableError {
            path: path.to_path_buf(),
            line,
            column,
            message: message.into(),
        }
    }

    fn render(&self) -> String {
        let path = self.path.display();
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{path}:{line}:{column}: {}", self.message),
            (Some(line), None) => format!("{path}:{line}: {}", self.message),
            _ => format!("{path}: {}", self.message),
        }
    }
}

/// A number in shortest round-trip form: plain digits for ordinary magnitudes, exponent form
/// for very small or large ones (both parse back to the same `f64`).
///
/// ```
/// use hinterland::table::number;
/// assert_eq!(number(0.1), "0.1");
/// assert_eq!(number(65895.91632091436), "65895.91632091436");
/// assert_eq!(number(2.5e-12), "2.5e-12");
/// assert_eq!(number(1.0), "1");
/// ```
pub fn number(value: f64) -> String {
    let magnitude = value.abs();
    if value == 0.0 || !value.is_finite() || (1e-5..1e16).contains(&magnitude) {
        format!("{value}")
    } else {
        format!("{value:e}")
    }
}

/// An optional number: empty when there is none.
pub fn optional(value: Option<f64>) -> String {
    value.map_or(String::new(), number)
}

/// A CSV writer: comma-separated, fields quoted only when needed, `\n` line ends.
pub struct Writer<W: Write>(csv::Writer<W>);

impl<W: Write> Writer<W> {
    /// A writer into `out`.
    pub fn new(out: W) -> Writer<W> {
        Writer(
            csv::WriterBuilder::new()
                .quote_style(csv::QuoteStyle::Necessary)
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(out),
        )
    }

    /// A tab-separated writer into `out` (pymrio's text tables).
    pub fn tab_separated(out: W) -> Writer<W> {
        Writer(
            csv::WriterBuilder::new()
                .delimiter(b'\t')
                .quote_style(csv::QuoteStyle::Necessary)
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(out),
        )
    }

    /// Write one row.
    pub fn row<I, T>(&mut self, fields: I) -> io::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.0.write_record(fields).map_err(io::Error::from)
    }

    /// Write what is buffered; call it once at the end (a writer dropped unflushed loses its
    /// error).
    pub fn finish(mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// One row of a table file as split: its 1-based line and its fields.
#[derive(Debug, Clone)]
pub struct Record {
    /// The line the row starts on.
    pub line: usize,
    /// Its fields, as bytes.
    pub fields: csv::ByteRecord,
}

/// Split `bytes` into rows of fields at `delimiter` (a leading byte-order mark and blank
/// lines are skipped; quoted fields may hold the delimiter, quotes doubled, line breaks).
/// `Err((line, field, message))` for a quoted field that is never closed.
pub fn records(bytes: &[u8], delimiter: u8) -> Result<Vec<Record>, (usize, usize, String)> {
    Records::new(bytes, delimiter).collect()
}

/// The rows of a table, one at a time, so that a large table is never held split whole (see
/// [`records`]).
pub struct Records<'a> {
    text: &'a [u8],
    reader: csv::Reader<&'a [u8]>,
    /// Byte offset and line (from 1) reached so far.
    at: usize,
    line: usize,
    delimiter: u8,
    /// Quoting checked (on the first row asked for).
    started: bool,
    /// A quoting error was returned: no row follows.
    done: bool,
}

impl<'a> Records<'a> {
    /// The rows of `bytes` split at `delimiter`.
    pub fn new(bytes: &'a [u8], delimiter: u8) -> Records<'a> {
        let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        Records {
            text,
            reader: csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .has_headers(false)
                .flexible(true)
                .from_reader(text),
            at: 0,
            line: 1,
            delimiter,
            started: false,
            done: false,
        }
    }

    /// The next row as split, with its line.
    fn read(&mut self) -> Option<Record> {
        let mut fields = csv::ByteRecord::new();
        // reading from memory with flexible rows cannot fail
        if !self.reader.read_byte_record(&mut fields).unwrap_or(false) {
            return None;
        }
        // the csv crate skips blank lines without counting them: count from the byte offsets
        let start = fields.position().map_or(self.at, |p| p.byte() as usize);
        self.line += memchr::memchr_iter(b'\n', &self.text[self.at.min(start)..start]).count();
        self.at = start;
        while let Some(&b) = self.text.get(self.at)
            && (b == b'\n' || b == b'\r')
        {
            self.line += usize::from(b == b'\n');
            self.at += 1;
        }
        Some(Record {
            line: self.line,
            fields,
        })
    }
}

impl Iterator for Records<'_> {
    type Item = Result<Record, (usize, usize, String)>;

    fn next(&mut self) -> Option<Self::Item> {
        if !self.started {
            self.started = true;
            if let Err(err) = check_quotes(self.text, self.delimiter) {
                self.done = true;
                return Some(Err(err));
            }
        }
        if self.done {
            return None;
        }
        Some(Ok(self.read()?))
    }
}

/// Quoting as RFC 4180 has it, which the `csv` crate does not enforce: a quoted field is
/// closed, and nothing but a delimiter or a line end follows its closing quote. `Err((line,
/// field, message))` at the first field that breaks it. Files without quotes cost one search.
fn check_quotes(text: &[u8], delimiter: u8) -> Result<(), (usize, usize, String)> {
    if memchr::memchr(b'"', text).is_none() {
        return Ok(());
    }
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        AfterQuote,
    }
    let (mut line, mut field) = (1usize, 1usize);
    let mut opened = (1usize, 1usize);
    let mut state = State::FieldStart;
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        match state {
            State::FieldStart | State::Unquoted if b == delimiter => {
                field += 1;
                state = State::FieldStart;
            }
            State::FieldStart | State::Unquoted | State::AfterQuote if b == b'\n' => {
                line += 1;
                field = 1;
                state = State::FieldStart;
            }
            State::FieldStart | State::Unquoted | State::AfterQuote if b == b'\r' => {}
            State::FieldStart if b == b'"' => {
                opened = (line, field);
                state = State::Quoted;
            }
            State::FieldStart | State::Unquoted => state = State::Unquoted,
            State::Quoted if b == b'"' => {
                if text.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    state = State::AfterQuote;
                }
            }
            State::Quoted => line += usize::from(b == b'\n'),
            State::AfterQuote if b == delimiter => {
                field += 1;
                state = State::FieldStart;
            }
            State::AfterQuote => {
                return Err((
                    line,
                    field,
                    "text after the closing quote of a quoted field".into(),
                ));
            }
        }
        i += 1;
    }
    match state {
        State::Quoted => Err((opened.0, opened.1, "quoted field not closed".into())),
        _ => Ok(()),
    }
}

/// The delimiter of a table: tab, unless its first non-blank line has no tab but has commas.
pub fn detect_delimiter(bytes: &[u8]) -> u8 {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let first = bytes
        .split(|&b| b == b'\n')
        .find(|line| !line.trim_ascii().is_empty())
        .unwrap_or_default();
    if !first.contains(&b'\t') && first.contains(&b',') {
        b','
    } else {
        b'\t'
    }
}

/// Read a file whole; a missing file and other failures become errors naming it.
pub fn read_file(path: &Path, missing: &str) -> Result<Vec<u8>, TableError> {
    std::fs::read(path).map_err(|e| {
        let message = if e.kind() == io::ErrorKind::NotFound {
            missing.to_string()
        } else {
            format!("cannot read: {e}")
        };
        TableError::new(path, None, None, message)
    })
}

/// A comma-separated file with a header row, read whole: its columns are found by name.
#[derive(Debug, Clone)]
pub struct Table {
    path: Arc<Path>,
    header: Vec<String>,
    rows: Vec<Row>,
}

/// One data row of a [`Table`], as long as the header.
#[derive(Debug, Clone)]
pub struct Row {
    path: Arc<Path>,
    line: usize,
    /// The fields' text end to end, and where each field ends (two allocations of the
    /// row's size, not one per field: a large table is held compactly).
    text: Box<str>,
    ends: Box<[u32]>,
}

impl Table {
    /// Read and parse `path` (missing: the error says `missing`).
    pub fn read(path: &Path, missing: &str) -> Result<Table, TableError> {
        Table::parse(&read_file(path, missing)?, path)
    }

    /// Parse `bytes`; `path` only names the file in errors. Lines that are blank or hold only
    /// spaces are skipped; every other row must have as many fields as the header.
    pub fn parse(bytes: &[u8], path: &Path) -> Result<Table, TableError> {
        let shared: Arc<Path> = Arc::from(path);
        let mut header: Option<Vec<String>> = None;
        let mut rows = Vec::new();
        for record in Records::new(bytes, b',') {
            let record = record.map_err(|(line, column, message)| {
                TableError::new(path, Some(line), Some(column), message)
            })?;
            if record.fields.len() == 1 && record.fields[0].trim_ascii().is_empty() {
                continue;
            }
            let mut text = String::with_capacity(record.fields.as_slice().len());
            let mut ends = Vec::with_capacity(record.fields.len());
            for (k, field) in record.fields.iter().enumerate() {
                let field = std::str::from_utf8(field).map_err(|_| {
                    TableError::new(path, Some(record.line), Some(k + 1), "not valid UTF-8 text")
                })?;
                text.push_str(field);
                ends.push(u32::try_from(text.len()).map_err(|_| {
                    TableError::new(
                        path,
                        Some(record.line),
                        Some(k + 1),
                        "row longer than 4 GiB",
                    )
                })?);
            }
            let fields: Vec<&str> = (0..ends.len())
                .map(|k| &text[if k == 0 { 0 } else { ends[k - 1] as usize }..ends[k] as usize])
                .collect();
            match &header {
                None => {
                    for (k, name) in fields.iter().enumerate() {
                        if fields[..k].contains(name) {
                            return Err(TableError::new(
                                path,
                                Some(record.line),
                                Some(k + 1),
                                format!("duplicate column {name:?}"),
                            ));
                        }
                    }
                    header = Some(fields.iter().map(|f| f.to_string()).collect());
                }
                Some(names) if fields.len() != names.len() => {
                    return Err(TableError::new(
                        path,
                        Some(record.line),
                        Some(fields.len().min(names.len()) + 1),
                        format!(
                            "expected {} fields like the header, found {}",
                            names.len(),
                            fields.len()
                        ),
                    ));
                }
                Some(_) => rows.push(Row {
                    path: shared.clone(),
                    line: record.line,
                    text: text.into_boxed_str(),
                    ends: ends.into_boxed_slice(),
                }),
            }
        }
        let header = header
            .ok_or_else(|| TableError::new(path, Some(1), Some(1), "empty file: no header row"))?;
        Ok(Table {
            path: shared,
            header,
            rows,
        })
    }

    /// The file, for messages.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The header's names.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The data rows.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// The index of column `name`.
    pub fn column(&self, name: &str) -> Result<usize, TableError> {
        self.header.iter().position(|c| c == name).ok_or_else(|| {
            TableError::new(
                &self.path,
                Some(1),
                Some(self.header.len() + 1),
                format!("no column `{name}`"),
            )
        })
    }

    /// The index of each of `names`, in the same order. Other columns are allowed (and
    /// ignored), so that a file with more columns can still be read.
    pub fn columns<const N: usize>(&self, names: [&str; N]) -> Result<[usize; N], TableError> {
        let mut indices = [0; N];
        for (slot, name) in indices.iter_mut().zip(names) {
            *slot = self.column(name).map_err(|mut err| {
                err.message = format!("no column `{name}`; the header needs `{}`", names.join(","));
                err
            })?;
        }
        Ok(indices)
    }
}

impl Row {
    /// The line the row starts on.
    pub fn line(&self) -> usize {
        self.line
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the row has no field.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The text of field `index`, as written.
    pub fn text(&self, index: usize) -> &str {
        match self.ends.get(index) {
            Some(&end) => {
                let start = if index == 0 { 0 } else { self.ends[index - 1] };
                &self.text[start as usize..end as usize]
            }
            None => "",
        }
    }

    /// A non-empty text field.
    pub fn name(&self, index: usize) -> Result<&str, TableError> {
        let text = self.text(index);
        if text.trim().is_empty() {
            Err(self.error(index, "empty field, expected a name"))
        } else {
            Ok(text)
        }
    }

    /// A finite number, or `None` for an empty field or `NaN` (the writers' "no value").
    pub fn optional_number(&self, index: usize) -> Result<Option<f64>, TableError> {
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
    pub fn number(&self, index: usize) -> Result<f64, TableError> {
        self.optional_number(index)?.ok_or_else(|| {
            let text = self.text(index);
            if text.trim().is_empty() {
                self.error(index, "empty cell, expected a number")
            } else {
                self.error(index, format!("expected a number, found {text:?}"))
            }
        })
    }

    /// A finite number `≥ 0`.
    pub fn nonnegative(&self, index: usize) -> Result<f64, TableError> {
        let value = self.number(index)?;
        if value < 0.0 {
            return Err(self.error(index, format!("negative value {value} (expected >= 0)")));
        }
        Ok(value)
    }

    /// A count: a whole number, zero or more.
    pub fn count(&self, index: usize) -> Result<usize, TableError> {
        let text = self.text(index).trim();
        text.parse::<usize>()
            .map_err(|_| self.error(index, format!("expected a whole number, found {text:?}")))
    }

    /// An error about field `index` of this row.
    pub fn error(&self, index: usize, message: impl Into<String>) -> TableError {
        TableError::new(&self.path, Some(self.line), Some(index + 1), message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(rows: &[&[&str]]) -> String {
        let mut out = Vec::new();
        let mut writer = Writer::new(&mut out);
        for row in rows {
            writer.row(*row).unwrap();
        }
        writer.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn fields_are_quoted_only_when_needed_and_read_back_unchanged() {
        let names = [
            "plain",
            "other, n.e.c.",
            "say \"hi\"",
            "two\nlines",
            "café|x",
        ];
        let text = write(&[
            &["name", "value"],
            &[names[0], "1"],
            &[names[1], "2"],
            &[names[2], "3"],
            &[names[3], "4"],
            &[names[4], "5"],
        ]);
        assert_eq!(
            text,
            "name,value\nplain,1\n\"other, n.e.c.\",2\n\"say \"\"hi\"\"\",3\n\"two\nlines\",4\ncafé|x,5\n"
        );
        let table = Table::parse(text.as_bytes(), Path::new("t.csv")).unwrap();
        let back: Vec<&str> = table.rows().iter().map(|r| r.text(0)).collect();
        assert_eq!(back, names);
        // the row after the two-line field starts on line 6
        assert_eq!(table.rows()[4].line(), 7);
    }

    #[test]
    fn blank_lines_are_skipped_but_counted() {
        let text = "\u{feff}a,b\r\n\r\n1,2\n  \n\n3,x\n";
        let table = Table::parse(text.as_bytes(), Path::new("t.csv")).unwrap();
        let lines: Vec<usize> = table.rows().iter().map(Row::line).collect();
        assert_eq!(lines, [3, 6]);
        let err = table.rows()[1].number(1).unwrap_err();
        assert_eq!(err.to_string(), "t.csv:6:2: not a number: \"x\"");
        let rows = records(b"x\n\n\ny\tz\n", b'\t').unwrap();
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 4]);
    }

    #[test]
    fn errors_point_at_the_field() {
        let parse = |text: &str| Table::parse(text.as_bytes(), Path::new("f.csv"));
        assert_eq!(
            parse("a,b\n1,2,3\n").unwrap_err().to_string(),
            "f.csv:2:3: expected 2 fields like the header, found 3"
        );
        assert_eq!(
            parse("a,a\n").unwrap_err().to_string(),
            "f.csv:1:2: duplicate column \"a\""
        );
        assert_eq!(
            parse("").unwrap_err().to_string(),
            "f.csv:1:1: empty file: no header row"
        );
        let table = parse("a,b\n1,\n").unwrap();
        assert_eq!(
            table.columns(["b", "c"]).unwrap_err().to_string(),
            "f.csv:1:3: no column `c`; the header needs `b,c`"
        );
        let row = &table.rows()[0];
        assert_eq!(row.optional_number(1), Ok(None));
        assert!(
            row.number(1)
                .unwrap_err()
                .to_string()
                .contains("empty cell, expected a number")
        );
        assert_eq!(
            Table::parse(b"a\n\xff\n", Path::new("u.csv"))
                .unwrap_err()
                .to_string(),
            "u.csv:2:1: not valid UTF-8 text"
        );
    }

    #[test]
    fn an_unclosed_quote_is_an_error_at_its_field() {
        let err = Table::parse(b"a,b\n0,\"x,1\n2,3\n", Path::new("q.csv")).unwrap_err();
        assert_eq!(err.to_string(), "q.csv:2:2: quoted field not closed");
        // a closed field with a line break in the last row is fine
        let table = Table::parse(b"a,b\n0,\"x\ny\"\n", Path::new("q.csv")).unwrap();
        assert_eq!(table.rows()[0].text(1), "x\ny");
        let error = |text: &[u8]| {
            Table::parse(text, Path::new("q.csv"))
                .unwrap_err()
                .to_string()
        };
        // on the last line without a line end; after a legitimate two-line field; closed by a
        // later quote, which would swallow a row
        assert_eq!(error(b"a,b\n0,\"x"), "q.csv:2:2: quoted field not closed");
        assert_eq!(
            error(b"a,b\n\"p\nq\",\"x\n"),
            "q.csv:3:2: quoted field not closed"
        );
        assert_eq!(
            error(b"a,b\n1,\"x\n2,\"y\"\n"),
            "q.csv:3:2: text after the closing quote of a quoted field"
        );
        assert_eq!(
            error(b"a,b\n\"a\"b,1\n"),
            "q.csv:2:1: text after the closing quote of a quoted field"
        );
        // doubled quotes, and a quote inside an unquoted field, are fine
        let table = Table::parse(b"a,b\n\"say \"\"hi\"\"\",x\"y\n", Path::new("q.csv")).unwrap();
        assert_eq!(table.rows()[0].text(0), "say \"hi\"");
        assert_eq!(table.rows()[0].text(1), "x\"y");
    }

    #[test]
    fn delimiters_are_detected_from_the_first_line() {
        assert_eq!(detect_delimiter(b"a\tb,c\n1,2"), b'\t');
        assert_eq!(detect_delimiter(b"a,b\n1\t2"), b',');
        assert_eq!(detect_delimiter(b"a\n1,2"), b'\t');
        assert_eq!(detect_delimiter(b"\n\r\na,b\n"), b',');
    }
}
