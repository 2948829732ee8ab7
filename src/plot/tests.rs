use std::path::Path;

use super::records::Table;
use super::render::value_range;
use super::series::{self, Floor, LineChart, Scale};
use super::*;

const PRODUCTION: &str = "\
step,north|goods,north|services,south|goods,south|services
0,100,300,50,50
1,50,300,50,50
2,80,300,40,50
3,100,300,50,50
";
const CAPACITY_LOSS: &str = "\
step,north|goods,north|services,south|goods,south|services
0,0,0,0,0
1,0.5,0,0,0
2,0.2,0,0,0
3,0,0,0,0
";
const FINAL_DEMAND_UNMET: &str = "\
step,north|goods,north|services,south|goods,south|services
0,0,0,0,0
1,1500,250,0,0
2,700,0,0,0
3,0,0,0,0
";

fn write_records(dir: &Path, records: &[(&str, &str)]) {
    let records_dir = dir.join("records");
    fs::create_dir_all(&records_dir).unwrap();
    for (name, text) in records {
        fs::write(records_dir.join(format!("{name}.csv")), text).unwrap();
    }
}

fn all_records(dir: &Path) {
    write_records(
        dir,
        &[
            ("production_realised", PRODUCTION),
            ("capacity_loss", CAPACITY_LOSS),
            ("final_demand_unmet", FINAL_DEMAND_UNMET),
        ],
    );
}

fn table(text: &str) -> Table {
    Table::parse(text, Path::new("records/test.csv")).unwrap()
}

fn read_all(dir: &Path, files: &[String]) -> Vec<Vec<u8>> {
    files
        .iter()
        .map(|file| fs::read(dir.join(file)).unwrap())
        .collect()
}

#[test]
fn draws_every_chart_as_png_and_svg() {
    let dir = tempfile::tempdir().unwrap();
    all_records(dir.path());
    let files = draw_all(dir.path(), "flood & drought").unwrap();
    assert_eq!(
        files,
        [
            "plots/production.png",
            "plots/production.svg",
            "plots/capacity_loss.png",
            "plots/capacity_loss.svg",
            "plots/final_demand_unmet.png",
            "plots/final_demand_unmet.svg",
        ]
    );
    for (file, bytes) in files.iter().zip(read_all(dir.path(), &files)) {
        assert!(bytes.len() > 1000, "{file} is nearly empty");
        if file.ends_with(".png") {
            assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{file}");
        } else {
            let svg = String::from_utf8(bytes).unwrap();
            assert!(svg.starts_with("<svg"), "{file}");
            // The title is escaped for XML, and shown in every chart's caption.
            assert!(svg.contains("flood &amp; drought: "), "{file}: no title");
            assert!(svg.contains("\nday\n"), "{file}: no x axis description");
        }
    }
    let production = fs::read_to_string(dir.path().join("plots/production.svg")).unwrap();
    assert!(production.contains("production relative to baseline"));
    assert!(production.contains("\ntotal, all regions\n") && production.contains("\nsouth\n"));
}

#[test]
fn drawing_is_deterministic() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    all_records(first.path());
    all_records(second.path());
    let files = draw_all(first.path(), "demo").unwrap();
    let before = read_all(first.path(), &files);
    assert_eq!(draw_all(first.path(), "demo").unwrap(), files);
    assert!(
        before == read_all(first.path(), &files),
        "redrawing changed a file"
    );
    assert_eq!(draw_all(second.path(), "demo").unwrap(), files);
    assert!(
        before == read_all(second.path(), &files),
        "another directory differs"
    );
}

#[test]
fn only_recorded_charts_are_drawn() {
    let dir = tempfile::tempdir().unwrap();
    write_records(dir.path(), &[("production_realised", PRODUCTION)]);
    let files = draw_all(dir.path(), "demo").unwrap();
    assert_eq!(files, ["plots/production.png", "plots/production.svg"]);
}

#[test]
fn missing_production_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    write_records(dir.path(), &[("capacity_loss", CAPACITY_LOSS)]);
    let error = draw_all(dir.path(), "demo").unwrap_err();
    assert!(
        matches!(error, PlotError::MissingRecord { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("records/production_realised.csv: not found"),
        "{message}"
    );
    assert!(message.contains("ProductionRealised"), "{message}");
    assert!(!dir.path().join("plots").exists(), "nothing is drawn");
}

#[test]
fn malformed_number_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let text = PRODUCTION.replace("3,100,300,50,50", "3,100,x,50,50");
    write_records(dir.path(), &[("production_realised", &text)]);
    let error = draw_all(dir.path(), "demo").unwrap_err();
    assert!(
        matches!(
            error,
            PlotError::Malformed {
                line: 5,
                column: 3,
                ..
            }
        ),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.ends_with("records/production_realised.csv:5:3: not a number: \"x\""),
        "{message}"
    );
}

