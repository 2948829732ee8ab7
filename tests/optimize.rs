//! `hinterland optimize` (`docs/optimize.md`): the budget is never exceeded; exact search finds
//! the best feasible portfolio and greedy never beats it; a warned backup is chosen over the
//! same backup started by the shock; the files are the same bytes with any number of
//! threads; bad options exit 2 and leave nothing behind.

use hinterland::explore::optimize::placement::{
    self, Objective, Placement, PlacementCandidate, PlacementOptions,
};
use hinterland::montecarlo::{Study, StudyOptions};

use crate::common::{hinterland, repo, tree};
use crate::policy::{chip_economy, model};

/// `policy.rs`'s chip economy, its chips and equipment cut off from day 12 for 40 days, with
/// two templates of home chips capacity: `fab`, started by the cut-off after 3 days and
/// ramped over 4, and `warned`, the same started by a warning `lead` days ahead.
fn study(lead: u32, runs: usize) -> Study {
    let model = model(&format!(
        r#"Scenario(name: "placement", days: 80, economy: Mrio(path: "unused"), runs: 4,
            regions: [("abroad", Foreign)],
            shocks: [TechCutoff(name: "cutoff", sectors: ["chips", "equipment"],
                                start_day: Uniform(10, 14), duration_days: Uniform(30, 50))],
            backup: [
                Backup(name: "fab", sector: "chips", region: "home", capacity_share: 1.0,
                       trigger: OnShock("cutoff"), activation_delay_days: 3, ramp_days: 4,
                       sourcing: Domestic, holding_cost_rate: 0.1),
                Backup(name: "warned", sector: "chips", region: "home", capacity_share: 1.0,
                       trigger: Warning(shock: "cutoff", lead_days: {lead}),
                       activation_delay_days: 3, ramp_days: 4, sourcing: Domestic,
                       holding_cost_rate: 0.1),
            ])"#
    ));
    Study::with_economy(
        model,
        chip_economy(),
        &StudyOptions {
            runs: Some(runs),
            ..StudyOptions::default()
        },
    )
    .unwrap()
}

/// The search of `study` over `sizes` at `budgets`, exact up to `exact_up_to` candidates.
fn search(study: &Study, sizes: &[f64], budgets: &[f64], exact_up_to: usize) -> Placement {
    let options = PlacementOptions {
        budgets: budgets.to_vec(),
        objective: Objective::Mean,
        regions: vec!["home".into()],
        sizes: sizes.to_vec(),
        sectors: Vec::new(),
        exact_up_to,
    };
    let candidates = placement::candidates(study, &options).unwrap();
    let runs = StudyOptions {
        runs: Some(study.runs()),
        ..StudyOptions::default()
    };
    placement::optimize(study, candidates, &options, &runs, |_, _| {}).unwrap()
}

/// The annual cost of `portfolio`.
fn cost(candidates: &[PlacementCandidate], portfolio: &[usize]) -> f64 {
    portfolio.iter().map(|&c| candidates[c].annual_cost).sum()
}

#[test]
fn a_backup_warned_ahead_of_the_shock_is_chosen_over_the_same_backup_started_by_it() {
    let study = study(10, 4);
    // one size each: the budget buys one of the two, not both
    let candidates = placement::candidates(
        &study,
        &PlacementOptions {
            regions: vec!["home".into()],
            sizes: vec![1.0],
            ..PlacementOptions::default()
        },
    )
    .unwrap();
    let unit = candidates[0].annual_cost;
    assert!(unit > 0.0);
    assert_eq!(
        candidates[1].annual_cost, unit,
        "the same capacity, the same cost"
    );
    let found = search(&study, &[1.0], &[1.5 * unit], 12);
    let choice = &found.searches[0].search.choice;
    assert_eq!(found.names(&choice.chosen), "warned@home×1");
    let (none, fab, warned) = (found.of(&[]).mean, found.of(&[0]).mean, found.of(&[1]).mean);
    assert!(warned < fab && fab < none, "{warned} {fab} {none}");
    // the same crises for every portfolio: run by run, the warned unit never does worse
    for (w, f) in found.of(&[1]).losses.iter().zip(&found.of(&[0]).losses) {
        assert!(w <= f, "{w} > {f}");
    }
}

