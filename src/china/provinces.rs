//! The province-level model: where each sector produces, who buys from whom (gravity with
//! home bias, balanced by biproportional fitting) and the calibration of the home bias on the
//! published split of provincial GDP by source of demand.
//!
//! Everything here runs at the level of the 31 provinces, the level the published split
//! describes; [`super::table`] then sums provinces into regions.

use super::ChinaError;
use super::geography::{PROVINCES, distance_km};
use super::sources::{DemandSplit, FinalUse, N_SECTORS, Sources, files};

/// Number of provinces.
pub const N_PROVINCES: usize = PROVINCES.len();

/// Exponent of distance in the gravity rule (`flow ∝ 1 / distance^β`), fixed.
pub const DISTANCE_EXPONENT: u32 = 1;
/// Distance (km) at which the off-diagonal gravity weight is 1; the home bias is measured
/// against it.
pub const REFERENCE_DISTANCE_KM: f64 = 1000.0;

/// Final-use categories of the regional columns, in column order.
pub const CATEGORIES: [&str; 3] = [
    "final_consumption",
    "gross_fixed_capital_formation",
    "changes_in_inventories",
];

/// Final use of one product split into the regional categories after netting negative
/// inventory changes: `[consumption, capital formation, inventories]`.
///
/// A negative inventory change (a draw-down) is folded into consumption of the same product,
/// and what consumption cannot absorb into capital formation; only if both are too small
/// does the rest stay, negative, in the inventory column (in 2020: products 02, 03 and 14).
/// Row totals are unchanged, so outputs stay exact, and exports are never touched.
pub fn net_categories(fu: &FinalUse) -> [f64; 3] {
    if fu.inventories >= 0.0 {
        return [fu.consumption, fu.capital_formation, fu.inventories];
    }
    let consumption = fu.consumption + fu.inventories;
    if consumption >= 0.0 {
        return [consumption, fu.capital_formation, 0.0];
    }
    let capital_formation = fu.capital_formation + consumption;
    if capital_formation >= 0.0 {
        [0.0, capital_formation, 0.0]
    } else {
        [0.0, 0.0, capital_formation]
    }
}

/// Where production is, before any trade.
pub struct Location {
    /// Share of province `p` in the national output of sector `i`, at `[p * 42 + i]`.
    pub output_share: Vec<f64>,
    /// Share of province `p` in the 31 provinces' 2022 GDP.
    pub gdp_share: Vec<f64>,
    /// The GDP-based weight of each province for the unadjusted part of every sector.
    pub flexible_weight: Vec<f64>,
}

/// Output shares by province: located products where the sources locate them, every other
/// part of every sector by a province weight solved so that each province's value added
/// share equals its 2022 GDP share.
///
/// For an adjustment `k` of sector `i` with weight `φ_k` and located shares `c_k[p]` (the
/// unlisted remainder spread over unlisted provinces in proportion to GDP):
/// `s[p,i] = Σ_k φ_k c_k[p] + (1 − Σ_k φ_k) w_p`. With `v_i x_i` the national value added of
/// `i`, requiring `Σ_i v_i x_i s[p,i] = g_p Σ_i v_i x_i` gives
/// `w_p = (g_p VA − Σ_i v_i x_i Σ_k φ_k c_k[p]) / Σ_i v_i x_i (1 − Σ_k φ_k)`, which sums to 1.
pub fn locate(sources: &Sources) -> Result<Location, ChinaError> {
    let table = &sources.table;
    let gdp_total: f64 = sources.province_gdp.iter().sum();
    let gdp_share: Vec<f64> = sources.province_gdp.iter().map(|g| g / gdp_total).collect();
    let value_added: Vec<f64> = (0..N_SECTORS).map(|i| table.value_added(i)).collect();
    let va_total: f64 = value_added.iter().sum();

    let mut located = vec![0.0; N_PROVINCES * N_SECTORS];
    let mut located_weight = [0.0; N_SECTORS];
    for adjustment in &sources.adjustments {
        let mut is_listed = [false; N_PROVINCES];
        for s in &adjustment.shares {
            is_listed[s.province] = true;
        }
        let unlisted_gdp: f64 = (0..N_PROVINCES)
            .filter(|&p| !is_listed[p])
            .map(|p| gdp_share[p])
            .sum();
        let i = adjustment.sector;
        for s in &adjustment.shares {
            located[s.province * N_SECTORS + i] += adjustment.weight * s.share;
        }
        if adjustment.remainder > 0.0 {
            for p in (0..N_PROVINCES).filter(|&p| !is_listed[p]) {
                located[p * N_SECTORS + i] +=
                    adjustment.weight * adjustment.remainder * gdp_share[p] / unlisted_gdp;
            }
        }
        located_weight[i] += adjustment.weight;
    }
    let va_flexible: f64 = (0..N_SECTORS)
        .map(|i| value_added[i] * (1.0 - located_weight[i]))
        .sum();
    let mut flexible_weight = Vec::with_capacity(N_PROVINCES);
    for p in 0..N_PROVINCES {
        let fixed: f64 = (0..N_SECTORS)
            .map(|i| value_added[i] * located[p * N_SECTORS + i])
            .sum();
        let w = (gdp_share[p] * va_total - fixed) / va_flexible;
        if w <= 0.0 {
            return Err(ChinaError::Derivation(format!(
                "the products located by {} alone give {} more value added than its share \
                 of GDP in {}",
                files::PROVINCE_OUTPUT,
                PROVINCES[p].name,
                files::PROVINCES
            )));
        }
        flexible_weight.push(w);
    }
    let mut output_share = vec![0.0; N_PROVINCES * N_SECTORS];
    for p in 0..N_PROVINCES {
        for i in 0..N_SECTORS {
            output_share[p * N_SECTORS + i] =
                located[p * N_SECTORS + i] + (1.0 - located_weight[i]) * flexible_weight[p];
        }
    }
    Ok(Location {
        output_share,
        gdp_share,
        flexible_weight,
    })
}

