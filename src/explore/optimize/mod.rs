//! The budgeted placement search: which backups (sector × hinterland region × size) to hold
//! for an annual holding-cost budget so that the expected loss (or its CVaR95) is smallest.
//!
//! The search is generic over the objective: [`search`] asks `evaluate(portfolio)` for the
//! objective of a portfolio (a set of candidates; in `hinterland optimize`, an ensemble of the
//! scenario with those backups, on common random numbers: [`placement`]) and keeps every
//! answer in a [`Cache`], so that no portfolio is evaluated twice, across budgets too.
//!
//! - **Exact** up to [`EXACT_UP_TO`] candidates: every feasible portfolio (within the budget,
//!   at most one size per group) is evaluated, and the best kept.
//! - **Above**: greedy by marginal benefit per cost, and separately the best single
//!   candidate; the better of the two is kept. Each greedy step takes the move with the
//!   largest loss avoided per unit of extra cost, while one helps: a move adds a candidate of
//!   a group not yet held, or replaces the group's size by a larger one (the extra cost is
//!   the difference). Greedy alone can be arbitrarily bad with a budget (a cheap small gain
//!   can crowd out a large one that no longer fits); with the best single candidate beside it
//!   the result is within a constant factor of the optimum when the loss avoided is
//!   submodular (Khuller, Moss and Naor 1999; Leskovec et al. 2007).
//! - **Lazily** (Leskovec et al. 2007, "CELF"): a move's ratio from an earlier step bounds
//!   its ratio now when the loss avoided is submodular (a backup helps less when others are
//!   held), so a step re-evaluates only the move with the largest bound until that move's
//!   fresh ratio is still the largest. The first step evaluates every feasible candidate
//!   alone (which gives the best single candidate too); later steps usually one or two
//!   portfolios. When backups complement each other (not submodular) lazy and plain greedy
//!   can differ; exact search on small sets measures the gap.
//!
//! - **Twins**: candidates the caller declares interchangeable (in `hinterland optimize`, the
//!   same backup in two regions whose runs alone gave the same losses) are evaluated once per
//!   step: [`search_with_twins`].
//!
//! Ties go to the cheaper portfolio, then to the one with the lower candidate indices, so
//! the result never depends on evaluation order.

use std::collections::BTreeMap;

pub mod placement;

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

/// One step of the greedy path: the portfolio after it, its objective and cost, and the
/// loss avoided per unit of extra cost the step bought.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Candidate indices, increasing.
    pub portfolio: Vec<usize>,
    /// Its objective.
    pub objective: f64,
    /// Its annual holding cost.
    pub cost: f64,
    /// Objective reduction per unit of extra cost (the marginal value of the budget there).
    pub ratio: f64,
}

/// What a search found: the choice, and (above the exact limit) the greedy path from the
/// empty portfolio.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    /// The portfolio chosen.
    pub choice: Choice,
    /// The greedy steps, in order (empty for exact search).
    pub path: Vec<Step>,
}

/// Every portfolio evaluated, with its objective, in the order of evaluation: shared by the
/// searches of several budgets, so that none is evaluated twice.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cache {
    seen: BTreeMap<Vec<usize>, f64>,
    order: Vec<(Vec<usize>, f64)>,
}

impl Cache {
    /// `(portfolio, objective)` of every portfolio evaluated, in order.
    pub fn evaluated(&self) -> &[(Vec<usize>, f64)] {
        &self.order
    }

    /// The objective of `portfolio` (not finite counts as worst), evaluated once.
    fn of<E>(
        &mut self,
        portfolio: &[usize],
        evaluate: &mut impl FnMut(&[usize]) -> Result<f64, E>,
    ) -> Result<f64, E> {
        if let Some(&value) = self.seen.get(portfolio) {
            return Ok(value);
        }
        let value = evaluate(portfolio)?;
        let value = if value.is_nan() { f64::INFINITY } else { value };
        self.seen.insert(portfolio.to_vec(), value);
        self.order.push((portfolio.to_vec(), value));
        Ok(value)
    }
}

