//! Runs stepped together (`engine::Batch`, `--batch`): every run of a batch gives, day by day
//! and bit for bit, what it gives stepped alone, for batches of 3 and 8 runs and on 1 and 2
//! threads; and a whole ensemble writes the same bytes for batches of 1, 3 and 8.

use hinterland::engine::{Batch, Simulation};

use crate::common::{self, hinterland, repo, tree};

/// Steps runs `0..lanes` of `scenario` together and each alone for `days` days, on a pool of
/// `threads` threads, and compares every state array after every day; returns the days the
/// batch passed the links together.
fn assert_batch_is_alone(scenario: &str, lanes: usize, days: usize, threads: usize) -> u32 {
    let model = common::model(&repo(scenario));
    let study = common::study(&model, &common::build(&model));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let v = study.setups().len() - 1;
        let mut alone: Vec<Simulation> = (0..lanes).map(|run| study.simulation(v, run)).collect();
        let mut batch = Batch::new((0..lanes).map(|run| study.simulation(v, run)).collect());
        assert!(batch.together(), "{scenario}: the runs can be batched");
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let mut lanes_differ = false;
        for day in 0..days {
            batch.step();
            alone.iter_mut().for_each(Simulation::step);
            for (run, (a, b)) in alone.iter().zip(batch.lanes()).enumerate() {
                let pairs = [
                    ("production", a.production(), b.production()),
                    ("capacity", a.capacity(), b.capacity()),
                    ("alpha", a.alpha(), b.alpha()),
                    ("demand", a.demand(), b.demand()),
                    ("orders", a.orders_received(), b.orders_received()),
                    ("stocks", a.stocks(), b.stocks()),
                    ("final demand", a.final_demand(), b.final_demand()),
                ];
                for (what, x, y) in pairs {
                    assert_eq!(bits(x), bits(y), "{scenario}: run {run}: {what}, day {day}");
                }
                let unmet = |s: &Simulation| s.final_demand_unmet().collect::<Vec<f64>>();
                assert_eq!(
                    bits(&unmet(a)),
                    bits(&unmet(b)),
                    "{scenario}: unmet, day {day}"
                );
            }
            lanes_differ |= alone
                .windows(2)
                .any(|w| bits(w[0].production()) != bits(w[1].production()));
        }
        // the comparison means something only if the runs' crises differ
        assert!(lanes_differ, "{scenario}: every run the same");
        let together = batch.together_days();
        // a run leaves its batch and goes on alone as if it had never been in one
        let mut left = batch.into_lanes();
        for day in days..days + 5 {
            for (run, (a, b)) in alone.iter_mut().zip(&mut left).enumerate() {
                a.step();
                b.step();
                let (x, y) = (a.orders_received(), b.orders_received());
                assert_eq!(
                    bits(x),
                    bits(y),
                    "{scenario}: run {run} alone again, day {day}"
                );
                assert_eq!(bits(a.production()), bits(b.production()), "day {day}");
            }
        }
        together
    })
}

#[test]
fn runs_stepped_together_are_runs_stepped_alone_with_link_blocks() {
    for (lanes, threads) in [(3, 1), (8, 2)] {
        let together = assert_batch_is_alone("scenarios/test-mrio-crises.ron", lanes, 120, threads);
        // every day but the baseline day passes the links together
        assert_eq!(together, 119);
    }
}

#[test]
fn runs_stepped_together_are_runs_stepped_alone_with_links_partly_open() {
    // overlapping blocks that reopen gradually, a backup unit and a reserve
    for (lanes, threads) in [(3, 2), (8, 1)] {
        let scenario = "tests/fixtures/batch/links-reopening.ron";
        assert_eq!(assert_batch_is_alone(scenario, lanes, 160, threads), 159);
    }
}

#[test]
fn runs_stepped_together_are_runs_stepped_alone_with_policies() {
    for (lanes, threads) in [(3, 2), (8, 1)] {
        let together = assert_batch_is_alone("scenarios/test-mrio-backup.ron", lanes, 200, threads);
        assert_eq!(together, 199);
    }
}

