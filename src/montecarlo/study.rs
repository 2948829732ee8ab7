//! The study: a checked model, its economy, and every variant made ready to run (policies
//! resolved, backup units appended, shocks compiled), built once.

use rayon::prelude::*;

use super::memory::{self, Budget, Estimate};
use super::pool::Pool;
use super::progress::Progress;
use super::runner::{RunResult, simulate_batch};
use crate::Error;
use crate::economy::{self, Economy, RegionKinds, Resolver};
use crate::engine::Simulation;
use crate::interrupt::Interrupted;
use crate::kinds::RecordKind;
use crate::metrics::Record;
use crate::model::{Invalid, Model};
use crate::policy::Policies;
use crate::shocks::{Plan, Shocks};

/// How a study runs: how many runs, which seed, how many threads.
#[derive(Debug, Clone, Default)]
pub struct StudyOptions {
    /// Runs per variant instead of the scenario's `runs`.
    pub runs: Option<usize>,
    /// Shock seed instead of the scenario's `seed`.
    pub seed: Option<u64>,
    /// Worker threads (`None`: one per core). Results do not depend on it.
    pub threads: Option<usize>,
    /// Show progress on stderr (a bar on a terminal, a line per tenth elsewhere).
    pub progress: bool,
    /// The records of every run will be kept (`--records`): counted in the memory estimate.
    pub keep_records: bool,
    /// With `keep_records`: of every variant (`--variant-records`).
    pub variant_records: bool,
    /// Memory the study may use, in bytes, instead of what the machine has
    /// ([`memory::Budget`]).
    pub max_memory: Option<u64>,
    /// Runs of a variant stepped together (`None`: [`DEFAULT_BATCH`]; 1: each run alone).
    /// Results do not depend on it.
    pub batch: Option<usize>,
    /// Keep the runs' daily series in a temporary file when they would take more than this
    /// many bytes (`None`: [`super::spill::SPILL_ABOVE`]). Results do not depend on it.
    pub spill_above: Option<u64>,
    /// A run that fails (a panic, a value that is not finite) stops the ensemble with an error
    /// (`--fail-fast`), instead of being recorded as failed while the others go on.
    pub fail_fast: bool,
}

/// Runs of a variant stepped together by default ([`crate::engine::Batch`]).
pub const DEFAULT_BATCH: usize = 8;

/// Refuse an economy with a number that cannot be computed with (`field`: the part of the
/// scenario that made it).
fn not_finite(economy: &Economy, model: &Model, field: &str) -> Result<(), Invalid> {
    match economy.first_not_finite() {
        None => Ok(()),
        Some(what) => Err(Invalid::new(
            model.source(),
            field,
            format!(
                "{what}: the economy cannot be simulated; firm sizes (`firm_sizes`), the \
                 table's values, `capital_to_value_added` or a backup's `capacity_share` are \
                 too extreme"
            ),
        )),
    }
}

/// One variant made ready to run.
#[derive(Debug, Clone)]
pub struct Setup {
    name: String,
    /// Whether "no policies" in the same run is its reference (it changes only policies).
    compares_with_no_policies: bool,
    model: Model,
    /// Its own economy when it differs from the study's (backup units, another capital).
    economy: Option<Economy>,
    policies: Policies,
    plan: Plan,
}

impl Setup {
    /// The variant's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether "no policies" in the same run is its reference for `loss_avoided`: it differs
    /// from the scenario only in its backups and reserves.
    pub fn compares_with_no_policies(&self) -> bool {
        self.compares_with_no_policies
    }

    /// The variant's checked model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Its backups and reserves, resolved.
    pub fn policies(&self) -> &Policies {
        &self.policies
    }

    /// Its shocks, compiled.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }
}

/// A scenario made ready to run: every variant on the same economy and the same drawn crises.
///
/// Run `k` of every variant draws its shocks from the streams `(seed, k, shock)` only, so the
/// variants of one run see the same crisis (common random numbers), and runs can execute in
/// any order on any number of threads with the same results.
#[derive(Debug)]
pub struct Study {
    model: Model,
    economy: Economy,
    kinds: RegionKinds,
    setups: Vec<Setup>,
    runs: usize,
    seed: u64,
    pool: Pool,
    progress: bool,
    /// Runs of a variant stepped together.
    batch: usize,
    /// Daily series above this many bytes go to a temporary file.
    spill_above: u64,
    /// The memory estimate the study was checked against.
    estimate: Option<Estimate>,
    /// Stop at the first failed run.
    fail_fast: bool,
}

