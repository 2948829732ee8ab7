//! `hinterland rank` (`docs/ranking.md`): a sole critical source ranks first and a sector with
//! alternative suppliers last, on the simulated loss and on every structural measure; the
//! files are the same bytes with any number of threads; bad options exit 2.

use std::path::Path;

use hinterland::explore::rank::{Entry, RankOptions, TargetKind, rank};
use hinterland::montecarlo::{Study, StudyOptions};

use crate::common::{hinterland, model, tree};

/// Two regions, three sectors (annual flows). `chips` is made in `r1` only and sold to every
/// other industry: their sole source of a critical input. `steel` is made in both regions,
/// each selling to its own region's `food` only (a sole source too, of one buyer). `food` is
/// made in both regions and every buyer takes it from both (alternatives), and no buyer needs
/// it to produce (`criticality`).
fn write_table(dir: &Path) {
    let names = [
        "r1|chips", "r1|food", "r1|steel", "r2|chips", "r2|food", "r2|steel",
    ];
    // z[supplier][buyer], in the order of `names`
    let z: [[f64; 6]; 6] = [
        [0.0, 5.0, 20.0, 0.0, 5.0, 20.0],
        [1.0, 0.0, 1.0, 0.0, 0.0, 1.0],
        [0.0, 10.0, 0.0, 0.0, 0.0, 0.0],
        [0.0; 6],
        [1.0, 0.0, 1.0, 0.0, 0.0, 1.0],
        [0.0, 0.0, 0.0, 0.0, 10.0, 0.0],
    ];
    let x = [200.0, 50.0, 150.0, 0.0, 50.0, 150.0];
    let label = |n: &str| n.replace('|', "\t");
    let mut z_txt = String::from(
        "region\t\tr1\tr1\tr1\tr2\tr2\tr2\nsector\t\tchips\tfood\tsteel\tchips\tfood\tsteel\nregion\tsector\t\t\t\t\t\t\n",
    );
    let mut y_txt =
        String::from("region\t\tr1\tr2\ncategory\t\thouseholds\thouseholds\nregion\tsector\t\t\n");
    let mut x_txt = String::from("region\tsector\tindout\n");
    let mut unit = String::from("region\tsector\tunit\n");
    for (i, name) in names.iter().enumerate() {
        let row: Vec<String> = z[i].iter().map(|v| format!("{v:?}")).collect();
        z_txt += &format!("{}\t{}\n", label(name), row.join("\t"));
        // what is not sold to firms goes to the households of the industry's region
        let final_demand = x[i] - z[i].iter().sum::<f64>();
        let (r1, r2) = if name.starts_with("r1") {
            (final_demand, 0.0)
        } else {
            (0.0, final_demand)
        };
        y_txt += &format!("{}\t{r1:?}\t{r2:?}\n", label(name));
        x_txt += &format!("{}\t{:?}\n", label(name), x[i]);
        unit += &format!("{}\tM\n", label(name));
    }
    crate::common::write_mrio(
        dir,
        &[
            ("Z.txt", &z_txt),
            ("Y.txt", &y_txt),
            ("x.txt", &x_txt),
            ("unit.txt", &unit),
        ],
    );
    std::fs::write(
        dir.join("scenario.ron"),
        r#"Scenario(name: "sole-source", days: 240, economy: Mrio(path: "."),
            regions: [("r1", Interior), ("r2", Interior)],
            dynamics: Ario(inventory_days: 10, criticality: [Criticality(input: "food", critical: false)]),
            shocks: [])"#,
    )
    .unwrap();
}

fn label(entry: &Entry) -> String {
    format!("{}|{}", entry.region, entry.sector)
}

