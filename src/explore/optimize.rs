//! The budgeted placement search: which backups (sector × hinterland region × size) to hold
//! for an annual holding-cost budget so that the expected loss (or its CVaR95) is smallest.
//!
//! The search is generic over the objective: [`search`] asks `evaluate(portfolio)` for the
//! objective of a portfolio (a set of candidates; in `hinterland optimize`, an ensemble of the
//! scenario with those backups, on common random numbers) and caches every answer, so that
//! no portfolio is evaluated twice.
//!
//! - **Exact** up to [`EXACT_UP_TO`] candidates: every feasible portfolio (within the budget,
//!   at most one size per group) is evaluated, and the best kept.
//! - **Above**: greedy by marginal benefit per cost (each step adds the feasible candidate
//!   with the largest loss avoided per unit of cost, while one helps), and separately the
//!   best single candidate; the better of the two is kept. Greedy alone can be arbitrarily
//!   bad with a budget (a cheap small gain can crowd out a large one that no longer fits);
//!   with the best single candidate beside it the result is within a constant factor of the
//!   optimum when the loss avoided is submodular (Khuller, Moss and Naor 1999; Leskovec et
//!   al. 2007, "cost-effective lazy forward selection").
//!
//! Ties go to the cheaper portfolio, then to the one with the lower candidate indices, so
//! the result never depends on evaluation order.

use std::collections::BTreeMap;

/// Candidates up to which every feasible portfolio is evaluated.
pub const EXACT_UP_TO: usize = 12;

/// One candidate backup.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Annual holding cost (money a year).
    pub cost: f64,
    /// Candidates of one group (the same sector and region at different sizes) exclude each
    /// other.
    pub group: usize,
}

/// How the portfolio was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Every feasible portfolio evaluated.
    Exact,
    /// Greedy by benefit per cost.
    Greedy,
    /// The best single candidate (it beat greedy).
    BestSingle,
}

impl Method {
    /// The name the tables use.
    pub fn name(self) -> &'static str {
        match self {
            Method::Exact => "exact",
            Method::Greedy => "greedy",
            Method::BestSingle => "best single",
        }
    }
}

/// The portfolio chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// Candidate indices, increasing.
    pub chosen: Vec<usize>,
    /// Its objective (the smaller the better).
    pub objective: f64,
    /// Its annual holding cost.
    pub cost: f64,
    /// How it was found.
    pub method: Method,
}

/// What a search did: the choice, and every portfolio it evaluated with its objective, in
/// the order of evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    /// The portfolio chosen.
    pub choice: Choice,
    /// `(portfolio, objective)` of every portfolio evaluated, the empty one first.
    pub evaluated: Vec<(Vec<usize>, f64)>,
}

/// The evaluations of one search, cached.
struct Evaluations<'a, E> {
    evaluate: &'a mut E,
    seen: BTreeMap<Vec<usize>, f64>,
    order: Vec<(Vec<usize>, f64)>,
}

impl<E: FnMut(&[usize]) -> f64> Evaluations<'_, E> {
    fn of(&mut self, portfolio: &[usize]) -> f64 {
        if let Some(&value) = self.seen.get(portfolio) {
            return value;
        }
        let value = (self.evaluate)(portfolio);
        self.seen.insert(portfolio.to_vec(), value);
        self.order.push((portfolio.to_vec(), value));
        value
    }
}

/// The annual cost of `portfolio`.
fn cost_of(candidates: &[Candidate], portfolio: &[usize]) -> f64 {
    portfolio.iter().map(|&c| candidates[c].cost).sum()
}

/// Whether `portfolio` plus `extra` stays within `budget` with one candidate per group.
fn fits(candidates: &[Candidate], portfolio: &[usize], extra: usize, budget: f64) -> bool {
    !portfolio.contains(&extra)
        && portfolio
            .iter()
            .all(|&c| candidates[c].group != candidates[extra].group)
        && cost_of(candidates, portfolio) + candidates[extra].cost <= budget
}

/// Whether `(objective, cost, portfolio)` `a` is better than `b`: a smaller objective, then a
/// smaller cost, then lower indices.
fn better(a: (f64, f64, &[usize]), b: (f64, f64, &[usize])) -> bool {
    a.0.total_cmp(&b.0)
        .then(a.1.total_cmp(&b.1))
        .then(a.2.cmp(b.2))
        .is_lt()
}

