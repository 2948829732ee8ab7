//! Split sweeps (issue 20), through the real binary: shards merged are the whole sweep byte
//! for byte; `merge` refuses incomplete, duplicated or mixed shard sets and writes nothing; a
//! sweep killed (SIGTERM, SIGKILL) at a random moment and started again ends byte-identical
//! to one never stopped; a run that fails is recorded and the others complete.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{hinterland, repo};

/// A copy of the backup scenario in `dir` (table path absolute) with a small sweep: 16
/// points of a Saltelli design and their 8 references.
fn scenario(dir: &Path) -> PathBuf {
    with_sweep(dir, true)
}

/// … with the sweep or without (`--grid` only).
fn with_sweep(dir: &Path, swept: bool) -> PathBuf {
    let text = std::fs::read_to_string(repo("scenarios/test-mrio-backup.ron")).unwrap();
    let text = text.replace(
        "\"../data/pymrio-test\"",
        &format!("{:?}", repo("data/pymrio-test").display().to_string()),
    );
    let end = text.rfind(')').unwrap();
    let path = dir.join("split.ron");
    let sweep = r#"sweep: Sweep(
            parameters: [
                ("backup.manufacturing-reg3.capacity_share", Between(0.0, 0.3)),
                ("shocks.blockade.duration_days.max", Between(120, 240)),
            ],
            design: Saltelli(4),
            runs_per_point: 2,
            satisficing: 1.5e8,
            discovery: Discovery(metric: "va_loss_pct", above: 6.0),
        ),"#;
    let sweep = if swept { sweep } else { "" };
    std::fs::write(&path, format!("{}{sweep}\n)", &text[..end])).unwrap();
    path
}

fn ok(output: &Output) {
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The results of a sweep folder, name → bytes: every file but `manifest.json`, the shards
/// and checkpoints; the command line the report quotes removed (it names `--out`).
fn results(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    results_of(dir, true)
}

/// The results of a folder, as [`results`]; `quoted`: whether its report quotes the command
/// (a sweep's does, a run's does not).
fn results_of(dir: &Path, quoted: bool) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for name in crate::common::files_under(dir) {
        if name == "manifest.json" || name.starts_with("shards/") || name.starts_with('.') {
            continue;
        }
        let mut bytes = std::fs::read(dir.join(&name)).unwrap();
        if name == "report.html" && quoted {
            let text = String::from_utf8(bytes).unwrap();
            let kept: Vec<&str> = text
                .lines()
                .filter(|l| !l.starts_with("<pre class=\"command\">"))
                .collect();
            assert!(
                kept.len() < text.lines().count(),
                "the report quotes no command"
            );
            bytes = kept.join("\n").into_bytes();
        }
        files.insert(name, bytes);
    }
    files
}

/// Run every shard of `count` of `command` (`-q sweep FILE`) with `flags` into `out`, each
/// leaving its `runs` file; odd shards take their index from a scheduler's variable, as on a
/// cluster.
fn run_shards(dir: &Path, command: &[&str], flags: &[&str], out: &str, count: usize, runs: &str) {
    for index in 0..count {
        let mut shard = Command::new(env!("CARGO_BIN_EXE_hinterland"));
        shard
            .args(command)
            .args(["--out", out])
            .args(flags)
            .args(["--shards", &count.to_string()])
            .current_dir(dir);
        match index % 4 {
            1 => shard.env("SLURM_ARRAY_TASK_ID", index.to_string()),
            3 => shard.env("JOB_COMPLETION_INDEX", index.to_string()),
            _ => shard.args(["--shard", &index.to_string()]),
        };
        ok(&shard.output().unwrap());
        let folder = dir.join(out).join(format!("shards/{index}-of-{count}"));
        assert!(folder.join(runs).is_file(), "{}", folder.display());
    }
}