#[test]
fn malformed_later_record_stops_before_drawing() {
    let dir = tempfile::tempdir().unwrap();
    all_records(dir.path());
    let text = FINAL_DEMAND_UNMET.replace("2,700,0,0,0", "2,700,0,0");
    write_records(dir.path(), &[("final_demand_unmet", &text)]);
    let message = draw_all(dir.path(), "demo").unwrap_err().to_string();
    assert!(
        message.ends_with(
            "records/final_demand_unmet.csv:4:5: expected 5 fields like the header, found 4"
        ),
        "{message}"
    );
    assert!(!dir.path().join("plots").exists());
}

#[test]
fn parse_errors_point_at_the_field() {
    let error = |text: &str| {
        Table::parse(text, Path::new("records/r.csv"))
            .unwrap_err()
            .to_string()
    };
    assert_eq!(error(""), "records/r.csv:1:1: empty file: no header row");
    assert_eq!(
        error("day,a|b\n0,1\n"),
        "records/r.csv:1:1: the header must start with `step`, found \"day\""
    );
    assert_eq!(
        error("step\n0\n"),
        "records/r.csv:1:2: no industry columns after `step`"
    );
    assert_eq!(
        error("step,a|b,ab\n0,1,2\n"),
        "records/r.csv:1:3: column name \"ab\" is not `<region>|<sector>`"
    );
    assert_eq!(
        error("step,a|b,a|b\n0,1,2\n"),
        "records/r.csv:1:3: duplicate column \"a|b\""
    );
    assert_eq!(
        error("step,a|b\n"),
        "records/r.csv:2:1: no data lines after the header"
    );
    assert_eq!(
        error("step,a|b\n0,1,2\n"),
        "records/r.csv:2:3: expected 2 fields like the header, found 3"
    );
    assert_eq!(
        error("step,a|b\n0,1\n\n2\n"),
        "records/r.csv:4:2: expected 2 fields like the header, found 1"
    );
    assert_eq!(
        error("step,a|b\nzero,1\n"),
        "records/r.csv:2:1: not a number: \"zero\""
    );
    assert_eq!(
        error("step,a|b\n0,NaN\n"),
        "records/r.csv:2:2: expected a number, found \"NaN\""
    );
    assert_eq!(
        error("step,a|b\n0,inf\n"),
        "records/r.csv:2:2: not a finite number: \"inf\""
    );
}

#[test]
fn parses_what_the_output_module_writes() {
    let parsed = table("step,a|x,b|y\r\n0,1.5,2.5e-12\r\n1,-0,3\r\n");
    assert_eq!(parsed.columns, ["a|x", "b|y"]);
    assert_eq!(parsed.days, [0.0, 1.0]);
    assert_eq!(parsed.rows, [vec![1.5, 2.5e-12], vec![0.0, 3.0]]);
    assert_eq!(
        parsed.regions(),
        [("a".to_string(), vec![0]), ("b".to_string(), vec![1])]
    );
}

#[test]
fn production_is_relative_to_the_first_day() {
    let chart = series::production(&table(PRODUCTION), "demo").unwrap();
    assert_eq!(chart.caption, "demo: production relative to baseline");
    let labels: Vec<&str> = chart.lines.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(labels, ["total, all regions", "north", "south"]);
    assert!(chart.lines[0].emphasis);
    assert_eq!(chart.lines[0].values, [100.0, 90.0, 94.0, 100.0]);
    assert_eq!(chart.lines[1].values, [100.0, 87.5, 95.0, 100.0]);
    assert_eq!(chart.lines[2].values, [100.0, 100.0, 90.0, 100.0]);
    assert_eq!(chart.reference, Some(100.0));
}

#[test]
fn production_without_a_baseline_is_an_error_or_a_note() {
    let error = series::production(&table("step,a|x\n0,0\n1,5\n"), "demo").unwrap_err();
    assert!(error.to_string().contains("no baseline"), "{error}");
    let chart = series::production(&table("step,a|x,b|x\n0,10,0\n1,5,1\n"), "demo").unwrap();
    assert_eq!(chart.lines.len(), 2);
    assert_eq!(chart.notes, ["no output on day 0: b"]);
}

#[test]
fn capacity_loss_is_weighted_by_first_day_output() {
    let chart = series::capacity_loss(&table(CAPACITY_LOSS), &table(PRODUCTION), "demo").unwrap();
    assert_eq!(chart.lines.len(), 1);
    assert_eq!(chart.lines[0].label, "north");
    // north: goods (output 100 of 400) lost half, then a fifth.
    assert_eq!(chart.lines[0].values, [0.0, 12.5, 5.0, 0.0]);
    // The region keeps its colour from the production chart.
    assert_eq!(chart.lines[0].colour, 0);
    assert_eq!(chart.notes, ["no capacity lost: south"]);
}

#[test]
fn capacity_loss_needs_matching_production_columns() {
    let loss = table("step,east|goods\n0,0\n");
    let error = series::capacity_loss(&loss, &table(PRODUCTION), "demo").unwrap_err();
    assert!(matches!(error, PlotError::Data { .. }));
    assert!(
        error
            .to_string()
            .starts_with("records/test.csv: column \"east|goods\"")
    );
}

