//! Sobol first- and total-order indices from a Saltelli design.
//!
//! The outputs are those of the rows of [`crate::montecarlo::design::saltelli`], in its order:
//! for each base row `i`, the outputs of `A_i`, `AB_i^1 … AB_i^d`, `B_i`. The estimators are
//! SALib 1.5.1's (`SALib.analyze.sobol.analyze(..., calc_second_order=False)`): the outputs
//! are first standardised, `y = (Y - mean(Y)) / std(Y)` over all of them, then for parameter
//! `j`, with `V = var(A ∪ B)` (population variance of the `2N` outputs of A and B),
//!
//! - first order (Saltelli et al. 2010): `S_j = mean(B (AB^j - A)) / V`;
//! - total order (Jansen 1999): `ST_j = mean((A - AB^j)²) / (2 V)`.
//!
//! The point estimates equal SALib's to rounding (a test checks them on SALib's own outputs).
//! Confidence half-widths come from a bootstrap over base rows, as SALib's: every resample
//! draws `N` base rows with replacement (the same rows for every parameter), re-estimates
//! each index, and the half-width is `z_0.975 × std(estimates, ddof = 1)`. The resamples come
//! from a `ChaCha8Rng`, so they differ from SALib's numpy draws. All sums run serially in row
//! order. See `docs/sensitivity.md`.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// The standard normal's 0.975 quantile (`scipy.stats.norm.ppf(0.975)`): a bootstrap
/// standard deviation times this is the half-width of a 95% interval.
const NORMAL_QUANTILE_975: f64 = 1.959963984540054;

/// One parameter's Sobol indices with the half-widths of their 95% bootstrap intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Indices {
    /// First-order index: the share of the output's variance due to this parameter alone
    /// (SALib's `S1`).
    pub first: f64,
    /// Half-width of the 95% bootstrap interval of `first` (SALib's `S1_conf`).
    pub first_conf: f64,
    /// Total-order index: the share of the output's variance due to this parameter, alone or
    /// with others (SALib's `ST`).
    pub total: f64,
    /// Half-width of the 95% bootstrap interval of `total` (SALib's `ST_conf`).
    pub total_conf: f64,
}

/// Sobol first- and total-order indices of `dims` parameters, one [`Indices`] per parameter in
/// order, from `outputs` of a Saltelli design in its row order; `bootstrap` resamples drawn
/// from a `ChaCha8Rng` seeded with `seed` give the confidence half-widths.
///
/// # Errors
///
/// If `dims` is zero, `outputs` is empty or its length is not a multiple of `dims + 2`, an
/// output is not finite, the outputs (or those of A and B) do not vary, `bootstrap` is below
/// two, or a bootstrap resample draws outputs of A and B that do not vary.
///
/// ```
/// use hinterland::explore::sensitivity::sobol_indices;
/// use hinterland::montecarlo::design::saltelli;
///
/// // y = 2 x1 + x2 on the unit square: x1 has 4/5 of the variance, x2 1/5.
/// let rows = saltelli(1024, 2, 3)?;
/// let outputs: Vec<f64> = rows.iter().map(|x| 2.0 * x[0] + x[1]).collect();
/// let indices = sobol_indices(&outputs, 2, 100, 5)?;
/// assert!((indices[0].first - 0.8).abs() < 0.02 && (indices[1].total - 0.2).abs() < 0.02);
/// # Ok::<(), String>(())
/// ```
pub fn sobol_indices(
    outputs: &[f64],
    dims: usize,
    bootstrap: usize,
    seed: u64,
) -> Result<Vec<Indices>, String> {
    let design = SaltelliOutputs::split(outputs, dims)?;
    if bootstrap < 2 {
        return Err(format!(
            "a bootstrap needs at least 2 resamples for a standard deviation, not {bootstrap}"
        ));
    }
    let base_rows = design.a.len();
    let all_rows: Vec<usize> = (0..base_rows).collect();
    let variance = design.variance_of_a_and_b(&all_rows);
    if variance == 0.0 {
        return Err(
            "the outputs of matrices A and B do not vary: Sobol indices are undefined".into(),
        );
    }
    let estimates: Vec<(f64, f64)> = (0..dims)
        .map(|dim| design.estimate(dim, &all_rows, variance))
        .collect();

    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut first_resampled = vec![Vec::with_capacity(bootstrap); dims];
    let mut total_resampled = vec![Vec::with_capacity(bootstrap); dims];
    let mut rows = vec![0; base_rows];
    for resample in 0..bootstrap {
        for row in rows.iter_mut() {
            *row = rng.random_range(0..base_rows);
        }
        let variance = design.variance_of_a_and_b(&rows);
        if variance == 0.0 {
            return Err(format!(
                "bootstrap resample {resample} drew outputs of A and B that do not vary: \
                 more base rows are needed"
            ));
        }
        for dim in 0..dims {
            let (first, total) = design.estimate(dim, &rows, variance);
            first_resampled[dim].push(first);
            total_resampled[dim].push(total);
        }
    }

    Ok(estimates
        .iter()
        .zip(first_resampled.iter().zip(&total_resampled))
        .map(|(&(first, total), (firsts, totals))| Indices {
            first,
            first_conf: NORMAL_QUANTILE_975 * sample_std(firsts),
            total,
            total_conf: NORMAL_QUANTILE_975 * sample_std(totals),
        })
        .collect())
}

