//! Link shocks under implicit orders: each link's blocking read from a gate, the set of link
//! shocks that cover it, instead of per-link arrays of orders and passes.
//!
//! With stored orders a run with link shocks keeps, per link, the order placed (8 bytes), the
//! open share (8) and the share delivered (8), and phases 2 and 5 gather orders by sale. The
//! links a run's shocks cover fall into few distinct sets (a technology cut-off covers one set,
//! a route closure another, their overlap a third), so each link holds the index of its set
//! (one byte, in link and in sales order) and the run keeps, per set, today's open share, the
//! share delivered, and the open share when the outstanding orders were placed. The order on a
//! link is then `q · (((z0 · r) · open_ordered) / T)` times today's delivered share, with the
//! stored path's operations in its order: results are identical bit for bit
//! (`tests/parallel.rs`). Sets are the shocks covering a link in shock order, and a set's open
//! share folds `min(open, 1 − blocked)` over them as the per-link loop does, so it is the same
//! number.

use std::collections::BTreeMap;

use crate::economy::Economy;
use crate::shocks::LinkShock;

/// At most this many gates (one byte per link); above it orders are stored per link.
const MAX_GATES: usize = 256;

/// Gates of a run's link shocks (see the module notes).
#[derive(Debug, Clone)]
pub(super) struct Gates {
    /// Gate of each link, in link order (0: no shock covers it).
    pub(super) link: Vec<u8>,
    /// Gate of each sale, in sales order (`Economy::sales_link`).
    pub(super) sales: Vec<u8>,
    /// The shocks of each gate, in shock order (gate 0: none).
    sets: Vec<Vec<u32>>,
    /// Share of a gate's links open today.
    pub(super) open: Vec<f64>,
    /// Share of an outstanding order delivered today (`Alt` orders: 1 when open at all, else 0).
    pub(super) pass: Vec<f64>,
    /// Share open when the outstanding orders were placed (the weights' factor).
    pub(super) ordered: Vec<f64>,
}

impl Gates {
    /// The gates of `shocks` on `economy`, or `None` when they form more than [`MAX_GATES`]
    /// sets.
    pub(super) fn new(economy: &Economy, shocks: &[LinkShock]) -> Option<Gates> {
        let mut link = vec![0u8; economy.n_links()];
        let mut sets: Vec<Vec<u32>> = vec![Vec::new()];
        // a link's set after shocks 0..=s is its set before, plus s: one transition table
        let mut next: BTreeMap<(u8, u32), u8> = BTreeMap::new();
        for (s, shock) in shocks.iter().enumerate() {
            let s = s as u32;
            for &l in &shock.links {
                let gate = &mut link[l as usize];
                if sets[*gate as usize].last() == Some(&s) {
                    continue;
                }
                *gate = match next.get(&(*gate, s)) {
                    Some(&g) => g,
                    None => {
                        if sets.len() == MAX_GATES {
                            return None;
                        }
                        let mut set = sets[*gate as usize].clone();
                        set.push(s);
                        sets.push(set);
                        let g = (sets.len() - 1) as u8;
                        next.insert((*gate, s), g);
                        g
                    }
                };
            }
        }
        let sales = economy
            .sales_link
            .iter()
            .map(|&l| link[l as usize])
            .collect();
        let n = sets.len();
        Some(Gates {
            link,
            sales,
            sets,
            open: vec![1.0; n],
            pass: vec![1.0; n],
            ordered: vec![1.0; n],
        })
    }

    /// Today's open and delivered shares from the blocked share of every shock (`Alt`
    /// orders: an order on a link not fully blocked is delivered whole).
    pub(super) fn update(&mut self, blocked: &[f64]) {
        for ((set, open), pass) in self.sets.iter().zip(&mut self.open).zip(&mut self.pass) {
            *open = 1.0;
            for &s in set {
                let b = blocked[s as usize];
                if b > 0.0 {
                    *open = open.min(1.0 - b);
                }
            }
            *pass = if *open > 0.0 { 1.0 } else { 0.0 };
        }
    }

    /// Orders are placed today: their weights used today's open shares.
    pub(super) fn placed(&mut self) {
        self.ordered.copy_from_slice(&self.open);
    }
}

