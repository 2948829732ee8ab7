//! Firm disaggregation: firm sizes, supplier choice and RAS balancing of each industry pair.
//!
//! For each pair of industries `(I → J)` with a flow `Z[I,J] > 0`, every buyer firm of `J`
//! picks up to `k` supplier firms of `I`, by size, without replacement. A supplier that no buyer
//! picked is linked to one buyer drawn by size, so every firm sells to every industry its
//! industry sells to. The block's flows are then balanced by RAS (iterative proportional
//! fitting) so that each supplier's sales to `J` are `Z[I,J] × its size share` and each buyer's
//! purchases from `I` are `Z[I,J] × its size share`. If the sparse pattern admits no such
//! matrix (RAS stalls), the "north-west corner" links of the two cumulative size
//! distributions are added, which always admit one. Every firm then has its industry's
//! technology and sales mix exactly, so the baseline is a steady state and aggregates
//! reproduce the table.

use rand::RngExt;

use crate::scenario::FirmSizes;
use crate::seeding::stream_rng;

/// One supplier → buyer link with its annual baseline flow.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    /// Supplier firm.
    pub supplier: u32,
    /// Buyer firm.
    pub buyer: u32,
    /// Annual flow.
    pub flow: f64,
}

/// Size shares of `count` firms of one industry (sum 1), drawn from the stream
/// `(seed, 1, industry)`.
pub(crate) fn size_shares(count: usize, sizes: FirmSizes, seed: u64, industry: u64) -> Vec<f64> {
    if count == 0 {
        return Vec::new();
    }
    if count == 1 {
        return vec![1.0];
    }
    let mut rng = stream_rng(seed, &[1, industry]);
    let raw: Vec<f64> = (0..count).map(|_| sizes.draw(&mut rng)).collect();
    let total: f64 = raw.iter().sum();
    raw.iter().map(|v| v / total).collect()
}

/// Links of every industry pair with a positive flow, balanced. `z(supplier, buyer)` gives the
/// annual industry flow; `industry_firms` is the CSR of firms per industry; `share` each firm's
/// share of its industry's output.
pub fn build_links(
    n_industries: usize,
    industry_firms: &[u32],
    share: &[f64],
    z: impl Fn(usize, usize) -> f64,
    suppliers_per_input: usize,
    seed: u64,
) -> Vec<Link> {
    let mut links = Vec::new();
    let mut block = Block::default();
    for buyer_industry in 0..n_industries {
        let buyers =
            industry_firms[buyer_industry] as usize..industry_firms[buyer_industry + 1] as usize;
        if buyers.is_empty() {
            continue;
        }
        for supplier_industry in 0..n_industries {
            let flow = z(supplier_industry, buyer_industry);
            let suppliers = industry_firms[supplier_industry] as usize
                ..industry_firms[supplier_industry + 1] as usize;
            if flow <= 0.0 || suppliers.is_empty() {
                continue;
            }
            if suppliers.len() == 1 && buyers.len() == 1 {
                // One firm each side: the table's flow, untouched.
                links.push(Link {
                    supplier: suppliers.start as u32,
                    buyer: buyers.start as u32,
                    flow,
                });
                continue;
            }
            let mut rng = stream_rng(seed, &[2, supplier_industry as u64, buyer_industry as u64]);
            block.build(
                &share[suppliers.clone()],
                &share[buyers.clone()],
                flow,
                suppliers_per_input,
                &mut rng,
            );
            links.extend(block.links.iter().map(|&(a, b, v)| Link {
                supplier: (suppliers.start + a) as u32,
                buyer: (buyers.start + b) as u32,
                flow: v,
            }));
        }
    }
    links
}

/// Work space for one industry-pair block (reused to avoid reallocations).
#[derive(Default)]
struct Block {
    /// `(supplier, buyer, flow)` local indices.
    links: Vec<(usize, usize, f64)>,
    row_target: Vec<f64>,
    col_target: Vec<f64>,
    sums: Vec<f64>,
    picked: Vec<bool>,
    covered: Vec<bool>,
    cumulative: Vec<f64>,
}

