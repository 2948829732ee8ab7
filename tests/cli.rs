//! The real binary, run as a user would, in temporary directories.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{hinterland, listing, read_csv, repo};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A scenario file in `dir` over the small two-region fixture economy.
fn small_scenario(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(format!("{name}.ron"));
    let mrio = repo("tests/fixtures/mrio-small");
    let text = format!(
        r#"Scenario(name: "{name}", days: 20,
            economy: Mrio(path: "{}", firms_per_industry: 3),
            {body})"#,
        mrio.display()
    );
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn run_writes_records_then_refuses_to_overwrite_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = small_scenario(
        tmp.path(),
        "flood",
        r#"shocks: [CapacityLoss(name: "flood", impacts: [("north", "goods", 0.4)], start_day: 2, duration_days: 5)],
           records: [ProductionRealised, FinalDemandUnmet]"#,
    );
    let out = hinterland(
        tmp.path(),
        &["run", scenario.to_str().unwrap(), "--out", "results"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let records = tmp.path().join("results/records");
    assert_eq!(
        listing(&records),
        ["final_demand_unmet.csv", "production_realised.csv"]
    );
    let production = read_csv(&records.join("production_realised.csv"));
    assert_eq!(
        production.columns,
        [
            "north|goods",
            "north|services",
            "south|goods",
            "south|services"
        ]
    );
    assert_eq!(production.rows.len(), 20);
    // the flood cuts north|goods from day 2 to day 6 and not before
    assert_eq!(production.rows[1][0], production.rows[0][0]);
    assert!(production.rows[3][0] < 0.7 * production.rows[0][0]);
    let first = std::fs::read(records.join("production_realised.csv")).unwrap();

    let again = hinterland(
        tmp.path(),
        &["run", scenario.to_str().unwrap(), "--out", "results"],
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already exists; use --force"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read(records.join("production_realised.csv")).unwrap(),
        first
    );

    let forced = hinterland(
        tmp.path(),
        &[
            "run",
            scenario.to_str().unwrap(),
            "--out",
            "results",
            "--force",
        ],
    );
    assert!(forced.status.success(), "{}", stderr(&forced));
    // same scenario, same bytes; and no temporary folder left beside the output
    assert_eq!(
        std::fs::read(records.join("production_realised.csv")).unwrap(),
        first
    );
    assert_eq!(listing(tmp.path()), ["flood.ron", "results"]);
}

/// Slurm logs and pipes are not terminals: progress comes as a plain line at every tenth of
/// the simulations (runs × variants), and `--quiet` keeps stderr silent.
#[test]
fn a_piped_run_writes_a_progress_line_at_every_tenth() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = small_scenario(
        tmp.path(),
        "piped",
        r#"shocks: [CapacityLoss(name: "hit", impacts: [("north", "goods", 0.3)],
                start_day: 3, duration_days: 5)],
            variants: [Variant(name: "longer", set: [("shocks.hit.duration_days", 8)])]"#,
    );
    let run = |extra: &[&str]| {
        let mut args = vec!["run", scenario.to_str().unwrap(), "--runs", "30", "--force"];
        args.extend_from_slice(extra);
        let out = hinterland(tmp.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stderr(&out)
    };
    let text = run(&[]);
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("progress: "))
        .collect();
    // 30 runs × 2 variants: a line at 6, 12, …, 60 simulations
    assert_eq!(lines.len(), 10, "{text}");
    for (k, line) in lines.iter().enumerate() {
        let done = 6 * (k + 1);
        assert!(
            line.starts_with(&format!(
                "progress: {done}/60 simulations (30 runs × 2 variants, {} %)",
                10 * (k + 1)
            )),
            "{line}"
        );
    }
    assert!(!run(&["--quiet"]).contains("progress"));
}