impl Study {
    /// Build the model's economy (on the study's threads: large tables load in parallel) and
    /// make every variant ready.
    ///
    /// Before anything large is allocated (before drawing a synthetic network, after loading
    /// an MRIO table), the study's memory is estimated and checked against what the machine
    /// has or `max_memory` ([`memory::check`]): a study that would not fit is refused.
    pub fn new(model: Model, options: &StudyOptions) -> Result<Study, Error> {
        let pool = Pool::new(options.threads)?;
        let plan = memory::Plan {
            runs: options.runs.unwrap_or(model.runs()).max(1) as u64,
            threads: pool.threads() as u64,
            batch: batch_size(options) as u64,
            keep_records: options.keep_records,
            variant_records: options.variant_records,
        };
        let budget = Budget::new(options.max_memory);
        let mut estimate = None;
        let economy = pool.install(|| {
            economy::build_checked(model.economy(), |sizer| {
                estimate = Some(memory::check(&model, sizer, plan, budget.as_ref())?);
                Ok(())
            })
        })?;
        if let Some(estimate) = &estimate {
            log::debug!(
                "memory: about {} at the peak for {}; this run may use {}",
                memory::bytes(estimate.total),
                estimate.study,
                budget.as_ref().map_or(
                    "no known limit (the machine's memory cannot be read)".into(),
                    |b| { format!("{} ({})", memory::bytes(b.bytes), b.source) }
                )
            );
            for part in &estimate.parts {
                log::trace!("memory: {} for {}", memory::bytes(part.bytes), part.what);
            }
        }
        let mut study = Study::assemble(model, economy, pool, options)?;
        study.estimate = estimate;
        Ok(study)
    }

    /// A study on an economy already built from the model's (tests, benchmarks).
    pub fn with_economy(
        model: Model,
        economy: Economy,
        options: &StudyOptions,
    ) -> Result<Study, Error> {
        let pool = Pool::new(options.threads)?;
        Study::assemble(model, economy, pool, options)
    }

    fn assemble(
        model: Model,
        economy: Economy,
        pool: Pool,
        options: &StudyOptions,
    ) -> Result<Study, Error> {
        not_finite(&economy, &model, "economy")?;
        let kinds = RegionKinds::new(&economy, &model)?;
        let mut setups = Vec::with_capacity(model.variants().len());
        // every variant is checked; an error the scenario itself has is reported once, not
        // again for each variant that inherits it
        let mut errors: Vec<Invalid> = Vec::new();
        let mut base_errors: Vec<(String, String)> = Vec::new();
        for (v, variant) in model.variants().iter().enumerate() {
            let own = variant.model();
            // a variant may change the capital ratio (not the network): its economy differs
            let economy_of_variant = if own.economy() == model.economy() {
                None
            } else if own.economy().same_network(model.economy()) {
                Some(economy.with_capital_to_value_added(own.economy().capital_to_value_added()))
            } else {
                Some(pool.install(|| economy::build(own.economy()))?)
            };
            let regular = economy_of_variant.as_ref().unwrap_or(&economy);
            let mut found = Vec::new();
            if let Err(err) = crate::engine::check_input_rules(
                own.dynamics(),
                &Resolver::new(regular, &kinds, own.source()),
            ) {
                found.push(err);
            }
            let policies = Policies::new(own, &Resolver::new(regular, &kinds, own.source()))
                .map_err(|err| found.push(err))
                .ok();
            let extended = policies
                .as_ref()
                .and_then(|(extended, _)| extended.as_ref());
            let runs_on = extended.unwrap_or(regular);
            let plan = Plan::new(own, &Resolver::new(runs_on, &kinds, own.source()))
                .map_err(|err| found.push(err))
                .ok();
            if let Some(own_economy) = extended.or(economy_of_variant.as_ref()) {
                let field = if extended.is_some() {
                    "backup"
                } else {
                    "economy"
                };
                if let Err(err) = not_finite(own_economy, own, field) {
                    found.push(err);
                }
            }
            for err in found {
                let key = (err.at.clone(), err.message.clone());
                if v == 0 {
                    base_errors.push(key);
                    errors.push(err);
                } else if !base_errors.contains(&key) {
                    let at = format!("{}: {}", variant.at(), err.at);
                    errors.push(Invalid { at, ..err });
                }
            }
            let (Some((extended, policies)), Some(plan)) = (policies, plan) else {
                continue;
            };
            setups.push(Setup {
                name: variant.name().to_string(),
                compares_with_no_policies: variant.compares_with_no_policies(),
                model: own.clone(),
                economy: extended.or(economy_of_variant),
                policies,
                plan,
            });
        }
        if let Some(error) = Invalid::all(errors) {
            return Err(error.into());
        }
        Ok(Study {
            runs: options.runs.unwrap_or(model.runs()).max(1),
            seed: options.seed.unwrap_or(model.seed()),
            model,
            economy,
            kinds,
            setups,
            pool,
            progress: options.progress,
            batch: batch_size(options),
            spill_above: options.spill_above.unwrap_or(super::spill::SPILL_ABOVE),
            estimate: None,
            fail_fast: options.fail_fast,
        })
    }

