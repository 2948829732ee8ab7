//! `hinterland throughput SCENARIO`: how many simulations a minute an ensemble of the scenario
//! runs on this machine, and how many link-updates a second that is; nothing is written.
//!
//! The work timed is that of `run` between building the study and writing files: every run
//! of every variant, stepped (in batches of `--batch` runs) and summarised. A link-update is
//! one link stepped one day in one run, so runs stepped together count once each.

use std::fmt;
use std::path::PathBuf;
use std::time::Instant;

use crate::Error;
use crate::model::Model;
use crate::montecarlo::{Study, StudyOptions};

/// What to measure.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ThroughputOptions {
    /// The scenario file.
    pub scenario: PathBuf,
    /// Runs per variant instead of the scenario's `runs`.
    pub runs: Option<usize>,
    /// Worker threads (`None`: one per core).
    pub threads: Option<usize>,
    /// Runs of a variant stepped together (`None`: the default).
    pub batch: Option<usize>,
    /// Memory the measurement may use, in bytes, instead of what the machine has.
    pub max_memory: Option<u64>,
}

/// What was measured.
#[derive(Debug, Clone, PartialEq)]
pub struct ThroughputReport {
    /// The scenario measured.
    pub scenario: PathBuf,
    /// Firms and links of the largest variant's economy (backup units included).
    pub firms: usize,
    /// Links of the largest variant's economy.
    pub links: usize,
    /// Days per run.
    pub days: usize,
    /// Variants, "no policies" included.
    pub variants: usize,
    /// Runs per variant.
    pub runs: usize,
    /// Worker threads.
    pub threads: usize,
    /// Runs stepped together.
    pub batch: usize,
    /// Seconds to load the scenario and build the study (economy, variants).
    pub build_seconds: f64,
    /// Seconds to run and summarise every run of every variant.
    pub ensemble_seconds: f64,
    /// Simulations (runs × variants) per minute.
    pub simulations_per_minute: f64,
    /// `Σ links × days` over the simulations, per second of the ensemble.
    pub link_updates_per_second: f64,
    /// Peak resident memory of the process (`VmHWM`), in MB, where the system reports it.
    pub peak_memory_mb: Option<f64>,
}

/// Build the scenario's study and time its ensemble.
pub fn throughput(options: &ThroughputOptions) -> Result<ThroughputReport, Error> {
    let started = Instant::now();
    let model = Model::load(&options.scenario)?;
    let study_options = StudyOptions {
        runs: options.runs,
        threads: options.threads,
        batch: options.batch,
        max_memory: options.max_memory,
        ..StudyOptions::default()
    };
    let study = Study::new(model, &study_options)?;
    let build_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    study.ensemble(false)?;
    let ensemble_seconds = started.elapsed().as_secs_f64();
    let variants = study.setups().len();
    let (runs, days) = (study.runs(), study.model().days());
    let link_days: f64 = (0..variants)
        .map(|v| study.economy_of(v).n_links() as f64 * days as f64)
        .sum::<f64>()
        * runs as f64;
    let largest = (0..variants)
        .map(|v| study.economy_of(v))
        .max_by_key(|e| (e.n_links(), e.n_firms()))
        .expect("a study has a variant");
    Ok(ThroughputReport {
        scenario: options.scenario.clone(),
        firms: largest.n_firms(),
        links: largest.n_links(),
        days,
        variants,
        runs,
        threads: study.threads(),
        batch: study.batch(),
        build_seconds,
        ensemble_seconds,
        simulations_per_minute: (variants * runs) as f64 * 60.0 / ensemble_seconds,
        link_updates_per_second: link_days / ensemble_seconds,
        peak_memory_mb: super::bench::peak_memory_mb(),
    })
}

impl fmt::Display for ThroughputReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "scenario:         {}", self.scenario.display())?;
        writeln!(
            f,
            "economy:          {} firms, {} links; {} days",
            self.firms, self.links, self.days
        )?;
        writeln!(
            f,
            "simulations:      {} variants × {} runs = {}, {} threads, batches of {}",
            self.variants,
            self.runs,
            self.variants * self.runs,
            self.threads,
            self.batch
        )?;
        writeln!(f, "build:            {:.3} s", self.build_seconds)?;
        writeln!(f, "ensemble:         {:.3} s", self.ensemble_seconds)?;
        writeln!(f, "simulations/min:  {:.1}", self.simulations_per_minute)?;
        writeln!(f, "link-updates/s:   {:.3e}", self.link_updates_per_second)?;
        match self.peak_memory_mb {
            Some(mb) => writeln!(f, "peak memory:      {mb:.1} MB"),
            None => writeln!(f, "peak memory:      not reported by this system"),
        }
    }
}
