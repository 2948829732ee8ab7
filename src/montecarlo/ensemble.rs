//! An ensemble: every variant's runs summarised as they finish, then aggregated serially in
//! variant and run order (statistics, daily bands, industry losses), so the results are the
//! same bytes whatever the number of threads.

use super::progress::Progress;
use super::runner::{PolicyOutcome, RunResult};
use super::spill::{Spill, Stored};
use super::study::Study;
use crate::Error;
use crate::kinds::RecordKind;
use crate::metrics::Record;
use crate::metrics::catalogue::Values;
use crate::metrics::ensemble::{
    Bands, Layout, MetricStatistics, NEEDED_RECORDS, RunSummary, SeriesId, bands, bands_by,
    compare_with_reference, difference_band, mean_industry_loss, series_ids, summarize_metrics,
};
use crate::model::NO_POLICIES;
use crate::shocks::Draw;

/// Which runs' daily records an ensemble keeps (to be written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeepRecords {
    /// None.
    None,
    /// Every run of "base".
    Base,
    /// Every run of every variant.
    EveryVariant,
}

/// Where each run's summary goes as soon as it is made.
pub trait RunSink: Sync {
    /// Run `run` of variant `variant` is done; its summary (before the comparison with "no
    /// policies", which needs every run).
    fn run_done(&self, variant: usize, run: usize, summary: &RunSummary);

    /// Run `run` of variant `variant` failed (it has no summary).
    fn run_failed(&self, _variant: usize, _run: usize) {}
}

/// One variant's results.
#[derive(Debug, Clone)]
pub struct VariantResults {
    /// Variant name.
    pub name: String,
    /// Per run: metrics and the daily series the ensemble keeps.
    pub runs: Vec<RunSummary>,
    /// Per run: what each policy did (nothing for a failed run).
    pub policies: Vec<Vec<PolicyOutcome>>,
    /// Per run: why it failed, if it did (its metrics are then empty and its series left out
    /// of the bands and industry losses).
    pub failures: Vec<Option<String>>,
    /// Statistics of every metric over the runs.
    pub statistics: MetricStatistics,
    /// Daily quantile bands of the kept series.
    pub bands: Bands,
    /// Mean value-added loss of each industry over the runs (% of its baseline).
    pub industry_loss: Vec<f64>,
}

/// The results of a study.
#[derive(Debug, Clone)]
pub struct Ensemble {
    /// Region, sector and demand-region labels the results refer to.
    pub layout: Layout,
    /// Every variant, "base" first.
    pub variants: Vec<VariantResults>,
    /// Per run of "base": the values drawn for its shocks.
    pub draws: Vec<Vec<Draw>>,
    /// Per run of "base" (only when records were kept): the daily records the scenario asks
    /// for.
    pub records: Vec<Vec<Record>>,
    /// Per variant after "base", per run (only with [`KeepRecords::EveryVariant`]): its
    /// daily records.
    pub variant_records: Vec<Vec<Vec<Record>>>,
}

impl Study {
    /// Run every variant and aggregate. `keep_records`: keep the daily records of every run of
    /// "base" (they are always needed with one run).
    ///
    /// A run whose records hold a value that is not finite stops the ensemble with an error
    /// naming the variant, the run, its draws and the first such value (the first run in
    /// variant and run order, whatever the thread count).
    pub fn ensemble(&self, keep_records: bool) -> Result<Ensemble, Error> {
        let keep = if keep_records {
            KeepRecords::Base
        } else {
            KeepRecords::None
        };
        self.ensemble_to(keep, None)
    }

    /// [`ensemble`](Self::ensemble), handing each run's summary to `sink` as soon as it is
    /// made, from the worker that made it (e.g. to write `trajectories.nc` as runs finish).
    pub fn ensemble_to(
        &self,
        keep: KeepRecords,
        sink: Option<&dyn RunSink>,
    ) -> Result<Ensemble, Error> {
        let assembly = self.assembly(keep, sink)?;
        let (variants, runs) = (self.setups().len(), self.runs());
        let progress = Progress::new(runs, variants, self.progress());
        let pairs: Vec<(usize, usize)> = (0..variants)
            .flat_map(|v| (0..runs).map(move |run| (v, run)))
            .collect();
        let kinds = record_kinds(self.model().records());
        let kept = self.map_pairs_guarded(
            &pairs,
            &kinds,
            |v, result| {
                progress.tick();
                assembly.keep(self.run_piece(&assembly.layout, keep, v, result))
            },
            |v, run, why| {
                progress.tick();
                assembly.keep(self.failed_piece(v, run, why))
            },
        )?;
        progress.finish();
        assembly.finish(kept)
    }

