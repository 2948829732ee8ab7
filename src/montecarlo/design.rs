//! Designs on the unit cube: Latin hypercube, scrambled Sobol points and Saltelli's matrices.
//!
//! Every design is a function of its arguments only: the same `(n, dims, seed)` gives the same
//! points on every machine and thread count. A design is a list of rows, one per point, each
//! with one coordinate in `[0, 1)` per dimension; mapping a coordinate to a parameter's range
//! is the caller's job.
//!
//! - [`latin_hypercube`]: one point in each of the `n` equal strata of every dimension, drawn
//!   from a `ChaCha8Rng`.
//! - [`sobol_points`]: an Owen-scrambled Sobol sequence (Joe–Kuo direction numbers, hashed
//!   nested scrambling after Burley 2020, from the `sobol_burley` crate), at most
//!   [`SOBOL_MAX_DIMS`] dimensions and [`SOBOL_MAX_POINTS`] points.
//! - [`saltelli`] and [`saltelli_from_base`]: the rows whose outputs give Sobol first- and
//!   total-order indices (`crate::explore::sensitivity`), in SALib's order.
//!
//! See `docs/sensitivity.md`.

use rand::rngs::ChaCha8Rng;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};

use crate::seeding::stream_seed;

/// The most dimensions [`sobol_points`] draws: the Joe–Kuo direction numbers that
/// `sobol_burley` carries.
pub const SOBOL_MAX_DIMS: usize = sobol_burley::NUM_DIMENSIONS as usize;

/// The most points [`sobol_points`] draws: `sobol_burley` scrambles 16-bit sample indices.
pub const SOBOL_MAX_POINTS: usize = 1 << 16;

/// The most parameters [`saltelli`] takes: its base sample has two columns per parameter.
pub const SALTELLI_MAX_DIMS: usize = SOBOL_MAX_DIMS / 2;

/// A Latin hypercube of `n` points in `[0, 1)^dims`.
///
/// In every dimension, each stratum `[k/n, (k+1)/n)` holds exactly one point, at a uniform
/// random position within it; the strata are matched across dimensions by independent random
/// permutations. Dimension by dimension, the generator (`ChaCha8Rng` seeded with `seed`)
/// shuffles the strata, then draws the position of each row's point in its stratum.
///
/// ```
/// use hinterland::montecarlo::design::latin_hypercube;
/// let points = latin_hypercube(4, 2, 7);
/// let mut strata: Vec<usize> = points.iter().map(|row| (row[0] * 4.0) as usize).collect();
/// strata.sort();
/// assert_eq!(strata, [0, 1, 2, 3]);
/// ```
pub fn latin_hypercube(n: usize, dims: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut rows = vec![Vec::with_capacity(dims); n];
    let mut strata: Vec<usize> = (0..n).collect();
    for _ in 0..dims {
        // A uniform shuffle of any permutation is a uniform permutation: no need to reset.
        strata.shuffle(&mut rng);
        for (row, &stratum) in rows.iter_mut().zip(&strata) {
            row.push(point_in_stratum(stratum, n, rng.random::<f64>()));
        }
    }
    rows
}

/// The point `offset` (in `[0, 1)`) of the way through stratum `stratum` of `strata`.
///
/// `(stratum + offset) / strata` can round up to the stratum's upper edge (for `stratum ≥ 1`
/// and `offset` just below one it always does), which belongs to the next stratum: such a point
/// is moved to the largest number below the edge.
fn point_in_stratum(stratum: usize, strata: usize, offset: f64) -> f64 {
    let upper_edge = (stratum + 1) as f64 / strata as f64;
    let point = (stratum as f64 + offset) / strata as f64;
    if point < upper_edge {
        point
    } else {
        upper_edge.next_down()
    }
}