/// The annual cost of `portfolio`.
fn cost_of(candidates: &[Candidate], portfolio: &[usize]) -> f64 {
    portfolio.iter().map(|&c| candidates[c].cost).sum()
}

/// `portfolio` with `extra` added, or replacing the candidate of its group, if the result is
/// a move up (a group not held, or a dearer size of one held) within `budget`.
fn moved(
    candidates: &[Candidate],
    portfolio: &[usize],
    extra: usize,
    budget: f64,
) -> Option<Vec<usize>> {
    let held = portfolio
        .iter()
        .find(|&&c| candidates[c].group == candidates[extra].group);
    if let Some(&held) = held
        && candidates[extra].cost <= candidates[held].cost
    {
        return None;
    }
    let mut with: Vec<usize> = portfolio
        .iter()
        .copied()
        .filter(|&c| Some(&c) != held)
        .collect();
    with.push(extra);
    with.sort_unstable();
    (cost_of(candidates, &with) <= budget).then_some(with)
}

/// Whether every candidate of `portfolio` is of a different group, within `budget`.
fn feasible(candidates: &[Candidate], portfolio: &[usize], budget: f64) -> bool {
    let mut groups: Vec<usize> = portfolio.iter().map(|&c| candidates[c].group).collect();
    groups.sort_unstable();
    groups.dedup();
    groups.len() == portfolio.len() && cost_of(candidates, portfolio) <= budget
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
/// `exact_up_to` candidates, else the better of lazy greedy and the best single candidate.
/// The chosen portfolio never costs more than `budget`. Portfolios already in `cache` are not
/// evaluated again; an error of `evaluate` ends the search.
pub fn search<E>(
    candidates: &[Candidate],
    budget: f64,
    exact_up_to: usize,
    cache: &mut Cache,
    evaluate: impl FnMut(&[usize]) -> Result<f64, E>,
) -> Result<Search, E> {
    search_with_twins(
        candidates,
        budget,
        exact_up_to,
        cache,
        |_, _| false,
        evaluate,
    )
}

/// [`search`], where greedy takes `twins(a, b)` (`a < b`, of the same cost) to mean that
/// adding `b` to any portfolio does what adding `a` does: a step that has evaluated adding
/// `a` gives adding `b` the same ratio without evaluating it (and `a`, the lower index, wins
/// the tie). `hinterland optimize` calls two candidates twins when they differ only in their
/// region and their runs alone gave the same losses to 1e-9 (a region no shock touches).
pub fn search_with_twins<E>(
    candidates: &[Candidate],
    budget: f64,
    exact_up_to: usize,
    cache: &mut Cache,
    twins: impl Fn(usize, usize) -> bool,
    mut evaluate: impl FnMut(&[usize]) -> Result<f64, E>,
) -> Result<Search, E> {
    let empty = cache.of(&[], &mut evaluate)?;
    let mut best = Choice {
        chosen: Vec::new(),
        objective: empty,
        cost: 0.0,
        method: Method::Exact,
    };
    let consider = |best: &mut Choice, portfolio: &[usize], objective: f64, method| {
        let cost = cost_of(candidates, portfolio);
        if better(
            (objective, cost, portfolio),
            (best.objective, best.cost, &best.chosen),
        ) {
            *best = Choice {
                chosen: portfolio.to_vec(),
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
            if feasible(candidates, &portfolio, budget) {
                let objective = cache.of(&portfolio, &mut evaluate)?;
                consider(&mut best, &portfolio, objective, Method::Exact);
            }
        }
        return Ok(Search {
            choice: best,
            path: Vec::new(),
        });
    }
    best.method = Method::Greedy;
    // lazy greedy: `bound[c]` is c's ratio when last evaluated, fresh if for this portfolio
    let (mut portfolio, mut current) = (Vec::new(), empty);
    let mut bound: Vec<Option<f64>> = vec![None; candidates.len()];
    let mut fresh = vec![false; candidates.len()];
    let mut path = Vec::new();
    loop {
        // the move with the largest bound (never evaluated: first), fresh ones first on a
        // tie, then the lowest index
        let top = (0..candidates.len())
            .filter_map(|c| moved(candidates, &portfolio, c, budget).map(|with| (c, with)))
            .max_by(|(a, _), (b, _)| {
                let key = |c: usize| (bound[c].unwrap_or(f64::INFINITY), fresh[c]);
                let (ka, kb) = (key(*a), key(*b));
                ka.0.total_cmp(&kb.0).then(ka.1.cmp(&kb.1)).then(b.cmp(a))
            });
        let Some((c, with)) = top else { break };
        if !fresh[c] {
            // adding a twin of a lower candidate whose addition was just evaluated: its ratio
            let adds = |k: usize| {
                portfolio
                    .iter()
                    .all(|&h| candidates[h].group != candidates[k].group)
            };
            let twin = (0..c).find(|&e| {
                fresh[e]
                    && adds(e)
                    && adds(c)
                    && candidates[e].cost == candidates[c].cost
                    && twins(e, c)
            });
            if let Some(e) = twin {
                bound[c] = bound[e];
                fresh[c] = true;
                continue;
            }
            let value = cache.of(&with, &mut evaluate)?;
            let extra = cost_of(candidates, &with) - cost_of(candidates, &portfolio);
            let gain = current - value;
            let ratio = if gain.is_nan() || gain <= 0.0 {
                // no help (a worse or equal loss, or both infinite)
                if gain.is_nan() {
                    f64::NEG_INFINITY
                } else {
                    gain
                }
            } else if extra > 0.0 {
                gain / extra
            } else {
                f64::INFINITY
            };
            bound[c] = Some(ratio);
            fresh[c] = true;
            continue;
        }
        let ratio = bound[c].unwrap_or(f64::NEG_INFINITY);
        if ratio.is_nan() || ratio <= 0.0 {
            break;
        }
        current = cache.of(&with, &mut evaluate)?;
        portfolio = with;
        path.push(Step {
            portfolio: portfolio.clone(),
            objective: current,
            cost: cost_of(candidates, &portfolio),
            ratio,
        });
        fresh.iter_mut().for_each(|f| *f = false);
    }
    consider(&mut best, &portfolio, current, Method::Greedy);
    for c in 0..candidates.len() {
        if feasible(candidates, &[c], budget) {
            let objective = cache.of(&[c], &mut evaluate)?;
            consider(&mut best, &[c], objective, Method::BestSingle);
        }
    }
    Ok(Search { choice: best, path })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::convert::Infallible;

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

    /// A search with a fresh cache: its result and every portfolio evaluated.
    fn find(
        list: &[Candidate],
        budget: f64,
        exact_up_to: usize,
        mut objective: impl FnMut(&[usize]) -> f64,
    ) -> (Search, Vec<(Vec<usize>, f64)>) {
        let mut cache = Cache::default();
        let found = search(list, budget, exact_up_to, &mut cache, |p| {
            Ok::<_, Infallible>(objective(p))
        })
        .unwrap();
        (found, cache.evaluated().to_vec())
    }

    #[test]
    fn exact_search_finds_the_optimum_where_greedy_by_ratio_does_not() {
        // budget 10: greedy by ratio takes the cheap 2-for-1 first (ratio 2), and the 15-for-10
        // (ratio 1.5) no longer fits: 2 avoided instead of 15
        let list = candidates(&[(1.0, 0), (10.0, 1), (9.5, 2)]);
        let benefits = [2.0, 15.0, 3.0];
        let (found, _) = find(&list, 10.0, EXACT_UP_TO, additive(&benefits));
        assert_eq!(found.choice.chosen, [1]);
        assert_eq!((found.choice.objective, found.choice.cost), (85.0, 10.0));
        assert_eq!(found.choice.method, Method::Exact);
        // greedy alone (exact search off) stops at the cheap one; with the best single
        // candidate beside it the optimum is found
        let (found, _) = find(&list, 10.0, 0, additive(&benefits));
        assert_eq!(found.path.len(), 1);
        assert_eq!(found.path[0].portfolio, [0]);
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
        let (found, _) = find(&candidates(&list), 13.0, EXACT_UP_TO, additive(&benefits));
        assert_eq!(found.choice.method, Method::Greedy);
        assert_eq!(found.choice.chosen, (0..13).collect::<Vec<_>>());
        assert_eq!(found.choice.objective, 87.0);
        // the path is the portfolio growing one by one, each step at ratio 1
        assert_eq!(found.path.len(), 13);
        assert!(found.path.iter().all(|s| s.ratio == 1.0));
        assert_eq!(found.path[4].portfolio, [0, 1, 2, 3, 4]);
        // cheap ones at ratio 2 and the large one worth 20 (ratio 1.54): greedy takes the 13
        // cheap ones (cost 6.5, 13 avoided) and the large one no longer fits; alone it avoids
        // 20, the optimum
        let mut list: Vec<(f64, usize)> = (0..13).map(|g| (0.5, g)).collect();
        list.push((13.0, 13));
        let mut benefits = vec![1.0; 13];
        benefits.push(20.0);
        let (found, _) = find(&candidates(&list), 13.0, EXACT_UP_TO, additive(&benefits));
        assert_eq!(found.choice.method, Method::BestSingle);
        assert_eq!(found.choice.chosen, [13]);
        assert_eq!(found.choice.objective, 80.0);
    }

    #[test]
    fn greedy_moves_a_held_placement_to_a_larger_size() {
        // group 0 in three sizes (costs 1, 2, 4; benefits 3, 5, 8, diminishing), group 1 one
        // size (cost 3, benefit 2); budget 7: greedy takes size 1 (ratio 3), then moves to
        // size 2 (ratio 2 on the extra cost 1), then to size 4 (ratio 1.5 on the extra 2),
        // then adds group 1 (ratio 0.67): every candidate of group 0 is tried in turn
        let list = candidates(&[(1.0, 0), (2.0, 0), (4.0, 0), (3.0, 1)]);
        let benefits = [3.0, 5.0, 8.0, 2.0];
        let (found, evaluated) = find(&list, 7.0, 0, additive(&benefits));
        let path: Vec<&[usize]> = found.path.iter().map(|s| s.portfolio.as_slice()).collect();
        assert_eq!(path, [&[0][..], &[1], &[2], &[2, 3]]);
        let ratios: Vec<f64> = found.path.iter().map(|s| s.ratio).collect();
        assert_eq!(ratios, [3.0, 2.0, 1.5, 2.0 / 3.0]);
        assert_eq!(found.choice.chosen, [2, 3]);
        assert_eq!((found.choice.objective, found.choice.cost), (90.0, 7.0));
        // the same optimum by exact search, which never holds two sizes of one group
        let (exact, all) = find(&list, 7.0, EXACT_UP_TO, additive(&benefits));
        assert_eq!(exact.choice.chosen, [2, 3]);
        assert!(all.iter().all(|(p, _)| !(p.contains(&0) && p.contains(&1))));
        // lazy: after the first step (every single candidate), later steps re-evaluate only
        // what may win; plain greedy would evaluate every feasible move at every step
        assert!(evaluated.len() < all.len(), "{evaluated:?}");
    }

    #[test]
    fn a_twin_of_a_candidate_just_evaluated_is_not_evaluated_again_and_the_lower_one_wins() {
        // groups 0, 1, 2 hold the same backup in three regions (twins), group 3 another, all
        // of cost 2; the first twin avoids 5, a second 4 more (diminishing), the other 3
        let list = candidates(&[(2.0, 0), (2.0, 1), (2.0, 2), (2.0, 3)]);
        let objective = |p: &[usize]| {
            let held = p.iter().filter(|&&c| c < 3).count();
            100.0 - [0.0, 5.0, 9.0, 12.0][held] - if p.contains(&3) { 3.0 } else { 0.0 }
        };
        let twins = |a: usize, b: usize| a < 3 && b < 3;
        let mut cache = Cache::default();
        let found = search_with_twins(&list, 4.0, 0, &mut cache, twins, |p: &[usize]| {
            Ok::<_, Infallible>(objective(p))
        })
        .unwrap();
        // the same choice as without twins: two of the regions, the lowest indices
        let (plain, all) = find(&list, 4.0, 0, objective);
        assert_eq!(found.choice, plain.choice);
        assert_eq!(found.choice.chosen, [0, 1]);
        // step 1 evaluates the four alone; step 2 evaluates adding 1 (ratio 2) but not 2, its
        // twin, whose stale bound (2.5) plain lazy greedy must check
        let portfolios: Vec<&Vec<usize>> = cache.evaluated().iter().map(|(p, _)| p).collect();
        assert!(!portfolios.contains(&&vec![0, 2]), "{portfolios:?}");
        assert!(all.iter().any(|(p, _)| p == &[0, 2]), "plain greedy does");
        assert!(cache.evaluated().len() < all.len());
    }

    #[test]
    fn the_budget_and_the_groups_are_never_exceeded_and_nothing_is_evaluated_twice() {
        // sizes of one placement exclude each other; an interaction makes 0 + 2 worth more
        let list = candidates(&[(3.0, 0), (6.0, 0), (4.0, 1), (2.0, 2), (5.0, 3)]);
        let mut cache = Cache::default();
        let mut calls = 0;
        for budget in [0.0, 2.0, 5.0, 7.0, 9.9, 12.0, 100.0] {
            for exact_up_to in [0, EXACT_UP_TO] {
                let found = search(&list, budget, exact_up_to, &mut cache, |p: &[usize]| {
                    calls += 1;
                    let mut loss =
                        50.0 - p.iter().map(|&c| [4.0, 7.0, 3.0, 1.0, 2.5][c]).sum::<f64>();
                    if p.contains(&0) && p.contains(&2) {
                        loss -= 6.0;
                    }
                    Ok::<_, Infallible>(loss)
                })
                .unwrap();
                let chosen = &found.choice.chosen;
                assert!(found.choice.cost <= budget, "budget {budget}: {chosen:?}");
                assert!(!(chosen.contains(&0) && chosen.contains(&1)), "{chosen:?}");
                for step in &found.path {
                    assert!(step.cost <= budget && feasible(&list, &step.portfolio, budget));
                }
                if exact_up_to == EXACT_UP_TO && budget == 7.0 {
                    // 0 + 2 (cost 7): 50 − 4 − 3 − 6 = 37, better than 1 alone (43)
                    assert_eq!(chosen, &[0, 2]);
                }
            }
        }
        // one cache across every budget: each portfolio evaluated once
        assert_eq!(calls, cache.evaluated().len());
        let mut portfolios: Vec<&Vec<usize>> = cache.evaluated().iter().map(|(p, _)| p).collect();
        portfolios.sort();
        portfolios.dedup();
        assert_eq!(portfolios.len(), calls);
    }

    #[test]
    fn an_error_of_the_objective_ends_the_search() {
        let list = candidates(&[(1.0, 0), (1.0, 1)]);
        for exact_up_to in [0, EXACT_UP_TO] {
            let mut cache = Cache::default();
            let found = search(&list, 5.0, exact_up_to, &mut cache, |p: &[usize]| {
                if p == [1] {
                    Err("interrupted")
                } else {
                    Ok(10.0)
                }
            });
            assert_eq!(found, Err("interrupted"));
        }
    }

    #[test]
    fn a_budget_that_buys_nothing_keeps_the_empty_portfolio() {
        let list = candidates(&[(3.0, 0), (4.0, 1)]);
        for exact_up_to in [0, EXACT_UP_TO] {
            let (found, evaluated) = find(&list, 1.0, exact_up_to, additive(&[5.0, 6.0]));
            assert!(found.choice.chosen.is_empty());
            assert_eq!(found.choice.objective, 100.0);
            assert_eq!(evaluated, [(vec![], 100.0)]);
        }
        // a candidate that makes things worse is never chosen, nor one that cannot be
        // computed (NaN counts as the worst)
        let (found, _) = find(&list, 10.0, 0, |p: &[usize]| 10.0 + p.len() as f64);
        assert!(found.choice.chosen.is_empty() && found.path.is_empty());
        let (found, _) = find(
            &list,
            10.0,
            0,
            |p: &[usize]| {
                if p.is_empty() { 10.0 } else { f64::NAN }
            },
        );
        assert!(found.choice.chosen.is_empty());
    }
}