    /// The runs `pairs` as an ensemble keeps them, with their whole daily series (none is
    /// handed to a sink or a file), collected in the order of `pairs`; `progress` is ticked
    /// once per run. A batch that panics is run again run by run, as in
    /// [`map_pairs_guarded`](Self::map_pairs_guarded). A signal gives `Err` (what was done is
    /// lost; callers checkpoint in pieces).
    pub fn run_pieces(
        &self,
        pairs: &[(usize, usize)],
        keep: KeepRecords,
        progress: &Progress,
    ) -> Result<Vec<RunPiece>, crate::interrupt::Interrupted> {
        let layout = Layout::new(self.economy(), self.kinds());
        let kinds = record_kinds(self.model().records());
        self.map_pairs_guarded(
            pairs,
            &kinds,
            |v, result| {
                progress.tick();
                self.run_piece(&layout, keep, v, result)
            },
            |v, run, why| {
                progress.tick();
                self.failed_piece(v, run, why)
            },
        )
    }

    /// Run `result` of variant `v` as an ensemble keeps it: failed if its records hold a
    /// value that is not finite; its records only where `keep` says.
    fn run_piece(
        &self,
        layout: &Layout,
        keep: KeepRecords,
        v: usize,
        mut result: RunResult,
    ) -> RunPiece {
        if let Some(what) = first_not_finite(&result.records) {
            return RunPiece {
                variant: v,
                run: result.run,
                failure: Some(format!("{what} is not a finite number")),
                draws: result.draws,
                policies: Vec::new(),
                summary: RunSummary::failed(),
                records: Vec::new(),
            };
        }
        let summary = summarize(layout, &result);
        let wanted = self.model().records();
        if (v == 0 && keep != KeepRecords::None) || keep == KeepRecords::EveryVariant {
            result.records.retain(|r| wanted.contains(&r.kind));
        } else {
            result.records.clear();
        }
        RunPiece {
            variant: v,
            run: result.run,
            failure: None,
            draws: result.draws,
            policies: result.policies,
            summary,
            records: result.records,
        }
    }

    /// Run `run` of variant `v`, failed for `why` (a caught panic).
    fn failed_piece(&self, v: usize, run: usize, why: String) -> RunPiece {
        RunPiece {
            variant: v,
            run,
            failure: Some(why),
            draws: self.draws(v, run),
            policies: Vec::new(),
            summary: RunSummary::failed(),
            records: Vec::new(),
        }
    }

    /// An ensemble put together from its runs, handed over one by one in any order
    /// ([`Assembly::keep`]) and aggregated once all are there ([`Assembly::finish`]).
    pub fn assembly<'a>(
        &'a self,
        keep: KeepRecords,
        sink: Option<&'a dyn RunSink>,
    ) -> Result<Assembly<'a>, Error> {
        let layout = Layout::new(self.economy(), self.kinds());
        // an ensemble whose daily series would be large keeps them in a file
        let series = series_ids(&layout).len() as u64;
        let series_bytes = series * self.model().days() as u64 * 8;
        let total = series_bytes * (self.runs() * self.setups().len()) as u64;
        let spill = if total > self.spill_above() {
            Some(Spill::new().map_err(|e| Error::Spill(e.to_string()))?)
        } else {
            None
        };
        Ok(Assembly {
            study: self,
            layout,
            keep,
            sink,
            spill,
        })
    }
}

