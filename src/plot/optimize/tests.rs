use std::fs;
use std::path::Path;

use super::*;
use crate::output::layout::{CHOICE_RUNS, CHOICES, GREEDY_PATH, MANIFEST, PORTFOLIOS, TableFile};

/// No backup, two singles and a pair.
const PORTFOLIOS_ROWS: [&str; 4] = [
    "0,none,,0,100,100,120,0,0,0,true",
    "1,a@r×1,0,10,80,80,100,0,20,20,true",
    "2,b@r×1,1,5,90,90,115,1,10,5,true",
    "3,a@r×1 + b@r×1,0 1,15,75,75,95,1,25,25,true",
];
const CHOICES_ROWS: [&str; 2] = [
    "10,exact,mean,a@r×1,0,10,80,80,100,0,20,20,2",
    "20,exact,mean,a@r×1 + b@r×1,0 1,15,75,75,95,1,25,25,0.5",
];
const PATH_ROWS: [&str; 3] = [
    "10,1,a@r×1,0,10,80,2",
    "20,1,a@r×1,0,10,80,2",
    "20,2,a@r×1 + b@r×1,0 1,15,75,1",
];
const RUNS_ROWS: [&str; 6] = [
    "10,0,90,70,0",
    "10,1,110,90,0",
    "10,2,100,80,0",
    "20,0,90,66,1",
    "20,1,110,84,1",
    "20,2,100,75,1",
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

/// A placement directory with the rows above, `change` applied to the texts first.
fn directory(dir: &Path, change: impl Fn(&str, String) -> String) {
    let files = [
        (PORTFOLIOS.name, table(&PORTFOLIOS, &PORTFOLIOS_ROWS)),
        (CHOICES.name, table(&CHOICES, &CHOICES_ROWS)),
        (GREEDY_PATH.name, table(&GREEDY_PATH, &PATH_ROWS)),
        (CHOICE_RUNS.name, table(&CHOICE_RUNS, &RUNS_ROWS)),
        (MANIFEST, r#"{"name": "demo"}"#.to_string()),
    ];
    for (name, text) in files {
        fs::write(dir.join(name), change(name, text)).unwrap();
    }
}

#[test]
fn the_frontier_starts_at_no_backup_and_follows_the_largest_budgets_greedy_path() {
    let dir = tempfile::tempdir().unwrap();
    directory(dir.path(), |_, text| text);
    let output = OptimizeOutput::read(dir.path()).unwrap();
    let chart = FrontierChart::of(&output).unwrap();
    // the path of budget 20 only (not budget 10's), from no backup at (0, 100)
    assert_eq!(chart.path, [(0.0, 100.0), (10.0, 80.0), (15.0, 75.0)]);
    assert_eq!(chart.evaluated.len(), 4);
    let points: Vec<(f64, (f64, f64))> = chart.choices.iter().map(|c| (c.0, c.1)).collect();
    assert_eq!(points, [(10.0, (10.0, 80.0)), (20.0, (15.0, 75.0))]);
    assert!(chart.choices[1].2.contains("a@r×1 + b@r×1"));
    // the budgets are on the cost axis even where no portfolio costs that much
    assert!(chart.x_range.0 <= 0.0 && chart.x_range.1 >= 20.0);
    assert_eq!(chart.y_desc, objective_desc(Some("mean")));
}

#[test]
fn the_loss_distributions_are_stairs_from_zero_to_one_of_the_same_runs() {
    let dir = tempfile::tempdir().unwrap();
    directory(dir.path(), |_, text| text);
    let output = OptimizeOutput::read(dir.path()).unwrap();
    let chart = DistributionChart::of(&output).unwrap();
    let labels: Vec<&str> = chart.lines.iter().map(|l| l.0.as_str()).collect();
    assert_eq!(labels[0], "no backup");
    assert_eq!(labels.len(), 3);
    // no backup: 90, 100, 110, each a third of the runs
    let none = &chart.lines[0].1;
    assert_eq!(none.first(), Some(&(90.0, 0.0)));
    assert_eq!(none.last(), Some(&(110.0, 1.0)));
    assert_eq!(none[3], (100.0, 2.0 / 3.0));
    // budget 20's portfolio: 66, 75, 84
    assert_eq!(chart.lines[2].1[0], (66.0, 0.0));
    for (_, points) in &chart.lines {
        assert!(
            points
                .windows(2)
                .all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1)
        );
    }
}

#[test]
fn both_charts_are_drawn_and_the_same_files_draw_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    directory(dir.path(), |_, text| text);
    let files = draw_optimize(dir.path()).unwrap();
    assert_eq!(
        files,
        [
            "plots/portfolio_frontier.png",
            "plots/portfolio_frontier.svg",
            "plots/loss_distribution.png",
            "plots/loss_distribution.svg",
        ]
    );
    let first: Vec<Vec<u8>> = files
        .iter()
        .map(|f| fs::read(dir.path().join(f)).unwrap())
        .collect();
    draw_optimize(dir.path()).unwrap();
    for (file, bytes) in files.iter().zip(&first) {
        assert_eq!(&fs::read(dir.path().join(file)).unwrap(), bytes, "{file}");
    }
}

#[test]
fn a_malformed_file_is_named_with_its_line_and_column_and_nothing_is_drawn() {
    // a run missing from budget 20, a budget of choice_runs.csv not chosen, a cost that is
    // not a number, budgets out of order
    let cases: [(&str, &str, &str, &str); 4] = [
        (
            CHOICE_RUNS.name,
            "20,2,100,75,1\n",
            "",
            "every budget has the same runs",
        ),
        (
            CHOICE_RUNS.name,
            "20,0,90,66,1",
            "30,0,90,66,1",
            "choice_runs.csv:5:1:",
        ),
        (
            PORTFOLIOS.name,
            ",0,10,80,",
            ",0,ten,80,",
            "portfolios.csv:3:",
        ),
        (CHOICES.name, "20,exact", "5,exact", "choices.csv:3:1:"),
    ];
    for (file, from, to, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        directory(dir.path(), |name, text| {
            if name == file {
                text.replacen(from, to, 1)
            } else {
                text
            }
        });
        let err = draw_optimize(dir.path()).unwrap_err().to_string();
        assert!(err.contains(file), "{file}: {err}");
        assert!(err.contains(expected), "{file}: {err}");
        assert!(!dir.path().join(PLOTS).exists(), "{file}");
    }
}
