//! The two per-link loops of implicit orders (dense networks), four links at a time, compiled
//! twice: for any x86-64 and with AVX, chosen when the CPU has it.
//!
//! Every link needs two or three floating-point divisions (the order split and the rationing
//! share). A scalar division costs about 4 cycles of throughput, a 4-wide AVX one about the
//! same for four, so these loops compute four links' quotients side by side and then use them
//! in link order. The arithmetic of each element and the order of every sum are those of the
//! scalar code, and IEEE division is correctly rounded in both forms: results are identical
//! bit for bit on any CPU.

/// Whether the AVX versions may run here.
#[inline]
pub(super) fn avx() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// A supplier as the deliveries of phase 5 see it.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Supply {
    /// Denominator of the rationing shares (`share_total`).
    pub(super) demand: f64,
    /// Production today.
    pub(super) production: f64,
}

/// Links handled side by side.
const LANES: usize = 4;

/// Adds the orders a supplier with capacity ratio `r` (when ordering) received on its sales
/// (`slots`, `flows` in sales order) to `row`, by buying firm: `row[firm] += q·((z0·r)/T)`
/// (0 when `T` is 0) in sales order. `slot_order` holds `(q, T)` of every slot, `slot_firm`
/// its firm.
pub(super) fn add_sales(
    row: &mut [f64],
    slots: &[u32],
    flows: &[f64],
    r: f64,
    slot_order: &[(f64, f64)],
    slot_firm: &[u32],
) {
    #[cfg(target_arch = "x86_64")]
    if avx() {
        // SAFETY: the CPU has AVX (checked just above).
        unsafe { add_sales_avx(row, slots, flows, r, slot_order, slot_firm) };
        return;
    }
    add_sales_scalar(row, slots, flows, r, slot_order, slot_firm);
}

