//! `run --trajectories`: every run's daily series of every variant in `trajectories.nc`, read
//! back here with an independent NetCDF-3 reader (the `netcdf3` crate).

use hinterland::montecarlo::{Study, StudyOptions};

use crate::common::{hinterland, model, repo};

#[test]
fn trajectories_hold_every_runs_series_exactly_and_do_not_depend_on_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = repo("scenarios/test-mrio-backup.ron");
    let run = |out: &str, threads: &str| {
        let done = hinterland(
            tmp.path(),
            &[
                "run",
                scenario.to_str().unwrap(),
                "--runs",
                "3",
                "--threads",
                threads,
                "--trajectories",
                "--quiet",
                "--out",
                out,
            ],
        );
        assert_eq!(
            done.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
        tmp.path().join(out).join("trajectories.nc")
    };
    let one = run("one", "1");
    let two = run("two", "2");
    assert_eq!(
        std::fs::read(&one).unwrap(),
        std::fs::read(&two).unwrap(),
        "the file depends on the thread count"
    );

    // the same study in the library: its summaries are what the file must hold
    let study = Study::new(
        model(&scenario),
        &StudyOptions {
            runs: Some(3),
            ..StudyOptions::default()
        },
    )
    .unwrap();
    let ensemble = study.ensemble(false).unwrap();

    let mut file = netcdf3::FileReader::open(&one).unwrap();
    let variants = ensemble.variants.len();
    assert_eq!(variants, 2, "base and no policies");
    let regions = ensemble.layout.regions.len();
    {
        let data = file.data_set();
        assert_eq!(data.dim_size("variant"), Some(variants));
        assert_eq!(data.dim_size("run"), Some(3));
        assert_eq!(data.dim_size("day"), Some(365));
        assert_eq!(data.dim_size("region"), Some(regions));
        assert_eq!(
            data.get_var_attr_as_string("unmet_demand", "units")
                .as_deref(),
            Some("Mill USD per day")
        );
    }
    // the names, as text padded with zeros
    let names = file.read_var_u8("variant").unwrap();
    let width = names.len() / variants;
    let name = |k: usize| {
        String::from_utf8(names[k * width..(k + 1) * width].to_vec())
            .unwrap()
            .trim_end_matches('\0')
            .to_string()
    };
    assert_eq!((name(0), name(1)), ("base".into(), "no policies".into()));

    let national = file.read_var_f64("va_national").unwrap();
    let by_region = file.read_var_f64("va_region").unwrap();
    let unmet = file.read_var_f64("unmet_demand").unwrap();
    let demand = ensemble.layout.demand_regions.len();
    for (v, variant) in ensemble.variants.iter().enumerate() {
        for (k, summary) in variant.runs.iter().enumerate() {
            let slab = (v * 3 + k) * 365;
            // exactly, bit for bit
            let got: Vec<u64> = national[slab..slab + 365]
                .iter()
                .map(|x| x.to_bits())
                .collect();
            let want: Vec<u64> = summary.national.iter().map(|x| x.to_bits()).collect();
            assert_eq!(got, want, "va_national of {} run {k}", variant.name);
            for day in [0, 40, 200] {
                for r in 0..regions {
                    assert_eq!(
                        by_region[(slab + day) * regions + r].to_bits(),
                        summary.regions[r][day].to_bits()
                    );
                }
                for d in 0..demand {
                    assert_eq!(
                        unmet[(slab + day) * demand + d].to_bits(),
                        summary.unmet[d][day].to_bits()
                    );
                }
            }
        }
    }
    // the backup changes the series: base is not a copy of no policies
    assert_ne!(national[..365], national[3 * 365..4 * 365]);
}

#[test]
fn without_the_flag_no_trajectories_are_written() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = repo("scenarios/test-mrio-backup.ron");
    let done = hinterland(
        tmp.path(),
        &[
            "run",
            scenario.to_str().unwrap(),
            "--runs",
            "2",
            "--quiet",
            "--out",
            "plain",
        ],
    );
    assert_eq!(done.status.code(), Some(0));
    assert!(tmp.path().join("plain/summary.csv").exists());
    assert!(!tmp.path().join("plain/trajectories.nc").exists());
    let manifest = std::fs::read_to_string(tmp.path().join("plain/manifest.json")).unwrap();
    assert!(manifest.contains("\"trajectories\": false"), "{manifest}");
}

/// `--variant-records`: the records of every variant, "no policies" included; each is the
/// record of that variant run alone as a scenario of its own.
#[test]
fn variant_records_are_each_variants_own_records() {
    let tmp = tempfile::tempdir().unwrap();
    let write = |name: &str, policies: &str| {
        let path = tmp.path().join(format!("{name}.ron"));
        std::fs::write(
            &path,
            format!(
                r#"Scenario(name: "{name}", days: 30, runs: 2, seed: 5,
                    regions: [("north", Coastal), ("south", Hinterland)],
                    economy: Mrio(path: "{}", firms_per_industry: 3),
                    shocks: [CapacityLoss(name: "flood", impacts: [("north", "goods", 0.5)],
                                          start_day: 3, duration_days: Uniform(5, 10))],
                    {policies}
                    records: [ValueAdded, ProductionRealised])"#,
                repo("tests/fixtures/mrio-small").display()
            ),
        )
        .unwrap();
        path
    };
    let with = write(
        "with",
        r#"backup: [Backup(name: "standby", sector: "goods", region: "south",
                           capacity_share: 0.3, trigger: OnShock("flood"),
                           activation_delay_days: 1, ramp_days: 1)],"#,
    );
    let without = write("without", "");
    for (path, extra) in [(&with, "--variant-records"), (&without, "--records")] {
        let done = hinterland(
            tmp.path(),
            &["run", path.to_str().unwrap(), "--quiet", extra],
        );
        assert_eq!(
            done.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
    }
    let out = tmp.path().join("output");
    for run in ["0000", "0001"] {
        let file = format!("runs/{run}/records/value_added.csv");
        let base = std::fs::read(out.join("with").join(&file)).unwrap();
        let reference =
            std::fs::read(out.join("with/variants/01-no-policies").join(&file)).unwrap();
        let alone = std::fs::read(out.join("without").join(&file)).unwrap();
        assert_eq!(
            reference, alone,
            "run {run}: no policies is the scenario without them"
        );
        assert_ne!(base, reference, "run {run}: the backup changes value added");
    }
    let manifest = std::fs::read_to_string(out.join("with/manifest.json")).unwrap();
    assert!(manifest.contains("\"variant_records\": true"), "{manifest}");
}
