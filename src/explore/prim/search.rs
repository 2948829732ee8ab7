//! The peeling and pasting of EMA Workbench's `Prim._peel`, `Prim._real_peel`,
//! `Prim._paste` and `Prim._real_paste`, with its quantile (`prim_util.get_quantile`) and its
//! default objective function (`Prim._lenient1_obj_func`), line for line where the order of
//! floating-point operations decides the result.

use super::{Move, PrimOptions, Step};

/// One box of the trajectory: its limits and the rows inside them.
pub(super) struct BoxState {
    /// How the box was made.
    pub made_by: Move,
    /// `(lower, upper)` of every column, inclusive.
    pub limits: Vec<(f64, f64)>,
    /// The rows inside the limits, ascending.
    pub rows: Vec<usize>,
    /// How many of `rows` are cases of interest.
    pub cases: usize,
}

/// Which end of a column's interval a move changes.
#[derive(Clone, Copy)]
enum End {
    Lower,
    Upper,
}

/// A possible next box, described by the one limit it changes.
struct Candidate {
    column: usize,
    end: End,
    value: f64,
    rows: usize,
    cases: usize,
    objective: f64,
    unrestricted: usize,
}

impl Candidate {
    /// EMA sorts candidates by `(objective, unrestricted columns)`, descending and stable, and
    /// takes the first: so a later candidate wins only when strictly better.
    fn beats(&self, best: &Candidate) -> bool {
        self.objective > best.objective
            || (self.objective == best.objective && self.unrestricted > best.unrestricted)
    }
}

/// The data and settings one search runs on; the data are checked already.
pub(super) struct Search<'a> {
    columns: &'a [Vec<f64>],
    of_interest: &'a [bool],
    options: &'a PrimOptions,
    /// The box of every row: each column's minimum and maximum (EMA's `box_init`).
    initial: Vec<(f64, f64)>,
    cases_total: usize,
}

