//! Variants and parameter paths: a variant sets any parameter of the scenario (shocks and their
//! distributions included) through the same checks as the file, and is refused with its path
//! named when it breaks a rule.

use hinterland::kinds::{DaysDist, Dist};
use hinterland::model::{Assignment, Model, ShockKind};
use hinterland::montecarlo::StudyOptions;
use hinterland::scenario;

use crate::common::{self, repo};

/// A small scenario with an embargo drawn per run, a backup and `VARIANTS`.
const SCENARIO: &str = r#"Scenario(name: "v", days: 40, runs: 6, seed: 9,
    economy: Mrio(path: "mrio-small", firms_per_industry: 2),
    regions: [("south", Foreign)],
    shocks: [TechCutoff(name: "embargo", sectors: ["goods"], start_day: Uniform(2, 9),
                        duration_days: Uniform(5, 10))],
    backup: [Backup(name: "fab", sector: "goods", region: "north", capacity_share: 0.1,
                    trigger: OnShock("embargo"), activation_delay_days: 3)],
    variants: [VARIANTS])"#;

fn parse(variants: &str) -> Result<Model, String> {
    let path = repo("tests/fixtures/inline.ron");
    let text = SCENARIO.replace("VARIANTS", variants);
    let parsed = scenario::parse(&text, &path).map_err(|e| e.to_string())?;
    Model::from_scenario(&parsed, &path).map_err(|e| e.to_string())
}

fn variant_model(model: &Model, name: &str) -> Model {
    common::variant(model, name)
}

