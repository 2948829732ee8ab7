use std::fs;
use std::path::Path;

use super::design::{SweepShape, shape};
use super::fake::{self, FakeSweep};
use super::fields::{header_of, short_names};
use super::frontier::{Risk, efficient_names, frontier_chart, indistinct_names};
use super::input::{SWEEP_READ, SweepOutput};
use super::*;
use crate::output::layout::{
    DISCOVERY, DISCOVERY_BOX, FRONTIER, SENSITIVITY, SWEEP, SWEEP_STATISTICS,
};
use crate::table::Table;

/// `plots/<chart>.png` and `.svg` of every chart, then the report.
fn expected_files(charts: &[&str]) -> Vec<String> {
    let mut files: Vec<String> = charts
        .iter()
        .flat_map(|chart| [format!("plots/{chart}.png"), format!("plots/{chart}.svg")])
        .collect();
    files.push("report.html".into());
    files
}

/// The names in column `point` of `file` whose column `flag` is `true`, read with the table
/// reader alone (not the one under test).
fn flagged(dir: &Path, file: &str, flag: &str) -> Vec<String> {
    let table = Table::read(&dir.join(file), "missing").unwrap();
    let [point, flag] = table.columns(["point", flag]).unwrap();
    table
        .rows()
        .iter()
        .filter(|row| row.text(flag) == "true")
        .map(|row| row.text(point).to_string())
        .collect()
}

/// The mean of `metric` at `point` in `sweep.csv`, read with the table reader alone.
fn mean_in_file(dir: &Path, point: &str, metric: &str) -> f64 {
    let table = Table::read(&dir.join(SWEEP.name), "missing").unwrap();
    let [name, column, mean] = table.columns(["point", "metric", "mean"]).unwrap();
    let row = table
        .rows()
        .iter()
        .find(|row| row.text(name) == point && row.text(column) == metric)
        .unwrap();
    row.number(mean).unwrap()
}

fn report(dir: &Path) -> String {
    fs::read_to_string(dir.join("report.html")).unwrap()
}

#[test]
fn one_lever_gives_a_line_per_key_metric_with_the_files_means() {
    let temp = tempfile::tempdir().unwrap();
    let dir = fake::copy_sample("grid1", temp.path());
    let files = draw_sweep(&dir).unwrap();
    assert_eq!(
        files,
        expected_files(&[
            "sweep_va_loss_money",
            "sweep_loss_avoided_money",
            "sweep_va_loss_pct",
            "frontier_mean",
            "frontier_cvar95",
        ])
    );
    for file in &files {
        let bytes = fs::read(dir.join(file)).unwrap();
        assert!(bytes.len() > 2000, "{file} is nearly empty");
    }
    let output = SweepOutput::read(&dir).unwrap();
    let SweepShape::Line { axis, series } = shape(&output) else {
        panic!("one lever should give a line chart");
    };
    assert_eq!(output.parameters[axis].short, "capacity_share");
    assert_eq!(series.len(), 1);
    let reference = series[0].reference.map(|r| output.points[r].name.as_str());
    assert_eq!(reference, Some("no policies @0"));
    let chart = line::sweep_line(&output, "va_loss_money", axis, &series).unwrap();
    let lines = line::means(&chart);
    assert_eq!(lines.len(), 1);
    // every point but the reference, in order of the lever, at its mean in sweep.csv
    let points: Vec<&str> = output
        .points
        .iter()
        .filter(|p| !p.reference)
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(lines[0].1.len(), points.len());
    for (&(x, mean), name) in lines[0].1.iter().zip(&points) {
        let point = output.points.iter().find(|p| p.name == *name).unwrap();
        assert_eq!(x, point.values[axis].parse::<f64>().unwrap());
        assert_eq!(mean, mean_in_file(&dir, name, "va_loss_money"));
    }
    let svg = fs::read_to_string(dir.join("plots/sweep_va_loss_money.svg")).unwrap();
    for text in [
        "backup.manufacturing-reg3.capacity_share (lever)",
        "Mill USD",
        "\nno policies\n",
    ] {
        assert!(svg.contains(text), "the line chart lacks {text:?}");
    }
}

