//! Statistics across runs: summaries of a per-run metric and daily quantile bands.
//!
//! Everything here is deterministic: samples are sorted with [`f64::total_cmp`] and sums run
//! serially in index order, so the same sample in the same order gives the same bits.
//!
//! Quantiles use linear interpolation between order statistics, the "type 7" definition of
//! Hyndman & Fan (1996) that is the default of numpy's `np.quantile` and of R's `quantile`:
//! for `n` sorted values `x[0] ≤ … ≤ x[n − 1]` and probability `p`, `h = (n − 1)·p`,
//! `k = floor(h)` and the quantile is `x[k] + (h − k)·(x[k + 1] − x[k])` (just `x[n − 1]` when
//! `k = n − 1`).

/// Probabilities of the quantiles in [`Summary`] and in each [`daily_bands`] entry, in order.
pub const BAND_PROBABILITIES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Probability of the quantile used as value at risk ([`Summary::var95`]).
pub const VAR_PROBABILITY: f64 = 0.95;

/// Summary statistics of one per-run metric across runs. Every value is in the metric's own
/// unit, except `n`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Number of values in the sample.
    pub n: usize,
    /// Arithmetic mean: `Σ x / n`.
    pub mean: f64,
    /// Standard error of the mean: the sample standard deviation (denominator `n − 1`)
    /// divided by `√n`, i.e. `√(Σ (x − mean)² / ((n − 1)·n))`; 0 for `n = 1`.
    pub std_error: f64,
    /// 5 % quantile (type 7, see the [module docs](self)).
    pub p05: f64,
    /// 25 % quantile (type 7).
    pub p25: f64,
    /// Median (type 7).
    pub p50: f64,
    /// 75 % quantile (type 7).
    pub p75: f64,
    /// 95 % quantile (type 7).
    pub p95: f64,
    /// Value at risk at 95 %: the 95 % quantile (type 7) of the sample read as losses
    /// (larger = worse). Equal to `p95`.
    pub var95: f64,
    /// Conditional value at risk at 95 % (expected shortfall of the worst 5 %): the mean of
    /// the sample values `x ≥ var95`. At least one value (the largest) always qualifies.
    /// For `n ≤ 21` the type-7 `var95` lies above the second-largest value, so this is the
    /// largest value (or the mean of the values tied with it); for `n = 1` it is that value.
    pub cvar95: f64,
}

/// Summary statistics of `sample` (a per-run metric, one value per run, in run order).
///
/// Returns `None` if the sample is empty or holds a value that is not finite (NaN or
/// infinite): such a value means a run went wrong upstream, and skipping it silently would
/// bias every statistic, so the caller must decide (e.g. filter out "not recovered" runs
/// first and report how many there were).
///
/// ```
/// use hinterland::metrics::stats::summarize;
///
/// let sample: Vec<f64> = (1..=10).map(f64::from).collect();
/// let summary = summarize(&sample).unwrap();
/// assert_eq!(summary.mean, 5.5);
/// assert!((summary.p95 - 9.55).abs() < 1e-12);
/// assert_eq!(summary.cvar95, 10.0);
/// ```
pub fn summarize(sample: &[f64]) -> Option<Summary> {
    if sample.is_empty() || sample.iter().any(|x| !x.is_finite()) {
        return None;
    }
    let n = sample.len();
    let count = n as f64;
    let mut sum = 0.0;
    for &x in sample {
        sum += x;
    }
    let mean = sum / count;
    let std_error = if n == 1 {
        0.0
    } else {
        let mut squares = 0.0;
        for &x in sample {
            squares += (x - mean) * (x - mean);
        }
        (squares / (count - 1.0)).sqrt() / count.sqrt()
    };
    let mut sorted = sample.to_vec();
    sorted.sort_by(f64::total_cmp);
    let [p05, p25, p50, p75, p95] = BAND_PROBABILITIES.map(|p| quantile(&sorted, p));
    let var95 = quantile(&sorted, VAR_PROBABILITY)?;
    let mut tail_sum = 0.0;
    let mut tail_count = 0usize;
    for &x in sorted.iter().rev().take_while(|&&x| x >= var95) {
        tail_sum += x;
        tail_count += 1;
    }
    Some(Summary {
        n,
        mean,
        std_error,
        p05: p05?,
        p25: p25?,
        p50: p50?,
        p75: p75?,
        p95: p95?,
        var95,
        cvar95: tail_sum / tail_count as f64,
    })
}

