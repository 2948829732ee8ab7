//! Synthetic firm economies (`economy: Synthetic(..)`): the invariants of an MRIO economy,
//! the degree laws, reproducibility, a steady baseline, and `hinterland bench`.

use std::process::Command;

use hinterland::economy::{Economy, synthetic_firms};
use hinterland::kinds::{Degree, TailExponent};
use hinterland::model::{Model, SyntheticParams};
use hinterland::scenario;

use crate::common::{self, repo};

fn params(firms: usize, mean_suppliers: f64, degree: Degree, seed: u64) -> SyntheticParams {
    SyntheticParams::new(firms, 5, 4, mean_suppliers, degree, seed, 4.0).unwrap()
}

fn power_law() -> Degree {
    Degree::PowerLaw(TailExponent(2.5))
}

fn build(params: &SyntheticParams) -> Economy {
    synthetic_firms(params).unwrap_or_else(|e| panic!("{e}"))
}

fn relative(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}

/// Every invariant an economy must satisfy, with `sectors × regions` industries.
fn assert_invariants(e: &Economy, sectors: usize, regions: usize) {
    let n = e.n_firms();
    // labels: sorted, named as synthetic_mrio names them
    let region_names: Vec<String> = (0..regions).map(|r| format!("r{r:02}")).collect();
    let sector_names: Vec<String> = (0..sectors).map(|s| format!("s{s:02}")).collect();
    assert_eq!(e.regions(), region_names);
    assert_eq!(e.sectors(), sector_names);
    assert_eq!(e.demand_regions(), region_names);
    let columns: Vec<(u32, String)> = (0..regions as u32).map(|r| (r, "final".into())).collect();
    assert_eq!(e.final_demand_columns(), columns);
    // firms contiguous per industry, every industry has firms
    assert_eq!(e.industry_firms().len(), sectors * regions + 1);
    assert_eq!(e.industry_firms()[0], 0);
    assert_eq!(*e.industry_firms().last().unwrap() as usize, n);
    for i in 0..e.n_industries() {
        let firms = e.firms_of(i);
        assert!(!firms.is_empty(), "industry {i} has no firm");
        assert!(firms.clone().all(|f| e.firm_industry()[f] as usize == i));
    }
    let x = e.aggregate_x();
    for (i, &output) in e.industry_output().iter().enumerate() {
        assert!(relative(output, x[i]) <= 1e-12);
    }
    // inputs: CSR by buyer, sectors strictly increasing per firm
    assert_eq!(e.firm_inputs().len(), n + 1);
    assert_eq!(
        *e.firm_inputs().last().unwrap() as usize,
        e.input_sector().len()
    );
    assert_eq!(e.input_links().len(), e.input_sector().len() + 1);
    assert_eq!(*e.input_links().last().unwrap() as usize, e.n_links());
    assert!(e.firm_inputs().windows(2).all(|w| w[0] <= w[1]));
    assert!(
        e.input_links().windows(2).all(|w| w[0] < w[1]),
        "an empty input"
    );
    let link_buyer: Vec<u32> = e.link_buyers().collect();
    assert_eq!(link_buyer.len(), e.n_links());
    for buyer in 0..n {
        let inputs = e.firm_inputs()[buyer] as usize..e.firm_inputs()[buyer + 1] as usize;
        assert!(
            e.input_sector()[inputs.clone()]
                .windows(2)
                .all(|w| w[0] < w[1]),
            "firm {buyer}: input sectors not strictly increasing"
        );
        let mut bought = 0.0;
        for k in inputs {
            let links = e.input_links()[k] as usize..e.input_links()[k + 1] as usize;
            let suppliers = &e.link_supplier()[links.clone()];
            assert!(
                suppliers.windows(2).all(|w| w[0] < w[1]),
                "duplicate supplier"
            );
            for l in links.clone() {
                let supplier = e.link_supplier()[l] as usize;
                assert_eq!(link_buyer[l] as usize, buyer);
                assert_ne!(supplier, buyer, "a firm supplies itself");
                assert_eq!(
                    e.firm_industry()[supplier] as usize % sectors,
                    e.input_sector()[k] as usize
                );
                assert!(e.link_flow()[l].is_finite() && e.link_flow()[l] > 0.0);
            }
            let annual: f64 = e.link_flow()[links].iter().sum();
            assert!(relative(e.input_annual()[k], annual) <= 1e-12);
            assert!(
                relative(e.input_per_output()[k] * e.firm_output()[buyer], annual) <= 1e-12,
                "input_per_output inconsistent with the flows"
            );
            bought += annual;
        }
        // each firm spends its sector's input share (column sums of A in [0.4, 0.6])
        let share = bought / e.firm_output()[buyer];
        assert!(
            (0.4..=0.6).contains(&share),
            "firm {buyer}: input share {share}"
        );
        assert!(relative(e.firm_value_added()[buyer], e.firm_output()[buyer] - bought) <= 1e-12);
        assert!(relative(e.firm_capital()[buyer], 4.0 * e.firm_value_added()[buyer]) <= 1e-12);
    }
    // sales: the same links grouped by supplier, in link order, each link once
    assert_eq!(e.firm_sales().len(), n + 1);
    assert_eq!(e.sales_link().len(), e.n_links());
    let mut seen = vec![false; e.n_links()];
    for supplier in 0..n {
        let sales = &e.sales_link()
            [e.firm_sales()[supplier] as usize..e.firm_sales()[supplier + 1] as usize];
        assert!(sales.windows(2).all(|w| w[0] < w[1]));
        for &l in sales {
            assert_eq!(e.link_supplier()[l as usize] as usize, supplier);
            assert!(!seen[l as usize]);
            seen[l as usize] = true;
        }
    }
    assert!(seen.iter().all(|&s| s));
    // final demand: one entry per firm, in its own region's column, positive
    assert_eq!(e.firm_final_demand().len(), n + 1);
    for f in 0..n {
        let entries = e.firm_final_demand()[f] as usize..e.firm_final_demand()[f + 1] as usize;
        assert_eq!(entries.len(), 1);
        let column = e.final_demand_column()[entries.start] as usize;
        assert_eq!(column, e.industry_region(e.firm_industry()[f] as usize));
        assert!(e.final_demand_annual()[entries.start] > 0.0);
    }
    // balance: every firm sells exactly its output
    for (f, sales) in e.firm_sales_total().iter().enumerate() {
        assert!(
            relative(*sales, e.firm_output()[f]) <= 1e-12,
            "firm {f}: sales {sales} vs output {}",
            e.firm_output()[f]
        );
    }
}

