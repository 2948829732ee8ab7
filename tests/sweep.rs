//! `hinterland sweep`: a point's runs are a plain run's, the same bytes on any thread count,
//! the frontier agrees with an independent derivation from `sweep.csv`, the Sobol indices of a
//! Saltelli sweep are right on the Ishigami function, and bad input exits 2 naming the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hinterland::metrics::catalogue::{CATALOGUE, Values};
use hinterland::model::sweep::{Design, Parameter, Role, Sweep, Values as Swept};
use hinterland::montecarlo::{PointRuns, SweepPlan, SweepResults};
use hinterland::table::Table;

use crate::common::{hinterland, repo};

const BACKUP: &str = "scenarios/test-mrio-backup.ron";
const SHARE: &str = "backup.manufacturing-reg3.capacity_share";
const DELAY: &str = "backup.manufacturing-reg3.activation_delay_days";

fn ok(output: &std::process::Output) {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn table(path: &Path) -> Table {
    Table::read(path, "a table the sweep writes").unwrap_or_else(|e| panic!("{e}"))
}

/// The rows of `table` whose column `key` is `value`, as text from column `from` on.
fn rows_from(table: &Table, key: &str, value: &str, from: usize) -> Vec<Vec<String>> {
    let k = table.column(key).unwrap();
    table
        .rows()
        .iter()
        .filter(|row| row.text(k) == value)
        .map(|row| (from..row.len()).map(|c| row.text(c).to_string()).collect())
        .collect()
}

/// [`rows_from`] of `points.csv` or `runs.csv`: the metrics, without the last column, `failure`, which must
/// be empty (no run failed).
fn metrics_of_points(table: &Table, key: &str, value: &str, from: usize) -> Vec<Vec<String>> {
    rows_from(table, key, value, from)
        .into_iter()
        .map(|mut row| {
            assert_eq!(row.pop().as_deref(), Some(""), "a run failed");
            row
        })
        .collect()
}

/// A copy of the backup scenario in `dir` whose table path is absolute, with `sweep` added.
fn backup_with_sweep(dir: &Path, sweep: &str) -> PathBuf {
    let text = std::fs::read_to_string(repo(BACKUP)).unwrap();
    let text = text.replace(
        "\"../data/pymrio-test\"",
        &format!("{:?}", repo("data/pymrio-test").display().to_string()),
    );
    let end = text.rfind(')').unwrap();
    let path = dir.join("swept.ron");
    std::fs::write(&path, format!("{}{sweep}\n)", &text[..end])).unwrap();
    path
}

#[test]
fn a_grid_points_runs_are_those_of_a_plain_run_with_the_same_overrides_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = repo(BACKUP);
    let scenario = scenario.to_str().unwrap();
    ok(&hinterland(
        dir.path(),
        &[
            "-q",
            "sweep",
            scenario,
            "--grid",
            &format!("{SHARE}=0,0.1"),
            "--grid",
            &format!("{DELAY}=0,30"),
            "--runs",
            "3",
            "--out",
            "swept",
        ],
    ));
    ok(&hinterland(
        dir.path(),
        &[
            "-q",
            "run",
            scenario,
            "--set",
            &format!("{SHARE}=0.1"),
            "--set",
            &format!("{DELAY}=30"),
            "--runs",
            "3",
            "--out",
            "plain",
        ],
    ));
    let points = table(&dir.path().join("swept/points.csv"));
    let runs = table(&dir.path().join("plain/runs.csv"));
    // points.csv: point, group, run, the two parameters, then the metrics; runs.csv: run,
    // variant, seed, then the metrics
    let swept = metrics_of_points(&points, "point", "p0003", 5);
    let plain = metrics_of_points(&runs, "variant", "base", 3);
    assert_eq!(swept.len(), 3);
    assert_eq!(swept, plain, "point (0.1, 30) against run --set");
    // the shared reference is the plain run's "no policies"
    let reference = metrics_of_points(&points, "point", "no policies @0", 5);
    assert_eq!(
        reference,
        metrics_of_points(&runs, "variant", "no policies", 3)
    );
    // and the points differ from one another (the levers act)
    assert_ne!(metrics_of_points(&points, "point", "p0000", 5), swept);
}

/// Every file of a sweep folder but the manifest's run-specific keys: name → bytes.
fn folder(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.strip_prefix(dir).unwrap().display().to_string();
            let mut bytes = std::fs::read(&path).unwrap();
            if name == "manifest.json" {
                let mut manifest: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                for key in ["start", "end", "command", "threads"] {
                    manifest.as_object_mut().unwrap().remove(key);
                }
                bytes = serde_json::to_vec(&manifest).unwrap();
            }
            if name == "report.html" {
                // the report quotes the command as run, which names the thread count
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
    }
    files
}

