//! Runs stepped together: a batch of runs on the same economy passes over the links once a
//! phase for all of them.
//!
//! A day's time goes to three passes over the links: the orders each supplier received
//! (phase 2), the deliveries and next weight totals of each input (phase 5), and with policies
//! the share of each input its suppliers cannot serve (phase 6). Run by run, each pass reads
//! every link's static data (supplier, flow, slot, gate) and sums its terms one after the
//! other, so that a link costs a chain of dependent additions. A batch lays the values these
//! passes read out side by side, one lane per run (`width` a multiple of four), and steps
//! the runs in lock step: every other phase is each run's own, and the passes read a link's
//! static data once and compute four runs' terms in one vector operation, each lane's sums
//! in its run's order. Every lane's arithmetic is its run's, operation for operation, so each
//! run's results are identical bit for bit to stepping it alone (`tests/batch.rs`).
//!
//! Batches need implicit orders over slots (dense networks without supplier runs), outside
//! BoARIO's rules, and the same gates on every run (the same links blocked, at whatever times
//! and strengths). Otherwise, and on the baseline day, each run steps alone.

use rayon::prelude::*;

use super::Simulation;
use super::par::{Disjoint, spans};
use crate::economy::{DAILY, Economy};

/// Most runs in a batch.
pub const MAX_LANES: usize = 16;

/// Runs in one vector.
const VECTOR: usize = 4;

/// Slots laid out side by side per parallel piece.
const LAY_OUT_PIECE: usize = 4096;

/// Runs stepped together (see the module notes).
pub struct Batch<'e> {
    lanes: Vec<Simulation<'e>>,
    /// Lanes rounded up to whole vectors; extra lanes repeat lane 0 and are not read back.
    width: usize,
    /// The lanes share an economy and their gates: their links can be passed together.
    together: bool,
    /// Gate of each link (zeros when no lane has link shocks).
    link_gate: Vec<u8>,
    /// Gate of each sale.
    sales_gate: Vec<u8>,
    /// Days whose links were passed together.
    together_days: u32,
    /// Per firm, `width` lanes each: capacity ratio when the outstanding orders were placed,
    /// today's, demand (the rationing shares' denominator) and production.
    ratio: Vec<f64>,
    ratio_next: Vec<f64>,
    demand: Vec<f64>,
    production: Vec<f64>,
    /// Per slot (inputs by sector, then firm: a supplier's sales read them in order): `q`
    /// and `T` of the outstanding orders.
    q_slot: Vec<f64>,
    t_slot: Vec<f64>,
    /// The same by input (phase 5 reads them input by input; the slots' rows are copied
    /// from these).
    q_input: Vec<f64>,
    t_input: Vec<f64>,
    /// Per gate: open share when ordering, delivered share today, open share today.
    ordered: Vec<f64>,
    pass: Vec<f64>,
    open: Vec<f64>,
    /// Sums: orders received per firm; deliveries, next weight totals and servable flow
    /// (policies) per input; and the flow of each input (the same in every lane).
    received: Vec<f64>,
    delivered: Vec<f64>,
    next: Vec<f64>,
    able: Vec<f64>,
    flow: Vec<f64>,
}

