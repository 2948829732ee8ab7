//! Progress of a study on stderr: simulations done (runs × variants), rate and time left.
//!
//! On a terminal one line is redrawn after every simulation. Anywhere else (a file, a Slurm
//! log, a pipe) a plain line is written each time another tenth of the simulations is done,
//! so a log shows the study moving without filling up.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Simulations done of `runs × variants`, shared by the worker threads.
#[derive(Debug)]
pub struct Progress {
    runs: usize,
    variants: usize,
    done: AtomicUsize,
    /// Tenths already written (plain lines only); the lock keeps the lines in order.
    tenths: Mutex<usize>,
    started: std::time::Instant,
    mode: Mode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Silent,
    Terminal,
    Lines,
}

impl Progress {
    /// Progress over `runs` runs of `variants` variants each, shown when `wanted`: redrawn on
    /// a terminal, in plain lines at every tenth otherwise.
    pub fn new(runs: usize, variants: usize, wanted: bool) -> Progress {
        use std::io::IsTerminal;
        let mode = match (wanted, std::io::stderr().is_terminal()) {
            (false, _) => Mode::Silent,
            (true, true) => Mode::Terminal,
            (true, false) => Mode::Lines,
        };
        Progress {
            runs,
            variants,
            done: AtomicUsize::new(0),
            tenths: Mutex::new(0),
            started: std::time::Instant::now(),
            mode,
        }
    }

    fn total(&self) -> usize {
        self.runs * self.variants
    }

    /// The progress after `done` simulations, without a line end.
    fn line(&self, done: usize) -> String {
        let total = self.total();
        let elapsed = self.started.elapsed().as_secs_f64();
        let rate = done as f64 / elapsed.max(1e-9);
        let left = total.saturating_sub(done) as f64 / rate;
        format!(
            "progress: {done}/{total} simulations ({} runs × {} variants, {:.0} %), {elapsed:.0} s \
             elapsed, about {left:.0} s left",
            self.runs,
            self.variants,
            100.0 * done as f64 / total.max(1) as f64,
        )
    }

    /// One more simulation done.
    pub fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        match self.mode {
            Mode::Silent => {}
            Mode::Terminal => eprint!("\r  {}   ", self.line(done)),
            Mode::Lines => {
                // Every count is handed to exactly one thread, so the thread whose count first
                // reaches a tenth writes it. Under the lock, a thread that finds a later tenth
                // already written stays quiet, and one that finds earlier tenths unwritten (their
                // thread not yet here) writes them first: the lines come once each, in order.
                let total = self.total().max(1);
                let reached = done * 10 / total;
                if reached == (done - 1) * 10 / total {
                    return;
                }
                let mut written = self.tenths.lock().unwrap_or_else(|e| e.into_inner());
                while *written < reached {
                    *written += 1;
                    // the first count at which this tenth was reached
                    let at = (*written * total).div_ceil(10);
                    eprintln!("{}", self.line(at));
                }
            }
        }
    }

    /// End the progress line.
    pub fn finish(&self) {
        if self.mode == Mode::Terminal {
            eprintln!();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_counts_simulations_and_names_runs_and_variants() {
        let progress = Progress::new(5, 4, false);
        let line = progress.line(10);
        assert!(
            line.starts_with("progress: 10/20 simulations (5 runs × 4 variants, 50 %)"),
            "{line}"
        );
    }
}
