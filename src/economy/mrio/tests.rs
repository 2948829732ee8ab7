//! The loader on good tables, damaged ones and the committed corpus of bad folders.

use super::*;
use std::fs;

const PYMRIO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mrio-pymrio");
const SMALL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mrio-small");
pub(super) const BAD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mrio-bad");

pub(super) const PARAMS: &str = r#"{"files": {
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
pub(super) const Z: &str = "region\t\tnorth\tnorth\tsouth\tsouth
sector\t\tgoods\tservices\tgoods\tservices
region\tsector\t\t\t\t
north\tgoods\t20.0\t10.0\t8.0\t2.0
north\tservices\t15.0\t25.0\t3.0\t7.0
south\tgoods\t6.0\t2.0\t30.0\t12.0
south\tservices\t4.0\t8.0\t10.0\t20.0
";

pub(super) const Y: &str = "region\t\tnorth\tnorth\tsouth\tsouth
category\t\thouseholds\tinvestment\thouseholds\tinvestment
region\tsector\t\t\t\t
north\tgoods\t50.0\t20.0\t10.0\t5.0
north\tservices\t80.0\t10.0\t6.0\t4.0
south\tgoods\t12.0\t3.0\t60.0\t25.0
south\tservices\t5.0\t2.0\t70.0\t-15.0
";

// Line 1 header, lines 2..5 data rows.
pub(super) const X: &str = "region\tsector\tindout
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

    // a table named outside the folder
    let dir = folder(&[(
        "file_parameters.json",
        PARAMS_NO_X
            .replace("\"Z.txt\"", "\"../elsewhere/Z.txt\"")
            .as_str(),
    )]);
    expect_err(
        dir.path(),
        "file_parameters.json",
        None,
        None,
        "\"../elsewhere/Z.txt\" leaves the MRIO folder",
    );

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
    // a '|' in a name would make the outputs' `region|sector` labels ambiguous
    let dir = with_edit("Z.txt", |t| t.replace("goods", "go|ods"));
    expect_err(dir.path(), "Z.txt", Some(4), Some(2), "holds '|'");
    let dir = with_edit("Y.txt", |t| t.replacen("north", "no|rth", 1));
    expect_err(dir.path(), "Y.txt", Some(1), Some(3), "holds '|'");
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