/// The standardised outputs of a Saltelli design, split by matrix.
struct SaltelliOutputs {
    /// Output of `A_i` for each base row `i`.
    a: Vec<f64>,
    /// Output of `B_i` for each base row `i`.
    b: Vec<f64>,
    /// `crossed[j][i]`: output of `AB_i^j`, row `A_i` with coordinate `j` from `B_i`.
    crossed: Vec<Vec<f64>>,
}

impl SaltelliOutputs {
    /// Checks `outputs` and splits them, standardised as SALib does (`(Y - mean) / std`).
    fn split(outputs: &[f64], dims: usize) -> Result<SaltelliOutputs, String> {
        if dims == 0 {
            return Err("Sobol indices need at least one parameter".into());
        }
        let rows_per_base_row = dims + 2;
        if outputs.is_empty() || !outputs.len().is_multiple_of(rows_per_base_row) {
            return Err(format!(
                "{} outputs do not fill a Saltelli design of {dims} parameters: it has \
                 {rows_per_base_row} rows per base row",
                outputs.len()
            ));
        }
        if let Some(row) = outputs.iter().position(|y| !y.is_finite()) {
            return Err(format!(
                "output {row} is {}, not a finite number",
                outputs[row]
            ));
        }
        let count = outputs.len() as f64;
        let mean = outputs.iter().sum::<f64>() / count;
        let deviation = (outputs.iter().map(|y| (y - mean).powi(2)).sum::<f64>() / count).sqrt();
        if deviation == 0.0 {
            return Err("the outputs do not vary: Sobol indices are undefined".into());
        }
        let standardised = |y: f64| (y - mean) / deviation;
        let blocks = || outputs.chunks_exact(rows_per_base_row);
        Ok(SaltelliOutputs {
            a: blocks().map(|block| standardised(block[0])).collect(),
            b: blocks()
                .map(|block| standardised(block[dims + 1]))
                .collect(),
            crossed: (0..dims)
                .map(|dim| blocks().map(|block| standardised(block[1 + dim])).collect())
                .collect(),
        })
    }

    /// numpy's `var(concat(A[rows], B[rows]))`: the population variance (ddof = 0), summed
    /// over A's rows then B's.
    fn variance_of_a_and_b(&self, rows: &[usize]) -> f64 {
        let values = || {
            rows.iter()
                .map(|&i| self.a[i])
                .chain(rows.iter().map(|&i| self.b[i]))
        };
        let count = 2.0 * rows.len() as f64;
        let mean = values().sum::<f64>() / count;
        values().map(|y| (y - mean).powi(2)).sum::<f64>() / count
    }

