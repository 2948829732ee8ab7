//! `hinterland bench`: build a synthetic firm economy of a given size, step it through a shock
//! and report build time, time per simulated day, throughput and peak memory.
//!
//! The shock is a 20 % capacity loss of every firm of region `r00` from day 1, held for 10
//! days and recovering linearly over 20, so the daily step does the work of a real crisis
//! (rationing, re-ordering, inventories drawn down) rather than an idle baseline.

use std::fmt;
use std::time::Instant;

use crate::Error;
use crate::economy::{MAX_COUNT, Size, synthetic_firms};
use crate::engine::Simulation;
use crate::kinds::{Degree, RecoveryFunction, check_synthetic};
use crate::model::{Dynamics, SyntheticParams};
use crate::montecarlo::Pool;
use crate::montecarlo::memory::{self, Budget};
use crate::shocks::{CapacityShock, Shocks};

/// What to benchmark.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchOptions {
    /// Firms in the synthetic economy.
    pub firms: usize,
    /// Links wanted: each firm has `links / firms` suppliers on average.
    pub links: usize,
    /// Days simulated.
    pub days: usize,
    /// Sectors.
    pub sectors: usize,
    /// Regions.
    pub regions: usize,
    /// Law of the number of suppliers.
    pub degree: Degree,
    /// Seed of the network.
    pub seed: u64,
    /// Worker threads (`None`: one per core).
    pub threads: Option<usize>,
    /// Memory the benchmark may use, in bytes, instead of what the machine has.
    pub max_memory: Option<u64>,
}

/// What a benchmark measured.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchReport {
    /// The options benchmarked.
    pub options: BenchOptions,
    /// Firms built.
    pub firms: usize,
    /// Links built (close to, not exactly, the links asked for).
    pub links: usize,
    /// Worker threads used.
    pub threads: usize,
    /// Seconds to build the economy.
    pub build_seconds: f64,
    /// Seconds to set up the simulation state (stocks, orders, per-link arrays).
    pub setup_seconds: f64,
    /// Median milliseconds per simulated day.
    pub day_ms_median: f64,
    /// Mean milliseconds per simulated day.
    pub day_ms_mean: f64,
    /// Links stepped per second: `links × days / stepping time`.
    pub link_updates_per_second: f64,
    /// Peak resident memory of the process (`VmHWM`), in MB, where the system reports it.
    pub peak_memory_mb: Option<f64>,
    /// The peak memory estimated before building, in bytes (checked against what the
    /// machine has, or `max_memory`).
    pub estimated_memory: u64,
}

