//! Metrics of one run, computed from its daily national value-added series.
//!
//! Every metric takes the series `values` (index = day `0..days`, money per day) and its
//! `baseline` (money per day, normally the day-0 value) and is a pure function of them. Sums
//! run serially in day order, so the results are reproducible to the bit.
//!
//! The field names of [`RunMetrics`] are stable: they become CSV column names.

/// Share of baseline value added a run must regain for [`RunMetrics::recovery_days_95`].
pub const RECOVERY_LEVEL_95: f64 = 0.95;

/// Share of baseline value added a run must regain for [`RunMetrics::recovery_days_99`].
pub const RECOVERY_LEVEL_99: f64 = 0.99;

/// Days in the year that turns a loss in baseline-days into a share of annual value added.
pub const DAYS_PER_YEAR: f64 = 365.0;

/// Days over which [`RunMetrics::tail_loss_days`] measures how fast the last gap closes.
pub const TAIL_WINDOW_DAYS: usize = 30;

/// Days after the run's end that [`RunMetrics::tail_loss_days`] extrapolates at most.
pub const TAIL_HORIZON_DAYS: i32 = 365;

/// The per-run metrics of a daily national value-added series.
///
/// Built by [`RunMetrics::from_series`]; the definitions below use `values[t]` for day `t`'s
/// value added and `baseline` for the baseline value added per day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunMetrics {
    /// Value-added loss in days of baseline value added:
    /// `Σ_t (baseline − values[t]) / baseline` over all days of the run.
    ///
    /// Days above baseline count as negative loss, so a run that ends above baseline can
    /// offset part of its loss, and a run that stays above baseline has a negative loss.
    pub va_loss_days: f64,
    /// Value-added loss in percent of *annual* baseline value added:
    /// `100 × Σ_t (baseline − values[t]) / (365 × baseline)`, i.e.
    /// `100 × va_loss_days / 365`. Gains count negative, as in `va_loss_days`.
    pub va_loss_pct: f64,
    /// Lowest value added as a ratio of baseline: `min_t values[t] / baseline`
    /// (1 = never below baseline; above 1 if the whole run is above baseline).
    pub trough: f64,
    /// First day on which `trough` is reached (day index, 0-based).
    pub trough_day: u32,
    /// Days from `trough_day` until value added is back to at least 95 % of baseline for
    /// good: the first day `t ≥ trough_day` with `values[t] ≥ 0.95 × baseline` such that
    /// every later day of the run is also `≥ 0.95 × baseline`, minus `trough_day`.
    ///
    /// A dip below the level after a first recovery restarts the count: only the final
    /// crossing counts. `None` = not recovered within the run (the last day is below the
    /// level). `Some(0)` if the series is never below the level.
    pub recovery_days_95: Option<u32>,
    /// As `recovery_days_95`, for 99 % of baseline (`values[t] ≥ 0.99 × baseline`).
    pub recovery_days_99: Option<u32>,
    /// Resilience-triangle area in baseline-days: `Σ_t max(0, 1 − values[t] / baseline)`.
    ///
    /// Counts losses only (days above baseline add nothing), so it equals `va_loss_days`
    /// (up to rounding) when the series never exceeds baseline, and exceeds it otherwise.
    pub triangle_area: f64,
    /// Share of baseline value added still missing on the last day:
    /// `max(0, 1 − values[last] / baseline)`.
    pub unrecovered_at_end: f64,
    /// Loss after the run's end, extrapolated, in days of baseline value added. With `g` the
    /// gap `1 − values[t] / baseline` on the last day and `ρ = (g_last / g_{last−30})^(1/30)`
    /// the daily rate at which it closed over the last 30 days, the gap is taken to keep
    /// closing at that rate for at most 365 more days: `Σ_{k=1}^{365} g · ρ^k`. A gap that did
    /// not close (`ρ ≥ 1`, or no gap 30 days before) is taken to stay: `365 · g`. 0 when the
    /// run ends at or above baseline. Not simulated: an estimate of what the horizon cuts off.
    pub tail_loss_days: f64,
}