#[test]
fn default_output_is_output_slash_scenario_name() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = small_scenario(tmp.path(), "calm", "");
    let out = hinterland(tmp.path(), &["run", scenario.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    // every record by default, plus the scenario copy
    // backup and reserve records only exist when the scenario has policies
    assert_eq!(listing(&tmp.path().join("output/calm/records")).len(), 8);
    let copy = std::fs::read_to_string(tmp.path().join("output/calm/scenario.ron")).unwrap();
    assert_eq!(copy, std::fs::read_to_string(&scenario).unwrap());
}

#[test]
fn malformed_mrio_tables_exit_2_naming_file_row_and_column() {
    let expected = std::fs::read_to_string(repo("tests/fixtures/mrio-bad/expected.txt")).unwrap();
    let mut cases = 0;
    for line in expected.lines().filter(|l| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let (case, file, row, col, fragment) =
            (fields[0], fields[1], fields[2], fields[3], fields[4]);
        let tmp = tempfile::tempdir().unwrap();
        let folder = repo("tests/fixtures/mrio-bad").join(case);
        let scenario = tmp.path().join("bad.ron");
        std::fs::write(
            &scenario,
            format!(
                r#"Scenario(name: "bad", days: 5, economy: Mrio(path: "{}"))"#,
                folder.display()
            ),
        )
        .unwrap();
        let out = hinterland(tmp.path(), &["run", "bad.ron", "--out", "results"]);
        let message = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{case}: {message}");
        // `-`: the table as a whole (an error of the economy, not of one file)
        let mut location = if file == "-" {
            folder.display().to_string()
        } else {
            folder.join(file).display().to_string()
        };
        for part in [row, col] {
            if part != "-" {
                location = format!("{location}:{part}");
            }
        }
        assert!(
            message.contains(&format!("{location}:")),
            "{case}: {message}"
        );
        assert!(message.contains(fragment), "{case}: {message}");
        assert!(!message.contains("panicked"), "{case}: {message}");
        assert_eq!(
            listing(tmp.path()),
            ["bad.ron"],
            "{case}: output left behind"
        );
        cases += 1;
    }
    assert!(cases >= 10);
}

#[test]
fn malformed_scenarios_exit_2_with_a_position_or_a_path() {
    let cases: [(&str, &str); 9] = [
        // syntax: position of the problem
        (
            r#"Scenario(name: "x", days: 5, economy: Mrio(path: "m")"#,
            "x.ron:1:",
        ),
        // unknown field
        (
            "Scenario(name: \"x\", days: 5,\n  economy: Mrio(path: \"m\", firm_per_industry: 2))",
            "x.ron:2:",
        ),
        // out of range, at the value
        (
            "Scenario(name: \"x\", days: 5, economy: Mrio(path: \"m\"),\n dynamics: Ario(psi: Some(1.5)))",
            "1.5 is out of range: expected a number in (0, 1]",
        ),
        (
            "Scenario(name: \"x\", days: 0, economy: Mrio(path: \"m\"))",
            "x.ron:1:",
        ),
        // type error
        (
            "Scenario(name: \"x\", days: \"ten\", economy: Mrio(path: \"m\"))",
            "x.ron:1:",
        ),
        // cross-references, named by their path in the scenario
        (
            r#"Scenario(name: "x", days: 5, economy: Mrio(path: "MRIO"),
               shocks: [CapitalLoss(name: "quake", impacts: [("nord", "goods", 1.0)], start_day: 1,
                                    recovery: Recover(tau_days: 5))])"#,
            r#"shocks[0] CapitalLoss "quake": impacts[0]: unknown region "nord"; did you mean "north"?"#,
        ),
        (
            r#"Scenario(name: "x", days: 5, economy: Mrio(path: "MRIO"),
               shocks: [CapacityLoss(name: "c", impacts: [("north", "good", 0.5)], start_day: 9)])"#,
            "start_day: day 9 is not inside the run",
        ),
        (
            r#"Scenario(name: "x", days: 5, economy: Mrio(path: "MRIO"),
               shocks: [CapitalLoss(name: "q", impacts: [("north", "goods", 1e12)], start_day: 1,
                                    recovery: Recover(tau_days: 5))])"#,
            "exceeds the productive capital",
        ),
        // a missing table
        (
            r#"Scenario(name: "x", days: 5, economy: Mrio(path: "nowhere"))"#,
            "file_parameters.json",
        ),
    ];
    let mrio = repo("tests/fixtures/mrio-small");
    for (text, fragment) in cases {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(
            tmp.path().join("x.ron"),
            text.replace("MRIO", mrio.to_str().unwrap()),
        )
        .unwrap();
        let out = hinterland(tmp.path(), &["run", "x.ron", "--out", "results"]);
        let message = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{text}\n{message}");
        assert!(
            message.contains(fragment),
            "expected {fragment:?} in {message}"
        );
        assert!(!message.contains("panicked"), "{message}");
        assert_eq!(listing(tmp.path()), ["x.ron"], "{text}: output left behind");
    }
}

#[test]
fn a_missing_scenario_file_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out = hinterland(tmp.path(), &["run", "absent.ron"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("absent.ron: cannot read scenario"),
        "{}",
        stderr(&out)
    );
    assert!(listing(tmp.path()).is_empty());
}