/// One run of one variant as an ensemble keeps it: its summary with every daily series, what
/// its policies did, the values drawn for its shocks and its records (those kept), or why it
/// failed. What a checkpoint or a shard of `hinterland run` stores.
#[derive(Debug, Clone, PartialEq)]
pub struct RunPiece {
    /// The variant.
    pub variant: usize,
    /// The run.
    pub run: usize,
    /// Why it failed, if it did (its summary, policies and records are then empty).
    pub failure: Option<String>,
    /// The values drawn for its shocks.
    pub draws: Vec<Draw>,
    /// What each policy did.
    pub policies: Vec<PolicyOutcome>,
    /// Its metrics and daily series (before the comparison with "no policies").
    pub summary: RunSummary,
    /// Its daily records, where the ensemble keeps them.
    pub records: Vec<Record>,
}

/// An ensemble being put together: see [`Study::assembly`].
pub struct Assembly<'a> {
    study: &'a Study,
    layout: Layout,
    keep: KeepRecords,
    sink: Option<&'a dyn RunSink>,
    spill: Option<Spill>,
}

impl Assembly<'_> {
    /// Take one run: hand it to the sink, move its series to the file where the ensemble
    /// keeps them there, and keep the rest. Safe from any thread.
    pub fn keep(&self, mut piece: RunPiece) -> Kept {
        if piece.failure.is_some() {
            if let Some(sink) = self.sink {
                sink.run_failed(piece.variant, piece.run);
            }
            return Kept {
                piece,
                stored: None,
            };
        }
        if let Some(sink) = self.sink {
            sink.run_done(piece.variant, piece.run, &piece.summary);
        }
        let stored = self
            .spill
            .as_ref()
            .map(|spill| spill.put(&piece.summary.take_series()));
        Kept { piece, stored }
    }

    /// Aggregate the runs kept, which must be every run of every variant once: statistics,
    /// bands and industry losses, serially in variant and run order. Under `--fail-fast` the
    /// first failed run (in that order) is the error, as it is when every run failed.
    pub fn finish(self, kept: Vec<Kept>) -> Result<Ensemble, Error> {
        let Assembly {
            study,
            layout,
            keep,
            sink: _,
            spill,
        } = self;
        let keep_records = keep != KeepRecords::None;
        let (variants, runs) = (study.setups().len(), study.runs());
        let mut slots: Vec<Option<Kept>> = (0..variants * runs).map(|_| None).collect();
        for one in kept {
            let k = one.piece.variant * runs + one.piece.run;
            if one.piece.variant < variants && one.piece.run < runs {
                slots[k] = Some(one);
            }
        }
        let mut kept: Vec<Vec<Kept>> = Vec::with_capacity(variants);
        let mut slots = slots.into_iter();
        for v in 0..variants {
            let mut own = Vec::with_capacity(runs);
            for run in 0..runs {
                let Some(one) = slots.next().flatten() else {
                    return Err(Error::RunFailed {
                        variant: study.setups()[v].name().to_string(),
                        run,
                        why: "its results are missing from the ensemble".into(),
                    });
                };
                own.push(one);
            }
            kept.push(own);
        }
        for (v, runs) in kept.iter().enumerate() {
            for one in runs {
                if let Some(Err(err)) = &one.stored {
                    return Err(Error::Spill(err.to_string()));
                }
                if let Some(why) = &one.piece.failure
                    && study.fail_fast()
                {
                    let name = study.setups()[v].name();
                    return Err(failure_error(name, one.piece.run, &one.piece.draws, why));
                }
            }
        }
        // nothing to summarise: the first failure is the answer
        if kept.iter().flatten().all(|k| k.piece.failure.is_some())
            && let Some(first) = kept.iter().flatten().next()
        {
            let p = &first.piece;
            let name = study.setups()[p.variant].name();
            return Err(failure_error(
                name,
                p.run,
                &p.draws,
                p.failure.as_deref().unwrap_or_default(),
            ));
        }
        let mut variants = Vec::with_capacity(kept.len());
        let (mut draws, mut records) = (Vec::new(), Vec::new());
        let mut variant_records = Vec::new();
        let mut spilled: Vec<Vec<Stored>> = Vec::new();
        for (v, runs) in kept.into_iter().enumerate() {
            let mut summaries = Vec::with_capacity(runs.len());
            let mut policies = Vec::with_capacity(runs.len());
            let mut failures = Vec::with_capacity(runs.len());
            let mut own_records = Vec::new();
            let mut own_spilled = Vec::new();
            for Kept { piece, stored } in runs {
                own_spilled.extend(stored.and_then(Result::ok));
                failures.push(piece.failure);
                summaries.push(piece.summary);
                policies.push(piece.policies);
                if v == 0 {
                    draws.push(piece.draws);
                    if keep_records {
                        records.push(piece.records);
                    }
                } else if keep == KeepRecords::EveryVariant {
                    own_records.push(piece.records);
                }
            }
            if v > 0 && keep == KeepRecords::EveryVariant {
                variant_records.push(own_records);
            }
            spilled.push(own_spilled);
            variants.push(VariantResults {
                name: study.setups()[v].name().to_string(),
                runs: summaries,
                policies,
                failures,
                statistics: Vec::new(),
                bands: Vec::new(),
                industry_loss: Vec::new(),
            });
        }
        // "no policies" in the same run is the reference of the variants that change only
        // policies; a variant that changes shocks or dynamics would mix the two
        let reference = variants.iter().position(|v| v.name == NO_POLICIES);
        let reference_runs = reference.map(|r| variants[r].runs.clone());
        for (v, variant) in variants.iter_mut().enumerate() {
            let compared = match &reference_runs {
                Some(runs)
                    if Some(v) != reference && study.setups()[v].compares_with_no_policies() =>
                {
                    compare_with_reference(&mut variant.runs, runs);
                    Some(runs)
                }
                _ => None,
            };
            variant.statistics = summarize_metrics(&variant.runs);
            // the series of the runs that succeeded (a failed run has none)
            let succeeded: Vec<RunSummary>;
            let ok: &[RunSummary] = if variant.failures.iter().all(Option::is_none) {
                &variant.runs
            } else {
                succeeded = variant
                    .runs
                    .iter()
                    .zip(&variant.failures)
                    .filter(|(_, f)| f.is_none())
                    .map(|(r, _)| r.clone())
                    .collect();
                &succeeded
            };
            variant.bands = match &spill {
                None => bands(&layout, ok),
                // the national series stayed in the summaries; the others, in the file in
                // `series_ids` order after it
                Some(spill) => {
                    let ids = series_ids(&layout);
                    bands_by(&layout, |id| {
                        if id == SeriesId::National {
                            return Ok(ok.iter().map(|r| r.national.clone()).collect());
                        }
                        let i = ids.iter().position(|(_, x)| *x == id).expect("an id") - 1;
                        spilled[v]
                            .iter()
                            .map(|stored| spill.get(stored, i))
                            .collect()
                    })
                    .map_err(|e| Error::Spill(e.to_string()))?
                }
            };
            // the paired difference the charts draw (`fan_difference`), over the runs that
            // succeeded in both
            let band = compared.and_then(|reference| {
                let both: Vec<usize> = (0..variant.runs.len())
                    .filter(|&k| {
                        !reference[k].national.is_empty() && !variant.runs[k].national.is_empty()
                    })
                    .collect();
                if both.len() == variant.runs.len() {
                    return difference_band(&variant.runs, reference);
                }
                let pick = |runs: &[RunSummary]| -> Vec<RunSummary> {
                    both.iter().map(|&k| runs[k].clone()).collect()
                };
                difference_band(&pick(&variant.runs), &pick(reference))
            });
            if let Some(band) = band {
                variant.bands.push(band);
            }
            variant.industry_loss = mean_industry_loss(ok);
        }
        Ok(Ensemble {
            layout,
            variants,
            draws,
            records,
            variant_records,
        })
    }
}

