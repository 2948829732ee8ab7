//! numpy's summation orders, for bit-level agreement with BoARIO under `compat: Boario072`.
//!
//! Floating-point sums depend on their order. BoARIO 0.7.2 has knife-edge tests (`ζ == 0`,
//! global `allclose` gates) where a last-bit difference changes the trajectory (its
//! ARIOBaseModel run is one), so the engine sums demand rows the way numpy does:
//!
//! * [`pairwise_sum`] — `np.sum` along a contiguous axis (8 accumulators, then halving above
//!   128 elements);
//! * [`einsum_sum`] — `np.einsum('ij->i')` on a contiguous row with numpy's baseline SIMD on
//!   x86-64 (2 × f64 lanes, 4 vectors per iteration, lanes added at the end).
//!
//! Both take a *sparse* row: `(position, value)` terms sorted by position, absent positions
//! being zeros, and the row's full length. Adding an exact zero never changes a sum, so the
//! result equals numpy's on the dense row. Checked against numpy 2.4 in the tests below.

/// numpy's pairwise sum of a sparse row of `len` elements.
pub fn pairwise_sum(terms: &[(usize, f64)], len: usize) -> f64 {
    pairwise_range(terms, 0, len)
}

/// Pairwise sum of positions `start..start+len` (terms restricted to that range).
fn pairwise_range(terms: &[(usize, f64)], start: usize, len: usize) -> f64 {
    if len < 8 {
        let mut res = 0.0;
        for &(_, v) in terms {
            res += v;
        }
        res
    } else if len <= 128 {
        let mut r = [0.0f64; 8];
        let blocked = len - len % 8;
        let mut rest = 0;
        for (k, &(pos, v)) in terms.iter().enumerate() {
            let offset = pos - start;
            if offset < blocked {
                // r[k] starts at a[k] and accumulates a[i + k]: with zeros elsewhere this is a
                // plain running sum per lane.
                r[offset % 8] += v;
            } else {
                rest = k;
                break;
            }
            rest = k + 1;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for &(_, v) in &terms[rest..] {
            res += v;
        }
        res
    } else {
        let mut half = len / 2;
        half -= half % 8;
        let split = terms.partition_point(|&(pos, _)| pos < start + half);
        pairwise_range(&terms[..split], start, half)
            + pairwise_range(&terms[split..], start + half, len - half)
    }
}

/// numpy's `einsum('ij->i')` sum of one contiguous sparse row of `len` elements.
pub fn einsum_sum(terms: &[(usize, f64)], len: usize) -> f64 {
    const LANES: usize = 2;
    const BLOCK: usize = 4 * LANES;
    let blocked = len - len % BLOCK;
    let mut acc = [0.0f64; LANES];
    let mut block = usize::MAX;
    let mut parts = [[0.0f64; 4]; LANES];
    let flush = |acc: &mut [f64; LANES], parts: &[[f64; 4]; LANES]| {
        for lane in 0..LANES {
            let p = &parts[lane];
            acc[lane] += (p[0] + p[1]) + (p[2] + p[3]);
        }
    };
    for &(pos, v) in terms {
        if pos < blocked {
            let b = pos / BLOCK;
            if b != block {
                if block != usize::MAX {
                    flush(&mut acc, &parts);
                }
                block = b;
                parts = [[0.0; 4]; LANES];
            }
            parts[pos % LANES][(pos % BLOCK) / LANES] = v;
        } else {
            if block != usize::MAX {
                flush(&mut acc, &parts);
                block = usize::MAX;
            }
            acc[pos % LANES] += v;
        }
    }
    if block != usize::MAX {
        flush(&mut acc, &parts);
    }
    acc[0] + acc[1]
}

/// [`pairwise_sum`] of a dense row (numpy's `pairwise_sum` exactly).
pub fn pairwise_dense(a: &[f64]) -> f64 {
    let n = a.len();
    if n < 8 {
        let mut res = 0.0;
        for &v in a {
            res += v;
        }
        res
    } else if n <= 128 {
        let mut r = [0.0f64; 8];
        r.copy_from_slice(&a[..8]);
        let blocked = n - n % 8;
        for chunk in a[8..blocked].chunks_exact(8) {
            for (acc, &v) in r.iter_mut().zip(chunk) {
                *acc += v;
            }
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for &v in &a[blocked..] {
            res += v;
        }
        res
    } else {
        let mut half = n / 2;
        half -= half % 8;
        pairwise_dense(&a[..half]) + pairwise_dense(&a[half..])
    }
}

/// [`einsum_sum`] of a dense row.
pub fn einsum_dense(a: &[f64]) -> f64 {
    let blocked = a.len() - a.len() % 8;
    let mut acc = [0.0f64; 2];
    for chunk in a[..blocked].chunks_exact(8) {
        acc[0] += (chunk[0] + chunk[2]) + (chunk[4] + chunk[6]);
        acc[1] += (chunk[1] + chunk[3]) + (chunk[5] + chunk[7]);
    }
    for (pos, &v) in a.iter().enumerate().skip(blocked) {
        acc[pos % 2] += v;
    }
    acc[0] + acc[1]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dense(row: &[f64]) -> Vec<(usize, f64)> {
        row.iter()
            .copied()
            .enumerate()
            .filter(|&(_, v)| v != 0.0)
            .collect()
    }

    // Values whose sums depend on order; expected results computed with numpy 2.4.6
    // (`np.sum(a)` and `np.einsum('i->', a)` on the same float64 array).
    const ROW: [f64; 21] = [
        1e16, 1.0, -1e16, 3.5, 1e-3, 7.0, 1e15, 0.1, 0.2, 0.3, -1e15, 2.0, 1.0, 1e-7, 5e15, 1.0,
        1.0, 0.0, 3.0, -5e15, 0.7,
    ];

    #[test]
    fn pairwise_matches_numpy_sum() {
        // np.sum(ROW) == 21.7; np.sum(ROW[:5]) == 3.501
        assert_eq!(pairwise_sum(&dense(&ROW), ROW.len()), 21.7);
        assert_eq!(pairwise_sum(&dense(&ROW[..5]), 5), 3.501);
    }

    #[test]
    fn einsum_matches_numpy_einsum() {
        // np.einsum('i->', ROW) == 21.0 (a different order than np.sum: 21.7)
        assert_eq!(einsum_sum(&dense(&ROW), ROW.len()), 21.0);
    }

    #[test]
    fn dense_and_sparse_rows_sum_alike() {
        // rows of every length class with values spanning magnitudes (order-sensitive sums)
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for len in [0, 1, 7, 8, 9, 16, 100, 128, 129, 300, 1000, 3100] {
            let row: Vec<f64> = (0..len)
                .map(|_| {
                    let r = next();
                    if r % 3 == 0 {
                        0.0
                    } else {
                        (r % 1000) as f64 * 10f64.powi((r % 17) as i32 - 8)
                    }
                })
                .collect();
            let sparse = dense(&row);
            assert_eq!(
                pairwise_dense(&row).to_bits(),
                pairwise_sum(&sparse, len).to_bits(),
                "pairwise, {len}"
            );
            assert_eq!(
                einsum_dense(&row).to_bits(),
                einsum_sum(&sparse, len).to_bits(),
                "einsum, {len}"
            );
        }
        assert_eq!(pairwise_dense(&ROW), 21.7);
        assert_eq!(einsum_dense(&ROW), 21.0);
    }

    #[test]
    fn large_rows_split_in_halves() {
        let row: Vec<f64> = (0..300)
            .map(|i| if i % 7 == 0 { 1e10 } else { 0.1 * i as f64 })
            .collect();
        // np.sum(row) == np.einsum('i->', row) == 430000003852.9
        assert_eq!(pairwise_sum(&dense(&row), row.len()), 430000003852.9);
        assert_eq!(einsum_sum(&dense(&row), row.len()), 430000003852.9);
    }
}