/// A sector named `other, n.e.c.` (as EXIOBASE names some) goes through the table loader, the
/// run, every CSV written, the charts and the report, and comes back unchanged.
#[test]
fn a_sector_name_with_a_comma_survives_run_records_and_plot() {
    let tmp = tempfile::tempdir().unwrap();
    let mrio = tmp.path().join("mrio");
    std::fs::create_dir(&mrio).unwrap();
    let name = "other, n.e.c.";
    for file in [
        "Z.txt",
        "Y.txt",
        "x.txt",
        "unit.txt",
        "file_parameters.json",
    ] {
        let text = std::fs::read_to_string(repo("tests/fixtures/mrio-small").join(file)).unwrap();
        std::fs::write(mrio.join(file), text.replace("services", name)).unwrap();
    }
    let scenario = tmp.path().join("comma.ron");
    std::fs::write(
        &scenario,
        format!(
            r#"Scenario(name: "comma", days: 20, runs: 2,
                economy: Mrio(path: "mrio", firms_per_industry: 2),
                shocks: [CapacityLoss(name: "strike", impacts: [("north", {name:?}, 0.5)],
                                      start_day: 2, duration_days: 5)])"#
        ),
    )
    .unwrap();
    let out = hinterland(
        tmp.path(),
        &["run", "comma.ron", "--records", "--out", "results"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let results = tmp.path().join("results");
    // the records, read back by the program's own reader
    let record = std::fs::read(results.join("runs/0000/records/production_realised.csv")).unwrap();
    let table =
        hinterland::table::Table::parse(&record, Path::new("production_realised.csv")).unwrap();
    assert!(
        table.header().contains(&format!("north|{name}")),
        "{:?}",
        table.header()
    );
    // and it is a CSV any reader splits the same way: the label is quoted
    let header = String::from_utf8_lossy(&record);
    assert!(
        header
            .lines()
            .next()
            .unwrap()
            .contains(&format!("\"north|{name}\""))
    );
    let industry = std::fs::read(results.join("industry_loss.csv")).unwrap();
    let industry =
        hinterland::table::Table::parse(&industry, Path::new("industry_loss.csv")).unwrap();
    let sector = industry.column("sector").unwrap();
    assert!(industry.rows().iter().any(|r| r.text(sector) == name));
    // the shock hit that industry: its production fell on day 3
    let column = table
        .header()
        .iter()
        .position(|c| c == &format!("north|{name}"))
        .unwrap();
    let day = |d: usize| table.rows()[d].number(column).unwrap();
    assert!(day(3) < 0.7 * day(0));
    // the charts and the report are drawn again from these files, and name the sector
    std::fs::remove_dir_all(results.join("plots")).unwrap();
    let replot = hinterland(tmp.path(), &["plot", "results"]);
    assert!(replot.status.success(), "{}", stderr(&replot));
    let heatmap = std::fs::read_to_string(results.join("plots/heatmap_loss.svg")).unwrap();
    assert!(heatmap.contains(name), "the heatmap does not name {name:?}");
    let report = std::fs::read_to_string(results.join("report.html")).unwrap();
    assert!(report.contains(name));
}

/// The scenario is read once (a pipe works), a byte-order mark is skipped, and `plot` on a
/// file that is not an output folder is bad input (exit 2).
#[test]
fn a_piped_scenario_with_a_byte_order_mark_runs_and_plot_refuses_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = small_scenario(
        tmp.path(),
        "piped",
        r#"shocks: [CapacityLoss(name: "flood", impacts: [("north", "goods", 0.4)], start_day: 2, duration_days: 5)]"#,
    );
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(std::fs::read(&scenario).unwrap());
    std::fs::write(&scenario, &bytes).unwrap();
    let validate = hinterland(tmp.path(), &["validate", scenario.to_str().unwrap()]);
    assert!(
        validate.status.success(),
        "{}",
        String::from_utf8_lossy(&validate.stdout)
    );
    let run = Command::new(env!("CARGO_BIN_EXE_hinterland"))
        .args(["run", "/dev/stdin", "--out", "piped", "--quiet"])
        .current_dir(tmp.path())
        .stdin(std::fs::File::open(&scenario).unwrap())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    // the scenario copy is the bytes piped in
    assert_eq!(
        std::fs::read(tmp.path().join("piped/scenario.ron")).unwrap(),
        bytes
    );
    let plot = hinterland(tmp.path(), &["plot", "piped.ron"]);
    assert_eq!(plot.status.code(), Some(2), "{}", stderr(&plot));
    assert!(
        stderr(&plot).contains("piped.ron: is not a folder"),
        "{}",
        stderr(&plot)
    );
}

/// `plot` on a sweep folder (one with `sweep.csv`) redraws the sweep charts and report from
/// its files, and nothing of an ensemble.
#[test]
fn plot_redraws_a_sweep_folder_from_its_files() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = tmp.path().join("sweep");
    std::fs::create_dir(&sweep).unwrap();
    let fixture = repo("tests/fixtures/sweep-output/grid2");
    for file in listing(&fixture) {
        std::fs::copy(fixture.join(&file), sweep.join(&file)).unwrap();
    }
    let plot = hinterland(tmp.path(), &["plot", "sweep"]);
    assert!(plot.status.success(), "{}", stderr(&plot));
    let plots = listing(&sweep.join("plots"));
    for chart in ["frontier_mean", "frontier_cvar95", "sweep_va_loss_money"] {
        assert!(plots.contains(&format!("{chart}.svg")), "{plots:?}");
        assert!(plots.contains(&format!("{chart}.png")), "{plots:?}");
    }
    assert!(!plots.iter().any(|p| p.starts_with("fan_")), "{plots:?}");
    let report = std::fs::read_to_string(sweep.join("report.html")).unwrap();
    assert!(report.contains("Policy frontier"));
}

/// `--force` never deletes an input: a destination that holds the scenario or its MRIO
/// folder is refused before any work, and one under a file cannot be made (exit 2, nothing
/// touched).
#[test]
fn force_never_replaces_a_folder_that_holds_an_input() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let mrio = work.join("mrio");
    std::fs::create_dir(&mrio).unwrap();
    crate::common::copy_mrio_small(&mrio);
    std::fs::write(
        work.join("s.ron"),
        r#"Scenario(name: "s", days: 10, economy: Mrio(path: "mrio"))"#,
    )
    .unwrap();
    let before = listing(&work);
    for out in ["work", "work/mrio", "."] {
        let run = hinterland(tmp.path(), &["run", "work/s.ron", "--out", out, "--force"]);
        assert_eq!(run.status.code(), Some(2), "{out}: {}", stderr(&run));
        assert!(
            stderr(&run).contains("refusing to replace it"),
            "{out}: {}",
            stderr(&run)
        );
        assert_eq!(listing(&work), before, "{out}: an input was touched");
        assert_eq!(listing(&mrio).len(), 5);
    }
    // a destination under a file
    let run = hinterland(
        tmp.path(),
        &["run", "work/s.ron", "--out", "work/s.ron/out"],
    );
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("s.ron is not a folder"),
        "{}",
        stderr(&run)
    );
    // the China builder never replaces its own sources either
    let build = hinterland(
        tmp.path(),
        &[
            "build-china",
            "--sources",
            "work",
            "--out",
            "work",
            "--force",
        ],
    );
    assert_eq!(build.status.code(), Some(2), "{}", stderr(&build));
    assert_eq!(listing(&work), before);
}

