//! The one-sided binomial test behind quasi-p-values (Bryant and Lempert 2010), as EMA
//! Workbench computes them with `scipy.stats.binomtest(k, n, p, alternative="greater")`.

/// `P(X >= successes)` for `X ~ Binomial(trials, p)`: the chance of at least as many cases
/// of interest as the box holds, were each row of it one with probability `p`.
///
/// Sums the terms from `successes` to `trials` in logarithms, with the binomial coefficient
/// built up by compensated summation, so the result keeps about 12 significant digits for
/// thousands of trials, also far out in the tail (1e-50 and below).
pub(super) fn binomial_at_least(successes: usize, trials: usize, p: f64) -> f64 {
    if successes == 0 {
        return 1.0;
    }
    if successes > trials || p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    let ln_p = p.ln();
    let ln_q = (-p).ln_1p();
    let mut ln_choose = CompensatedSum::default();
    // ln C(trials, successes) = sum over i in 1..=successes of ln((trials - successes + i) / i)
    for i in 1..=successes {
        ln_choose.add(((trials - successes + i) as f64).ln());
        ln_choose.add(-(i as f64).ln());
    }
    let mut total = 0.0;
    for j in successes..=trials {
        let ln_term = ln_choose.value() + j as f64 * ln_p + (trials - j) as f64 * ln_q;
        total += ln_term.exp();
        // C(trials, j + 1) = C(trials, j) * (trials - j) / (j + 1)
        if j < trials {
            ln_choose.add(((trials - j) as f64).ln());
            ln_choose.add(-((j + 1) as f64).ln());
        }
    }
    total.min(1.0)
}

/// Neumaier's compensated sum: keeps the rounding error of each addition, so a long sum of
/// logarithms stays accurate to a few units in the last place.
#[derive(Default)]
struct CompensatedSum {
    sum: f64,
    compensation: f64,
}

impl CompensatedSum {
    fn add(&mut self, value: f64) {
        let next = self.sum + value;
        self.compensation += if self.sum.abs() >= value.abs() {
            (self.sum - next) + value
        } else {
            (value - next) + self.sum
        };
        self.sum = next;
    }

    fn value(&self) -> f64 {
        self.sum + self.compensation
    }
}

#[cfg(test)]
mod tests {
    use super::binomial_at_least;

    #[test]
    fn small_cases_add_up_by_hand() {
        // X ~ Bin(2, 0.5): P(X >= 1) = 3/4, P(X >= 2) = 1/4
        assert!((binomial_at_least(1, 2, 0.5) - 0.75).abs() < 1e-15);
        assert!((binomial_at_least(2, 2, 0.5) - 0.25).abs() < 1e-15);
        // Bin(3, 0.2): P(X >= 2) = 3 * 0.04 * 0.8 + 0.008 = 0.104
        assert!((binomial_at_least(2, 3, 0.2) - 0.104).abs() < 1e-15);
        assert_eq!(binomial_at_least(0, 5, 0.3), 1.0);
        assert_eq!(binomial_at_least(6, 5, 0.3), 0.0);
        assert_eq!(binomial_at_least(1, 5, 0.0), 0.0);
        assert_eq!(binomial_at_least(5, 5, 1.0), 1.0);
    }

    #[test]
    fn the_far_tail_keeps_its_digits() {
        // Bin(300, 0.5): P(X >= 300) = 2^-300 exactly
        let exact = 0.5f64.powi(300);
        let relative = (binomial_at_least(300, 300, 0.5) - exact).abs() / exact;
        assert!(relative < 1e-12, "{relative}");
        // P(X >= 299) = 301 * 2^-300
        let exact = 301.0 * 0.5f64.powi(300);
        let relative = (binomial_at_least(299, 300, 0.5) - exact).abs() / exact;
        assert!(relative < 1e-12, "{relative}");
    }
}
