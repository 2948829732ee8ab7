//! Scenario files through the real binary: a corpus of malformed scenarios, `validate` on the
//! shipped ones, the annotated `example`, reproducibility across threads and seeds, and the
//! `--runs` / `--seed` overrides.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{hinterland, listing, repo};

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("test paths are UTF-8")
}

/// Every file under `root` as (path relative to `root`, bytes), sorted by path.
fn tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(root).unwrap();
                let bytes = std::fs::read(&path).unwrap();
                files.push((relative.to_string_lossy().into_owned(), bytes));
            }
        }
    }
    files.sort();
    files
}

/// The malformed scenarios and the message fragment each must produce, from `expected.txt`.
/// The memory the corpus runs may use (`--max-memory`), so that a scenario too large for it
/// is refused whatever the machine has.
const CORPUS_MEMORY: &str = "8G";

fn corpus() -> Vec<(String, String)> {
    let expected = repo("tests/fixtures/scenarios-bad/expected.txt");
    std::fs::read_to_string(&expected)
        .unwrap_or_else(|e| panic!("{}: {e}", expected.display()))
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let (file, fragment) = line
                .split_once('\t')
                .unwrap_or_else(|| panic!("expected.txt: no tab in {line:?}"));
            (file.to_string(), fragment.to_string())
        })
        .collect()
}

#[test]
fn the_corpus_lists_every_malformed_scenario_once() {
    let cases = corpus();
    assert!(
        cases.len() >= 30,
        "only {} malformed scenarios",
        cases.len()
    );
    let listed: BTreeSet<&str> = cases.iter().map(|(file, _)| file.as_str()).collect();
    assert_eq!(listed.len(), cases.len(), "a file is listed twice");
    let on_disk: BTreeSet<String> = listing(&repo("tests/fixtures/scenarios-bad"))
        .into_iter()
        .filter(|name| name.ends_with(".ron"))
        .collect();
    let on_disk: BTreeSet<&str> = on_disk.iter().map(String::as_str).collect();
    let unlisted: Vec<&&str> = on_disk.difference(&listed).collect();
    let missing: Vec<&&str> = listed.difference(&on_disk).collect();
    assert!(
        unlisted.is_empty() && missing.is_empty(),
        "not in expected.txt: {unlisted:?}; listed but absent: {missing:?}"
    );
}

#[test]
fn every_malformed_scenario_exits_2_naming_the_problem_and_writes_nothing() {
    let folder = repo("tests/fixtures/scenarios-bad");
    let before = listing(&folder);
    let mut failures = Vec::new();
    for (file, fragment) in corpus() {
        let scenario = folder.join(&file);
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");

        // a fixed memory budget: the oversized cases are refused on any machine
        let run = hinterland(
            tmp.path(),
            &[
                "run",
                path_str(&scenario),
                "--out",
                path_str(&out),
                "--max-memory",
                CORPUS_MEMORY,
            ],
        );
        let (run_out, run_err) = (stdout(&run), stderr(&run));
        if run.status.code() != Some(2) {
            failures.push(format!("{file}: run exited {:?}: {run_err}", run.status));
        }
        if !run_err.contains(&fragment) {
            failures.push(format!("{file}: run: expected {fragment:?} in {run_err:?}"));
        }
        if run_err.contains("panicked") || run_out.contains("panicked") {
            failures.push(format!("{file}: run panicked: {run_err}"));
        }
        let left = listing(tmp.path());
        if !left.is_empty() {
            failures.push(format!("{file}: run left {left:?} behind"));
        }

        let validate = hinterland(
            tmp.path(),
            &[
                "validate",
                path_str(&scenario),
                "--max-memory",
                CORPUS_MEMORY,
            ],
        );
        let (validate_out, validate_err) = (stdout(&validate), stderr(&validate));
        if validate.status.code() != Some(2) {
            failures.push(format!(
                "{file}: validate exited {:?}: {validate_out}",
                validate.status
            ));
        }
        let lines: Vec<&str> = validate_out.lines().collect();
        let one_error_line = lines.len() == 1 && lines[0].starts_with("error: ");
        if !one_error_line || !validate_out.contains(&fragment) {
            failures.push(format!(
                "{file}: validate: expected one error line with {fragment:?}, got {validate_out:?}"
            ));
        }
        if validate_out.contains("panicked") || validate_err.contains("panicked") {
            failures.push(format!("{file}: validate panicked: {validate_err}"));
        }
        let left = listing(tmp.path());
        if !left.is_empty() {
            failures.push(format!("{file}: validate left {left:?} behind"));
        }
    }
    assert_eq!(listing(&folder), before, "files appeared beside the corpus");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_missing_scenario_file_is_refused_by_run_and_validate() {
    let tmp = tempfile::tempdir().unwrap();
    let absent = tmp.path().join("absent.ron");
    let out = tmp.path().join("out");
    let run = hinterland(
        tmp.path(),
        &["run", path_str(&absent), "--out", path_str(&out)],
    );
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("absent.ron: cannot read scenario"),
        "{}",
        stderr(&run)
    );
    let validate = hinterland(tmp.path(), &["validate", path_str(&absent)]);
    assert_eq!(validate.status.code(), Some(2));
    assert!(
        stdout(&validate).starts_with("error: ")
            && stdout(&validate).contains("absent.ron: cannot read scenario"),
        "{}",
        stdout(&validate)
    );
    assert!(listing(tmp.path()).is_empty());
}

