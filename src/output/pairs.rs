//! Runs kept between processes: a shard's runs (`shards/<I>-of-<N>/`) and a checkpoint's
//! batches (`.checkpoint/`), each a file of JSON lines, one run per line, with the identity of
//! the work they belong to.
//!
//! A line is `{"variant":3,"run":7,"failure":null,"values":["1.25",null,…],"draws":[["shock",
//! "start_day","12.0"],…]}`: numbers are written as Rust prints them (the shortest text that
//! reads back to the same bits), so that a merged or resumed study is the same bytes as one
//! made in one go.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::OutputError;
use crate::metrics::catalogue::{CATALOGUE, Values};
use crate::montecarlo::PairRun;
use crate::shocks::Draw;

/// What a piece of work is: two pieces may be merged, or a checkpoint resumed, only when
/// their identities agree (but for the shard index).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    /// The command (`sweep`).
    pub command: String,
    /// The hinterland version.
    pub version: String,
    /// The commit the binary was built from, when known.
    pub git_commit: Option<String>,
    /// SHA-256 of the scenario file.
    pub scenario_sha256: String,
    /// The table folder, absolute (`None`: a synthetic economy).
    pub data_dir: Option<String>,
    /// SHA-256 of every file of the table folder that was read.
    pub data_files: BTreeMap<String, String>,
    /// `--set` assignments, `path=value`, in order.
    pub set: Vec<String>,
    /// `--grid` parameters, `path=v1,v2,…`, in order.
    pub grid: Vec<String>,
    /// What else the outputs hold (`--records`, `--variant-records`, `--trajectories` of a
    /// run), in that order.
    #[serde(default)]
    pub outputs: Vec<String>,
    /// Runs per variant.
    pub runs: usize,
    /// The master seed of the draws.
    pub seed: u64,
    /// Variants (a sweep's points, then its references).
    pub variants: usize,
    /// How many shards the work is split into (1: not split).
    pub shards: usize,
    /// Which shard this is.
    pub shard: usize,
    /// The command line that made it (not compared: shards differ by `--shard`).
    #[serde(default)]
    pub command_line: String,
    /// The scenario file as the command named it, for the merged results' messages (not
    /// compared: shards may be started from other folders).
    #[serde(default)]
    pub scenario_path: String,
}

impl Identity {
    /// What differs from `now`, one phrase each (`--runs 20 then, 30 now`); the shard index
    /// only when `with_shard`.
    pub fn differences(&self, now: &Identity, with_shard: bool) -> Vec<String> {
        self.compared(now, with_shard, ("then", "now"))
    }

    /// What differs from `other`, each phrase naming the two sides with `labels`
    /// (`--seed 99 in 1-of-3, 3 in 0-of-3`).
    pub fn compared(
        &self,
        now: &Identity,
        with_shard: bool,
        (then_is, now_is): (&str, &str),
    ) -> Vec<String> {
        let mut changed = Vec::new();
        let short = |s: &str| s.chars().take(12).collect::<String>();
        if self.command != now.command {
            changed.push(format!("a `{}`, not a `{}`", self.command, now.command));
        }
        if self.version != now.version || self.git_commit != now.git_commit {
            let shown = |i: &Identity| match &i.git_commit {
                Some(c) => format!("{} ({})", i.version, short(c)),
                None => i.version.clone(),
            };
            changed.push(format!(
                "hinterland {} {then_is}, {} {now_is}",
                shown(self),
                shown(now)
            ));
        }
        if self.scenario_sha256 != now.scenario_sha256 {
            changed.push(format!(
                "the scenario changed (SHA-256 {}… {then_is}, {}… {now_is})",
                short(&self.scenario_sha256),
                short(&now.scenario_sha256)
            ));
        }
        if self.data_files != now.data_files {
            let names: Vec<&String> = self
                .data_files
                .keys()
                .chain(now.data_files.keys())
                .filter(|name| self.data_files.get(*name) != now.data_files.get(*name))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
            changed.push(format!("the table differs ({})", names.join(", ")));
        }
        if self.set != now.set {
            changed.push(format!(
                "--set {:?} {then_is}, {:?} {now_is}",
                self.set.join(" "),
                now.set.join(" ")
            ));
        }
        if self.grid != now.grid {
            changed.push(format!(
                "--grid {:?} {then_is}, {:?} {now_is}",
                self.grid.join(" "),
                now.grid.join(" ")
            ));
        }
        if self.outputs != now.outputs {
            let shown = |o: &[String]| {
                if o.is_empty() {
                    "no other outputs".to_string()
                } else {
                    o.join(" ")
                }
            };
            changed.push(format!(
                "{} {then_is}, {} {now_is}",
                shown(&self.outputs),
                shown(&now.outputs)
            ));
        }
        if self.runs != now.runs {
            changed.push(format!(
                "--runs {} {then_is}, {} {now_is}",
                self.runs, now.runs
            ));
        }
        if self.seed != now.seed {
            changed.push(format!(
                "--seed {} {then_is}, {} {now_is}",
                self.seed, now.seed
            ));
        }
        if self.variants != now.variants {
            changed.push(format!(
                "{} variants {then_is}, {} {now_is}",
                self.variants, now.variants
            ));
        }
        if self.shards != now.shards || (with_shard && self.shard != now.shard) {
            changed.push(format!(
                "shard {}-of-{} {then_is}, {}-of-{} {now_is}",
                self.shard, self.shards, now.shard, now.shards
            ));
        }
        changed
    }