#[test]
fn the_sole_critical_source_ranks_first_and_the_sector_with_alternatives_last_on_both_kinds_of_measure()
 {
    let tmp = tempfile::tempdir().unwrap();
    write_table(tmp.path());
    let study = Study::new(
        model(&tmp.path().join("scenario.ron")),
        &StudyOptions {
            threads: Some(2),
            ..StudyOptions::default()
        },
    )
    .unwrap();
    let ranking = rank(&study, &RankOptions::default()).unwrap();
    let outages: Vec<&Entry> = ranking
        .entries
        .iter()
        .filter(|e| e.target.kind == TargetKind::Outage)
        .collect();
    // r2|chips makes nothing: no outage to rank; no foreign region: no cut-off
    let labels: Vec<String> = outages.iter().map(|e| label(e)).collect();
    assert_eq!(outages.len(), 5, "{labels:?}");
    assert_eq!(ranking.entries.len(), 5);
    assert_eq!(labels[0], "r1|chips", "simulated loss: {labels:?}");
    let mut last_two = labels[3..].to_vec();
    last_two.sort();
    assert_eq!(
        last_two,
        ["r1|food", "r2|food"],
        "simulated loss: {labels:?}"
    );
    let losses: Vec<f64> = outages
        .iter()
        .map(|e| e.simulated.unwrap().va_loss_days)
        .collect();
    assert!(losses.windows(2).all(|w| w[0] >= w[1]), "{losses:?}");
    assert!(
        losses[0] > 2.0 * losses[2],
        "the sole source stops everyone: {losses:?}"
    );
    for (m, measure) in ["out_strength", "reach", "sole_source_va"]
        .iter()
        .enumerate()
    {
        let rank_of = |name: &str| {
            outages
                .iter()
                .find(|e| label(e) == name)
                .unwrap()
                .structural_ranks[m]
        };
        assert_eq!(rank_of("r1|chips"), 1, "{measure}");
        for food in ["r1|food", "r2|food"] {
            for other in ["r1|chips", "r1|steel", "r2|steel"] {
                assert!(
                    rank_of(food) > rank_of(other),
                    "{measure}: {food} #{} is not behind {other} #{}",
                    rank_of(food),
                    rank_of(other)
                );
            }
        }
    }
    let chips = outages[0];
    // chips sells 50 of its 200 to firms; it is the only chips source of all four buyers
    assert_eq!(chips.structural.out_strength, 50.0);
    assert_eq!(chips.structural.sole_source_buyers, 1.0);
    let food = outages.iter().find(|e| label(e) == "r1|food").unwrap();
    assert_eq!(food.structural.sole_source_va, 0.0);
    // the outage's direct loss is its own value added over 30 days
    let direct = chips.simulated.unwrap().direct_loss_days.unwrap();
    let national_va: f64 = [198.0, 35.0, 128.0, 35.0, 128.0].iter().sum();
    let want = 30.0 * 198.0 / national_va;
    assert!((direct - want).abs() < 1e-9 * want, "{direct} vs {want}");
    // curves: the top outages at every magnitude, the loss growing with it
    let top: Vec<_> = ranking
        .curves
        .iter()
        .filter(|p| p.region == "r1" && p.sector == "chips")
        .collect();
    let magnitudes: Vec<f64> = top.iter().map(|p| p.magnitude).collect();
    assert_eq!(magnitudes, [0.25, 0.5, 0.75, 1.0]);
    let curve: Vec<f64> = top
        .iter()
        .map(|p| p.simulated.unwrap().va_loss_days)
        .collect();
    assert!(curve.windows(2).all(|w| w[0] < w[1]), "{curve:?}");
    assert_eq!(curve[3], losses[0]);
}

