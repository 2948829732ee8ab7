//! Every shipped scenario loads, builds and runs a short horizon.

use crate::common::{self, repo};

#[test]
fn every_shipped_scenario_runs() {
    let mut count = 0;
    for entry in std::fs::read_dir(repo("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        let mut model = common::model(&path);
        model.days = model.days.min(30);
        let economy = common::build(&model);
        let records = common::run(&model, &economy);
        assert!(!records.is_empty(), "{}", path.display());
        for record in &records {
            assert_eq!(record.days(), model.days);
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
