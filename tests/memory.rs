//! Memory: the sizes known before building match the economies built, the estimate follows
//! the measured peak, and a study that cannot fit is refused before it allocates.

use std::path::Path;

use hinterland::economy::{self, Size, Sizer, load_mrio};
use hinterland::kinds::Degree;
use hinterland::model::{EconomyDef, Model, SyntheticParams};
use hinterland::montecarlo::memory::{self, Budget, Plan};
use hinterland::montecarlo::{Study, StudyOptions};
use hinterland::policy::extended_size;

use crate::common::{hinterland, model_edited, repo};

/// The size known before building `model`'s economy, and the size of the economy built.
fn known_and_built(model: &Model) -> (Size, Size) {
    let sizer = match model.economy() {
        EconomyDef::Mrio(params) => Sizer::of_table(&load_mrio(&params.mrio_dir).unwrap()),
        EconomyDef::Synthetic(_) => Sizer::synthetic(),
    };
    let built = economy::build(model.economy()).unwrap_or_else(|e| panic!("{e}"));
    (sizer.size(model.economy()), Size::of(&built))
}

fn within(known: u64, built: u64, share: f64) -> bool {
    (known as f64 - built as f64).abs() <= share * built as f64
}

#[test]
fn synthetic_sizes_known_before_building_match_the_networks_drawn() {
    for (degree, mean, sectors) in [
        (Degree::Poisson, 4.0, 6),
        (
            Degree::PowerLaw(hinterland::kinds::TailExponent(2.5)),
            10.0,
            20,
        ),
        (
            Degree::PowerLaw(hinterland::kinds::TailExponent(3.5)),
            3.0,
            3,
        ),
    ] {
        let params = SyntheticParams::new(20_000, sectors, 4, mean, degree, 7, 4.0).unwrap();
        let built = Size::of(&economy::synthetic_firms(&params).unwrap());
        let known = Size::synthetic(&params);
        let label = format!("{degree:?}, mean {mean}, {sectors} sectors");
        assert_eq!(known.firms, built.firms, "{label}");
        assert_eq!(known.final_demand, built.final_demand, "{label}");
        assert_eq!(known.industries, built.industries, "{label}");
        assert!(
            within(known.links, built.links, 0.05),
            "{label}: {known:?} vs {built:?}"
        );
        // inputs: the expected distinct supplier sectors of each firm
        assert!(
            within(known.inputs, built.inputs, 0.10),
            "{label}: {known:?} vs {built:?}"
        );
        // what an economy of these counts holds is what the built one holds
        assert!(within(known.bytes(), built.bytes(), 0.10), "{label}");
    }
}

#[test]
fn mrio_sizes_known_from_the_table_match_the_economies_built() {
    let scenario = repo("scenarios/test-mrio-crises.ron");
    for (per, k) in [(1, 1), (2, 3), (5, 3), (7, 10)] {
        let model = model_edited(
            &scenario,
            &[(
                "firms_per_industry: 5,",
                &format!("firms_per_industry: {per}, suppliers_per_input: {k},"),
            )],
        );
        let (known, built) = known_and_built(&model);
        let label = format!("{per} firms per industry, {k} suppliers per input");
        assert_eq!(
            (known.firms, known.inputs, known.final_demand),
            (built.firms, built.inputs, built.final_demand),
            "{label}"
        );
        assert_eq!(known.demand_regions, built.demand_regions, "{label}");
        // exact but for buyers the covering pattern gives an extra supplier
        assert!(
            known.links <= built.links && within(known.links, built.links, 0.05),
            "{label}: {} vs {}",
            known.links,
            built.links
        );
    }
}