fn same(whole: &BTreeMap<String, Vec<u8>>, other: &BTreeMap<String, Vec<u8>>, what: &str) {
    assert_eq!(
        whole.keys().collect::<Vec<_>>(),
        other.keys().collect::<Vec<_>>(),
        "{what}: other files"
    );
    for (name, bytes) in whole {
        assert!(other[name] == *bytes, "{what}: {name} differs");
    }
}

#[test]
fn merged_shards_are_the_whole_sweep_byte_for_byte_for_1_3_and_7_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let file = scenario(tmp.path());
    let file = file.to_str().unwrap();
    ok(&hinterland(
        tmp.path(),
        &["-q", "sweep", file, "--out", "whole"],
    ));
    let whole = results(&tmp.path().join("whole"));
    assert!(whole.contains_key("points.csv") && whole.contains_key("sensitivity.csv"));
    for count in [1usize, 3, 7] {
        let out = format!("split{count}");
        run_shards(
            tmp.path(),
            &["-q", "sweep", file],
            &[],
            &out,
            count,
            "runs.jsonl",
        );
        // every pair in exactly one shard, in contiguous blocks
        let lines: Vec<usize> = (0..count)
            .map(|i| {
                std::fs::read_to_string(
                    tmp.path()
                        .join(&out)
                        .join(format!("shards/{i}-of-{count}/runs.jsonl")),
                )
                .unwrap()
                .lines()
                .count()
            })
            .collect();
        assert_eq!(lines.iter().sum::<usize>(), 24 * 2, "{lines:?}");
        ok(&hinterland(tmp.path(), &["-q", "merge", &out]));
        let merged = tmp.path().join(&out);
        same(&whole, &results(&merged), &out);
        assert!(
            !merged.join(".checkpoint").exists(),
            "{out}: checkpoint left"
        );
        let manifest = std::fs::read_to_string(merged.join("manifest.json")).unwrap();
        assert!(manifest.contains("shards merged by"), "{manifest}");
    }
}

#[test]
fn merge_refuses_missing_duplicated_or_mixed_shards_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let file = scenario(tmp.path());
    let file = file.to_str().unwrap();
    let shard = |out: &str, index: &str, extra: &[&str]| {
        let mut args = vec![
            "-q", "sweep", file, "--out", out, "--shards", "3", "--shard", index,
        ];
        args.extend(extra);
        hinterland(tmp.path(), &args)
    };
    let refused = |out: &str, fragments: &[&str]| {
        let output = hinterland(tmp.path(), &["merge", out]);
        let stderr = String::from_utf8_lossy(&output.stderr).to_string();
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        for fragment in fragments {
            assert!(stderr.contains(fragment), "no {fragment:?} in: {stderr}");
        }
        let dir = tmp.path().join(out);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["shards"], "{out}: merge wrote something");
    };
    // a shard index past the count, before any work
    let past = shard("s", "3", &[]);
    assert_eq!(past.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&past.stderr).contains("--array=0-2"));
    assert!(!tmp.path().join("s").exists());
    // incomplete: shard 1 never ran
    ok(&shard("s", "0", &[]));
    ok(&shard("s", "2", &[]));
    refused("s", &["missing shards: 1-of-3", "--array=1"]);
    // mixed: shard 1 of another seed
    ok(&shard("s", "1", &["--seed", "99"]));
    refused(
        "s",
        &["1-of-3 is of other work than 0-of-3: --seed 99 in 1-of-3, 3 in 0-of-3"],
    );
    // a finished shard run again is left alone (a scheduler's retry); of other work, refused
    let again = shard("s", "1", &[]);
    assert_eq!(
        again.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    ok(&shard("s", "1", &["--force"]));
    let before = std::fs::read(tmp.path().join("s/shards/1-of-3/runs.jsonl")).unwrap();
    let retry = shard("s", "1", &[]);
    ok(&retry);
    assert!(String::from_utf8_lossy(&retry.stderr).is_empty());
    assert_eq!(
        std::fs::read(tmp.path().join("s/shards/1-of-3/runs.jsonl")).unwrap(),
        before
    );
    // mixed splits: a shard of 2 beside the shards of 3
    let other = hinterland(
        tmp.path(),
        &[
            "-q", "sweep", file, "--out", "s", "--shards", "2", "--shard", "0",
        ],
    );
    ok(&other);
    refused("s", &["different splits"]);
    std::fs::remove_dir_all(tmp.path().join("s/shards/0-of-2")).unwrap();
    // duplicated: a run of shard 0 copied into shard 2
    let zero = tmp.path().join("s/shards/0-of-3/runs.jsonl");
    let two = tmp.path().join("s/shards/2-of-3/runs.jsonl");
    let kept = std::fs::read_to_string(&two).unwrap();
    let first = std::fs::read_to_string(&zero)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    std::fs::write(&two, format!("{kept}{first}\n")).unwrap();
    refused("s", &["1 runs present more than once: variant 0 run 0"]);
    // missing runs: shard 2 lost its last line
    let mut lines: Vec<&str> = kept.lines().collect();
    lines.pop();
    std::fs::write(&two, lines.join("\n") + "\n").unwrap();
    refused("s", &["1 runs missing: variant 23 run 1"]);
    std::fs::write(&two, &kept).unwrap();
    // whole again: merged; merged twice only with --force
    ok(&hinterland(tmp.path(), &["-q", "merge", "s"]));
    let again = hinterland(tmp.path(), &["merge", "s"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    ok(&hinterland(tmp.path(), &["-q", "merge", "s", "--force"]));
    assert!(
        tmp.path().join("s/shards/0-of-3/runs.jsonl").is_file(),
        "an input removed"
    );
}

fn spawn(dir: &Path, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_hinterland"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts")
}

/// A moment in `[0.1, 0.9]` of `took`, different at every test run (printed, to replay).
fn random_moment(took: Duration, salt: u64) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    let mut state = (nanos ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15)) | 1;
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    let at = took.mul_f64(0.1 + 0.8 * (state % 1000) as f64 / 1000.0);
    eprintln!("killing at {at:?} of {took:?}");
    at
}

