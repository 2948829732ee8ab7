//! Distributions of random scenario parameters, checked when the scenario is read.
//!
//! Every random parameter of a scenario shock is written as a distribution:
//! `Fixed(x)`, `Uniform(lo, hi)`, `Normal(mean, sd)`, `LogNormal(mu, sigma)` (of `exp(N(mu,
//! sigma))`), `Beta(a, b)`, `Triangular(lo, mode, hi)` or `Poisson(lambda)`. Each run draws it
//! anew. Parameters are checked on reading (`lo ≤ hi`, `sd ≥ 0`, `a, b > 0`…), and so is the
//! range the parameter needs:
//!
//! * a **share** ([`ShareDist`]) must have its support inside `[0, 1]` where the distribution is
//!   bounded (`Fixed`, `Uniform`, `Triangular`, `Beta`); draws of unbounded distributions
//!   (`Normal`, `LogNormal`, `Poisson`) are clamped to `[0, 1]`;
//! * a number of **days** ([`DaysDist`]) must be `≥ 0` where bounded; draws are rounded to the
//!   nearest whole day (ties away from zero) and clamped at 0.

use rand::Rng;
use rand_distr::{Beta, Distribution, LogNormal, Normal, Poisson, Triangular};
use serde::{Deserialize, Deserializer, de::Error};

/// A probability distribution of one scenario parameter.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename = "Distribution")]
pub enum Dist {
    /// Always `x`.
    Fixed(f64),
    /// Uniform on `[lo, hi]`.
    Uniform(f64, f64),
    /// Normal with `(mean, sd)`.
    Normal(f64, f64),
    /// `exp(N(mu, sigma))`.
    LogNormal(f64, f64),
    /// Beta with shapes `(a, b)`, on `[0, 1]`.
    Beta(f64, f64),
    /// Triangular on `[lo, hi]` with mode `mode`: `(lo, mode, hi)`.
    Triangular(f64, f64, f64),
    /// Poisson with mean `lambda`.
    Poisson(f64),
}

impl std::fmt::Display for Dist {
    /// As written in a scenario, e.g. `Uniform(-3, 4)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Dist::Fixed(x) => write!(f, "Fixed({x})"),
            Dist::Uniform(a, b) => write!(f, "Uniform({a}, {b})"),
            Dist::Normal(a, b) => write!(f, "Normal({a}, {b})"),
            Dist::LogNormal(a, b) => write!(f, "LogNormal({a}, {b})"),
            Dist::Beta(a, b) => write!(f, "Beta({a}, {b})"),
            Dist::Triangular(a, b, c) => write!(f, "Triangular({a}, {b}, {c})"),
            Dist::Poisson(a) => write!(f, "Poisson({a})"),
        }
    }
}

impl Dist {
    /// Check the parameters; `Err` says what is wrong.
    pub fn check(&self) -> Result<(), String> {
        let finite = |values: &[f64]| values.iter().all(|v| v.is_finite());
        match *self {
            Dist::Fixed(x) if !x.is_finite() => {
                Err(format!("Fixed({x}): expected a finite number"))
            }
            Dist::Uniform(lo, hi) if !finite(&[lo, hi]) || lo > hi => {
                Err(format!("Uniform({lo}, {hi}): expected finite lo <= hi"))
            }
            Dist::Normal(mean, sd) if !finite(&[mean, sd]) || sd < 0.0 => Err(format!(
                "Normal({mean}, {sd}): expected a finite mean and sd >= 0"
            )),
            Dist::LogNormal(mu, sigma) if !finite(&[mu, sigma]) || sigma < 0.0 => Err(format!(
                "LogNormal({mu}, {sigma}): expected a finite mu and sigma >= 0"
            )),
            Dist::Beta(a, b) if !finite(&[a, b]) || a <= 0.0 || b <= 0.0 => {
                Err(format!("Beta({a}, {b}): expected a > 0 and b > 0"))
            }
            Dist::Triangular(lo, mode, hi)
                if !finite(&[lo, mode, hi]) || lo > mode || mode > hi =>
            {
                Err(format!(
                    "Triangular({lo}, {mode}, {hi}): expected lo <= mode <= hi"
                ))
            }
            Dist::Poisson(lambda) if !lambda.is_finite() || lambda <= 0.0 => {
                Err(format!("Poisson({lambda}): expected lambda > 0"))
            }
            _ => Ok(()),
        }
    }