#[test]
fn backup_units_are_counted_before_they_are_appended() {
    let model = hinterland::model::Model::load(&repo("scenarios/test-mrio-backup.ron")).unwrap();
    let table = match model.economy() {
        EconomyDef::Mrio(params) => load_mrio(&params.mrio_dir).unwrap(),
        EconomyDef::Synthetic(_) => unreachable!("an MRIO scenario"),
    };
    let base = Sizer::of_table(&table).size(model.economy());
    let study = Study::new(model.clone(), &StudyOptions::default()).unwrap();
    let regular = Size::of(study.economy());
    let mut with_units = 0;
    for (v, setup) in study.setups().iter().enumerate() {
        let known = extended_size(setup.model(), &base);
        let built = Size::of(study.economy_of(v));
        let name = setup.name();
        assert_eq!(
            known.firms - base.firms,
            built.firms - regular.firms,
            "{name}: units"
        );
        // each unit is counted with every input sector and 3 suppliers in every region
        assert!(
            known.inputs - base.inputs >= built.inputs - regular.inputs
                && known.links - base.links >= built.links - regular.links,
            "{name}: {known:?} does not bound {built:?}"
        );
        with_units += usize::from(built.firms > regular.firms);
    }
    assert!(with_units > 0, "the scenario has backup units");
}

/// `12.3 MiB` → bytes.
fn parse_shown(text: &str) -> f64 {
    let (number, unit) = text.trim().split_once(' ').unwrap();
    let scale = match unit {
        "B" => 1.0,
        "KiB" => 1024.0,
        "MiB" => 1024.0 * 1024.0,
        "GiB" => 1024.0 * 1024.0 * 1024.0,
        other => panic!("unit {other}"),
    };
    number.parse::<f64>().unwrap() * scale
}

#[test]
fn the_estimate_is_within_twice_the_measured_peak_at_three_sizes() {
    if !Path::new("/proc/self/status").exists() {
        return; // the peak is read from /proc
    }
    let tmp = tempfile::tempdir().unwrap();
    // a synthetic economy a hundred times synthetic-small's (200,000 firms, 2 M links)
    let large = tmp.path().join("large.ron");
    let text = std::fs::read_to_string(repo("scenarios/synthetic-small.ron")).unwrap();
    std::fs::write(&large, text.replace("firms: 2000,", "firms: 200000,")).unwrap();
    let cases: [(&Path, &[&str]); 3] = [
        (&repo("scenarios/synthetic-small.ron"), &[]),
        (&repo("scenarios/chip-embargo.ron"), &["--runs", "2"]),
        (&large, &[]),
    ];
    let mut seen = Vec::new();
    for (k, (scenario, extra)) in cases.iter().enumerate() {
        let out = tmp.path().join(format!("out{k}"));
        let mut args = vec![
            "run",
            scenario.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--threads",
            "2",
        ];
        args.extend_from_slice(extra);
        let run = hinterland(tmp.path(), &args);
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(run.status.success(), "{}: {err}", scenario.display());
        let note = err
            .split("memory: estimated ")
            .nth(1)
            .unwrap_or_else(|| panic!("no memory note in {err:?}"));
        let (estimated, peak) = note.trim().split_once(", peak ").unwrap();
        let (estimated, peak) = (parse_shown(estimated), parse_shown(peak));
        let ratio = estimated / peak;
        seen.push(format!("{}: {ratio:.2}", scenario.display()));
        assert!(
            (0.5..=2.0).contains(&ratio),
            "{}: estimated {estimated} bytes, peak {peak}: {seen:?}",
            scenario.display()
        );
    }
}

#[test]
fn a_study_larger_than_the_machine_is_refused_before_it_allocates() {
    // 4 294 967 295 runs keep 4e9 summaries: no machine has the room; the refusal names the
    // machine's figure (no --max-memory) and leaves nothing
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let scenario = repo("scenarios/synthetic-small.ron");
    let run = hinterland(
        tmp.path(),
        &[
            "run",
            scenario.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--runs",
            "4294967295",
        ],
    );
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(err.contains("synthetic-small.ron: needs about"), "{err}");
    assert!(err.contains("for 4294967295 run summaries"), "{err}");
    if Budget::new(None).is_some() {
        assert!(
            ["MemAvailable", "memory limit", "ulimit -v"]
                .iter()
                .any(|s| err.contains(s)),
            "the budget's source is named: {err}"
        );
    }
    assert!(!out.exists());
    // `--max-memory` replaces the machine's figure, both ways
    let validate = |max: &str| {
        hinterland(
            tmp.path(),
            &["validate", scenario.to_str().unwrap(), "--max-memory", max],
        )
    };
    let small = validate("1M");
    let text = String::from_utf8_lossy(&small.stdout);
    assert_eq!(small.status.code(), Some(2), "{text}");
    assert!(
        text.contains("more than the 1.0 MiB this run may use (--max-memory)"),
        "{text}"
    );
    let ample = validate("64G");
    let text = String::from_utf8_lossy(&ample.stdout);
    assert!(ample.status.success(), "{text}");
    assert!(text.contains("a run needs about"), "{text}");
    // a malformed size is refused by the command line
    let bad = validate("8X");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown unit"));
}