#[test]
fn validate_accepts_every_shipped_scenario_and_reports_each_file() {
    let tmp = tempfile::tempdir().unwrap();
    let shipped: Vec<PathBuf> = listing(&repo("scenarios"))
        .into_iter()
        .filter(|name| name.ends_with(".ron"))
        .map(|name| repo("scenarios").join(name))
        .collect();
    assert!(!shipped.is_empty());
    let mut args = vec!["validate"];
    args.extend(shipped.iter().map(|p| path_str(p)));
    let all = hinterland(tmp.path(), &args);
    let text = stdout(&all);
    assert_eq!(all.status.code(), Some(0), "{text}{}", stderr(&all));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), shipped.len(), "{text}");
    for (line, path) in lines.iter().zip(&shipped) {
        assert!(
            line.starts_with(&format!("ok: {}: ", path.display())),
            "{line}"
        );
    }

    // one good file and one bad: both reported, in order, and the status says "bad input"
    let good = &shipped[0];
    let bad = repo("tests/fixtures/scenarios-bad/36-unknown-region-did-you-mean.ron");
    let mixed = hinterland(tmp.path(), &["validate", path_str(good), path_str(&bad)]);
    let text = stdout(&mixed);
    assert_eq!(mixed.status.code(), Some(2), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].starts_with(&format!("ok: {}: ", good.display())),
        "{text}"
    );
    assert!(
        lines[1].starts_with("error: ") && lines[1].contains(r#"unknown region "nort""#),
        "{text}"
    );
    assert!(listing(tmp.path()).is_empty());
}

/// A file in the crate root that is removed when dropped, so a failing test leaves no trace.
struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// `hinterland example --stdout` saved in the crate root (its MRIO path is relative to it).
fn save_example(tag: &str) -> RemoveOnDrop {
    let tmp = tempfile::tempdir().unwrap();
    let example = hinterland(tmp.path(), &["example", "--stdout"]);
    assert!(example.status.success(), "{}", stderr(&example));
    assert!(listing(tmp.path()).is_empty(), "example wrote files");
    let saved = RemoveOnDrop(repo(&format!(
        "example-cli-test-{}-{tag}.ron",
        std::process::id()
    )));
    std::fs::write(&saved.0, &example.stdout).unwrap();
    saved
}

/// `(run, shock)` pairs of a `draws.csv`.
fn drawn_shocks(draws: &Path) -> BTreeSet<(u64, String)> {
    let text = std::fs::read_to_string(draws).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("run,shock,parameter,value"));
    lines
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            assert_eq!(fields.len(), 4, "{line}");
            fields[3]
                .parse::<f64>()
                .unwrap_or_else(|e| panic!("{line}: {e}"));
            (fields[0].parse().unwrap(), fields[1].to_string())
        })
        .collect()
}