impl RunMetrics {
    /// The metrics of the daily value-added series `values` (money per day, day 0 first)
    /// against `baseline` (money per day).
    ///
    /// Returns `None` if `values` is empty or longer than `u32::MAX` days, if any value is
    /// not finite (NaN or infinite), or if `baseline` is not finite or not `> 0`.
    ///
    /// ```
    /// use hinterland::metrics::series::RunMetrics;
    ///
    /// let m = RunMetrics::from_series(&[100.0, 80.0, 90.0, 95.0, 99.0, 100.0], 100.0).unwrap();
    /// assert!((m.va_loss_days - 0.36).abs() < 1e-12);
    /// assert_eq!((m.trough, m.trough_day), (0.8, 1));
    /// assert_eq!((m.recovery_days_95, m.recovery_days_99), (Some(2), Some(3)));
    /// ```
    pub fn from_series(values: &[f64], baseline: f64) -> Option<RunMetrics> {
        if !valid_series(values, baseline) {
            return None;
        }
        let mut shortfall = 0.0;
        let mut triangle_area = 0.0;
        let mut trough_value = values[0];
        let mut trough_index = 0;
        for (day, &value) in values.iter().enumerate() {
            shortfall += baseline - value;
            triangle_area += (1.0 - value / baseline).max(0.0);
            if value < trough_value {
                trough_value = value;
                trough_index = day;
            }
        }
        let va_loss_days = shortfall / baseline;
        let gap = |t: usize| 1.0 - values[t] / baseline;
        let last = values.len() - 1;
        let unrecovered_at_end = gap(last).max(0.0);
        let tail_loss_days = if unrecovered_at_end <= 0.0 {
            0.0
        } else {
            let rate = last
                .checked_sub(TAIL_WINDOW_DAYS)
                .map(gap)
                .filter(|&before| before > unrecovered_at_end)
                .map(|before| (unrecovered_at_end / before).powf(1.0 / TAIL_WINDOW_DAYS as f64));
            match rate {
                Some(rho) if rho < 1.0 => {
                    unrecovered_at_end * rho * (1.0 - rho.powi(TAIL_HORIZON_DAYS)) / (1.0 - rho)
                }
                _ => unrecovered_at_end * f64::from(TAIL_HORIZON_DAYS),
            }
        };
        Some(RunMetrics {
            va_loss_days,
            va_loss_pct: 100.0 * va_loss_days / DAYS_PER_YEAR,
            trough: trough_value / baseline,
            trough_day: u32::try_from(trough_index).ok()?,
            recovery_days_95: recovery_days(values, baseline, RECOVERY_LEVEL_95, trough_index),
            recovery_days_99: recovery_days(values, baseline, RECOVERY_LEVEL_99, trough_index),
            triangle_area,
            unrecovered_at_end,
            tail_loss_days,
        })
    }
}

/// Value-added loss avoided by a policy, in days of baseline value added:
/// `Σ_t (with_policy[t] − without_policy[t]) / baseline`, which is `va_loss_days` of the run
/// without the policy minus `va_loss_days` of the run with it (positive = the policy helps).
///
/// Both series are daily value added (money per day) of the same run drawn twice (common
/// random numbers), once without and once with the policy. Returns `None` if the series
/// differ in length, or if either fails the checks of [`RunMetrics::from_series`].
pub fn loss_avoided_days(
    with_policy: &[f64],
    without_policy: &[f64],
    baseline: f64,
) -> Option<f64> {
    if with_policy.len() != without_policy.len()
        || !valid_series(with_policy, baseline)
        || !valid_series(without_policy, baseline)
    {
        return None;
    }
    let mut avoided = 0.0;
    for (&with, &without) in with_policy.iter().zip(without_policy) {
        avoided += with - without;
    }
    Some(avoided / baseline)
}

/// Splits a run's total loss into its direct and indirect parts:
/// returns `(indirect, amplification)` with `indirect = total_loss − direct_loss` and
/// `amplification = total_loss / direct_loss`.
///
/// The *direct loss* is the production capacity removed from the shocked firms, valued at
/// their value-added share (what the shocked firms alone would have lost with no
/// propagation). It is computed by the caller, in the same unit as `total_loss` (e.g. days of
/// baseline value added, like [`RunMetrics::va_loss_days`]). `amplification` is `None` when
/// `direct_loss` is 0 (nothing was shocked directly) or the ratio is not finite.
pub fn direct_indirect(direct_loss: f64, total_loss: f64) -> (f64, Option<f64>) {
    let indirect = total_loss - direct_loss;
    let amplification = if direct_loss == 0.0 {
        None
    } else {
        Some(total_loss / direct_loss).filter(|ratio| ratio.is_finite())
    };
    (indirect, amplification)
}

/// True if `values` is a usable series for `baseline` (see [`RunMetrics::from_series`]).
fn valid_series(values: &[f64], baseline: f64) -> bool {
    baseline.is_finite()
        && baseline > 0.0
        && !values.is_empty()
        && u32::try_from(values.len()).is_ok()
        && values.iter().all(|value| value.is_finite())
}

