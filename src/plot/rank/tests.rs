use std::fs;
use std::path::Path;

use super::bars::{self, Split, TOP, critical};
use super::input::{Kind, RankOutput};
use super::magnitude;
use super::*;
use crate::output::layout::{LOSS_BY_MAGNITUDE, MANIFEST, RANKING, TableFile};
use crate::plot::sweep::fields::header_of;

/// Four outages (the last without a simulated loss; the second with a negative indirect
/// loss, the third without a direct one), then two cut-offs.
const OUTAGES: [&str; 4] = [
    "outage,1,north,chips,1,3,300,1,2,0.8,40,5,0.4,2,0.1,5,3,12",
    "outage,2,south,steel,1,2.5,250,3,-0.5,0.9,20,4,0.3,0,0,1,1,1",
    "outage,3,east,food,1,1,100,,,0.95,10,3,0.2,1,0.05,2,4,2",
    "outage,4,west,power,1,,,,,,,1,0.1,0,0,3,2,3",
];
const CUTOFFS: [&str; 2] = [
    "cutoff,1,row,oil,1,4,400,0.5,3.5,0.7,60,2,0.5,3,0.2,2,1,1",
    "cutoff,2,eu,machines,1,0.2,20,0.1,0.1,0.99,5,6,0.1,0,0,1,2,2",
];
/// Two industries' curves; south · steel has no loss at 50 %.
const CURVES: [&str; 6] = [
    "1,north,chips,0.25,0.5,50,0.25,0.25,0.97,20",
    "1,north,chips,0.5,1.2,120,0.5,0.7,0.9,30",
    "1,north,chips,1,3,300,1,2,0.8,40",
    "2,south,steel,0.25,0.4,40,0.75,-0.35,0.98,10",
    "2,south,steel,0.5,,,,,,",
    "2,south,steel,1,2.5,250,3,-0.5,0.9,20",
];

/// `file`'s text: its header from the layout, then `rows`.
fn table(file: &TableFile, rows: &[&str]) -> String {
    let mut text = file.header.join(",") + "\n";
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text
}

/// A ranking directory in `dir` of the scenario "demo", with `ranking` rows and, if given,
/// `loss_by_magnitude.csv`.
fn write_dir(dir: &Path, ranking: &[&str], curves: Option<&[&str]>) {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join(MANIFEST), r#"{"name": "demo", "runs": 1}"#).unwrap();
    fs::write(dir.join(RANKING.name), table(&RANKING, ranking)).unwrap();
    if let Some(curves) = curves {
        fs::write(
            dir.join(LOSS_BY_MAGNITUDE.name),
            table(&LOSS_BY_MAGNITUDE, curves),
        )
        .unwrap();
    }
}

/// Every fake row: outages, then cut-offs.
fn all_rows() -> Vec<&'static str> {
    OUTAGES.iter().chain(&CUTOFFS).copied().collect()
}

/// `plots/<chart>.png` and `.svg` of every chart.
fn expected_files(charts: &[&str]) -> Vec<String> {
    charts
        .iter()
        .flat_map(|chart| [format!("plots/{chart}.png"), format!("plots/{chart}.svg")])
        .collect()
}

#[test]
fn outage_bars_are_in_rank_order_split_into_direct_and_indirect() {
    let temp = tempfile::tempdir().unwrap();
    write_dir(temp.path(), &all_rows(), None);
    let output = RankOutput::read(temp.path()).unwrap();
    let chart = critical(&output, Kind::Outage).unwrap().unwrap();
    let drawn = bars::bars(&chart);
    // west · power has no simulated loss: left out
    assert_eq!(
        drawn,
        [
            (
                "north \u{b7} chips",
                3.0,
                Split::Parts {
                    direct: 1.0,
                    indirect: 2.0
                },
                "reach #3 \u{b7} strength #5 \u{b7} sole #12"
            ),
            (
                "south \u{b7} steel",
                2.5,
                Split::NegativeIndirect,
                "reach #1 \u{b7} strength #1 \u{b7} sole #1 \u{b7} indirect < 0"
            ),
            (
                "east \u{b7} food",
                1.0,
                Split::Unknown,
                "reach #4 \u{b7} strength #2 \u{b7} sole #2"
            ),
        ]
    );
    for (label, total, split, _) in drawn {
        if let Split::Parts { direct, indirect } = split {
            assert!((direct + indirect - total).abs() < 1e-12, "{label}");
        }
    }
    let (caption, subtitle) = bars::titles(&chart);
    assert_eq!(
        caption,
        "demo: critical industries \u{2014} national value-added loss of a standard outage \
         at 100 % of capacity"
    );
    assert!(
        subtitle.starts_with("the 3 largest of 4 outages;"),
        "{subtitle}"
    );
    // cut-offs have their own chart, with their own split
    let chart = critical(&output, Kind::Cutoff).unwrap().unwrap();
    let drawn = bars::bars(&chart);
    let labels: Vec<&str> = drawn.iter().map(|bar| bar.0).collect();
    assert_eq!(labels, ["row \u{b7} oil", "eu \u{b7} machines"]);
    assert_eq!(
        drawn[0].2,
        Split::Parts {
            direct: 0.5,
            indirect: 3.5
        }
    );
    assert!(bars::titles(&chart).0.starts_with("demo: critical imports"));
}