#[test]
fn two_levers_give_a_heatmap_of_the_files_means() {
    let temp = tempfile::tempdir().unwrap();
    let dir = fake::copy_sample("grid2", temp.path());
    let files = draw_sweep(&dir).unwrap();
    assert_eq!(
        files,
        expected_files(&[
            "sweep_va_loss_money",
            "sweep_loss_avoided_money",
            "sweep_va_loss_pct",
            "frontier_mean",
            "frontier_cvar95",
        ])
    );
    let output = SweepOutput::read(&dir).unwrap();
    let SweepShape::Grid {
        rows,
        columns,
        series,
    } = shape(&output)
    else {
        panic!("two levers should give a heatmap");
    };
    assert_eq!(output.parameters[rows.parameter].short, "capacity_share");
    assert_eq!(rows.values, ["0", "0.1", "0.2"]);
    assert_eq!(columns.values, ["0", "30"]);
    let chart = heatmap::sweep_heatmap(&output, "va_loss_pct", (&rows, &columns), &series).unwrap();
    let panels = heatmap::panels(&chart);
    assert_eq!(panels.len(), 1);
    for point in output.points.iter().filter(|p| !p.reference) {
        let row = rows
            .values
            .iter()
            .position(|v| *v == point.values[0])
            .unwrap();
        let column = columns
            .values
            .iter()
            .position(|v| *v == point.values[1])
            .unwrap();
        assert_eq!(
            panels[0].1[row * 2 + column],
            Some(mean_in_file(&dir, &point.name, "va_loss_pct")),
            "{}",
            point.name
        );
    }
}

#[test]
fn a_lever_and_an_uncertainty_give_a_line_per_group() {
    let temp = tempfile::tempdir().unwrap();
    let dir = fake::copy_sample("grid-lever-uncertainty", temp.path());
    draw_sweep(&dir).unwrap();
    let output = SweepOutput::read(&dir).unwrap();
    let SweepShape::Line { axis, series } = shape(&output) else {
        panic!("a lever and an uncertainty should give a line per group");
    };
    assert_eq!(output.parameters[axis].short, "capacity_share");
    let labels: Vec<&str> = series.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["duration_days 60", "duration_days 120"]);
    let references: Vec<Option<&str>> = series
        .iter()
        .map(|s| s.reference.map(|r| output.points[r].name.as_str()))
        .collect();
    assert_eq!(references, [Some("no policies @0"), Some("no policies @1")]);
    let html = report(&dir);
    for group in ["duration_days 60", "duration_days 120"] {
        let row = format!("<tr class=\"group\"><td colspan=\"14\">{group}: ");
        assert!(html.contains(&row), "several groups: a row heads {group}");
    }
}

#[test]
fn two_levers_under_two_settings_give_a_panel_per_setting() {
    let temp = tempfile::tempdir().unwrap();
    FakeSweep::two_levers_two_settings().write(temp.path());
    let files = draw_sweep(temp.path()).unwrap();
    assert_eq!(
        files,
        expected_files(&[
            "sweep_va_loss_money",
            "sweep_va_loss_pct",
            "frontier_mean",
            "frontier_cvar95",
        ])
    );
    let output = SweepOutput::read(temp.path()).unwrap();
    let SweepShape::Grid {
        rows,
        columns,
        series,
    } = shape(&output)
    else {
        panic!("two levers in each group should give heatmaps");
    };
    let chart =
        heatmap::sweep_heatmap(&output, "va_loss_money", (&rows, &columns), &series).unwrap();
    let titles: Vec<&str> = heatmap::panels(&chart)
        .iter()
        .map(|(title, _)| title.as_str())
        .collect();
    assert_eq!(titles, ["duration_days 30", "duration_days 90"]);
    for (_, cells) in heatmap::panels(&chart) {
        assert_eq!(cells.len(), 6);
        assert!(cells.iter().all(Option::is_some));
    }
}

