//! Scenario discovery with PRIM (Friedman and Fisher 1999), as EMA Workbench does it.
//!
//! PRIM, the Patient Rule Induction Method, looks for a box (an interval on each input
//! column) in which the cases of interest are dense. It starts from the box that holds every
//! row and *peels*: on each step it cuts a thin slice (`peel_alpha` of the rows still in the
//! box) off the lower or upper end of one column, choosing the cut that raises the share of
//! cases of interest most per row removed. When no cut helps any more, or the next one would
//! leave less than `mass_min` of the rows, it *pastes*: it widens one limit again by a slice
//! (`paste_alpha` of the rows in the strip beyond it) while that raises the share. Every box
//! on the way is a step of the trajectory ([`Discovery::trajectory`]).
//!
//! This module mirrors `ema_workbench.analysis.prim.Prim(x, y, threshold).find_box()`
//! (EMA Workbench 2.5.3, Kwakkel 2017) for continuous inputs and a binary outcome, to the
//! bit: same quantiles, same objective function (EMA's default `LENIENT1`), same tie
//! breaking, same stopping rules, same choice of the box. A test runs both on the committed
//! fixture `tests/fixtures/prim/` and compares every step. The method and its terms are
//! described in `docs/discovery.md`.
//!
//! ```
//! use hinterland::explore::prim::{find_box, PrimOptions};
//!
//! // one input column, cases of interest above 0.7
//! let x: Vec<f64> = (0..100).map(|i| i as f64 / 100.0).collect();
//! let of_interest: Vec<bool> = x.iter().map(|&v| v > 0.7).collect();
//! let found = find_box(&["x".to_string()], &[x], &of_interest, &PrimOptions::default())?;
//! assert!(found.meets_threshold);
//! assert_eq!(found.limits.len(), 1); // only x is restricted
//! assert!(found.limits[0].lower > 0.6 && found.density >= 0.8);
//! # Ok::<(), hinterland::explore::prim::PrimError>(())
//! ```

mod quasi_p;
mod search;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_ema;

use search::{BoxState, Search};

/// The settings of PRIM, with EMA Workbench's defaults ([`PrimOptions::default`]).
#[derive(Debug, Clone, PartialEq)]
pub struct PrimOptions {
    /// Share of the rows in the box that one peel cuts off (EMA's default 0.05); the cut is
    /// the `peel_alpha` quantile (lower end) or `1 - peel_alpha` quantile (upper end) of the
    /// column's values in the box. In (0, 1).
    pub peel_alpha: f64,
    /// Share of the rows in the strip beyond a limit that one paste adds back (EMA's default
    /// 0.05). In (0, 1).
    pub paste_alpha: f64,
    /// Smallest share of all rows a box may hold (EMA's default 0.05): a peel or paste that
    /// would leave fewer is not made. In [0, 1].
    pub mass_min: f64,
    /// Density (share of cases of interest in the box) the final box must reach to be chosen
    /// (the `threshold` EMA asks for; 0.8 is the value its examples use). In (0, 1].
    pub threshold: f64,
}

impl Default for PrimOptions {
    /// EMA Workbench's defaults: `peel_alpha` 0.05, `paste_alpha` 0.05, `mass_min` 0.05, and
    /// a `threshold` of 0.8.
    fn default() -> PrimOptions {
        PrimOptions {
            peel_alpha: 0.05,
            paste_alpha: 0.05,
            mass_min: 0.05,
            threshold: 0.8,
        }
    }
}