/// The best portfolio of `candidates` within `budget` (annual holding cost), by the objective
/// `evaluate` gives (the smaller the better; not finite counts as worst): exact up to
/// `exact_up_to` candidates, else the better of greedy and the best single candidate. The
/// chosen portfolio never costs more than `budget`. Every portfolio is evaluated once.
pub fn search(
    candidates: &[Candidate],
    budget: f64,
    exact_up_to: usize,
    mut evaluate: impl FnMut(&[usize]) -> f64,
) -> Search {
    let mut evaluations = Evaluations {
        evaluate: &mut evaluate,
        seen: BTreeMap::new(),
        order: Vec::new(),
    };
    let worst = |v: f64| if v.is_nan() { f64::INFINITY } else { v };
    let empty = worst(evaluations.of(&[]));
    let mut best = Choice {
        chosen: Vec::new(),
        objective: empty,
        cost: 0.0,
        method: Method::Exact,
    };
    let consider = |best: &mut Choice, portfolio: Vec<usize>, objective: f64, method| {
        let cost = cost_of(candidates, &portfolio);
        if better(
            (objective, cost, &portfolio),
            (best.objective, best.cost, &best.chosen),
        ) {
            *best = Choice {
                chosen: portfolio,
                objective,
                cost,
                method,
            };
        }
    };
    if candidates.len() <= exact_up_to.min(63) {
        for mask in 1u64..1 << candidates.len() {
            let portfolio: Vec<usize> = (0..candidates.len())
                .filter(|&c| mask >> c & 1 == 1)
                .collect();
            let feasible = portfolio
                .iter()
                .enumerate()
                .all(|(k, &c)| fits(candidates, &portfolio[..k], c, budget));
            if feasible {
                let objective = worst(evaluations.of(&portfolio));
                consider(&mut best, portfolio, objective, Method::Exact);
            }
        }
        return Search {
            choice: best,
            evaluated: evaluations.order,
        };
    }
    best.method = Method::Greedy;
    // greedy: the largest loss avoided per unit of cost, while one helps
    let (mut portfolio, mut current) = (Vec::new(), empty);
    loop {
        let mut step: Option<(f64, f64, usize)> = None;
        for c in 0..candidates.len() {
            if !fits(candidates, &portfolio, c, budget) {
                continue;
            }
            let mut with = portfolio.clone();
            with.push(c);
            with.sort_unstable();
            let value = worst(evaluations.of(&with));
            let gain = current - value;
            if gain.is_nan() || gain <= 0.0 {
                continue;
            }
            let cost = candidates[c].cost;
            let ratio = if cost > 0.0 {
                gain / cost
            } else {
                f64::INFINITY
            };
            // the largest ratio; ties to the larger gain, then the lower index
            let wins = step.is_none_or(|(r, g, _)| ratio > r || (ratio == r && gain > g));
            if wins {
                step = Some((ratio, gain, c));
            }
        }
        let Some((_, _, c)) = step else { break };
        portfolio.push(c);
        portfolio.sort_unstable();
        // evaluated above: from the cache
        current = worst(evaluations.of(&portfolio));
    }
    consider(&mut best, portfolio, current, Method::Greedy);
    for c in 0..candidates.len() {
        if fits(candidates, &[], c, budget) {
            let objective = worst(evaluations.of(&[c]));
            consider(&mut best, vec![c], objective, Method::BestSingle);
        }
    }
    Search {
        choice: best,
        evaluated: evaluations.order,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Candidates with `(cost, group)`.
    fn candidates(list: &[(f64, usize)]) -> Vec<Candidate> {
        list.iter()
            .map(|&(cost, group)| Candidate { cost, group })
            .collect()
    }

    /// An additive objective: the base loss minus each chosen candidate's benefit.
    fn additive(benefits: &[f64]) -> impl FnMut(&[usize]) -> f64 + '_ {
        move |p: &[usize]| 100.0 - p.iter().map(|&c| benefits[c]).sum::<f64>()
    }

    #[test]
    fn exact_search_finds_the_optimum_where_greedy_by_ratio_does_not() {
        // budget 10: greedy by ratio takes the cheap 2-for-1 first (ratio 2), and the 15-for-10
        // (ratio 1.5) no longer fits: 2 avoided instead of 15
        let list = candidates(&[(1.0, 0), (10.0, 1), (9.5, 2)]);
        let benefits = [2.0, 15.0, 3.0];
        let found = search(&list, 10.0, EXACT_UP_TO, additive(&benefits));
        assert_eq!(found.choice.chosen, [1]);
        assert_eq!((found.choice.objective, found.choice.cost), (85.0, 10.0));
        assert_eq!(found.choice.method, Method::Exact);
        // greedy alone (exact search off) would stop at the cheap one; with the best single
        // candidate beside it the optimum is found
        let found = search(&list, 10.0, 0, additive(&benefits));
        assert_eq!(found.choice.chosen, [1]);
        assert_eq!(found.choice.method, Method::BestSingle);
    }

    #[test]
    fn above_the_exact_limit_the_better_of_greedy_and_the_best_single_candidate_wins() {
        // 14 candidates: 13 cheap ones of benefit 1 per cost 1 (ratio 1) and one of cost 13
        // and benefit 12 (ratio 0.92); budget 13: greedy takes the 13 cheap ones (13), which
        // beats the single large one (12)
        let mut list: Vec<(f64, usize)> = (0..13).map(|g| (1.0, g)).collect();
        list.push((13.0, 13));
        let mut benefits = vec![1.0; 13];
        benefits.push(12.0);
        let found = search(&candidates(&list), 13.0, EXACT_UP_TO, additive(&benefits));
        assert_eq!(found.choice.method, Method::Greedy);
        assert_eq!(found.choice.chosen, (0..13).collect::<Vec<_>>());
        assert_eq!(found.choice.objective, 87.0);
        // cheap ones at ratio 2 and the large one worth 20 (ratio 1.54): greedy takes the 13
        // cheap ones (cost 6.5, 13 avoided) and the large one no longer fits; alone it avoids
        // 20, the optimum
        let mut list: Vec<(f64, usize)> = (0..13).map(|g| (0.5, g)).collect();
        list.push((13.0, 13));
        let found = search(
            &candidates(&list),
            13.0,
            EXACT_UP_TO,
            additive(&[
                1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 20.0,
            ]),
        );
        assert_eq!(found.choice.method, Method::BestSingle);
        assert_eq!(found.choice.chosen, [13]);
        assert_eq!(found.choice.objective, 80.0);
    }

    #[test]
    fn the_budget_and_the_groups_are_never_exceeded_and_nothing_is_evaluated_twice() {
        // sizes of one placement exclude each other; an interaction makes 0 + 2 worth more
        let list = candidates(&[(3.0, 0), (6.0, 0), (4.0, 1), (2.0, 2), (5.0, 3)]);
        for budget in [0.0, 2.0, 5.0, 7.0, 9.9, 12.0, 100.0] {
            for exact_up_to in [0, EXACT_UP_TO] {
                let mut calls = 0;
                let found = search(&list, budget, exact_up_to, |p: &[usize]| {
                    calls += 1;
                    let mut loss =
                        50.0 - p.iter().map(|&c| [4.0, 7.0, 3.0, 1.0, 2.5][c]).sum::<f64>();
                    if p.contains(&0) && p.contains(&2) {
                        loss -= 6.0;
                    }
                    loss
                });
                let chosen = &found.choice.chosen;
                assert!(found.choice.cost <= budget, "budget {budget}: {chosen:?}");
                assert!(!(chosen.contains(&0) && chosen.contains(&1)), "{chosen:?}");
                assert_eq!(calls, found.evaluated.len());
                let mut portfolios: Vec<&Vec<usize>> =
                    found.evaluated.iter().map(|(p, _)| p).collect();
                portfolios.sort();
                portfolios.dedup();
                assert_eq!(portfolios.len(), found.evaluated.len());
                if exact_up_to == EXACT_UP_TO && budget == 7.0 {
                    // 0 + 2 (cost 7): 50 − 4 − 3 − 6 = 37, better than 1 alone (43)
                    assert_eq!(chosen, &[0, 2]);
                }
            }
        }
    }

    #[test]
    fn a_budget_that_buys_nothing_keeps_the_empty_portfolio() {
        let list = candidates(&[(3.0, 0), (4.0, 1)]);
        for exact_up_to in [0, EXACT_UP_TO] {
            let found = search(&list, 1.0, exact_up_to, additive(&[5.0, 6.0]));
            assert!(found.choice.chosen.is_empty());
            assert_eq!(found.choice.objective, 100.0);
            assert_eq!(found.evaluated, [(vec![], 100.0)]);
        }
        // a candidate that makes things worse is never chosen
        let found = search(&list, 10.0, 0, |p: &[usize]| 10.0 + p.len() as f64);
        assert!(found.choice.chosen.is_empty());
    }
}
