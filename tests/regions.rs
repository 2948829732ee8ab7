//! Region kinds shipped with the table (`regions.csv`), under the scenario's `regions`.

use crate::common::{hinterland, repo};

/// `hinterland validate` of the chip embargo with `edit` applied: (exit status, standard
/// output).
fn validate_chip_embargo(edit: Option<(&str, &str)>) -> (Option<i32>, String) {
    let mut text = std::fs::read_to_string(repo("scenarios/chip-embargo.ron")).unwrap();
    if let Some((from, to)) = edit {
        assert!(text.contains(from));
        text = text.replacen(from, to, 1);
    }
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("kinds.ron");
    let data = format!("\"{}/", repo("data").display());
    std::fs::write(&scenario, text.replace("\"../data/", &data)).unwrap();
    let out = hinterland(tmp.path(), &["validate", "kinds.ron"]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn china_scenarios_need_no_regions_list_and_cannot_make_a_foreign_block_domestic() {
    // the shipped scenario lists no regions and gets the table's kinds, without a warning
    let (status, text) = validate_chip_embargo(None);
    assert_eq!(status, Some(0), "{text}");
    assert!(!text.contains("warning"), "{text}");
    // a domestic region may change kind
    let (status, text) = validate_chip_embargo(Some((
        "    economy: Mrio(",
        "    regions: [(\"Northwest\", Hinterland)],\n    economy: Mrio(",
    )));
    assert_eq!(status, Some(0), "{text}");
    // a foreign block may not become domestic, nor a domestic region foreign
    for (region, kind, table_kind) in [
        ("ROW_NorthEastAsia", "Coastal", "Foreign"),
        ("YRD", "Foreign", "Coastal"),
    ] {
        let (status, text) = validate_chip_embargo(Some((
            "    economy: Mrio(",
            &format!("    regions: [(\"{region}\", {kind})],\n    economy: Mrio("),
        )));
        assert_eq!(status, Some(2), "{text}");
        assert!(
            text.contains(&format!(
                "kinds.ron: regions[0]: \"{region}\" is {table_kind} in "
            )) && text.contains("data/china-2020/regions.csv"),
            "{text}"
        );
    }
}

#[test]
fn a_block_name_of_the_four_block_table_points_to_the_blocks_that_replaced_it() {
    let new = r#"Names(["ROW_NorthEastAsia", "ROW_SouthEastAsia", "#;
    let (status, text) = validate_chip_embargo(Some((new, r#"Names(["ROW_EastAsia", "#)));
    assert_eq!(status, Some(2), "{text}");
    assert!(
        text.contains(
            "kinds.ron: shocks[0] TechCutoff \"embargo\": from[0]: unknown region \
             \"ROW_EastAsia\": this table replaced it with \"ROW_NorthEastAsia\", \
             \"ROW_SouthEastAsia\""
        ),
        "{text}"
    );
    // a name that was never a region still gets the closest name
    let (status, text) = validate_chip_embargo(Some((new, r#"Names(["ROW_Europa", "#)));
    assert_eq!(status, Some(2), "{text}");
    assert!(
        text.contains("unknown region \"ROW_Europa\"; did you mean \"ROW_Europe\"?"),
        "{text}"
    );
}

#[test]
fn a_table_without_region_kinds_warns_of_the_regions_no_one_declared() {
    let tmp = tempfile::tempdir().unwrap();
    crate::common::copy_mrio_small(tmp.path());
    let write = |regions: &str| {
        std::fs::write(
            tmp.path().join("s.ron"),
            format!(
                r#"Scenario(name: "s", days: 5, economy: Mrio(path: "."), regions: [{regions}])"#
            ),
        )
        .unwrap();
        let out = hinterland(tmp.path(), &["validate", "s.ron"]);
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let text = write(r#"("north", Coastal)"#);
    assert!(
        text.contains("warning: s.ron: regions not declared in `regions`, taken as Interior (domestic): south;"),
        "{text}"
    );
    assert!(!write(r#"("north", Coastal), ("south", Interior)"#).contains("warning"));
    // the table's file declares them; a bad kind is refused at its cell
    std::fs::write(
        tmp.path().join("regions.csv"),
        "region,kind\nnorth,Coastal\nsouth,Foreign\n",
    )
    .unwrap();
    assert!(!write("").contains("warning"));
    std::fs::write(
        tmp.path().join("regions.csv"),
        "region,kind\nnorth,Coastal\nsouth,Offshore\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("s.ron"),
        r#"Scenario(name: "s", days: 5, economy: Mrio(path: "."))"#,
    )
    .unwrap();
    let out = hinterland(tmp.path(), &["validate", "s.ron"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains(
            "regions.csv:3:2: kind \"Offshore\": expected Coastal, Hinterland, Interior or Foreign"
        ),
        "{text}"
    );
}
