//! Robustness of lever settings under common random numbers: regret, satisficing and the
//! policy frontier.
//!
//! Every comparison is made within one uncertainty setting (a "group": the points of a sweep
//! that set the uncertain parameters alike) and run by run: run `k` of every point faced the
//! same drawn crisis, so a difference between two points in run `k` is the difference their
//! levers make, never a difference of worlds.

use super::stats::quantile;

/// z of the two-sided 95 % normal interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Per point and run: the point's loss minus the smallest loss of any point of the same group
/// in the same run. `losses[p][k]` is point `p`'s loss in run `k` (`NaN`: none); a run where
/// point `p` has no loss has `NaN` regret.
pub fn regrets(losses: &[Vec<f64>], group_of: &[usize]) -> Vec<Vec<f64>> {
    losses
        .iter()
        .enumerate()
        .map(|(p, runs)| {
            runs.iter()
                .enumerate()
                .map(|(k, &loss)| {
                    let best = losses
                        .iter()
                        .zip(group_of)
                        .filter(|&(_, &g)| g == group_of[p])
                        .filter_map(|(other, _)| other.get(k).copied())
                        .filter(|v| v.is_finite())
                        .fold(f64::INFINITY, f64::min);
                    loss - best
                })
                .collect()
        })
        .collect()
}

/// Mean, 90th percentile (type 7) and maximum of a point's regrets (the finite ones).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegretSummary {
    /// Mean regret.
    pub mean: f64,
    /// 90 % quantile.
    pub p90: f64,
    /// Largest regret.
    pub max: f64,
}

/// Summary of one point's per-run regrets (`None`: no finite value).
pub fn summarize_regret(regrets: &[f64]) -> Option<RegretSummary> {
    let mut finite: Vec<f64> = regrets.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.is_empty() {
        return None;
    }
    finite.sort_by(f64::total_cmp);
    Some(RegretSummary {
        mean: finite.iter().sum::<f64>() / finite.len() as f64,
        p90: quantile(&finite, 0.9)?,
        max: *finite.last()?,
    })
}

/// The share of runs whose loss is at or below `threshold` (runs without a loss count as not
/// satisficing).
pub fn satisficing_share(losses: &[f64], threshold: f64) -> f64 {
    if losses.is_empty() {
        return 0.0;
    }
    losses.iter().filter(|&&v| v <= threshold).count() as f64 / losses.len() as f64
}

/// For each point, the point of the same group that dominates it on `(cost, objective)`, both
/// minimised (`None`: it is Pareto-efficient). `q` dominates `p` when it is no worse on both
/// and better on one; among several, the one with the smallest objective (then cost, then
/// index) is named. A point with a missing (non-finite) value is never efficient and
/// dominates nothing (it is named by nothing, and names `Some(p)` itself).
pub fn dominated_by(cost: &[f64], objective: &[f64], group_of: &[usize]) -> Vec<Option<usize>> {
    let n = cost.len();
    let known = |p: usize| cost[p].is_finite() && objective[p].is_finite();
    (0..n)
        .map(|p| {
            if !known(p) {
                return Some(p);
            }
            (0..n)
                .filter(|&q| q != p && known(q) && group_of[q] == group_of[p])
                .filter(|&q| {
                    cost[q] <= cost[p]
                        && objective[q] <= objective[p]
                        && (cost[q] < cost[p] || objective[q] < objective[p])
                })
                .min_by(|&a, &b| {
                    objective[a]
                        .total_cmp(&objective[b])
                        .then(cost[a].total_cmp(&cost[b]))
                        .then(a.cmp(&b))
                })
        })
        .collect()
}