/// Days from `trough_day` to the final crossing of `level × baseline` (see
/// [`RunMetrics::recovery_days_95`]); `None` if the last day is below the level.
fn recovery_days(values: &[f64], baseline: f64, level: f64, trough_day: usize) -> Option<u32> {
    let threshold = level * baseline;
    let Some(last_below) = values.iter().rposition(|&value| value < threshold) else {
        return Some(0);
    };
    let recovered_day = last_below + 1;
    if recovered_day >= values.len() {
        return None;
    }
    // The trough is the minimum, so it is below the level whenever any day is: the last day
    // below the level is at or after the trough day and this never underflows.
    u32::try_from(recovered_day.saturating_sub(trough_day)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64) -> bool {
        (actual - expected).abs() <= 1e-12 * expected.abs().max(1.0)
    }

    #[test]
    fn v_shape() {
        let m = RunMetrics::from_series(&[100.0, 80.0, 90.0, 95.0, 99.0, 100.0], 100.0).unwrap();
        // Shortfalls 0 + 20 + 10 + 5 + 1 + 0 = 36, i.e. 0.36 baseline-days.
        assert!(close(m.va_loss_days, 0.36), "{m:?}");
        assert!(close(m.va_loss_pct, 100.0 * 36.0 / 36_500.0), "{m:?}");
        assert!(close(m.triangle_area, 0.36), "{m:?}");
        assert_eq!(m.trough, 0.8);
        assert_eq!(m.trough_day, 1);
        // 95 %: last day below is day 2 (90), back on day 3 → 3 − 1 = 2 days.
        assert_eq!(m.recovery_days_95, Some(2));
        // 99 %: last day below is day 3 (95), back on day 4 (99 counts as ≥) → 3 days.
        assert_eq!(m.recovery_days_99, Some(3));
    }

    #[test]
    fn the_loss_after_the_last_day_is_extrapolated_from_how_fast_the_gap_closed() {
        // the gap halves every 30 days from day 10 on and is 0.1 on the last day
        let days = 100;
        let values: Vec<f64> = (0..days)
            .map(|t| {
                let gap = 0.1 * 0.5f64.powf((days - 1 - t) as f64 / -30.0);
                100.0 * (1.0 - if t < 10 { 0.0 } else { gap })
            })
            .collect();
        let m = RunMetrics::from_series(&values, 100.0).unwrap();
        assert!(close(m.unrecovered_at_end, 0.1), "{m:?}");
        let rho = 0.5f64.powf(1.0 / 30.0);
        let summed: f64 = (1..=365).map(|k| 0.1 * rho.powi(k)).sum();
        assert!(
            (m.tail_loss_days - summed).abs() < 1e-9,
            "{} {summed}",
            m.tail_loss_days
        );
        // about 0.1 / (1 − ρ) ≈ 4.3 days: far less than a year at the last gap
        assert!(m.tail_loss_days > 4.0 && m.tail_loss_days < 4.5);
        // a gap that stays: a year of it
        let flat: Vec<f64> = (0..days)
            .map(|t| if t < 10 { 100.0 } else { 80.0 })
            .collect();
        let m = RunMetrics::from_series(&flat, 100.0).unwrap();
        assert!(close(m.unrecovered_at_end, 0.2));
        assert!(close(m.tail_loss_days, 0.2 * 365.0));
        // recovered: nothing after the end
        let m = RunMetrics::from_series(&[100.0, 80.0, 100.0], 100.0).unwrap();
        assert_eq!((m.unrecovered_at_end, m.tail_loss_days), (0.0, 0.0));
    }

    #[test]
    fn never_recovers_to_99() {
        let m = RunMetrics::from_series(&[100.0, 80.0, 90.0, 96.0, 98.0], 100.0).unwrap();
        assert_eq!((m.trough, m.trough_day), (0.8, 1));
        assert_eq!(m.recovery_days_95, Some(2));
        assert_eq!(m.recovery_days_99, None);
        // 0 + 20 + 10 + 4 + 2 = 36.
        assert!(close(m.va_loss_days, 0.36), "{m:?}");
    }

    #[test]
    fn ends_below_both_levels() {
        let m = RunMetrics::from_series(&[100.0, 90.0, 70.0], 100.0).unwrap();
        assert_eq!((m.trough, m.trough_day), (0.7, 2));
        assert_eq!((m.recovery_days_95, m.recovery_days_99), (None, None));
    }

    #[test]
    fn recovery_is_the_final_crossing() {
        // Back to 99 on day 3, then a second dip to 90 (day 4) and 97 (day 5).
        let values = [100.0, 80.0, 96.0, 99.0, 90.0, 97.0, 100.0];
        let m = RunMetrics::from_series(&values, 100.0).unwrap();
        assert_eq!((m.trough, m.trough_day), (0.8, 1));
        // 95 %: last day below is day 4, back on day 5 → 5 − 1 = 4 days (not 1).
        assert_eq!(m.recovery_days_95, Some(4));
        // 99 %: last day below is day 5, back on day 6 → 6 − 1 = 5 days (not 2).
        assert_eq!(m.recovery_days_99, Some(5));
        // 0 + 20 + 4 + 1 + 10 + 3 + 0 = 38.
        assert!(close(m.va_loss_days, 0.38), "{m:?}");
        assert!(close(m.triangle_area, 0.38), "{m:?}");
    }

    #[test]
    fn trough_day_is_the_first_of_equal_minima() {
        let m = RunMetrics::from_series(&[100.0, 80.0, 90.0, 80.0, 100.0], 100.0).unwrap();
        assert_eq!((m.trough, m.trough_day), (0.8, 1));
        // Last day below 95 % is day 3, back on day 4 → 4 − 1 = 3 days.
        assert_eq!(m.recovery_days_95, Some(3));
    }

    #[test]
    fn flat_series() {
        let m = RunMetrics::from_series(&[50.0; 10], 50.0).unwrap();
        let expected = RunMetrics {
            va_loss_days: 0.0,
            va_loss_pct: 0.0,
            trough: 1.0,
            trough_day: 0,
            recovery_days_95: Some(0),
            recovery_days_99: Some(0),
            triangle_area: 0.0,
            unrecovered_at_end: 0.0,
            tail_loss_days: 0.0,
        };
        assert_eq!(m, expected);
    }

    #[test]
    fn above_baseline_is_negative_loss() {
        let m = RunMetrics::from_series(&[100.0, 110.0, 120.0], 100.0).unwrap();
        // 0 − 10 − 20 = −30, i.e. −0.3 baseline-days; the triangle counts losses only.
        assert!(close(m.va_loss_days, -0.3), "{m:?}");
        assert!(close(m.va_loss_pct, -30.0 / 365.0), "{m:?}");
        assert_eq!(m.triangle_area, 0.0);
        assert_eq!((m.trough, m.trough_day), (1.0, 0));
        assert_eq!((m.recovery_days_95, m.recovery_days_99), (Some(0), Some(0)));
    }

    #[test]
    fn gains_offset_loss_but_not_the_triangle() {
        let m = RunMetrics::from_series(&[100.0, 90.0, 110.0], 100.0).unwrap();
        assert!(close(m.va_loss_days, 0.0), "{m:?}");
        assert!(close(m.triangle_area, 0.1), "{m:?}");
        assert_eq!(m.recovery_days_95, Some(1));
    }

    #[test]
    fn unusable_inputs_give_none() {
        assert_eq!(RunMetrics::from_series(&[], 100.0), None);
        assert_eq!(RunMetrics::from_series(&[1.0, 2.0], 0.0), None);
        assert_eq!(RunMetrics::from_series(&[1.0, 2.0], -1.0), None);
        assert_eq!(RunMetrics::from_series(&[1.0, 2.0], f64::NAN), None);
        assert_eq!(RunMetrics::from_series(&[1.0, 2.0], f64::INFINITY), None);
        assert_eq!(RunMetrics::from_series(&[1.0, f64::NAN], 1.0), None);
        assert_eq!(
            RunMetrics::from_series(&[1.0, f64::NEG_INFINITY], 1.0),
            None
        );
    }

    #[test]
    fn loss_avoided() {
        let without = [100.0, 80.0, 90.0, 100.0];
        let with = [100.0, 90.0, 95.0, 100.0];
        // (90 − 80) + (95 − 90) = 15 avoided, 0.15 baseline-days.
        let avoided = loss_avoided_days(&with, &without, 100.0).unwrap();
        assert!(close(avoided, 0.15), "{avoided}");
        let loss = |values: &[f64]| RunMetrics::from_series(values, 100.0).unwrap().va_loss_days;
        assert!(close(avoided, loss(&without) - loss(&with)));
        assert_eq!(loss_avoided_days(&with, &without[..3], 100.0), None);
        assert_eq!(loss_avoided_days(&[], &[], 100.0), None);
        assert_eq!(loss_avoided_days(&with, &without, 0.0), None);
    }

    #[test]
    fn direct_and_indirect() {
        assert_eq!(direct_indirect(2.0, 5.0), (3.0, Some(2.5)));
        assert_eq!(direct_indirect(0.0, 5.0), (5.0, None));
        assert_eq!(direct_indirect(0.0, 0.0), (0.0, None));
        assert_eq!(direct_indirect(1e-320, 1e300).1, None);
    }
}
