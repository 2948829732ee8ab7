//! Numbers that check their own range while they are read, so that an out-of-range value is
//! reported with the position of the value in the scenario file (RON attaches the span).

use serde::{Deserialize, Deserializer, de::Error};

macro_rules! checked_f64 {
    ($(#[$doc:meta])* $name:ident, $ok:expr, $expected:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
        pub struct $name(pub f64);

        impl $name {
            /// The checked value.
            pub fn get(self) -> f64 {
                self.0
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = f64::deserialize(deserializer)?;
                let ok: fn(f64) -> bool = $ok;
                if ok(value) {
                    Ok($name(value))
                } else {
                    Err(D::Error::custom(format!(
                        "{value} is out of range: expected {}",
                        $expected
                    )))
                }
            }
        }
    };
}

checked_f64!(
    /// A finite number `≥ 0`.
    NonNegative,
    |v| v.is_finite() && v >= 0.0,
    "a finite number >= 0"
);
checked_f64!(
    /// A finite number `> 0`.
    Positive,
    |v| v.is_finite() && v > 0.0,
    "a finite number > 0"
);
checked_f64!(
    /// A finite number `> 0` (a time in days).
    PositiveF,
    |v| v.is_finite() && v > 0.0,
    "a number of days > 0"
);
checked_f64!(
    /// A share in `[0, 1]`.
    Share,
    |v| (0.0..=1.0).contains(&v),
    "a share in [0, 1]"
);
checked_f64!(
    /// A number in `(0, 1]` (ψ).
    UnitInterval,
    |v| v > 0.0 && v <= 1.0,
    "a number in (0, 1]"
);

checked_f64!(
    /// A finite tail exponent `> 2` (a power law with a finite mean).
    TailExponent,
    |v| v.is_finite() && v > 2.0,
    "a finite exponent > 2 (a power law with a finite mean)"
);

impl Default for Share {
    /// Zero.
    fn default() -> Self {
        Share(0.0)
    }
}

impl Default for NonNegative {
    /// Zero.
    fn default() -> Self {
        NonNegative(0.0)
    }
}

macro_rules! checked_whole {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub struct $name(pub u32);

        impl $name {
            /// The checked value.
            pub fn get(self) -> u32 {
                self.0
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = i64::deserialize(deserializer)?;
                if (1..=i64::from(u32::MAX)).contains(&value) {
                    Ok($name(value as u32))
                } else {
                    Err(D::Error::custom(format!(
                        "{value} is out of range: expected a whole number >= 1"
                    )))
                }
            }
        }
    };
}

checked_whole!(
    /// A whole number of days `≥ 1`.
    PositiveDays
);
checked_whole!(
    /// A count `≥ 1` (runs, firms, suppliers, sectors, regions).
    Count
);