/// The first `n` points of an Owen-scrambled Sobol sequence in `[0, 1)^dims`, scrambled by
/// `seed`.
///
/// For `n` a power of two the points form a digital net: in particular each dimension has
/// exactly one point in each stratum `[k/n, (k+1)/n)`, and the first two dimensions together
/// have exactly one point in each dyadic box of area `1/n`. Coordinates come from
/// `sobol_burley` as `f32` (23 bits), so they are multiples of `2^-23`.
///
/// Distinct seeds give independent scrambles; a `u64` seed is hashed to the `u32` that
/// `sobol_burley` takes, so two seeds in about four billion share a scramble.
///
/// # Errors
///
/// If `dims` exceeds [`SOBOL_MAX_DIMS`] or `n` exceeds [`SOBOL_MAX_POINTS`].
///
/// ```
/// use hinterland::montecarlo::design::sobol_points;
/// let points = sobol_points(8, 3, 1)?;
/// let mut strata: Vec<usize> = points.iter().map(|row| (row[2] * 8.0) as usize).collect();
/// strata.sort();
/// assert_eq!(strata, [0, 1, 2, 3, 4, 5, 6, 7]);
/// assert!(sobol_points(8, 257, 1).is_err());
/// # Ok::<(), String>(())
/// ```
pub fn sobol_points(n: usize, dims: usize, seed: u64) -> Result<Vec<Vec<f64>>, String> {
    if dims > SOBOL_MAX_DIMS {
        return Err(format!(
            "a Sobol design has at most {SOBOL_MAX_DIMS} dimensions, not {dims}"
        ));
    }
    if n > SOBOL_MAX_POINTS {
        return Err(format!(
            "a Sobol design has at most {SOBOL_MAX_POINTS} points, not {n}"
        ));
    }
    let scramble = sobol_scramble(seed);
    // Both casts are exact: n ≤ 2^16 and dims ≤ 256 were checked above.
    let points = (0..n as u32)
        .map(|index| {
            (0..dims as u32)
                .map(|dim| f64::from(sobol_burley::sample(index, dim, scramble)))
                .collect()
        })
        .collect();
    Ok(points)
}

/// The `u32` scramble seed of `sobol_burley` for a `u64` seed: mixed first, so that seeds
/// differing only in their high bits still get different scrambles.
fn sobol_scramble(seed: u64) -> u32 {
    let mixed = stream_seed(seed, &[]);
    // Folding the halves keeps every bit of the mix; the truncation is the point.
    (mixed ^ (mixed >> 32)) as u32
}

/// Saltelli's design for first- and total-order Sobol indices of `dims` parameters, from `n`
/// base rows: `n (dims + 2)` rows in `[0, 1)^dims`.
///
/// The base is `sobol_points(n, 2 dims, seed)`: its first `dims` columns are matrix A, the
/// others matrix B. The rows are laid out as [`saltelli_from_base`] says, in SALib's order
/// (`SALib.sample.sobol.sample(problem, n, calc_second_order=False)`). Sobol indices converge
/// best for `n` a power of two.
///
/// # Errors
///
/// If `dims` is zero or exceeds [`SALTELLI_MAX_DIMS`], or `n` exceeds [`SOBOL_MAX_POINTS`].
///
/// ```
/// use hinterland::montecarlo::design::saltelli;
/// let rows = saltelli(16, 3, 1)?;
/// assert_eq!(rows.len(), 16 * (3 + 2));
/// # Ok::<(), String>(())
/// ```
pub fn saltelli(n: usize, dims: usize, seed: u64) -> Result<Vec<Vec<f64>>, String> {
    if dims == 0 {
        return Err("Saltelli's design needs at least one parameter".to_string());
    }
    if dims > SALTELLI_MAX_DIMS {
        return Err(format!(
            "Saltelli's design takes at most {SALTELLI_MAX_DIMS} parameters (two Sobol \
             dimensions each), not {dims}"
        ));
    }
    let base = sobol_points(n, 2 * dims, seed)?;
    Ok(saltelli_from_base(&base, dims))
}

