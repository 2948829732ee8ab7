//! A deterministic dense synthetic MRIO, identical to `shared/tools/synth_mrio.py`, for
//! benchmarks and side-by-side comparisons with BoARIO on large tables.
//!
//! Definition (integer arithmetic mod 2^64, one float conversion per entry):
//! `u(stream, k) = (mix(SEED + OFFSET[stream] + (k+1)·φ) >> 11) · 2^-53` with SplitMix64's
//! `mix`, `SEED = 20240601`, `OFFSET[Z] = 0`, `OFFSET[Y] = 0x5DEECE66D · 2^32`;
//! `Z[i,j] = 2000 · a³ · (4 if same region else 1)`, `a = 0.001 + u(Z, i·n + j)`;
//! `Y[i,c] = 12000 · (0.5 + u(Y, i·m + c))` with categories `fd_a`, `fd_b` per region.

use super::MrioTable;
use crate::numeric::pairwise_sum;

const SEED: u64 = 20_240_601;
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;
const OFFSET_Y: u64 = 0x5_DEEC_E66D_u64 << 32;

fn uniform(offset: u64, k: u64) -> f64 {
    let mut z = SEED
        .wrapping_add(offset)
        .wrapping_add((k + 1).wrapping_mul(GOLDEN));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 * 2f64.powi(-53)
}

/// The synthetic table with `regions × sectors` industries (regions `r00…`, sectors `s00…`),
/// every industry buying from every other.
///
/// ```
/// let table = hinterland::economy::synthetic_mrio(2, 3);
/// assert_eq!(table.n_industries(), 6);
/// assert_eq!(table.final_demand_columns.len(), 4);
/// ```
pub fn synthetic_mrio(regions: usize, sectors: usize) -> MrioTable {
    let n = regions * sectors;
    let m = 2 * regions;
    let mut z = Vec::with_capacity(n * n);
    for i in 0..n {
        for j in 0..n {
            let a = 0.001 + uniform(0, (i * n + j) as u64);
            let same_region = i / sectors == j / sectors;
            z.push(2000.0 * (a * a * a) * if same_region { 4.0 } else { 1.0 });
        }
    }
    let mut y = Vec::with_capacity(n * m);
    for i in 0..n {
        for c in 0..m {
            y.push(12000.0 * (0.5 + uniform(OFFSET_Y, (i * m + c) as u64)));
        }
    }
    let mut row = Vec::with_capacity(n + m);
    let x = (0..n)
        .map(|i| {
            row.clear();
            row.extend(
                z[i * n..(i + 1) * n]
                    .iter()
                    .chain(&y[i * m..(i + 1) * m])
                    .copied()
                    .enumerate(),
            );
            pairwise_sum(&row, n + m)
        })
        .collect();
    MrioTable {
        industries: (0..n)
            .map(|i| {
                (
                    format!("r{:02}", i / sectors),
                    format!("s{:02}", i % sectors),
                )
            })
            .collect(),
        final_demand_columns: (0..m)
            .map(|c| {
                let category = if c % 2 == 0 { "fd_a" } else { "fd_b" };
                (format!("r{:02}", c / 2), category.to_string())
            })
            .collect(),
        z,
        y,
        x,
        unit: Some("M.EUR".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_stability() {
        // Reference values from shared/tools/synth_mrio.py (numpy 2.4) for 2 regions × 2 sectors.
        let table = synthetic_mrio(2, 2);
        assert_eq!(table.z[0], 0.1489357300835311);
        assert_eq!(table.z[3], 1144.0510102483095);
        assert_eq!(table.y[0], 11561.491137739069);
        assert_eq!(table.y[3 * 4 + 3], 17088.492066390954);
        assert_eq!(table.x[2], 52593.31252151902);
        assert_eq!(table.industries[3], ("r01".to_string(), "s01".to_string()));
    }
}