    /// The checked model (the scenario as written: variant "base").
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The economy of the scenario, without backup units.
    pub fn economy(&self) -> &Economy {
        &self.economy
    }

    /// The kind of each region.
    pub fn kinds(&self) -> &RegionKinds {
        &self.kinds
    }

    /// The variants, "base" first.
    pub fn setups(&self) -> &[Setup] {
        &self.setups
    }

    /// The economy variant `v` runs on (with its backup units).
    pub fn economy_of(&self, v: usize) -> &Economy {
        self.setups[v].economy.as_ref().unwrap_or(&self.economy)
    }

    /// Runs per variant.
    pub fn runs(&self) -> usize {
        self.runs
    }

    /// Seed of the shock draws.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The memory estimate the study was checked against (`None` for a study on an economy
    /// built by the caller).
    pub fn estimate(&self) -> Option<&Estimate> {
        self.estimate.as_ref()
    }

    /// What is allowed but probably not meant: the model's warnings (a drawn start that may
    /// miss the run, a trigger that never fires…), runs that cannot differ because nothing is
    /// drawn, and regions taken as domestic without being declared.
    pub fn warnings(&self) -> Vec<String> {
        let mut all = self.model.warnings().to_vec();
        // runs that cannot differ: no shock of any variant draws anything
        let drawn = self
            .setups
            .iter()
            .any(|setup| setup.model.shocks().iter().any(|d| d.kind.is_drawn()));
        if self.runs > 1 && !drawn {
            all.push(format!(
                "{} runs, but nothing in the scenario is drawn, so every run is identical: use \
                 `runs: 1`, or write a start_day or duration_days as a distribution such as \
                 Uniform(10, 20)",
                self.runs
            ));
        }
        let undeclared = self.kinds.undeclared();
        if !undeclared.is_empty() {
            all.push(format!(
                "regions not declared in `regions`, taken as Interior (domestic): {}; declare \
                 them (a foreign supplier block is `Foreign`), or ship a {} with the table",
                undeclared.join(", "),
                crate::economy::REGIONS_FILE
            ));
        }
        all
    }

    /// Worker threads.
    pub fn threads(&self) -> usize {
        self.pool.threads()
    }

    /// Run `f` on the study's threads.
    pub(super) fn pool_install<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        self.pool.install(f)
    }

    /// Whether the first failed run stops the ensemble (`--fail-fast`).
    pub fn fail_fast(&self) -> bool {
        self.fail_fast
    }

    /// Whether progress is shown on stderr.
    pub fn progress(&self) -> bool {
        self.progress
    }

    /// Runs of a variant stepped together.
    pub fn batch(&self) -> usize {
        self.batch
    }

    /// Daily series above this many bytes go to a temporary file.
    pub fn spill_above(&self) -> u64 {
        self.spill_above
    }

    /// Run `run` of variant `v`, recording `kinds`.
    pub fn simulate(&self, v: usize, run: usize, kinds: &[RecordKind]) -> RunResult {
        let mut one = self.simulate_batch(v, run..run + 1, kinds);
        one.pop().expect("one run")
    }

    /// Runs `runs` of variant `v` stepped together, recording `kinds`; each as it is alone.
    pub fn simulate_batch(
        &self,
        v: usize,
        runs: std::ops::Range<usize>,
        kinds: &[RecordKind],
    ) -> Vec<RunResult> {
        let setup = &self.setups[v];
        let economy = self.economy_of(v);
        let (mut shocks, mut draws) = (Vec::new(), Vec::new());
        for run in runs.clone() {
            let drawn = setup.plan.draw(economy, self.seed, run as u64);
            shocks.push(drawn.shocks);
            draws.push(drawn.draws);
        }
        let results = simulate_batch(
            economy,
            setup.model.dynamics(),
            &setup.policies,
            shocks,
            setup.model.days(),
            kinds,
        );
        runs.zip(draws)
            .zip(results)
            .map(|((run, draws), (records, policies))| RunResult {
                run,
                records,
                draws,
                policies,
            })
            .collect()
    }

    /// The engine at the baseline of run `run` of variant `v` (its shocks drawn, its policies
    /// attached), to be stepped by hand.
    pub fn simulation(&self, v: usize, run: usize) -> Simulation<'_> {
        let setup = &self.setups[v];
        let economy = self.economy_of(v);
        let shocks = setup.plan.draw(economy, self.seed, run as u64).shocks;
        Simulation::with_policies(economy, setup.model.dynamics(), shocks, &setup.policies)
    }

    /// The records the scenario asks for, of run 0 of the scenario as written.
    pub fn first_run(&self) -> Vec<Record> {
        let kinds = self.model.records().to_vec();
        self.pool.install(|| self.simulate(0, 0, &kinds)).records
    }

    /// Every run of every variant, in parallel on the study's threads, each reduced by
    /// `keep(variant, result)` as soon as it finishes (so that a study holds only what it
    /// needs); collected per variant in run order. A signal ([`crate::interrupt`]) stops the
    /// runs at their next day and gives `Err`.
    pub fn map_runs<T: Send>(
        &self,
        kinds: &[RecordKind],
        keep: impl Fn(usize, RunResult) -> T + Sync,
    ) -> Result<Vec<Vec<T>>, Interrupted> {
        let (variants, runs) = (self.setups.len(), self.runs);
        let progress = Progress::new(runs, variants, self.progress);
        // each task steps a batch of consecutive runs of one variant
        let per_variant = runs.div_ceil(self.batch);
        let kept: Vec<Option<Vec<T>>> = self.pool.install(|| {
            (0..variants * per_variant)
                .into_par_iter()
                .map(|task| {
                    // interrupted: the remaining batches are not even set up
                    if crate::interrupt::requested().is_some() {
                        return None;
                    }
                    let (v, b) = (task / per_variant, task % per_variant);
                    let batch = b * self.batch..((b + 1) * self.batch).min(runs);
                    let results = self.simulate_batch(v, batch, kinds);
                    // a run cut short by a signal is never summarised
                    if crate::interrupt::requested().is_some() {
                        return None;
                    }
                    let kept = results
                        .into_iter()
                        .map(|result| {
                            let kept = keep(v, result);
                            progress.tick();
                            kept
                        })
                        .collect();
                    Some(kept)
                })
                .collect()
        });
        progress.finish();
        crate::interrupt::check()?;
        let mut kept: Vec<T> = kept
            .into_iter()
            .collect::<Option<Vec<Vec<T>>>>()
            .ok_or(Interrupted(crate::interrupt::requested().unwrap_or(0)))?
            .into_iter()
            .flatten()
            .collect();
        let mut by_variant = Vec::with_capacity(variants);
        for _ in 0..variants {
            let rest = kept.split_off(runs);
            by_variant.push(kept);
            kept = rest;
        }
        Ok(by_variant)
    }
}

