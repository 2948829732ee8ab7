//! PRIM against EMA Workbench on the committed fixture `tests/fixtures/prim/` (made by its
//! `make_fixture.py`): 2,000 rows, a box planted in x1 and x2, three noise columns, 10 % of
//! the labels flipped.

use serde_json::Value;

use super::*;

fn fixture(file: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/prim")
        .join(file)
}

/// The planted data: column names, columns, and the outcome (last column `y`, 0 or 1).
fn planted() -> (Vec<String>, Vec<Vec<f64>>, Vec<bool>) {
    let mut reader = csv::Reader::from_path(fixture("planted.csv")).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let (outcome_name, names) = header.split_last().unwrap();
    assert_eq!(outcome_name, "y");
    let mut columns = vec![Vec::new(); names.len()];
    let mut of_interest = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        for (column, field) in columns.iter_mut().zip(record.iter()) {
            column.push(field.parse::<f64>().unwrap());
        }
        of_interest.push(match &record[names.len()] {
            "1" => true,
            "0" => false,
            other => panic!("outcome {other:?}"),
        });
    }
    (names.to_vec(), columns, of_interest)
}

fn ema() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("ema-result.json")).unwrap()).unwrap()
}

/// A float of the fixture: computed ones are strings (Python's repr, read exactly here),
/// inputs such as the options are plain JSON numbers.
fn number(value: &Value) -> f64 {
    match value.as_str() {
        Some(text) => text.parse().unwrap(),
        None => value.as_f64().unwrap(),
    }
}

/// `[lower, upper]` from the fixture.
fn pair(value: &Value) -> (f64, f64) {
    (number(&value[0]), number(&value[1]))
}

/// Our PRIM with the options EMA ran with.
fn ours() -> (Vec<String>, Discovery) {
    let ema = ema();
    let options = PrimOptions {
        peel_alpha: number(&ema["options"]["peel_alpha"]),
        paste_alpha: number(&ema["options"]["paste_alpha"]),
        mass_min: number(&ema["options"]["mass_min"]),
        threshold: number(&ema["options"]["threshold"]),
    };
    assert_eq!(options, PrimOptions::default(), "EMA ran with its defaults");
    let (names, columns, of_interest) = planted();
    let found = find_box(&names, &columns, &of_interest, &options).unwrap();
    (names, found)
}

/// The same peels and pastes, step by step: the same counts, hence bit-equal coverage,
/// density and mass, and bit-equal limits (the quantiles are the same operations on the
/// same doubles).
#[test]
fn the_trajectory_is_emas_step_for_step() {
    let (names, found) = ours();
    let ema = ema();
    let steps = ema["trajectory"].as_array().unwrap();
    assert_eq!(found.trajectory.len(), steps.len());
    for (i, (step, theirs)) in found.trajectory.iter().zip(steps).enumerate() {
        let counts = (step.rows, step.cases, step.restricted);
        let expected = (
            theirs["n"].as_u64().unwrap() as usize,
            theirs["k"].as_u64().unwrap() as usize,
            theirs["restricted"].as_u64().unwrap() as usize,
        );
        assert_eq!(counts, expected, "step {i}");
        assert_eq!(step.coverage, number(&theirs["coverage"]), "step {i}");
        assert_eq!(step.density, number(&theirs["density"]), "step {i}");
        assert_eq!(step.mass, number(&theirs["mass"]), "step {i}");
        for (name, &limits) in names.iter().zip(&step.limits) {
            assert_eq!(limits, pair(&theirs["limits"][name]), "step {i} {name}");
        }
    }
    // a peel shrinks EMA's box and a paste grows it; this trajectory has both
    for (before, step) in found.trajectory.iter().zip(&found.trajectory[1..]) {
        let made_by = if step.rows < before.rows {
            Move::Peel
        } else {
            Move::Paste
        };
        assert_eq!(step.made_by, made_by);
    }
    let moves: Vec<Move> = found.trajectory.iter().map(|s| s.made_by).collect();
    assert!(moves.contains(&Move::Peel) && moves.contains(&Move::Paste));
}

/// The box EMA's `find_box()` leaves selected: its step, limits, statistics and
/// quasi-p-values (scipy's binomial test, Boost's incomplete beta function, against our
/// sum of terms: they agree to about 1e-14 relative, down to 1e-59, so 1e-12 is checked).
#[test]
fn the_chosen_box_is_emas() {
    let (_, found) = ours();
    let chosen = &ema()["chosen"];
    assert_eq!(found.chosen, chosen["step"].as_u64().unwrap() as usize);
    assert!(found.meets_threshold);
    assert_eq!(found.coverage, number(&chosen["coverage"]));
    assert_eq!(found.density, number(&chosen["density"]));
    assert_eq!(found.mass, number(&chosen["mass"]));
    let theirs = chosen["limits"].as_object().unwrap();
    let names: Vec<&str> = found.limits.iter().map(|l| l.name.as_str()).collect();
    let their_names: Vec<&str> = theirs.keys().map(String::as_str).collect();
    assert_eq!(names, their_names);
    for limits in &found.limits {
        assert_eq!((limits.lower, limits.upper), pair(&theirs[&limits.name]));
        let quasi_p = &chosen["quasi_p"][&limits.name];
        for (ours, theirs) in [
            (limits.quasi_p_lower, number(&quasi_p[0])),
            (limits.quasi_p_upper, number(&quasi_p[1])),
        ] {
            match ours {
                // EMA writes -1 for an end that is not restricted
                None => assert_eq!(theirs, -1.0, "{}", limits.name),
                Some(p) => assert!(
                    (p - theirs).abs() <= 1e-12 * theirs,
                    "{}: {p} vs {theirs}",
                    limits.name
                ),
            }
        }
    }
}

/// The planted box is found: x1 and x2 are the only significant restrictions (quasi-p at
/// most 0.05, EMA's `is_significant`), within 0.05 of the planted limits. Like EMA, PRIM
/// also trims a noise column a little (x5 above 0.98 on this data, quasi-p 0.47); such a
/// restriction is insignificant and keeps nearly all of the column's range.
#[test]
fn the_planted_box_is_recovered() {
    let (_, found) = ours();
    let planted = ema()["data"]["planted_box"].clone();
    let significant: Vec<&str> = found
        .limits
        .iter()
        .filter(|l| l.is_significant(0.05))
        .map(|l| l.name.as_str())
        .collect();
    let planted_names: Vec<&str> = planted
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(significant, planted_names);
    for limits in &found.limits {
        if let Some(box_limits) = planted.get(&limits.name) {
            let (lower, upper) = pair(box_limits);
            assert!((limits.lower - lower).abs() <= 0.05, "{limits:?}");
            assert!((limits.upper - upper).abs() <= 0.05, "{limits:?}");
        } else {
            let initial = found.trajectory[0].limits[limits.column];
            let kept = (limits.upper - limits.lower) / (initial.1 - initial.0);
            assert!(kept >= 0.95, "{limits:?} keeps {kept} of its range");
        }
    }
    // the box holds most of the cases and is dense
    assert!(found.density >= 0.8 && found.coverage >= 0.5);
}

/// The answer does not depend on the order of the rows.
#[test]
fn the_row_order_does_not_matter() {
    let (names, mut columns, mut of_interest) = planted();
    let (_, found) = ours();
    for column in &mut columns {
        column.reverse();
    }
    of_interest.reverse();
    let reversed = find_box(&names, &columns, &of_interest, &PrimOptions::default()).unwrap();
    assert_eq!(reversed, found);
}
