use std::fs;
use std::path::Path;

use super::fake::{self, Fake};
use super::*;

fn read_all(dir: &Path, files: &[String]) -> Vec<Vec<u8>> {
    files
        .iter()
        .map(|file| fs::read(dir.join(file)).unwrap())
        .collect()
}

/// The charts of an ensemble with backups, as `hinterland run` writes it (the fixture is made
/// by the program's own writers: a chart the program draws is a chart this test expects).
const CHARTS: [&str; 10] = [
    "fan_national",
    "fan_difference",
    "loss_distribution",
    "loss_avoided",
    "heatmap_loss",
    "heatmap_loss_change",
    "backup",
    "backup_activation",
    "reserve_stock",
    "unmet_final_demand",
];

#[test]
fn draws_every_chart_and_a_self_contained_report() {
    let dir = tempfile::tempdir().unwrap();
    Fake::small().write(dir.path());
    let files = draw_ensemble(dir.path()).unwrap();
    let mut expected: Vec<String> = CHARTS
        .iter()
        .flat_map(|chart| [format!("plots/{chart}.png"), format!("plots/{chart}.svg")])
        .collect();
    expected.push("report.html".into());
    assert_eq!(files, expected);
    for (file, bytes) in files.iter().zip(read_all(dir.path(), &files)) {
        assert!(bytes.len() > 2000, "{file} is nearly empty");
        if file.ends_with(".png") {
            assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{file}");
        } else if file.ends_with(".svg") {
            let svg = String::from_utf8(bytes).unwrap();
            assert!(svg.starts_with("<svg"), "{file}");
            assert!(
                svg.contains("Harbour strike &amp; flood: "),
                "{file}: no title"
            );
        }
    }
    let fan = fs::read_to_string(dir.path().join("plots/fan_national.svg")).unwrap();
    for text in ["\nbase\n", "\nno policies\n", "baseline (100 %)", "\nday\n"] {
        assert!(fan.contains(text), "fan chart lacks {text:?}");
    }
    let distribution = fs::read_to_string(dir.path().join("plots/loss_distribution.svg")).unwrap();
    assert!(distribution.contains("value-added loss, % of annual baseline"));
    assert!(distribution.contains("n = 10"));
    let heatmap = fs::read_to_string(dir.path().join("plots/heatmap_loss.svg")).unwrap();
    for text in [
        "\nnorth\n",
        "\nsouth\n",
        "\ngoods\n",
        "\nservices\n",
        "loss, %",
    ] {
        assert!(heatmap.contains(text), "heatmap lacks {text:?}");
    }

    let html = fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("http"), "the report refers to the network");
    assert!(!html.contains("<script") && !html.contains("<link"));
    assert!(html.contains("<h1>Harbour strike &amp; flood</h1>"));
    assert!(html.contains("Dockworkers strike in the north"));
    for text in [
        "id=\"reproduce\"",
        // a canonical command on the folder, whatever the run was launched with
        "hinterland run --reproduce DIR --out NEW",
        "5f0c1e2d3a4b5c6d",
        "<h3>Variant: base</h3>",
        "<h3>Variant: no policies</h3>",
        "<th>95 % CI</th>",
        "<code>va_loss_pct</code>",
        "<code>recovery_days_95</code>",
        "<code>holding_cost</code>",
        "// Ports close for two weeks (flows &lt; 5 % of normal)",
    ] {
        assert!(html.contains(text), "report lacks {text:?}");
    }
    assert_eq!(html.matches("<svg").count(), CHARTS.len());
    for chart in CHARTS {
        assert!(
            html.contains(&format!("<figure id=\"{chart}\">\n<svg ")),
            "{chart}"
        );
    }
}