#[test]
fn unmet_final_demand_is_summed_per_demanding_region() {
    let chart = series::final_demand_unmet(&table(FINAL_DEMAND_UNMET), "demo");
    assert_eq!(chart.lines.len(), 1);
    assert_eq!(chart.lines[0].values, [0.0, 1750.0, 700.0, 0.0]);
    assert_eq!(chart.notes, ["all demand met: south"]);
}

#[test]
fn many_regions_show_the_most_affected() {
    let regions = 14;
    let header: Vec<String> = (0..regions).map(|r| format!("r{r}|goods")).collect();
    let day0 = vec!["100"; regions].join(",");
    // Region r loses r % on day 1.
    let day1: Vec<String> = (0..regions).map(|r| (100 - r).to_string()).collect();
    let text = format!(
        "step,{}\n0,{day0}\n1,{}\n",
        header.join(","),
        day1.join(",")
    );
    let chart = series::production(&table(&text), "demo").unwrap();
    assert_eq!(chart.lines.len(), 11);
    let labels: Vec<&str> = chart.lines[1..].iter().map(|l| l.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "r13"
        ]
    );
    let colours: Vec<usize> = chart.lines[1..].iter().map(|l| l.colour).collect();
    assert_eq!(colours, (0..10).collect::<Vec<_>>());
    assert!(chart.caption.ends_with("(10 most affected of 14 regions)"));
}

fn flat_chart(values: Vec<f64>, scale: Scale, floor: Floor) -> LineChart {
    LineChart {
        name: "test",
        caption: String::new(),
        y_desc: String::new(),
        scale,
        floor,
        days: (0..values.len()).map(|d| d as f64).collect(),
        lines: vec![series::Line {
            label: "x".into(),
            values,
            emphasis: false,
            colour: 0,
        }],
        reference: None,
        notes: Vec::new(),
    }
}

#[test]
fn y_ranges_come_from_the_data() {
    let range = |values: Vec<f64>, scale, floor| value_range(&flat_chart(values, scale, floor));
    assert_eq!(
        range(vec![100.0; 3], Scale::Percent, Floor::Padded),
        (99.0, 101.0)
    );
    assert_eq!(
        range(vec![50.0, 100.0], Scale::Percent, Floor::Padded),
        (47.5, 102.5)
    );
    assert_eq!(range(vec![0.0; 3], Scale::Percent, Floor::Zero), (0.0, 1.0));
    assert_eq!(
        range(vec![0.0, 40.0], Scale::Percent, Floor::Zero),
        (0.0, 42.0)
    );
    assert_eq!(range(vec![0.0; 3], Scale::Money, Floor::Zero), (0.0, 1.0));
    assert_eq!(
        range(vec![0.0, 2e6], Scale::Money, Floor::Zero),
        (0.0, 2.1e6)
    );
    let (low, high) = range(vec![-10.0, 10.0], Scale::Money, Floor::Zero);
    assert!(low < -10.0 && high > 10.0);
}

#[test]
fn tick_labels_have_the_decimals_the_spacing_needs() {
    use super::render::tick_label;
    let percent = tick_label(Scale::Percent, (0.0, 6.9));
    assert_eq!(
        (percent(0.0), percent(3.0)),
        ("0".to_string(), "3".to_string())
    );
    let percent = tick_label(Scale::Percent, (99.0, 101.0));
    assert_eq!(
        (percent(99.6), percent(-1e-15)),
        ("99.6".to_string(), "0".to_string())
    );
    let money = tick_label(Scale::Money, (0.0, 2.1e6));
    assert_eq!(
        (money(0.0), money(5e5), money(2e6)),
        ("0".into(), "0.5M".into(), "2.0M".into())
    );
    let money = tick_label(Scale::Money, (0.0, 750_000.0));
    assert_eq!(money(100_000.0), "100k");
    let money = tick_label(Scale::Money, (0.0, 1800.0));
    assert_eq!(money(1400.0), "1400");
}

#[test]
fn extreme_values_give_errors_not_panics() {
    let records = [
        "step,a|x\n0,1e308\n1,1e308\n",
        "step,a|x,a|y\n0,1e308\n1,1e308,1e308\n",
        "step,a|x,a|y\n0,1e308,1e308\n1,1e308,1e308\n",
        "step,a|x\n0,1e-300\n1,1e300\n",
        "step,a|x\n1e300,1\n2e300,1\n",
        "step,a|x\n1e300,1\n",
        "step,a|x\n5,1\n5,2\n",
        "step,a|x\n-3,1\n-7,2\n",
        "step,a|x\n0,-1\n1,2\n",
    ];
    for text in records {
        let dir = tempfile::tempdir().unwrap();
        write_records(
            dir.path(),
            &[("production_realised", text), ("final_demand_unmet", text)],
        );
        match draw_all(dir.path(), "extreme") {
            Ok(files) => assert!(!files.is_empty()),
            Err(error) => assert!(
                error
                    .to_string()
                    .contains("records/production_realised.csv")
                    || error.to_string().contains("plots/"),
                "{text:?}: {error}"
            ),
        }
    }
}