/// Why PRIM could not run: the input it was given, named.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PrimError {
    /// There is no row or no column to search.
    #[error("PRIM needs at least one row and one column, got {rows} rows and {columns} columns")]
    Empty {
        /// Rows given (the outcome's length).
        rows: usize,
        /// Columns given.
        columns: usize,
    },
    /// The names and the columns differ in number.
    #[error("PRIM got {names} column names for {columns} columns")]
    NamesMismatch {
        /// Names given.
        names: usize,
        /// Columns given.
        columns: usize,
    },
    /// A column's length differs from the outcome's.
    #[error("column {name:?} has {length} values, but the outcome has {rows}")]
    LengthMismatch {
        /// The column's name.
        name: String,
        /// Values in the column.
        length: usize,
        /// Values in the outcome.
        rows: usize,
    },
    /// A value is NaN or infinite.
    #[error("column {name:?} row {row}: {value} is not a finite number")]
    NonFinite {
        /// The column's name.
        name: String,
        /// The row (from 0).
        row: usize,
        /// The value.
        value: f64,
    },
    /// No row is a case of interest, so there is nothing to find.
    #[error("no row is a case of interest")]
    NoCaseOfInterest,
    /// Every row is a case of interest; EMA refuses such an outcome too, since the box that
    /// holds everything is already the answer.
    #[error("every row is a case of interest")]
    OnlyCasesOfInterest,
    /// An option is out of its range.
    #[error("PRIM option {name} = {value} is out of range, expected {expected}")]
    Option {
        /// The option's name.
        name: &'static str,
        /// The value given.
        value: f64,
        /// The range it must lie in.
        expected: &'static str,
    },
}

/// Which move made a step of the trajectory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// The starting box: every row.
    Start,
    /// A peel: one limit moved inwards.
    Peel,
    /// A paste: one limit moved outwards.
    Paste,
}

/// One box of the peeling and pasting trajectory.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// How this box came from the one before.
    pub made_by: Move,
    /// Share of all cases of interest that lie in the box.
    pub coverage: f64,
    /// Share of the rows in the box that are cases of interest.
    pub density: f64,
    /// Share of all rows that lie in the box.
    pub mass: f64,
    /// Number of columns whose limits differ from the data's minimum and maximum.
    pub restricted: usize,
    /// Rows in the box.
    pub rows: usize,
    /// Cases of interest in the box.
    pub cases: usize,
    /// `(lower, upper)` limits of every column, in column order, both inclusive; an
    /// unrestricted column has the data's minimum and maximum.
    pub limits: Vec<(f64, f64)>,
}

/// The limits of the chosen box on one restricted column.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxLimits {
    /// The column's index in the input.
    pub column: usize,
    /// The column's name.
    pub name: String,
    /// Lower limit (inclusive).
    pub lower: f64,
    /// Upper limit (inclusive).
    pub upper: f64,
    /// Quasi-p-value of the lower limit (Bryant and Lempert 2010, as EMA computes it): the
    /// one-sided binomial probability of at least the box's cases of interest among its rows,
    /// at the density the box would have without this limit. Small means the limit matters;
    /// EMA calls a restriction significant at 0.05 or less. `None` when the lower limit is
    /// the data's minimum.
    pub quasi_p_lower: Option<f64>,
    /// Quasi-p-value of the upper limit, as for the lower; `None` when the upper limit is the
    /// data's maximum.
    pub quasi_p_upper: Option<f64>,
}

impl BoxLimits {
    /// Whether every restricted end of this column has a quasi-p-value of at most `alpha`
    /// (EMA's `is_significant` uses 0.05).
    pub fn is_significant(&self, alpha: f64) -> bool {
        [self.quasi_p_lower, self.quasi_p_upper]
            .into_iter()
            .flatten()
            .all(|p| p <= alpha)
    }
}

/// What PRIM found: the trajectory and the box chosen on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Discovery {
    /// Every box from the start through the peels and the pastes, in order.
    pub trajectory: Vec<Step>,
    /// Index in `trajectory` of the chosen box: the last one when its density reaches the
    /// threshold, otherwise 0, the box of every row (EMA's "dump box").
    pub chosen: usize,
    /// Whether the last box reached the threshold.
    pub meets_threshold: bool,
    /// The chosen box's limits on its restricted columns only, in column order.
    pub limits: Vec<BoxLimits>,
    /// The chosen box's coverage.
    pub coverage: f64,
    /// The chosen box's density.
    pub density: f64,
    /// The chosen box's mass.
    pub mass: f64,
}

