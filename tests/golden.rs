//! Golden hashes of every output file of every shipped scenario, run by the real binary with
//! `--runs 2 --records --threads 2`. A change that alters any output, a chart or the report
//! included, fails here and must say why in its note and in `CHANGELOG.md`.
//!
//! `manifest.json` is hashed without the fields that depend on the machine and the moment
//! (`start`, `end`, `command`, `threads`). To regenerate the hashes after an intended change:
//!
//! ```sh
//! HINTERLAND_BLESS=1 cargo test --release -- golden
//! ```

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::common::{fnv1a, repo};

/// The fixture: `scenario<TAB>file<TAB>hash` per line, sorted.
const FIXTURE: &str = "tests/fixtures/golden-outputs.txt";

/// Fields of `manifest.json` that change from one invocation to the next.
const VOLATILE: [&str; 7] = [
    "start",
    "end",
    "command",
    "threads",
    "data_dir",
    "platform",
    "git_commit",
];

/// `(relative path, hash)` of every file under `dir`, sorted by path.
fn hashes(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for relative in crate::common::files_under(dir) {
        let mut bytes = std::fs::read(dir.join(&relative)).unwrap();
        if relative == "manifest.json" {
            let mut manifest: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            let object = manifest.as_object_mut().expect("the manifest is an object");
            for key in VOLATILE {
                assert!(object.remove(key).is_some(), "manifest.json has no {key}");
            }
            bytes = serde_json::to_vec(&manifest).unwrap();
        }
        files.push((relative, format!("{:016x}", fnv1a(&bytes))));
    }
    files.sort();
    files
}

#[test]
fn golden_every_output_of_every_shipped_scenario_is_unchanged() {
    let mut scenarios: Vec<String> = std::fs::read_dir(repo("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".ron"))
        .collect();
    scenarios.sort();
    assert!(scenarios.len() >= 10, "only {} scenarios", scenarios.len());
    let tmp = tempfile::tempdir().unwrap();
    let mut actual: BTreeMap<(String, String), String> = BTreeMap::new();
    for name in &scenarios {
        let out = tmp.path().join(name.trim_end_matches(".ron"));
        let status = Command::new(env!("CARGO_BIN_EXE_hinterland"))
            .args([
                "run",
                "--runs",
                "2",
                "--records",
                "--threads",
                "2",
                "--quiet",
            ])
            .arg(repo(&format!("scenarios/{name}")))
            .arg("--out")
            .arg(&out)
            .output()
            .expect("the binary runs");
        assert!(
            status.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
        for (file, hash) in hashes(&out) {
            actual.insert((name.clone(), file), hash);
        }
    }
    let text: String = actual
        .iter()
        .map(|((scenario, file), hash)| format!("{scenario}\t{file}\t{hash}\n"))
        .collect();
    if std::env::var_os("HINTERLAND_BLESS").is_some() {
        std::fs::write(repo(FIXTURE), text).unwrap();
        return;
    }
    let golden = std::fs::read_to_string(repo(FIXTURE)).unwrap();
    let expected: BTreeMap<(String, String), String> = golden
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 3, "{FIXTURE}: {line:?}");
            (
                (fields[0].to_string(), fields[1].to_string()),
                fields[2].to_string(),
            )
        })
        .collect();
    let mut differences = Vec::new();
    for (key, hash) in &expected {
        match actual.get(key) {
            None => differences.push(format!("missing: {} {}", key.0, key.1)),
            Some(h) if h != hash => differences.push(format!("changed: {} {}", key.0, key.1)),
            Some(_) => {}
        }
    }
    for key in actual.keys().filter(|k| !expected.contains_key(*k)) {
        differences.push(format!("new: {} {}", key.0, key.1));
    }
    assert!(
        differences.is_empty(),
        "{} of {} output files differ from {FIXTURE} (regenerate with HINTERLAND_BLESS=1 only for an intended change):\n{}",
        differences.len(),
        expected.len(),
        differences.join("\n")
    );
}