impl Block {
    fn build(
        &mut self,
        supplier_share: &[f64],
        buyer_share: &[f64],
        flow: f64,
        k: usize,
        rng: &mut impl rand::Rng,
    ) {
        let (n_a, n_b) = (supplier_share.len(), buyer_share.len());
        self.links.clear();
        self.covered.clear();
        self.covered.resize(n_a, false);
        cumulative(supplier_share, &mut self.cumulative);
        for b in 0..n_b {
            self.picked.clear();
            self.picked.resize(n_a, false);
            let chosen = pick_by_size(supplier_share, &self.cumulative, k, &mut self.picked, rng);
            for a in 0..n_a {
                if self.picked[a] {
                    self.links.push((a, b, 0.0));
                    self.covered[a] = true;
                }
            }
            debug_assert_eq!(chosen, k.min(n_a));
        }
        // Every supplier sells to the block.
        let mut buyer_cumulative = Vec::new();
        cumulative(buyer_share, &mut buyer_cumulative);
        for a in 0..n_a {
            if !self.covered[a] {
                let b = draw_index(&buyer_cumulative, rng);
                self.links.push((a, b, 0.0));
            }
        }
        self.row_target = supplier_share.iter().map(|s| s * flow).collect();
        self.col_target = buyer_share.iter().map(|s| s * flow).collect();
        if !self.ras() {
            self.add_north_west_corner(supplier_share, buyer_share);
            self.ras();
        }
        self.links.sort_unstable_by_key(|&(a, b, _)| (b, a));
    }

    /// Add the links of the north-west-corner transport plan (a feasible pattern), dropping
    /// duplicates.
    fn add_north_west_corner(&mut self, supplier_share: &[f64], buyer_share: &[f64]) {
        let (mut a, mut b) = (0, 0);
        let (mut left_a, mut left_b) = (supplier_share[0], buyer_share[0]);
        loop {
            if !self.links.iter().any(|&(x, y, _)| x == a && y == b) {
                self.links.push((a, b, 0.0));
            }
            if left_a <= left_b {
                left_b -= left_a;
                a += 1;
                if a == supplier_share.len() {
                    break;
                }
                left_a = supplier_share[a];
            } else {
                left_a -= left_b;
                b += 1;
                if b == buyer_share.len() {
                    break;
                }
                left_b = buyer_share[b];
            }
        }
    }

    /// Iterative proportional fitting of the link flows to the row and column targets. Returns
    /// whether rows converged (columns are exact after the last column step).
    fn ras(&mut self) -> bool {
        let n_a = self.row_target.len();
        let n_b = self.col_target.len();
        let total: f64 = self.row_target.iter().sum();
        for link in &mut self.links {
            link.2 = self.row_target[link.0] * self.col_target[link.1] / total;
        }
        let mut previous_error = f64::INFINITY;
        let mut stalled = 0;
        for _ in 0..20_000 {
            // rows
            self.sums.clear();
            self.sums.resize(n_a, 0.0);
            for &(a, _, v) in &self.links {
                self.sums[a] += v;
            }
            for link in &mut self.links {
                link.2 *= self.row_target[link.0] / self.sums[link.0];
            }
            // columns
            self.sums.clear();
            self.sums.resize(n_b, 0.0);
            for &(_, b, v) in &self.links {
                self.sums[b] += v;
            }
            for link in &mut self.links {
                link.2 *= self.col_target[link.1] / self.sums[link.1];
            }
            // row error after the column step
            self.sums.clear();
            self.sums.resize(n_a, 0.0);
            for &(a, _, v) in &self.links {
                self.sums[a] += v;
            }
            let error = self
                .sums
                .iter()
                .zip(&self.row_target)
                .map(|(s, t)| ((s - t) / t).abs())
                .fold(0.0, f64::max);
            if error <= 1e-14 {
                return true;
            }
            if error > 0.999 * previous_error {
                stalled += 1;
                if stalled > 200 {
                    return false;
                }
            } else {
                stalled = 0;
            }
            previous_error = error;
        }
        false
    }
}