/// Build, shock and step a synthetic economy, timing each part.
pub fn bench(options: &BenchOptions) -> Result<BenchReport, Error> {
    let invalid = |message: String| Error::Options(message);
    let as_u32 = |value: usize, name: &str| {
        u32::try_from(value).map_err(|_| invalid(format!("--{name} {value} is too large")))
    };
    if options.firms == 0 || options.days == 0 {
        return Err(invalid("--firms and --days must be at least 1".into()));
    }
    let mean_suppliers = options.links as f64 / options.firms as f64;
    check_synthetic(
        as_u32(options.firms, "firms")?,
        as_u32(options.sectors, "sectors")?,
        as_u32(options.regions, "regions")?,
        mean_suppliers,
        options.degree,
    )
    .map_err(|message| {
        invalid(format!(
            "{message} (mean_suppliers = --links / --firms = {mean_suppliers})"
        ))
    })?;
    let params = SyntheticParams {
        firms: options.firms,
        sectors: options.sectors,
        regions: options.regions,
        mean_suppliers,
        degree: options.degree,
        seed: options.seed,
        capital_to_value_added: 4.0,
    };
    let pool = Pool::new(options.threads)?;
    let size = Size::synthetic(&params);
    if let Some((what, count)) = size.over_limit() {
        return Err(invalid(format!(
            "--firms {} --links {} make {count} {what}, more than the {MAX_COUNT} an economy can index",
            options.firms, options.links
        )));
    }
    let estimated = memory::simulation_peak(&size, true, pool.threads() as u64);
    if let Some(budget) = Budget::new(options.max_memory)
        && estimated > budget.bytes
    {
        return Err(invalid(format!(
            "--firms {} --links {} --sectors {} need about {} of memory, more than the {} this \
             benchmark may use ({}); give --max-memory if this machine can hold more",
            options.firms,
            options.links,
            options.sectors,
            memory::bytes(estimated),
            memory::bytes(budget.bytes),
            budget.source
        )));
    }
    pool.install(|| {
        let started = Instant::now();
        let economy = synthetic_firms(&params)?;
        let build_seconds = started.elapsed().as_secs_f64();
        let started = Instant::now();
        let dynamics = Dynamics::default();
        let mut sim = Simulation::new(&economy, &dynamics, region_outage(&economy));
        let setup_seconds = started.elapsed().as_secs_f64();
        let mut day_seconds = Vec::with_capacity(options.days);
        for _ in 0..options.days {
            crate::interrupt::check()?;
            let started = Instant::now();
            sim.step();
            day_seconds.push(started.elapsed().as_secs_f64());
        }
        let stepping: f64 = day_seconds.iter().sum();
        day_seconds.sort_by(f64::total_cmp);
        let middle = day_seconds.len() / 2;
        let median = if day_seconds.len() % 2 == 1 {
            day_seconds[middle]
        } else {
            0.5 * (day_seconds[middle - 1] + day_seconds[middle])
        };
        Ok(BenchReport {
            options: options.clone(),
            firms: economy.n_firms(),
            links: economy.n_links(),
            threads: rayon::current_num_threads(),
            build_seconds,
            setup_seconds,
            day_ms_median: 1e3 * median,
            day_ms_mean: 1e3 * stepping / options.days as f64,
            link_updates_per_second: economy.n_links() as f64 * options.days as f64
                / stepping.max(1e-12),
            peak_memory_mb: peak_memory_mb(),
            estimated_memory: estimated,
        })
    })
}

/// 20 % of capacity lost by every firm of region `r00` from day 1: 10 days, then a linear
/// recovery over 20 days.
fn region_outage(economy: &crate::economy::Economy) -> Shocks {
    let firms = economy.industry_firms[0]..economy.industry_firms[economy.sectors.len()];
    Shocks {
        capacity: vec![CapacityShock {
            name: "r00 outage".into(),
            start_day: 1,
            duration_days: 10,
            function: RecoveryFunction::Linear,
            tau_days: 20,
            firms: firms.map(|f| (f, 0.2)).collect(),
        }],
        ..Shocks::default()
    }
}

/// Peak resident set size of this process in MB (`VmHWM` in `/proc/self/status`; Linux only).
pub fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

impl fmt::Display for BenchReport {
    /// A few plain lines, to paste into notes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let degree = match self.options.degree {
            Degree::Poisson => "poisson".to_string(),
            Degree::PowerLaw(exponent) => format!("power-law {}", exponent.get()),
        };
        writeln!(
            f,
            "economy: {} firms, {} links ({} sectors × {} regions, {degree} in-degree, seed {})",
            self.firms, self.links, self.options.sectors, self.options.regions, self.options.seed
        )?;
        writeln!(f, "threads: {}", self.threads)?;
        writeln!(
            f,
            "build: {:.2} s (economy), {:.2} s (simulation state)",
            self.build_seconds, self.setup_seconds
        )?;
        writeln!(
            f,
            "step: {:.1} ms/day median, {:.1} ms/day mean over {} days",
            self.day_ms_median, self.day_ms_mean, self.options.days
        )?;
        writeln!(
            f,
            "throughput: {:.3e} link-updates/s",
            self.link_updates_per_second
        )?;
        match self.peak_memory_mb {
            Some(mb) => writeln!(
                f,
                "peak memory: {mb:.0} MiB (VmHWM; estimated {})",
                memory::bytes(self.estimated_memory)
            ),
            None => writeln!(
                f,
                "peak memory: not reported on this system (estimated {})",
                memory::bytes(self.estimated_memory)
            ),
        }
    }
}