#[test]
fn the_example_validates_and_runs_with_draws_for_every_random_shock() {
    let example = save_example("runs");
    let tmp = tempfile::tempdir().unwrap();
    let validate = hinterland(tmp.path(), &["validate", path_str(&example.0)]);
    assert_eq!(validate.status.code(), Some(0), "{}", stdout(&validate));
    assert!(
        stdout(&validate).starts_with("ok: "),
        "{}",
        stdout(&validate)
    );

    let out = tmp.path().join("ex");
    let run = hinterland(
        tmp.path(),
        &[
            "run",
            path_str(&example.0),
            "--runs",
            "2",
            "--records",
            "--out",
            path_str(&out),
            "--quiet",
        ],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(listing(tmp.path()), ["ex"]);

    // the crises draw their parameters in every run; fixed primitives draw nothing
    let expected: BTreeSet<(u64, String)> = (0..2)
        .flat_map(|run| {
            ["blockade", "chips", "earthquake", "strait"].map(|shock| (run, shock.to_string()))
        })
        .collect();
    assert_eq!(drawn_shocks(&out.join("draws.csv")), expected);

    for run in ["0000", "0001"] {
        let records = out.join(format!("runs/{run}/records"));
        let production = std::fs::read_to_string(records.join("production_realised.csv"))
            .unwrap_or_else(|e| panic!("run {run}: {e}"));
        assert_eq!(production.lines().count(), 121, "run {run}");
        // every record the example asks for, backup and reserve records included
        assert_eq!(listing(&records).len(), 10, "run {run}");
    }
    assert!(out.join("runs/0000/plots").is_dir());
    assert!(!out.join("runs/0001/plots").exists());
    assert!(!out.join("records").exists());
    // the policies' outcome for each run of each variant that has them: 2 runs × 3 policies ×
    // 4 variants (base and the example's three; "no policies" has none)
    let policies = std::fs::read_to_string(out.join("policies.csv")).unwrap();
    assert_eq!(policies.lines().count(), 1 + 2 * 3 * 4, "{policies}");
    assert_eq!(
        std::fs::read(out.join("scenario.ron")).unwrap(),
        std::fs::read(&example.0).unwrap()
    );
}

/// Assert that two output trees hold the same files with the same bytes.
fn assert_same_tree(left: &Path, right: &Path) {
    // the manifest records times, threads and the command line: everything else must match
    let without_manifest = |t: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        t.into_iter()
            .filter(|(n, _)| n != "manifest.json")
            .collect()
    };
    let (a, b) = (without_manifest(tree(left)), without_manifest(tree(right)));
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&a),
        names(&b),
        "{} and {}",
        left.display(),
        right.display()
    );
    assert!(!a.is_empty());
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(
            x == y,
            "{name} differs between {} and {}",
            left.display(),
            right.display()
        );
    }
}

#[test]
fn results_do_not_depend_on_threads_or_repetition_but_on_the_seed() {
    let example = save_example("repro");
    let tmp = tempfile::tempdir().unwrap();
    let run = |extra: &[&str], out: &str| {
        let mut args = vec!["run", path_str(&example.0), "--quiet", "--out", out];
        args.extend_from_slice(extra);
        let output = hinterland(tmp.path(), &args);
        assert!(output.status.success(), "{out}: {}", stderr(&output));
        tmp.path().join(out)
    };
    let one_thread = run(&["--runs", "3", "--threads", "1", "--records"], "threads-1");
    let two_threads = run(&["--runs", "3", "--threads", "2", "--records"], "threads-2");
    let again = run(
        &["--runs", "3", "--threads", "2", "--records"],
        "threads-2-again",
    );
    assert_eq!(listing(&one_thread.join("runs")), ["0000", "0001", "0002"]);
    assert_same_tree(&one_thread, &two_threads);
    assert_same_tree(&two_threads, &again);

    let seed_1 = run(&["--runs", "1", "--seed", "1"], "seed-1");
    let seed_2 = run(&["--runs", "1", "--seed", "2"], "seed-2");
    assert_ne!(
        std::fs::read(seed_1.join("draws.csv")).unwrap(),
        std::fs::read(seed_2.join("draws.csv")).unwrap(),
        "another seed, the same draws"
    );
}

