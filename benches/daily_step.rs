//! One simulated day of the firm-level ARIO step on dense synthetic MRIOs (every industry buys
//! from every other), with a capital-loss event in force, as in `shared/tools/boario_bench.py`;
//! and on synthetic firm networks (`economy: Synthetic`, 10 k firms / 100 k links and
//! 100 k firms / 1 M links, power-law in-degree) with a lasting 20 % capacity loss in `r00`.
//!
//! `cargo bench --bench daily_step` — medians are printed by criterion. CI only compiles this
//! (`cargo bench --no-run`); speed is measured, not asserted.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use hinterland::economy::{Economy, synthetic_firms, synthetic_mrio};
use hinterland::engine::Simulation;
use hinterland::kinds::{Compat, Degree, FirmSizes, RecoveryFunction, TailExponent};
use hinterland::model::{Dynamics, EconomyParams, SyntheticParams};
use hinterland::shocks::{CapacityShock, CapitalRecoverShock, Shocks};

fn economy(regions: usize, sectors: usize) -> Economy {
    let params = EconomyParams::new("synthetic", 1, 3, FirmSizes::Equal, 0, 4.0).unwrap();
    Economy::from_mrio(&synthetic_mrio(regions, sectors), &params).expect("synthetic MRIO")
}

fn dynamics(compat: Compat) -> Dynamics {
    Dynamics::with_compat(compat)
}

/// boario_bench.py's event: sectors s00..s04 of r00 lose 20 % of their capital on day 10.
fn shocks(economy: &Economy) -> Shocks {
    let firms = (0..5)
        .map(|s| (s as u32, (0.2 * economy.firm_capital()[s]).round()))
        .collect();
    Shocks {
        capital_recover: vec![CapitalRecoverShock {
            name: "r00".into(),
            start_day: 10,
            duration_days: 1,
            function: RecoveryFunction::Linear,
            tau_days: 90,
            firms,
        }],
        ..Shocks::default()
    }
}

fn bench_day(c: &mut Criterion, regions: usize, sectors: usize, compat: Compat) {
    let economy = economy(regions, sectors);
    let dynamics = dynamics(compat);
    let mut sim = Simulation::new(&economy, &dynamics, shocks(&economy));
    for _ in 0..15 {
        sim.step();
    }
    let name = format!(
        "day/{compat:?}/{} industries, {} links",
        economy.n_industries(),
        economy.n_links()
    );
    c.bench_function(&name, |b| {
        b.iter(|| {
            sim.step();
            black_box(sim.production()[0])
        })
    });
}

/// A synthetic firm network of `firms` firms and about `links` links (20 sectors × 10
/// regions), with every firm of `r00` losing 20 % of its capacity from day 1 on, for good: so
/// every iteration steps an economy under the shock, however many criterion runs.
fn bench_firm_network(c: &mut Criterion, firms: usize, links: usize) {
    let economy = synthetic_firms(
        &SyntheticParams::new(
            firms,
            20,
            10,
            links as f64 / firms as f64,
            Degree::PowerLaw(TailExponent(2.5)),
            1,
            4.0,
        )
        .unwrap(),
    )
    .expect("synthetic firm network");
    let r00 = economy.industry_firms()[0]..economy.industry_firms()[economy.sectors().len()];
    let shocks = Shocks {
        capacity: vec![CapacityShock {
            name: "r00".into(),
            start_day: 1,
            duration_days: u32::MAX / 2,
            function: RecoveryFunction::Linear,
            tau_days: 30,
            firms: r00.map(|f| (f, 0.2)).collect(),
        }],
        ..Shocks::default()
    };
    let dynamics = dynamics(Compat::Clean);
    let mut sim = Simulation::new(&economy, &dynamics, shocks);
    for _ in 0..5 {
        sim.step();
    }
    let name = format!(
        "day/synthetic/{} firms, {} links",
        economy.n_firms(),
        economy.n_links()
    );
    c.bench_function(&name, |b| {
        b.iter(|| {
            sim.step();
            black_box(sim.production()[0])
        })
    });
}

fn daily_step(c: &mut Criterion) {
    bench_day(c, 6, 8, Compat::Clean);
    bench_day(c, 20, 60, Compat::Clean);
    bench_day(c, 20, 60, Compat::Boario072);
    bench_firm_network(c, 10_000, 100_000);
    bench_firm_network(c, 100_000, 1_000_000);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = daily_step
}
criterion_main!(benches);
