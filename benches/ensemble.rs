//! Ensemble throughput: runs of a variant stepped together (`--batch`) against each alone,
//! on the default Chinese economy (`scenarios/chip-embargo.ron`, variant "base": 1,510 firms,
//! 1.13 M links, the embargo's link shocks and two backup units) and on a synthetic firm
//! network (`scenarios/synthetic-small.ron`). Each iteration simulates 8 runs of 60 days and
//! summarises them as `run` does; criterion reports the time and, as "elements", the
//! link-updates per second (links × days × runs: runs stepped together count once each).
//!
//! `cargo bench --bench ensemble` — medians are printed by criterion. CI only compiles this
//! (`cargo bench --no-run`); speed is measured, not asserted. `hinterland throughput
//! SCENARIO` measures a whole ensemble (docs/performance.md).

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hinterland::model::Model;
use hinterland::montecarlo::{Study, StudyOptions};
use hinterland::scenario;

const RUNS: usize = 8;
const DAYS: usize = 60;

/// The scenario at `path` (relative to the repository) with `days:` set to [`DAYS`]; its
/// variant 0 (the scenario as written) is benchmarked.
fn model(path: &str) -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read_to_string(&path).expect("scenario");
    let days = text
        .lines()
        .find(|l| l.trim_start().starts_with("days:"))
        .expect("a days: line");
    let text = text.replacen(days, &format!("days: {DAYS},"), 1);
    let parsed = scenario::parse(&text, &path).expect("scenario parses");
    Model::from_scenario(&parsed, &path).expect("scenario checks")
}

fn bench_ensemble(c: &mut Criterion, name: &str, path: &str) {
    let model = model(path);
    let mut group = c.benchmark_group(format!("ensemble/{name}"));
    group.sample_size(10);
    for batch in [1, RUNS] {
        let options = StudyOptions {
            runs: Some(RUNS),
            batch: Some(batch),
            ..StudyOptions::default()
        };
        let study = Study::new(model.clone(), &options).expect("study");
        let links = study.economy_of(0).n_links() as u64;
        group.throughput(Throughput::Elements(links * (DAYS * RUNS) as u64));
        let kinds = model.records().to_vec();
        group.bench_function(format!("{RUNS} runs x {DAYS} days, batch {batch}"), |b| {
            b.iter(|| {
                let results = if batch == 1 {
                    (0..RUNS)
                        .map(|run| study.simulate(0, run, &kinds))
                        .collect()
                } else {
                    study.simulate_batch(0, 0..RUNS, &kinds)
                };
                std::hint::black_box(results.len())
            })
        });
    }
    group.finish();
}

fn ensemble(c: &mut Criterion) {
    bench_ensemble(c, "china chip-embargo", "scenarios/chip-embargo.ron");
    bench_ensemble(c, "synthetic-small", "scenarios/synthetic-small.ron");
}

criterion_group!(benches, ensemble);
criterion_main!(benches);