fn in_degrees(e: &Economy) -> Vec<usize> {
    (0..e.n_firms())
        .map(|f| {
            e.input_links()[e.firm_inputs()[f + 1] as usize] as usize
                - e.input_links()[e.firm_inputs()[f] as usize] as usize
        })
        .collect()
}

#[test]
fn synthetic_economies_keep_every_invariant_for_both_degree_laws() {
    for degree in [Degree::Poisson, power_law()] {
        let economy = build(&params(3_001, 8.0, degree, 3));
        assert_eq!(economy.n_firms(), 3_001);
        assert_invariants(&economy, 5, 4);
    }
    // one firm per industry, and one supplier each: the smallest economies too
    let tiny = SyntheticParams::new(6, 3, 2, 1.0, Degree::Poisson, 0, 4.0).unwrap();
    let economy = build(&tiny);
    assert_invariants(&economy, 3, 2);
    assert_eq!(in_degrees(&economy), vec![1; 6]);
}

#[test]
fn mean_in_degree_matches_and_the_power_law_has_the_heavier_tail() {
    let poisson = in_degrees(&build(&params(20_000, 10.0, Degree::Poisson, 5)));
    let power = in_degrees(&build(&params(20_000, 10.0, power_law(), 5)));
    let mean = |d: &[usize]| d.iter().sum::<usize>() as f64 / d.len() as f64;
    // Poisson: the mean's standard error is 3/√20000 ≈ 0.02; the power law's (truncated at
    // 1000) about 0.15, so 1 % and 5 %
    assert!(
        relative(mean(&poisson), 10.0) <= 0.01,
        "Poisson mean {}",
        mean(&poisson)
    );
    assert!(
        relative(mean(&power), 10.0) <= 0.05,
        "power-law mean {}",
        mean(&power)
    );
    assert!(poisson.iter().all(|&k| k >= 1) && power.iter().all(|&k| k >= 1));
    let (max_poisson, max_power) = (*poisson.iter().max().unwrap(), *power.iter().max().unwrap());
    eprintln!("max in-degree: Poisson {max_poisson}, power law {max_power}");
    assert!(max_poisson < 40, "{max_poisson}");
    assert!(
        max_power > 10 * max_poisson,
        "power law {max_power} vs Poisson {max_poisson}"
    );
    // and most power-law firms have fewer suppliers than the mean
    let below = power.iter().filter(|&&k| k < 10).count() as f64 / power.len() as f64;
    assert!(below > 0.6, "{below}");
}

/// Every array of two economies, bit for bit.
fn same(a: &Economy, b: &Economy) -> bool {
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    a.industry_firms() == b.industry_firms()
        && a.firm_inputs() == b.firm_inputs()
        && a.input_sector() == b.input_sector()
        && a.input_links() == b.input_links()
        && a.link_supplier() == b.link_supplier()
        && a.sales_link() == b.sales_link()
        && bits(a.link_flow()) == bits(b.link_flow())
        && bits(a.firm_output()) == bits(b.firm_output())
        && bits(a.input_per_output()) == bits(b.input_per_output())
        && bits(a.final_demand_annual()) == bits(b.final_demand_annual())
}

#[test]
fn same_seed_same_economy_whatever_the_threads_and_another_seed_another() {
    let p = params(5_000, 6.0, power_law(), 9);
    let in_pool = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| build(&p))
    };
    let one = in_pool(1);
    assert!(
        same(&one, &in_pool(3)),
        "results depend on the thread count"
    );
    assert!(same(&one, &build(&p)));
    let other = build(
        &SyntheticParams::new(
            p.firms,
            p.sectors,
            p.regions,
            p.mean_suppliers,
            p.degree,
            10,
            4.0,
        )
        .unwrap(),
    );
    assert!(!same(&one, &other));
    assert_ne!(one.link_supplier(), other.link_supplier());
}