    /// The first-order (Saltelli et al. 2010) and total-order (Jansen 1999) estimates of
    /// parameter `dim` on base rows `rows`, with `variance` that of A and B on those rows.
    fn estimate(&self, dim: usize, rows: &[usize], variance: f64) -> (f64, f64) {
        let crossed = &self.crossed[dim];
        let count = rows.len() as f64;
        let mut first_sum = 0.0;
        let mut total_sum = 0.0;
        for &i in rows {
            first_sum += self.b[i] * (crossed[i] - self.a[i]);
            total_sum += (self.a[i] - crossed[i]).powi(2);
        }
        (
            first_sum / count / variance,
            0.5 * (total_sum / count) / variance,
        )
    }
}

/// The sample standard deviation (ddof = 1, numpy's `std(ddof=1)`) of at least two values.
fn sample_std(values: &[f64]) -> f64 {
    let count = values.len() as f64;
    let mean = values.iter().sum::<f64>() / count;
    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (count - 1.0)).sqrt()
}

#[cfg(test)]
mod tests {
    use std::f64::consts::PI;

    use super::*;
    use crate::montecarlo::design::saltelli;

    const ISHIGAMI_A: f64 = 7.0;
    const ISHIGAMI_B: f64 = 0.1;

    fn ishigami(x: &[f64]) -> f64 {
        x[0].sin() + ISHIGAMI_A * x[1].sin().powi(2) + ISHIGAMI_B * x[2].powi(4) * x[0].sin()
    }

    /// Ishigami's analytic first- and total-order indices for x uniform on `[-π, π]^3`
    /// (Sobol' & Levitan 1999; Saltelli et al., Global Sensitivity Analysis: The Primer, 2008):
    /// the partial variances are `V1 = (1 + b π⁴/5)² / 2`, `V2 = a²/8`, `V3 = 0` and
    /// `V13 = b² π⁸ (1/18 - 1/50)`, all others zero.
    fn ishigami_analytic() -> ([f64; 3], [f64; 3]) {
        let (a, b) = (ISHIGAMI_A, ISHIGAMI_B);
        let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
        let variance = v1 + v2 + v13;
        // The same total variance, written as the Primer writes it.
        let primer_variance = a * a / 8.0 + b * PI.powi(4) / 5.0 + b * b * PI.powi(8) / 18.0 + 0.5;
        assert!((variance - primer_variance).abs() < 1e-12 * variance);
        (
            [v1 / variance, v2 / variance, 0.0],
            [(v1 + v13) / variance, v2 / variance, v13 / variance],
        )
    }

    /// Outputs of Ishigami's function on `saltelli(base_rows, 3, seed)` mapped to `[-π, π]^3`.
    fn ishigami_outputs(base_rows: usize, seed: u64) -> Vec<f64> {
        let rows = saltelli(base_rows, 3, seed).unwrap();
        rows.iter()
            .map(|row| {
                let x: Vec<f64> = row.iter().map(|u| u * 2.0 * PI - PI).collect();
                ishigami(&x)
            })
            .collect()
    }

    fn fixture_path(name: &str) -> String {
        format!("{}/tests/fixtures/sobol/{name}", env!("CARGO_MANIFEST_DIR"))
    }

    /// SALib's outputs (column `y` of the fixture), in its sample's order.
    fn salib_outputs() -> Vec<f64> {
        let mut reader = csv::Reader::from_path(fixture_path("ishigami-salib.csv")).unwrap();
        let headers = reader.headers().unwrap().clone();
        let y = headers.iter().position(|h| h == "y").unwrap();
        reader
            .records()
            .map(|record| record.unwrap()[y].parse().unwrap())
            .collect()
    }