/// A foreign block's cut-off is ranked among cut-offs, and a block whose sector sells no
/// domestic firm anything is not a target.
#[test]
fn cutoffs_rank_foreign_blocks_by_what_their_absence_costs() {
    let tmp = tempfile::tempdir().unwrap();
    write_table(tmp.path());
    // r2 becomes a foreign block: its steel and food are cut-offs now
    let text = std::fs::read_to_string(tmp.path().join("scenario.ron"))
        .unwrap()
        .replace(r#"("r2", Interior)"#, r#"("r2", Foreign)"#);
    std::fs::write(tmp.path().join("scenario.ron"), text).unwrap();
    let study = Study::new(
        model(&tmp.path().join("scenario.ron")),
        &StudyOptions::default(),
    )
    .unwrap();
    let ranking = rank(&study, &RankOptions::default()).unwrap();
    let cutoffs: Vec<String> = ranking
        .entries
        .iter()
        .filter(|e| e.target.kind == TargetKind::Cutoff)
        .map(label)
        .collect();
    // r2|steel sells only to r2|food (foreign): nothing domestic to cut
    assert_eq!(cutoffs, ["r2|food"]);
    let outages = ranking.entries.len() - cutoffs.len();
    assert_eq!(outages, 3);
    assert_eq!(ranking.entries[0].region, "r1");
    assert_eq!(ranking.entries[0].sector, "chips");
}

#[test]
fn rank_files_are_the_same_bytes_with_one_and_two_threads_and_bad_options_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    write_table(tmp.path());
    let scenario = tmp.path().join("scenario.ron");
    let scenario = scenario.to_str().unwrap();
    let out = |threads: &str| {
        let dir = tmp.path().join(format!("rank-{threads}"));
        let run = hinterland(
            tmp.path(),
            &[
                "rank",
                scenario,
                "--out",
                dir.to_str().unwrap(),
                "--threads",
                threads,
                "--batch",
                if threads == "1" { "1" } else { "3" },
            ],
        );
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let mut files = tree(&dir);
        files.remove("manifest.json");
        files
    };
    let (one, two) = (out("1"), out("2"));
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &one {
        assert!(
            two[name] == *bytes,
            "{name} differs between 1 and 2 threads"
        );
    }
    for file in [
        "ranking.csv",
        "loss_by_magnitude.csv",
        "rank_correlation.csv",
    ] {
        assert!(one.contains_key(file), "{file}: {:?}", one.keys());
    }
    let charts: Vec<&String> = one.keys().filter(|k| k.starts_with("plots/")).collect();
    assert_eq!(
        charts,
        [
            "plots/critical_outages.png",
            "plots/critical_outages.svg",
            "plots/loss_by_magnitude.png",
            "plots/loss_by_magnitude.svg"
        ]
    );
    // `plot DIR` redraws the same charts from the CSV files
    let dir = tmp.path().join("rank-1");
    std::fs::remove_dir_all(dir.join("plots")).unwrap();
    let replot = hinterland(tmp.path(), &["plot", dir.to_str().unwrap()]);
    assert_eq!(replot.status.code(), Some(0));
    let mut redrawn = tree(&dir);
    redrawn.remove("manifest.json");
    assert!(redrawn == one, "plot DIR drew other charts");
    let ranking = String::from_utf8(one["ranking.csv"].clone()).unwrap();
    let first = ranking.lines().nth(1).unwrap();
    assert!(first.starts_with("outage,1,r1,chips,1,"), "{first}");
    // existing results are never overwritten without --force
    let again = hinterland(
        tmp.path(),
        &[
            "rank",
            scenario,
            "--out",
            tmp.path().join("rank-1").to_str().unwrap(),
        ],
    );
    assert_eq!(again.status.code(), Some(2));
    // an outage that does not end before the last day, magnitudes out of (0, 1]
    for (args, says) in [
        (
            vec!["--duration", "240"],
            "scenario.ron: days: the outages last from day 1 to day 240",
        ),
        (
            vec!["--magnitudes", "0.5,0"],
            "--magnitudes must be increasing shares",
        ),
        (
            vec!["--magnitudes", "1,0.5"],
            "--magnitudes must be increasing shares",
        ),
    ] {
        let mut all = vec!["rank", scenario, "--out", "never"];
        all.extend(args.iter());
        let bad = hinterland(tmp.path(), &all);
        let stderr = String::from_utf8_lossy(&bad.stderr);
        assert_eq!(bad.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!tmp.path().join("never").exists());
    }
    // a domestic table has no cut-offs to fit in; with a foreign block they must end in time
    let foreign = tmp.path().join("foreign.ron");
    let text = std::fs::read_to_string(tmp.path().join("scenario.ron")).unwrap();
    std::fs::write(
        &foreign,
        text.replace(r#"("r2", Interior)"#, r#"("r2", Foreign)"#),
    )
    .unwrap();
    for (file, code) in [(scenario, 0), (foreign.to_str().unwrap(), 2)] {
        let out = tmp.path().join(format!("long-{code}"));
        let args = [
            "rank",
            file,
            "--cutoff-duration",
            "240",
            "--out",
            out.to_str().unwrap(),
        ];
        let run = hinterland(tmp.path(), &args);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(code), "{file}: {stderr}");
        if code == 2 {
            assert!(
                stderr.contains("foreign.ron: days: the cut-offs last from day 1 to day 240"),
                "{stderr}"
            );
            assert!(!out.exists());
        }
    }
}