impl<'a> Search<'a> {
    /// A search over checked data (at least one row, finite values, equal lengths).
    pub fn new(
        columns: &'a [Vec<f64>],
        of_interest: &'a [bool],
        options: &'a PrimOptions,
    ) -> Search<'a> {
        let initial = columns
            .iter()
            .map(|column| {
                column
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                        (lo.min(v), hi.max(v))
                    })
            })
            .collect();
        Search {
            columns,
            of_interest,
            options,
            initial,
            cases_total: of_interest.iter().filter(|&&case| case).count(),
        }
    }

    /// Each column's minimum and maximum.
    pub fn initial(&self) -> &[(f64, f64)] {
        &self.initial
    }

    fn rows_total(&self) -> usize {
        self.of_interest.len()
    }

    /// The box of every row.
    pub fn start(&self) -> BoxState {
        BoxState {
            made_by: Move::Start,
            limits: self.initial.clone(),
            rows: (0..self.rows_total()).collect(),
            cases: self.cases_total,
        }
    }

    /// Share of the box's rows that are cases of interest (EMA's `mean` and `density`).
    pub fn density(&self, state: &BoxState) -> f64 {
        state.cases as f64 / state.rows.len() as f64
    }

    /// A trajectory step's statistics, computed as EMA's `PrimBox.update` does.
    pub fn step(&self, state: &BoxState) -> Step {
        Step {
            made_by: state.made_by,
            coverage: state.cases as f64 / self.cases_total as f64,
            density: self.density(state),
            mass: self.mass(state.rows.len()),
            restricted: self.initial.len() - self.unrestricted(&state.limits),
            rows: state.rows.len(),
            cases: state.cases,
            limits: state.limits.clone(),
        }
    }

    fn mass(&self, rows: usize) -> f64 {
        rows as f64 / self.rows_total() as f64
    }

    /// Columns whose limits are still the data's minimum and maximum.
    fn unrestricted(&self, limits: &[(f64, f64)]) -> usize {
        limits
            .iter()
            .zip(&self.initial)
            .filter(|(limit, initial)| limit == initial)
            .count()
    }

    fn within(&self, limits: &[(f64, f64)], row: usize) -> bool {
        limits
            .iter()
            .zip(self.columns)
            .all(|(&(lower, upper), column)| lower <= column[row] && column[row] <= upper)
    }

    /// Rows and cases of interest of all the data inside `limits`.
    pub fn count_within(&self, limits: &[(f64, f64)]) -> (usize, usize) {
        (0..self.rows_total())
            .filter(|&row| self.within(limits, row))
            .fold((0, 0), |(rows, cases), row| {
                (rows + 1, cases + usize::from(self.of_interest[row]))
            })
    }

    /// Peels until no peel is accepted, pushing each new box (EMA's `_peel`).
    pub fn peel(&self, boxes: &mut Vec<BoxState>) {
        loop {
            let current = boxes.last().expect("the start box is always there");
            let Some(best) = self.best_peel(current) else {
                return;
            };
            let mass_old = self.mass(current.rows.len());
            let mass_new = self.mass(best.rows);
            if !(mass_new >= self.options.mass_min && mass_new < mass_old && best.objective > 0.0) {
                return;
            }
            let next = self.apply(current, &best, Move::Peel);
            boxes.push(next);
        }
    }

    /// The best of the two peels of every column (EMA's `_real_peel`: upper end, then lower).
    fn best_peel(&self, current: &BoxState) -> Option<Candidate> {
        let mut best: Option<Candidate> = None;
        let mut values = Vec::with_capacity(current.rows.len());
        for (column, data) in self.columns.iter().enumerate() {
            values.clear();
            values.extend(current.rows.iter().map(|&row| data[row]));
            values.sort_by(f64::total_cmp);
            for end in [End::Upper, End::Lower] {
                let (value, keep): (f64, fn(f64, f64) -> bool) = match end {
                    End::Upper => (
                        quantile(&values, 1.0 - self.options.peel_alpha),
                        |x, cut| x <= cut,
                    ),
                    End::Lower => (quantile(&values, self.options.peel_alpha), |x, cut| {
                        x >= cut
                    }),
                };
                let (rows, cases) = current
                    .rows
                    .iter()
                    .filter(|&&row| keep(data[row], value))
                    .fold((0, 0), |(rows, cases), &row| {
                        (rows + 1, cases + usize::from(self.of_interest[row]))
                    });
                let candidate = self.candidate(current, column, end, value, rows, cases);
                if best.as_ref().is_none_or(|b| candidate.beats(b)) {
                    best = Some(candidate);
                }
            }
        }
        best
    }

    /// Pastes until no paste is accepted, pushing each new box (EMA's `_paste`).
    pub fn paste(&self, boxes: &mut Vec<BoxState>) {
        loop {
            let current = boxes.last().expect("the start box is always there");
            let Some(best) = self.best_paste(current) else {
                return;
            };
            let mass_old = self.mass(current.rows.len());
            let mass_new = self.mass(best.rows);
            let mean_old = self.density(current);
            let mean_new = best.cases as f64 / best.rows as f64;
            if !(mass_new >= self.options.mass_min
                && mass_new > mass_old
                && best.objective > 0.0
                && mean_new > mean_old)
            {
                return;
            }
            let next = self.apply(current, &best, Move::Paste);
            boxes.push(next);
        }
    }

    /// The best of the two pastes of every restricted column (EMA's `_real_paste`: lower
    /// end, then upper). A paste moves a limit to the `1 - paste_alpha` (lower end) or
    /// `paste_alpha` (upper end) quantile of the rows in the strip between the limit and the
    /// data's extreme that lie inside the other limits, or to the extreme if there are none.
    fn best_paste(&self, current: &BoxState) -> Option<Candidate> {
        let mut best: Option<Candidate> = None;
        let mut strip = current.limits.clone();
        let mut values = Vec::new();
        for column in 0..self.columns.len() {
            let (lower, upper) = current.limits[column];
            let (minimum, maximum) = self.initial[column];
            if (lower, upper) == (minimum, maximum) {
                continue;
            }
            for end in [End::Lower, End::Upper] {
                strip[column] = match end {
                    End::Lower => (minimum, lower),
                    End::Upper => (upper, maximum),
                };
                values.clear();
                values.extend(
                    (0..self.rows_total())
                        .filter(|&row| self.within(&strip, row))
                        .map(|row| self.columns[column][row]),
                );
                values.sort_by(f64::total_cmp);
                let value = match (end, values.is_empty()) {
                    (End::Lower, true) => minimum,
                    (End::Upper, true) => maximum,
                    (End::Lower, false) => quantile(&values, 1.0 - self.options.paste_alpha),
                    (End::Upper, false) => quantile(&values, self.options.paste_alpha),
                };
                strip[column] = match end {
                    End::Lower => (value, upper),
                    End::Upper => (lower, value),
                };
                let (rows, cases) = self.count_within(&strip);
                let candidate = self.candidate(current, column, end, value, rows, cases);
                if best.as_ref().is_none_or(|b| candidate.beats(b)) {
                    best = Some(candidate);
                }
            }
            strip[column] = (lower, upper);
        }
        best
    }

    fn candidate(
        &self,
        current: &BoxState,
        column: usize,
        end: End,
        value: f64,
        rows: usize,
        cases: usize,
    ) -> Candidate {
        let limits = moved(&current.limits, column, end, value);
        Candidate {
            column,
            end,
            value,
            rows,
            cases,
            objective: lenient1((current.rows.len(), current.cases), (rows, cases)),
            unrestricted: self.unrestricted(&limits),
        }
    }

    /// The box a candidate describes, its rows found afresh.
    fn apply(&self, current: &BoxState, chosen: &Candidate, made_by: Move) -> BoxState {
        let limits = moved(&current.limits, chosen.column, chosen.end, chosen.value);
        let rows: Vec<usize> = match made_by {
            // a peel keeps rows of the current box only
            Move::Peel => current
                .rows
                .iter()
                .copied()
                .filter(|&row| self.within(&limits, row))
                .collect(),
            Move::Start | Move::Paste => (0..self.rows_total())
                .filter(|&row| self.within(&limits, row))
                .collect(),
        };
        let cases = rows.iter().filter(|&&row| self.of_interest[row]).count();
        debug_assert_eq!((rows.len(), cases), (chosen.rows, chosen.cases));
        BoxState {
            made_by,
            limits,
            rows,
            cases,
        }
    }
}