#[test]
fn a_sweep_writes_the_same_bytes_with_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = backup_with_sweep(
        dir.path(),
        r#"sweep: Sweep(
            parameters: [
                ("backup.manufacturing-reg3.capacity_share", Between(0.0, 0.3)),
                ("shocks.blockade.duration_days.max", Between(120, 240)),
            ],
            design: Saltelli(4),
            runs_per_point: 2,
            satisficing: 1.5e8,
            discovery: Discovery(metric: "va_loss_pct", above: 6.0),
        ),"#,
    );
    let scenario = scenario.to_str().unwrap();
    for threads in ["1", "2"] {
        ok(&hinterland(
            dir.path(),
            &[
                "-q",
                "sweep",
                scenario,
                "--threads",
                threads,
                "--out",
                threads,
            ],
        ));
    }
    let (one, two) = (folder(&dir.path().join("1")), folder(&dir.path().join("2")));
    for file in [
        "points.csv",
        "sweep.csv",
        "frontier.csv",
        "draws.csv",
        "sensitivity.csv",
        "manifest.json",
        "report.html",
        "plots/frontier_mean.png",
    ] {
        assert!(one.contains_key(file), "{file} was not written");
    }
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &one {
        assert!(
            two[name] == *bytes,
            "{name} differs between 1 and 2 threads"
        );
    }
    // 4 base rows × (2 parameters + 2) points
    let points = table(&dir.path().join("1/points.csv"));
    let names: std::collections::BTreeSet<&str> = points
        .rows()
        .iter()
        .map(|r| r.text(0))
        .filter(|p| p.starts_with('p'))
        .collect();
    assert_eq!(names.len(), 16);
}

/// The frontier's marks, derived again from `sweep.csv` alone: annual holding cost against the
/// mean and the CVaR95 of the loss, Pareto-efficient within each uncertainty setting.
#[test]
fn the_frontier_agrees_with_an_independent_derivation_from_sweep_csv() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = repo(BACKUP);
    ok(&hinterland(
        dir.path(),
        &[
            "-q",
            "sweep",
            scenario.to_str().unwrap(),
            "--grid",
            &format!("{SHARE}=0,0.1,0.2"),
            "--grid",
            "shocks.blockade.duration_days=60,150",
            "--runs",
            "3",
            "--out",
            "swept",
        ],
    ));
    let sweep = table(&dir.path().join("swept/sweep.csv"));
    let [point, group, metric, mean, cvar] = sweep
        .columns(["point", "group", "metric", "mean", "cvar95"])
        .unwrap();
    // per point: (group, holding cost, mean loss, CVaR95 of the loss)
    let mut by_point: BTreeMap<String, (String, f64, f64, f64)> = BTreeMap::new();
    for row in sweep.rows() {
        let entry = by_point.entry(row.text(point).to_string()).or_insert((
            row.text(group).to_string(),
            f64::NAN,
            f64::NAN,
            f64::NAN,
        ));
        let value = |c: usize| row.text(c).parse::<f64>().unwrap_or(f64::NAN);
        match row.text(metric) {
            "holding_cost" => entry.1 = value(mean),
            "va_loss_money" => (entry.2, entry.3) = (value(mean), value(cvar)),
            _ => {}
        }
    }
    assert_eq!(by_point.len(), 6 + 2, "6 points and 2 references");
    // the runs last 365 days: the holding cost over the run is the annual one
    let efficient = |p: &str, objective: fn(&(String, f64, f64, f64)) -> f64| {
        let this = &by_point[p];
        !by_point.values().any(|other| {
            other.0 == this.0
                && other.1 <= this.1
                && objective(other) <= objective(this)
                && (other.1 < this.1 || objective(other) < objective(this))
        })
    };
    let frontier = table(&dir.path().join("swept/frontier.csv"));
    let [f_point, f_mean, f_cvar, f_cost] = frontier
        .columns(["point", "efficient_mean", "efficient_cvar95", "annual_cost"])
        .unwrap();
    let mut marked = 0;
    for row in frontier.rows() {
        let p = row.text(f_point);
        assert_eq!(
            row.text(f_mean) == "true",
            efficient(p, |v| v.2),
            "{p}: efficient on the mean"
        );
        assert_eq!(
            row.text(f_cvar) == "true",
            efficient(p, |v| v.3),
            "{p}: efficient on CVaR95"
        );
        assert_eq!(row.text(f_cost).parse::<f64>().unwrap(), by_point[p].1);
        marked += usize::from(row.text(f_mean) == "true");
    }
    // at least the cheapest and the best of each group, and not every point
    assert!((2..8).contains(&marked), "{marked} efficient points");
}

fn ishigami(x: &[f64]) -> f64 {
    let (a, b) = (7.0, 0.1);
    x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
}