#[test]
fn designs_without_one_chart_give_no_sweep_chart_and_say_why() {
    for (sweep, why) in [
        (FakeSweep::latin_hypercube(), "do not form a grid"),
        (FakeSweep::three_levers(), "3 parameters vary together"),
    ] {
        let temp = tempfile::tempdir().unwrap();
        sweep.write(temp.path());
        let files = draw_sweep(temp.path()).unwrap();
        assert_eq!(files, expected_files(&["frontier_mean", "frontier_cvar95"]));
        let html = report(temp.path());
        assert!(html.contains("No sweep chart:"), "{why}");
        assert!(html.contains(why), "the report should say {why:?}");
    }
}

#[test]
fn the_efficient_points_drawn_are_those_frontier_csv_flags() {
    let temp = tempfile::tempdir().unwrap();
    for sample in fake::SAMPLES {
        let dir = fake::copy_sample(sample, temp.path());
        let output = SweepOutput::read(&dir).unwrap();
        for (risk, flag) in [
            (Risk::Mean, "efficient_mean"),
            (Risk::Cvar95, "efficient_cvar95"),
        ] {
            let chart = frontier_chart(&output, risk).unwrap();
            let mut drawn: Vec<&str> = efficient_names(&chart);
            drawn.sort_unstable();
            let mut expected = flagged(&dir, FRONTIER.name, flag);
            expected.sort_unstable();
            assert_eq!(drawn, expected, "{sample}: {flag}");
        }
        let chart = frontier_chart(&output, Risk::Mean).unwrap();
        let mut rings = indistinct_names(&chart);
        rings.sort_unstable();
        let mut expected = flagged(&dir, FRONTIER.name, "indistinct");
        expected.sort_unstable();
        assert_eq!(rings, expected, "{sample}: indistinct");
        // the CVaR chart draws no rings: indistinct is about the mean
        let chart = frontier_chart(&output, Risk::Cvar95).unwrap();
        assert!(indistinct_names(&chart).is_empty());
    }
}