#[test]
fn only_the_top_fifteen_are_drawn() {
    let rows: Vec<String> = (1..=20)
        .map(|rank| {
            let loss = 100.0 / f64::from(rank);
            format!("outage,{rank},r{rank},s,0.5,{loss},{loss},,,0.9,10,1,1,0,0,1,1,1")
        })
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let temp = tempfile::tempdir().unwrap();
    write_dir(temp.path(), &rows, None);
    let output = RankOutput::read(temp.path()).unwrap();
    let chart = critical(&output, Kind::Outage).unwrap().unwrap();
    let drawn = bars::bars(&chart);
    assert_eq!(drawn.len(), TOP);
    for (k, (label, total, _, _)) in drawn.iter().enumerate() {
        let rank = k + 1;
        assert_eq!(*label, format!("r{rank} \u{b7} s"));
        assert_eq!(*total, 100.0 / rank as f64);
    }
    let (caption, subtitle) = bars::titles(&chart);
    assert!(caption.ends_with("a standard outage at 50 % of capacity"));
    assert!(subtitle.starts_with("the 15 largest of 20 outages"));
}

#[test]
fn the_cutoff_chart_is_drawn_only_with_cutoff_rows() {
    let temp = tempfile::tempdir().unwrap();
    let with = temp.path().join("with");
    write_dir(&with, &all_rows(), Some(&CURVES));
    assert_eq!(
        draw_rank(&with).unwrap(),
        expected_files(&["critical_outages", "critical_cutoffs", "loss_by_magnitude"])
    );
    let without = temp.path().join("without");
    write_dir(&without, &OUTAGES, Some(&CURVES));
    let output = RankOutput::read(&without).unwrap();
    assert!(critical(&output, Kind::Cutoff).unwrap().is_none());
    assert_eq!(
        draw_rank(&without).unwrap(),
        expected_files(&["critical_outages", "loss_by_magnitude"])
    );
    assert!(!without.join("plots/critical_cutoffs.png").exists());
    // no curves without the file, or with a file of no rows
    let bare = temp.path().join("bare");
    write_dir(&bare, &OUTAGES, None);
    assert_eq!(
        draw_rank(&bare).unwrap(),
        expected_files(&["critical_outages"])
    );
    write_dir(&bare, &OUTAGES, Some(&[]));
    assert_eq!(
        draw_rank(&bare).unwrap(),
        expected_files(&["critical_outages"])
    );
}

#[test]
fn proportional_references_pass_through_the_smallest_outage() {
    let temp = tempfile::tempdir().unwrap();
    write_dir(temp.path(), &OUTAGES, Some(&CURVES));
    let output = RankOutput::read(temp.path()).unwrap();
    let chart = magnitude::chart(&output).unwrap().unwrap();
    let curves = magnitude::curves(&chart);
    assert_eq!(curves.len(), 2);
    let (label, points, proportional) = curves[0];
    assert_eq!(label, "north \u{b7} chips");
    assert_eq!(points, [(25.0, 0.5), (50.0, 1.2), (100.0, 3.0)]);
    // 0.5 at 25 %: twice that at 50 %, four times at 100 %
    assert_eq!(proportional, [(25.0, 0.5), (50.0, 1.0), (100.0, 2.0)]);
    // a magnitude without a loss is left out, of the line and of its reference
    let (label, points, proportional) = curves[1];
    assert_eq!(label, "south \u{b7} steel");
    assert_eq!(points, [(25.0, 0.4), (100.0, 2.5)]);
    assert_eq!(proportional, [(25.0, 0.4), (100.0, 1.6)]);
}

/// Replace the `field`-th field (from 1) of line `line` (from 1) of `file` by `value`.
fn spoil(dir: &Path, file: &str, (line, field): (usize, usize), value: &str) {
    let text = fs::read_to_string(dir.join(file)).unwrap();
    let lines: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(index, text)| {
            if index + 1 != line {
                return text.to_string();
            }
            let mut fields: Vec<&str> = text.split(',').collect();
            fields[field - 1] = value;
            fields.join(",")
        })
        .collect();
    fs::write(dir.join(file), lines.join("\n") + "\n").unwrap();
}

