//! Progress of a study on stderr: simulations done (runs × variants), rate and time left.
//!
//! On a terminal an `indicatif` progress bar is drawn (simulations done of runs × variants,
//! elapsed time and time left), redrawn at most a few times a second whatever the number of
//! threads ticking it. Anywhere else (a file, a Slurm log, a pipe) a plain line is written
//! each time another tenth of the simulations is done, so a log shows the study moving
//! without filling up, in an order that does not depend on the threads.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Simulations done of `runs × variants`, shared by the worker threads.
#[derive(Debug)]
pub struct Progress {
    total: usize,
    /// What the simulations are, e.g. `30 runs × 2 variants`.
    what: String,
    done: AtomicUsize,
    /// Tenths already written (plain lines only); the lock keeps the lines in order.
    tenths: Mutex<usize>,
    started: std::time::Instant,
    mode: Mode,
}

#[derive(Debug)]
enum Mode {
    Silent,
    /// The bar: it is `Sync` and rate-limits its own drawing, so every thread ticks it.
    Terminal(ProgressBar),
    Lines,
}

/// The bar's look: `12/60 simulations (30 runs × 2 variants), 5s elapsed, ETA 20s [###>---]`,
/// the bar taking what the terminal's width leaves.
const BAR_TEMPLATE: &str =
    "{pos}/{len} simulations ({msg}), {elapsed} elapsed, ETA {eta} [{wide_bar}]";

/// How often the bar is redrawn while no simulation finishes, so that the elapsed time moves
/// during long runs.
const BAR_REDRAW: std::time::Duration = std::time::Duration::from_millis(500);

/// A progress bar on stderr over `total` simulations.
fn bar(total: usize, what: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    // the template is a constant: a mistake in it is caught by the tests
    let style = ProgressStyle::with_template(BAR_TEMPLATE)
        .expect("the bar's template is valid")
        .progress_chars("#>-");
    bar.set_style(style);
    bar.set_message(what.to_string());
    bar.enable_steady_tick(BAR_REDRAW);
    bar
}

impl Progress {
    /// Progress over `runs` runs of `variants` variants each, shown when `wanted`: a bar on
    /// a terminal, plain lines at every tenth otherwise.
    pub fn new(runs: usize, variants: usize, wanted: bool) -> Progress {
        let what = format!("{runs} runs × {variants} variants");
        Progress::of(runs * variants, what, wanted)
    }

    /// Progress over `total` simulations described as `what` (e.g. `480 outages`).
    pub fn of(total: usize, what: String, wanted: bool) -> Progress {
        use std::io::IsTerminal;
        let mode = match (wanted, std::io::stderr().is_terminal()) {
            (false, _) => Mode::Silent,
            (true, true) => Mode::Terminal(bar(total, &what)),
            (true, false) => Mode::Lines,
        };
        Progress {
            total,
            what,
            done: AtomicUsize::new(0),
            tenths: Mutex::new(0),
            started: std::time::Instant::now(),
            mode,
        }
    }

    fn total(&self) -> usize {
        self.total
    }

    /// The progress after `done` simulations, without a line end.
    fn line(&self, done: usize) -> String {
        let total = self.total();
        let elapsed = self.started.elapsed().as_secs_f64();
        let rate = done as f64 / elapsed.max(1e-9);
        let left = total.saturating_sub(done) as f64 / rate;
        format!(
            "progress: {done}/{total} simulations ({}, {:.0} %), {elapsed:.0} s \
             elapsed, about {left:.0} s left",
            self.what,
            100.0 * done as f64 / total.max(1) as f64,
        )
    }

    /// One more simulation done.
    pub fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        match &self.mode {
            Mode::Silent => {}
            Mode::Terminal(bar) => bar.inc(1),
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
                for at in due(&mut written, reached, total) {
                    eprintln!("{}", self.line(at));
                }
            }
        }
    }

    /// Stop the bar, leaving it as it is on the terminal (with the count reached, which is
    /// short of the total when the study was interrupted); the next line starts below it.
    pub fn finish(&self) {
        if let Mode::Terminal(bar) = &self.mode {
            bar.abandon();
        }
    }
}

/// The counts at which to write a line once `reached` tenths of `total` simulations are done
/// and `written` were written before (advanced to `reached`): the first count at which each
/// tenth was reached, once each, so fewer than ten simulations give one line per count.
fn due(written: &mut usize, reached: usize, total: usize) -> Vec<usize> {
    let mut counts: Vec<usize> = Vec::new();
    while *written < reached {
        *written += 1;
        let at = (*written * total).div_ceil(10);
        if counts.last() != Some(&at) {
            counts.push(at);
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_per_tenth_and_never_the_same_count_twice() {
        let all = |total: usize| {
            let mut written = 0;
            let mut lines = Vec::new();
            for done in 1..=total {
                let reached = done * 10 / total;
                lines.extend(due(&mut written, reached, total));
            }
            lines
        };
        assert_eq!(all(1), [1]);
        assert_eq!(all(4), [1, 2, 3, 4]);
        assert_eq!(all(20), [2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
        assert_eq!(all(15), [2, 3, 5, 6, 8, 9, 11, 12, 14, 15]);
        // a thread that finds earlier tenths unwritten writes them first, in order
        assert_eq!(due(&mut 0, 3, 30), [3, 6, 9]);
    }

    #[test]
    fn a_line_counts_simulations_and_names_runs_and_variants() {
        let progress = Progress::new(5, 4, false);
        let line = progress.line(10);
        assert!(
            line.starts_with("progress: 10/20 simulations (5 runs × 4 variants, 50 %)"),
            "{line}"
        );
    }

    #[test]
    fn the_bar_counts_simulations_from_every_thread_and_keeps_its_count_when_stopped() {
        // hidden: a test must not draw, but the bar counts and formats as on a terminal
        let bar = bar(20, "5 runs × 4 variants");
        bar.set_draw_target(ProgressDrawTarget::hidden());
        let progress = Progress {
            mode: Mode::Terminal(bar.clone()),
            ..Progress::new(5, 4, false)
        };
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| (0..3).for_each(|_| progress.tick()));
            }
        });
        progress.finish();
        assert_eq!(bar.position(), 12);
        assert_eq!(bar.length(), Some(20));
        assert_eq!(bar.message(), "5 runs × 4 variants");
        assert!(bar.is_finished());
    }
}