#[test]
fn the_same_files_give_the_same_bytes() {
    let temp = tempfile::tempdir().unwrap();
    for sample in fake::SAMPLES {
        let first = fake::copy_sample(sample, &temp.path().join("first"));
        let second = fake::copy_sample(sample, &temp.path().join("second"));
        fs::write(first.join(SENSITIVITY.name), fake::SENSITIVITY_CSV).unwrap();
        fs::write(second.join(SENSITIVITY.name), fake::SENSITIVITY_CSV).unwrap();
        let files = draw_sweep(&first).unwrap();
        assert_eq!(draw_sweep(&second).unwrap(), files);
        // and drawing again over the first gives the same files too
        assert_eq!(draw_sweep(&first).unwrap(), files);
        for file in &files {
            let a = fs::read(first.join(file)).unwrap();
            let b = fs::read(second.join(file)).unwrap();
            assert!(a == b, "{sample}/{file} differs between two drawings");
        }
    }
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
fn malformed_files_are_errors_with_line_and_column_and_nothing_is_drawn() {
    // (file, line, field, bad value, words of the message)
    let cases = [
        (SWEEP.name, 3, 7, "lots", "not a number"),
        (SWEEP.name, 4, 2, "1", "in group 0"),
        (FRONTIER.name, 2, 13, "yes", "expected true or false"),
        (FRONTIER.name, 3, 15, "p0099", "not a point of the file"),
        (FRONTIER.name, 4, 1, "p0042", "not in sweep.csv"),
        (
            FRONTIER.name,
            1,
            3,
            "backup.other.capacity_share",
            "as in sweep.csv",
        ),
        (SENSITIVITY.name, 2, 3, "knob", "lever or uncertainty"),
        (DISCOVERY.name, 3, 3, "1.5", "share from 0 to 1"),
        (DISCOVERY_BOX.name, 2, 2, "low", "number"),
    ];
    for (file, line, column, value, words) in cases {
        let temp = tempfile::tempdir().unwrap();
        let dir = fake::copy_sample("grid1", temp.path());
        fs::write(dir.join(SENSITIVITY.name), fake::SENSITIVITY_CSV).unwrap();
        fs::write(dir.join(DISCOVERY.name), fake::DISCOVERY_CSV).unwrap();
        fs::write(dir.join(DISCOVERY_BOX.name), fake::DISCOVERY_BOX_CSV).unwrap();
        spoil(&dir, file, (line, column), value);
        let error = draw_sweep(&dir).unwrap_err();
        match &error {
            PlotError::Malformed {
                path,
                line: at_line,
                column: at_column,
                message,
            } => {
                assert_eq!(path, &dir.join(file), "{error}");
                assert_eq!((*at_line, *at_column), (line, column), "{error}");
                assert!(message.contains(words), "{error}");
            }
            other => panic!("{file}: expected Malformed, got {other:?}"),
        }
        assert!(
            !dir.join("plots").exists(),
            "{file}: drew despite the error"
        );
        assert!(!dir.join("report.html").exists());
    }
    // a quote left open is found too
    let temp = tempfile::tempdir().unwrap();
    let dir = fake::copy_sample("grid2", temp.path());
    spoil(&dir, SWEEP.name, (5, 1), "\"p0001");
    assert!(matches!(
        draw_sweep(&dir),
        Err(PlotError::Malformed {
            line: 5,
            column: 1,
            ..
        })
    ));
}

#[test]
fn optional_files_add_their_sections_and_missing_ones_leave_them_out() {
    let temp = tempfile::tempdir().unwrap();
    let dir = fake::copy_sample("grid-lever-uncertainty", temp.path());
    draw_sweep(&dir).unwrap();
    let html = report(&dir);
    for section in ["id=\"sensitivity\"", "id=\"discovery\"", "sensitivity_"] {
        assert!(!html.contains(section), "no file, yet {section:?}");
    }
    assert!(html.contains("scenario.ron is not in the directory"));

    fs::write(dir.join(SENSITIVITY.name), fake::SENSITIVITY_CSV).unwrap();
    fs::write(dir.join(DISCOVERY.name), fake::DISCOVERY_CSV).unwrap();
    let files = draw_sweep(&dir).unwrap();
    let charts: Vec<&str> = files
        .iter()
        .filter_map(|f| f.strip_prefix("plots/")?.strip_suffix(".png"))
        .collect();
    assert_eq!(
        charts[charts.len() - 3..],
        [
            "sensitivity_va_loss_money",
            "sensitivity_va_loss_pct",
            "discovery_tradeoff"
        ]
    );
    let html = report(&dir);
    for text in [
        "id=\"sensitivity\"",
        "0.620 \u{00b1} 0.0600",
        "id=\"discovery\"",
        "discovery_box.csv is not in the directory",
        "<code>va_loss_pct &gt; 2</code>",
    ] {
        assert!(html.contains(text), "the report lacks {text:?}");
    }
    let output = SweepOutput::read(&dir).unwrap();
    let rows = output.sensitivity.as_ref().unwrap();
    let chart = sensitivity::chart(rows, "va_loss_money", "x");
    assert_eq!(
        sensitivity::first_orders(&chart),
        [
            ("capacity_share (lever)", Some(0.21)),
            ("duration_days (uncertainty)", Some(0.62))
        ]
    );
    let found = output.discovery.as_ref().unwrap();
    let tradeoff = discovery::tradeoff(found, "x").unwrap();
    assert_eq!(discovery::chosen_points(&tradeoff), [(0.82, 0.8)]);

    fs::write(dir.join(DISCOVERY_BOX.name), fake::DISCOVERY_BOX_CSV).unwrap();
    draw_sweep(&dir).unwrap();
    let html = report(&dir);
    assert!(html.contains("<td>90.0 to 120</td>"), "the box's limits");
}

#[test]
fn the_report_is_self_contained_and_explains_itself() {
    let temp = tempfile::tempdir().unwrap();
    let dir = fake::copy_sample("grid1", temp.path());
    draw_sweep(&dir).unwrap();
    let html = report(&dir);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("http"), "the report refers to the network");
    assert!(!html.contains("<script") && !html.contains("<link"));
    for text in [
        "<h1>test-mrio-backup</h1>",
        "Coastal blockade with sea imports cut",
        "--grid backup.manufacturing-reg3.capacity_share=0,0.05,0.1,0.15,0.2,0.3",
        "<b>lever</b>",
        "<b>Regret</b>",
        "<b>CVaR95</b>",
        "<b>Indistinct</b>",
        "<tr class=\"efficient\"><td class=\"name\">p0000</td>",
        "id=\"frontier_mean\"",
        "id=\"sweep_va_loss_money\"",
        "<svg role=\"img\"",
        "Mill USD",
        "As run, from <a href=\"scenario.ron\">",
    ] {
        assert!(html.contains(text), "the report lacks {text:?}");
    }
    // the warnings of the manifest, escaped, in a box
    let temp = tempfile::tempdir().unwrap();
    FakeSweep::three_levers().write(temp.path());
    draw_sweep(temp.path()).unwrap();
    let html = report(temp.path());
    assert!(html.contains("<p class=\"warning\">Warning: a warning &lt;b&gt;</p>"));
}