#[test]
fn a_sweep_killed_at_a_random_moment_resumes_to_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let file = scenario(tmp.path());
    let file = file.to_str().unwrap();
    // 24 variants × 5 runs, long enough to be cut in the middle; pieces of 16 runs
    let args = move |out: &'static str| -> Vec<&str> {
        vec![
            "-q",
            "sweep",
            file,
            "--out",
            out,
            "--runs",
            "5",
            "--threads",
            "2",
            "--batch",
            "2",
        ]
    };
    killed_and_resumed(tmp.path(), &args, 6, "5", true);
}

/// Run `args("whole")`, then `args(out)` killed with SIGTERM and with SIGKILL at a random
/// moment and started again: each ends byte-identical to the whole. `args(out)[runs_at]` is
/// `--runs`'s value `runs` (changed to show that other work is refused there).
fn killed_and_resumed<'a>(
    dir: &Path,
    args: &dyn Fn(&'static str) -> Vec<&'a str>,
    runs_at: usize,
    runs: &str,
    quoted: bool,
) {
    let started = Instant::now();
    ok(&hinterland(dir, &args("whole")));
    let took = started.elapsed();
    let whole = results_of(&dir.join("whole"), quoted);
    for (signal, code, out, salt) in [("TERM", 143, "term", 1), ("KILL", 137, "kill", 2)] {
        let child = spawn(dir, &args(out));
        std::thread::sleep(random_moment(took, salt));
        let _ = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status();
        let stopped = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&stopped.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        let folder = dir.join(out);
        if stopped.status.success() {
            // finished before the signal: nothing to resume
            same(&whole, &results_of(&folder, quoted), out);
            continue;
        }
        let got = stopped.status.code().or_else(|| {
            std::os::unix::process::ExitStatusExt::signal(&stopped.status).map(|s| 128 + s)
        });
        assert_eq!(got, Some(code), "{stderr}");
        if signal == "TERM" {
            assert!(stderr.contains("the same command"), "{stderr}");
        }
        // nothing but the checkpoint (or nothing at all) at the destination
        if folder.exists() {
            let names: Vec<String> = std::fs::read_dir(&folder)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            assert_eq!(names, [".checkpoint"], "{out}");
            // other work is refused there, saying what changed
            let mut other = args(out);
            other[runs_at] = "9";
            let refused = hinterland(dir, &other);
            assert_eq!(refused.status.code(), Some(2));
            let why = String::from_utf8_lossy(&refused.stderr);
            assert!(why.contains(&format!("--runs {runs} then, 9 now")), "{why}");
        }
        // the same command, without --force, goes on and ends as if never stopped
        let resumed = hinterland(dir, &args(out));
        ok(&resumed);
        same(&whole, &results_of(&folder, quoted), out);
        assert!(
            !folder.join(".checkpoint").exists(),
            "{out}: checkpoint left"
        );
    }
}

