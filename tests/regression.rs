//! Results that must not change: every record of the BoARIO reference scenarios and of the
//! quick-start scenario, byte for byte, as written before backup capacity and reserves existed
//! (tests/fixtures/golden-before-policies.txt). A scenario without policies must run exactly
//! as it did without the feature.

use hinterland::output::write_record;

use crate::common::{self, fnv1a, repo};

#[test]
fn scenarios_without_policies_are_byte_identical_to_before_policies() {
    let golden =
        std::fs::read_to_string(repo("tests/fixtures/golden-before-policies.txt")).unwrap();
    let mut checked = 0;
    let mut current: Option<(String, Vec<hinterland::metrics::Record>)> = None;
    // HINTERLAND_BLESS=1 rewrites the hashes, for an intended change of results (say which
    // in CHANGELOG.md and in the fixture's header)
    let bless = std::env::var_os("HINTERLAND_BLESS").is_some();
    let mut blessed = String::new();
    for line in golden.lines() {
        if line.starts_with('#') {
            blessed.push_str(line);
            blessed.push('\n');
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let (scenario, stem, hash) = (fields[0], fields[1], fields[2]);
        if current.as_ref().is_none_or(|(name, _)| name != scenario) {
            let model = common::model(&repo(scenario));
            let economy = common::build(&model);
            current = Some((scenario.to_string(), common::run(&model, &economy)));
        }
        let records = &current.as_ref().unwrap().1;
        let mut bytes = Vec::new();
        write_record(common::record(records, stem), &mut bytes).unwrap();
        let now = format!("{:016x}", fnv1a(&bytes));
        blessed.push_str(&format!("{scenario}\t{stem}\t{now}\n"));
        if !bless {
            assert_eq!(now, hash, "{scenario}: {stem} changed");
        }
        checked += 1;
    }
    assert_eq!(checked, 66);
    if bless {
        std::fs::write(repo("tests/fixtures/golden-before-policies.txt"), blessed).unwrap();
    }
}