/// Province-level quantities that do not depend on the home bias.
pub struct Economy31 {
    /// Output of sector `i` in province `p`, at `[p * 42 + i]`.
    pub output: Vec<f64>,
    /// Exports of domestic product `i` from province `p` (in proportion to output).
    pub exports: Vec<f64>,
    /// Domestic final use of product `i` in province `q` per category, `[c][q * 42 + i]`.
    pub final_use: [Vec<f64>; 3],
    /// Domestic supply for domestic use: output less exports.
    pub supply: Vec<f64>,
    /// Domestic demand for domestic product `i` in province `q`: intermediate plus final.
    pub demand: Vec<f64>,
    /// Domestic input coefficients `Zd[i,j] / x_j`, row-major.
    pub domestic_coefficients: Vec<f64>,
    /// Value added per unit of output of each sector.
    pub value_added_coefficients: Vec<f64>,
    /// Value added of each province, `Σ_i v_i x[p,i]`.
    pub value_added: Vec<f64>,
    /// Gravity weight between provinces `p` and `q` without home bias
    /// (`(REFERENCE_DISTANCE_KM / d_pq)^β`), 0 on the diagonal.
    pub distance_weight: Vec<f64>,
}

impl Economy31 {
    /// Spread the national table over the provinces.
    pub fn new(sources: &Sources, location: &Location) -> Result<Economy31, ChinaError> {
        let table = &sources.table;
        let n = N_PROVINCES * N_SECTORS;
        let share = &location.output_share;
        let mut output = vec![0.0; n];
        let mut exports = vec![0.0; n];
        let mut supply = vec![0.0; n];
        for p in 0..N_PROVINCES {
            for i in 0..N_SECTORS {
                let k = p * N_SECTORS + i;
                output[k] = share[k] * table.output(i);
                exports[k] = share[k] * table.domestic[i].exports;
                supply[k] = share[k] * (table.output(i) - table.domestic[i].exports);
            }
        }
        let categories: Vec<[f64; 3]> = table.domestic.iter().map(net_categories).collect();
        let final_use: [Vec<f64>; 3] = std::array::from_fn(|c| {
            let mut v = vec![0.0; n];
            for q in 0..N_PROVINCES {
                for i in 0..N_SECTORS {
                    v[q * N_SECTORS + i] = location.gdp_share[q] * categories[i][c];
                }
            }
            v
        });
        let mut demand = vec![0.0; n];
        for q in 0..N_PROVINCES {
            for i in 0..N_SECTORS {
                let k = q * N_SECTORS + i;
                let intermediate: f64 = (0..N_SECTORS)
                    .map(|j| table.z_domestic[i * N_SECTORS + j] * share[q * N_SECTORS + j])
                    .sum();
                demand[k] = intermediate + final_use[0][k] + final_use[1][k] + final_use[2][k];
                if demand[k] <= 0.0 {
                    return Err(ChinaError::Derivation(format!(
                        "domestic demand for product {} in {} is not positive: the inventory \
                         draw-down in {} exceeds all other use",
                        table.codes[i],
                        PROVINCES[q].name,
                        files::FINAL_BY_ORIGIN
                    )));
                }
            }
        }
        let domestic_coefficients: Vec<f64> = (0..N_SECTORS * N_SECTORS)
            .map(|k| table.z_domestic[k] / table.output(k % N_SECTORS))
            .collect();
        let value_added_coefficients: Vec<f64> = (0..N_SECTORS)
            .map(|i| table.value_added(i) / table.output(i))
            .collect();
        let value_added = (0..N_PROVINCES)
            .map(|p| {
                (0..N_SECTORS)
                    .map(|i| value_added_coefficients[i] * output[p * N_SECTORS + i])
                    .sum()
            })
            .collect();
        let mut distance_weight = vec![0.0; N_PROVINCES * N_PROVINCES];
        for p in 0..N_PROVINCES {
            for q in 0..N_PROVINCES {
                if p != q {
                    let d = distance_km(&PROVINCES[p], &PROVINCES[q]);
                    distance_weight[p * N_PROVINCES + q] =
                        (REFERENCE_DISTANCE_KM / d).powi(DISTANCE_EXPONENT as i32);
                }
            }
        }
        Ok(Economy31 {
            output,
            exports,
            final_use,
            supply,
            demand,
            domestic_coefficients,
            value_added_coefficients,
            value_added,
            distance_weight,
        })
    }

