//! The structural measures of criticality, read from the network alone (no simulation): how
//! much an industry sells to domestic buyers, how far the domestic value added that depends on
//! it reaches (a PageRank over input shares), and how many of its buyers have no other source
//! of a critical input. Plus Spearman's rank correlation, to compare them with the simulated
//! losses.

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::economy::Economy;

/// Damping factor of the reach (Brin and Page 1998's 0.85): the weight of the buyers'
/// dependence against the industry's own value added.
pub const DAMPING: f64 = 0.85;

/// Iterations of the reach at most; it stops earlier once no value moves by more than
/// [`REACH_TOLERANCE`].
const REACH_ITERATIONS: usize = 1000;
const REACH_TOLERANCE: f64 = 1e-15;

/// The structural measures of one industry (a supplier region × sector).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Structural {
    /// Weighted out-strength: annual sales to domestic firms (money per year, the table's
    /// unit), `Σ_j Z_ij` over domestic buying industries `j`.
    pub out_strength: f64,
    /// Downstream reach, a PageRank over input coefficients: `r = (1 − d) v + d A r`, with
    /// `v` the domestic value-added shares, `A_ij = Z_ij / x_j` the input of `i` per unit of
    /// domestic industry `j`'s output, and `d` = [`DAMPING`]; the values are then scaled to
    /// sum to 1. An industry reaches far when its own value added is large or when it makes
    /// a large part of the output of industries that reach far.
    pub reach: f64,
    /// Share of the industry's domestic buying firms for which it is the only source of a
    /// critical input (every supplier of that input is one of its firms), by count.
    pub sole_source_buyers: f64,
    /// Value added of those buyers, as a share of domestic value added.
    pub sole_source_va: f64,
}

/// The structural measures of every industry (`industry = region · sectors + sector`), for
/// `domestic` regions (buyers counted) and `critical` (per input of `economy`, in input
/// order: whether running short stops the buyer).
pub fn structural(economy: &Economy, domestic: &[bool], critical: &[bool]) -> Vec<Structural> {
    let n = economy.n_industries();
    let graph = industry_graph(economy);
    let is_domestic = |i: usize| domestic[economy.industry_region(i)];
    let value_added = industry_value_added(economy);
    let domestic_va: f64 = (0..n)
        .filter(|&i| is_domestic(i))
        .map(|i| value_added[i])
        .sum();
    let mut measures = vec![Structural::default(); n];
    for (i, measure) in measures.iter_mut().enumerate() {
        measure.out_strength = graph
            .edges_directed(NodeIndex::new(i), Direction::Outgoing)
            .filter(|edge| is_domestic(edge.target().index()))
            .map(|edge| *edge.weight())
            .sum();
    }
    let reach = reach(&graph, economy, &value_added, domestic_va, &is_domestic);
    for (measure, r) in measures.iter_mut().zip(reach) {
        measure.reach = r;
    }
    let (sole, buyers, sole_va) = sole_sources(economy, domestic, critical);
    for i in 0..n {
        if buyers[i] > 0 {
            measures[i].sole_source_buyers = sole[i] as f64 / buyers[i] as f64;
        }
        if domestic_va > 0.0 {
            measures[i].sole_source_va = sole_va[i] / domestic_va;
        }
    }
    measures
}

/// The industry network: node `i` is industry `i`, an edge `i → j` carries the annual flow
/// `Z_ij` from `i`'s firms to `j`'s (only flows above zero).
fn industry_graph(economy: &Economy) -> DiGraph<(), f64, u32> {
    let n = economy.n_industries();
    let z = economy.aggregate_z();
    let mut graph = DiGraph::with_capacity(n, 0);
    for _ in 0..n {
        graph.add_node(());
    }
    for i in 0..n {
        for j in 0..n {
            let flow = z[i * n + j];
            if flow > 0.0 {
                graph.add_edge(NodeIndex::new(i), NodeIndex::new(j), flow);
            }
        }
    }
    graph
}

/// Annual value added of each industry (its firms' sum).
fn industry_value_added(economy: &Economy) -> Vec<f64> {
    (0..economy.n_industries())
        .map(|i| {
            economy
                .firms_of(i)
                .map(|f| economy.firm_value_added()[f])
                .sum()
        })
        .collect()
}

