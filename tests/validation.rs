//! What validation catches before a study runs (every error in a file, warnings for runs that
//! cannot differ and shocks that may miss the run, messages that give the fix), and the
//! scenarios it now lets a user write: primitives with drawn days, crises narrowed to sectors.
//!
//! Covered elsewhere: foreign blocks are never silently domestic
//! (`regions::china_scenarios_need_no_regions_list_and_cannot_make_a_foreign_block_domestic`).

use std::path::{Path, PathBuf};

use crate::common::{hinterland, repo};

/// What the command said: `validate` reports on stdout, `run` on stderr.
fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr)
}

/// A scenario on the small two-region table (`north`, `south` × `goods`, `services`).
fn scenario(dir: &Path, name: &str, days: u32, body: &str) -> PathBuf {
    let path = dir.join(format!("{name}.ron"));
    let text = format!(
        r#"Scenario(name: "{name}", days: {days},
            regions: [("north", Coastal), ("south", Hinterland)],
            economy: Mrio(path: "{}", firms_per_industry: 4),
            {body})"#,
        repo("tests/fixtures/mrio-small").display()
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// `runs.csv` of `dir`: per row, the variant and the named columns' values.
fn runs(dir: &Path, columns: &[&str]) -> Vec<(String, Vec<f64>)> {
    let text = std::fs::read_to_string(dir.join("runs.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at: Vec<usize> = columns
        .iter()
        .map(|c| header.iter().position(|h| h == c).expect(c))
        .collect();
    lines
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            (
                cells[1].to_string(),
                at.iter().map(|&i| cells[i].parse().unwrap()).collect(),
            )
        })
        .collect()
}

/// `draws.csv` of `dir`: per run, the value drawn for `parameter`.
fn draws(dir: &Path, parameter: &str) -> Vec<f64> {
    let text = std::fs::read_to_string(dir.join("draws.csv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| l.split(',').nth(2) == Some(parameter))
        .map(|l| l.rsplit(',').next().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn a_file_with_three_errors_reports_all_three() {
    let tmp = tempfile::tempdir().unwrap();
    // a start after the last day, a backup triggered by a misspelt shock, a region listed twice
    let path = tmp.path().join("three.ron");
    std::fs::write(
        &path,
        format!(
            r#"Scenario(name: "three", days: 50,
                regions: [("north", Coastal), ("south", Hinterland), ("north", Coastal)],
                economy: Mrio(path: "{}"),
                shocks: [CapacityLoss(name: "flood", impacts: [("north", "goods", 0.4)],
                                      start_day: 80, duration_days: 5)],
                backup: [Backup(name: "standby", sector: "goods", region: "south",
                                capacity_share: 0.1, trigger: OnShock("flod"))])"#,
            repo("tests/fixtures/mrio-small").display()
        ),
    )
    .unwrap();
    let out = hinterland(tmp.path(), &["validate", "three.ron"]);
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 3, "{text}");
    for (error, says) in errors.iter().zip([
        // in the order of the scenario's fields
        "three.ron: shocks[0] CapacityLoss \"flood\": start_day: day 80 is not inside the run",
        "three.ron: regions[2]: region \"north\" is listed twice",
        "three.ron: backup[0] \"standby\": trigger: unknown shock \"flod\"; did you mean \"flood\"?",
    ]) {
        assert!(error.contains(says), "{error}\nexpected: {says}");
    }
    // names checked against the table: every shock's, not only the first one's
    let path = scenario(
        tmp.path(),
        "names",
        50,
        r#"shocks: [
            CapacityLoss(name: "a", impacts: [("nort", "goods", 0.4)], start_day: 5),
            LinkBlock(name: "b", from: Names(["sooth"]), to: Domestic, start_day: 5),
            CapacityLoss(name: "c", impacts: [("north", "good", 0.4)], start_day: 5)]"#,
    );
    let out = hinterland(tmp.path(), &["validate", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    for says in [
        "shocks[0] CapacityLoss \"a\": impacts[0]: unknown region \"nort\"; did you mean \"north\"?",
        "shocks[1] LinkBlock \"b\": from[0]: unknown region \"sooth\"; did you mean \"south\"?",
        "shocks[2] CapacityLoss \"c\": impacts[0]: unknown sector \"good\"; did you mean \"goods\"?",
    ] {
        assert!(text.contains(says), "{text}\nexpected: {says}");
    }
    // and every misspelt assignment of a variant
    let path = scenario(
        tmp.path(),
        "paths",
        50,
        r#"shocks: [CapacityLoss(name: "flood", impacts: [("north", "goods", 0.4)], start_day: 5)],
           variants: [Variant(name: "v", set: [("shocks.flod.duration_days", 3),
                                               ("shocks.flood.duraton_days", 3)])]"#,
    );
    let out = hinterland(tmp.path(), &["validate", path.to_str().unwrap()]);
    let text = stderr(&out);
    assert!(
        text.contains("set[0] \"shocks.flod.duration_days\": no shock is named \"flod\"; did you mean \"flood\"?"),
        "{text}"
    );
    assert!(
        text.contains("set[1] \"shocks.flood.duraton_days\"")
            && text.contains("did you mean \"duration_days\"?"),
        "{text}"
    );
}

#[test]
fn identical_runs_and_shocks_that_may_miss_the_run_are_warned_and_one_that_always_does_is_an_error()
{
    let tmp = tempfile::tempdir().unwrap();
    let warnings = |path: &Path| -> (Option<i32>, Vec<String>) {
        let out = hinterland(tmp.path(), &["validate", path.to_str().unwrap()]);
        let text = stderr(&out);
        let lines = text
            .lines()
            .filter(|l| l.starts_with("warning: ") || l.starts_with("error: "))
            .map(String::from)
            .collect();
        (out.status.code(), lines)
    };
    // five runs of a shock with plain numbers: five copies of one run
    let fixed = scenario(
        tmp.path(),
        "fixed",
        60,
        r#"runs: 5, shocks: [CapacityLoss(name: "flood", impacts: [("north", "goods", 0.4)],
                                         start_day: 5, duration_days: 10)]"#,
    );
    let (code, lines) = warnings(&fixed);
    assert_eq!(code, Some(0));
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0]
            .contains("5 runs, but nothing in the scenario is drawn, so every run is identical"),
        "{lines:?}"
    );
    // one run, or a drawn duration: nothing to say
    let drawn = scenario(
        tmp.path(),
        "drawn",
        60,
        r#"runs: 5, shocks: [CapacityLoss(name: "flood", impacts: [("north", "goods", 0.4)],
                                         start_day: 5, duration_days: Uniform(5, 15))]"#,
    );
    assert_eq!(warnings(&drawn), (Some(0), vec![]));
    // a start drawn on days 40..80 of a 60-day run: about half the runs see no shock
    let late = scenario(
        tmp.path(),
        "late",
        60,
        r#"runs: 5, shocks: [CapacityLoss(name: "flood", impacts: [("north", "goods", 0.4)],
                                         start_day: Uniform(40, 80), duration_days: 10)]"#,
    );
    let (code, lines) = warnings(&late);
    assert_eq!(code, Some(0));
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("start_day: Uniform(40, 80) starts on or after day 60 in about 5")
            && lines[0].contains("of runs, which then see no CapacityLoss at all"),
        "{lines:?}"
    );
    // days 70..80 of a 60-day run: never
    let never = scenario(
        tmp.path(),
        "never",
        60,
        r#"shocks: [CapacityLoss(name: "flood", impacts: [("north", "goods", 0.4)],
                                start_day: Uniform(70, 80), duration_days: 10)]"#,
    );
    let (code, lines) = warnings(&never);
    assert_eq!(code, Some(2));
    assert!(
        lines[0].contains("start_day: Uniform(70, 80) never starts inside the run"),
        "{lines:?}"
    );
    // a backup whose trigger can never fire
    let idle = scenario(
        tmp.path(),
        "idle",
        60,
        r#"shocks: [CapacityLoss(name: "flood", impacts: [("north", "goods", 0.4)], start_day: 5)],
           backup: [Backup(name: "standby", sector: "goods", region: "south", capacity_share: 0.1,
                           trigger: Availability(below: 0.0))]"#,
    );
    let (code, lines) = warnings(&idle);
    assert_eq!(code, Some(0));
    assert!(
        lines.iter().any(|l| l.contains(
            "backup[0] \"standby\": trigger: availability is never below 0, so the backup never starts"
        )),
        "{lines:?}"
    );
}

