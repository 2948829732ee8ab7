//! A study split into pairs: which (variant, run) pairs a shard computes, and each pair's
//! metrics or the reason it failed (issue 20).
//!
//! The pairs of a study are numbered variant by variant, run by run: pair `k` is run
//! `k mod runs` of variant `k div runs` (a sweep's variants are its points, then its
//! references). Shard `I` of `N` computes the contiguous block of pairs
//! `⌊I·T/N⌋ ≤ k < ⌊(I+1)·T/N⌋` (`T` pairs in all), so that consecutive runs of a variant stay
//! together and step in batches. A pair's results do not depend on the shard, batch or
//! thread that computes it: merging the shards gives the unsharded study bit for bit.
//!
//! A run that panics, or whose records hold a value that is not finite, is a failed pair: its
//! draws and the reason are kept, its metrics are empty, and the others go on.

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::ensemble::{first_not_finite, record_kinds, summarize};
use super::progress::Progress;
use super::study::Study;
use crate::interrupt::Interrupted;
use crate::metrics::catalogue::{CATALOGUE, Values};
use crate::metrics::ensemble::Layout;
use crate::shocks::Draw;

/// Shard `index` of `count`, 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which shard (`0 ≤ index < count`).
    pub index: usize,
    /// How many shards.
    pub count: usize,
}

impl Shard {
    /// The pair numbers `k` of this shard among `total`.
    pub fn range(&self, total: usize) -> std::ops::Range<usize> {
        let bound = |i: usize| (i as u128 * total as u128 / self.count as u128) as usize;
        bound(self.index)..bound(self.index + 1)
    }

    /// The pairs `(variant, run)` of this shard, for `variants` variants of `runs` runs.
    pub fn pairs(&self, variants: usize, runs: usize) -> Vec<(usize, usize)> {
        self.range(variants * runs)
            .map(|k| (k / runs, k % runs))
            .collect()
    }

    /// `I-of-N`, the name of the shard's folder.
    pub fn name(&self) -> String {
        format!("{}-of-{}", self.index, self.count)
    }
}

/// One run of one variant, reduced to what a sweep keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct PairRun {
    /// The variant.
    pub variant: usize,
    /// The run.
    pub run: usize,
    /// Its metrics before any comparison with a reference (all `None` when it failed).
    pub values: Values,
    /// The values drawn for its shocks.
    pub draws: Vec<Draw>,
    /// Why it failed, if it did.
    pub failure: Option<String>,
}

/// The message of a caught panic.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// `work()`, or the message of the panic that stopped it.
pub fn guarded<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(work)).map_err(|p| format!("panic: {}", panic_message(&*p)))
}

/// Metrics of a run that failed: none.
fn no_values() -> Values {
    Values::from_list(vec![None; CATALOGUE.len()])
}

impl Study {
    /// The runs `pairs`, reduced to their metrics and draws, collected in the order of
    /// `pairs`. A batch of runs that panics is run again run by run, so that only the run at
    /// fault is marked failed; a run whose records hold a value that is not finite is failed
    /// too. `progress` is ticked once per run. A signal gives `Err` (what was done is lost;
    /// callers checkpoint in pieces).
    pub fn pair_runs(
        &self,
        pairs: &[(usize, usize)],
        progress: &Progress,
    ) -> Result<Vec<PairRun>, Interrupted> {
        let layout = Layout::new(self.economy(), self.kinds());
        let kinds = record_kinds(&[]);
        let reduce = |v: usize, result: super::RunResult| {
            let failure = first_not_finite(&result.records)
                .map(|what| format!("{what} is not a finite number"));
            let values = match failure {
                Some(_) => no_values(),
                None => summarize(&layout, &result).metrics,
            };
            progress.tick();
            PairRun {
                variant: v,
                run: result.run,
                values,
                draws: result.draws,
                failure,
            }
        };
        self.map_pairs_guarded(pairs, &kinds, reduce, |v, run, why| {
            progress.tick();
            let draws = self.draws(v, run);
            PairRun {
                variant: v,
                run,
                values: no_values(),
                draws,
                failure: Some(why),
            }
        })
    }

    /// The values drawn for run `run` of variant `v` (no simulation).
    pub fn draws(&self, v: usize, run: usize) -> Vec<Draw> {
        guarded(|| {
            self.setups()[v]
                .plan()
                .draw(self.economy_of(v), self.seed(), run as u64)
                .draws
        })
        .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_pair_exactly_once_in_contiguous_blocks() {
        for (variants, runs) in [(1, 1), (3, 7), (5, 4), (2, 100)] {
            for count in 1..=9 {
                let mut all = Vec::new();
                let mut sizes = Vec::new();
                for index in 0..count {
                    let pairs = Shard { index, count }.pairs(variants, runs);
                    sizes.push(pairs.len());
                    all.extend(pairs);
                }
                let expected: Vec<(usize, usize)> = (0..variants)
                    .flat_map(|v| (0..runs).map(move |r| (v, r)))
                    .collect();
                assert_eq!(all, expected, "{variants}×{runs} in {count}");
                let (lo, hi) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
                assert!(hi - lo <= 1, "balanced: {sizes:?}");
            }
        }
    }

    #[test]
    fn a_panic_is_caught_with_its_message() {
        assert_eq!(guarded(|| 3), Ok(3));
        let caught = guarded(|| -> u32 { panic!("run {} exploded", 7) });
        assert_eq!(caught, Err("panic: run 7 exploded".into()));
        let caught = guarded(|| -> u32 { panic!("static") });
        assert_eq!(caught, Err("panic: static".into()));
    }
}