impl<'e> Batch<'e> {
    /// Step `lanes` (at most [`MAX_LANES`], all at the same day) together from now on.
    pub fn new(lanes: Vec<Simulation<'e>>) -> Batch<'e> {
        assert!(
            !lanes.is_empty() && lanes.len() <= MAX_LANES,
            "1 to 16 lanes"
        );
        let width = lanes.len().div_ceil(VECTOR) * VECTOR;
        let first = &lanes[0];
        let e = first.economy;
        let same_economy = lanes.iter().all(|l| std::ptr::eq(l.economy, e));
        fn layout<'a>(l: &'a Simulation) -> Option<Option<&'a Vec<u8>>> {
            l.implicit
                .as_ref()
                .filter(|i| i.packed && i.runs.is_none() && !l.params.boario())
                .map(|i| i.gates.as_ref().map(|g| &g.link))
        }
        let gates = layout(first);
        let together = lanes.len() > 1
            && same_economy
            && lanes
                .iter()
                .all(|l| l.policy.is_some() == first.policy.is_some())
            && gates.is_some()
            && lanes.iter().all(|l| layout(l) == gates)
            && lanes.iter().all(|l| l.day == first.day);
        let (link_gate, sales_gate, n_gates) = match first.implicit.as_ref().map(|i| &i.gates) {
            _ if !together => (Vec::new(), Vec::new(), 0),
            Some(Some(g)) => {
                let n = lanes
                    .iter()
                    .map(|l| l.implicit.as_ref().and_then(|i| i.gates.as_ref()))
                    .map(|g| g.map_or(1, |g| g.open.len()))
                    .max()
                    .unwrap_or(1);
                (g.link.clone(), g.sales.clone(), n)
            }
            _ => (vec![0; e.n_links()], vec![0; e.n_links()], 1),
        };
        let per = |n: usize| {
            if together {
                vec![0.0; n * width]
            } else {
                Vec::new()
            }
        };
        let (firms, inputs) = (e.n_firms(), e.input_sector.len());
        Batch {
            width,
            together,
            together_days: 0,
            link_gate,
            sales_gate,
            ratio: per(firms),
            ratio_next: per(firms),
            demand: per(firms),
            production: per(firms),
            q_slot: per(inputs),
            t_slot: per(inputs),
            q_input: per(inputs),
            t_input: per(inputs),
            ordered: per(n_gates),
            pass: per(n_gates),
            open: per(n_gates),
            received: per(firms),
            delivered: per(inputs),
            next: per(inputs),
            able: per(inputs),
            flow: if together {
                vec![0.0; inputs]
            } else {
                Vec::new()
            },
            lanes,
        }
    }

    /// Whether the lanes' links are passed together (else each run steps alone).
    pub fn together(&self) -> bool {
        self.together
    }

    /// Days stepped so far whose links were passed together (the others: each run alone).
    pub fn together_days(&self) -> u32 {
        self.together_days
    }

    /// The runs.
    pub fn lanes(&self) -> &[Simulation<'e>] {
        &self.lanes
    }

    /// Advance every run one day.
    pub fn step(&mut self) {
        if !(self.together && self.lanes.iter().all(Simulation::batchable)) {
            self.lanes.iter_mut().for_each(Simulation::step);
            return;
        }
        // each run's own phases, the runs in parallel (and each run's blocks within)
        self.lanes.par_iter_mut().for_each(Simulation::begin_day);
        self.lay_out_orders();
        self.sum_orders();
        self.lanes.par_iter_mut().for_each(Simulation::middle_day);
        self.lay_out_supply();
        self.sum_deliveries();
        self.lanes.par_iter_mut().for_each(Simulation::end_day);
        self.together_days += 1;
    }

    /// Lane `j`'s run, or lane 0's for the padding lanes.
    fn lane<'a>(lanes: &'a [Simulation<'e>], j: usize) -> &'a Simulation<'e> {
        &lanes[if j < lanes.len() { j } else { 0 }]
    }

    /// What phases 2 and 5 read of the outstanding orders, side by side: ratios when
    /// ordering, `q` and `T` by slot, the gates' shares.
    fn lay_out_orders(&mut self) {
        let w = self.width;
        for j in 0..w {
            let lane = Batch::lane(&self.lanes, j);
            let implicit = lane
                .implicit
                .as_ref()
                .expect("batched lanes keep implicit orders");
            for (f, &r) in lane.supplier_ratio.iter().enumerate() {
                self.ratio[f * w + j] = r;
            }
            let n_gates = self.ordered.len() / w;
            for g in 0..n_gates {
                let (ordered, pass, open) = match &implicit.gates {
                    Some(gates) if g < gates.open.len() => {
                        (gates.ordered[g], gates.pass[g], gates.open[g])
                    }
                    _ => (1.0, 1.0, 1.0),
                };
                self.ordered[g * w + j] = ordered;
                self.pass[g * w + j] = pass;
                self.open[g * w + j] = open;
            }
        }
        // `q` and `T` input by input, every lane's side by side (each lane's arrays read in
        // order), then each slot's row copied from its input's (one cache line for 8 lanes);
        // both in parallel pieces
        let lanes = &self.lanes;
        let orders = |j: usize| {
            let lane = Batch::lane(lanes, j);
            (
                &lane.quantity[..],
                &lane.implicit.as_ref().expect("implicit").total[..],
            )
        };
        let orders: Vec<(&[f64], &[f64])> = (0..w).map(orders).collect();
        let first_of = |piece: usize| piece * LAY_OUT_PIECE;
        self.q_input
            .par_chunks_mut(LAY_OUT_PIECE * w)
            .zip(self.t_input.par_chunks_mut(LAY_OUT_PIECE * w))
            .enumerate()
            .for_each(|(piece, (q, t))| {
                let inputs = first_of(piece)..first_of(piece) + q.len() / w;
                // lane by lane: each lane's arrays read in order, the piece's rows in cache
                for (j, &(quantity, total)) in orders.iter().enumerate() {
                    let rows = q.chunks_exact_mut(w).zip(t.chunks_exact_mut(w));
                    for ((q, t), k) in rows.zip(inputs.clone()) {
                        (q[j], t[j]) = (quantity[k], total[k]);
                    }
                }
            });
        let slot_input = &lanes[0].implicit.as_ref().expect("implicit").slot_input;
        let (q_input, t_input) = (&self.q_input, &self.t_input);
        self.q_slot
            .par_chunks_mut(LAY_OUT_PIECE * w)
            .zip(self.t_slot.par_chunks_mut(LAY_OUT_PIECE * w))
            .enumerate()
            .for_each(|(piece, (q, t))| {
                let first = first_of(piece);
                for (i, (q, t)) in q.chunks_exact_mut(w).zip(t.chunks_exact_mut(w)).enumerate() {
                    let k = slot_input[first + i] as usize * w;
                    // whole vectors of four: copies of known length, no call to memmove
                    for c in (0..w).step_by(VECTOR) {
                        let (from, to) = (k + c..k + c + VECTOR, c..c + VECTOR);
                        <&mut [f64; VECTOR]>::try_from(&mut q[to.clone()])
                            .expect("four")
                            .copy_from_slice(&q_input[from.clone()]);
                        <&mut [f64; VECTOR]>::try_from(&mut t[to])
                            .expect("four")
                            .copy_from_slice(&t_input[from]);
                    }
                }
            });
    }

    /// What phase 5 reads, side by side: each supplier's demand, production and ratio today.
    fn lay_out_supply(&mut self) {
        let w = self.width;
        for j in 0..w {
            let lane = Batch::lane(&self.lanes, j);
            for (f, (s, &r)) in lane
                .supply
                .iter()
                .zip(&lane.supplier_ratio_next)
                .enumerate()
            {
                self.demand[f * w + j] = s.demand;
                self.production[f * w + j] = s.production;
                self.ratio_next[f * w + j] = r;
            }
        }
    }

    /// Phase 2's pass: the orders each firm received, in every lane.
    fn sum_orders(&mut self) {
        let w = self.width;
        let lane0 = &self.lanes[0];
        let (e, implicit) = (lane0.economy, lane0.implicit.as_ref().expect("implicit"));
        let pass = Pass {
            e,
            w,
            ratio: &self.ratio,
            q: &self.q_slot,
            t: &self.t_slot,
            ordered: &self.ordered,
            pass: &self.pass,
            open: &self.open,
        };
        let (slots, flows, gates) = (&implicit.sales_slot, &implicit.sales_flow, &self.sales_gate);
        let received = Disjoint::new(&mut self.received);
        lane0.blocks.run(|_, firms| {
            // SAFETY: each block writes its own firms' lanes.
            let received = unsafe { received.range(firms.start * w..firms.end * w) };
            for (f, out) in firms.zip(received.chunks_exact_mut(w)) {
                let sales = e.firm_sales[f] as usize..e.firm_sales[f + 1] as usize;
                pass.orders(
                    f,
                    &slots[sales.clone()],
                    &flows[sales.clone()],
                    &gates[sales],
                    out,
                );
            }
        });
        for (j, lane) in self.lanes.iter_mut().enumerate() {
            for (f, cell) in lane.orders_received.iter_mut().enumerate() {
                *cell = self.received[f * w + j];
            }
        }
    }

    /// Phase 5's pass: deliveries, next weight totals and (policies) servable flows of each
    /// input, in every lane.
    fn sum_deliveries(&mut self) {
        let w = self.width;
        let lane0 = &self.lanes[0];
        let e = lane0.economy;
        let with_able = lane0.policy.is_some();
        let pass = Pass {
            e,
            w,
            ratio: &self.ratio,
            q: &self.q_input,
            t: &self.t_input,
            ordered: &self.ordered,
            pass: &self.pass,
            open: &self.open,
        };
        let supply = Supplies {
            demand: &self.demand,
            production: &self.production,
            ratio_next: &self.ratio_next,
        };
        let gates = &self.link_gate;
        let delivered = Disjoint::new(&mut self.delivered);
        let next = Disjoint::new(&mut self.next);
        let able = Disjoint::new(&mut self.able);
        let flow = Disjoint::new(&mut self.flow);
        lane0.blocks.run(|_, firms| {
            let (inputs, _) = spans(e, &firms);
            let lanes = inputs.start * w..inputs.end * w;
            // SAFETY: each block writes its own firms' inputs.
            let (delivered, next, able, flow) = unsafe {
                (
                    delivered.range(lanes.clone()),
                    next.range(lanes.clone()),
                    able.range(lanes),
                    flow.range(inputs.clone()),
                )
            };
            for (i, k) in inputs.enumerate() {
                let links = e.input_links[k] as usize..e.input_links[k + 1] as usize;
                let out = i * w..(i + 1) * w;
                flow[i] = pass.deliveries(
                    k,
                    links,
                    gates,
                    &supply,
                    (&mut delivered[out.clone()], &mut next[out.clone()]),
                    with_able.then(|| &mut able[out]),
                );
            }
        });
        let (delivered_all, next_all) = (&self.delivered, &self.next);
        let (able_all, flow_all) = (&self.able, &self.flow);
        let scatter = |(j, lane): (usize, &mut Simulation<'e>)| {
            let implicit = lane.implicit.as_mut().expect("implicit");
            for (k, (got, next)) in lane
                .received
                .iter_mut()
                .zip(&mut implicit.total_next)
                .enumerate()
            {
                *got = delivered_all[k * w + j];
                *next = next_all[k * w + j];
            }
            if with_able {
                for (k, cell) in lane.unserved.iter_mut().enumerate() {
                    let (able, total) = (able_all[k * w + j], flow_all[k]);
                    *cell = if total > 0.0 { 1.0 - able / total } else { 0.0 };
                }
            }
        };
        // each lane writes its own run: in parallel
        self.lanes.par_iter_mut().enumerate().for_each(scatter);
    }

    /// The runs, as stepped so far.
    pub fn into_lanes(self) -> Vec<Simulation<'e>> {
        self.lanes
    }
}