/// The `p` quantile (type 7, see the [module docs](self)) of `sorted`, which must be sorted
/// ascending (e.g. with [`f64::total_cmp`]).
///
/// Returns `None` if `sorted` is empty or `p` is not in `[0, 1]` (NaN included). On unsorted
/// input the result is some value between two of its elements, not a quantile. The
/// interpolation is written as numpy writes it (from the upper value when `h − k ≥ 0.5`), so
/// results agree with `np.quantile` to the bit on finite input, and the result never leaves
/// `[x[k], x[k + 1]]`.
pub fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let last = sorted.len() - 1;
    let h = last as f64 * p;
    // 0 ≤ h ≤ last, so the cast neither saturates nor leaves the slice.
    let lower_index = (h.floor() as usize).min(last);
    let upper_index = (lower_index + 1).min(last);
    let (lower, upper) = (sorted[lower_index], sorted[upper_index]);
    let weight = h - lower_index as f64;
    if weight == 0.0 || lower == upper {
        return Some(lower);
    }
    let difference = upper - lower;
    let interpolated = if weight >= 0.5 {
        upper - difference * (1.0 - weight)
    } else {
        lower + difference * weight
    };
    // Rounding must not carry the result outside its bracket (CVaR relies on x ≥ VaR for the
    // largest value); `max`/`min` rather than `clamp`, which panics on unsorted input.
    Some(interpolated.max(lower).min(upper))
}