impl Study {
    /// Simulate each of `shocks` once on the study's economy (without backup units) with the
    /// scenario's dynamics and days and no policies, recording `kinds`; each run reduced by
    /// `keep(index, records)` as soon as it finishes, and collected in the order of `shocks`.
    /// Consecutive shocks step together in batches ([`Study::batch`]), the batches in
    /// parallel on the study's threads; results do not depend on either. `what` names the
    /// simulations in the progress lines (e.g. `480 outages`). A signal stops the runs at
    /// their next day and gives `Err`. The rankings of [`crate::explore`] use it.
    pub fn map_shocks<T: Send>(
        &self,
        shocks: Vec<Shocks>,
        kinds: &[RecordKind],
        what: &str,
        keep: impl Fn(usize, Vec<Record>) -> T + Sync,
    ) -> Result<Vec<T>, Interrupted> {
        let total = shocks.len();
        let progress = Progress::of(total, what.to_string(), self.progress);
        let mut batches: Vec<(usize, Vec<Shocks>)> = Vec::new();
        let mut shocks = shocks.into_iter();
        let mut start = 0;
        while start < total {
            let batch: Vec<Shocks> = shocks.by_ref().take(self.batch).collect();
            let len = batch.len();
            batches.push((start, batch));
            start += len;
        }
        let none = Policies::default();
        let (dynamics, days) = (self.model.dynamics(), self.model.days());
        let kept: Vec<Option<Vec<T>>> = self.pool.install(|| {
            batches
                .into_par_iter()
                .map(|(start, batch)| {
                    if crate::interrupt::requested().is_some() {
                        return None;
                    }
                    let results =
                        simulate_batch(&self.economy, dynamics, &none, batch, days, kinds);
                    if crate::interrupt::requested().is_some() {
                        return None;
                    }
                    let kept = results
                        .into_iter()
                        .enumerate()
                        .map(|(k, (records, _))| {
                            let kept = keep(start + k, records);
                            progress.tick();
                            kept
                        })
                        .collect();
                    Some(kept)
                })
                .collect()
        });
        progress.finish();
        crate::interrupt::check()?;
        Ok(kept
            .into_iter()
            .collect::<Option<Vec<Vec<T>>>>()
            .ok_or(Interrupted(crate::interrupt::requested().unwrap_or(0)))?
            .into_iter()
            .flatten()
            .collect())
    }
}

/// Runs stepped together: `--batch`, at most [`crate::engine::MAX_LANES`].
fn batch_size(options: &StudyOptions) -> usize {
    options
        .batch
        .unwrap_or(DEFAULT_BATCH)
        .clamp(1, crate::engine::MAX_LANES)
}