#[test]
fn exact_search_finds_the_best_feasible_portfolio_and_greedy_stays_within_the_budget() {
    let study = study(10, 4);
    let sizes = [0.5, 1.0, 2.0];
    let exact = search(&study, &sizes, &[0.0, 1.0, 3.0, 8.0], 12);
    let greedy = search(&study, &sizes, &[0.0, 1.0, 3.0, 8.0], 0);
    let candidates = &exact.candidates;
    assert_eq!(candidates.len(), 6);
    let unit = candidates[1].annual_cost;
    for (e, g) in exact.searches.iter().zip(&greedy.searches) {
        let budget = e.budget;
        let (e, g) = (&e.search.choice, &g.search.choice);
        assert!(e.cost <= budget && g.cost <= budget, "budget {budget}");
        assert_eq!(cost(candidates, &e.chosen), e.cost);
        // the best of every feasible portfolio: none cheaper than the budget does better
        let best = exact
            .evaluated
            .iter()
            .filter(|p| cost(candidates, &p.portfolio) <= budget)
            .map(|p| p.mean)
            .fold(f64::INFINITY, f64::min);
        assert_eq!(e.objective, best, "budget {budget}");
        assert!(e.objective <= g.objective, "budget {budget}");
        // one size per template: never two of a group
        for chosen in [&e.chosen, &g.chosen] {
            let mut groups: Vec<usize> = chosen.iter().map(|&c| candidates[c].group).collect();
            groups.dedup();
            assert_eq!(groups.len(), chosen.len());
        }
    }
    // a budget of nothing buys nothing; a larger budget never does worse
    assert!(exact.searches[0].search.choice.chosen.is_empty());
    let objectives: Vec<f64> = exact
        .searches
        .iter()
        .map(|s| s.search.choice.objective)
        .collect();
    assert!(
        objectives.windows(2).all(|w| w[1] <= w[0]),
        "{objectives:?}"
    );
    assert!(objectives[3] < objectives[0]);
    // the budgets are in units of the annual holding cost
    assert!(unit > 0.0 && unit < 8.0, "{unit}");
}