/// The order `q·(((z0·r)·open_ordered)/T)` (0 when `T` is 0) on a link of gate `g`, times the
/// share delivered today: the stored path's `order · pass`.
#[inline(always)]
pub(super) fn gated_order(gates: &Gates, g: usize, q: f64, flow0: f64, r: f64, t: f64) -> f64 {
    let order = if t != 0.0 {
        q * (((flow0 * r) * gates.ordered[g]) / t)
    } else {
        0.0
    };
    order * gates.pass[g]
}

/// Deliveries to one input with outstanding quantity `q` and weight total `t` over its links
/// (`suppliers`, annual flows `flows`, gates `gate`), and the weight total of today's orders:
/// [`super::kernels::deliveries`] with every link's gate.
#[allow(clippy::too_many_arguments)]
pub(super) fn deliveries(
    q: f64,
    t: f64,
    suppliers: &[u32],
    flows: &[f64],
    gate: &[u8],
    daily: f64,
    s: &super::kernels::Suppliers,
    gates: &Gates,
) -> (f64, f64) {
    #[cfg(target_arch = "x86_64")]
    if super::kernels::avx() {
        // SAFETY: the CPU has AVX (checked just above).
        return unsafe { deliveries_avx(q, t, suppliers, flows, gate, daily, s, gates) };
    }
    deliveries_scalar(q, t, suppliers, flows, gate, daily, s, gates, (0.0, 0.0))
}