    /// The names of the distribution's parameters, in the order they are written (the last
    /// segment of a parameter path such as `shocks.embargo.duration_days.max`).
    pub fn parameter_names(&self) -> &'static [&'static str] {
        match self {
            Dist::Fixed(..) => &["value"],
            Dist::Uniform(..) => &["min", "max"],
            Dist::Normal(..) => &["mean", "sd"],
            Dist::LogNormal(..) => &["mu", "sigma"],
            Dist::Beta(..) => &["a", "b"],
            Dist::Triangular(..) => &["min", "mode", "max"],
            Dist::Poisson(..) => &["lambda"],
        }
    }

    /// The same distribution with parameter `name` set to `value` (not checked: see
    /// [`Dist::check`]); `Err` names the parameters it has.
    pub fn with_parameter(&self, name: &str, value: f64) -> Result<Dist, String> {
        let names = self.parameter_names();
        let index = names.iter().position(|n| *n == name).ok_or_else(|| {
            format!(
                "{} has no parameter {name:?}; its parameters: {}",
                self.kind(),
                names.join(", ")
            )
        })?;
        let mut dist = *self;
        let slot = match &mut dist {
            Dist::Fixed(a) | Dist::Poisson(a) => [Some(a), None, None],
            Dist::Uniform(a, b) | Dist::Normal(a, b) | Dist::LogNormal(a, b) | Dist::Beta(a, b) => {
                [Some(a), Some(b), None]
            }
            Dist::Triangular(a, b, c) => [Some(a), Some(b), Some(c)],
        };
        if let Some(Some(target)) = slot.into_iter().nth(index) {
            *target = value;
        }
        Ok(dist)
    }

    /// The name of the distribution (`Uniform`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Dist::Fixed(..) => "Fixed",
            Dist::Uniform(..) => "Uniform",
            Dist::Normal(..) => "Normal",
            Dist::LogNormal(..) => "LogNormal",
            Dist::Beta(..) => "Beta",
            Dist::Triangular(..) => "Triangular",
            Dist::Poisson(..) => "Poisson",
        }
    }

    /// Smallest and largest value a draw can take.
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Dist::Fixed(x) => (x, x),
            Dist::Uniform(lo, hi) | Dist::Triangular(lo, _, hi) => (lo, hi),
            Dist::Beta(..) => (0.0, 1.0),
            Dist::LogNormal(..) | Dist::Poisson(..) => (0.0, f64::INFINITY),
            Dist::Normal(..) => (f64::NEG_INFINITY, f64::INFINITY),
        }
    }

    /// Expected value.
    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Fixed(x) => x,
            Dist::Uniform(lo, hi) => (lo + hi) / 2.0,
            Dist::Normal(mean, _) => mean,
            Dist::LogNormal(mu, sigma) => (mu + sigma * sigma / 2.0).exp(),
            Dist::Beta(a, b) => a / (a + b),
            Dist::Triangular(lo, mode, hi) => (lo + mode + hi) / 3.0,
            Dist::Poisson(lambda) => lambda,
        }
    }

    /// One draw. Parameters are assumed checked ([`Dist::check`]).
    pub fn sample(&self, rng: &mut impl Rng) -> f64 {
        match *self {
            Dist::Fixed(x) => x,
            Dist::Uniform(lo, hi) => {
                if lo == hi {
                    lo
                } else {
                    lo + (hi - lo) * rand::RngExt::random::<f64>(rng)
                }
            }
            Dist::Normal(mean, sd) => Normal::new(mean, sd).map_or(mean, |d| d.sample(rng)),
            Dist::LogNormal(mu, sigma) => {
                LogNormal::new(mu, sigma).map_or(mu.exp(), |d| d.sample(rng))
            }
            Dist::Beta(a, b) => Beta::new(a, b).map_or(a / (a + b), |d| d.sample(rng)),
            Dist::Triangular(lo, mode, hi) => {
                if lo == hi {
                    lo
                } else {
                    Triangular::new(lo, hi, mode).map_or(mode, |d| d.sample(rng))
                }
            }
            Dist::Poisson(lambda) => Poisson::new(lambda).map_or(lambda, |d| d.sample(rng)),
        }
    }
}