#[test]
fn summary_table_shows_mean_interval_and_quantiles() {
    let dir = tempfile::tempdir().unwrap();
    let summary = "variant,metric,n,mean,std_error,p05,p25,p50,p75,p95,var95,cvar95\n\
                   base,va_loss_pct,10,2.5,0.1,2,2.2,2.4,2.8,3.1,3.1,3.25\n\
                   base,recovery_days_95,7,12.26,1.5,9,10,12,14,16,16,16.5\n\
                   base,loss_avoided,0,,,,,,,,,\n";
    Fake::small().write(dir.path());
    fs::write(dir.path().join("summary.csv"), summary).unwrap();
    draw_ensemble(dir.path()).unwrap();
    let html = fs::read_to_string(dir.path().join("report.html")).unwrap();
    // 2.5 ± 1.96 × 0.1, with three significant digits.
    assert!(
        html.contains(
            "<td>10</td><td>2.50</td><td>2.30 to 2.70</td><td>2.00</td><td>2.40</td>\
             <td>3.10</td><td>3.25</td>"
        ),
        "{html}"
    );
    assert!(html.contains("<td>7 of 10</td><td>12.3</td>"));
    assert!(html.contains("<td>0 of 10</td><td>\u{2014}</td><td>\u{2014}</td>"));
    assert!(html.contains("not in summary.csv"));
}

#[test]
fn output_is_byte_identical_when_drawn_again() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    Fake::small().write(first.path());
    Fake::small().write(second.path());
    let files = draw_ensemble(first.path()).unwrap();
    let before = read_all(first.path(), &files);
    assert_eq!(draw_ensemble(first.path()).unwrap(), files);
    assert!(
        before == read_all(first.path(), &files),
        "redrawing changed a file"
    );
    assert_eq!(draw_ensemble(second.path()).unwrap(), files);
    assert!(
        before == read_all(second.path(), &files),
        "another directory gives other bytes"
    );
}

#[test]
fn malformed_daily_csv_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    Fake::small().write(dir.path());
    let path = dir.path().join("daily.csv");
    let text = fs::read_to_string(&path).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[3] = "base,0,region,south,share of baseline value added,1,1,oops,1,1,1";
    fs::write(&path, lines.join("\n")).unwrap();
    let error = draw_ensemble(dir.path()).unwrap_err();
    assert!(
        matches!(
            error,
            PlotError::Malformed {
                line: 4,
                column: 8,
                ..
            }
        ),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.ends_with("daily.csv:4:8: not a number: \"oops\""),
        "{message}"
    );
    assert!(!dir.path().join("plots").exists(), "nothing is drawn");
    assert!(!dir.path().join("report.html").exists());
}

#[test]
fn malformed_inputs_are_errors_not_panics() {
    let cases: [(&str, &str, &str); 8] = [
        ("daily.csv", "", "daily.csv:1:1: empty file"),
        (
            "daily.csv",
            "variant,day,kind,name,unit,mean,p05,p25,p50,p75\n",
            "daily.csv:1:11: no column `p95`",
        ),
        (
            "daily.csv",
            "variant,day,kind,name,unit,mean,p05,p25,p50,p75,p95\nbase,0,national,,u,1,1,1,1,1\n",
            "daily.csv:2:11: expected 11 fields like the header, found 10",
        ),
        (
            "daily.csv",
            "variant,day,kind,name,unit,mean,p05,p25,p50,p75,p95\nbase,0,region,x,u,1,1,1,1,1,1\n",
            "daily.csv: no `national` series",
        ),
        (
            "summary.csv",
            "variant,metric,n,mean,std_error,p05,p25,p50,p75,p95,var95,cvar95\n\
             base,trough,-1,,,,,,,,,\n",
            "summary.csv:2:3: expected a whole number, found \"-1\"",
        ),
        (
            "runs.csv",
            "run,variant,seed,va_loss_pct\n0,\"base,1\n",
            "runs.csv:2:2: quoted field not closed",
        ),
        (
            "manifest.json",
            "{\"name\": \"x\",\n \"runs\": }",
            "manifest.json:2:10: not valid JSON",
        ),
        (
            "industry_loss.csv",
            "variant,region,sector,loss_pct\nbase,,goods,1\n",
            "industry_loss.csv:2:2: empty field, expected a name",
        ),
    ];
    for (file, text, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        Fake::small().write(dir.path());
        fs::write(dir.path().join(file), text).unwrap();
        let message = draw_ensemble(dir.path()).unwrap_err().to_string();
        let relative = message
            .strip_prefix(&format!("{}/", dir.path().display()))
            .unwrap_or(&message);
        assert!(relative.starts_with(expected), "{file}: {message}");
    }
    let dir = tempfile::tempdir().unwrap();
    Fake::small().write(dir.path());
    fs::remove_file(dir.path().join("summary.csv")).unwrap();
    let error = draw_ensemble(dir.path()).unwrap_err();
    assert!(matches!(error, PlotError::Io { .. }), "{error:?}");
    assert!(error.to_string().contains("summary.csv"));
}