fn cumulative(weights: &[f64], out: &mut Vec<f64>) {
    out.clear();
    let mut acc = 0.0;
    for w in weights {
        acc += w;
        out.push(acc);
    }
}

fn draw_index(cumulative: &[f64], rng: &mut impl rand::Rng) -> usize {
    let total = cumulative.last().copied().unwrap_or(0.0);
    let u = rng.random::<f64>() * total;
    cumulative
        .partition_point(|&c| c <= u)
        .min(cumulative.len() - 1)
}

/// Mark `min(k, n)` distinct indices drawn with probability proportional to `weights`
/// (successive draws without replacement). Returns how many were marked.
fn pick_by_size(
    weights: &[f64],
    cumulative: &[f64],
    k: usize,
    picked: &mut [bool],
    rng: &mut impl rand::Rng,
) -> usize {
    let n = weights.len();
    if k >= n {
        picked.iter_mut().for_each(|p| *p = true);
        return n;
    }
    let mut chosen = 0;
    let mut attempts = 0;
    // Rejection of repeats is cheap while the picked firms hold little weight.
    while chosen < k && attempts < 32 * k {
        attempts += 1;
        let i = draw_index(cumulative, rng);
        if !picked[i] {
            picked[i] = true;
            chosen += 1;
        }
    }
    // Otherwise draw among the rest explicitly.
    while chosen < k {
        let rest: f64 = (0..n).filter(|&i| !picked[i]).map(|i| weights[i]).sum();
        let mut u = rng.random::<f64>() * rest;
        let mut last = None;
        for i in (0..n).filter(|&i| !picked[i]) {
            last = Some(i);
            u -= weights[i];
            if u < 0.0 {
                break;
            }
        }
        if let Some(i) = last {
            picked[i] = true;
            chosen += 1;
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::NonNegative;

    #[test]
    fn block_margins_are_exact() {
        let shares = size_shares(
            20,
            FirmSizes::LogNormal {
                sigma: NonNegative(1.5),
            },
            3,
            0,
        );
        let buyers = size_shares(7, FirmSizes::Equal, 3, 1);
        let mut block = Block::default();
        let mut rng = stream_rng(1, &[]);
        block.build(&shares, &buyers, 1000.0, 3, &mut rng);
        let mut rows = [0.0; 20];
        let mut cols = [0.0; 7];
        for &(a, b, v) in &block.links {
            assert!(v >= 0.0);
            rows[a] += v;
            cols[b] += v;
        }
        for a in 0..20 {
            assert!(
                (rows[a] - 1000.0 * shares[a]).abs() <= 1e-11 * 1000.0,
                "row {a}"
            );
        }
        for b in 0..7 {
            assert!(
                (cols[b] - 1000.0 * buyers[b]).abs() <= 1e-11 * 1000.0,
                "col {b}"
            );
        }
    }

    #[test]
    fn north_west_corner_rescues_an_infeasible_pattern() {
        // One dominant supplier linked to a single small buyer cannot sell its share unless
        // links are added.
        let mut block = Block::default();
        block.links = vec![(0, 0, 0.0), (1, 1, 0.0), (1, 0, 0.0)];
        block.row_target = vec![90.0, 10.0];
        block.col_target = vec![10.0, 90.0];
        assert!(!block.ras());
        block.add_north_west_corner(&[0.9, 0.1], &[0.1, 0.9]);
        assert!(block.ras());
    }

    #[test]
    fn picks_distinct_suppliers() {
        let weights = [0.97, 0.01, 0.01, 0.01];
        let mut cum = Vec::new();
        cumulative(&weights, &mut cum);
        let mut rng = stream_rng(5, &[]);
        for _ in 0..100 {
            let mut picked = [false; 4];
            assert_eq!(pick_by_size(&weights, &cum, 3, &mut picked, &mut rng), 3);
            assert_eq!(picked.iter().filter(|p| **p).count(), 3);
        }
    }
}