/// The Ishigami function through the path a Saltelli sweep takes: the design, each point's
/// values written as parameter values, one output per point, the indices of `of_sweep`.
#[test]
fn sobol_indices_of_a_saltelli_sweep_are_right_on_the_ishigami_function() {
    let pi = std::f64::consts::PI;
    let parameter = |path: &str| Parameter {
        path: path.into(),
        role: Role::Uncertainty,
        values: Swept::Between {
            lo: -pi,
            hi: pi,
            whole: false,
        },
    };
    let sweep = Sweep {
        parameters: vec![
            parameter("shocks.x1"),
            parameter("shocks.x2"),
            parameter("shocks.x3"),
        ],
        design: Design::Saltelli(8192),
        runs_per_point: Some(1),
        design_seed: None,
        loss: "va_loss_pct".into(),
        satisficing: None,
        discovery: None,
    };
    let plan = SweepPlan::of(&sweep, 11, false).unwrap();
    assert_eq!(plan.points.len(), 8192 * 5);
    let points = plan
        .points
        .iter()
        .enumerate()
        .map(|(p, assignments)| {
            let x: Vec<f64> = assignments
                .iter()
                .map(|a| a.value.parse().unwrap())
                .collect();
            let mut values = Values::from_list(vec![None; CATALOGUE.len()]);
            values.set("va_loss_pct", Some(ishigami(&x)));
            PointRuns {
                name: format!("p{p}"),
                assignments: assignments.clone(),
                group: plan.group_of[p],
                runs: vec![values],
                draws: vec![Vec::new()],
                failures: vec![None],
            }
        })
        .collect();
    let results = SweepResults {
        plan,
        points,
        references: Vec::new(),
        runs: 1,
        days: 365,
    };
    let all = hinterland::explore::sensitivity::of_sweep(&results, 200, 3).unwrap();
    let indices = all[0].indices.as_ref().unwrap();
    assert_eq!(all[0].metric, "va_loss_pct");
    // analytic values (Ishigami and Homma 1990; Sobol' and Levitan 1999)
    let (a, b) = (7.0f64, 0.1f64);
    let v1 = 0.5 * (1.0 + b * pi.powi(4) / 5.0).powi(2);
    let v2 = a * a / 8.0;
    let v13 = b * b * pi.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
    let v = v1 + v2 + v13;
    let first = [v1 / v, v2 / v, 0.0];
    let total = [(v1 + v13) / v, v2 / v, v13 / v];
    for k in 0..3 {
        assert!(
            (indices[k].first - first[k]).abs() < 0.02,
            "S{} = {} against {}",
            k + 1,
            indices[k].first,
            first[k]
        );
        assert!(
            (indices[k].total - total[k]).abs() < 0.02,
            "ST{} = {} against {}",
            k + 1,
            indices[k].total,
            total[k]
        );
    }
    // the other metrics have no value: no indices, with the reason
    assert!(all[1..].iter().all(|m| m.indices.is_err()));
}

/// `(args after sweep, fragments the error must hold)`.
fn refused(dir: &Path, args: &[&str], fragments: &[&str]) {
    let mut all = vec!["sweep"];
    all.extend_from_slice(args);
    let output = hinterland(dir, &all);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    for fragment in fragments {
        assert!(
            stderr.contains(fragment),
            "{args:?}: no {fragment:?} in {stderr}"
        );
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn bad_sweeps_exit_2_naming_the_file_and_the_parameter() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = repo(BACKUP);
    let file = scenario.to_str().unwrap();
    refused(
        dir.path(),
        &[file, "--out", "a"],
        &[file, "has no sweep", "--grid"],
    );
    refused(
        dir.path(),
        &[
            file,
            "--grid",
            "backup.manufacturing-reg9.capacity_share=0,0.1",
        ],
        &[
            file,
            "sweep: parameters[0] \"backup.manufacturing-reg9.capacity_share\"",
            "did you mean \"manufacturing-reg3\"",
        ],
    );
    refused(
        dir.path(),
        &[file, "--grid", &format!("{SHARE}=0,-0.1")],
        &[file, "-0.1", "sweep: parameters[0]"],
    );
    refused(
        dir.path(),
        &[file, "--grid", &format!("{DELAY}=0,7.5")],
        &["7.5 is not a whole number"],
    );
    refused(
        dir.path(),
        &[file, "--grid", "no-equals-sign"],
        &["PATH=V1,V2"],
    );
    let between = backup_with_sweep(
        dir.path(),
        r#"sweep: Sweep(parameters: [("backup.manufacturing-reg3.capacity_share", Between(0.0, 0.3))], loss: "va_loss_dayz"),"#,
    );
    let between = between.to_str().unwrap();
    refused(
        dir.path(),
        &[between],
        &[between, "a Grid cannot enumerate", "Lhs(n)"],
    );
    // nothing was written for any of them
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // the loss is checked against the catalogue
    let text = std::fs::read_to_string(between)
        .unwrap()
        .replace("Between(0.0, 0.3)", "List([0.0])");
    std::fs::write(between, text).unwrap();
    refused(
        dir.path(),
        &[between],
        &[between, "sweep: loss", "did you mean \"va_loss_days\""],
    );
    // an existing folder is kept without --force
    std::fs::create_dir(dir.path().join("kept")).unwrap();
    std::fs::write(dir.path().join("kept/mine.txt"), "mine").unwrap();
    refused(
        dir.path(),
        &[file, "--grid", &format!("{SHARE}=0"), "--out", "kept"],
        &["--force"],
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("kept/mine.txt")).unwrap(),
        "mine"
    );
}
