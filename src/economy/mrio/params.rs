//! `file_parameters.json`: where pymrio put each table and how it is laid out; reading the
//! text files it names; the unit file.

use std::path::{Path, PathBuf};

use super::MrioError;
use crate::table;

/// Name of the parameters file pymrio writes next to the tables.
pub(super) const PARAMETERS_FILE: &str = "file_parameters.json";

/// Where a table file is and how it is laid out, from `file_parameters.json`.
pub(super) struct FileSpec {
    pub(super) path: PathBuf,
    pub(super) nr_index_col: usize,
    pub(super) nr_header: usize,
}

/// The `files` object of `file_parameters.json` in `dir`.
pub(super) fn read_parameters(
    dir: &Path,
    params_path: &Path,
) -> Result<serde_json::Map<String, serde_json::Value>, MrioError> {
    let missing_params = format!("missing {PARAMETERS_FILE} (pymrio saved format expected)");
    if !dir.is_dir() {
        let why = if dir.exists() {
            "is not a folder"
        } else {
            "does not exist"
        };
        return Err(MrioError::new(
            params_path,
            None,
            None,
            format!("{missing_params}; {} {why}", dir.display()),
        ));
    }
    let params_text = read_text(params_path, &missing_params)?;
    let params: serde_json::Value = serde_json::from_str(&params_text).map_err(|e| {
        MrioError::new(
            params_path,
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
                params_path,
                None,
                None,
                "no \"files\" object (pymrio saved format expected)",
            )
        })?;
    Ok(files.clone())
}

pub(super) fn no_entry(params_path: &Path, key: &str) -> MrioError {
    MrioError::new(
        params_path,
        None,
        None,
        format!("no entry for {key} under \"files\" ({key} is required)"),
    )
}

pub(super) fn missing_listed(key: &str) -> String {
    format!("missing file (listed as {key} in {PARAMETERS_FILE})")
}

/// Reads the entry `key` of the `files` object, if present.
pub(super) fn file_spec(
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
    // a relative name stays inside the folder (an absolute one is an explicit choice)
    if std::path::Path::new(name)
        .components()
        .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Err(bad(&format!(
            "\"name\" {name:?} leaves the MRIO folder: expected a file inside it"
        )));
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
pub(super) fn require_layout(
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
pub(super) fn read_text(path: &Path, missing_message: &str) -> Result<String, MrioError> {
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

/// Third field of the first data row of the unit file, if any; never fails.
/// The unit file `file_parameters.json` names, or `unit.txt`.
fn unit_name(files: &serde_json::Map<String, serde_json::Value>) -> &str {
    files
        .get("unit")
        .and_then(|e| e.get("name"))
        .and_then(|n| n.as_str())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or("unit.txt")
}

pub(super) fn read_unit(
    dir: &Path,
    files: &serde_json::Map<String, serde_json::Value>,
) -> Option<String> {
    let bytes = std::fs::read(dir.join(unit_name(files))).ok()?;
    let records = table::records(&bytes, table::detect_delimiter(&bytes)).ok()?;
    let unit = std::str::from_utf8(records.get(1)?.fields.get(2)?)
        .ok()?
        .trim();
    (!unit.is_empty()).then(|| unit.to_string())
}

/// The files of the MRIO folder `dir` that [`super::load_mrio`] and the input defaults read:
/// `file_parameters.json`, the `Z`, `Y` and (if listed) `x` files it names, the unit file,
/// and `criticality.csv`, `inventory_days.csv`, `regions.csv` where present. For the
/// manifest's checksums; a file that does not exist is left out.
pub fn files_read(dir: &Path) -> Result<Vec<std::path::PathBuf>, MrioError> {
    let params_path = dir.join(PARAMETERS_FILE);
    let files = read_parameters(dir, &params_path)?;
    let mut read = vec![params_path.clone()];
    for (key, index_cols, header_rows) in [("Z", 2, 2), ("Y", 2, 2), ("x", 2, 1)] {
        if let Some(spec) = file_spec(dir, &params_path, &files, key, index_cols, header_rows)? {
            read.push(spec.path);
        }
    }
    read.push(dir.join(unit_name(&files)));
    for name in [
        super::CRITICALITY_FILE,
        super::INVENTORY_DAYS_FILE,
        super::REGIONS_FILE,
    ] {
        read.push(dir.join(name));
    }
    read.retain(|path| path.is_file());
    Ok(read)
}