#[test]
fn runs_and_seed_flags_override_the_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("two-runs.ron");
    std::fs::write(
        &scenario,
        format!(
            r#"Scenario(name: "two-runs", days: 15, runs: 2, seed: 5,
                regions: [("north", Coastal)],
                economy: Mrio(path: "{}", firms_per_industry: 3),
                shocks: [CoastalDisruption(name: "blockade", start_day: Uniform(2, 8),
                    duration_days: Uniform(1, 5), firms_hit: Uniform(0.2, 0.8),
                    capacity_loss: Uniform(0.1, 0.9))],
                records: [ProductionRealised])"#,
            path_str(&repo("tests/fixtures/mrio-small"))
        ),
    )
    .unwrap();
    let run = |extra: &[&str], out: &str| {
        let mut args = vec!["run", path_str(&scenario), "--quiet", "--out", out];
        args.extend_from_slice(extra);
        let output = hinterland(tmp.path(), &args);
        assert!(output.status.success(), "{out}: {}", stderr(&output));
        let dir = tmp.path().join(out);
        let draws = std::fs::read_to_string(dir.join("draws.csv")).unwrap();
        (dir, draws)
    };

    // the scenario's own two runs
    let (both, both_draws) = run(&["--records"], "both");
    assert_eq!(
        listing(&both),
        [
            "daily.csv",
            "draws.csv",
            "industry_loss.csv",
            "manifest.json",
            "plots",
            "report.html",
            "runs",
            "runs.csv",
            "scenario.ron",
            "summary.csv"
        ]
    );
    assert_eq!(listing(&both.join("runs")), ["0000", "0001"]);

    // --runs 1: records directly in the output, and run 0 draws what it drew before
    let (single, single_draws) = run(&["--runs", "1"], "single");
    assert_eq!(
        listing(&single),
        [
            "daily.csv",
            "draws.csv",
            "industry_loss.csv",
            "manifest.json",
            "plots",
            "records",
            "report.html",
            "runs.csv",
            "scenario.ron",
            "summary.csv"
        ]
    );
    assert_eq!(
        std::fs::read(single.join("records/production_realised.csv")).unwrap(),
        std::fs::read(both.join("runs/0000/records/production_realised.csv")).unwrap()
    );
    let run_0: Vec<&str> = both_draws
        .lines()
        .filter(|line| line.starts_with("run,") || line.starts_with("0,"))
        .collect();
    assert!(run_0.len() > 1, "{both_draws}");
    assert_eq!(single_draws.lines().collect::<Vec<_>>(), run_0);

    // --seed: the scenario's own seed changes nothing, another seed changes the draws
    let (_, same_seed_draws) = run(&["--runs", "1", "--seed", "5"], "seed-5");
    assert_eq!(same_seed_draws, single_draws);
    let (_, other_seed_draws) = run(&["--runs", "1", "--seed", "6"], "seed-6");
    assert_ne!(other_seed_draws, single_draws);
}

