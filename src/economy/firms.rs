//! Firm disaggregation: firm sizes, supplier choice and RAS balancing of each industry pair.
//!
//! For each pair of industries `(I → J)` with a flow `Z[I,J] > 0`:
//!
//! 1. a **staircase** links the two sides: the north-west-corner transport plan of their size
//!    distributions, both taken in a random order. It touches every firm of both industries
//!    and is itself a solution of the margins below, so balancing always succeeds;
//! 2. each buyer of `J` **tops up** to `k = suppliers_per_input` suppliers of `I`, drawn by
//!    size without replacement (big suppliers are found by many buyers). A buyer whose
//!    staircase segment already spans more than `k` suppliers keeps them: a buyer that needs
//!    a quarter of the block cannot get it from `k` firms that each sell a twentieth;
//! 3. flows are balanced by **RAS** (iterative proportional fitting) so that each supplier
//!    sells `Z[I,J] × its size share` to `J` and each buyer buys `Z[I,J] × its size share`
//!    from `I`, to 1e-14 relative.
//!
//! Every firm therefore has its industry's technology and sales mix exactly: the baseline is a
//! steady state and aggregates reproduce the table. A block with one firm on each side keeps
//! the table's flow untouched (so one firm per industry is exactly the MRIO).

use rand::RngExt;

use crate::kinds::FirmSizes;
use crate::seeding::stream_rng;

/// One supplier → buyer link with its annual baseline flow.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
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
    let mut all = Vec::new();
    for_each_buyer_industry(
        n_industries,
        industry_firms,
        share,
        z,
        suppliers_per_input,
        seed,
        |_, links| all.append(links),
    );
    all
}

/// The links of [`build_links`], one buyer industry at a time (ascending, those with firms
/// only): `emit(buyer firms, links into them)`, so that a caller can lay them out without
/// holding every link twice. `links` may be reordered or drained by `emit`.
pub fn for_each_buyer_industry(
    n_industries: usize,
    industry_firms: &[u32],
    share: &[f64],
    z: impl Fn(usize, usize) -> f64,
    suppliers_per_input: usize,
    seed: u64,
    mut emit: impl FnMut(std::ops::Range<usize>, &mut Vec<Link>),
) {
    let mut links = Vec::new();
    let mut block = Block::default();
    // `z` is read a few columns at a time, row by row: a row-major table is read in order
    let mut columns = vec![0.0; n_industries * COLUMNS_AT_ONCE.min(n_industries)];
    for buyer_industry in 0..n_industries {
        let column = buyer_industry % COLUMNS_AT_ONCE;
        if column == 0 {
            let width = COLUMNS_AT_ONCE.min(n_industries - buyer_industry);
            for supplier_industry in 0..n_industries {
                for j in 0..width {
                    columns[j * n_industries + supplier_industry] =
                        z(supplier_industry, buyer_industry + j);
                }
            }
        }
        let flows = &columns[column * n_industries..(column + 1) * n_industries];
        let buyers =
            industry_firms[buyer_industry] as usize..industry_firms[buyer_industry + 1] as usize;
        if buyers.is_empty() {
            continue;
        }
        links.clear();
        for supplier_industry in 0..n_industries {
            let flow = flows[supplier_industry];
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
        emit(buyers, &mut links);
    }
}

/// Columns of `z` read together by [`for_each_buyer_industry`].
const COLUMNS_AT_ONCE: usize = 8;

/// Work space for one industry-pair block (reused to avoid reallocations).
#[derive(Default)]
struct Block {
    /// `(supplier, buyer, flow)` local indices.
    links: Vec<(usize, usize, f64)>,
    row_target: Vec<f64>,
    col_target: Vec<f64>,
    sums: Vec<f64>,
    picked: Vec<bool>,
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
        // 1. A staircase over a random order of both sides: a feasible pattern that covers
        //    every firm (n_a + n_b − 1 links at most).
        let supplier_order = shuffled(n_a, rng);
        let buyer_order = shuffled(n_b, rng);
        self.add_staircase(supplier_share, buyer_share, &supplier_order, &buyer_order);
        // 2. Each buyer tops up to k suppliers, drawn by size without replacement.
        cumulative(supplier_share, &mut self.cumulative);
        self.links.sort_unstable_by_key(|&(a, b, _)| (b, a));
        let staircase = std::mem::take(&mut self.links);
        let mut cursor = 0;
        for b in 0..n_b {
            self.picked.clear();
            self.picked.resize(n_a, false);
            let mut have = 0;
            while cursor < staircase.len() && staircase[cursor].1 == b {
                self.picked[staircase[cursor].0] = true;
                have += 1;
                cursor += 1;
            }
            pick_by_size(
                supplier_share,
                &self.cumulative,
                k.saturating_sub(have),
                &mut self.picked,
                rng,
            );
            self.links
                .extend((0..n_a).filter(|&a| self.picked[a]).map(|a| (a, b, 0.0)));
        }
        // 3. Flows balanced to both margins.
        self.row_target = supplier_share.iter().map(|s| s * flow).collect();
        self.col_target = buyer_share.iter().map(|s| s * flow).collect();
        self.ras();
    }

    /// Links of the north-west-corner transport plan of the two size distributions, taken in
    /// the given orders: every firm appears, and the plan itself meets both margins.
    fn add_staircase(
        &mut self,
        supplier_share: &[f64],
        buyer_share: &[f64],
        supplier_order: &[usize],
        buyer_order: &[usize],
    ) {
        let (mut i, mut j) = (0, 0);
        let (mut left_a, mut left_b) = (
            supplier_share[supplier_order[0]],
            buyer_share[buyer_order[0]],
        );
        loop {
            self.links.push((supplier_order[i], buyer_order[j], 0.0));
            if left_a <= left_b {
                left_b -= left_a;
                i += 1;
                if i == supplier_order.len() {
                    break;
                }
                left_a = supplier_share[supplier_order[i]];
            } else {
                left_a -= left_b;
                j += 1;
                if j == buyer_order.len() {
                    break;
                }
                left_b = buyer_share[buyer_order[j]];
            }
        }
        // rounding can leave the last buyers unvisited: give them the last supplier
        for &b in &buyer_order[(j + 1).min(buyer_order.len())..] {
            self.links
                .push((supplier_order[supplier_order.len() - 1], b, 0.0));
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
        // Convergence is linear but can be slow (1e5 iterations for some 20 × 20 blocks whose
        // solution nearly touches zero on a link); give up only when 2,000 iterations no longer
        // gain 10 %.
        let mut checkpoint = f64::INFINITY;
        for iteration in 1..=1_000_000 {
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
            if iteration % 2000 == 0 {
                if error > 0.9 * checkpoint {
                    return false;
                }
                checkpoint = error;
            }
        }
        false
    }
}

/// `0..n` in a random order (Fisher–Yates).
fn shuffled(n: usize, rng: &mut impl rand::Rng) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.random_range(0..=i);
        order.swap(i, j);
    }
    order
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