    /// Sourcing shares for a home bias: `t[(i * 31 + p) * 31 + q]` is the share of province
    /// `q`'s demand for domestic product `i` that province `p` supplies.
    ///
    /// Per product, flows `T[p,q] = a_p K[p,q] b_q` with `K = distance weight`, and
    /// `K[p,p] = home_bias`, are fitted by biproportional scaling (RAS) to the row sums
    /// (supply) and column sums (demand); the last step fits the columns, so every
    /// province's demand is met exactly and supplies match to [`RAS_TOLERANCE`].
    pub fn sourcing(&self, home_bias: f64) -> Result<Vec<f64>, ChinaError> {
        const P: usize = N_PROVINCES;
        let mut t = vec![0.0; N_SECTORS * P * P];
        let mut kernel = self.distance_weight.clone();
        for p in 0..P {
            kernel[p * P + p] = home_bias;
        }
        let mut a = [1.0; P];
        let mut b = [0.0; P];
        for i in 0..N_SECTORS {
            let supply = |p: usize| self.supply[p * N_SECTORS + i];
            let demand = |q: usize| self.demand[q * N_SECTORS + i];
            a.fill(1.0);
            let mut converged = false;
            for _ in 0..RAS_MAX_ITERATIONS {
                for q in 0..P {
                    let col: f64 = (0..P).map(|p| a[p] * kernel[p * P + q]).sum();
                    b[q] = demand(q) / col;
                }
                let mut worst: f64 = 0.0;
                for p in 0..P {
                    let row: f64 = (0..P).map(|q| kernel[p * P + q] * b[q]).sum();
                    worst = worst.max((a[p] * row - supply(p)).abs() / supply(p));
                    a[p] = supply(p) / row;
                }
                if worst < RAS_TOLERANCE {
                    converged = true;
                    break;
                }
            }
            if !converged {
                return Err(ChinaError::Derivation(format!(
                    "trade of product {:02} does not balance (RAS did not converge for home \
                     bias {home_bias})",
                    i + 1
                )));
            }
            // Final column fit, then the shares of each column.
            for q in 0..P {
                let col: f64 = (0..P).map(|p| a[p] * kernel[p * P + q]).sum();
                b[q] = demand(q) / col;
            }
            for p in 0..P {
                for q in 0..P {
                    t[(i * P + p) * P + q] = a[p] * kernel[p * P + q] * b[q] / demand(q);
                }
            }
        }
        Ok(t)
    }

    /// Split of each province's value added by the final demand that generates it: own
    /// province, other provinces, foreign (exports), from `y = (I − A)⁻¹ f` per demand
    /// source with `A[(p,i),(q,j)] = t_i[p,q] · Zd[i,j] / x_j`.
    pub fn demand_split(&self, sourcing: &[f64]) -> Vec<DemandSplit> {
        const P: usize = N_PROVINCES;
        let n = P * N_SECTORS;
        // One right-hand side per domestic province, then exports.
        let sources = P + 1;
        let mut f = vec![0.0; sources * n];
        for q in 0..P {
            for i in 0..N_SECTORS {
                let k = q * N_SECTORS + i;
                let total = self.final_use[0][k] + self.final_use[1][k] + self.final_use[2][k];
                for p in 0..P {
                    f[q * n + p * N_SECTORS + i] = sourcing[(i * P + p) * P + q] * total;
                }
            }
        }
        f[P * n..].copy_from_slice(&self.exports);
        let y = leontief_solve(&f, sources, |y, out| {
            self.apply_a(sourcing, y, out);
        });
        (0..P)
            .map(|p| {
                let va = |s: usize| -> f64 {
                    (0..N_SECTORS)
                        .map(|i| self.value_added_coefficients[i] * y[s * n + p * N_SECTORS + i])
                        .sum()
                };
                let own = va(p);
                let foreign = va(P);
                let other: f64 = (0..P).filter(|&q| q != p).map(va).sum();
                let gdp = self.value_added[p];
                DemandSplit {
                    own: 100.0 * own / gdp,
                    other: 100.0 * other / gdp,
                    foreign: 100.0 * foreign / gdp,
                }
            })
            .collect()
    }