/// What an ensemble keeps of one run as it is taken: the run, its series moved to the
/// ensemble's file where it keeps them there (and where they are).
pub struct Kept {
    piece: RunPiece,
    stored: Option<std::io::Result<Stored>>,
}

/// The error of a failed run (under `--fail-fast`, or when every run failed): a value that is not finite names the run's
/// draws, as before failures were isolated.
pub fn failure_error(variant: &str, run: usize, draws: &[Draw], why: &str) -> Error {
    match why.strip_suffix(" is not a finite number") {
        Some(what) => {
            let listed: Vec<String> = draws
                .iter()
                .map(|d| format!("{}.{} = {}", d.shock, d.parameter, d.value))
                .collect();
            Error::NotFinite {
                variant: variant.to_string(),
                run,
                draws: if listed.is_empty() {
                    "none".into()
                } else {
                    listed.join(", ")
                },
                what: what.to_string(),
            }
        }
        None => Error::RunFailed {
            variant: variant.to_string(),
            run,
            why: why.to_string(),
        },
    }
}

/// One run's metrics and the values drawn for its shocks.
pub type RunMetrics = (Values, Vec<Draw>);

impl Study {
    /// Every run of every variant reduced to its metrics and the values drawn for its shocks,
    /// per variant in run order (no records kept). A run with a value that is not finite is
    /// an error naming the variant, the run and its draws.
    pub fn metrics(&self) -> Result<Vec<Vec<RunMetrics>>, Error> {
        let layout = Layout::new(self.economy(), self.kinds());
        let kinds = record_kinds(&[]);
        let kept = self.map_runs(&kinds, |_, result| {
            let summary = summarize(&layout, &result);
            (
                summary.metrics,
                result.draws,
                first_not_finite(&result.records),
            )
        })?;
        let mut all = Vec::with_capacity(kept.len());
        for (v, runs) in kept.into_iter().enumerate() {
            let mut values = Vec::with_capacity(runs.len());
            for (k, (metrics, drawn, not_finite)) in runs.into_iter().enumerate() {
                if let Some(what) = not_finite {
                    let listed: Vec<String> = drawn
                        .iter()
                        .map(|d| format!("{}.{} = {}", d.shock, d.parameter, d.value))
                        .collect();
                    return Err(Error::NotFinite {
                        variant: self.setups()[v].name().to_string(),
                        run: k,
                        draws: if listed.is_empty() {
                            "none".into()
                        } else {
                            listed.join(", ")
                        },
                        what,
                    });
                }
                values.push((metrics, drawn));
            }
            all.push(values);
        }
        Ok(all)
    }
}

