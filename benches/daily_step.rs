//! One simulated day of the firm-level ARIO step on dense synthetic MRIOs (every industry buys
//! from every other), with a capital-loss event in force, as in `shared/tools/boario_bench.py`.
//!
//! `cargo bench --bench daily_step` — medians are printed by criterion. CI only compiles this
//! (`cargo bench --no-run`); speed is measured, not asserted.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use hinterland::economy::{Economy, synthetic_mrio};
use hinterland::engine::Simulation;
use hinterland::model::{Dynamics, EconomyParams};
use hinterland::scenario::{Compat, FirmSizes, OrderType, RecoveryFunction};
use hinterland::shocks::{CapitalRecoverShock, Shocks};

fn economy(regions: usize, sectors: usize) -> Economy {
    let params = EconomyParams {
        mrio_dir: "synthetic".into(),
        firms_per_industry: 1,
        suppliers_per_input: 3,
        firm_sizes: FirmSizes::Equal,
        seed: 0,
        capital_to_value_added: 4.0,
    };
    Economy::from_mrio(&synthetic_mrio(regions, sectors), &params).expect("synthetic MRIO")
}

fn dynamics(compat: Compat) -> Dynamics {
    Dynamics {
        compat,
        psi: Some(0.8),
        inventory_restoration_tau: 60.0,
        order_type: OrderType::Alt,
        alpha_base: 1.0,
        alpha_max: 1.25,
        alpha_tau: 365.0,
        inventory_days: 90.0,
    }
}

/// boario_bench.py's event: sectors s00..s04 of r00 lose 20 % of their capital on day 10.
fn shocks(economy: &Economy) -> Shocks {
    let firms = (0..5)
        .map(|s| (s as u32, (0.2 * economy.firm_capital[s]).round()))
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

fn daily_step(c: &mut Criterion) {
    bench_day(c, 6, 8, Compat::Clean);
    bench_day(c, 20, 60, Compat::Clean);
    bench_day(c, 20, 60, Compat::Boario072);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = daily_step
}
criterion_main!(benches);
