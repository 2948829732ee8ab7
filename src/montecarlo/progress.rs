//! Progress of a study on stderr: runs done, rate and time left, shown only on a terminal.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs done of `total`, shared by the worker threads.
#[derive(Debug)]
pub struct Progress {
    total: usize,
    done: AtomicUsize,
    started: std::time::Instant,
    shown: bool,
}

impl Progress {
    /// Progress over `total` runs, shown when `wanted` and stderr is a terminal.
    pub fn new(total: usize, wanted: bool) -> Progress {
        use std::io::IsTerminal;
        Progress {
            total,
            done: AtomicUsize::new(0),
            started: std::time::Instant::now(),
            shown: wanted && std::io::stderr().is_terminal(),
        }
    }

    /// One more run done.
    pub fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if self.shown {
            let elapsed = self.started.elapsed().as_secs_f64();
            let rate = done as f64 / elapsed.max(1e-9);
            let left = self.total.saturating_sub(done) as f64 / rate;
            eprint!(
                "\r  runs {done}/{} · {rate:.1}/s · {left:.0} s left   ",
                self.total
            );
        }
    }

    /// End the progress line.
    pub fn finish(&self) {
        if self.shown {
            eprintln!();
        }
    }
}