#[test]
fn value_stability_of_a_small_synthetic_economy() {
    // Pinned numbers: a change here means the generator changed. Update only on purpose.
    let economy = build(&params(200, 4.0, power_law(), 7));
    assert_eq!(economy.n_links(), PINNED_LINKS);
    assert_eq!(economy.link_supplier()[..4], PINNED_SUPPLIERS);
    assert_eq!(economy.firm_output()[0], PINNED_FIRM0_OUTPUT);
    assert_eq!(economy.link_flow()[0], PINNED_FLOW0);
}

const PINNED_LINKS: usize = 1167;
const PINNED_SUPPLIERS: [u32; 4] = [185, 45, 91, 191];
const PINNED_FIRM0_OUTPUT: f64 = 0.06209043839934222;
const PINNED_FLOW0: f64 = 0.0019584787880646526;

fn model(text: &str) -> Model {
    let path = repo("tests/fixtures/synthetic.ron");
    let parsed = scenario::parse(text, &path).unwrap_or_else(|e| panic!("{e}"));
    Model::from_scenario(&parsed, &path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn without_shocks_a_synthetic_economy_stays_at_baseline_and_a_shock_moves_it() {
    let text = r#"Scenario(name: "s", days: 100,
        economy: Synthetic(firms: 3000, sectors: 5, regions: 4, mean_suppliers: 8.0,
                           degree: DEGREE, seed: 2)SHOCKS)"#;
    for degree in ["Poisson", "PowerLaw(2.5)"] {
        let model = model(&text.replace("DEGREE", degree).replace("SHOCKS", ""));
        let economy = hinterland::economy::build(model.economy()).unwrap();
        let study = common::study(&model, &economy);
        let mut sim = study.simulation(0, 0);
        let mut worst: f64 = 0.0;
        for _ in 0..100 {
            sim.step();
            for (x, x0) in sim.production().iter().zip(sim.output0()) {
                worst = worst.max(relative(*x, *x0));
            }
        }
        assert!(
            worst <= 1e-9,
            "{degree}: a firm left its baseline by {worst:e}"
        );
    }
    // the same economy under a regional demand shock: only r01's final demand falls, and
    // production falls outside r01 too, through the links
    let shock = r#", shocks: [DemandChange(name: "slump", regions: Names(["r01"]), factor: 0.5,
                                          start_day: 1, duration_days: 30)]"#;
    let model = model(&text.replace("DEGREE", "Poisson").replace("SHOCKS", shock));
    let economy = hinterland::economy::build(model.economy()).unwrap();
    let study = common::study(&model, &economy);
    let mut sim = study.simulation(0, 0);
    for _ in 0..10 {
        sim.step();
    }
    let region = |f: usize| economy.industry_region(economy.firm_industry()[f] as usize);
    for f in 0..economy.n_firms() {
        let entry = economy.firm_final_demand()[f] as usize;
        let expected =
            economy.final_demand_annual()[entry] / 365.0 * if region(f) == 1 { 0.5 } else { 1.0 };
        assert!(relative(sim.final_demand()[entry], expected) <= 1e-12);
    }
    let fall_elsewhere = (0..economy.n_firms())
        .filter(|&f| region(f) != 1)
        .filter(|&f| sim.production()[f] < sim.output0()[f] * (1.0 - 1e-6))
        .count();
    assert!(fall_elsewhere > 100, "{fall_elsewhere}");
}

fn bench(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_hinterland"))
        .arg("bench")
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn bench_reports_the_economy_it_built_and_refuses_impossible_sizes() {
    let out = bench(&[
        "--firms",
        "3000",
        "--links",
        "24000",
        "--days",
        "4",
        "--sectors",
        "5",
        "--regions",
        "4",
        "--degree",
        "poisson",
        "--threads",
        "2",
        "--seed",
        "3",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let economy = build(&params(3_000, 8.0, Degree::Poisson, 3));
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with(&format!(
            "economy: 3000 firms, {} links (5 sectors × 4 regions, poisson",
            economy.n_links()
        )),
        "{text}"
    );
    assert!(text.contains("\nthreads: 2\n"), "{text}");
    for label in ["build: ", "step: ", "throughput: ", "peak memory: "] {
        assert!(text.contains(label), "no {label:?} in {text}");
    }
    let step = text.lines().find(|l| l.starts_with("step: ")).unwrap();
    assert!(step.ends_with("over 4 days"), "{step}");

    let out = bench(&["--firms", "100", "--links", "100000"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("100 firms cannot fill 10 regions × 20 sectors"),
        "{err}"
    );
    let out = bench(&["--firms", "1000", "--links", "5000", "--exponent", "1.5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("PowerLaw(1.5) has no finite mean"));
}