#[test]
fn ron_messages_give_the_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let message = |body: &str| -> String {
        let path = scenario(tmp.path(), "msg", 60, body);
        let out = hinterland(tmp.path(), &["validate", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2));
        stderr(&out)
    };
    // a quoted number
    let text = message(
        r#"shocks: [CapacityLoss(name: "f", impacts: [("north", "goods", "0.4")], start_day: 5)]"#,
    );
    assert!(
        text.contains("msg.ron:4:75:")
            && text.contains("expected a number, found the text \"0.4\": write it without quotes"),
        "{text}"
    );
    // a number where a name is expected (RON would suggest the raw identifier r#5)
    let text = message(
        r#"shocks: [CapacityLoss(name: "f", impacts: [("north", "goods", 0.4)], start_day: 5,
                                 recovery: 5)]"#,
    );
    assert!(
        text.contains("found the number 5 where a name is expected") && !text.contains("r#"),
        "{text}"
    );
    // a distribution of the wrong shape: RON's own words, at the value's own position
    let text = message(
        r#"shocks: [CapacityLoss(name: "f", impacts: [("north", "goods", 0.4)],
                                 start_day: Uniform(5))]"#,
    );
    assert!(
        text.contains("msg.ron:5:54: Expected tuple variant Dist::Uniform with 2 elements"),
        "{text}"
    );
    // neither a number nor a distribution: both forms shown
    let text = message(
        r#"shocks: [CapacityLoss(name: "f", impacts: [("north", "goods", 0.4)],
                                 start_day: [5])]"#,
    );
    assert!(
        text.contains("expected a number of days: a number such as 14, or a distribution such as Uniform(14, 28)"),
        "{text}"
    );
}