#[test]
fn optional_charts_are_left_out_and_said_so() {
    let dir = tempfile::tempdir().unwrap();
    Fake::small().write(dir.path());
    fs::remove_file(dir.path().join("industry_loss.csv")).unwrap();
    fs::remove_file(dir.path().join("scenario.ron")).unwrap();
    // Keep only the national series: no backup output, no unmet demand.
    let path = dir.path().join("daily.csv");
    let text = fs::read_to_string(&path).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("variant,") || line.contains(",national,"))
        .collect();
    fs::write(&path, kept.join("\n") + "\n").unwrap();
    let files = draw_ensemble(dir.path()).unwrap();
    assert_eq!(
        files,
        [
            "plots/fan_national.png",
            "plots/fan_national.svg",
            "plots/loss_distribution.png",
            "plots/loss_distribution.svg",
            // from runs.csv, which is whole
            "plots/loss_avoided.png",
            "plots/loss_avoided.svg",
            "report.html",
        ]
    );
    let html = fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.contains("No chart <code>heatmap_loss</code>"));
    assert!(html.contains("No chart <code>fan_difference</code>"));
    assert!(html.contains("No chart <code>backup</code>: no variant has backup output."));
    assert!(html.contains("No chart <code>unmet_final_demand</code>"));
    assert!(html.contains("scenario.ron is not in the directory"));
}

#[test]
fn many_variants_regions_and_long_names_still_draw() {
    let dir = tempfile::tempdir().unwrap();
    let fake = Fake {
        variants: [
            "base",
            "no policies",
            "reserves, 30 days",
            "backup suppliers in every coastal region",
            "\"quoted\" name",
            "strategic_reserves_and_backup_capacity_combined",
        ]
        .map(String::from)
        .to_vec(),
        regions: (0..14)
            .map(|r| format!("Region number {r} of the inland plains"))
            .collect(),
        sectors: (0..26)
            .map(|s| format!("electricity_gas_steam_and_air_conditioning_{s}"))
            .collect(),
        days: 120,
        runs: 3,
        foreign: 4,
    };
    fake.write(dir.path());
    let files = draw_ensemble(dir.path()).unwrap();
    assert_eq!(files.len(), 2 * CHARTS.len() + 1);
    let html = fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.contains("<h3>Variant: reserves, 30 days</h3>"));
    assert!(html.contains("<h3>Variant: &quot;quoted&quot; name</h3>"));
    assert!(!html.contains("http"));
}

#[test]
fn a_single_run_of_a_single_day_draws() {
    let dir = tempfile::tempdir().unwrap();
    let fake = Fake {
        variants: vec!["base".into()],
        regions: vec!["r".into()],
        sectors: vec!["s".into()],
        days: 1,
        runs: 1,
        foreign: 0,
    };
    fake.write(dir.path());
    let files = draw_ensemble(dir.path()).unwrap();
    assert!(files.contains(&"plots/fan_national.svg".to_string()));
}