/// A distribution of a share in `[0, 1]`: its parameters are checked and, where it is bounded
/// (`Fixed`, `Uniform`, `Triangular`, `Beta`), its support lies inside `[0, 1]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShareDist(Dist);

impl ShareDist {
    /// A checked share distribution; `Err` says what is wrong.
    pub fn new(dist: Dist) -> Result<ShareDist, String> {
        dist.check()?;
        let (lo, hi) = dist.support();
        let bounded = lo.is_finite() && hi.is_finite();
        if let Dist::Fixed(x) = dist
            && !(0.0..=1.0).contains(&x)
        {
            return Err(format!("{x} is out of range: expected a share in [0, 1]"));
        }
        if bounded && (lo < 0.0 || hi > 1.0) {
            return Err(format!(
                "{dist} can draw values outside [0, 1]: expected a share"
            ));
        }
        Ok(ShareDist(dist))
    }

    /// The distribution.
    pub fn dist(&self) -> Dist {
        self.0
    }

    /// Whether every draw is the same.
    pub fn is_fixed(&self) -> bool {
        matches!(self.0, Dist::Fixed(_))
    }

    /// One draw, clamped to `[0, 1]`.
    pub fn sample(&self, rng: &mut impl Rng) -> f64 {
        self.0.sample(rng).clamp(0.0, 1.0)
    }
}

impl<'de> Deserialize<'de> for ShareDist {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        ShareDist::new(written(deserializer, "share", "0.5", "Beta(5, 5)")?)
            .map_err(D::Error::custom)
    }
}

/// A distribution as written: `Uniform(10, 20)`, or a bare number `x` for `Fixed(x)`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Written {
    Number(f64),
    Dist(Dist),
}

/// Read a distribution or a bare number (`Fixed`); when it is neither, a message that shows
/// both forms with examples (`what`: "share", "number of days").
fn written<'de, D: Deserializer<'de>>(
    deserializer: D,
    what: &str,
    number: &str,
    drawn: &str,
) -> Result<Dist, D::Error> {
    match Written::deserialize(deserializer) {
        Ok(Written::Number(x)) => Ok(Dist::Fixed(x)),
        Ok(Written::Dist(dist)) => Ok(dist),
        // syntax errors keep their own message; a value of the wrong shape gets the forms
        Err(err) if err.to_string().contains("did not match any variant") => {
            Err(D::Error::custom(format!(
                "expected a {what}: a number such as {number}, or a distribution such as \
                 {drawn} (Fixed(x), Uniform(lo, hi), Normal(mean, sd), LogNormal(mu, sigma), \
                 Triangular(lo, mode, hi), Beta(a, b), Poisson(lambda))"
            )))
        }
        Err(err) => Err(err),
    }
}

/// A distribution of a number of days `≥ 0`, drawn as whole days: its parameters are checked
/// and, where it is bounded below, its support is `≥ 0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DaysDist(Dist);

impl DaysDist {
    /// A checked distribution of days; `Err` says what is wrong.
    pub fn new(dist: Dist) -> Result<DaysDist, String> {
        dist.check()?;
        let (lo, _) = dist.support();
        if lo.is_finite() && lo < 0.0 {
            return Err(format!(
                "{dist} can draw negative values: expected a number of days >= 0"
            ));
        }
        Ok(DaysDist(dist))
    }

    /// Always `days`.
    pub fn fixed(days: u32) -> DaysDist {
        DaysDist(Dist::Fixed(f64::from(days)))
    }

    /// The distribution.
    pub fn dist(&self) -> Dist {
        self.0
    }