/// Mark `k` more indices (or all that are left) not yet in `picked`, drawn with probability
/// proportional to `weights` (successive draws without replacement). Returns how many were
/// marked.
fn pick_by_size(
    weights: &[f64],
    cumulative: &[f64],
    k: usize,
    picked: &mut [bool],
    rng: &mut impl rand::Rng,
) -> usize {
    let available = picked.iter().filter(|p| !**p).count();
    if k >= available {
        picked.iter_mut().for_each(|p| *p = true);
        return available;
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
        let rest: f64 = (0..weights.len())
            .filter(|&i| !picked[i])
            .map(|i| weights[i])
            .sum();
        let mut u = rng.random::<f64>() * rest;
        let mut last = None;
        for i in (0..weights.len()).filter(|&i| !picked[i]) {
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
    use crate::kinds::NonNegative;

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
    fn staircase_alone_meets_both_margins() {
        let mut block = Block::default();
        let (a, b) = ([0.45, 0.35, 0.2], [0.15, 0.5, 0.25, 0.1]); // no ties in the cumulative sums
        block.add_staircase(&a, &b, &[2, 0, 1], &[3, 1, 0, 2]);
        assert!(block.links.len() < a.len() + b.len());
        block.row_target = a.iter().map(|s| s * 10.0).collect();
        block.col_target = b.iter().map(|s| s * 10.0).collect();
        assert!(block.ras());
        for firm in 0..3 {
            assert!(block.links.iter().any(|l| l.0 == firm));
        }
        for firm in 0..4 {
            assert!(block.links.iter().any(|l| l.1 == firm));
        }
    }

    #[test]
    fn buyers_have_about_k_suppliers() {
        let sizes = FirmSizes::LogNormal {
            sigma: NonNegative(1.0),
        };
        let mut links = 0;
        for seed in 0..50 {
            let s = size_shares(20, sizes, seed, 0);
            let b = size_shares(20, sizes, seed, 1);
            let mut block = Block::default();
            block.build(&s, &b, 100.0, 3, &mut stream_rng(seed, &[]));
            assert!(block.ras(), "seed {seed}: RAS did not converge");
            links += block.links.len();
        }
        let per_buyer = links as f64 / (50.0 * 20.0);
        assert!((3.0..3.6).contains(&per_buyer), "{per_buyer}");
    }

    #[test]
    fn picks_distinct_suppliers() {
        let weights = [0.97, 0.01, 0.01, 0.01];
        let mut cum = Vec::new();
        cumulative(&weights, &mut cum);
        let mut rng = stream_rng(5, &[]);
        for _ in 0..100 {
            let mut picked = [false; 4];
            picked[1] = true;
            assert_eq!(pick_by_size(&weights, &cum, 2, &mut picked, &mut rng), 2);
            assert_eq!(picked.iter().filter(|p| **p).count(), 3);
        }
    }
}