/// `limits` with one end of one column moved to `value`.
fn moved(limits: &[(f64, f64)], column: usize, end: End, value: f64) -> Vec<(f64, f64)> {
    let mut limits = limits.to_vec();
    match end {
        End::Lower => limits[column].0 = value,
        End::Upper => limits[column].1 = value,
    }
    limits
}

/// EMA's default objective (`LENIENT1`): the change in density per row removed or added,
/// `(mean_new - mean_old) / |n_new - n_old|`, and 0 when the density does not change. An
/// empty box has density 0. Arguments are `(rows, cases of interest)`.
fn lenient1((rows_old, cases_old): (usize, usize), (rows_new, cases_new): (usize, usize)) -> f64 {
    let mean_old = cases_old as f64 / rows_old as f64;
    let mean_new = if rows_new > 0 {
        cases_new as f64 / rows_new as f64
    } else {
        0.0
    };
    if mean_old == mean_new {
        return 0.0;
    }
    // the boxes are nested, so a different density means a different number of rows
    debug_assert_ne!(rows_old, rows_new);
    (mean_new - mean_old) / rows_old.abs_diff(rows_new) as f64
}

/// EMA's `get_quantile` (modelled on sdtoolkit): on sorted data, the midpoint between the
/// values around position `(n - 1) * q`, widened past ties so that the cut falls between two
/// distinct values, downwards for `q > 0.5` and upwards otherwise. `sorted` is not empty
/// and `0 < q < 1`.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let position = (sorted.len() - 1) as f64 * q;
    let mut lower = position.floor() as usize;
    let mut upper = position.ceil() as usize;
    if q > 0.5 {
        while sorted[lower] == sorted[upper] && lower > 0 {
            lower -= 1;
        }
    } else {
        while sorted[lower] == sorted[upper] && upper < sorted.len() - 1 {
            upper += 1;
        }
    }
    (sorted[lower] + sorted[upper]) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_cuts_between_distinct_values() {
        let data = [1.0, 2.0, 3.0, 4.0, 5.0];
        // (5 - 1) * 0.05 = 0.2: between the first two values
        assert_eq!(quantile(&data, 0.05), 1.5);
        // (5 - 1) * 0.95 = 3.8: between the last two
        assert_eq!(quantile(&data, 0.95), 4.5);
        // an exact position moves past the tie with itself: to the next value up or down
        assert_eq!(quantile(&data, 0.25), 2.5);
        assert_eq!(quantile(&data, 0.75), 3.5);
        // ties are skipped
        let tied = [1.0, 1.0, 1.0, 2.0, 3.0];
        assert_eq!(quantile(&tied, 0.05), 1.5);
        let tied_top = [1.0, 2.0, 3.0, 3.0, 3.0];
        assert_eq!(quantile(&tied_top, 0.95), 2.5);
        // nothing to cut between: the value itself
        assert_eq!(quantile(&[7.0, 7.0], 0.05), 7.0);
        assert_eq!(quantile(&[7.0], 0.95), 7.0);
    }

    #[test]
    fn lenient1_is_the_density_gain_per_row() {
        // 10 rows, 5 cases -> 8 rows, 5 cases: density 0.5 -> 0.625 over 2 rows
        assert_eq!(lenient1((10, 5), (8, 5)), (0.625 - 0.5) / 2.0);
        // a paste that adds 2 rows and 2 cases to 8 rows with 4 cases
        assert_eq!(lenient1((8, 4), (10, 6)), (0.6 - 0.5) / 2.0);
        assert_eq!(lenient1((10, 5), (6, 3)), 0.0);
        assert_eq!(lenient1((10, 5), (0, 0)), -0.5 / 10.0);
    }
}