fn add_sales_scalar(
    row: &mut [f64],
    slots: &[u32],
    flows: &[f64],
    r: f64,
    slot_order: &[(f64, f64)],
    slot_firm: &[u32],
) {
    for (&slot, &flow0) in slots.iter().zip(flows) {
        let (q, t) = slot_order[slot as usize];
        let order = if t != 0.0 { q * ((flow0 * r) / t) } else { 0.0 };
        row[slot_firm[slot as usize] as usize] += order;
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
fn add_sales_avx(
    row: &mut [f64],
    slots: &[u32],
    flows: &[f64],
    r: f64,
    slot_order: &[(f64, f64)],
    slot_firm: &[u32],
) {
    use std::arch::x86_64::*;
    let whole = slots.len().min(flows.len()) / LANES * LANES;
    let vr = _mm256_set1_pd(r);
    let zero = _mm256_setzero_pd();
    for (s4, f4) in slots[..whole]
        .chunks_exact(LANES)
        .zip(flows[..whole].chunks_exact(LANES))
    {
        let (mut q, mut t, mut firm) = ([0.0; LANES], [0.0; LANES], [0usize; LANES]);
        for j in 0..LANES {
            let slot = s4[j] as usize;
            (q[j], t[j]) = slot_order[slot];
            firm[j] = slot_firm[slot] as usize;
        }
        let mut order = [0.0; LANES];
        // SAFETY: unaligned loads and a store of four f64 from and to arrays of four.
        unsafe {
            let (vq, vt) = (_mm256_loadu_pd(q.as_ptr()), _mm256_loadu_pd(t.as_ptr()));
            let weight = _mm256_mul_pd(_mm256_loadu_pd(f4.as_ptr()), vr);
            let value = _mm256_mul_pd(vq, _mm256_div_pd(weight, vt));
            // `t != 0.0` (true for NaN, as in Rust): the order, else +0.0
            let keep = _mm256_cmp_pd::<_CMP_NEQ_UQ>(vt, zero);
            _mm256_storeu_pd(order.as_mut_ptr(), _mm256_and_pd(value, keep));
        }
        for j in 0..LANES {
            row[firm[j]] += order[j];
        }
    }
    add_sales_scalar(
        row,
        &slots[whole..],
        &flows[whole..],
        r,
        slot_order,
        slot_firm,
    );
}

/// [`add_sales`] for a supplier whose sales go to consecutive slots of consecutive firms,
/// into a row that held zeros there: `row[j] = 0.0 + q[j]·((flows[j]·r)/t[j])` (0 when `t[j]`
/// is 0; the row is not read, and `0.0 +` keeps the bits of adding to a zeroed row), with
/// `q`, `t` and `row` the slots' and firms' entries from the first sale on.
pub(super) fn set_sales_run(row: &mut [f64], flows: &[f64], r: f64, q: &[f64], t: &[f64]) {
    #[cfg(target_arch = "x86_64")]
    if avx() {
        // SAFETY: the CPU has AVX (checked just above).
        unsafe { set_sales_run_avx(row, flows, r, q, t) };
        return;
    }
    set_sales_run_scalar(row, flows, r, q, t);
}

fn set_sales_run_scalar(row: &mut [f64], flows: &[f64], r: f64, q: &[f64], t: &[f64]) {
    for (((cell, &flow0), &q), &t) in row.iter_mut().zip(flows).zip(q).zip(t) {
        *cell = 0.0 + if t != 0.0 { q * ((flow0 * r) / t) } else { 0.0 };
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
fn set_sales_run_avx(row: &mut [f64], flows: &[f64], r: f64, q: &[f64], t: &[f64]) {
    use std::arch::x86_64::*;
    let n = row.len().min(flows.len()).min(q.len()).min(t.len());
    let whole = n / LANES * LANES;
    let (vr, zero) = (_mm256_set1_pd(r), _mm256_setzero_pd());
    for i in (0..whole).step_by(LANES) {
        // SAFETY: `i + LANES <= whole <= ` every slice's length.
        unsafe {
            let vt = _mm256_loadu_pd(t.as_ptr().add(i));
            let weight = _mm256_mul_pd(_mm256_loadu_pd(flows.as_ptr().add(i)), vr);
            let value = _mm256_mul_pd(
                _mm256_loadu_pd(q.as_ptr().add(i)),
                _mm256_div_pd(weight, vt),
            );
            let order = _mm256_and_pd(value, _mm256_cmp_pd::<_CMP_NEQ_UQ>(vt, zero));
            _mm256_storeu_pd(row.as_mut_ptr().add(i), _mm256_add_pd(zero, order));
        }
    }
    set_sales_run_scalar(
        &mut row[whole..n],
        &flows[whole..n],
        r,
        &q[whole..n],
        &t[whole..n],
    );
}

/// Deliveries of one supplier (`supply`, capacity ratio `r` when the outstanding orders were
/// placed and `r_next` today) over consecutive slots (`flows`, `q`, `t` from its first sale in
/// a block on): `acc[j] += (order_j / D) · x` with `order_j = q[j]·((flows[j]·r)/t[j])` (0
/// when `t[j]` is 0), unless `D` is 0; and `next[j] += flows[j] · r_next`.
#[allow(clippy::too_many_arguments)]
pub(super) fn deliver_run(
    flows: &[f64],
    q: &[f64],
    t: &[f64],
    r: f64,
    r_next: f64,
    supply: Supply,
    acc: &mut [f64],
    next: &mut [f64],
) {
    #[cfg(target_arch = "x86_64")]
    if avx() {
        // SAFETY: the CPU has AVX (checked just above).
        unsafe { deliver_run_avx(flows, q, t, r, r_next, supply, acc, next) };
        return;
    }
    deliver_run_scalar(flows, q, t, r, r_next, supply, acc, next);
}

#[allow(clippy::too_many_arguments)]
fn deliver_run_scalar(
    flows: &[f64],
    q: &[f64],
    t: &[f64],
    r: f64,
    r_next: f64,
    supply: Supply,
    acc: &mut [f64],
    next: &mut [f64],
) {
    let Supply { demand, production } = supply;
    for j in 0..flows.len() {
        if demand != 0.0 {
            let order = if t[j] != 0.0 {
                q[j] * ((flows[j] * r) / t[j])
            } else {
                0.0
            };
            acc[j] += (order / demand) * production;
        }
        next[j] += flows[j] * r_next;
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
#[allow(clippy::too_many_arguments)]
fn deliver_run_avx(
    flows: &[f64],
    q: &[f64],
    t: &[f64],
    r: f64,
    r_next: f64,
    supply: Supply,
    acc: &mut [f64],
    next: &mut [f64],
) {
    use std::arch::x86_64::*;
    let n = flows.len();
    assert!(q.len() >= n && t.len() >= n && acc.len() >= n && next.len() >= n);
    let whole = n / LANES * LANES;
    let (vr, vr_next, zero) = (
        _mm256_set1_pd(r),
        _mm256_set1_pd(r_next),
        _mm256_setzero_pd(),
    );
    let (demand, production) = (
        _mm256_set1_pd(supply.demand),
        _mm256_set1_pd(supply.production),
    );
    let delivers = supply.demand != 0.0;
    for i in (0..whole).step_by(LANES) {
        // SAFETY: `i + LANES <= whole <= n <=` every slice's length (asserted above).
        unsafe {
            let flow0 = _mm256_loadu_pd(flows.as_ptr().add(i));
            if delivers {
                let vt = _mm256_loadu_pd(t.as_ptr().add(i));
                let split = _mm256_div_pd(_mm256_mul_pd(flow0, vr), vt);
                let value = _mm256_mul_pd(_mm256_loadu_pd(q.as_ptr().add(i)), split);
                let order = _mm256_and_pd(value, _mm256_cmp_pd::<_CMP_NEQ_UQ>(vt, zero));
                let delivered = _mm256_mul_pd(_mm256_div_pd(order, demand), production);
                let cell = acc.as_mut_ptr().add(i);
                _mm256_storeu_pd(cell, _mm256_add_pd(_mm256_loadu_pd(cell), delivered));
            }
            let cell = next.as_mut_ptr().add(i);
            let weight = _mm256_mul_pd(flow0, vr_next);
            _mm256_storeu_pd(cell, _mm256_add_pd(_mm256_loadu_pd(cell), weight));
        }
    }
    deliver_run_scalar(
        &flows[whole..],
        &q[whole..],
        &t[whole..],
        r,
        r_next,
        supply,
        &mut acc[whole..],
        &mut next[whole..],
    );
}

/// Deliveries of one supplier from its orders as laid out in its demand row (`orders`,
/// written by [`set_sales_run`] for the same slots): `acc[j] += (orders[j] / D) · x`, unless
/// `D` is 0, and `next[j] += flows[j] · r_next`. The same bits as [`deliver_run`] on the
/// values the row was laid out from, without the order split's second division.
pub(super) fn deliver_orders(
    orders: &[f64],
    flows: &[f64],
    r_next: f64,
    supply: Supply,
    acc: &mut [f64],
    next: &mut [f64],
) {
    #[cfg(target_arch = "x86_64")]
    if avx() {
        // SAFETY: the CPU has AVX (checked just above).
        unsafe { deliver_orders_avx(orders, flows, r_next, supply, acc, next) };
        return;
    }
    deliver_orders_scalar(orders, flows, r_next, supply, acc, next);
}

fn deliver_orders_scalar(
    orders: &[f64],
    flows: &[f64],
    r_next: f64,
    supply: Supply,
    acc: &mut [f64],
    next: &mut [f64],
) {
    let Supply { demand, production } = supply;
    for j in 0..flows.len() {
        if demand != 0.0 {
            acc[j] += (orders[j] / demand) * production;
        }
        next[j] += flows[j] * r_next;
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
fn deliver_orders_avx(
    orders: &[f64],
    flows: &[f64],
    r_next: f64,
    supply: Supply,
    acc: &mut [f64],
    next: &mut [f64],
) {
    use std::arch::x86_64::*;
    let n = flows.len();
    assert!(orders.len() >= n && acc.len() >= n && next.len() >= n);
    let whole = n / LANES * LANES;
    let vr_next = _mm256_set1_pd(r_next);
    let (demand, production) = (
        _mm256_set1_pd(supply.demand),
        _mm256_set1_pd(supply.production),
    );
    let delivers = supply.demand != 0.0;
    for i in (0..whole).step_by(LANES) {
        // SAFETY: `i + LANES <= whole <= n <=` every slice's length (asserted above).
        unsafe {
            if delivers {
                let order = _mm256_loadu_pd(orders.as_ptr().add(i));
                let delivered = _mm256_mul_pd(_mm256_div_pd(order, demand), production);
                let cell = acc.as_mut_ptr().add(i);
                _mm256_storeu_pd(cell, _mm256_add_pd(_mm256_loadu_pd(cell), delivered));
            }
            let cell = next.as_mut_ptr().add(i);
            let weight = _mm256_mul_pd(_mm256_loadu_pd(flows.as_ptr().add(i)), vr_next);
            _mm256_storeu_pd(cell, _mm256_add_pd(_mm256_loadu_pd(cell), weight));
        }
    }
    deliver_orders_scalar(
        &orders[whole..n],
        &flows[whole..],
        r_next,
        supply,
        &mut acc[whole..],
        &mut next[whole..],
    );
}

/// What the deliveries of one input read about its suppliers.
pub(super) struct Suppliers<'a> {
    /// Demand and production of every firm: the rationing share is `order / demand`.
    pub supply: &'a [Supply],
    /// Capacity ratio of every firm when the outstanding orders were placed.
    pub ratio: &'a [f64],
    /// Capacity ratio of every firm today (weights of the orders placed today).
    pub ratio_next: &'a [f64],
}

/// Deliveries to one input with outstanding quantity `q` and weight total `t`, over its
/// links (`suppliers`, annual baseline flows `flows`), and the weight total of today's
/// orders: `(Σ (order / D_s) · x_s, Σ z0 · r'_s)` with `z0 = flow · daily` and
/// `order = q · ((z0 · r_s) / t)` (0 when `t` is 0), both summed in link order; a supplier
/// without demand delivers nothing.
pub(super) fn deliveries(
    q: f64,
    t: f64,
    suppliers: &[u32],
    flows: &[f64],
    daily: f64,
    s: &Suppliers,
) -> (f64, f64) {
    #[cfg(target_arch = "x86_64")]
    if avx() {
        // SAFETY: the CPU has AVX (checked just above).
        return unsafe { deliveries_avx(q, t, suppliers, flows, daily, s) };
    }
    deliveries_scalar(q, t, suppliers, flows, daily, s, (0.0, 0.0))
}

/// [`deliveries`] one link at a time, continuing the sums `(acc, total)`.
fn deliveries_scalar(
    q: f64,
    t: f64,
    suppliers: &[u32],
    flows: &[f64],
    daily: f64,
    s: &Suppliers,
    (mut acc, mut total): (f64, f64),
) -> (f64, f64) {
    for (&supplier, &flow) in suppliers.iter().zip(flows) {
        let supplier = supplier as usize;
        let flow0 = flow * daily;
        let Supply { demand, production } = s.supply[supplier];
        if demand != 0.0 {
            let order = if t != 0.0 {
                q * ((flow0 * s.ratio[supplier]) / t)
            } else {
                0.0
            };
            acc += (order / demand) * production;
        }
        total += flow0 * s.ratio_next[supplier];
    }
    (acc, total)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
fn deliveries_avx(
    q: f64,
    t: f64,
    suppliers: &[u32],
    flows: &[f64],
    daily: f64,
    s: &Suppliers,
) -> (f64, f64) {
    use std::arch::x86_64::*;
    let (mut acc, mut total) = (0.0, 0.0);
    let whole = suppliers.len().min(flows.len()) / LANES * LANES;
    let (vq, vt, vdaily) = (_mm256_set1_pd(q), _mm256_set1_pd(t), _mm256_set1_pd(daily));
    let zero = _mm256_setzero_pd();
    // `t != 0.0`: the order, else +0.0 for every link
    let keep_order = _mm256_cmp_pd::<_CMP_NEQ_UQ>(vt, zero);
    for (i4, f4) in suppliers[..whole]
        .chunks_exact(LANES)
        .zip(flows[..whole].chunks_exact(LANES))
    {
        let (mut demand, mut production) = ([0.0; LANES], [0.0; LANES]);
        let (mut ratio, mut ratio_next) = ([0.0; LANES], [0.0; LANES]);
        for j in 0..LANES {
            let supplier = i4[j] as usize;
            let view = s.supply[supplier];
            (demand[j], production[j]) = (view.demand, view.production);
            ratio[j] = s.ratio[supplier];
            ratio_next[j] = s.ratio_next[supplier];
        }
        let (mut delivered, mut weight) = ([0.0; LANES], [0.0; LANES]);
        // SAFETY: unaligned loads and stores of four f64 from and to arrays of four.
        unsafe {
            let flow0 = _mm256_mul_pd(_mm256_loadu_pd(f4.as_ptr()), vdaily);
            let split = _mm256_div_pd(_mm256_mul_pd(flow0, _mm256_loadu_pd(ratio.as_ptr())), vt);
            let order = _mm256_and_pd(_mm256_mul_pd(vq, split), keep_order);
            let vdemand = _mm256_loadu_pd(demand.as_ptr());
            let share = _mm256_div_pd(order, vdemand);
            let value = _mm256_mul_pd(share, _mm256_loadu_pd(production.as_ptr()));
            // a supplier without demand (`demand != 0.0` false) adds +0.0, which leaves the
            // sum's bits as they are (the sum starts at +0.0 and is never -0.0)
            let keep = _mm256_cmp_pd::<_CMP_NEQ_UQ>(vdemand, zero);
            _mm256_storeu_pd(delivered.as_mut_ptr(), _mm256_and_pd(value, keep));
            let next = _mm256_mul_pd(flow0, _mm256_loadu_pd(ratio_next.as_ptr()));
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
        &suppliers[whole..],
        &flows[whole..],
        daily,
        s,
        (acc, total),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn deliveries_match_the_scalar_loop_bit_for_bit() {
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
        for len in [0, 1, 3, 4, 5, 8, 11, 37] {
            let suppliers: Vec<u32> = (0..len).map(|i| ((i * 11) % n) as u32).collect();
            let flows: Vec<f64> = (0..len).map(|i| value(i + 9) * 365.0).collect();
            for (q, t) in [(2.5, 7.0), (0.0, 3.0), (1.0, 0.0), (1e-5, 1e9)] {
                let got = deliveries(q, t, &suppliers, &flows, 1.0 / 365.0, &s);
                let want = deliveries_scalar(q, t, &suppliers, &flows, 1.0 / 365.0, &s, (0.0, 0.0));
                assert_eq!(got.0.to_bits(), want.0.to_bits(), "len {len}, q {q}, t {t}");
                assert_eq!(got.1.to_bits(), want.1.to_bits(), "len {len}, q {q}, t {t}");
            }
        }
    }

    #[test]
    fn runs_match_the_scalar_loops_bit_for_bit() {
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for len in [0, 1, 3, 4, 6, 9, 33] {
            let flows: Vec<f64> = (0..len).map(|i| value(i + 4)).collect();
            let q: Vec<f64> = (0..len).map(|i| value(3 * i + 1)).collect();
            let t: Vec<f64> = (0..len).map(|i| value(5 * i + 2)).collect();
            let start: Vec<f64> = (0..len).map(|i| value(i + 11)).collect();
            for r in [0.0, 0.8, 1.0, 2e-9] {
                // the kernel overwrites; the engine used to add to a zeroed row
                let mut got = start.clone();
                set_sales_run(&mut got, &flows, r, &q, &t);
                let mut want = vec![0.0; len];
                for j in 0..len {
                    want[j] += if t[j] != 0.0 {
                        q[j] * ((flows[j] * r) / t[j])
                    } else {
                        0.0
                    };
                }
                assert_eq!(bits(&got), bits(&want), "set_sales_run len {len} r {r}");
                for demand in [0.0, 3.5, 1e-250] {
                    let supply = Supply {
                        demand,
                        production: 2.25,
                    };
                    let (mut acc, mut next) = (start.clone(), start.clone());
                    deliver_run(&flows, &q, &t, r, 0.9, supply, &mut acc, &mut next);
                    let (mut acc_want, mut next_want) = (start.clone(), start.clone());
                    deliver_run_scalar(
                        &flows,
                        &q,
                        &t,
                        r,
                        0.9,
                        supply,
                        &mut acc_want,
                        &mut next_want,
                    );
                    assert_eq!(bits(&acc), bits(&acc_want), "deliver_run len {len}");
                    assert_eq!(bits(&next), bits(&next_want), "deliver_run len {len}");
                    // from the row set_sales_run laid out: the same bits
                    let (mut acc_row, mut next_row) = (start.clone(), start.clone());
                    deliver_orders(&got, &flows, 0.9, supply, &mut acc_row, &mut next_row);
                    assert_eq!(bits(&acc_row), bits(&acc_want), "deliver_orders len {len}");
                    assert_eq!(
                        bits(&next_row),
                        bits(&next_want),
                        "deliver_orders len {len}"
                    );
                    if demand == 0.0 {
                        assert_eq!(bits(&acc), bits(&start), "no demand: nothing delivered");
                    }
                }
            }
        }
    }

    #[test]
    fn sales_orders_match_the_scalar_loop_bit_for_bit() {
        let slots_n = 29;
        let slot_order: Vec<(f64, f64)> = (0..slots_n)
            .map(|i| (value(i + 2), value(2 * i + 5)))
            .collect();
        let slot_firm: Vec<u32> = (0..slots_n).map(|i| (i % 13) as u32).collect();
        for len in [0, 2, 4, 7, 29] {
            let slots: Vec<u32> = (0..len).map(|i| ((i * 5) % slots_n) as u32).collect();
            let flows: Vec<f64> = (0..len).map(|i| value(i + 1)).collect();
            for r in [0.0, 0.75, 1.0, 3e-7] {
                let mut got = vec![0.5; 13];
                add_sales(&mut got, &slots, &flows, r, &slot_order, &slot_firm);
                let mut want = vec![0.5; 13];
                add_sales_scalar(&mut want, &slots, &flows, r, &slot_order, &slot_firm);
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&got), bits(&want), "len {len}, r {r}");
            }
        }
    }
}