/// An economy whose numbers cannot be computed with is refused before any run: exit 2,
/// nothing written, the firm named. (Results that are not finite all the same stop the
/// ensemble naming the run and its draws: `montecarlo::ensemble`'s unit test.)
#[test]
fn an_economy_that_cannot_be_computed_is_refused_before_the_runs() {
    let tmp = tempfile::tempdir().unwrap();
    // log-normal firm sizes with sigma 1000 underflow: some firms have no output
    let scenario = tmp.path().join("nan.ron");
    std::fs::write(
        &scenario,
        format!(
            r#"Scenario(name: "nan", days: 20, runs: 2,
                economy: Mrio(path: "{}", firms_per_industry: 2, firm_sizes: LogNormal(sigma: 1000.0)),
                regions: [("south", Foreign)],
                shocks: [TechCutoff(name: "cut", sectors: ["goods"], start_day: Uniform(2, 5),
                                    duration_days: Fixed(5))])"#,
            repo("tests/fixtures/mrio-small").display()
        ),
    )
    .unwrap();
    for command in ["run", "validate"] {
        let out = hinterland(
            tmp.path(),
            &[command, "nan.ron", "--out", "out"][..if command == "run" { 4 } else { 2 }],
        );
        assert_eq!(out.status.code(), Some(2), "{command}: {}", stderr(&out));
        let message = format!("{}{}", stderr(&out), String::from_utf8_lossy(&out.stdout));
        assert!(
            message.contains("nan.ron: economy: the output of firm "),
            "{message}"
        );
        assert!(
            message.contains("the economy cannot be simulated"),
            "{message}"
        );
        assert!(!message.contains("panicked"), "{message}");
        assert_eq!(listing(tmp.path()), ["nan.ron"]);
    }
}

/// An absurd `--threads` is capped at 4 per core with a warning, and changes no result.
#[test]
fn absurd_thread_counts_are_capped_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = small_scenario(
        tmp.path(),
        "threads",
        r#"shocks: [CapacityLoss(name: "flood", impacts: [("north", "goods", 0.4)], start_day: 2, duration_days: 5)]"#,
    );
    let scenario = scenario.to_str().unwrap();
    let many = hinterland(
        tmp.path(),
        &["run", scenario, "--out", "many", "--threads", "100000"],
    );
    assert!(many.status.success(), "{}", stderr(&many));
    assert!(stderr(&many).contains("warning: --threads 100000 is more than 4 per core"));
    let one = hinterland(
        tmp.path(),
        &["run", scenario, "--out", "one", "--threads", "1"],
    );
    assert!(one.status.success(), "{}", stderr(&one));
    let record = "records/production_realised.csv";
    assert_eq!(
        std::fs::read(tmp.path().join("many").join(record)).unwrap(),
        std::fs::read(tmp.path().join("one").join(record)).unwrap()
    );
}