/// The records a run keeps: `wanted`, and those the metrics need whatever the scenario asks
/// to write.
pub(super) fn record_kinds(wanted: &[RecordKind]) -> Vec<RecordKind> {
    let mut kinds: Vec<RecordKind> = wanted.to_vec();
    for kind in NEEDED_RECORDS {
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    kinds.sort();
    kinds
}

/// One run's summary: its metrics and the series the ensemble keeps, with its policies'
/// totals.
pub(super) fn summarize(layout: &Layout, result: &RunResult) -> RunSummary {
    // `+ 0.0`: an empty f64 sum is -0.0
    let backup: f64 = result
        .policies
        .iter()
        .filter(|p| p.kind == "backup")
        .map(|p| p.delivered)
        .sum::<f64>()
        + 0.0;
    let holding: f64 = result.policies.iter().map(|p| p.holding_cost).sum::<f64>() + 0.0;
    let activation: f64 = result
        .policies
        .iter()
        .map(|p| p.activation_cost)
        .sum::<f64>()
        + 0.0;
    layout.summarize_run(&result.records, backup, holding, activation)
}

/// The first value of `records` that is not finite: `record "column" on day d = value`.
pub(super) fn first_not_finite(records: &[Record]) -> Option<String> {
    records.iter().find_map(|record| {
        let at = record.values.iter().position(|v| !v.is_finite())?;
        let columns = record.columns.len().max(1);
        Some(format!(
            "{} {:?} on day {} = {}",
            record.kind.file_stem(),
            record.columns.get(at % columns).map_or("", String::as_str),
            at / columns,
            record.values[at]
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: RecordKind, values: Vec<f64>) -> Record {
        Record {
            kind,
            columns: vec!["north|goods".into(), "south|goods".into()],
            values,
        }
    }

    #[test]
    fn the_first_value_that_is_not_finite_is_named_with_its_record_column_and_day() {
        let fine = record(RecordKind::ValueAdded, vec![1.0, 2.0, 3.0, 4.0]);
        assert_eq!(first_not_finite(std::slice::from_ref(&fine)), None);
        let broken = record(
            RecordKind::ProductionRealised,
            vec![1.0, 2.0, 3.0, f64::INFINITY, f64::NAN, 0.0],
        );
        assert_eq!(
            first_not_finite(&[fine, broken]).as_deref(),
            Some("production_realised \"south|goods\" on day 1 = inf")
        );
    }
}
