//! Small sweep directories for the tests: the three samples `hinterland sweep` wrote
//! (`tests/fixtures/sweep-output/`: one lever; two levers; a lever and an uncertainty), and
//! hand-made ones for designs the samples do not cover, written with the layout's headers.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::output::layout::{FRONTIER, FRONTIER_COLUMNS, SWEEP, SWEEP_STATISTICS};

/// The sample directories under `tests/fixtures/sweep-output/`.
pub(super) const SAMPLES: [&str; 3] = ["grid1", "grid2", "grid-lever-uncertainty"];

/// A copy of sample `name` in `dir` (so that drawing never writes into the repository).
pub(super) fn copy_sample(name: &str, dir: &Path) -> PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sweep-output")
        .join(name);
    let target = dir.join(name);
    fs::create_dir_all(&target).unwrap();
    let mut entries: Vec<_> = fs::read_dir(&source)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        fs::copy(&path, target.join(path.file_name().unwrap())).unwrap();
    }
    target
}

/// One point of a hand-made sweep.
#[derive(Debug, Clone)]
pub(super) struct FakePoint {
    pub name: String,
    pub group: usize,
    pub values: Vec<String>,
    pub cost: f64,
    pub loss: f64,
    pub efficient: bool,
}

/// A hand-made sweep: parameters (paths) and points.
#[derive(Debug, Clone)]
pub(super) struct FakeSweep {
    pub parameters: Vec<&'static str>,
    pub points: Vec<FakePoint>,
}

impl FakeSweep {
    /// `values` per point, in groups as given, each with its loss falling with the index and
    /// its cost rising; every point efficient.
    pub fn new(parameters: Vec<&'static str>, points: &[(usize, &[&str])]) -> FakeSweep {
        let points = points
            .iter()
            .enumerate()
            .map(|(index, (group, values))| FakePoint {
                name: format!("p{index:04}"),
                group: *group,
                values: values.iter().map(|v| v.to_string()).collect(),
                cost: 10.0 * index as f64,
                loss: 100.0 - 3.0 * index as f64,
                efficient: true,
            })
            .collect();
        FakeSweep { parameters, points }
    }

    /// A Latin hypercube of a lever and an uncertainty: each point its own group, no grid.
    pub fn latin_hypercube() -> FakeSweep {
        FakeSweep::new(
            vec!["backup.a.capacity_share", "shocks.s.duration_days"],
            &[
                (0, &["0.13", "47.2"]),
                (1, &["0.27", "88.9"]),
                (2, &["0.05", "62"]),
            ],
        )
    }

    /// A grid of three levers, two values each.
    pub fn three_levers() -> FakeSweep {
        let mut points: Vec<(usize, Vec<&str>)> = Vec::new();
        for a in ["0", "0.1"] {
            for b in ["0", "30"] {
                for c in ["0", "5"] {
                    points.push((0, vec![a, b, c]));
                }
            }
        }
        let borrowed: Vec<(usize, &[&str])> =
            points.iter().map(|(g, v)| (*g, v.as_slice())).collect();
        FakeSweep::new(
            vec![
                "backup.a.capacity_share",
                "backup.a.activation_delay_days",
                "reserves.r.stock_days",
            ],
            &borrowed,
        )
    }

    /// A grid of two levers under two settings of an uncertainty, with references.
    pub fn two_levers_two_settings() -> FakeSweep {
        let mut points: Vec<(usize, Vec<&str>)> = Vec::new();
        for (group, duration) in ["30", "90"].into_iter().enumerate() {
            for share in ["0", "0.1", "0.2"] {
                for delay in ["0", "10"] {
                    points.push((group, vec![share, delay, duration]));
                }
            }
        }
        let borrowed: Vec<(usize, &[&str])> =
            points.iter().map(|(g, v)| (*g, v.as_slice())).collect();
        let mut sweep = FakeSweep::new(
            vec![
                "backup.a.capacity_share",
                "backup.a.activation_delay_days",
                "shocks.s.duration_days",
            ],
            &borrowed,
        );
        for (group, duration) in ["30", "90"].into_iter().enumerate() {
            sweep.points.push(FakePoint {
                name: format!("no policies @{group}"),
                group,
                values: vec![String::new(), String::new(), duration.into()],
                cost: 0.0,
                loss: 120.0,
                efficient: false,
            });
        }
        sweep
    }