/// The reach of every industry (see [`Structural::reach`]), iterated serially in node order.
fn reach(
    graph: &DiGraph<(), f64, u32>,
    economy: &Economy,
    value_added: &[f64],
    domestic_va: f64,
    is_domestic: &impl Fn(usize) -> bool,
) -> Vec<f64> {
    let n = graph.node_count();
    let teleport: Vec<f64> = (0..n)
        .map(|i| {
            if is_domestic(i) && domestic_va > 0.0 {
                value_added[i] / domestic_va
            } else {
                0.0
            }
        })
        .collect();
    // each domestic buyer's output: the denominators of the input coefficients
    let output = economy.aggregate_x();
    let purchases: Vec<f64> = (0..n)
        .map(|j| if is_domestic(j) { output[j] } else { 0.0 })
        .collect();
    let mut r = teleport.clone();
    for _ in 0..REACH_ITERATIONS {
        let mut moved: f64 = 0.0;
        let next: Vec<f64> = (0..n)
            .map(|i| {
                let fed: f64 = graph
                    .edges_directed(NodeIndex::new(i), Direction::Outgoing)
                    .filter(|edge| purchases[edge.target().index()] > 0.0)
                    .map(|edge| {
                        let j = edge.target().index();
                        (*edge.weight() / purchases[j]) * r[j]
                    })
                    .sum();
                (1.0 - DAMPING) * teleport[i] + DAMPING * fed
            })
            .collect();
        for (a, b) in next.iter().zip(&r) {
            moved = moved.max((a - b).abs());
        }
        r = next;
        if moved <= REACH_TOLERANCE {
            break;
        }
    }
    let total: f64 = r.iter().sum();
    if total > 0.0 {
        for v in &mut r {
            *v /= total;
        }
    }
    r
}

/// Per industry: its domestic buying firms that have no other source of a critical input,
/// all its domestic buying firms, and the former's annual value added.
fn sole_sources(
    economy: &Economy,
    domestic: &[bool],
    critical: &[bool],
) -> (Vec<usize>, Vec<usize>, Vec<f64>) {
    let n = economy.n_industries();
    let (mut sole, mut buyers, mut sole_va) = (vec![0; n], vec![0; n], vec![0.0; n]);
    let firm_industry = economy.firm_industry();
    let (inputs, input_links) = (economy.firm_inputs(), economy.input_links());
    let (suppliers, flows) = (economy.link_supplier(), economy.link_flow());
    let mut sells: Vec<usize> = Vec::new();
    let mut only: Vec<usize> = Vec::new();
    for b in 0..economy.n_firms() {
        if !domestic[economy.industry_region(firm_industry[b] as usize)] {
            continue;
        }
        sells.clear();
        only.clear();
        for k in inputs[b] as usize..inputs[b + 1] as usize {
            let links = input_links[k] as usize..input_links[k + 1] as usize;
            let mut source: Option<usize> = None;
            let mut single = true;
            for l in links {
                if flows[l] <= 0.0 {
                    continue;
                }
                let i = firm_industry[suppliers[l] as usize] as usize;
                if !sells.contains(&i) {
                    sells.push(i);
                }
                match source {
                    None => source = Some(i),
                    Some(s) if s != i => single = false,
                    Some(_) => {}
                }
            }
            if let (Some(i), true, true) = (source, single, critical[k])
                && !only.contains(&i)
            {
                only.push(i);
            }
        }
        for &i in &sells {
            buyers[i] += 1;
        }
        for &i in &only {
            sole[i] += 1;
            sole_va[i] += economy.firm_value_added()[b];
        }
    }
    (sole, buyers, sole_va)
}

/// Spearman's rank correlation of `x` and `y` (ties share their average rank): the Pearson
/// correlation of the ranks. `None` with fewer than 3 pairs, or when either does not vary.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len().min(y.len());
    if n < 3 {
        return None;
    }
    let (rx, ry) = (average_ranks(&x[..n]), average_ranks(&y[..n]));
    let mean = (n as f64 + 1.0) / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        let (dx, dy) = (a - mean, b - mean);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx == 0.0 || syy == 0.0 {
        return None;
    }
    Some(sxy / (sxx * syy).sqrt())
}

/// Ranks from 1 (smallest), ties sharing the average of their ranks.
fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]).then(a.cmp(&b)));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // positions start..end hold ranks start+1..=end: their average
        let rank = (start + 1 + end) as f64 / 2.0;
        for &k in &order[start..end] {
            ranks[k] = rank;
        }
        start = end;
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_is_one_for_a_monotone_relation_and_averages_ties() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = [1.0, 8.0, 27.0, 64.0, 125.0];
        assert!((spearman(&x, &y).unwrap() - 1.0).abs() < 1e-15);
        let reversed: Vec<f64> = y.iter().rev().copied().collect();
        assert!((spearman(&x, &reversed).unwrap() + 1.0).abs() < 1e-15);
        assert_eq!(average_ranks(&[3.0, 1.0, 3.0, 2.0]), [3.5, 1.0, 3.5, 2.0]);
        // scipy.stats.spearmanr([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]).statistic == 0.8
        let rho = spearman(&x, &[2.0, 1.0, 4.0, 3.0, 5.0]).unwrap();
        assert!((rho - 0.8).abs() < 1e-12, "{rho}");
        assert_eq!(spearman(&x, &[1.0; 5]), None);
        assert_eq!(spearman(&x[..2], &y[..2]), None);
    }
}