    /// `out = A y` for one vector `y` over provinces × sectors.
    fn apply_a(&self, sourcing: &[f64], y: &[f64], out: &mut [f64]) {
        const P: usize = N_PROVINCES;
        // u[q,i] = Σ_j a_d[i,j] y[q,j]: what province q uses of product i.
        let mut u = [[0.0; N_SECTORS]; P];
        for q in 0..P {
            let yq = &y[q * N_SECTORS..(q + 1) * N_SECTORS];
            for i in 0..N_SECTORS {
                let row = &self.domestic_coefficients[i * N_SECTORS..(i + 1) * N_SECTORS];
                u[q][i] = row.iter().zip(yq).map(|(a, y)| a * y).sum();
            }
        }
        for i in 0..N_SECTORS {
            for p in 0..P {
                let t = &sourcing[(i * P + p) * P..(i * P + p + 1) * P];
                out[p * N_SECTORS + i] = (0..P).map(|q| t[q] * u[q][i]).sum();
            }
        }
    }
}

/// Largest relative supply mismatch accepted from the RAS fit.
pub const RAS_TOLERANCE: f64 = 1e-13;
const RAS_MAX_ITERATIONS: usize = 100_000;

/// Solves `y_s = f_s + A y_s` for `sources` right-hand sides stacked in `f` by fixed-point
/// iteration (the Neumann series of the Leontief inverse; domestic input coefficients sum to
/// less than 1 in every column, so it converges), until no entry moves by more than 1e-14 of
/// the largest.
pub fn leontief_solve(
    f: &[f64],
    sources: usize,
    mut apply_a: impl FnMut(&[f64], &mut [f64]),
) -> Vec<f64> {
    let n = f.len() / sources;
    let mut y = f.to_vec();
    let mut next = vec![0.0; n];
    for s in 0..sources {
        let fs = &f[s * n..(s + 1) * n];
        let ys = &mut y[s * n..(s + 1) * n];
        for _ in 0..10_000 {
            apply_a(ys, &mut next);
            let mut change: f64 = 0.0;
            let mut scale: f64 = 0.0;
            for k in 0..n {
                let v = fs[k] + next[k];
                change = change.max((v - ys[k]).abs());
                scale = scale.max(v.abs());
                ys[k] = v;
            }
            if change <= 1e-14 * scale {
                break;
            }
        }
    }
    y
}

/// Unweighted mean of a split over provinces (or regions), as the published figure is.
pub fn mean_split(splits: &[DemandSplit]) -> DemandSplit {
    let n = splits.len() as f64;
    DemandSplit {
        own: splits.iter().map(|s| s.own).sum::<f64>() / n,
        other: splits.iter().map(|s| s.other).sum::<f64>() / n,
        foreign: splits.iter().map(|s| s.foreign).sum::<f64>() / n,
    }
}

/// The calibrated home bias and what it achieves.
pub struct Calibration {
    /// Weight of a province's own supply in the gravity rule (relative to a supplier
    /// [`REFERENCE_DISTANCE_KM`] away).
    pub home_bias: f64,
    /// Sourcing shares at that home bias (see [`Economy31::sourcing`]).
    pub sourcing: Vec<f64>,
    /// Mean split over the 31 provinces at that home bias.
    pub province_mean: DemandSplit,
    /// The target: own share of domestic demand `own / (own + other)`.
    pub target_own_of_domestic: f64,
    /// Steps of the search.
    pub iterations: usize,
}

/// Largest accepted gap between the achieved and the target own share of domestic demand.
pub const CALIBRATION_TOLERANCE: f64 = 1e-9;