/// Log levels: by default the warnings and the summary line; -v adds debug lines; -q, given
/// before the command or after it, leaves the warnings alone; -qq leaves nothing but errors;
/// -v with -q is refused as a usage error.
#[test]
fn verbosity_flags_choose_which_lines_reach_stderr() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = small_scenario(
        tmp.path(),
        "levels",
        r#"shocks: [CapacityLoss(name: "flood", impacts: [("north", "goods", 0.4)], start_day: 2, duration_days: 5)]"#,
    );
    let scenario = scenario.to_str().unwrap();
    // an absurd thread count: a warning every run gives
    let run_args = [
        "run",
        scenario,
        "--out",
        "out",
        "--force",
        "--threads",
        "100000",
    ];
    let lines = |before: &[&str], after: &[&str]| -> (Option<i32>, Vec<String>) {
        let args: Vec<&str> = before
            .iter()
            .chain(&run_args)
            .chain(after)
            .copied()
            .collect();
        let output = hinterland(tmp.path(), &args);
        let text = stderr(&output);
        (
            output.status.code(),
            text.lines().map(str::to_string).collect(),
        )
    };
    let warning = "warning: --threads 100000 is more than 4 per core";

    let (status, default) = lines(&[], &[]);
    assert_eq!(status, Some(0), "{default:?}");
    assert!(default[0].starts_with(warning), "{default:?}");
    assert!(
        default.last().unwrap().contains(" files to out"),
        "no summary line: {default:?}"
    );
    assert!(
        !default.iter().any(|l| l.starts_with("debug: ")),
        "{default:?}"
    );

    let (status, verbose) = lines(&["-v"], &[]);
    assert_eq!(status, Some(0), "{verbose:?}");
    let debug: Vec<&String> = verbose
        .iter()
        .filter(|l| l.starts_with("debug: "))
        .collect();
    assert!(
        debug
            .iter()
            .any(|l| l.contains("levels.ron: 12 firms") && l.contains("thread")),
        "{debug:?}"
    );
    assert!(
        debug.iter().any(|l| l.starts_with("debug: memory: about ")),
        "{debug:?}"
    );
    assert!(
        !verbose.iter().any(|l| l.starts_with("trace: ")),
        "{verbose:?}"
    );
    assert!(
        verbose.last().unwrap().contains(" files to out"),
        "{verbose:?}"
    );
    let (_, trace) = lines(&["-vv"], &[]);
    assert!(
        trace.iter().any(|l| l.starts_with("trace: memory: ")),
        "{trace:?}"
    );

    // -q before or after the command: the warnings only (no summary, no progress)
    for (before, after) in [(&["-q"][..], &[][..]), (&[], &["--quiet"])] {
        let (status, quiet) = lines(before, after);
        assert_eq!(status, Some(0), "{quiet:?}");
        assert!(quiet[0].starts_with(warning), "{quiet:?}");
        let warnings: Vec<&String> = default
            .iter()
            .filter(|l| l.starts_with("warning: "))
            .collect();
        assert_eq!(quiet.iter().collect::<Vec<_>>(), warnings);
    }
    let (status, silent) = lines(&["-qq"], &[]);
    assert_eq!((status, silent.len()), (Some(0), 0), "{silent:?}");
    // errors are never silenced
    let missing = hinterland(tmp.path(), &["-qq", "run", "missing.ron"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).starts_with("error: "),
        "{}",
        stderr(&missing)
    );

    let (status, both) = lines(&["-v"], &["-q"]);
    assert_eq!(status, Some(2), "{both:?}");
    assert!(
        both[0].contains("--verbose and --quiet cannot be used together"),
        "{both:?}"
    );
    let (status, _) = lines(&["-v", "-q"], &[]);
    assert_eq!(status, Some(2));
}

