//! Chosen runs of chosen variants: the unit a shard of a split study computes (issue 20).

use rayon::prelude::*;

use super::runner::RunResult;
use super::shard::guarded;
use super::study::Study;
use crate::interrupt::Interrupted;
use crate::kinds::RecordKind;

impl Study {
    /// The runs `pairs` (`(variant, run)`), in parallel on the study's threads, each reduced
    /// by `keep(variant, result)`; collected in the order of `pairs`. Consecutive runs of a
    /// variant step together in batches of at most [`Study::batch`] runs, so each run gives
    /// exactly what it gives in [`Study::map_runs`] (a run's results depend neither on its
    /// batch nor on the thread). A signal stops the runs at their next day and gives `Err`.
    pub fn map_pairs<T: Send>(
        &self,
        pairs: &[(usize, usize)],
        kinds: &[RecordKind],
        keep: impl Fn(usize, RunResult) -> T + Sync,
    ) -> Result<Vec<T>, Interrupted> {
        let chunks = self.chunks(pairs);
        let done: Vec<Option<Vec<(usize, T)>>> = self.pool_install(|| {
            chunks
                .into_par_iter()
                .map(|chunk| {
                    if crate::interrupt::requested().is_some() {
                        return None;
                    }
                    let (v, first) = pairs[chunk[0]];
                    let results = self.simulate_batch(v, first..first + chunk.len(), kinds);
                    if crate::interrupt::requested().is_some() {
                        return None;
                    }
                    Some(
                        chunk
                            .iter()
                            .zip(results)
                            .map(|(&k, result)| (k, keep(v, result)))
                            .collect(),
                    )
                })
                .collect()
        });
        crate::interrupt::check()?;
        let mut kept: Vec<(usize, T)> = done
            .into_iter()
            .collect::<Option<Vec<_>>>()
            .ok_or(Interrupted(crate::interrupt::requested().unwrap_or(0)))?
            .into_iter()
            .flatten()
            .collect();
        kept.sort_by_key(|(k, _)| *k);
        Ok(kept.into_iter().map(|(_, t)| t).collect())
    }

    /// [`Study::map_pairs`], a run that panics isolated: a batch that panics is stepped again
    /// run by run, each run's panic caught and handed to `failed(variant, run, why)`; the
    /// batch's other runs give exactly what they give in the batch.
    pub fn map_pairs_guarded<T: Send>(
        &self,
        pairs: &[(usize, usize)],
        kinds: &[RecordKind],
        keep: impl Fn(usize, RunResult) -> T + Sync,
        failed: impl Fn(usize, usize, String) -> T + Sync,
    ) -> Result<Vec<T>, Interrupted> {
        let chunks = self.chunks(pairs);
        let done: Vec<Option<Vec<(usize, T)>>> = self.pool_install(|| {
            chunks
                .into_par_iter()
                .map(|chunk| {
                    if crate::interrupt::requested().is_some() {
                        return None;
                    }
                    let (v, first) = pairs[chunk[0]];
                    let results =
                        match guarded(|| self.simulate_batch(v, first..first + chunk.len(), kinds))
                        {
                            Ok(results) => results.into_iter().map(Ok).collect(),
                            // the batch again, run by run: only the run at fault fails
                            Err(_) => (first..first + chunk.len())
                                .map(|run| guarded(|| self.simulate(v, run, kinds)))
                                .collect::<Vec<_>>(),
                        };
                    if crate::interrupt::requested().is_some() {
                        return None;
                    }
                    Some(
                        chunk
                            .iter()
                            .zip(results)
                            .map(|(&k, result)| {
                                let kept = match result {
                                    Ok(result) => keep(v, result),
                                    Err(why) => failed(v, pairs[k].1, why),
                                };
                                (k, kept)
                            })
                            .collect(),
                    )
                })
                .collect()
        });
        crate::interrupt::check()?;
        let mut kept: Vec<(usize, T)> = done
            .into_iter()
            .collect::<Option<Vec<_>>>()
            .ok_or(Interrupted(crate::interrupt::requested().unwrap_or(0)))?
            .into_iter()
            .flatten()
            .collect();
        kept.sort_by_key(|(k, _)| *k);
        Ok(kept.into_iter().map(|(_, t)| t).collect())
    }

    /// Positions in `pairs` grouped into batches: consecutive runs of one variant, at most
    /// [`Study::batch`] each.
    fn chunks(&self, pairs: &[(usize, usize)]) -> Vec<Vec<usize>> {
        let mut order: Vec<usize> = (0..pairs.len()).collect();
        order.sort_by_key(|&k| pairs[k]);
        let mut chunks: Vec<Vec<usize>> = Vec::new();
        for &k in &order {
            let (v, run) = pairs[k];
            match chunks.last_mut() {
                Some(chunk)
                    if chunk.len() < self.batch()
                        && pairs[*chunk.last().expect("not empty")] == (v, run.wrapping_sub(1)) =>
                {
                    chunk.push(k)
                }
                _ => chunks.push(vec![k]),
            }
        }
        chunks
    }
}