    /// Read `path` (a shard's or checkpoint's `identity.json`).
    pub fn read(path: &Path) -> Result<Identity, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read it ({e})"))?;
        serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}:{}: not an identity written by hinterland: {e}",
                e.line(),
                e.column()
            )
        })
    }

    /// As written: pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }
}

/// The file of a piece of work's identity.
pub const IDENTITY: &str = "identity.json";

/// The file of a shard's runs.
pub const SHARD_RUNS: &str = "runs.jsonl";

#[derive(Serialize, Deserialize)]
struct Line {
    variant: usize,
    run: usize,
    failure: Option<String>,
    values: Vec<Option<String>>,
    draws: Vec<(String, String, String)>,
}

/// Write `runs`, one JSON line each.
pub fn write_pairs(out: &mut impl Write, runs: &[PairRun]) -> io::Result<()> {
    for pair in runs {
        let line = Line {
            variant: pair.variant,
            run: pair.run,
            failure: pair.failure.clone(),
            values: pair
                .values
                .as_slice()
                .iter()
                .map(|v| v.map(|x| format!("{x:?}")))
                .collect(),
            draws: pair
                .draws
                .iter()
                .map(|d| {
                    (
                        d.shock.clone(),
                        d.parameter.to_string(),
                        format!("{:?}", d.value),
                    )
                })
                .collect(),
        };
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// A draw's parameter name as the engine names it (`&'static`): each distinct name read is
/// kept once for the life of the process.
pub(crate) fn interned(name: &str) -> &'static str {
    static NAMES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = names.iter().find(|n| **n == name) {
        return known;
    }
    let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.push(leaked);
    leaked
}

/// A number as [`write_pairs`] wrote it.
fn number(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .map_err(|_| format!("{text:?} is not a number"))
}

/// Read a file of runs written by [`write_pairs`]; errors name `path:line`.
pub fn read_pairs(path: &Path) -> Result<Vec<PairRun>, OutputError> {
    let bad = |line: usize, message: String| OutputError::Malformed {
        path: PathBuf::from(format!("{}:{line}", path.display())),
        message,
    };
    let file = std::fs::File::open(path).map_err(|e| OutputError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    let mut runs = Vec::new();
    for (n, text) in io::BufReader::new(file).lines().enumerate() {
        let text = text.map_err(|e| OutputError::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        if text.trim().is_empty() {
            continue;
        }
        let line: Line = serde_json::from_str(&text).map_err(|e| {
            bad(
                n + 1,
                format!(
                    "column {}: not a run written by hinterland: {e}",
                    e.column()
                ),
            )
        })?;
        if line.values.len() != CATALOGUE.len() {
            return Err(bad(
                n + 1,
                format!(
                    "{} metrics, this hinterland has {}",
                    line.values.len(),
                    CATALOGUE.len()
                ),
            ));
        }
        let values = line
            .values
            .iter()
            .map(|v| v.as_deref().map(number).transpose())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| bad(n + 1, e))?;
        let draws = line
            .draws
            .iter()
            .map(|(shock, parameter, value)| {
                Ok(Draw {
                    shock: shock.clone(),
                    parameter: interned(parameter),
                    value: number(value)?,
                })
            })
            .collect::<Result<Vec<_>, String>>()
            .map_err(|e| bad(n + 1, e))?;
        runs.push(PairRun {
            variant: line.variant,
            run: line.run,
            values: Values::from_list(values),
            draws,
            failure: line.failure,
        });
    }
    Ok(runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_read_back_to_the_same_bits() {
        let awkward = [
            0.1 + 0.2,
            -0.0,
            f64::MIN_POSITIVE,
            5e-324,
            1.7976931348623157e308,
            f64::INFINITY,
            -1.0 / 3.0,
        ];
        let values: Vec<Option<f64>> = (0..CATALOGUE.len())
            .map(|m| (m % 3 != 1).then(|| awkward[m % awkward.len()] * (m as f64 + 1.0)))
            .collect();
        let runs = vec![
            PairRun {
                variant: 2,
                run: 11,
                values: Values::from_list(values),
                draws: vec![Draw {
                    shock: "a \"quoted\", odd, name".into(),
                    parameter: "start_day",
                    value: 0.1 + 0.7,
                }],
                failure: None,
            },
            PairRun {
                variant: 0,
                run: 0,
                values: Values::from_list(vec![None; CATALOGUE.len()]),
                draws: Vec::new(),
                failure: Some("panic: line\nbreak".into()),
            },
        ];
        let mut bytes = Vec::new();
        write_pairs(&mut bytes, &runs).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("runs.jsonl");
        std::fs::write(&path, &bytes).unwrap();
        let read = read_pairs(&path).unwrap();
        assert_eq!(read.len(), 2);
        for (a, b) in runs.iter().zip(&read) {
            let bits = |v: &Values| -> Vec<Option<u64>> {
                v.as_slice().iter().map(|x| x.map(f64::to_bits)).collect()
            };
            assert_eq!(bits(&a.values), bits(&b.values));
            assert_eq!(
                a.draws
                    .iter()
                    .map(|d| d.value.to_bits())
                    .collect::<Vec<_>>(),
                b.draws
                    .iter()
                    .map(|d| d.value.to_bits())
                    .collect::<Vec<_>>()
            );
            assert_eq!(
                (a.variant, a.run, &a.failure),
                (b.variant, b.run, &b.failure)
            );
            assert_eq!(a.draws, b.draws);
        }
        // a damaged line is named with its line number
        std::fs::write(&path, [&bytes[..], b"{\"variant\":1,\n"].concat()).unwrap();
        let err = read_pairs(&path).unwrap_err().to_string();
        assert!(err.contains("runs.jsonl:3"), "{err}");
    }

    #[test]
    fn differences_name_what_changed() {
        let then = Identity {
            command: "sweep".into(),
            version: "0.2.0".into(),
            git_commit: None,
            scenario_sha256: "a".repeat(64),
            data_dir: None,
            data_files: BTreeMap::from([("x.csv".into(), "1".into())]),
            set: vec![],
            grid: vec![],
            outputs: vec![],
            runs: 20,
            seed: 7,
            variants: 4,
            shards: 3,
            shard: 1,
            command_line: "hinterland sweep s.ron --shards 3 --shard 1".into(),
            scenario_path: "s.ron".into(),
        };
        assert!(then.differences(&then, true).is_empty());
        let now = Identity {
            scenario_sha256: "b".repeat(64),
            data_files: BTreeMap::from([("x.csv".into(), "2".into())]),
            runs: 30,
            shard: 2,
            command_line: "another".into(),
            ..then.clone()
        };
        let changed = now.differences(&then, false);
        assert_eq!(changed.len(), 3, "{changed:?}");
        assert!(changed[0].contains("the scenario changed"), "{changed:?}");
        assert!(changed[1].contains("x.csv"), "{changed:?}");
        assert_eq!(changed[2], "--runs 30 then, 20 now");
        assert_eq!(now.differences(&then, true).len(), 4);
    }
}