/// Saltelli's rows from a given base sample: each base row holds a row `A_i` of matrix A (its
/// first `dims` values) and a row `B_i` of matrix B (the next `dims`).
///
/// For each base row `i` in turn the design has `dims + 2` rows: `A_i`, then
/// `AB_i^1 … AB_i^dims`, then `B_i`, where `AB_i^j` is `A_i` with its coordinate `j` taken
/// from `B_i`. This is SALib's order for `calc_second_order=False`, so a base drawn by SALib
/// gives SALib's sample.
///
/// # Panics
///
/// If a base row does not have exactly `2 dims` values.
///
/// ```
/// use hinterland::montecarlo::design::saltelli_from_base;
/// let rows = saltelli_from_base(&[vec![0.1, 0.2, 0.7, 0.8]], 2);
/// assert_eq!(rows, [[0.1, 0.2], [0.7, 0.2], [0.1, 0.8], [0.7, 0.8]]);
/// ```
pub fn saltelli_from_base(base: &[Vec<f64>], dims: usize) -> Vec<Vec<f64>> {
    let mut rows = Vec::with_capacity(base.len() * (dims + 2));
    for (index, base_row) in base.iter().enumerate() {
        assert_eq!(
            base_row.len(),
            2 * dims,
            "base row {index} has {} values; Saltelli's design of {dims} parameters needs {}",
            base_row.len(),
            2 * dims
        );
        let (a, b) = base_row.split_at(dims);
        rows.push(a.to_vec());
        for column in 0..dims {
            let mut crossed = a.to_vec();
            crossed[column] = b[column];
            rows.push(crossed);
        }
        rows.push(b.to_vec());
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether every dimension of `points` has exactly one point in each of the `n` strata
    /// `[k/n, (k+1)/n)` (edges computed as `k as f64 / n as f64`).
    fn one_point_per_stratum(points: &[Vec<f64>], dims: usize) -> bool {
        let n = points.len();
        (0..dims).all(|dim| {
            let mut filled = vec![false; n];
            let edge = |k: usize| k as f64 / n as f64;
            for row in points {
                let x = row[dim];
                if !(0.0..1.0).contains(&x) {
                    return false;
                }
                // x * n is a guess within one of the stratum; the edges decide.
                let mut stratum = ((x * n as f64) as usize).min(n - 1);
                while stratum > 0 && x < edge(stratum) {
                    stratum -= 1;
                }
                while stratum + 1 < n && x >= edge(stratum + 1) {
                    stratum += 1;
                }
                if std::mem::replace(&mut filled[stratum], true) {
                    return false;
                }
            }
            filled.iter().all(|&f| f)
        })
    }

    #[test]
    fn latin_hypercube_has_one_point_per_stratum_in_every_dimension() {
        for n in [1, 2, 7, 100, 1000] {
            let points = latin_hypercube(n, 5, 11);
            assert_eq!(points.len(), n);
            assert!(points.iter().all(|row| row.len() == 5));
            assert!(one_point_per_stratum(&points, 5), "n = {n}");
        }
    }

    #[test]
    fn the_stratum_check_rejects_a_design_with_two_points_in_one_stratum() {
        let mut points = latin_hypercube(10, 2, 3);
        points[0][1] = points[1][1];
        assert!(!one_point_per_stratum(&points, 2));
    }

    #[test]
    fn a_point_at_the_top_of_its_stratum_stays_below_the_next() {
        let top_offset = 1.0f64.next_down();
        let mut rounded_up = 0;
        for strata in 1..200 {
            for stratum in 0..strata {
                let lower_edge = stratum as f64 / strata as f64;
                let upper_edge = (stratum + 1) as f64 / strata as f64;
                if (stratum as f64 + top_offset) / strata as f64 >= upper_edge {
                    rounded_up += 1;
                }
                let point = point_in_stratum(stratum, strata, top_offset);
                assert!(
                    lower_edge <= point && point < upper_edge,
                    "{stratum}/{strata}"
                );
                assert_eq!(point_in_stratum(stratum, strata, 0.0), lower_edge);
            }
        }
        // The guard is needed: without it many of these points would leave their stratum.
        assert!(rounded_up > 1000, "{rounded_up}");
    }

    #[test]
    fn latin_hypercube_is_a_function_of_its_seed() {
        assert_eq!(latin_hypercube(50, 3, 5), latin_hypercube(50, 3, 5));
        let (one, other) = (latin_hypercube(50, 3, 5), latin_hypercube(50, 3, 6));
        for dim in 0..3 {
            assert!(
                (0..50).any(|row| one[row][dim] != other[row][dim]),
                "dim {dim}"
            );
        }
        // Strata are permuted independently per dimension, not shared.
        let points = latin_hypercube(50, 2, 5);
        assert!(
            points
                .iter()
                .any(|row| (row[0] * 50.0) as usize != (row[1] * 50.0) as usize)
        );
    }

    #[test]
    fn sobol_points_lie_in_the_unit_cube() {
        let points = sobol_points(1000, 17, 3).unwrap();
        assert_eq!(points.len(), 1000);
        for row in &points {
            assert_eq!(row.len(), 17);
            assert!(row.iter().all(|x| (0.0..1.0).contains(x)));
        }
        assert!(sobol_points(0, 4, 3).unwrap().is_empty());
    }

    #[test]
    fn sobol_projections_have_one_point_per_stratum_for_powers_of_two() {
        for n in [1, 2, 16, 1024] {
            for seed in [0, 99] {
                let points = sobol_points(n, SOBOL_MAX_DIMS, seed).unwrap();
                assert!(one_point_per_stratum(&points, SOBOL_MAX_DIMS), "n = {n}");
            }
        }
    }

    #[test]
    fn sobol_first_two_dimensions_fill_every_dyadic_box_once() {
        let n = 256;
        let points = sobol_points(n, 2, 17).unwrap();
        for rows_log2 in 0..=8 {
            let (rows, columns) = (1usize << rows_log2, n >> rows_log2);
            let mut count = vec![0; n];
            for point in &points {
                let row = (point[0] * rows as f64) as usize;
                let column = (point[1] * columns as f64) as usize;
                count[row * columns + column] += 1;
            }
            assert!(count.iter().all(|&c| c == 1), "{rows} x {columns} boxes");
        }
    }

    #[test]
    fn sobol_points_are_a_function_of_their_seed() {
        assert_eq!(
            sobol_points(64, 5, 8).unwrap(),
            sobol_points(64, 5, 8).unwrap()
        );
        let (one, other) = (
            sobol_points(64, 5, 8).unwrap(),
            sobol_points(64, 5, 9).unwrap(),
        );
        for dim in 0..5 {
            assert!(
                (0..64).any(|row| one[row][dim] != other[row][dim]),
                "dim {dim}"
            );
        }
        // Seeds differing only in their high half still scramble differently.
        assert_ne!(
            sobol_points(8, 2, 1).unwrap(),
            sobol_points(8, 2, 1 | 1 << 40).unwrap()
        );
        // The first points are a prefix of the longer sequence.
        assert_eq!(sobol_points(32, 5, 8).unwrap(), one[..32]);
    }

    #[test]
    fn sobol_points_refuse_what_the_direction_numbers_cannot_give() {
        assert!(sobol_points(4, SOBOL_MAX_DIMS, 0).is_ok());
        let too_many_dims = sobol_points(4, SOBOL_MAX_DIMS + 1, 0).unwrap_err();
        assert!(too_many_dims.contains("257"), "{too_many_dims}");
        assert!(sobol_points(SOBOL_MAX_POINTS, 1, 0).is_ok());
        let too_many_points = sobol_points(SOBOL_MAX_POINTS + 1, 1, 0).unwrap_err();
        assert!(too_many_points.contains("65537"), "{too_many_points}");
    }

    #[test]
    fn saltelli_rows_cross_one_column_of_b_into_a() {
        let (n, dims) = (64, 4);
        let base = sobol_points(n, 2 * dims, 21).unwrap();
        let rows = saltelli(n, dims, 21).unwrap();
        assert_eq!(rows.len(), n * (dims + 2));
        for (block, base_row) in rows.chunks(dims + 2).zip(&base) {
            let (a, b) = base_row.split_at(dims);
            assert_eq!(block[0], a);
            assert_eq!(block[dims + 1], b);
            for column in 0..dims {
                let crossed = &block[1 + column];
                for k in 0..dims {
                    assert_eq!(crossed[k], if k == column { b[k] } else { a[k] });
                }
            }
        }
    }

    #[test]
    fn saltelli_refuses_no_parameters_and_too_many() {
        assert!(saltelli(8, 0, 1).is_err());
        assert!(saltelli(8, SALTELLI_MAX_DIMS, 1).is_ok());
        assert!(saltelli(8, SALTELLI_MAX_DIMS + 1, 1).is_err());
        assert!(saltelli(SOBOL_MAX_POINTS + 1, 2, 1).is_err());
    }

    #[test]
    #[should_panic(expected = "base row 1 has 3 values")]
    fn saltelli_from_base_rejects_a_short_base_row() {
        saltelli_from_base(&[vec![0.1, 0.2, 0.3, 0.4], vec![0.1, 0.2, 0.3]], 2);
    }

    fn read_csv(name: &str) -> Vec<Vec<f64>> {
        let path = format!("{}/tests/fixtures/sobol/{name}", env!("CARGO_MANIFEST_DIR"));
        let mut reader = csv::Reader::from_path(&path).unwrap();
        reader
            .records()
            .map(|record| record.unwrap().iter().map(|v| v.parse().unwrap()).collect())
            .collect()
    }

    #[test]
    fn salibs_base_gives_salibs_sample() {
        let base = read_csv("ishigami-salib-base.csv");
        let sample = read_csv("ishigami-salib.csv");
        let rows = saltelli_from_base(&base, 3);
        assert_eq!(rows.len(), sample.len());
        let (lower, upper) = (-std::f64::consts::PI, std::f64::consts::PI);
        for (row, salib_row) in rows.iter().zip(&sample) {
            // SALib's scale_samples: x * (upper - lower) + lower, each step rounded.
            let scaled: Vec<f64> = row.iter().map(|x| x * (upper - lower) + lower).collect();
            assert_eq!(scaled, salib_row[..3]);
        }
    }
}