    /// The days every draw gives, when the distribution is `Fixed`.
    pub fn fixed_days(&self) -> Option<u32> {
        match self.0 {
            // a fixed value draws the same whatever the generator
            Dist::Fixed(_) => Some(self.sample(&mut crate::seeding::stream_rng(0, &[]))),
            _ => None,
        }
    }

    /// One draw, rounded to whole days and clamped at 0.
    pub fn sample(&self, rng: &mut impl Rng) -> u32 {
        let v = self.0.sample(rng).round();
        if v <= 0.0 {
            0
        } else if v >= f64::from(u32::MAX) {
            u32::MAX
        } else {
            v as u32
        }
    }
}

impl<'de> Deserialize<'de> for DaysDist {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        DaysDist::new(written(
            deserializer,
            "number of days",
            "14",
            "Uniform(14, 28)",
        )?)
        .map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seeding::stream_rng;

    fn sample_mean(dist: Dist, n: usize) -> f64 {
        let mut rng = stream_rng(42, &[]);
        (0..n).map(|_| dist.sample(&mut rng)).sum::<f64>() / n as f64
    }

    #[test]
    fn sample_means_match_the_distributions() {
        let n = 200_000;
        for dist in [
            Dist::Fixed(3.5),
            Dist::Uniform(2.0, 10.0),
            Dist::Normal(5.0, 2.0),
            Dist::LogNormal(0.5, 0.4),
            Dist::Beta(2.0, 5.0),
            Dist::Triangular(0.0, 1.0, 5.0),
            Dist::Poisson(7.0),
        ] {
            let mean = sample_mean(dist, n);
            // within 4 standard errors (sd ≤ 2.5 here)
            assert!(
                (mean - dist.mean()).abs() < 4.0 * 2.5 / (n as f64).sqrt(),
                "{dist:?}: {mean}"
            );
        }
    }

    #[test]
    fn bad_parameters_are_refused() {
        assert!(Dist::Beta(0.0, 1.0).check().is_err());
        assert!(Dist::Uniform(3.0, 1.0).check().is_err());
        assert!(Dist::Triangular(0.0, 5.0, 4.0).check().is_err());
        assert!(Dist::Normal(0.0, -1.0).check().is_err());
        assert!(Dist::Poisson(0.0).check().is_err());
        assert!(Dist::Fixed(f64::NAN).check().is_err());
        assert!(Dist::Triangular(1.0, 1.0, 1.0).check().is_ok());
    }

    #[test]
    fn days_are_rounded_and_shares_clamped() {
        let mut rng = stream_rng(1, &[]);
        assert_eq!(DaysDist(Dist::Fixed(2.5)).sample(&mut rng), 3);
        assert_eq!(DaysDist(Dist::Fixed(2.4)).sample(&mut rng), 2);
        assert_eq!(DaysDist(Dist::Normal(-50.0, 1.0)).sample(&mut rng), 0);
        assert_eq!(ShareDist(Dist::Normal(3.0, 0.1)).sample(&mut rng), 1.0);
    }

    #[test]
    fn parameters_are_set_by_name_and_checked_by_the_wrappers() {
        let uniform = Dist::Uniform(90.0, 180.0);
        assert_eq!(
            uniform.with_parameter("max", 200.0),
            Ok(Dist::Uniform(90.0, 200.0))
        );
        assert_eq!(
            Dist::Triangular(1.0, 2.0, 3.0).with_parameter("mode", 2.5),
            Ok(Dist::Triangular(1.0, 2.5, 3.0))
        );
        let err = Dist::Fixed(3.0).with_parameter("max", 1.0).unwrap_err();
        assert!(
            err.contains("Fixed has no parameter \"max\"; its parameters: value"),
            "{err}"
        );
        // a parameter set out of range is refused by the same check as the file's
        let reversed = uniform.with_parameter("max", 10.0).unwrap();
        assert!(
            DaysDist::new(reversed)
                .unwrap_err()
                .contains("expected finite lo <= hi")
        );
        let above_one = Dist::Uniform(0.2, 0.4).with_parameter("max", 1.5).unwrap();
        assert!(
            ShareDist::new(above_one)
                .unwrap_err()
                .contains("outside [0, 1]")
        );
    }
}