    /// Write `sweep.csv` (metrics `va_loss_money` and `va_loss_pct`), `frontier.csv` and
    /// `manifest.json` into `dir`.
    pub fn write(&self, dir: &Path) {
        fs::create_dir_all(dir).unwrap();
        let parameters = self.parameters.join(",");
        let mut sweep = format!(
            "{},{parameters},{}\n",
            SWEEP.header.join(","),
            SWEEP_STATISTICS.join(",")
        );
        let mut frontier = format!(
            "{},{parameters},{}\n",
            FRONTIER.header.join(","),
            FRONTIER_COLUMNS.join(",")
        );
        for point in &self.points {
            let fixed = format!("{},{},{}", point.name, point.group, point.values.join(","));
            for (metric, unit, mean) in [
                ("va_loss_money", "money", point.loss),
                ("va_loss_pct", "%", point.loss / 50.0),
            ] {
                let _ = writeln!(
                    sweep,
                    "{fixed},{metric},{unit},4,{mean},{},{},{},{mean},{},{},{},{}",
                    0.05 * mean,
                    0.9 * mean,
                    0.95 * mean,
                    1.05 * mean,
                    1.1 * mean,
                    1.1 * mean,
                    1.12 * mean
                );
            }
            let _ = writeln!(
                frontier,
                "{fixed},va_loss_money,{},{},{},0,0,0,,{},{},false,,false",
                point.cost,
                point.loss,
                1.2 * point.loss,
                point.efficient,
                point.efficient
            );
        }
        fs::write(dir.join(SWEEP.name), sweep).unwrap();
        fs::write(dir.join(FRONTIER.name), frontier).unwrap();
        fs::write(
            dir.join("manifest.json"),
            r#"{"name": "fake sweep", "description": "Hand-made.", "runs": 4,
                "command": "hinterland sweep fake.ron --out fake", "warnings": ["a warning <b>"]}"#,
        )
        .unwrap();
    }
}

/// `sensitivity.csv` for the parameters of the sample `grid-lever-uncertainty`.
pub(super) const SENSITIVITY_CSV: &str = "\
metric,parameter,role,first,first_conf,total,total_conf
va_loss_money,backup.manufacturing-reg3.capacity_share,lever,0.21,0.04,0.3,0.05
va_loss_money,shocks.blockade.duration_days,uncertainty,0.62,0.06,0.74,0.07
va_loss_pct,backup.manufacturing-reg3.capacity_share,lever,0.2,0.05,0.28,0.05
va_loss_pct,shocks.blockade.duration_days,uncertainty,0.6,0.07,0.75,0.08
";

/// `discovery.csv`: a peeling trajectory, step 3 chosen.
pub(super) const DISCOVERY_CSV: &str = "\
condition,step,coverage,density,mass,restricted,chosen
va_loss_pct > 2,0,1,0.4,1,0,false
va_loss_pct > 2,1,0.95,0.5,0.76,1,false
va_loss_pct > 2,2,0.9,0.62,0.58,1,false
va_loss_pct > 2,3,0.82,0.8,0.41,2,true
va_loss_pct > 2,4,0.6,0.9,0.27,2,false
";

/// `discovery_box.csv`: the box of [`DISCOVERY_CSV`].
pub(super) const DISCOVERY_BOX_CSV: &str = "\
parameter,lower,upper,min,max
backup.manufacturing-reg3.capacity_share,0,0.1,0,0.2
shocks.blockade.duration_days,90,120,60,120
";