#[test]
fn malformed_cells_are_errors_naming_file_line_and_column_and_nothing_is_drawn() {
    // (file, line, field, bad value, words of the message)
    let cases = [
        (RANKING.name, 3, 6, "lots", "not a number"),
        (RANKING.name, 2, 1, "blackout", "expected outage or cutoff"),
        (RANKING.name, 3, 2, "3", "in rank order from 1"),
        (RANKING.name, 7, 1, "outage", "outages come first"),
        (RANKING.name, 2, 9, "5", "less the direct loss"),
        (RANKING.name, 4, 5, "1.5", "share of capacity in (0, 1]"),
        (RANKING.name, 6, 18, "first", "whole number"),
        (RANKING.name, 5, 11, "-3", "whole number"),
        (LOSS_BY_MAGNITUDE.name, 3, 4, "0.25", "must increase"),
        (LOSS_BY_MAGNITUDE.name, 6, 5, "1e", "not a number"),
        (LOSS_BY_MAGNITUDE.name, 6, 3, "chips", "must be together"),
    ];
    for (file, line, column, value, words) in cases {
        let temp = tempfile::tempdir().unwrap();
        write_dir(temp.path(), &all_rows(), Some(&CURVES));
        spoil(temp.path(), file, (line, column), value);
        if value == "chips" {
            // north · chips comes back after south · steel
            spoil(temp.path(), file, (line, 2), "north");
        }
        let error = draw_rank(temp.path()).unwrap_err();
        let expected_path = temp.path().join(file);
        match &error {
            PlotError::Malformed {
                path,
                line: at_line,
                column: at_column,
                message,
            } => {
                assert_eq!(path, &expected_path, "{error}");
                assert_eq!((*at_line, *at_column), (line, column), "{error}");
                assert!(message.contains(words), "{error}");
            }
            other => panic!("{file}:{line}:{column}: expected Malformed, got {other:?}"),
        }
        let shown = error.to_string();
        let place = format!("{}:{line}:{column}: ", expected_path.display());
        assert!(shown.starts_with(&place), "{shown}");
        assert!(!temp.path().join("plots").exists(), "{shown}: drew anyway");
    }
}

#[test]
fn drawing_twice_gives_the_same_bytes_and_files() {
    let temp = tempfile::tempdir().unwrap();
    let first = temp.path().join("first");
    let second = temp.path().join("second");
    write_dir(&first, &all_rows(), Some(&CURVES));
    write_dir(&second, &all_rows(), Some(&CURVES));
    let files = draw_rank(&first).unwrap();
    assert_eq!(
        files,
        expected_files(&["critical_outages", "critical_cutoffs", "loss_by_magnitude"])
    );
    assert_eq!(draw_rank(&second).unwrap(), files);
    // and drawing again over the first gives the same files too
    assert_eq!(draw_rank(&first).unwrap(), files);
    for file in &files {
        let a = fs::read(first.join(file)).unwrap();
        let b = fs::read(second.join(file)).unwrap();
        assert!(a.len() > 2000, "{file} is nearly empty");
        assert!(a == b, "{file} differs between two drawings");
    }
    let svg = fs::read_to_string(first.join("plots/critical_outages.svg")).unwrap();
    for text in [
        "north \u{b7} chips",
        "reach #3 \u{b7} strength #5 \u{b7} sole #12",
        LOSS_DESC,
        "indirect: spread through the network",
    ] {
        assert!(svg.contains(text), "critical_outages lacks {text:?}");
    }
    let svg = fs::read_to_string(first.join("plots/loss_by_magnitude.svg")).unwrap();
    for text in ["south \u{b7} steel", "proportional to the smallest outage"] {
        assert!(svg.contains(text), "loss_by_magnitude lacks {text:?}");
    }
}

#[test]
fn every_column_read_is_one_the_writers_write() {
    let ranking: [&str; 18] = header_of(&RANKING);
    let curves: [&str; 10] = header_of(&LOSS_BY_MAGNITUDE);
    assert_eq!(ranking.as_slice(), RANKING.header);
    assert_eq!(curves.as_slice(), LOSS_BY_MAGNITUDE.header);
}

#[test]
fn shares_read_as_percentages() {
    assert_eq!(percent(1.0), "100 %");
    assert_eq!(percent(0.25), "25 %");
    assert_eq!(percent(0.375), "37.5 %");
    assert_eq!(percent(1.0 / 3.0), "33.3 %");
}

#[test]
fn extreme_numbers_draw_without_a_panic() {
    for (file, at, value) in [
        (RANKING.name, (2, 6), "1e300"),
        (RANKING.name, (2, 6), "1e308"),
        (RANKING.name, (3, 6), "-1e308"),
        (RANKING.name, (4, 6), "1e-300"),
        (RANKING.name, (4, 6), "-5e307"),
        (LOSS_BY_MAGNITUDE.name, (2, 5), "1e308"),
        (LOSS_BY_MAGNITUDE.name, (3, 5), "-1e308"),
        (LOSS_BY_MAGNITUDE.name, (2, 4), "1e-300"),
        (LOSS_BY_MAGNITUDE.name, (5, 5), "1e300"),
    ] {
        let temp = tempfile::tempdir().unwrap();
        write_dir(temp.path(), &all_rows(), Some(&CURVES));
        spoil(temp.path(), file, at, value);
        // without a direct loss, the total is not checked against the split
        spoil(temp.path(), file, (at.0, at.1 + 2), "");
        spoil(temp.path(), file, (at.0, at.1 + 3), "");
        // drawn, or refused with a message: never a panic
        if let Err(error) = draw_rank(temp.path()) {
            assert!(!error.to_string().is_empty());
        }
    }
}