#[test]
fn an_ensemble_writes_the_same_bytes_whatever_its_batches_and_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = repo("tests/fixtures/batch/links-reopening.ron");
    let run = |batch: &str, threads: &str| {
        let out = format!("batch-{batch}-threads-{threads}");
        let args = [
            "run",
            scenario.to_str().unwrap(),
            "--quiet",
            "--runs",
            "9",
            "--records",
            "--batch",
            batch,
            "--threads",
            threads,
            "--out",
            &out,
        ];
        let output = hinterland(tmp.path(), &args);
        assert!(
            output.status.success(),
            "{out}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        // the manifest records the command line and the threads: everything else must match
        let mut files = tree(&tmp.path().join(&out));
        assert!(files.remove("manifest.json").is_some());
        files
    };
    let alone = run("1", "1");
    assert!(
        alone
            .keys()
            .any(|name| name.starts_with("runs/0008/records/"))
    );
    for (batch, threads) in [("1", "2"), ("3", "1"), ("3", "2"), ("8", "1"), ("8", "2")] {
        let batched = run(batch, threads);
        assert_eq!(
            alone.keys().collect::<Vec<_>>(),
            batched.keys().collect::<Vec<_>>(),
            "batch {batch}, {threads} threads"
        );
        for (name, bytes) in &alone {
            assert!(
                batched[name] == *bytes,
                "{name} differs with batches of {batch} on {threads} threads"
            );
        }
    }
}

#[test]
fn daily_series_kept_in_a_file_give_the_bands_kept_in_memory_bit_for_bit() {
    let model = common::model(&repo("tests/fixtures/batch/links-reopening.ron"));
    let ensemble = |spill_above| {
        let options = hinterland::StudyOptions {
            runs: Some(6),
            spill_above,
            ..hinterland::StudyOptions::default()
        };
        let study = hinterland::Study::new(model.clone(), &options).unwrap();
        study.ensemble(false).unwrap()
    };
    let (memory, file) = (ensemble(None), ensemble(Some(0)));
    // the file held every series but the national one
    let run = &file.variants[0].runs[0];
    assert!(run.regions.iter().chain(&run.sectors).all(Vec::is_empty));
    assert!(!run.national.is_empty());
    assert!(
        memory.variants[0].runs[0]
            .regions
            .iter()
            .all(|s| !s.is_empty())
    );
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    for (a, b) in memory.variants.iter().zip(&file.variants) {
        assert_eq!(a.bands.len(), b.bands.len(), "{}", a.name);
        assert!(a.bands.len() > 15, "{}: every series has its band", a.name);
        for ((name, qa, ma), (other, qb, mb)) in a.bands.iter().zip(&b.bands) {
            assert_eq!(name, other);
            let flat = |q: &[[f64; 5]]| q.iter().flatten().copied().collect::<Vec<_>>();
            assert_eq!(bits(&flat(qa)), bits(&flat(qb)), "{}: {name}", a.name);
            assert_eq!(bits(ma), bits(mb), "{}: {name} mean", a.name);
        }
        assert_eq!(format!("{:?}", a.statistics), format!("{:?}", b.statistics));
        assert_eq!(bits(&a.industry_loss), bits(&b.industry_loss));
    }
}

/// Chosen runs of chosen variants (`Study::map_pairs`, the unit of a shard) give, bit for
/// bit, what the whole ensemble gives for those runs, in the order asked, whatever the batch
/// size and however the runs are scattered.
#[test]
fn chosen_runs_of_chosen_variants_are_the_runs_of_the_whole_ensemble() {
    use hinterland::montecarlo::{Study, StudyOptions};
    let model = common::model(&repo("scenarios/test-mrio-backup.ron"));
    let economy = common::build(&model);
    let kinds = model.records().to_vec();
    let bits = |records: &[hinterland::metrics::Record]| -> Vec<Vec<u64>> {
        records
            .iter()
            .map(|r| r.values.iter().map(|x| x.to_bits()).collect())
            .collect()
    };
    let study = |batch: usize, runs: usize| {
        Study::with_economy(
            model.clone(),
            economy.clone(),
            &StudyOptions {
                runs: Some(runs),
                batch: Some(batch),
                threads: Some(2),
                ..StudyOptions::default()
            },
        )
        .unwrap()
    };
    let whole = study(8, 7);
    let all = whole
        .map_runs(&kinds, |_, result| (result.run, bits(&result.records)))
        .unwrap();
    assert!(whole.setups().len() >= 2, "a variant besides the scenario");
    // scattered, out of order, with a run of three consecutive runs of variant 0
    let pairs = [(1, 6), (0, 2), (0, 0), (1, 0), (0, 3), (0, 4), (1, 5)];
    for batch in [1, 2, 8] {
        let chosen = study(batch, 7)
            .map_pairs(&pairs, &kinds, |v, result| {
                (v, result.run, bits(&result.records))
            })
            .unwrap();
        assert_eq!(chosen.len(), pairs.len());
        for (&(v, run), (cv, crun, records)) in pairs.iter().zip(&chosen) {
            assert_eq!((v, run), (*cv, *crun), "batch {batch}");
            assert_eq!(
                records, &all[v][run].1,
                "batch {batch}: variant {v} run {run}"
            );
        }
    }
    // the runs differ, so the comparison means something
    assert_ne!(all[0][0].1, all[0][2].1);
}