/// The rows of a CSV file as maps from column to cell (no quoted commas).
fn rows(path: &std::path::Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|line| {
            header
                .iter()
                .zip(line.split(','))
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The files of a search of `test-mrio-backup.ron` into `out` with `threads`.
fn optimize_cli(dir: &std::path::Path, out: &str, threads: &str) -> std::process::Output {
    let scenario = repo("scenarios/test-mrio-backup.ron");
    hinterland(
        dir,
        &[
            "optimize",
            scenario.to_str().unwrap(),
            "--budget",
            "2e6,5e6",
            "--runs",
            "3",
            "--sizes",
            "0.5,1",
            "--threads",
            threads,
            "--out",
            out,
            "-q",
        ],
    )
}

#[test]
fn the_files_are_the_same_bytes_with_one_or_two_threads_and_plot_redraws_them() {
    let dir = tempfile::tempdir().unwrap();
    for (out, threads) in [("one", "1"), ("two", "2")] {
        let output = optimize_cli(dir.path(), out, threads);
        assert!(output.status.success(), "{output:?}");
    }
    let one = tree(&dir.path().join("one"));
    let two = tree(&dir.path().join("two"));
    let names: Vec<&String> = one.keys().collect();
    for expected in [
        "candidates.csv",
        "choices.csv",
        "choice_runs.csv",
        "greedy_path.csv",
        "portfolios.csv",
        "plots/portfolio_frontier.png",
        "plots/loss_distribution.svg",
    ] {
        assert!(one.contains_key(expected), "{expected} not in {names:?}");
    }
    for (name, bytes) in &one {
        if name != "manifest.json" {
            assert_eq!(Some(bytes), two.get(name), "{name}");
        }
    }
    // 2 regions × 2 sizes: 4 candidates, exact; the choice of each budget within it
    let choices = rows(&dir.path().join("one/choices.csv"));
    assert_eq!(choices.len(), 2);
    for row in &choices {
        let budget: f64 = row["budget"].parse().unwrap();
        let cost: f64 = row["annual_cost"].parse().unwrap();
        assert!(cost <= budget, "{row:?}");
        assert_eq!(row["method"], "exact");
    }
    // plot DIR draws the same charts from the files alone
    let plots = dir.path().join("one/plots");
    std::fs::remove_dir_all(&plots).unwrap();
    let output = hinterland(dir.path(), &["plot", "one"]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(tree(&dir.path().join("one")), one);
}

#[test]
fn bad_options_exit_2_with_a_clear_message_and_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = repo("scenarios/test-mrio-backup.ron");
    let scenario = scenario.to_str().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (&["--budget", "5e6,2e6"], "--budget must be increasing"),
        (&["--budget", "1e6", "--regions", "reg9"], "reg9"),
        (&["--budget", "1e6", "--regions", "reg1"], "Coastal"),
        (&["--budget", "1e6", "--sizes", "0,1"], "--sizes"),
        (&["--budget", "1e6", "--sizes=-1"], "--sizes"),
    ];
    for (args, expected) in cases {
        let mut all = vec!["optimize", scenario, "--out", "out", "--runs", "2"];
        all.extend_from_slice(args);
        let output = hinterland(dir.path(), &all);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!dir.path().join("out").exists(), "{args:?}");
    }
    // a scenario without backups has nothing to place
    let output = hinterland(
        dir.path(),
        &[
            "optimize",
            repo("scenarios/test-mrio-crises.ron").to_str().unwrap(),
            "--budget",
            "1",
            "--out",
            "out",
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no backup to place"), "{stderr}");
    assert!(!dir.path().join("out").exists());
}

#[test]
fn the_top_sectors_of_a_ranking_become_the_sectors_of_the_candidates() {
    let dir = tempfile::tempdir().unwrap();
    // the top outages: mining twice (two regions), then food; a cut-off is not a sector to
    // back up at home
    let ranked = dir.path().join("ranked");
    std::fs::create_dir(&ranked).unwrap();
    std::fs::write(
        ranked.join("ranking.csv"),
        "kind,rank,region,sector\noutage,1,reg1,mining\noutage,2,reg2,mining\n\
         outage,3,reg1,food\noutage,4,reg1,construction\ncutoff,1,reg6,trade\n",
    )
    .unwrap();
    let scenario = repo("scenarios/test-mrio-backup.ron");
    let search = |out: &str, choose: &[&str]| {
        let mut args = vec![
            "optimize",
            scenario.to_str().unwrap(),
            "--budget",
            "0",
            "--runs",
            "1",
            "--regions",
            "reg3",
            "--sizes",
            "1,2",
            "--out",
            out,
            "-q",
        ];
        args.extend_from_slice(choose);
        let output = hinterland(dir.path(), &args);
        assert!(output.status.success(), "{output:?}");
        std::fs::read(dir.path().join(out).join("candidates.csv")).unwrap()
    };
    let from_ranking = search("ranked-out", &["--from-ranking", "ranked", "--top", "2"]);
    let rows = rows(&dir.path().join("ranked-out/candidates.csv"));
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str()).collect();
    assert_eq!(
        names,
        [
            "manufacturing-reg3:mining@reg3×1",
            "manufacturing-reg3:mining@reg3×2",
            "manufacturing-reg3:food@reg3×1",
            "manufacturing-reg3:food@reg3×2",
        ]
    );
    // each sector's capacity is the template's share of that sector's domestic output: the
    // costs differ by sector and double with the size
    let cost = |k: usize| rows[k]["annual_cost"].parse::<f64>().unwrap();
    assert!(cost(0) > 0.0 && cost(2) > 0.0 && cost(0) != cost(2));
    assert!((cost(1) - 2.0 * cost(0)).abs() <= 1e-9 * cost(1));
    // the same as naming the sectors
    assert_eq!(search("named", &["--sectors", "mining,food"]), from_ranking);
    // a folder without a ranking exits 2 and names the file
    let output = hinterland(
        dir.path(),
        &[
            "optimize",
            scenario.to_str().unwrap(),
            "--budget",
            "0",
            "--from-ranking",
            "named",
            "--out",
            "never",
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("named/ranking.csv"), "{stderr}");
    assert!(!dir.path().join("never").exists());
}