/// Per-day quantile bands across runs: entry `t` holds the 5/25/50/75/95 % quantiles
/// ([`BAND_PROBABILITIES`], type 7) of `runs[k][t]` over the runs `k`.
///
/// All runs are expected to have the same length. If they do not, the bands cover the days
/// every run has (the length of the shortest run); no runs gives no days. A day on which any
/// run's value is NaN gets five NaNs, so a broken run shows instead of shifting the bands.
/// Infinite values are ordered like any other and may appear in the bands.
pub fn daily_bands(runs: &[&[f64]]) -> Vec<[f64; 5]> {
    let days = runs.iter().map(|run| run.len()).min().unwrap_or(0);
    let mut column = Vec::with_capacity(runs.len());
    let mut bands = Vec::with_capacity(days);
    for day in 0..days {
        column.clear();
        column.extend(runs.iter().map(|run| run[day]));
        if column.iter().any(|x| x.is_nan()) {
            bands.push([f64::NAN; 5]);
            continue;
        }
        column.sort_by(f64::total_cmp);
        // `column` is non-empty (days > 0 needs a run) and every p is in [0, 1].
        bands.push(BAND_PROBABILITIES.map(|p| quantile(&column, p).unwrap_or(f64::NAN)));
    }
    bands
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64) -> bool {
        (actual - expected).abs() <= 1e-12 * expected.abs().max(1.0)
    }

    #[test]
    fn quantiles_of_one_to_ten_match_numpy() {
        // np.quantile(np.arange(1, 11), [0.05, 0.25, 0.5, 0.75, 0.95])
        let sorted: Vec<f64> = (1..=10).map(f64::from).collect();
        let expected = [1.45, 3.25, 5.5, 7.75, 9.55];
        for (p, want) in BAND_PROBABILITIES.into_iter().zip(expected) {
            let got = quantile(&sorted, p).unwrap();
            assert!(close(got, want), "p = {p}: {got} != {want}");
        }
        // numpy prints these rounded; at full precision its `_lerp` (from the upper value when
        // the weight is ≥ 0.5) gives 9.549999999999999 for p = 0.95, and so does `quantile`.
        assert_eq!(quantile(&sorted, 0.95), Some(9.549999999999999));
        assert_eq!(quantile(&sorted, 0.0), Some(1.0));
        assert_eq!(quantile(&sorted, 1.0), Some(10.0));
    }

    #[test]
    fn quantile_rejects_bad_input() {
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(quantile(&[1.0], -0.1), None);
        assert_eq!(quantile(&[1.0], 1.1), None);
        assert_eq!(quantile(&[1.0], f64::NAN), None);
        assert_eq!(quantile(&[3.0], 0.7), Some(3.0));
        // Unsorted input: no panic, some value between two elements.
        let got = quantile(&[5.0, 1.0, 3.0], 0.25).unwrap();
        assert!((1.0..=5.0).contains(&got), "{got}");
    }

    #[test]
    fn summary_of_one_to_ten() {
        // Shuffled: the summary must not depend on the order.
        let sample = [7.0, 2.0, 10.0, 1.0, 5.0, 9.0, 3.0, 8.0, 4.0, 6.0];
        let s = summarize(&sample).unwrap();
        assert_eq!(s.n, 10);
        assert_eq!(s.mean, 5.5);
        // Σ (x − 5.5)² = 82.5; variance 82.5 / 9; standard error √(82.5 / 90).
        assert!(close(s.std_error, (82.5f64 / 90.0).sqrt()), "{s:?}");
        let quantiles = [s.p05, s.p25, s.p50, s.p75, s.p95];
        for (got, want) in quantiles.into_iter().zip([1.45, 3.25, 5.5, 7.75, 9.55]) {
            assert!(close(got, want), "{s:?}");
        }
        assert_eq!(s.var95, s.p95);
        assert_eq!(s.cvar95, 10.0);
    }

    #[test]
    fn standard_error_of_a_known_sample() {
        // Mean 5, Σ (x − 5)² = 9 + 1 + 1 + 1 + 0 + 0 + 4 + 16 = 32, sample variance 32 / 7,
        // standard error √(32 / 7) / √8 = √(4 / 7).
        let s = summarize(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]).unwrap();
        assert_eq!(s.mean, 5.0);
        assert!(close(s.std_error, (4.0f64 / 7.0).sqrt()), "{s:?}");
    }

    #[test]
    fn var_and_cvar_of_twenty_losses() {
        // Losses 1..=18 plus 30 and 50. h = 19 × 0.95 = 18.05 → between x[18] = 30 and
        // x[19] = 50: VaR = 30 + 0.05 × 20 = 31; only 50 is ≥ 31, so CVaR = 50.
        let mut sample: Vec<f64> = (1..=18).map(f64::from).collect();
        sample.extend([50.0, 30.0]);
        let s = summarize(&sample).unwrap();
        assert_eq!(s.n, 20);
        assert!(close(s.var95, 31.0), "{s:?}");
        assert_eq!(s.cvar95, 50.0);
        // Mean (171 + 80) / 20; p05: h = 0.95 → 1 + 0.95 × 1 = 1.95.
        assert!(close(s.mean, 251.0 / 20.0), "{s:?}");
        assert!(close(s.p05, 1.95), "{s:?}");
        // p50: h = 9.5 → (10 + 11) / 2.
        assert!(close(s.p50, 10.5), "{s:?}");
    }

    #[test]
    fn cvar_averages_ties_at_var() {
        // Sixteen 1s and four 40s: VaR = x[18] = x[19] = 40; all four 40s are ≥ VaR.
        let mut sample = vec![1.0; 16];
        sample.extend([40.0; 4]);
        let s = summarize(&sample).unwrap();
        assert_eq!((s.var95, s.cvar95), (40.0, 40.0));
        // h = 0.95 × 39 = 37.05 on 1..=40: VaR 38.05, CVaR = (39 + 40) / 2.
        let forty: Vec<f64> = (1..=40).map(f64::from).collect();
        let s = summarize(&forty).unwrap();
        assert!(close(s.var95, 38.05), "{s:?}");
        assert_eq!(s.cvar95, 39.5);
    }

    #[test]
    fn single_value() {
        let s = summarize(&[4.25]).unwrap();
        let expected = Summary {
            n: 1,
            mean: 4.25,
            std_error: 0.0,
            p05: 4.25,
            p25: 4.25,
            p50: 4.25,
            p75: 4.25,
            p95: 4.25,
            var95: 4.25,
            cvar95: 4.25,
        };
        assert_eq!(s, expected);
    }

    #[test]
    fn empty_or_non_finite_samples_give_none() {
        assert_eq!(summarize(&[]), None);
        assert_eq!(summarize(&[1.0, f64::NAN, 3.0]), None);
        assert_eq!(summarize(&[1.0, -f64::NAN]), None);
        assert_eq!(summarize(&[1.0, f64::INFINITY]), None);
    }

    #[test]
    fn daily_bands_of_three_runs() {
        let a = [1.0, 0.9, 0.5, 1.0];
        let b = [1.0, 0.7, 0.8, 1.0];
        let c = [1.0, 0.8, 0.2, 0.9];
        let bands = daily_bands(&[&a, &b, &c]);
        assert_eq!(bands.len(), 4);
        // Three runs: h = 2p, so the quantiles are x0 + 2p (x1 − x0) below the median and
        // x1 + (2p − 1)(x2 − x1) above it.
        let expected = [
            [1.0, 1.0, 1.0, 1.0, 1.0],
            // sorted 0.7, 0.8, 0.9
            [0.71, 0.75, 0.8, 0.85, 0.89],
            // sorted 0.2, 0.5, 0.8
            [0.23, 0.35, 0.5, 0.65, 0.77],
            // sorted 0.9, 1.0, 1.0
            [0.91, 0.95, 1.0, 1.0, 1.0],
        ];
        for (day, (got, want)) in bands.iter().zip(expected).enumerate() {
            for (g, w) in got.iter().zip(want) {
                assert!(close(*g, w), "day {day}: {got:?} != {want:?}");
            }
        }
    }

    #[test]
    fn daily_bands_edge_cases() {
        assert!(daily_bands(&[]).is_empty());
        let empty: &[f64] = &[];
        assert!(daily_bands(&[empty, &[1.0]]).is_empty());
        // Unequal lengths: the shortest run decides.
        let bands = daily_bands(&[&[1.0, 2.0, 3.0], &[3.0, 4.0]]);
        assert_eq!(bands.len(), 2);
        assert!(close(bands[0][2], 2.0), "{bands:?}");
        // A NaN anywhere on a day blanks that day only.
        let bands = daily_bands(&[&[1.0, f64::NAN], &[2.0, 3.0]]);
        assert!(close(bands[0][0], 1.05), "{bands:?}");
        assert!(bands[1].iter().all(|x| x.is_nan()), "{bands:?}");
        // One run: every band is the run itself.
        assert_eq!(daily_bands(&[&[0.5, 0.75]]), vec![[0.5; 5], [0.75; 5]]);
    }
}
