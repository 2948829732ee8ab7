//! Every shipped scenario loads, builds and runs a short horizon (150 days at most).

use crate::common::{self, repo};

#[test]
fn every_shipped_scenario_runs() {
    let mut count = 0;
    for entry in std::fs::read_dir(repo("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        // long enough for every shock of the shipped scenarios to be able to start
        let model = common::model_with_days(&path, 150.min(common::model(&path).days()));
        let economy = common::build(&model);
        let records = common::run(&model, &economy);
        assert!(!records.is_empty(), "{}", path.display());
        for record in &records {
            assert_eq!(record.days(), model.days());
            assert!(
                record.values.iter().all(|v| v.is_finite()),
                "{}",
                path.display()
            );
        }
        count += 1;
    }
    assert!(count > 0, "no scenarios shipped");
}