/// Finds the home bias at which the mean own share of the domestically generated part of
/// provincial GDP, `own / (own + other)`, equals the published `55.1 / (55.1 + 33.4)`.
///
/// The foreign share is not a free parameter: it follows from the NBS export totals, so the
/// home bias is calibrated on the domestic part only. Search: bracket by quadrupling, then
/// the Illinois variant of regula falsi on `h` (deterministic, no randomness).
pub fn calibrate(economy: &Economy31, published: DemandSplit) -> Result<Calibration, ChinaError> {
    let target = published.own / (published.own + published.other);
    let mut iterations = 0;
    let mut evaluate = |h: f64| -> Result<(f64, Vec<f64>, DemandSplit), ChinaError> {
        iterations += 1;
        let sourcing = economy.sourcing(h)?;
        let mean = mean_split(&economy.demand_split(&sourcing));
        Ok((mean.own / (mean.own + mean.other) - target, sourcing, mean))
    };
    let (mut lo, mut hi) = (0.0, 1.0);
    let (mut f_lo, _, _) = evaluate(lo)?;
    let (mut f_hi, mut best_t, mut best_mean) = evaluate(hi)?;
    if f_lo > 0.0 {
        return Err(ChinaError::Derivation(format!(
            "even without home bias the own share exceeds the target {target}"
        )));
    }
    while f_hi < 0.0 {
        if hi > 1e9 {
            return Err(ChinaError::Derivation(format!(
                "no home bias up to 1e9 reaches the target own share {target}"
            )));
        }
        lo = hi;
        f_lo = f_hi;
        hi *= 4.0;
        (f_hi, best_t, best_mean) = evaluate(hi)?;
    }
    let mut best_h = hi;
    let mut best_f = f_hi;
    let mut side = 0;
    for _ in 0..200 {
        if best_f.abs() <= CALIBRATION_TOLERANCE {
            break;
        }
        let h = hi - f_hi * (hi - lo) / (f_hi - f_lo);
        let (f, t, mean) = evaluate(h)?;
        (best_h, best_f, best_t, best_mean) = (h, f, t, mean);
        if f > 0.0 {
            hi = h;
            f_hi = f;
            if side == 1 {
                f_lo /= 2.0;
            }
            side = 1;
        } else {
            lo = h;
            f_lo = f;
            if side == -1 {
                f_hi /= 2.0;
            }
            side = -1;
        }
    }
    if best_f.abs() > CALIBRATION_TOLERANCE {
        return Err(ChinaError::Derivation(format!(
            "the home-bias search did not converge (gap {best_f:e})"
        )));
    }
    Ok(Calibration {
        home_bias: best_h,
        sourcing: best_t,
        province_mean: best_mean,
        target_own_of_domestic: target,
        iterations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn final_use(consumption: f64, capital_formation: f64, inventories: f64) -> FinalUse {
        FinalUse {
            consumption,
            capital_formation,
            inventories,
            exports: 7.0,
            total_supply: 0.0,
        }
    }

    #[test]
    fn inventory_draw_down_is_netted_into_consumption_then_capital_formation() {
        assert_eq!(net_categories(&final_use(5.0, 3.0, 2.0)), [5.0, 3.0, 2.0]);
        assert_eq!(net_categories(&final_use(5.0, 3.0, -2.0)), [3.0, 3.0, 0.0]);
        assert_eq!(net_categories(&final_use(1.0, 3.0, -2.0)), [0.0, 2.0, 0.0]);
        assert_eq!(net_categories(&final_use(1.0, 3.0, -6.0)), [0.0, 0.0, -2.0]);
    }

    #[test]
    fn sourcing_meets_demand_and_home_bias_raises_own_supply() {
        let sources = crate::china::sources::read(std::path::Path::new("data/china-sources"))
            .unwrap_or_else(|e| panic!("{e}"));
        let location = locate(&sources).unwrap_or_else(|e| panic!("{e}"));
        let economy = Economy31::new(&sources, &location).unwrap_or_else(|e| panic!("{e}"));
        const P: usize = N_PROVINCES;
        let own = |h: f64| -> f64 {
            let t = economy.sourcing(h).unwrap();
            for i in 0..N_SECTORS {
                for q in 0..P {
                    let column: f64 = (0..P).map(|p| t[(i * P + p) * P + q]).sum();
                    assert!((column - 1.0).abs() < 1e-12, "demand of {q} for {i}");
                }
            }
            mean_split(&economy.demand_split(&t)).own
        };
        let (low, high) = (own(10.0), own(1000.0));
        assert!(low < high, "{low} {high}");
        // the split adds up: every unit of value added comes from some final demand
        let t = economy.sourcing(50.0).unwrap();
        for s in economy.demand_split(&t) {
            assert!((s.own + s.other + s.foreign - 100.0).abs() < 1e-9, "{s:?}");
        }
    }
}
