//! Small cases whose answer is worked out by hand, and the errors.

use super::*;

fn names(count: usize) -> Vec<String> {
    (1..=count).map(|i| format!("x{i}")).collect()
}

/// 20 rows with x = 0, 1, ..., 19. With 20 rows or fewer, (rows - 1) * 0.05 < 1, so a peel
/// cuts halfway between the two lowest (or highest) values in the box and removes one row.
fn ramp() -> Vec<f64> {
    (0..20).map(f64::from).collect()
}

/// Cases are x >= 10: every lower peel raises the density and every upper one lowers it,
/// until the ten cases are alone; then no peel changes the density and peeling stops.
#[test]
fn a_one_dimensional_box_is_peeled_down_to_its_cases() {
    let x = ramp();
    let of_interest: Vec<bool> = x.iter().map(|&v| v >= 10.0).collect();
    let found = find_box(&names(1), &[x], &of_interest, &PrimOptions::default()).unwrap();

    // the start and ten lower peels; the only paste that adds a row adds a non-case
    assert_eq!(found.trajectory.len(), 11);
    assert_eq!(found.trajectory[0].made_by, Move::Start);
    for (peels, step) in found.trajectory.iter().enumerate().skip(1) {
        assert_eq!(step.made_by, Move::Peel);
        assert_eq!(
            (step.rows, step.cases, step.restricted),
            (20 - peels, 10, 1)
        );
        assert_eq!(step.limits, vec![(peels as f64 - 0.5, 19.0)]);
    }
    assert!(found.meets_threshold);
    assert_eq!(found.chosen, 10);
    assert_eq!((found.coverage, found.density, found.mass), (1.0, 1.0, 0.5));
    let limits = &found.limits;
    assert_eq!(limits.len(), 1);
    assert_eq!(
        (limits[0].column, limits[0].lower, limits[0].upper),
        (0, 9.5, 19.0)
    );
    // without the lower limit the density is 1/2: P(10 of 10 | 1/2) = 2^-10
    let quasi_p = limits[0].quasi_p_lower.unwrap();
    assert!((quasi_p - 0.5f64.powi(10)).abs() < 1e-15, "{quasi_p}");
    assert_eq!(limits[0].quasi_p_upper, None);
    assert!(limits[0].is_significant(0.05));
}

/// One case, x = 19. Lower peels raise the density, but `mass_min` 0.25 stops them at five
/// rows (14..=19, density 1/5): the next would leave 4 of 20 rows.
#[test]
fn mass_min_stops_the_peeling() {
    let x = ramp();
    let of_interest: Vec<bool> = x.iter().map(|&v| v == 19.0).collect();
    let options = PrimOptions {
        mass_min: 0.25,
        threshold: 0.2,
        ..PrimOptions::default()
    };
    let found = find_box(&names(1), &[x], &of_interest, &options).unwrap();
    let last = found.trajectory.last().unwrap();
    assert_eq!(found.trajectory.len(), 16);
    assert_eq!(
        (last.rows, last.cases, last.limits[0]),
        (5, 1, (14.5, 19.0))
    );
    assert_eq!((found.mass, found.density), (0.25, 0.2));
    assert!(found.meets_threshold);
}

/// Cases are the even x: density 1/2. Cutting x = 19 (a non-case) raises it to 10/19;
/// then either cut removes a case and lowers it. 10/19 is below the threshold, so the
/// chosen box is the start box, restricted nowhere (EMA's "dump box").
#[test]
fn a_box_below_the_threshold_is_not_chosen() {
    let x = ramp();
    let of_interest: Vec<bool> = x.iter().map(|&v| v % 2.0 == 0.0).collect();
    let found = find_box(&names(1), &[x], &of_interest, &PrimOptions::default()).unwrap();
    assert_eq!(found.trajectory.len(), 2);
    assert_eq!(found.trajectory[1].limits, vec![(0.0, 18.5)]);
    assert_eq!(found.trajectory[1].density, 10.0 / 19.0);
    assert!(!found.meets_threshold);
    assert_eq!(found.chosen, 0);
    assert!(found.limits.is_empty());
    assert_eq!((found.coverage, found.density, found.mass), (1.0, 0.5, 1.0));

    // with a threshold it reaches, the same box is chosen
    let options = PrimOptions {
        threshold: 0.5,
        ..PrimOptions::default()
    };
    let of_interest: Vec<bool> = ramp().iter().map(|&v| v % 2.0 == 0.0).collect();
    let found = find_box(&names(1), &[ramp()], &of_interest, &options).unwrap();
    assert_eq!((found.chosen, found.limits[0].upper), (1, 18.5));
}