/// A primitive's drawn duration is drawn per run, recorded in draws.csv, and each run is the
/// run of the primitive written with that number.
#[test]
fn a_primitive_with_a_drawn_duration_is_each_run_the_primitive_with_the_number_drawn() {
    let tmp = tempfile::tempdir().unwrap();
    let drawn = scenario(
        tmp.path(),
        "drawn",
        80,
        r#"runs: 6, seed: 4,
           shocks: [CapacityLoss(name: "flood", impacts: [("north", "goods", 0.5)],
                                 start_day: 5, duration_days: Uniform(3, 30))]"#,
    );
    let out = hinterland(tmp.path(), &["run", drawn.to_str().unwrap(), "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dir = tmp.path().join("output/drawn");
    let durations = draws(&dir, "duration_days");
    assert_eq!(durations.len(), 6);
    assert!(
        durations
            .iter()
            .all(|d| (3.0..=30.0).contains(d) && d.fract() == 0.0)
    );
    assert_eq!(draws(&dir, "start_day"), vec![5.0; 6]);
    let losses: Vec<f64> = runs(&dir, &["va_loss_days"])
        .into_iter()
        .map(|(_, v)| v[0])
        .collect();
    // longer closures lose more
    let mut by_duration: Vec<(f64, f64)> = durations.iter().copied().zip(losses.clone()).collect();
    by_duration.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert!(
        by_duration
            .windows(2)
            .all(|w| w[0].0 == w[1].0 || w[0].1 < w[1].1),
        "{by_duration:?}"
    );
    // run k is the primitive written with run k's duration
    for k in [0, 3] {
        let name = format!("fixed{k}");
        let fixed = scenario(
            tmp.path(),
            &name,
            80,
            &format!(
                r#"shocks: [CapacityLoss(name: "flood", impacts: [("north", "goods", 0.5)],
                                        start_day: 5, duration_days: {})]"#,
                durations[k]
            ),
        );
        let out = hinterland(tmp.path(), &["run", fixed.to_str().unwrap(), "--quiet"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let loss = runs(&tmp.path().join("output").join(&name), &["va_loss_days"])[0].1[0];
        assert_eq!(loss, losses[k], "run {k}");
    }
}

/// A crisis narrowed to a sector hits that sector's firms only: the other sector of the
/// region loses only what it loses indirectly, and all its firms narrowed is all its firms.
#[test]
fn a_crisis_narrowed_to_a_sector_hits_only_that_sectors_firms() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |name: &str, sectors: &str| -> PathBuf {
        let path = scenario(
            tmp.path(),
            name,
            60,
            &format!(
                r#"runs: 3, records: [CapacityLoss],
                   shocks: [CoastalDisruption(name: "typhoon", {sectors}
                       start_day: 5, duration_days: Uniform(14, 28), firms_hit: 1.0,
                       capacity_loss: 0.5, recovery: Recover(function: Linear, tau_days: 5))]"#
            ),
        );
        let out = hinterland(
            tmp.path(),
            &["run", path.to_str().unwrap(), "--quiet", "--records"],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        tmp.path().join("output").join(name)
    };
    let narrow = run("narrow", r#"sectors: ["goods"],"#);
    let wide = run("wide", "");
    let everything = run("every", r#"sectors: ["goods", "services"],"#);
    // same draws: the duration is drawn from the same stream
    assert_eq!(
        draws(&narrow, "duration_days"),
        draws(&wide, "duration_days")
    );
    // firms hit: the 4 goods firms of north, against all 8 of north
    assert_eq!(draws(&narrow, "firms_hit_count"), vec![4.0; 3]);
    assert_eq!(draws(&wide, "firms_hit_count"), vec![8.0; 3]);
    let loss =
        |dir: &Path| crate::common::read_csv(&dir.join("runs/0000/records/capacity_loss.csv"));
    let (narrow_loss, wide_loss) = (loss(&narrow), loss(&wide));
    let column = |csv: &crate::common::Csv, label: &str| {
        csv.columns
            .iter()
            .position(|c| c == label)
            .unwrap_or_else(|| panic!("{label}: {:?}", csv.columns))
    };
    let day = 10;
    assert_eq!(
        narrow_loss.rows[day][column(&narrow_loss, "north|goods")],
        0.5
    );
    assert_eq!(
        narrow_loss.rows[day][column(&narrow_loss, "north|services")],
        0.0
    );
    assert_eq!(
        wide_loss.rows[day][column(&wide_loss, "north|services")],
        0.5
    );
    // naming every sector is the same as naming none
    assert_eq!(
        std::fs::read(everything.join("runs.csv")).unwrap(),
        std::fs::read(wide.join("runs.csv")).unwrap()
    );
}