#[test]
fn a_thousand_run_ensemble_and_a_million_firm_economy_fit_in_a_few_gib() {
    // the sizes the project is built for stay well inside an ordinary machine
    let model = hinterland::model::Model::load(&repo("scenarios/chip-embargo.ron")).unwrap();
    let table = match model.economy() {
        EconomyDef::Mrio(params) => load_mrio(&params.mrio_dir).unwrap(),
        EconomyDef::Synthetic(_) => unreachable!("an MRIO scenario"),
    };
    let sizer = Sizer::of_table(&table);
    let plan = |runs| Plan {
        runs,
        threads: 2,
        batch: hinterland::montecarlo::DEFAULT_BATCH as u64,
        keep_records: false,
        variant_records: false,
    };
    let estimate = |runs| memory::estimate(&model, &sizer, plan(runs)).total;
    // a thousand runs: batches of runs in flight, the daily series in a file (issue 18: 1 GB)
    let thousand = estimate(1000);
    assert!(
        thousand < 1 << 30,
        "1,000 runs: {}",
        memory::bytes(thousand)
    );
    // a checkpoint piece of `run`: at most PIECE_BYTES of daily series, held and written
    let parts = memory::estimate(&model, &sizer, plan(1000)).parts;
    let piece = parts
        .iter()
        .find(|p| p.what.starts_with("a checkpoint piece"))
        .unwrap_or_else(|| panic!("no checkpoint piece in {parts:?}"));
    let limit = 2 * hinterland::montecarlo::PIECE_BYTES;
    assert!(
        piece.bytes <= limit && piece.bytes > limit / 2,
        "{}",
        memory::bytes(piece.bytes)
    );
    // past a batch per thread and the spill, the runs add their summaries only: linear
    let (a, b, c) = (estimate(400), estimate(500), estimate(600));
    assert_eq!(c - b, b - a);
    assert!(b > a);
    let params = SyntheticParams::new(
        1_000_000,
        20,
        10,
        10.0,
        Degree::PowerLaw(hinterland::kinds::TailExponent(2.5)),
        1,
        4.0,
    )
    .unwrap();
    let bench = memory::simulation_peak(&Size::synthetic(&params), true, 2);
    assert!(bench < 2 << 30, "1 M firms: {}", memory::bytes(bench));
}

#[test]
fn the_records_of_every_variant_are_counted_in_the_estimate() {
    let model = hinterland::model::Model::load(&repo("scenarios/chip-embargo.ron")).unwrap();
    let table = match model.economy() {
        EconomyDef::Mrio(params) => load_mrio(&params.mrio_dir).unwrap(),
        EconomyDef::Synthetic(_) => unreachable!("an MRIO scenario"),
    };
    let sizer = Sizer::of_table(&table);
    let estimate = |keep_records, variant_records| {
        let plan = Plan {
            runs: 10,
            threads: 2,
            batch: 8,
            keep_records,
            variant_records,
        };
        memory::estimate(&model, &sizer, plan).total
    };
    let nothing = estimate(false, false);
    let base = estimate(true, false) - nothing;
    let every = estimate(true, true) - nothing;
    assert!(base > 0);
    // four variants: three with the backup units' records, and "no policies" without them
    assert_eq!(model.variants().len(), 4);
    assert!(
        every > 3 * base && every < 4 * base,
        "base {base}, every variant {every}"
    );
    // asking for every variant without keeping records keeps none
    assert_eq!(estimate(false, true), nothing);
}
