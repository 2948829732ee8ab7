//! Within-run parallelism: stepping the firms in parallel blocks gives exactly the serial
//! result, for every rule set and mechanism (rebuilding, link blocks, policies, NoAlt); dense
//! and sparse layouts of BoARIO's demand rows agree; and on dense one-firm-per-industry tables
//! the supplier-run layout (whose day is one pass over the sales) agrees with the
//! phase-by-phase step; implicit orders (link shocks read through gates) agree with orders
//! stored per link.

use hinterland::engine::Simulation;

use crate::common::{self, repo};

/// Every per-firm and per-input state array after each day, serial against `blocks` blocks
/// on a 2-thread pool, with the other layouts of demand rows and implicit orders, and with
/// orders stored per link; bitwise. Returns whether the serial run used the supplier-run
/// layout of implicit orders.
fn assert_split_is_serial(scenario: &str, days: usize, blocks: usize) -> bool {
    assert_split_is_serial_with(scenario, days, blocks).0
}

/// [`assert_split_is_serial`], and whether the serial run kept its orders implicit.
fn assert_split_is_serial_with(scenario: &str, days: usize, blocks: usize) -> (bool, bool) {
    let model = common::model(&repo(scenario));
    let study = common::study(&model, &common::build(&model));
    let mut serial = study.simulation(0, 0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    // split, with the other layout of BoARIO's demand rows, and of implicit orders
    let mut splits: Vec<Simulation> = [
        (true, false, false),
        (false, true, false),
        (false, false, true),
    ]
    .into_iter()
    .map(|(other_rows, other_orders, stored)| {
        let mut split = study.simulation(0, 0);
        split.split_blocks(blocks);
        split.set_dense_rows(serial.dense_rows() != other_rows);
        split.set_order_runs(serial.order_runs() != other_orders);
        if stored {
            split.set_stored_orders();
            assert!(!split.implicit_orders());
        }
        split
    })
    .collect();
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    let mut differed_from_baseline = false;
    for day in 0..days.min(model.days()) {
        serial.step();
        for split in &mut splits {
            pool.install(|| split.step());
        }
        for split in &splits {
            let pairs = [
                ("production", serial.production(), split.production()),
                ("capacity", serial.capacity(), split.capacity()),
                ("alpha", serial.alpha(), split.alpha()),
                ("demand", serial.demand(), split.demand()),
                ("orders", serial.orders_received(), split.orders_received()),
                ("stocks", serial.stocks(), split.stocks()),
            ];
            for (what, a, b) in pairs {
                assert_eq!(bits(a), bits(b), "{scenario}: {what} differs on day {day}");
            }
            let unmet: Vec<f64> = serial.final_demand_unmet().collect();
            let unmet_split: Vec<f64> = split.final_demand_unmet().collect();
            assert_eq!(
                bits(&unmet),
                bits(&unmet_split),
                "{scenario}: unmet day {day}"
            );
        }
        differed_from_baseline |= serial
            .production()
            .iter()
            .zip(serial.output0())
            .any(|(x, x0)| (x - x0).abs() > 1e-9 * x0.abs());
    }
    // the comparison means something only if the shock moved the economy
    assert!(differed_from_baseline, "{scenario}: nothing happened");
    (serial.order_runs(), serial.implicit_orders())
}

#[test]
fn parallel_blocks_reproduce_boario_rules_with_rebuilding() {
    // one firm per industry on a dense table: suppliers sell to runs of buyers
    assert!(assert_split_is_serial(
        "tests/fixtures/boario/e_kapital_rebuild.ron",
        200,
        7
    ));
    assert!(assert_split_is_serial(
        "tests/fixtures/boario/j_deep_shortage.ron",
        150,
        5
    ));
}

#[test]
fn parallel_blocks_reproduce_noalt_orders() {
    assert_split_is_serial("tests/fixtures/boario/h_noalt.ron", 150, 3);
}

#[test]
fn parallel_blocks_reproduce_policies_and_link_blocks() {
    assert_split_is_serial("scenarios/test-mrio-backup.ron", 250, 6);
    // link blocks read through gates under implicit orders, against orders stored per link
    let (_, implicit) = assert_split_is_serial_with("scenarios/test-mrio-crises.ron", 250, 9);
    assert!(implicit, "the crises' link blocks keep implicit orders");
    // links partly open while they reopen, in overlapping sets
    let reopening = "tests/fixtures/batch/links-reopening.ron";
    assert!(assert_split_is_serial_with(reopening, 160, 5).1);
}

#[test]
fn parallel_blocks_reproduce_a_sparse_synthetic_network() {
    assert_split_is_serial("scenarios/synthetic-small.ron", 60, 8);
}