/// Runs PRIM once, as EMA's `Prim(x, y, threshold).find_box()` does for its first box.
///
/// The data are column-major: `columns[j][i]` is row `i` of the column named `names[j]`;
/// `of_interest[i]` says whether row `i` is a case of interest. Ties between equally good
/// peels or pastes go to the one that leaves more columns unrestricted, then to the first
/// column, upper end before lower for a peel and lower before upper for a paste (EMA's
/// order).
pub fn find_box(
    names: &[String],
    columns: &[Vec<f64>],
    of_interest: &[bool],
    options: &PrimOptions,
) -> Result<Discovery, PrimError> {
    check(names, columns, of_interest, options)?;
    let search = Search::new(columns, of_interest, options);
    let mut boxes = vec![search.start()];
    search.peel(&mut boxes);
    search.paste(&mut boxes);

    let last = boxes.last().expect("the start box is always there");
    let meets_threshold = search.density(last) >= options.threshold;
    let chosen = if meets_threshold { boxes.len() - 1 } else { 0 };
    let limits = chosen_limits(&search, &boxes[chosen], names);
    let trajectory: Vec<Step> = boxes.iter().map(|b| search.step(b)).collect();
    let step = &trajectory[chosen];
    Ok(Discovery {
        coverage: step.coverage,
        density: step.density,
        mass: step.mass,
        trajectory,
        chosen,
        meets_threshold,
        limits,
    })
}

/// The limits of `chosen` on its restricted columns, with their quasi-p-values.
fn chosen_limits(search: &Search, chosen: &BoxState, names: &[String]) -> Vec<BoxLimits> {
    let initial = search.initial();
    let quasi_p = |column: usize, end: usize| {
        let mut widened = chosen.limits.clone();
        if end == 0 {
            widened[column].0 = initial[column].0;
        } else {
            widened[column].1 = initial[column].1;
        }
        let (rows, cases) = search.count_within(&widened);
        let share = cases as f64 / rows as f64;
        quasi_p::binomial_at_least(chosen.cases, chosen.rows.len(), share)
    };
    (0..names.len())
        .filter(|&j| chosen.limits[j] != initial[j])
        .map(|j| {
            let (lower, upper) = chosen.limits[j];
            BoxLimits {
                column: j,
                name: names[j].clone(),
                lower,
                upper,
                quasi_p_lower: (lower != initial[j].0).then(|| quasi_p(j, 0)),
                quasi_p_upper: (upper != initial[j].1).then(|| quasi_p(j, 1)),
            }
        })
        .collect()
}

/// Checks the input once, so the search itself cannot fail.
fn check(
    names: &[String],
    columns: &[Vec<f64>],
    of_interest: &[bool],
    options: &PrimOptions,
) -> Result<(), PrimError> {
    let fraction = |name, value: f64| {
        if value > 0.0 && value < 1.0 {
            Ok(())
        } else {
            Err(PrimError::Option {
                name,
                value,
                expected: "0 < value < 1",
            })
        }
    };
    fraction("peel_alpha", options.peel_alpha)?;
    fraction("paste_alpha", options.paste_alpha)?;
    if !(0.0..=1.0).contains(&options.mass_min) {
        return Err(PrimError::Option {
            name: "mass_min",
            value: options.mass_min,
            expected: "0 <= value <= 1",
        });
    }
    if !(options.threshold > 0.0 && options.threshold <= 1.0) {
        return Err(PrimError::Option {
            name: "threshold",
            value: options.threshold,
            expected: "0 < value <= 1",
        });
    }
    if names.len() != columns.len() {
        return Err(PrimError::NamesMismatch {
            names: names.len(),
            columns: columns.len(),
        });
    }
    let rows = of_interest.len();
    if rows == 0 || columns.is_empty() {
        return Err(PrimError::Empty {
            rows,
            columns: columns.len(),
        });
    }
    for (name, column) in names.iter().zip(columns) {
        if column.len() != rows {
            return Err(PrimError::LengthMismatch {
                name: name.clone(),
                length: column.len(),
                rows,
            });
        }
        if let Some((row, &value)) = column.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(PrimError::NonFinite {
                name: name.clone(),
                row,
                value,
            });
        }
    }
    match of_interest.iter().filter(|&&case| case).count() {
        0 => Err(PrimError::NoCaseOfInterest),
        cases if cases == rows => Err(PrimError::OnlyCasesOfInterest),
        _ => Ok(()),
    }
}