/// [`deliveries`] one link at a time, continuing the sums `(acc, total)`.
#[allow(clippy::too_many_arguments)]
fn deliveries_scalar(
    q: f64,
    t: f64,
    suppliers: &[u32],
    flows: &[f64],
    gate: &[u8],
    daily: f64,
    s: &super::kernels::Suppliers,
    gates: &Gates,
    (mut acc, mut total): (f64, f64),
) -> (f64, f64) {
    for ((&supplier, &flow), &g) in suppliers.iter().zip(flows).zip(gate) {
        let (supplier, g) = (supplier as usize, g as usize);
        let flow0 = flow * daily;
        let view = s.supply[supplier];
        if view.demand != 0.0 {
            let order = gated_order(gates, g, q, flow0, s.ratio[supplier], t);
            acc += (order / view.demand) * view.production;
        }
        total += (flow0 * s.ratio_next[supplier]) * gates.open[g];
    }
    (acc, total)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
#[allow(clippy::too_many_arguments)]
fn deliveries_avx(
    q: f64,
    t: f64,
    suppliers: &[u32],
    flows: &[f64],
    gate: &[u8],
    daily: f64,
    s: &super::kernels::Suppliers,
    gates: &Gates,
) -> (f64, f64) {
    use std::arch::x86_64::*;
    const LANES: usize = 4;
    let (mut acc, mut total) = (0.0, 0.0);
    let n = suppliers.len().min(flows.len()).min(gate.len());
    let whole = n / LANES * LANES;
    let (vq, vt, vdaily) = (_mm256_set1_pd(q), _mm256_set1_pd(t), _mm256_set1_pd(daily));
    let zero = _mm256_setzero_pd();
    // `t != 0.0`: the order, else +0.0 for every link
    let keep_order = _mm256_cmp_pd::<_CMP_NEQ_UQ>(vt, zero);
    for i in (0..whole).step_by(LANES) {
        let view = |j: usize| s.supply[suppliers[i + j] as usize];
        let at = |values: &[f64], j: usize| values[suppliers[i + j] as usize];
        let gated = |values: &[f64], j: usize| values[gate[i + j] as usize];
        let (mut delivered, mut weight) = ([0.0; LANES], [0.0; LANES]);
        // SAFETY: an unaligned load of four f64 from `flows[i..i + 4]` (`i + 4 <= n`); stores
        // to arrays of four. Vectors are built in registers (`set_pd` takes lanes 3 to 0).
        unsafe {
            let set = |f: &dyn Fn(usize) -> f64| _mm256_set_pd(f(3), f(2), f(1), f(0));
            let flow0 = _mm256_mul_pd(_mm256_loadu_pd(flows.as_ptr().add(i)), vdaily);
            let w = _mm256_mul_pd(flow0, set(&|j| at(s.ratio, j)));
            let w = _mm256_mul_pd(w, set(&|j| gated(&gates.ordered, j)));
            let order = _mm256_and_pd(_mm256_mul_pd(vq, _mm256_div_pd(w, vt)), keep_order);
            let order = _mm256_mul_pd(order, set(&|j| gated(&gates.pass, j)));
            let vdemand = set(&|j| view(j).demand);
            let share = _mm256_div_pd(order, vdemand);
            let value = _mm256_mul_pd(share, set(&|j| view(j).production));
            // a supplier without demand adds +0.0, which leaves the sum's bits as they are
            let keep = _mm256_cmp_pd::<_CMP_NEQ_UQ>(vdemand, zero);
            _mm256_storeu_pd(delivered.as_mut_ptr(), _mm256_and_pd(value, keep));
            let next = _mm256_mul_pd(flow0, set(&|j| at(s.ratio_next, j)));
            let next = _mm256_mul_pd(next, set(&|j| gated(&gates.open, j)));
            _mm256_storeu_pd(weight.as_mut_ptr(), next);
        }
        for j in 0..LANES {
            acc += delivered[j];
            total += weight[j];
        }
    }
    deliveries_scalar(
        q,
        t,
        &suppliers[whole..n],
        &flows[whole..n],
        &gate[whole..n],
        daily,
        s,
        gates,
        (acc, total),
    )
}

/// The orders a supplier with capacity ratio `r` (when ordering) received on its sales
/// (`slots`, `flows` in sales order), summed in sales order from `acc`: `Σ q·((z0·r)/T)` (0
/// when `T` is 0), with `(q, T)` of every slot in `slot_order`; with `gate` (the sales'
/// gates), each order as [`gated_order`] gives it. Four sales' quotients at a time with AVX,
/// added in sales order: the bits of the one-at-a-time loop.
pub(super) fn sum_sales(
    acc: f64,
    slots: &[u32],
    flows: &[f64],
    r: f64,
    slot_order: &[(f64, f64)],
    gate: Option<(&[u8], &Gates)>,
) -> f64 {
    #[cfg(target_arch = "x86_64")]
    if super::kernels::avx() {
        // SAFETY: the CPU has AVX (checked just above).
        return unsafe { sum_sales_avx(acc, slots, flows, r, slot_order, gate) };
    }
    sum_sales_scalar(acc, slots, flows, r, slot_order, gate)
}

fn sum_sales_scalar(
    mut acc: f64,
    slots: &[u32],
    flows: &[f64],
    r: f64,
    slot_order: &[(f64, f64)],
    gate: Option<(&[u8], &Gates)>,
) -> f64 {
    for (i, (&slot, &flow0)) in slots.iter().zip(flows).enumerate() {
        let (q, t) = slot_order[slot as usize];
        acc += match gate {
            Some((gate, gates)) => gated_order(gates, gate[i] as usize, q, flow0, r, t),
            None if t != 0.0 => q * ((flow0 * r) / t),
            None => 0.0,
        };
    }
    acc
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
fn sum_sales_avx(
    mut acc: f64,
    slots: &[u32],
    flows: &[f64],
    r: f64,
    slot_order: &[(f64, f64)],
    gate: Option<(&[u8], &Gates)>,
) -> f64 {
    use std::arch::x86_64::*;
    const LANES: usize = 4;
    let n = slots.len().min(flows.len());
    let n = gate.map_or(n, |(g, _)| n.min(g.len()));
    let whole = n / LANES * LANES;
    let (vr, zero) = (_mm256_set1_pd(r), _mm256_setzero_pd());
    for i in (0..whole).step_by(LANES) {
        let (mut q, mut t) = ([0.0; LANES], [0.0; LANES]);
        let (mut ordered, mut pass) = ([1.0; LANES], [1.0; LANES]);
        for j in 0..LANES {
            (q[j], t[j]) = slot_order[slots[i + j] as usize];
            if let Some((gate, gates)) = gate {
                let g = gate[i + j] as usize;
                (ordered[j], pass[j]) = (gates.ordered[g], gates.pass[g]);
            }
        }
        let mut order = [0.0; LANES];
        // SAFETY: unaligned loads of four f64 from `flows[i..i + 4]` (`i + 4 <= n`) and from
        // arrays of four; a store to an array of four.
        unsafe {
            let vt = _mm256_loadu_pd(t.as_ptr());
            let mut weight = _mm256_mul_pd(_mm256_loadu_pd(flows.as_ptr().add(i)), vr);
            if gate.is_some() {
                weight = _mm256_mul_pd(weight, _mm256_loadu_pd(ordered.as_ptr()));
            }
            let value = _mm256_mul_pd(_mm256_loadu_pd(q.as_ptr()), _mm256_div_pd(weight, vt));
            // `t != 0.0` (true for NaN, as in Rust): the order, else +0.0
            let mut value = _mm256_and_pd(value, _mm256_cmp_pd::<_CMP_NEQ_UQ>(vt, zero));
            if gate.is_some() {
                value = _mm256_mul_pd(value, _mm256_loadu_pd(pass.as_ptr()));
            }
            _mm256_storeu_pd(order.as_mut_ptr(), value);
        }
        for value in order {
            acc += value;
        }
    }
    sum_sales_scalar(
        acc,
        &slots[whole..n],
        &flows[whole..n],
        r,
        slot_order,
        gate.map(|(g, gates)| (&g[whole..n], gates)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::kernels::{Suppliers, Supply};

    /// Awkward values: zeros, tiny and huge magnitudes, so that rounding differences between
    /// forms would show.
    fn value(i: usize) -> f64 {
        let x = ((i as f64) * 0.618_033_988_749_895).fract();
        match i % 7 {
            0 => 0.0,
            1 => x * 1e-300,
            2 => x * 1e12,
            _ => x / 3.0 + 1e-3,
        }
    }

    /// Three gates: open, half blocked yesterday and closed today, a quarter open.
    fn gates(links: usize) -> Gates {
        Gates {
            link: (0..links).map(|l| (l % 3) as u8).collect(),
            sales: (0..links).map(|l| ((l * 2) % 3) as u8).collect(),
            sets: vec![Vec::new(), vec![0], vec![1]],
            open: vec![1.0, 0.0, 0.25],
            pass: vec![1.0, 0.0, 1.0],
            ordered: vec![1.0, 0.5, 0.25],
        }
    }

    #[test]
    fn gates_fold_the_blocked_shares_of_their_shocks() {
        let mut g = gates(0);
        g.sets = vec![Vec::new(), vec![0], vec![0, 1]];
        g.update(&[0.75, 1.0]);
        assert_eq!(g.open, [1.0, 0.25, 0.0]);
        assert_eq!(g.pass, [1.0, 1.0, 0.0]);
        g.placed();
        g.update(&[0.0, 0.5]);
        assert_eq!(g.open, [1.0, 1.0, 0.5]);
        assert_eq!(
            g.ordered,
            [1.0, 0.25, 0.0],
            "orders keep the shares they were placed at"
        );
    }

    #[test]
    fn gated_kernels_match_the_scalar_loops_bit_for_bit() {
        let n = 37;
        let supply: Vec<Supply> = (0..n)
            .map(|i| Supply {
                demand: value(i + 1),
                production: value(3 * i + 2),
            })
            .collect();
        let ratio: Vec<f64> = (0..n).map(|i| value(5 * i + 3)).collect();
        let ratio_next: Vec<f64> = (0..n).map(|i| value(7 * i + 4)).collect();
        let s = Suppliers {
            supply: &supply,
            ratio: &ratio,
            ratio_next: &ratio_next,
        };
        let slot_order: Vec<(f64, f64)> =
            (0..n).map(|i| (value(i + 2), value(2 * i + 5))).collect();
        for len in [0, 1, 3, 4, 5, 8, 11, 37] {
            let g = gates(len);
            let suppliers: Vec<u32> = (0..len).map(|i| ((i * 11) % n) as u32).collect();
            let flows: Vec<f64> = (0..len).map(|i| value(i + 9) * 365.0).collect();
            for (q, t) in [(2.5, 7.0), (0.0, 3.0), (1.0, 0.0), (1e-5, 1e9)] {
                let got = deliveries(q, t, &suppliers, &flows, &g.link, 1.0 / 365.0, &s, &g);
                let want = deliveries_scalar(
                    q,
                    t,
                    &suppliers,
                    &flows,
                    &g.link,
                    1.0 / 365.0,
                    &s,
                    &g,
                    (0.0, 0.0),
                );
                assert_eq!(got.0.to_bits(), want.0.to_bits(), "len {len}, q {q}, t {t}");
                assert_eq!(got.1.to_bits(), want.1.to_bits(), "len {len}, q {q}, t {t}");
            }
            for r in [0.0, 0.75, 1.0, 3e-7] {
                for gate in [None, Some((&g.sales[..], &g))] {
                    let got = sum_sales(0.5, &suppliers, &flows, r, &slot_order, gate);
                    let want = sum_sales_scalar(0.5, &suppliers, &flows, r, &slot_order, gate);
                    assert_eq!(got.to_bits(), want.to_bits(), "len {len}, r {r}");
                }
            }
        }
    }
}
