//! Interruption at random moments: SIGINT and SIGTERM sent to the real binary while it
//! simulates or writes. Each try ends either complete (exit 0, every file there) or with
//! nothing at the destination (exit 130 or 143); no `.partial-*` folder is ever left behind,
//! and nothing panics.
//!
//! `HINTERLAND_INTERRUPT_TRIES` sets the tries per signal (10 by default; the closing note of
//! issue 13 quotes a run with 50).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{listing, repo};

fn run(dir: &Path, out: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_hinterland"))
        .args(["run", "--runs", "8", "--records", "--quiet", "--out", out])
        .arg(repo("scenarios/test-mrio-crises.ron"))
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts")
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    crate::common::files_under(dir)
}

#[test]
fn interrupted_runs_leave_a_whole_result_or_nothing() {
    let tries: usize = std::env::var("HINTERLAND_INTERRUPT_TRIES")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(10);
    let tmp = tempfile::tempdir().unwrap();
    // an uninterrupted run: what a whole result holds, and how long it takes
    let started = Instant::now();
    let whole = run(tmp.path(), "whole").wait_with_output().unwrap();
    assert!(whole.status.success());
    let took = started.elapsed();
    let expected = files(&tmp.path().join("whole"));
    assert!(expected.len() > 50, "{} files", expected.len());
    // a fixed sequence of moments across the whole run, the same on every machine
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 1000) as f64 / 1000.0
    };
    let (mut whole_runs, mut interrupted) = (0, 0);
    for (signal, code) in [("INT", 130), ("TERM", 143)] {
        for k in 0..tries {
            let out = format!("out-{signal}-{k}");
            let mut child = run(tmp.path(), &out);
            std::thread::sleep(took.mul_f64(1.1 * next()));
            let _ = Command::new("kill")
                .args([format!("-{signal}"), child.id().to_string()])
                .status();
            let deadline = Instant::now() + took * 10 + Duration::from_secs(10);
            let status = loop {
                if let Some(status) = child.try_wait().unwrap() {
                    break status;
                }
                assert!(Instant::now() < deadline, "{out}: no exit: a hang");
                std::thread::sleep(Duration::from_millis(10));
            };
            let mut stderr = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
            assert!(!stderr.contains("panicked"), "{out}: {stderr}");
            let destination = tmp.path().join(&out);
            match status.code() {
                Some(0) => {
                    assert_eq!(files(&destination), expected, "{out}: a partial result");
                    whole_runs += 1;
                }
                Some(c) if c == code => {
                    // no result: nothing, or only the runs finished, kept to resume
                    if destination.exists() {
                        assert_eq!(
                            listing(&destination),
                            [".checkpoint"],
                            "{out}: exit {c} but a result exists"
                        );
                    }
                    assert!(stderr.contains("interrupted by SIG"), "{out}: {stderr}");
                    interrupted += 1;
                }
                other => panic!("{out}: exit {other:?}: {stderr}"),
            }
            let partial: Vec<String> = listing(tmp.path())
                .into_iter()
                .filter(|name| name.contains(".partial-") || name.contains(".replaced-"))
                .collect();
            assert!(partial.is_empty(), "{out}: left {partial:?}");
        }
    }
    eprintln!("{interrupted} interrupted, {whole_runs} finished before the signal");
    assert!(interrupted > 0, "no try was interrupted");
}