    fn salib_summary() -> serde_json::Value {
        let text = std::fs::read_to_string(fixture_path("ishigami-salib.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    fn numbers(value: &serde_json::Value) -> Vec<f64> {
        value
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect()
    }

    #[test]
    fn point_estimates_equal_salibs_on_salibs_outputs() {
        let summary = salib_summary();
        let outputs = salib_outputs();
        assert_eq!(outputs.len(), 1024 * 5);
        let bootstrap = summary["bootstrap"].as_u64().unwrap() as usize;
        let indices = sobol_indices(&outputs, 3, bootstrap, 1).unwrap();
        let (first, total) = (numbers(&summary["S1"]), numbers(&summary["ST"]));
        for (dim, ours) in indices.iter().enumerate() {
            assert!(
                (ours.first - first[dim]).abs() < 1e-10,
                "S1[{dim}] {ours:?}"
            );
            assert!(
                (ours.total - total[dim]).abs() < 1e-10,
                "ST[{dim}] {ours:?}"
            );
        }
    }

    #[test]
    fn bootstrap_half_widths_are_salibs_up_to_resampling_noise() {
        let summary = salib_summary();
        assert_eq!(NORMAL_QUANTILE_975, summary["z_975"].as_f64().unwrap());
        let bootstrap = summary["bootstrap"].as_u64().unwrap() as usize;
        let indices = sobol_indices(&salib_outputs(), 3, bootstrap, 1).unwrap();
        let (first_conf, total_conf) = (numbers(&summary["S1_conf"]), numbers(&summary["ST_conf"]));
        // With 1000 resamples each, the two half-widths differ by a few percent; a wrong
        // quantile, ddof or variance would put them far apart.
        for (dim, ours) in indices.iter().enumerate() {
            let first_ratio = ours.first_conf / first_conf[dim];
            let total_ratio = ours.total_conf / total_conf[dim];
            assert!(
                (0.85..1.15).contains(&first_ratio),
                "S1_conf[{dim}] {first_ratio}"
            );
            assert!(
                (0.85..1.15).contains(&total_ratio),
                "ST_conf[{dim}] {total_ratio}"
            );
        }
    }

    #[test]
    fn ishigami_indices_match_the_analytic_values() {
        let (first, total) = ishigami_analytic();
        // The formulas give the values published to four digits.
        let published = ([0.3139, 0.4424, 0.0], [0.5576, 0.4424, 0.2437]);
        for dim in 0..3 {
            assert!((first[dim] - published.0[dim]).abs() < 1e-4);
            assert!((total[dim] - published.1[dim]).abs() < 1e-4);
        }
        let indices = sobol_indices(&ishigami_outputs(8192, 31), 3, 100, 2).unwrap();
        for (dim, ours) in indices.iter().enumerate() {
            assert!((ours.first - first[dim]).abs() < 0.02, "S1[{dim}] {ours:?}");
            assert!((ours.total - total[dim]).abs() < 0.02, "ST[{dim}] {ours:?}");
        }
    }

    #[test]
    fn bootstrap_intervals_shrink_with_more_rows_and_cover_the_analytic_values() {
        let (first, total) = ishigami_analytic();
        let mut previous: Option<Vec<Indices>> = None;
        for base_rows in [256, 2048, 8192] {
            let indices = sobol_indices(&ishigami_outputs(base_rows, 41), 3, 200, 3).unwrap();
            for (dim, ours) in indices.iter().enumerate() {
                assert!(
                    (ours.first - first[dim]).abs() <= ours.first_conf,
                    "{base_rows}: {ours:?}"
                );
                assert!(
                    (ours.total - total[dim]).abs() <= ours.total_conf,
                    "{base_rows}: {ours:?}"
                );
                if let Some(coarser) = &previous {
                    assert!(
                        ours.first_conf < coarser[dim].first_conf,
                        "{base_rows}: {ours:?}"
                    );
                    assert!(
                        ours.total_conf < coarser[dim].total_conf,
                        "{base_rows}: {ours:?}"
                    );
                }
            }
            previous = Some(indices);
        }
    }

    #[test]
    fn the_bootstrap_is_a_function_of_its_seed_and_leaves_the_estimates_alone() {
        let outputs = ishigami_outputs(256, 5);
        let one = sobol_indices(&outputs, 3, 50, 8).unwrap();
        assert_eq!(one, sobol_indices(&outputs, 3, 50, 8).unwrap());
        let other = sobol_indices(&outputs, 3, 50, 9).unwrap();
        for (one, other) in one.iter().zip(&other) {
            assert_eq!((one.first, one.total), (other.first, other.total));
            assert_ne!(
                (one.first_conf, one.total_conf),
                (other.first_conf, other.total_conf)
            );
        }
    }

    #[test]
    fn bad_outputs_are_errors_naming_the_problem() {
        let error = |outputs: &[f64], dims, bootstrap| {
            sobol_indices(outputs, dims, bootstrap, 0).unwrap_err()
        };
        // All distinct, so that no resample of base rows draws outputs that do not vary.
        let varied: Vec<f64> = (0..40)
            .map(|k| ((k * 7) % 11) as f64 + 0.1 * k as f64)
            .collect();
        assert!(sobol_indices(&varied, 3, 10, 0).is_ok());
        assert!(error(&varied[..39], 3, 10).contains("39 outputs"));
        assert!(error(&[], 3, 10).contains("0 outputs"));
        assert!(error(&varied, 0, 10).contains("at least one parameter"));
        assert!(error(&[2.5; 10], 3, 10).contains("do not vary"));
        // A and B constant (rows 0, 4, 5, 9) while the crossed rows vary.
        let flat_a_and_b = [1.0, 2.0, 3.0, 4.0, 1.0, 1.0, 5.0, 6.0, 7.0, 1.0];
        assert!(error(&flat_a_and_b, 3, 10).contains("A and B do not vary"));
        let mut with_nan = varied.clone();
        with_nan[6] = f64::NAN;
        assert!(error(&with_nan, 3, 10).contains("output 6 is NaN"));
        let mut with_infinity = varied.clone();
        with_infinity[2] = f64::INFINITY;
        assert!(error(&with_infinity, 3, 10).contains("output 2 is inf"));
        assert!(error(&varied, 3, 1).contains("at least 2 resamples"));
    }

    #[test]
    fn a_resample_without_variation_is_an_error() {
        // Base row 0 has A = B = 0, base row 1 A = B = 1: half the resamples of 2 rows draw
        // one row twice, whose A and B do not vary.
        let outputs = [0.0, 3.0, 0.0, 1.0, 4.0, 1.0];
        let error = sobol_indices(&outputs, 1, 20, 0).unwrap_err();
        assert!(error.contains("bootstrap resample"), "{error}");
    }
}

/// The metrics whose Sobol indices a Saltelli sweep reports: its loss, then these.
pub const SWEEP_METRICS: [&str; 3] = ["va_loss_pct", "loss_avoided_money", "recovery_days_95"];

/// One metric's indices in a sweep: per parameter in the sweep's order, or why there are
/// none.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricIndices {
    /// The metric.
    pub metric: String,
    /// The indices, or why they cannot be computed (a point without a value, no variance…).
    pub indices: Result<Vec<Indices>, String>,
}

/// Sobol indices of a Saltelli sweep, for its loss metric and [`SWEEP_METRICS`]: each point's
/// output is the mean of the metric over its runs (the same crises at every point, so the
/// noise of the crises' other draws is averaged over `runs_per_point` alike everywhere).
/// `None` when the design is not Saltelli's.
pub fn of_sweep(
    results: &crate::montecarlo::SweepResults,
    bootstrap: usize,
    seed: u64,
) -> Option<Vec<MetricIndices>> {
    let sweep = &results.plan.sweep;
    if !matches!(sweep.design, crate::model::sweep::Design::Saltelli(_)) {
        return None;
    }
    let mut metrics = vec![sweep.loss.clone()];
    for metric in SWEEP_METRICS {
        if !metrics.iter().any(|m| m == metric) {
            metrics.push(metric.to_string());
        }
    }
    let dims = sweep.parameters.len();
    Some(
        metrics
            .into_iter()
            .map(|metric| {
                let outputs: Result<Vec<f64>, String> = results
                    .points
                    .iter()
                    .map(|point| {
                        let values: Vec<f64> =
                            point.runs.iter().filter_map(|v| v.get(&metric)).collect();
                        if values.len() < point.runs.len() || values.is_empty() {
                            return Err(format!(
                                "{} has runs without a value of {metric} (not recovered, or no reference): indices need one in every run",
                                point.name
                            ));
                        }
                        Ok(values.iter().sum::<f64>() / values.len() as f64)
                    })
                    .collect();
                let indices = outputs.and_then(|outputs| sobol_indices(&outputs, dims, bootstrap, seed));
                MetricIndices { metric, indices }
            })
            .collect(),
    )
}