#[test]
fn every_column_read_is_one_the_writers_write() {
    for name in SWEEP_READ {
        assert!(SWEEP_STATISTICS.contains(&name), "{name}");
    }
    let sensitivity: [&str; 7] = header_of(&SENSITIVITY);
    let discovery: [&str; 7] = header_of(&DISCOVERY);
    let limits: [&str; 5] = header_of(&DISCOVERY_BOX);
    assert_eq!(sensitivity.as_slice(), SENSITIVITY.header);
    assert_eq!(discovery.as_slice(), DISCOVERY.header);
    assert_eq!(limits.as_slice(), DISCOVERY_BOX.header);
}

#[test]
fn short_names_are_the_shortest_ends_that_tell_paths_apart() {
    let paths = [
        "backup.a.capacity_share",
        "backup.b.capacity_share",
        "shocks.s.duration_days",
    ]
    .map(String::from);
    assert_eq!(
        short_names(&paths),
        ["a.capacity_share", "b.capacity_share", "duration_days"]
    );
    assert_eq!(short_names(&["x".to_string()]), ["x"]);
}

#[test]
fn references_are_named_by_their_group() {
    assert!(input::is_reference("no policies @0"));
    assert!(input::is_reference("no policies @12"));
    assert!(!input::is_reference("no policies"));
    assert!(!input::is_reference("p0000"));
}

#[test]
fn extreme_numbers_draw_without_a_panic() {
    for (file, at, value) in [
        (SWEEP.name, (3, 7), "1e308"),
        (SWEEP.name, (3, 8), "1e308"),
        (SWEEP.name, (3, 7), "-1e-300"),
        (FRONTIER.name, (2, 5), "1e300"),
        (FRONTIER.name, (3, 6), "-5e307"),
    ] {
        let temp = tempfile::tempdir().unwrap();
        let dir = fake::copy_sample("grid1", temp.path());
        spoil(&dir, file, at, value);
        // drawn, or refused with a message: never a panic
        if let Err(error) = draw_sweep(&dir) {
            assert!(!error.to_string().is_empty());
        }
    }
}