fn cutoff_days(model: &Model) -> (DaysDist, DaysDist) {
    match &model.shocks()[0].kind {
        ShockKind::TechCutoff {
            start_day,
            duration_days,
            ..
        } => (*start_day, *duration_days),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_variant_sets_a_distribution_and_one_of_its_parameters() {
    let model = parse(
        r#"Variant(name: "long", set: [("shocks.embargo.duration_days", Uniform(20, 30))]),
           Variant(name: "longer tail", set: [("shocks.embargo.duration_days.max", 25)]),
           Variant(name: "fixed", set: [("shocks.embargo.duration_days", 12)])"#,
    )
    .unwrap();
    let names: Vec<&str> = model.variants().iter().map(|v| v.name()).collect();
    assert_eq!(
        names,
        ["base", "long", "longer tail", "fixed", "no policies"]
    );
    let duration = |name: &str| cutoff_days(&variant_model(&model, name)).1.dist();
    assert_eq!(duration("base"), Dist::Uniform(5.0, 10.0));
    assert_eq!(duration("long"), Dist::Uniform(20.0, 30.0));
    assert_eq!(duration("longer tail"), Dist::Uniform(5.0, 25.0));
    // a plain number given for a distribution means Fixed
    assert_eq!(duration("fixed"), Dist::Fixed(12.0));
    // the other parameters are untouched
    assert_eq!(
        cutoff_days(&variant_model(&model, "long")).0.dist(),
        Dist::Uniform(2.0, 9.0)
    );
}

#[test]
fn variants_that_change_a_shock_still_draw_the_same_crisis_elsewhere() {
    let model =
        parse(r#"Variant(name: "long", set: [("shocks.embargo.duration_days", Fixed(30))])"#)
            .unwrap();
    let study = hinterland::montecarlo::Study::new(model, &StudyOptions::default()).unwrap();
    let long = study
        .setups()
        .iter()
        .position(|s| s.name() == "long")
        .unwrap();
    for run in 0..6u64 {
        let draw = |v: usize| {
            study.setups()[v]
                .plan()
                .draw(study.economy_of(v), study.seed(), run)
                .draws
        };
        let (base, varied) = (draw(0), draw(long));
        let value = |draws: &[hinterland::shocks::Draw], parameter: &str| {
            draws
                .iter()
                .find(|d| d.parameter == parameter)
                .unwrap()
                .value
        };
        // common random numbers: the start day is the same draw; the duration is the variant's
        assert_eq!(
            value(&base, "start_day"),
            value(&varied, "start_day"),
            "run {run}"
        );
        assert!((5.0..=10.0).contains(&value(&base, "duration_days")));
        assert_eq!(value(&varied, "duration_days"), 30.0);
    }
}

#[test]
fn a_variant_that_breaks_a_rule_between_fields_is_refused_with_its_path() {
    let err = parse(r#"Variant(name: "tight", set: [("dynamics.alpha_max", 0.9)])"#).unwrap_err();
    assert!(
        err.contains(
            r#"variants[0] "tight": dynamics.alpha_max: alpha_max 0.9 is below alpha_base 1"#
        ),
        "{err}"
    );
    // a shock moved past the end of the run: it could never start, as the file's rule says
    let err =
        parse(r#"Variant(name: "late", set: [("shocks.embargo.start_day", Uniform(50, 60))])"#)
            .unwrap_err();
    assert!(
        err.contains(r#"variants[0] "late": shocks[0] TechCutoff "embargo": start_day: Uniform(50, 60) never starts inside the run"#),
        "{err}"
    );
    // one that may start inside it is accepted (a draw past the end does nothing)
    assert!(
        parse(r#"Variant(name: "late", set: [("shocks.embargo.start_day", Uniform(30, 60))])"#)
            .is_ok()
    );
}

#[test]
fn values_are_checked_as_the_file_checks_them_and_never_rounded() {
    let cases = [
        (
            r#"("backup.fab.activation_delay_days", 1.5)"#,
            r#"set[0] "backup.fab.activation_delay_days": 1.5 is not a whole number"#,
        ),
        (
            r#"("backup.fab.capacity_share", -0.1)"#,
            "-0.1: -0.1 is out of range: expected a finite number >= 0",
        ),
        (
            r#"("shocks.embargo.duration_days", Uniform(-3, 4))"#,
            "Uniform(-3, 4) can draw negative values",
        ),
        (
            r#"("shocks.embargo.start_day.max", 1)"#,
            "Uniform(2, 1): expected finite lo <= hi",
        ),
        (
            r#"("shocks.embargo.duration_days.mode", 3)"#,
            "Uniform has no parameter \"mode\"; its parameters: min, max",
        ),
        (
            r#"("shocks.embargo.durations", 3)"#,
            "unknown TechCutoff field \"durations\"; did you mean \"duration_days\"?",
        ),
        (
            r#"("shocks.embargo.duration_days.max.x", 3)"#,
            "has no field \"x\"",
        ),
        (
            r#"("shocks.embrago.start_day", 3)"#,
            "no shock is named \"embrago\"; did you mean \"embargo\"?",
        ),
        (
            r#"("dynamics.inventory_days[goods]", 10)"#,
            "[goods]: this field is not keyed",
        ),
        (
            r#"("backup.fab.trigger.below", 0.5)"#,
            "the trigger is OnShock(\"embargo\"), which has no field \"below\"",
        ),
        (r#"("backups.fab.firms", 2)"#, "unknown section \"backups\""),
        (
            r#"("backup.fab.activation_delay_days", 7.0)"#,
            "7.0: a whole number is written without a decimal point or exponent, e.g. 7",
        ),
        (
            r#"("dynamics.psi", 1.5)"#,
            "1.5 is out of range: expected a number in (0, 1]",
        ),
        (
            r#"("backup.fab", 0.2)"#,
            "a path sets one field of the backup \"fab\": expected backup.fab.<field>",
        ),
        (
            r#"("shocks.embargo.name", "other")"#,
            "the name addresses the element and cannot be set",
        ),
        (
            r#"("backup.fab.trigger", Availability(below: 0.8, lag: 3))"#,
            "Unexpected field named `lag`",
        ),
    ];
    for (set, expected) in cases {
        let err = parse(&format!(r#"Variant(name: "x", set: [{set}])"#)).unwrap_err();
        assert!(err.contains(expected), "{set}: {err}");
        assert!(err.contains(r#"variants[0] "x": set[0]"#), "{set}: {err}");
    }
}

#[test]
fn whole_values_and_nested_fields_can_be_set() {
    let model = parse(
        r#"Variant(name: "west", set: [("backup.fab.region", "south"), ("backup.fab.firms", 2)]),
           Variant(name: "watch", set: [("backup.fab.trigger", Availability(below: 0.8, lag_days: 2)),
                                        ("dynamics.psi", 0.9), ("dynamics.compat", Boario072)])"#,
    )
    .unwrap();
    let west = variant_model(&model, "west");
    assert_eq!(west.backup()[0].region, "south");
    assert_eq!(west.backup()[0].firms, 2);
    let watch = variant_model(&model, "watch");
    assert_eq!(watch.dynamics().psi, Some(0.9));
    assert_eq!(
        watch.dynamics().compat,
        hinterland::kinds::Compat::Boario072
    );
    // the region is checked against the economy when the study is built: a backup cannot
    // stand abroad, and the variant is named
    let err = hinterland::montecarlo::Study::new(model, &StudyOptions::default()).unwrap_err();
    let err = err.to_string();
    assert!(
        err.contains(r#"variants[0] "west": backup[0] "fab": region: "south" is Foreign"#),
        "{err}"
    );
}

#[test]
fn assignments_on_the_model_apply_under_every_variant() {
    let model =
        parse(r#"Variant(name: "big", set: [("backup.fab.capacity_share", 0.3)])"#).unwrap();
    let set = model
        .with_assignments(&[
            Assignment::new("backup.fab.activation_delay_days", "7"),
            Assignment::new("backup.fab.capacity_share", "0.2"),
        ])
        .unwrap();
    let share = |name: &str| {
        let model = variant_model(&set, name);
        (
            model.backup()[0].capacity_share,
            model.backup()[0].activation_delay_days,
        )
    };
    assert_eq!(share("base"), (0.2, 7));
    // the variant's own assignment comes after
    assert_eq!(share("big"), (0.3, 7));
    let err = model
        .with_assignments(&[Assignment::new("dynamics.alpha_base", "2")])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("dynamics.alpha_max: alpha_max 1.25 is below alpha_base 2"),
        "{err}"
    );
}

#[test]
fn loss_avoided_compares_only_variants_that_change_policies() {
    let model = parse(
        r#"Variant(name: "big", set: [("backup.fab.capacity_share", 0.3)]),
           Variant(name: "long", set: [("shocks.embargo.duration_days", 30)])"#,
    )
    .unwrap();
    let study = hinterland::montecarlo::Study::new(
        model,
        &StudyOptions {
            runs: Some(2),
            ..StudyOptions::default()
        },
    )
    .unwrap();
    let ensemble = study.ensemble(false).unwrap();
    let avoided = |name: &str| {
        let variant = ensemble.variants.iter().find(|v| v.name == name).unwrap();
        variant
            .runs
            .iter()
            .map(|r| r.metrics.get("loss_avoided"))
            .collect::<Vec<_>>()
    };
    // base and a policy variant against "no policies" in the same run
    assert!(avoided("base").iter().all(Option::is_some));
    assert!(avoided("big").iter().all(Option::is_some));
    // a longer embargo is another crisis: no reference, so no value rather than a wrong one
    assert!(avoided("long").iter().all(Option::is_none));
    assert!(avoided("no policies").iter().all(Option::is_none));
}