#[test]
fn extreme_values_give_errors_not_panics() {
    let header = "variant,day,series,mean,p05,p25,p50,p75,p95\n";
    let cases = [
        format!("{header}base,0,national,1e308,1e308,1e308,1e308,1e308,1e308\n"),
        format!("{header}base,0,national,1,-1e308,1,1,1,1e308\nbase,1,national,1,1,1,1,1,1\n"),
        format!("{header}base,5,national,1,1,1,1,1,1\nbase,5.5,national,1,1,1,1,1,1\n"),
        format!(
            "{header}base,0,national,1,1,1,1,1,1\nbase,1,national,1,1,1,1,1,1\n\
             base,0,backup_output,1e308,0,0,0,0,0\nbase,1,backup_output,-1e308,0,0,0,0,0\n\
             base,0,unmet_final_demand:a,1e308,0,0,0,0,0\n"
        ),
    ];
    for daily in &cases {
        let dir = tempfile::tempdir().unwrap();
        Fake::small().write(dir.path());
        fs::write(dir.path().join("daily.csv"), daily).unwrap();
        match draw_ensemble(dir.path()) {
            Ok(files) => assert!(files.contains(&"report.html".to_string())),
            Err(error) => {
                let message = error.to_string();
                assert!(
                    message.contains("daily.csv") || message.contains("plots/"),
                    "{message}"
                );
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    Fake::small().write(dir.path());
    fs::write(
        dir.path().join("runs.csv"),
        "run,variant,seed,va_loss_pct\n0,base,1,1e308\n1,base,1,-1e308\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("industry_loss.csv"),
        "variant,region,sector,loss_pct\nbase,a,x,1e308\nbase,a,y,-1e308\nbase,b,x,NaN\n",
    )
    .unwrap();
    let error = draw_ensemble(dir.path()).unwrap_err();
    assert!(error.to_string().contains("runs.csv"), "{error}");
    fs::write(
        dir.path().join("runs.csv"),
        "run,variant,seed,va_loss_pct\n0,base,1,-3\n1,base,1,\n",
    )
    .unwrap();
    assert!(draw_ensemble(dir.path()).is_ok());
}

/// The SVG text elements of a chart, one string each (plotters writes each on its own line).
fn svg_texts(dir: &Path, chart: &str) -> String {
    fs::read_to_string(dir.join(format!("plots/{chart}.svg"))).unwrap()
}

#[test]
fn difference_fan_of_a_variant_equal_to_no_policies_is_zero_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let fake = Fake {
        variants: vec!["base".into(), fake::PLACEBO.into(), "no policies".into()],
        ..Fake::small()
    };
    fake.write(dir.path());
    let ensemble = input::Ensemble::read(dir.path()).unwrap();
    let (placebo, base) = (1, 0);
    let difference = |variant: usize| {
        ensemble
            .series(variant, crate::metrics::ensemble::NATIONAL_VS_NO_POLICIES)
            .unwrap()
            .points
            .clone()
    };
    let points = difference(placebo);
    assert_eq!(points.len(), fake.days);
    for point in &points {
        for value in [point.mean, point.p05, point.p50, point.p95] {
            assert_eq!(value, Some(0.0), "day {}", point.day);
        }
    }
    // the policies of "base" help in every run, so even the 5 % quantile is above zero once
    // the crisis has started, though the variants' own bands overlap
    let base_points = difference(base);
    assert!(base_points[..5].iter().all(|p| p.p05 == Some(0.0)));
    assert!(base_points[10..20].iter().all(|p| p.p05.unwrap() > 0.0));
    assert!(ensemble.series(2, "national_vs_no_policies").is_none());
    let fan = fan::fan_difference(&ensemble).unwrap().unwrap();
    assert_eq!(fan::medians(&fan, "placebo"), vec![0.0; fake.days]);
    assert!(
        fan::medians(&fan, "base")
            .iter()
            .zip(&base_points)
            .all(|(drawn, p)| (drawn - 100.0 * p.p50.unwrap()).abs() < 1e-12),
        "the fan draws the paired median in percentage points"
    );
}

#[test]
fn loss_avoided_is_paired_run_by_run() {
    let dir = tempfile::tempdir().unwrap();
    Fake {
        variants: vec!["base".into(), fake::PLACEBO.into(), "no policies".into()],
        ..Fake::small()
    }
    .write(dir.path());
    let ensemble = input::Ensemble::read(dir.path()).unwrap();
    let chart = distribution::loss_avoided(&ensemble).unwrap().unwrap();
    // "no policies" has no loss avoided; the placebo avoids nothing in any run
    assert_eq!(distribution::labels(&chart), ["base", "placebo"]);
    assert_eq!(distribution::values(&chart, "placebo"), vec![0.0; 10]);
    // run by run: the loss of "no policies" minus that of base in the same run, in money
    let loss = |variant: usize| -> Vec<f64> {
        ensemble
            .runs
            .iter()
            .filter(|r| r.variant == variant)
            .map(|r| r.va_loss_pct.unwrap())
            .collect()
    };
    let (base, reference) = (loss(0), loss(2));
    let avoided = distribution::values(&chart, "base");
    for run in 0..10 {
        let money = avoided[run];
        let pct = reference[run] - base[run];
        // % of a year of a baseline of 1e6 a day
        assert!(
            (money - pct / 100.0 * 365.0 * 1e6).abs() < 1e-6 * money.abs(),
            "run {run}"
        );
        assert!(money > 0.0);
    }
}

#[test]
fn foreign_regions_are_kept_apart() {
    let dir = tempfile::tempdir().unwrap();
    Fake::small().write(dir.path());
    draw_ensemble(dir.path()).unwrap();
    for chart in ["heatmap_loss", "heatmap_loss_change"] {
        let svg = svg_texts(dir.path(), chart);
        assert!(
            svg.contains("\nnorth\n") && svg.contains("\nsouth\n"),
            "{chart}"
        );
        assert!(!svg.contains("\nROW_Europe\n"), "{chart}: a foreign row");
        assert!(
            svg.contains("foreign regions left out (1): ROW_Europe"),
            "{chart}: the foreign region is not named"
        );
    }
    let ensemble = input::Ensemble::read(dir.path()).unwrap();
    let heatmap = heatmap::heatmap_loss(&ensemble).unwrap();
    assert_eq!(heatmap::rows(&heatmap), ["north", "south"]);
    // unmet demand: one line per variant, domestic regions only
    let unmet = lines::unmet_final_demand(&ensemble).unwrap().unwrap();
    let labels: Vec<&str> = unmet.lines.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(labels, ["base", "no policies"]);
    assert_eq!(unmet.notes, ["foreign demand left out: ROW_Europe"]);
    let domestic_mean = |variant: usize, day: usize| -> f64 {
        ["north", "south"]
            .iter()
            .map(|r| {
                ensemble
                    .series(variant, &format!("unmet_final_demand:{r}"))
                    .unwrap()
                    .points[day]
                    .mean
                    .unwrap()
            })
            .sum()
    };
    for day in [0, 7, 20] {
        assert_eq!(unmet.lines[1].values[day], domestic_mean(1, day));
    }
    // the policies lower unmet demand, and the chart shows it
    assert!(unmet.lines[0].values[10] < unmet.lines[1].values[10]);
}

#[test]
fn the_change_heatmap_is_base_minus_no_policies() {
    let dir = tempfile::tempdir().unwrap();
    Fake::small().write(dir.path());
    let ensemble = input::Ensemble::read(dir.path()).unwrap();
    let change = heatmap::heatmap_loss_change(&ensemble).unwrap();
    let loss = |variant: usize, region: &str, sector: &str| {
        ensemble
            .industry_loss
            .as_ref()
            .unwrap()
            .iter()
            .find(|r| r.variant == variant && r.region == region && r.sector == sector)
            .unwrap()
            .loss_pct
            .unwrap()
    };
    assert_eq!(
        heatmap::cell(&change, 1, 0),
        Some(loss(0, "south", "goods") - loss(1, "south", "goods"))
    );
}

#[test]
fn captions_name_the_risk_tail_of_each_metric() {
    use crate::metrics::catalogue::CATALOGUE;
    let dir = tempfile::tempdir().unwrap();
    Fake::small().write(dir.path());
    draw_ensemble(dir.path()).unwrap();
    let html = fs::read_to_string(dir.path().join("report.html")).unwrap();
    for metric in CATALOGUE {
        let tail = report::risk_tail(metric.name);
        assert_eq!(
            tail.starts_with("lower"),
            !metric.higher_is_worse,
            "{}: {tail}",
            metric.name
        );
    }
    // loss avoided is better when higher: its bad tail is the lower one, below p05
    assert!(report::risk_tail("loss_avoided").contains("CVaR95 \u{2264} p05"));
    assert!(report::risk_tail("va_loss_pct").contains("CVaR95 \u{2265} p95"));
    let row = html
        .lines()
        .find(|line| line.contains("<code>loss_avoided</code>"))
        .unwrap();
    assert!(
        row.ends_with("lower: low is bad, CVaR95 \u{2264} p05</td></tr>"),
        "{row}"
    );
    let row = html
        .lines()
        .find(|line| line.contains("<code>va_loss_pct</code>"))
        .unwrap();
    assert!(row.contains("upper: high is bad"), "{row}");
}

#[test]
fn bands_from_few_runs_are_flagged() {
    let few = tempfile::tempdir().unwrap();
    Fake::small().write(few.path());
    draw_ensemble(few.path()).unwrap();
    let warning = "few runs: the 5–95 % band rests on 10 runs";
    for chart in ["fan_national", "fan_difference"] {
        assert!(svg_texts(few.path(), chart).contains(warning), "{chart}");
    }
    assert!(svg_texts(few.path(), "loss_distribution").contains("whisker span rests on 10 runs"));
    let html = fs::read_to_string(few.path().join("report.html")).unwrap();
    assert!(html.contains("<p class=\"warning\">Few runs: the 5–95 % band rests on 10 runs"));

    let enough = tempfile::tempdir().unwrap();
    Fake {
        runs: 20,
        ..Fake::small()
    }
    .write(enough.path());
    draw_ensemble(enough.path()).unwrap();
    assert!(!svg_texts(enough.path(), "fan_national").contains("few runs"));
    let html = fs::read_to_string(enough.path().join("report.html")).unwrap();
    assert!(!html.contains("class=\"warning\""));
}

#[test]
fn reserves_are_plotted_only_when_there_are_some() {
    let dir = tempfile::tempdir().unwrap();
    Fake::small().write(dir.path());
    let ensemble = input::Ensemble::read(dir.path()).unwrap();
    let chart = lines::reserve_stock(&ensemble).unwrap().unwrap();
    assert_eq!(chart.lines.len(), 1);
    assert_eq!(chart.lines[0].label, "base");
    assert_eq!(chart.notes, ["no reserve: no policies"]);
    // drawn down with value added: 5e6 at baseline, less in the crisis
    assert_eq!(chart.lines[0].values[0], 5.0e6);
    assert!(chart.lines[0].values[12] < 5.0e6);
    let dir = tempfile::tempdir().unwrap();
    Fake {
        variants: vec!["no policies".into()],
        ..Fake::small()
    }
    .write(dir.path());
    let ensemble = input::Ensemble::read(dir.path()).unwrap();
    assert!(lines::reserve_stock(&ensemble).unwrap().is_none());
    assert!(fan::fan_difference(&ensemble).unwrap().is_none());
    assert!(distribution::loss_avoided(&ensemble).unwrap().is_none());
}

#[test]
fn the_scenarios_warnings_are_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    Fake::small().write(dir.path());
    draw_ensemble(dir.path()).unwrap();
    let quiet = fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(!quiet.contains("Warning: "));
    // the manifest's warnings, escaped
    let path = dir.path().join("manifest.json");
    let manifest = fs::read_to_string(&path).unwrap().replace(
        "\"warnings\": []",
        "\"warnings\": [\"5 runs, but nothing is drawn <so> every run is identical\"]",
    );
    fs::write(&path, manifest).unwrap();
    draw_ensemble(dir.path()).unwrap();
    let html = fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(
        html.contains(
            "<p class=\"warning\">Warning: 5 runs, but nothing is drawn &lt;so&gt; every run is identical</p>"
        ),
        "{html}"
    );
}

#[test]
fn a_long_list_of_foreign_regions_is_named_in_the_report_not_cut_off_in_the_subtitle() {
    let names = |list: &[&str]| list.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    assert_eq!(heatmap::foreign_tail(&[]), "");
    assert_eq!(
        heatmap::foreign_tail(&names(&["ROW_Europe", "ROW_Other"])),
        "; foreign regions left out (2): ROW_Europe, ROW_Other"
    );
    let china = names(&[
        "ROW_Eurasia",
        "ROW_Europe",
        "ROW_LatinAmerica",
        "ROW_MiddleEast",
        "ROW_NorthAmerica",
        "ROW_NorthEastAsia",
        "ROW_Oceania",
        "ROW_Other",
        "ROW_SouthEastAsia",
    ]);
    assert_eq!(
        heatmap::foreign_tail(&china),
        "; 9 foreign regions left out (named in report.html)"
    );
}