/// The 95 % interval of the mean paired difference `a[k] − b[k]` over the runs where both are
/// finite: `(mean, half-width)`; `None` with fewer than two such runs.
pub fn paired_interval(a: &[f64], b: &[f64]) -> Option<(f64, f64)> {
    let differences: Vec<f64> = a
        .iter()
        .zip(b)
        .map(|(x, y)| x - y)
        .filter(|d| d.is_finite())
        .collect();
    let n = differences.len();
    if n < 2 {
        return None;
    }
    let mean = differences.iter().sum::<f64>() / n as f64;
    let variance = differences
        .iter()
        .map(|d| (d - mean) * (d - mean))
        .sum::<f64>()
        / (n - 1) as f64;
    Some((mean, Z95 * (variance / n as f64).sqrt()))
}

/// Whether the paired difference of `a` over `b` cannot be told from zero: its 95 % interval
/// covers zero (or it has fewer than two runs).
pub fn indistinguishable(a: &[f64], b: &[f64]) -> bool {
    paired_interval(a, b).is_none_or(|(mean, half)| (mean - half..=mean + half).contains(&0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regret_is_against_the_best_point_of_the_same_group_and_run() {
        // two groups; in group 0, point 1 is best in run 0 and point 0 in run 1
        let losses = vec![
            vec![5.0, 1.0],
            vec![3.0, 4.0],
            vec![100.0, 100.0], // group 1 alone: no regret whatever its loss
        ];
        let r = regrets(&losses, &[0, 0, 1]);
        assert_eq!(r[0], [2.0, 0.0]);
        assert_eq!(r[1], [0.0, 3.0]);
        assert_eq!(r[2], [0.0, 0.0]);
        let s = summarize_regret(&r[1]).unwrap();
        assert_eq!((s.mean, s.max), (1.5, 3.0));
        assert!((s.p90 - 2.7).abs() < 1e-12);
    }

    #[test]
    fn satisficing_counts_runs_at_or_below_the_threshold() {
        assert_eq!(satisficing_share(&[1.0, 2.0, 3.0, f64::NAN], 2.0), 0.5);
        assert_eq!(satisficing_share(&[], 2.0), 0.0);
    }

    /// The efficient points of constructed data, checked against a brute-force definition.
    #[test]
    fn the_frontier_marks_exactly_the_non_dominated_points() {
        let cost = [0.0, 1.0, 1.0, 2.0, 3.0, 3.0, 0.5, 2.0];
        let loss = [10.0, 6.0, 7.0, 6.0, 2.0, 2.0, f64::NAN, 1.0];
        let groups = [0, 0, 0, 0, 0, 0, 0, 1];
        let dominated = dominated_by(&cost, &loss, &groups);
        let efficient: Vec<usize> = (0..cost.len())
            .filter(|&p| dominated[p].is_none())
            .collect();
        // 0 (cheapest), 1 (6 at cost 1), 4 and 5 (tied: neither dominates the other), and 7
        // alone in its group; 2 and 3 are dominated by 1; 6 has no loss
        assert_eq!(efficient, [0, 1, 4, 5, 7]);
        assert_eq!(dominated[2], Some(1));
        assert_eq!(dominated[3], Some(1));
        assert_eq!(dominated[6], Some(6));
        for p in 0..cost.len() {
            let brute = loss[p].is_finite()
                && !(0..cost.len()).any(|q| {
                    groups[q] == groups[p]
                        && loss[q].is_finite()
                        && cost[q] <= cost[p]
                        && loss[q] <= loss[p]
                        && (cost[q] < cost[p] || loss[q] < loss[p])
                });
            assert_eq!(dominated[p].is_none(), brute, "point {p}");
        }
    }

    #[test]
    fn a_paired_difference_whose_interval_covers_zero_is_indistinguishable() {
        // the same runs shifted by exactly 1: the interval is [1, 1]
        let a = [3.0, 5.0, 9.0, 4.0];
        let shifted: Vec<f64> = a.iter().map(|v| v - 1.0).collect();
        assert_eq!(paired_interval(&a, &shifted), Some((1.0, 0.0)));
        assert!(!indistinguishable(&a, &shifted));
        // differences of +1 and −1: mean 0
        let noisy = [2.0, 6.0, 8.0, 5.0];
        assert!(indistinguishable(&a, &noisy));
        assert!(indistinguishable(&a[..1], &noisy[..1]));
    }
}