/// `completions SHELL` prints a script that completes every command and flag; `man` prints
/// a roff page listing every command, `man COMMAND` that command's page with its flags.
#[test]
fn completions_and_man_pages_come_from_the_flag_definitions() {
    let tmp = tempfile::tempdir().unwrap();
    let stdout = |args: &[&str]| {
        let output = hinterland(tmp.path(), args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(output.stderr.is_empty(), "{}", stderr(&output));
        String::from_utf8(output.stdout).unwrap()
    };
    let commands = [
        "run",
        "merge",
        "rank",
        "optimize",
        "validate",
        "example",
        "bench",
        "completions",
        "man",
        "plot",
        "build-china",
    ];
    let bash = stdout(&["completions", "bash"]);
    assert!(bash.contains("complete -F _hinterland"), "{bash}");
    for word in commands
        .iter()
        .chain(&["--max-memory", "--reproduce", "--verbose"])
    {
        assert!(bash.contains(word), "bash completion lacks {word}");
    }
    let fish = stdout(&["completions", "fish"]);
    assert!(
        fish.contains("complete -c hinterland") && fish.contains("-l max-memory"),
        "{fish}"
    );
    for shell in ["zsh", "elvish", "powershell"] {
        assert!(
            stdout(&["completions", shell]).contains("max-memory"),
            "{shell}"
        );
    }
    let bad = hinterland(tmp.path(), &["completions", "tcsh"]);
    assert_eq!(bad.status.code(), Some(2));

    let page = stdout(&["man"]);
    assert!(page.contains(".TH hinterland 1"), "{page}");
    for command in commands {
        let reference = format!("hinterland\\-{}(1)", command.replace('-', "\\-"));
        assert!(page.contains(&reference), "{reference} not in {page}");
    }
    let run = stdout(&["man", "run"]);
    assert!(run.contains(".TH hinterland-run 1"), "{run}");
    assert!(run.contains("\\fB\\-\\-max\\-memory\\fR"), "{run}");
    assert!(
        run.contains("\\fB\\-\\-quiet\\fR"),
        "the global flags: {run}"
    );
    let unknown = hinterland(tmp.path(), &["man", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains(
            r#"no command "nope"; the commands are run, sweep, merge, rank, optimize, validate"#
        ),
        "{}",
        stderr(&unknown)
    );
    assert!(listing(tmp.path()).is_empty(), "they write nothing");
}

/// `hinterland example` writes the scenario and the table it runs on into a folder (here in
/// a temporary directory outside the repository), which then runs from any other directory:
/// every variant of the example is summarised. The folder is refused when it exists, unless
/// --force, and `--stdout` prints the same scenario without writing anything.
#[test]
fn the_example_folder_runs_from_anywhere() {
    let (home, elsewhere) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let example = hinterland(home.path(), &["example"]);
    assert_eq!(example.status.code(), Some(0), "{}", stderr(&example));
    assert!(
        stderr(&example).contains("hinterland run hinterland-example/example.ron"),
        "{}",
        stderr(&example)
    );
    let folder = home.path().join("hinterland-example");
    assert_eq!(listing(home.path()), ["hinterland-example"]);
    assert_eq!(listing(&folder), ["data", "example.ron"]);
    assert_eq!(listing(&folder.join("data")), ["pymrio-test"]);
    assert_eq!(
        listing(&folder.join("data/pymrio-test")),
        [
            "README.md",
            "Y.txt",
            "Z.txt",
            "file_parameters.json",
            "metadata.json",
            "unit.txt",
            "x.txt"
        ]
    );
    let printed = hinterland(elsewhere.path(), &["example", "--stdout"]);
    assert!(printed.status.success());
    assert_eq!(
        std::fs::read(folder.join("example.ron")).unwrap(),
        printed.stdout
    );
    assert!(listing(elsewhere.path()).is_empty(), "--stdout wrote files");

    // from another directory, by its absolute path
    let scenario = folder.join("example.ron");
    let run = hinterland(
        elsewhere.path(),
        &[
            "run",
            scenario.to_str().unwrap(),
            "--runs",
            "2",
            "--out",
            "out",
            "--quiet",
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let summary = std::fs::read_to_string(elsewhere.path().join("out/summary.csv")).unwrap();
    let mut variants: Vec<&str> = summary
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap())
        .collect();
    variants.dedup();
    assert_eq!(
        variants,
        [
            "base",
            "bigger backup",
            "quicker warning",
            "longer blockade",
            "no policies"
        ]
    );

    // an existing folder is kept unless --force; a changed file comes back with --force
    std::fs::write(folder.join("example.ron"), "changed").unwrap();
    let again = hinterland(home.path(), &["example"]);
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("already exists; use --force"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read_to_string(folder.join("example.ron")).unwrap(),
        "changed"
    );
    let forced = hinterland(home.path(), &["example", "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    assert_eq!(
        std::fs::read(folder.join("example.ron")).unwrap(),
        printed.stdout
    );
    assert_eq!(
        listing(home.path()),
        ["hinterland-example"],
        "no folder left aside"
    );
    let both = hinterland(home.path(), &["example", "--stdout", "--out", "x"]);
    assert_eq!(both.status.code(), Some(2));
}

/// A run killed outright leaves its folder under construction; the next run into the same
/// parent removes this machine's dead ones and leaves other machines' alone.
#[test]
fn stale_folders_of_dead_runs_on_this_machine_are_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = small_scenario(tmp.path(), "stale", "");
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "localhost".into());
    // no process has this pid (above the kernel's maximum)
    let dead = tmp.path().join(format!(".results.partial-{host}-4999999"));
    let other = tmp.path().join(".results.partial-another-node-4999999");
    std::fs::create_dir(&dead).unwrap();
    std::fs::create_dir(&other).unwrap();
    let run = hinterland(
        tmp.path(),
        &["run", scenario.to_str().unwrap(), "--out", "results"],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    if std::path::Path::new("/proc").is_dir() {
        assert!(!dead.exists(), "this machine's dead folder was kept");
    }
    assert!(other.exists(), "another machine's folder was removed");
}

/// A crisis that may be drawn to start after the run is allowed, with a warning that says in
/// about what share of runs it does nothing (the run and validate both say it).
#[test]
fn a_crisis_that_may_start_after_the_run_is_warned_about_with_its_share() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = small_scenario(
        tmp.path(),
        "late",
        r#"regions: [("south", Foreign)],
           shocks: [TechCutoff(name: "chips", sectors: ["goods"], start_day: Uniform(10, 30),
                               duration_days: Fixed(5))]"#,
    );
    let validate = hinterland(tmp.path(), &["validate", scenario.to_str().unwrap()]);
    assert!(validate.status.success());
    let text = String::from_utf8_lossy(&validate.stdout).into_owned();
    // days 0..20: a start drawn in [19.5, 30] (rounded to 20..30) falls outside: about 52 %
    assert!(
        text.contains(r#"shocks[0] TechCutoff "chips": start_day: Uniform(10, 30) starts on or after day 20 in about 5"#),
        "{text}"
    );
    assert!(text.lines().last().unwrap().starts_with("ok: "), "{text}");
    let run = hinterland(
        tmp.path(),
        &["run", scenario.to_str().unwrap(), "--out", "out", "--quiet"],
    );
    assert!(run.status.success());
    assert!(stderr(&run).contains("warning: "), "{}", stderr(&run));
}

#[test]
fn every_error_of_a_file_is_reported_together() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = small_scenario(
        tmp.path(),
        "many",
        r#"regions: [("north", Coastal), ("north", Hinterland)],
            dynamics: Ario(alpha_max: 0.5),
            shocks: [
                DemandChange(name: "d", regions: Names(["north"]), factor: 1000.0, start_day: 5),
                CapacityLoss(name: "d", impacts: [("north", "goods", 0.3)], start_day: 5),
            ],
            backup: [Backup(name: "fab", sector: "goods", region: "south", capacity_share: 0.1,
                            trigger: OnShock("nope"))],"#,
    );
    let file = scenario.display().to_string();
    let expected = [
        "dynamics.alpha_max: alpha_max 0.5 is below alpha_base 1",
        "shocks[0] DemandChange \"d\": factor: 1000 times the baseline final demand",
        "shocks[1] CapacityLoss \"d\": duplicate shock name \"d\"",
        "regions[1]: region \"north\" is listed twice",
        "backup[0] \"fab\": trigger: unknown shock \"nope\"; known: d",
    ];
    let lines = validate_errors(tmp.path(), &file, &expected);
    // run reports the same lines, and writes nothing
    let run = hinterland(tmp.path(), &["run", &file, "--out", "results"]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        stderr(&run).lines().map(String::from).collect::<Vec<_>>(),
        lines
    );
    assert!(!tmp.path().join("results").exists());

    // errors of several variants, and errors found against the economy: every variant is
    // checked, and an error the scenario has is not repeated for the variants inheriting it
    let scenario = small_scenario(
        tmp.path(),
        "variants",
        r#"regions: [("north", Coastal), ("south", Hinterland)],
            shocks: [CapacityLoss(name: "c", impacts: [("east", "goods", 0.3)], start_day: 5)],
            backup: [Backup(name: "fab", sector: "goods", region: "south", capacity_share: 0.1)],
            variants: [
                Variant(name: " ", set: []),
                Variant(name: "tight", set: [("dynamics.alpha_max", 0.9), ("shocks.c.start_day", 300)]),
            ],"#,
    );
    let file = scenario.display().to_string();
    validate_errors(
        tmp.path(),
        &file,
        &[
            "variants[0] \" \": empty variant name",
            "variants[1] \"tight\": dynamics.alpha_max",
            "variants[1] \"tight\": shocks[0] CapacityLoss \"c\": start_day: day 300",
        ],
    );
    let fixed = std::fs::read_to_string(&scenario)
        .unwrap()
        .replace("Variant(name: \" \", set: []),", "")
        .replace(
            r#"("dynamics.alpha_max", 0.9), ("shocks.c.start_day", 300)"#,
            r#"("backup.fab.sector", "chips")"#,
        );
    std::fs::write(&scenario, fixed).unwrap();
    validate_errors(
        tmp.path(),
        &file,
        &[
            ": shocks[0] CapacityLoss \"c\": impacts[0]: unknown region \"east\"",
            "variants[0] \"tight\": backup[0] \"fab\": sector: unknown sector \"chips\"",
        ],
    );
}

/// `validate FILE` exits 2 with one `error: FILE: …` line per fragment, in order; its lines.
fn validate_errors(dir: &Path, file: &str, fragments: &[&str]) -> Vec<String> {
    let validate = hinterland(dir, &["validate", file]);
    let out = String::from_utf8_lossy(&validate.stdout).into_owned();
    assert_eq!(validate.status.code(), Some(2), "{out}");
    let lines: Vec<String> = out.lines().map(String::from).collect();
    assert_eq!(lines.len(), fragments.len(), "{out}");
    for (line, fragment) in lines.iter().zip(fragments) {
        assert!(
            line.starts_with(&format!("error: {file}: ")) && line.contains(fragment),
            "{line:?} should name {fragment:?}"
        );
    }
    lines
}

/// The report's recipe: `run --reproduce DIR` from another working directory writes the same
/// files, byte for byte, but the manifest; after a table file changes it refuses, naming it.
#[test]
fn reproduce_runs_an_output_folder_again_byte_for_byte_and_refuses_changed_data() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("table");
    std::fs::create_dir(&data).unwrap();
    crate::common::copy_mrio_small(&data);
    let scenario = small_scenario(
        tmp.path(),
        "again",
        r#"runs: 3, seed: 7,
            shocks: [CapacityLoss(name: "hit", impacts: [("north", "goods", 0.3)],
                start_day: 3, duration_days: 5)]"#,
    );
    let text = std::fs::read_to_string(&scenario).unwrap();
    // the scenario names its table by a path relative to itself, as users write them
    let mrio = repo("tests/fixtures/mrio-small");
    std::fs::write(&scenario, text.replace(mrio.to_str().unwrap(), "table")).unwrap();
    let out = hinterland(
        tmp.path(),
        &["run", "again.ron", "--out", "first", "--quiet", "--records"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("first/manifest.json")).unwrap())
            .unwrap();
    // file_parameters.json, Z, Y, x and unit.txt
    assert_eq!(
        manifest["data_files"].as_object().unwrap().len(),
        5,
        "{manifest}"
    );
    assert_eq!(manifest["scenario_sha256"].as_str().unwrap().len(), 64);

    // from a folder where the scenario's relative path means nothing
    let elsewhere = tmp.path().join("elsewhere/deeper");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let out = hinterland(
        &elsewhere,
        &[
            "run",
            "--reproduce",
            "../../first",
            "--out",
            "../../second",
            "--quiet",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (first, second) = (
        crate::common::tree(&tmp.path().join("first")),
        crate::common::tree(&tmp.path().join("second")),
    );
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &first {
        if name != "manifest.json" {
            assert!(bytes == &second[name], "{name} differs");
        }
    }
    assert!(first.contains_key("runs.csv") && first.contains_key("report.html"));
    assert!(
        first
            .keys()
            .any(|k| k.starts_with("runs/") && k.contains("/records/"))
    );

    // a table file that changed since: exit 2, naming it, nothing written
    let z = data.join("Z.txt");
    let changed = std::fs::read_to_string(&z).unwrap().replacen('1', "2", 1);
    std::fs::write(&z, changed).unwrap();
    let out = hinterland(
        tmp.path(),
        &["run", "--reproduce", "first", "--out", "third", "--quiet"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Z.txt: changed since first was written (SHA-256"),
        "{}",
        stderr(&out)
    );
    assert!(!tmp.path().join("third").exists());
}

/// `run --set path=value` is the file with that value written in it, the manifest records it,
/// `--reproduce` applies it again, and a misspelt path is refused with a did-you-mean.
#[test]
fn set_on_the_command_line_is_the_file_with_the_value_and_is_reproduced() {
    let tmp = tempfile::tempdir().unwrap();
    let body = |duration: &str| {
        format!(
            r#"runs: 2, shocks: [CapacityLoss(name: "hit", impacts: [("north", "goods", 0.3)],
                start_day: 3, duration_days: {duration})]"#
        )
    };
    let written = small_scenario(tmp.path(), "written", &body("Uniform(4, 9)"));
    let edited = small_scenario(tmp.path(), "edited", &body("Uniform(6, 12)"));
    let run = |args: &[&str]| {
        let out = hinterland(tmp.path(), args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    };
    run(&[
        "run",
        written.to_str().unwrap(),
        "--set",
        "shocks.hit.duration_days=Uniform(6, 12)",
        "--out",
        "set",
        "--quiet",
    ]);
    run(&[
        "run",
        edited.to_str().unwrap(),
        "--out",
        "edited",
        "--quiet",
    ]);
    let read = |dir: &str, file: &str| std::fs::read(tmp.path().join(dir).join(file)).unwrap();
    for file in ["runs.csv", "draws.csv", "summary.csv", "daily.csv"] {
        assert_eq!(read("set", file), read("edited", file), "{file}");
    }
    let manifest = String::from_utf8(read("set", "manifest.json")).unwrap();
    assert!(
        manifest.contains("\"set\": [\n    \"shocks.hit.duration_days=Uniform(6, 12)\"\n  ]"),
        "{manifest}"
    );
    // the folder again, from another directory: the assignment is applied again
    let elsewhere = tempfile::tempdir().unwrap();
    let out = hinterland(
        elsewhere.path(),
        &[
            "run",
            "--reproduce",
            tmp.path().join("set").to_str().unwrap(),
            "--out",
            "again",
            "--quiet",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(elsewhere.path().join("again/draws.csv")).unwrap(),
        read("set", "draws.csv")
    );
    // a misspelt shock, and a flag without `=`
    let out = hinterland(
        tmp.path(),
        &[
            "run",
            written.to_str().unwrap(),
            "--set",
            "shocks.hti.duration_days=3",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "set \"shocks.hti.duration_days\": no shock is named \"hti\"; did you mean \"hit\"?"
        ),
        "{}",
        stderr(&out)
    );
    let out = hinterland(
        tmp.path(),
        &["run", written.to_str().unwrap(), "--set", "runs"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("expected PATH=VALUE"),
        "{}",
        stderr(&out)
    );
    assert!(
        !tmp.path().join("output").exists(),
        "refused runs write nothing"
    );
}

#[test]
fn throughput_counts_every_run_of_every_variant_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = repo("tests/fixtures/batch/links-reopening.ron");
    let output = hinterland(
        tmp.path(),
        &[
            "throughput",
            scenario.to_str().unwrap(),
            "--runs",
            "3",
            "--batch",
            "2",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(listing(tmp.path()).is_empty(), "throughput wrote files");
    let text = String::from_utf8(output.stdout).unwrap();
    let field = |name: &str| -> String {
        let line = text
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} in {text}"));
        line[name.len()..].trim().to_string()
    };
    let number = |s: &str| -> f64 { s.split_whitespace().next().unwrap().parse().unwrap() };
    // the scenario and "no policies", 3 runs each, in batches of 2
    assert_eq!(
        field("simulations:"),
        "2 variants × 3 runs = 6, 2 threads, batches of 2"
    );
    let economy = field("economy:");
    let words: Vec<&str> = economy.split_whitespace().collect();
    let days = number(words[4]);
    assert_eq!(days, 160.0, "{economy}");
    // link-updates: every variant's links (the scenario's economy has the backup unit's too)
    // × days × runs, over the ensemble's seconds (rounded output)
    let model = crate::common::model(&scenario);
    let study = crate::common::study(&model, &crate::common::build(&model));
    let link_days: f64 = (0..2)
        .map(|v| study.economy_of(v).n_links() as f64 * days * 3.0)
        .sum();
    assert_eq!(number(words[2]), study.economy_of(0).n_links() as f64);
    assert!(study.economy_of(1).n_links() < study.economy_of(0).n_links());
    let seconds = number(&field("ensemble:"));
    let rate = number(&field("link-updates/s:"));
    let per_minute = number(&field("simulations/min:"));
    let expected = link_days / seconds;
    // the seconds are printed to the millisecond, the rates to 4 significant digits
    let tolerance = 0.002 + 0.0006 / seconds;
    assert!(
        (rate / expected - 1.0).abs() < tolerance,
        "{rate} against {expected}"
    );
    let expected = 6.0 * 60.0 / seconds;
    assert!(
        (per_minute / expected - 1.0).abs() < tolerance,
        "{per_minute}"
    );
    let bad = hinterland(tmp.path(), &["throughput", "missing.ron"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("missing.ron"), "{}", stderr(&bad));
}