#[test]
fn a_variant_that_does_nothing_matches_no_policies_run_by_run() {
    let tmp = tempfile::tempdir().unwrap();
    let shipped = std::fs::read_to_string(repo("scenarios/test-mrio-backup.ron")).unwrap();
    let data = repo("data/pymrio-test");
    let text = shipped
        .replace("\"../data/pymrio-test\"", &format!("{:?}", path_str(&data)))
        .replace(
            "    records: [",
            r#"    variants: [
        Variant(name: "nothing", set: [("backup.manufacturing-reg3.capacity_share", 0.0),
                                      ("reserves.raw materials.days", 0.0)]),
        Variant(name: "double", set: [("backup.manufacturing-reg3.capacity_share", 0.3)]),
    ],
    records: ["#,
        );
    let scenario = tmp.path().join("variants.ron");
    std::fs::write(&scenario, text).unwrap();
    let out = hinterland(
        tmp.path(),
        &[
            "run",
            path_str(&scenario),
            "--runs",
            "4",
            "--quiet",
            "--out",
            "v",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let runs = std::fs::read_to_string(tmp.path().join("v/runs.csv")).unwrap();
    let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let rows = |variant: &str| -> Vec<Vec<String>> {
        runs.lines()
            .skip(1)
            .map(|l| l.split(',').map(String::from).collect::<Vec<_>>())
            .filter(|f| f[1] == variant)
            .collect()
    };
    let (nothing, none, base) = (rows("nothing"), rows("no policies"), rows("base"));
    assert_eq!((nothing.len(), none.len(), base.len()), (4, 4, 4));
    // same crises, a policy of size zero: every outcome is the same number; only what the
    // policy costs (its activation cost) and what is measured against "no policies" differ
    let costs = ["holding_cost", "policy_cost"];
    let against = ["loss_avoided", "loss_avoided_money", "benefit_cost"];
    for (a, b) in nothing.iter().zip(&none) {
        assert_eq!(a[0], b[0]);
        for (c, name) in header.iter().enumerate().skip(3) {
            if !costs.contains(name) && !against.contains(name) {
                assert_eq!(a[c], b[c], "{name}\n{a:?}\n{b:?}");
            }
        }
        assert_eq!(a[at("backup_output")], "0", "{a:?}");
        assert_eq!(a[at("loss_avoided")], "0", "loss avoided by nothing: {a:?}");
        assert_eq!(a[at("loss_avoided_money")], "0", "{a:?}");
    }
    // the real policy does avoid loss in every run
    for row in &base {
        assert!(
            row[at("loss_avoided")].parse::<f64>().unwrap() > 0.0,
            "{row:?}"
        );
    }
    // the backup's activation over time: a daily series and a chart
    let daily = std::fs::read_to_string(tmp.path().join("v/daily.csv")).unwrap();
    let active: Vec<f64> = daily
        .lines()
        .filter(|l| l.starts_with("base,") && l.contains(",backup_active,"))
        .map(|l| l.split(',').nth(5).unwrap().parse().unwrap())
        .collect();
    assert_eq!(active.len(), 365);
    assert_eq!(active[0], 0.0, "standby in the baseline");
    assert!(
        active.contains(&1.0),
        "every unit on in every run at some point"
    );
    assert!(active.iter().all(|&a| (0.0..=1.0).contains(&a)));
    assert!(tmp.path().join("v/plots/backup_activation.png").exists());
    let summary = std::fs::read_to_string(tmp.path().join("v/summary.csv")).unwrap();
    for variant in ["base", "nothing", "double", "no policies"] {
        assert!(
            summary.contains(&format!(
                "\n{variant},va_loss_pct,% of annual baseline value added,4,"
            )),
            "{variant}"
        );
    }
}

#[test]
fn plot_redraws_charts_and_report_from_the_files_alone() {
    let example = save_example("replot");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ex");
    let run = hinterland(
        tmp.path(),
        &[
            "run",
            path_str(&example.0),
            "--runs",
            "3",
            "--quiet",
            "--out",
            path_str(&out),
        ],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let before = tree(&out);
    // delete the charts and the report, then redraw them without the scenario or the data
    std::fs::remove_dir_all(out.join("plots")).unwrap();
    std::fs::remove_file(out.join("report.html")).unwrap();
    drop(example);
    let replot = hinterland(tmp.path(), &["plot", path_str(&out)]);
    assert!(replot.status.success(), "{}", stderr(&replot));
    assert_eq!(tree(&out), before, "redrawn files differ");
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("fan_national") && !report.contains("http"));
    // a folder that is not an output folder
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let bad = hinterland(tmp.path(), &["plot", path_str(&empty)]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("No such file"), "{}", stderr(&bad));
}

#[test]
fn an_interrupted_run_leaves_no_results_only_its_checkpoint() {
    let example = save_example("interrupt");
    let tmp = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hinterland"))
        .args([
            "run",
            path_str(&example.0),
            "--runs",
            "400",
            "--quiet",
            "--out",
            "big",
        ])
        .current_dir(tmp.path())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the run finished before the interrupt: make it longer"
    );
    // no results and no hidden partial folder: at most the output folder holding only the
    // checkpoint of the runs finished before the interrupt (none if it came before the first
    // piece was saved), from which the same command resumes
    let names = |dir: &std::path::Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    let left = names(tmp.path());
    assert!(left.is_empty() || left == ["big"], "{left:?}");
    if !left.is_empty() {
        assert_eq!(names(&tmp.path().join("big")), [".checkpoint"]);
    }
}