/// What the passes read, `w` lanes per element.
struct Pass<'a> {
    e: &'a Economy,
    w: usize,
    ratio: &'a [f64],
    /// `q` and `T` by slot (phase 2) or by input (phase 5).
    q: &'a [f64],
    t: &'a [f64],
    ordered: &'a [f64],
    pass: &'a [f64],
    open: &'a [f64],
}

/// What phase 5 reads of the suppliers, `w` lanes per firm.
struct Supplies<'a> {
    demand: &'a [f64],
    production: &'a [f64],
    ratio_next: &'a [f64],
}

impl Pass<'_> {
    /// The orders supplier `f` received on its sales (`slots`, `flows`, `gates`), per lane:
    /// `Σ (q·(((z0·r)·open_ordered)/T) (0 when T is 0)) · pass` in sales order.
    fn orders(&self, f: usize, slots: &[u32], flows: &[f64], gates: &[u8], out: &mut [f64]) {
        #[cfg(target_arch = "x86_64")]
        if super::kernels::avx() {
            // SAFETY: the CPU has AVX (checked just above).
            unsafe { self.orders_avx(f, slots, flows, gates, out) };
            return;
        }
        self.orders_scalar(f, slots, flows, gates, out);
    }

    fn orders_scalar(&self, f: usize, slots: &[u32], flows: &[f64], gates: &[u8], out: &mut [f64]) {
        let w = self.w;
        out.fill(0.0);
        for ((&slot, &flow0), &g) in slots.iter().zip(flows).zip(gates) {
            let (slot, g) = (slot as usize * w, g as usize * w);
            for (j, acc) in out.iter_mut().enumerate() {
                let t = self.t[slot + j];
                let order = if t != 0.0 {
                    self.q[slot + j] * (((flow0 * self.ratio[f * w + j]) * self.ordered[g + j]) / t)
                } else {
                    0.0
                };
                *acc += order * self.pass[g + j];
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx")]
    #[allow(clippy::needless_range_loop)] // chunk `c` indexes several arrays alike
    fn orders_avx(&self, f: usize, slots: &[u32], flows: &[f64], gates: &[u8], out: &mut [f64]) {
        use std::arch::x86_64::*;
        let w = self.w;
        let chunks = w / VECTOR;
        let zero = _mm256_setzero_pd();
        let load = |v: &[f64], at: usize| {
            assert!(at + VECTOR <= v.len());
            // SAFETY: in bounds (asserted just above).
            unsafe { _mm256_loadu_pd(v.as_ptr().add(at)) }
        };
        let mut acc = [zero; MAX_LANES / VECTOR];
        let mut ratio = [zero; MAX_LANES / VECTOR];
        for c in 0..chunks {
            ratio[c] = load(self.ratio, f * w + c * VECTOR);
        }
        for ((&slot, &flow0), &g) in slots.iter().zip(flows).zip(gates) {
            let (slot, g) = (slot as usize * w, g as usize * w);
            let flow0 = _mm256_set1_pd(flow0);
            for c in 0..chunks {
                let lane = c * VECTOR;
                let t = load(self.t, slot + lane);
                let weight =
                    _mm256_mul_pd(_mm256_mul_pd(flow0, ratio[c]), load(self.ordered, g + lane));
                let order = _mm256_mul_pd(load(self.q, slot + lane), _mm256_div_pd(weight, t));
                // `t != 0.0` (true for NaN, as in Rust): the order, else +0.0
                let order = _mm256_and_pd(order, _mm256_cmp_pd::<_CMP_NEQ_UQ>(t, zero));
                let order = _mm256_mul_pd(order, load(self.pass, g + lane));
                acc[c] = _mm256_add_pd(acc[c], order);
            }
        }
        for c in 0..chunks {
            let cell = &mut out[c * VECTOR..(c + 1) * VECTOR];
            // SAFETY: a store of four f64 to a slice of four.
            unsafe { _mm256_storeu_pd(cell.as_mut_ptr(), acc[c]) };
        }
    }

    /// Input `k`'s deliveries over its `links` and the weight total of today's orders, per
    /// lane,
    /// into `out`; with `able`, the flow its suppliers can serve (`Σ (z0·min(r', 1))·open`);
    /// returns the input's flow `Σ z0`. Each lane's terms and sums are those of
    /// [`super::gates::deliveries`] and of phase 6.
    fn deliveries(
        &self,
        k: usize,
        links: std::ops::Range<usize>,
        gates: &[u8],
        s: &Supplies,
        out: (&mut [f64], &mut [f64]),
        able: Option<&mut [f64]>,
    ) -> f64 {
        #[cfg(target_arch = "x86_64")]
        if super::kernels::avx() {
            // SAFETY: the CPU has AVX (checked just above).
            return unsafe { self.deliveries_avx(k, links, gates, s, out, able) };
        }
        self.deliveries_scalar(k, links, gates, s, out, able)
    }

    fn deliveries_scalar(
        &self,
        k: usize,
        links: std::ops::Range<usize>,
        gates: &[u8],
        s: &Supplies,
        (acc, next): (&mut [f64], &mut [f64]),
        mut able: Option<&mut [f64]>,
    ) -> f64 {
        let (e, w) = (self.e, self.w);
        acc.fill(0.0);
        next.fill(0.0);
        if let Some(able) = able.as_deref_mut() {
            able.fill(0.0);
        }
        let mut total = 0.0;
        for l in links {
            let (supplier, g) = (e.link_supplier[l] as usize * w, gates[l] as usize * w);
            let flow0 = e.link_flow[l] * DAILY;
            for j in 0..w {
                let demand = s.demand[supplier + j];
                if demand != 0.0 {
                    let t = self.t[k * w + j];
                    let order = if t != 0.0 {
                        self.q[k * w + j]
                            * (((flow0 * self.ratio[supplier + j]) * self.ordered[g + j]) / t)
                    } else {
                        0.0
                    };
                    let order = order * self.pass[g + j];
                    acc[j] += (order / demand) * s.production[supplier + j];
                }
                let r_next = s.ratio_next[supplier + j];
                next[j] += (flow0 * r_next) * self.open[g + j];
                if let Some(able) = able.as_deref_mut() {
                    able[j] += (flow0 * r_next.min(1.0)) * self.open[g + j];
                }
            }
            total += flow0;
        }
        total
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx")]
    #[allow(clippy::needless_range_loop)] // chunk `c` indexes several arrays alike
    fn deliveries_avx(
        &self,
        k: usize,
        links: std::ops::Range<usize>,
        gates: &[u8],
        s: &Supplies,
        (acc_out, next_out): (&mut [f64], &mut [f64]),
        able_out: Option<&mut [f64]>,
    ) -> f64 {
        use std::arch::x86_64::*;
        let (e, w) = (self.e, self.w);
        let chunks = w / VECTOR;
        let (zero, one) = (_mm256_setzero_pd(), _mm256_set1_pd(1.0));
        let load = |v: &[f64], at: usize| {
            assert!(at + VECTOR <= v.len());
            // SAFETY: in bounds (asserted just above).
            unsafe { _mm256_loadu_pd(v.as_ptr().add(at)) }
        };
        let with_able = able_out.is_some();
        let (mut acc, mut next, mut able) = (
            [zero; MAX_LANES / VECTOR],
            [zero; MAX_LANES / VECTOR],
            [zero; MAX_LANES / VECTOR],
        );
        let (mut q, mut t, mut keep) = (
            [zero; MAX_LANES / VECTOR],
            [zero; MAX_LANES / VECTOR],
            [zero; MAX_LANES / VECTOR],
        );
        for c in 0..chunks {
            q[c] = load(self.q, k * w + c * VECTOR);
            t[c] = load(self.t, k * w + c * VECTOR);
            keep[c] = _mm256_cmp_pd::<_CMP_NEQ_UQ>(t[c], zero);
        }
        let mut total = 0.0;
        for l in links {
            let (supplier, g) = (e.link_supplier[l] as usize * w, gates[l] as usize * w);
            let flow0 = e.link_flow[l] * DAILY;
            let vflow0 = _mm256_set1_pd(flow0);
            for c in 0..chunks {
                let lane = c * VECTOR;
                let weight = _mm256_mul_pd(
                    _mm256_mul_pd(vflow0, load(self.ratio, supplier + lane)),
                    load(self.ordered, g + lane),
                );
                let order = _mm256_mul_pd(q[c], _mm256_div_pd(weight, t[c]));
                let order = _mm256_mul_pd(_mm256_and_pd(order, keep[c]), load(self.pass, g + lane));
                let demand = load(s.demand, supplier + lane);
                let value = _mm256_mul_pd(
                    _mm256_div_pd(order, demand),
                    load(s.production, supplier + lane),
                );
                // a supplier without demand adds +0.0, which leaves the sum's bits as they
                // are (it starts at +0.0 and is never -0.0)
                let value = _mm256_and_pd(value, _mm256_cmp_pd::<_CMP_NEQ_UQ>(demand, zero));
                acc[c] = _mm256_add_pd(acc[c], value);
                let r_next = load(s.ratio_next, supplier + lane);
                let open = load(self.open, g + lane);
                next[c] =
                    _mm256_add_pd(next[c], _mm256_mul_pd(_mm256_mul_pd(vflow0, r_next), open));
                if with_able {
                    // `f64::min(r, 1.0)`: `min_pd` gives its second operand when the first is
                    // NaN, as Rust's `min` gives the number
                    let capped = _mm256_min_pd(r_next, one);
                    able[c] =
                        _mm256_add_pd(able[c], _mm256_mul_pd(_mm256_mul_pd(vflow0, capped), open));
                }
            }
            total += flow0;
        }
        let store = |v: __m256d, out: &mut [f64]| {
            // SAFETY: a store of four f64 to a slice of four.
            unsafe { _mm256_storeu_pd(out.as_mut_ptr(), v) }
        };
        for c in 0..chunks {
            let lanes = c * VECTOR..(c + 1) * VECTOR;
            store(acc[c], &mut acc_out[lanes.clone()]);
            store(next[c], &mut next_out[lanes.clone()]);
        }
        if let Some(able_out) = able_out {
            for c in 0..chunks {
                store(able[c], &mut able_out[c * VECTOR..(c + 1) * VECTOR]);
            }
        }
        total
    }
}