/// Two identical columns make every peel of the second as good as the same peel of the
/// first: the first column wins the first tie, and then peeling it again leaves one column
/// more unrestricted than peeling the second, so the second is never touched.
#[test]
fn ties_go_to_the_first_column_and_to_fewer_restrictions() {
    let of_interest: Vec<bool> = ramp().iter().map(|&v| v >= 10.0).collect();
    let found = find_box(
        &names(2),
        &[ramp(), ramp()],
        &of_interest,
        &PrimOptions::default(),
    )
    .unwrap();
    assert_eq!(found.trajectory.len(), 11);
    assert!(found.trajectory[1..].iter().all(|s| s.restricted == 1));
    assert_eq!(found.limits.len(), 1);
    assert_eq!((found.limits[0].column, found.limits[0].lower), (0, 9.5));
    assert_eq!(found.limits[0].name, "x1");
}

/// Cases are 5..=14, in the middle: cutting 0 or 19 is equally good, and EMA tries the
/// upper end first, so the upper non-cases go first, then the lower ones.
#[test]
fn ties_between_the_ends_of_a_column_go_to_the_upper_end() {
    let of_interest: Vec<bool> = ramp().iter().map(|&v| (5.0..=14.0).contains(&v)).collect();
    let found = find_box(&names(1), &[ramp()], &of_interest, &PrimOptions::default()).unwrap();
    let limits: Vec<(f64, f64)> = found.trajectory.iter().map(|s| s.limits[0]).collect();
    let upper_first: Vec<(f64, f64)> = (0..=5)
        .map(|cut| (0.0, if cut == 0 { 19.0 } else { 19.5 - cut as f64 }))
        .chain((1..=5).map(|cut| (cut as f64 - 0.5, 14.5)))
        .collect();
    assert_eq!(limits, upper_first);
}

#[test]
fn bad_input_is_an_error_naming_it() {
    let options = PrimOptions::default();
    let x = vec![0.0, 1.0, 2.0];
    let y = vec![false, true, true];
    let run = |names: &[String], columns: &[Vec<f64>], y: &[bool]| {
        find_box(names, columns, y, &options).unwrap_err()
    };
    assert_eq!(
        run(&names(1), &[vec![]], &[]),
        PrimError::Empty {
            rows: 0,
            columns: 1
        }
    );
    assert_eq!(
        run(&[], &[], &y),
        PrimError::Empty {
            rows: 3,
            columns: 0
        }
    );
    assert_eq!(
        run(&names(2), std::slice::from_ref(&x), &y),
        PrimError::NamesMismatch {
            names: 2,
            columns: 1
        }
    );
    assert_eq!(
        run(&names(2), &[x.clone(), vec![0.0, 1.0]], &y),
        PrimError::LengthMismatch {
            name: "x2".into(),
            length: 2,
            rows: 3
        }
    );
    let error = run(&names(1), &[vec![0.0, f64::NAN, 2.0]], &y);
    assert!(matches!(error, PrimError::NonFinite { ref name, row: 1, .. } if name == "x1"));
    let error = run(&names(1), &[vec![0.0, 1.0, f64::INFINITY]], &y);
    assert!(matches!(error, PrimError::NonFinite { row: 2, .. }));
    assert_eq!(
        run(&names(1), std::slice::from_ref(&x), &[false; 3]),
        PrimError::NoCaseOfInterest
    );
    assert_eq!(
        run(&names(1), std::slice::from_ref(&x), &[true; 3]),
        PrimError::OnlyCasesOfInterest
    );
    assert_eq!(
        error.to_string(),
        "column \"x1\" row 2: inf is not a finite number"
    );
}

#[test]
fn options_out_of_range_are_errors() {
    let x = vec![0.0, 1.0, 2.0];
    let y = vec![false, true, true];
    let bad = [
        (
            "peel_alpha",
            PrimOptions {
                peel_alpha: 0.0,
                ..PrimOptions::default()
            },
        ),
        (
            "paste_alpha",
            PrimOptions {
                paste_alpha: 1.0,
                ..PrimOptions::default()
            },
        ),
        (
            "mass_min",
            PrimOptions {
                mass_min: -0.1,
                ..PrimOptions::default()
            },
        ),
        (
            "threshold",
            PrimOptions {
                threshold: 0.0,
                ..PrimOptions::default()
            },
        ),
        (
            "threshold",
            PrimOptions {
                threshold: f64::NAN,
                ..PrimOptions::default()
            },
        ),
    ];
    for (option, options) in bad {
        match find_box(&names(1), std::slice::from_ref(&x), &y, &options) {
            Err(PrimError::Option { name, .. }) => assert_eq!(name, option),
            other => panic!("{option}: {other:?}"),
        }
    }
}