#[test]
fn a_run_that_fails_is_recorded_and_the_rest_of_the_sweep_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let file = with_sweep(tmp.path(), false);
    let file = file.to_str().unwrap();
    // alpha_tau of 1e-300 days: overproduction adjusts without bound, values become NaN
    let args = [
        "-q",
        "sweep",
        file,
        "--out",
        "f",
        "--runs",
        "2",
        "--grid",
        "backup.manufacturing-reg3.capacity_share=0,0.2",
        "--grid",
        "shocks.blockade.duration_days.max=200",
        "--grid",
        "dynamics.alpha_tau=365,1e-300",
    ];
    let output = hinterland(tmp.path(), &args);
    ok(&output);
    let points = std::fs::read_to_string(tmp.path().join("f/points.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(points.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (tau, failure, loss) = (
        column("dynamics.alpha_tau"),
        column("failure"),
        column("va_loss_money"),
    );
    assert_eq!(failure, header.len() - 1, "failure is the last column");
    let (mut failed, mut fine) = (0, 0);
    for row in reader.records() {
        let row = row.unwrap();
        if &row[tau] == "1e-300" {
            assert!(row[failure].contains("is not a finite number"), "{row:?}");
            assert_eq!(&row[loss], "", "a failed run has no metrics");
            failed += 1;
        } else {
            assert_eq!(&row[failure], "", "{row:?}");
            assert!(row[loss].parse::<f64>().unwrap() > 0.0);
            fine += 1;
        }
    }
    // 2 lever settings × 2 worlds + 2 references, 2 runs each: half of them failed
    assert_eq!((failed, fine), (6, 6));
    // left out of the statistics: n counts only the runs that succeeded
    let sweep = std::fs::read_to_string(tmp.path().join("f/sweep.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(sweep.as_bytes());
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    for row in reader.records() {
        let row = row.unwrap();
        if &row[at("metric")] != "va_loss_money" {
            continue;
        }
        let expected = if &row[at("dynamics.alpha_tau")] == "1e-300" {
            "0"
        } else {
            "2"
        };
        assert_eq!(&row[at("n")], expected, "{row:?}");
    }
    // counted in the manifest's warnings and the report
    for file in ["f/manifest.json", "f/report.html"] {
        let text = std::fs::read_to_string(tmp.path().join(file)).unwrap();
        assert!(text.contains("6 of 12 runs failed"), "{file}");
    }
    // --fail-fast stops at the first, keeps what was done, and the command without it
    // resumes to the same results
    let mut fast: Vec<&str> = args.to_vec();
    fast[4] = "fast";
    fast.push("--fail-fast");
    let stopped = hinterland(tmp.path(), &fast);
    assert_eq!(stopped.status.code(), Some(2));
    let why = String::from_utf8_lossy(&stopped.stderr);
    assert!(
        why.contains("failed") && why.contains("--fail-fast"),
        "{why}"
    );
    assert!(!tmp.path().join("fast/points.csv").exists());
    fast.pop();
    ok(&hinterland(tmp.path(), &fast));
    same(
        &results(&tmp.path().join("f")),
        &results(&tmp.path().join("fast")),
        "after --fail-fast",
    );
    // split in two and merged: the same files, the failures' warning naming the scenario
    // file the shards were run on (not the copy the merge reads)
    for index in ["0", "1"] {
        let mut shard: Vec<&str> = args.to_vec();
        shard[4] = "split";
        shard.extend(["--shards", "2", "--shard", index]);
        ok(&hinterland(tmp.path(), &shard));
    }
    ok(&hinterland(tmp.path(), &["-q", "merge", "split"]));
    same(
        &results(&tmp.path().join("f")),
        &results(&tmp.path().join("split")),
        "split",
    );
}

#[test]
fn a_failed_run_of_hinterland_run_is_recorded_in_runs_csv_and_the_others_complete() {
    let tmp = tempfile::tempdir().unwrap();
    let file = with_sweep(tmp.path(), false);
    let text = std::fs::read_to_string(&file).unwrap();
    let end = text.rfind(')').unwrap();
    let broken = tmp.path().join("broken.ron");
    std::fs::write(
        &broken,
        format!(
            "{}    variants: [Variant(name: \"broken\", set: [(\"dynamics.alpha_tau\", 1e-300)])],\n)",
            &text[..end]
        ),
    )
    .unwrap();
    let broken = broken.to_str().unwrap();
    ok(&hinterland(
        tmp.path(),
        &["-q", "run", broken, "--runs", "3", "--out", "r"],
    ));
    let runs = std::fs::read_to_string(tmp.path().join("r/runs.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(runs.as_bytes());
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(at("failure"), header.len() - 1);
    let mut failed = Vec::new();
    for row in reader.records() {
        let row = row.unwrap();
        let is_broken = &row[at("variant")] == "broken";
        assert_eq!(!row[at("failure")].is_empty(), is_broken, "{row:?}");
        assert_eq!(row[at("va_loss_pct")].is_empty(), is_broken, "{row:?}");
        if is_broken {
            failed.push(row[at("run")].to_string());
        }
    }
    assert_eq!(failed, ["0", "1", "2"]);
    let summary = std::fs::read_to_string(tmp.path().join("r/summary.csv")).unwrap();
    let n = |variant: &str| -> String {
        let mut reader = csv::Reader::from_reader(summary.as_bytes());
        reader
            .records()
            .map(|r| r.unwrap())
            .find(|r| &r[0] == variant && &r[1] == "va_loss_pct")
            .map(|r| r[3].to_string())
            .unwrap()
    };
    assert_eq!((n("base").as_str(), n("broken").as_str()), ("3", "0"));
    for file in ["r/manifest.json", "r/report.html"] {
        let text = std::fs::read_to_string(tmp.path().join(file)).unwrap();
        assert!(text.contains("3 of 9 runs failed"), "{file}");
    }
    // split: the shard holding the failed runs names them, and the merge is the whole run
    for index in ["0", "1"] {
        let shard = hinterland(
            tmp.path(),
            &[
                "run", broken, "--runs", "3", "--out", "split", "--shards", "2", "--shard", index,
            ],
        );
        ok(&shard);
        let said = String::from_utf8_lossy(&shard.stderr);
        // pairs 0-3 in shard 0 (base 0-2, "no policies" 0), 4-8 in shard 1 (broken 0-2)
        assert_eq!(
            said.contains("variant \"broken\", run 2 failed: final_demand_unmet"),
            index == "1",
            "{said}"
        );
    }
    ok(&hinterland(tmp.path(), &["-q", "merge", "split"]));
    same(
        &results_of(&tmp.path().join("r"), false),
        &results_of(&tmp.path().join("split"), false),
        "split",
    );
    // --fail-fast: the error of the first failure, nothing written
    let stopped = hinterland(
        tmp.path(),
        &["run", broken, "--runs", "3", "--out", "fast", "--fail-fast"],
    );
    assert_eq!(stopped.status.code(), Some(2));
    let why = String::from_utf8_lossy(&stopped.stderr);
    assert!(
        why.contains("variant \"broken\", run 0") && why.contains("not a finite"),
        "{why}"
    );
    // nothing written but the runs finished, kept for the same command to resume; without
    // --fail-fast it goes on from them to the results the first command wrote
    assert_eq!(entries(&tmp.path().join("fast")), [".checkpoint"]);
    ok(&hinterland(
        tmp.path(),
        &["-q", "run", broken, "--runs", "3", "--out", "fast"],
    ));
    let runs = |dir: &str| std::fs::read(tmp.path().join(dir).join("runs.csv")).unwrap();
    assert_eq!(runs("fast"), runs("r"));
    // every run failed: nothing to summarise, the same error
    let all = hinterland(
        tmp.path(),
        &[
            "run",
            broken,
            "--runs",
            "1",
            "--out",
            "all",
            "--set",
            "dynamics.alpha_tau=1e-300",
        ],
    );
    assert_eq!(all.status.code(), Some(2));
    assert_eq!(entries(&tmp.path().join("all")), [".checkpoint"]);
}

/// The names in `dir`.
fn entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn merged_run_shards_are_the_whole_run_byte_for_byte_records_and_trajectories_included() {
    let tmp = tempfile::tempdir().unwrap();
    let file = with_sweep(tmp.path(), false);
    let file = file.to_str().unwrap();
    let flags = [
        "--runs",
        "7",
        "--records",
        "--trajectories",
        "--threads",
        "2",
    ];
    let run = |out: &str, extra: &[&str]| {
        let mut args = vec!["-q", "run", file, "--out", out];
        args.extend(flags);
        args.extend(extra);
        hinterland(tmp.path(), &args)
    };
    ok(&run("whole", &[]));
    let whole = results_of(&tmp.path().join("whole"), false);
    for name in [
        "runs.csv",
        "daily.csv",
        "trajectories.nc",
        "runs/0006/records/value_added.csv",
    ] {
        assert!(whole.contains_key(name), "{name}: {:?}", whole.keys());
    }
    for count in [1usize, 3, 7] {
        let out = format!("split{count}");
        run_shards(
            tmp.path(),
            &["-q", "run", file],
            &flags,
            &out,
            count,
            "runs.bin",
        );
        ok(&hinterland(tmp.path(), &["-q", "merge", &out]));
        let merged = tmp.path().join(&out);
        same(&whole, &results_of(&merged, false), &out);
        let manifest = std::fs::read_to_string(merged.join("manifest.json")).unwrap();
        assert!(manifest.contains("shards merged by"), "{manifest}");
    }
    // a set of shards of other outputs, or incomplete, is refused and nothing is written
    ok(&run("mixed", &["--shards", "3", "--shard", "0"]));
    ok(&hinterland(
        tmp.path(),
        &[
            "-q",
            "run",
            file,
            "--out",
            "mixed",
            "--runs",
            "7",
            "--records",
            "--threads",
            "2",
            "--shards",
            "3",
            "--shard",
            "1",
        ],
    ));
    let refused = hinterland(tmp.path(), &["merge", "mixed"]);
    assert_eq!(refused.status.code(), Some(2));
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(
        why.contains("missing shards: 2-of-3")
            && why.contains("--records in 1-of-3, --records --trajectories in 0-of-3"),
        "{why}"
    );
    let names: Vec<String> = std::fs::read_dir(tmp.path().join("mixed"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["shards"], "merge wrote something");
}

#[test]
fn a_run_killed_at_a_random_moment_resumes_to_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let file = with_sweep(tmp.path(), false);
    let file = file.to_str().unwrap();
    // 2 variants × 60 runs, pieces of 16, 32, then 64 runs
    let args = move |out: &'static str| -> Vec<&str> {
        vec![
            "-q",
            "run",
            file,
            "--out",
            out,
            "--runs",
            "60",
            "--threads",
            "2",
            "--batch",
            "2",
            "--trajectories",
        ]
    };
    killed_and_resumed(tmp.path(), &args, 6, "60", false);
}
