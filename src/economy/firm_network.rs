//! Synthetic firm economies built directly at firm level, without an MRIO table: millions of
//! firms and tens of millions of links in seconds, for scale tests and benchmarks.
//!
//! Construction (every random draw comes from a stream seeded by `(seed, kind, index)`, and
//! parallel work is split in fixed chunks whose results are joined in index order, so the
//! economy is identical for a given seed whatever the number of threads):
//!
//! 1. **Industries.** `regions × sectors` industries named `r00…`/`s00…` as in
//!    [`super::synthetic_mrio`], in the usual order; the firms are split as evenly as possible
//!    (the first `firms mod industries` industries get one more), contiguous per industry.
//! 2. **Sizes.** Each firm draws a size `u = exp(N(0, 1))` (log-normal, σ = 1). The size is
//!    its final demand `y` (annual, in an abstract money unit) and its weight when buyers
//!    choose suppliers.
//! 3. **Technology.** A sector-level coefficient matrix `A` (`sectors × sectors`): the column
//!    of buyer sector `t` sums to `c(t)` drawn uniformly in `[0.4, 0.6]`, split over input
//!    sectors by Dirichlet(1) weights.
//! 4. **Suppliers.** Buyer `j` draws its number of suppliers `k` from the degree law
//!    (`Poisson`: `1 + Poisson(mean − 1)`; `PowerLaw(γ)`: `P(k) ∝ (k + c)^−γ` on
//!    `1..=k_max`, `c` solved by bisection so that the mean is `mean_suppliers`;
//!    `k_max = min(firms − 1, max(1000, 10 × mean_suppliers))`). Each supplier slot draws an
//!    input sector from `A`'s column of `j`'s sector, then a region (`j`'s own with
//!    probability 1/2, otherwise in proportion to the sector's size in each region), then a
//!    firm of that industry by size (cumulative sizes, binary search). A slot that lands on
//!    `j` itself or on a supplier already chosen is drawn again, up to 32 times, then dropped,
//!    so a firm can have slightly fewer than `k` suppliers when few firms can serve it.
//! 5. **Coefficients.** Link `i → j` of input sector `s` gets
//!    `a = c(σj) · A[s, σj] / Σ_{s' bought by j} A[s', σj] · u_i / Σ_{i' of s} u_i'`: every
//!    firm spends exactly its sector's input share `c(σj)` of its output on inputs, split
//!    over the sectors it buys from in `A`'s proportions and within a sector by supplier size.
//! 6. **Balance.** Outputs solve `x = A_links x + y` by fixed-point iteration from `x = y`
//!    (the spectral radius is at most 0.6, so it converges geometrically; it stops at a
//!    relative change of 1e-14). Flows are `z = a · x_j`, and each firm's final demand is set
//!    to `x_i − Σ sales`, which is `y_i` up to the iteration's tolerance: every firm sells
//!    exactly its output, so the baseline is a steady state by construction.
//! 7. **Final demand.** One column `(r, "final")` per region; a firm's final demand is all in
//!    its own region's column, so a regional demand shock hits that region's firms.
//!
//! Memory is flat arrays only (about 60 bytes per link at the peak of the build, no graph and
//! no per-firm vectors); the CSR of sales is built by counting sort.

use rand::RngExt;
use rayon::prelude::*;

use super::{Economy, EconomyError, sales_by_supplier};
use crate::kinds::Degree;
use crate::model::SyntheticParams;
use crate::seeding::stream_rng;

/// Random streams (distinct from the MRIO disaggregation's 1 and 2).
const STREAM_TECHNOLOGY: u64 = 10;
const STREAM_SIZES: u64 = 11;
const STREAM_SUPPLIERS: u64 = 12;
/// Probability that a supplier slot looks in the buyer's own region first.
const HOME_SHARE: f64 = 0.5;
/// Range of a sector's total input share (column sum of `A`).
const INPUT_SHARE: (f64, f64) = (0.4, 0.6);
/// Draws of one supplier slot before it is dropped.
const MAX_TRIES: usize = 32;
/// Buyers per parallel work unit (fixed, so results do not depend on the thread count).
const CHUNK: usize = 1024;
/// Relative change of outputs at which the fixed-point iteration stops.
const TOLERANCE: f64 = 1e-14;
/// Iterations allowed (0.6^1000 is far below any tolerance).
const MAX_ITERATIONS: usize = 1000;

/// Build a synthetic firm economy (see the module docs). `params` must pass
/// [`crate::kinds::check_synthetic`].
///
/// ```
/// use hinterland::economy::synthetic_firms;
/// use hinterland::model::SyntheticParams;
/// use hinterland::kinds::Degree;
///
/// let params = SyntheticParams::new(500, 4, 3, 5.0, Degree::Poisson, 1, 4.0)?;
/// let economy = synthetic_firms(&params)?;
/// assert_eq!(economy.n_firms(), 500);
/// assert_eq!(economy.regions(), ["r00", "r01", "r02"]);
/// let sales = economy.firm_sales_total();
/// assert!((sales[7] - economy.firm_output()[7]).abs() <= 1e-12 * economy.firm_output()[7]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn synthetic_firms(params: &SyntheticParams) -> Result<Economy, EconomyError> {
    build_synthetic(params)
}

/// The expected number of sectors a firm of a synthetic economy buys from: a firm with `k`
/// suppliers, each of a sector drawn from its column of `A` (Dirichlet(1) weights over
/// `S` sectors, so each weight is Beta(1, S − 1)), buys from `S·k / (S − 1 + k)` distinct
/// sectors on average; averaged over the degree law (for very large degree tables, at the
/// mean degree, an upper bound).
pub(crate) fn expected_inputs_per_firm(params: &SyntheticParams) -> f64 {
    let s = params.sectors.max(1) as f64;
    let distinct = |k: f64| s * k / (s - 1.0 + k);
    let mean = params.mean_suppliers;
    if params.firms < 2 || !mean.is_finite() || mean > 10_000.0 {
        return distinct(mean.max(1.0));
    }
    DegreeLaw::new(params.degree, mean, params.firms).expected(mean, distinct)
}

fn build_synthetic(params: &SyntheticParams) -> Result<Economy, EconomyError> {
    let fail = |message: String| EconomyError {
        path: "Synthetic".into(),
        message,
    };
    let (n_sectors, n_regions) = (params.sectors, params.regions);
    let n_industries = n_sectors * n_regions;
    let n_firms = params.firms;
    if n_industries == 0 || n_firms < n_industries.max(2) || n_firms > u32::MAX as usize / 2 {
        return Err(fail(format!(
            "{n_firms} firms cannot fill {n_regions} regions × {n_sectors} sectors"
        )));
    }

    // 1. Industries and their firms.
    let mut industry_firms = Vec::with_capacity(n_industries + 1);
    industry_firms.push(0u32);
    for i in 0..n_industries {
        let count = n_firms / n_industries + usize::from(i < n_firms % n_industries);
        industry_firms.push(industry_firms[i] + count as u32);
    }
    let mut firm_industry = Vec::with_capacity(n_firms);
    for i in 0..n_industries {
        let count = (industry_firms[i + 1] - industry_firms[i]) as usize;
        firm_industry.extend(std::iter::repeat_n(i as u32, count));
    }

    // 2. Sizes, and cumulative sizes within each industry for drawing suppliers.
    let size: Vec<f64> = (0..n_industries)
        .into_par_iter()
        .map(|i| {
            let mut rng = stream_rng(params.seed, &[STREAM_SIZES, i as u64]);
            let count = (industry_firms[i + 1] - industry_firms[i]) as usize;
            (0..count)
                .map(|_| rng.sample::<f64, _>(rand_distr::StandardNormal).exp())
                .collect::<Vec<f64>>()
        })
        .collect::<Vec<_>>()
        .concat();
    let mut cumulative = vec![0.0; n_firms];
    let mut industry_size = vec![0.0; n_industries];
    for i in 0..n_industries {
        let mut total = 0.0;
        for f in industry_firms[i] as usize..industry_firms[i + 1] as usize {
            total += size[f];
            cumulative[f] = total;
        }
        industry_size[i] = total;
    }
    // per sector: cumulative size over regions
    let mut region_cumulative = vec![0.0; n_sectors * n_regions];
    for s in 0..n_sectors {
        let mut total = 0.0;
        for r in 0..n_regions {
            total += industry_size[r * n_sectors + s];
            region_cumulative[s * n_regions + r] = total;
        }
    }

    // 3. Technology.
    let technology = Technology::draw(n_sectors, params.seed);

    // 4 and 5. Suppliers and coefficients, by buyer chunks joined in order.
    let degree = DegreeLaw::new(params.degree, params.mean_suppliers, n_firms);
    let draw = SupplierDraw {
        n_sectors,
        n_regions,
        firm_industry: &firm_industry,
        industry_firms: &industry_firms,
        size: &size,
        cumulative: &cumulative,
        region_cumulative: &region_cumulative,
        technology: &technology,
        degree: &degree,
        seed: params.seed,
    };
    let chunks: Vec<BuyerLinks> = (0..n_firms.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| draw.buyers(c * CHUNK..((c + 1) * CHUNK).min(n_firms)))
        .collect();
    let n_links: usize = chunks.iter().map(|c| c.supplier.len()).sum();
    let n_inputs: usize = chunks.iter().map(|c| c.input_sector.len()).sum();
    if n_links > u32::MAX as usize {
        return Err(fail(format!("{n_links} links exceed the supported 2^32")));
    }
    let mut firm_inputs = Vec::with_capacity(n_firms + 1);
    let mut input_sector = Vec::with_capacity(n_inputs);
    let mut input_links = Vec::with_capacity(n_inputs + 1);
    let mut link_supplier = Vec::with_capacity(n_links);
    let mut coefficient = Vec::with_capacity(n_links);
    firm_inputs.push(0u32);
    input_links.push(0u32);
    for chunk in chunks {
        for count in chunk.inputs_per_buyer {
            firm_inputs.push(firm_inputs.last().copied().unwrap_or(0) + count);
        }
        for count in chunk.links_per_input {
            input_links.push(input_links.last().copied().unwrap_or(0) + count);
        }
        input_sector.extend(chunk.input_sector);
        link_supplier.extend(chunk.supplier);
        coefficient.extend(chunk.coefficient);
    }
    let mut link_buyer = vec![0u32; n_links];
    for buyer in 0..n_firms {
        let links = input_links[firm_inputs[buyer] as usize] as usize
            ..input_links[firm_inputs[buyer + 1] as usize] as usize;
        link_buyer[links].iter_mut().for_each(|b| *b = buyer as u32);
    }
    let (firm_sales, sales_link) = sales_by_supplier(n_firms, &link_supplier);

    // 6. Outputs, flows and final demand.
    let output = solve_outputs(&size, &firm_sales, &sales_link, &coefficient, &link_buyer);
    let mut link_flow = coefficient;
    link_flow
        .par_iter_mut()
        .zip(&link_buyer)
        .for_each(|(a, &buyer)| *a *= output[buyer as usize]);
    let mut input_annual = vec![0.0; n_inputs];
    let mut input_per_output = vec![0.0; n_inputs];
    for buyer in 0..n_firms {
        let reciprocal = 1.0 / output[buyer];
        for k in firm_inputs[buyer] as usize..firm_inputs[buyer + 1] as usize {
            let range = input_links[k] as usize..input_links[k + 1] as usize;
            input_annual[k] = link_flow[range.clone()].iter().sum();
            input_per_output[k] = link_flow[range].iter().map(|z| z * reciprocal).sum();
        }
    }
    let mut final_demand_annual = Vec::with_capacity(n_firms);
    for (f, &x) in output.iter().enumerate() {
        let sold: f64 = sales_link[firm_sales[f] as usize..firm_sales[f + 1] as usize]
            .iter()
            .map(|&l| link_flow[l as usize])
            .sum();
        let final_demand = x - sold;
        if final_demand.is_nan() || final_demand <= 0.0 {
            return Err(fail(format!(
                "firm {f}: final demand {final_demand} is not positive (output {x}, sales {sold})"
            )));
        }
        final_demand_annual.push(final_demand);
    }
    let final_demand_column: Vec<u32> = firm_industry
        .iter()
        .map(|&i| i / n_sectors as u32)
        .collect();

    let firm_value_added: Vec<f64> = (0..n_firms)
        .map(|f| {
            let inputs: f64 = input_annual[firm_inputs[f] as usize..firm_inputs[f + 1] as usize]
                .iter()
                .sum();
            (output[f] - inputs).max(0.0)
        })
        .collect();
    let firm_capital = firm_value_added
        .iter()
        .map(|va| params.capital_to_value_added * va)
        .collect();
    let mut industry_output = vec![0.0; n_industries];
    for (f, &x) in output.iter().enumerate() {
        industry_output[firm_industry[f] as usize] += x;
    }
    let regions: Vec<String> = (0..n_regions).map(|r| format!("r{r:02}")).collect();
    Ok(Economy {
        sectors: (0..n_sectors).map(|s| format!("s{s:02}")).collect(),
        demand_regions: regions.clone(),
        final_demand_columns: (0..n_regions as u32).map(|r| (r, "final".into())).collect(),
        regions,
        industry_output,
        industry_firms,
        firm_industry,
        firm_output: output,
        firm_value_added,
        firm_capital,
        firm_inputs,
        input_sector,
        input_annual,
        input_per_output,
        input_links,
        link_supplier,
        link_flow,
        firm_sales,
        sales_link,
        firm_final_demand: (0..=n_firms as u32).collect(),
        final_demand_column,
        final_demand_annual,
        unit: None,
        default_rating: Vec::new(),
        default_inventory_days: Vec::new(),
        default_region_kinds: Vec::new(),
        region_kinds_file: None,
        region_renames: Vec::new(),
    })
}

/// The sector-level technical coefficients.
struct Technology {
    n_sectors: usize,
    /// `A[s, t]` at `s · n + t`: input of sector `s` per unit of output of sector `t`.
    a: Vec<f64>,
    /// Column sums `c(t)`.
    column_sum: Vec<f64>,
    /// Cumulative `A[·, t]` over input sectors, at `t · n + s`.
    column_cumulative: Vec<f64>,
}

impl Technology {
    fn draw(n: usize, seed: u64) -> Technology {
        let mut rng = stream_rng(seed, &[STREAM_TECHNOLOGY]);
        let mut a = vec![0.0; n * n];
        let mut column_sum = vec![0.0; n];
        let mut column_cumulative = vec![0.0; n * n];
        for t in 0..n {
            column_sum[t] = rng.random_range(INPUT_SHARE.0..INPUT_SHARE.1);
            // Dirichlet(1): normalised exponential draws
            let weights: Vec<f64> = (0..n)
                .map(|_| -(1.0 - rng.random::<f64>()).ln() + f64::MIN_POSITIVE)
                .collect();
            let total: f64 = weights.iter().sum();
            let mut running = 0.0;
            for (s, w) in weights.iter().enumerate() {
                a[s * n + t] = column_sum[t] * w / total;
                running += a[s * n + t];
                column_cumulative[t * n + s] = running;
            }
        }
        Technology {
            n_sectors: n,
            a,
            column_sum,
            column_cumulative,
        }
    }
}

/// The law of a firm's number of suppliers.
enum DegreeLaw {
    /// `1 + Poisson(mean − 1)` (`None`: the mean is 1, every firm has one supplier).
    Poisson(Option<rand_distr::Poisson<f64>>, u32),
    /// Cumulative probabilities of `k = 1..=k_max`.
    Table(Vec<f64>),
}

impl DegreeLaw {
    fn new(degree: Degree, mean: f64, n_firms: usize) -> DegreeLaw {
        let k_max = (n_firms - 1).min((10.0 * mean).ceil().max(1000.0) as usize);
        match degree {
            Degree::Poisson => DegreeLaw::Poisson(
                (mean > 1.0).then(|| rand_distr::Poisson::new(mean - 1.0).expect("mean > 1")),
                k_max as u32,
            ),
            Degree::PowerLaw(exponent) => {
                let gamma = exponent.get();
                let weights = |c: f64| (1..=k_max).map(move |k| (k as f64 + c).powf(-gamma));
                let mean_of = |c: f64| {
                    let (mut total, mut first) = (0.0, 0.0);
                    for (k, w) in weights(c).enumerate() {
                        total += w;
                        first += (k + 1) as f64 * w;
                    }
                    first / total
                };
                // the mean rises with the shift c from 1 (c → −1) to (k_max + 1) / 2 (c → ∞)
                let (mut lo, mut hi) = (-1.0 + 1e-9, 1.0);
                while mean_of(hi) < mean && hi < 1e12 {
                    lo = hi;
                    hi *= 2.0;
                }
                for _ in 0..200 {
                    let mid = 0.5 * (lo + hi);
                    if mean_of(mid) < mean {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                let mut running = 0.0;
                let cumulative: Vec<f64> = weights(0.5 * (lo + hi))
                    .map(|w| {
                        running += w;
                        running
                    })
                    .collect();
                DegreeLaw::Table(cumulative)
            }
        }
    }

    /// `E[f(k)]` over the law of mean `mean`, summed exactly over `k = 1..=k_max`.
    fn expected(&self, mean: f64, f: impl Fn(f64) -> f64) -> f64 {
        match self {
            DegreeLaw::Poisson(None, _) => f(1.0),
            DegreeLaw::Poisson(Some(_), k_max) => {
                let lambda = mean - 1.0;
                // P(extra = j) = e^−λ λ^j / j!, built up term by term; the tail at k_max
                let (mut p, mut sum, mut mass) = ((-lambda).exp(), 0.0, 0.0);
                for j in 0..(*k_max - 1) {
                    sum += p * f(1.0 + j as f64);
                    mass += p;
                    p *= lambda / (j + 1) as f64;
                }
                sum + (1.0 - mass).max(0.0) * f(*k_max as f64)
            }
            DegreeLaw::Table(cumulative) => {
                let total = cumulative[cumulative.len() - 1];
                let mut previous = 0.0;
                let mut sum = 0.0;
                for (k, &c) in cumulative.iter().enumerate() {
                    sum += (c - previous) * f((k + 1) as f64);
                    previous = c;
                }
                sum / total
            }
        }
    }

    fn draw(&self, rng: &mut impl rand::Rng) -> usize {
        match self {
            DegreeLaw::Poisson(None, _) => 1,
            DegreeLaw::Poisson(Some(poisson), k_max) => {
                let extra: f64 = rng.sample(poisson);
                (1 + extra as u32).min(*k_max) as usize
            }
            DegreeLaw::Table(cumulative) => 1 + pick(cumulative, rng),
        }
    }
}

/// Index drawn in proportion to the increments of `cumulative` (non-decreasing, last > 0).
fn pick(cumulative: &[f64], rng: &mut impl rand::Rng) -> usize {
    let total = cumulative[cumulative.len() - 1];
    let u = rng.random::<f64>() * total;
    cumulative
        .partition_point(|&c| c <= u)
        .min(cumulative.len() - 1)
}

/// What the supplier draw needs, shared by every chunk of buyers.
struct SupplierDraw<'a> {
    n_sectors: usize,
    n_regions: usize,
    firm_industry: &'a [u32],
    industry_firms: &'a [u32],
    size: &'a [f64],
    cumulative: &'a [f64],
    region_cumulative: &'a [f64],
    technology: &'a Technology,
    degree: &'a DegreeLaw,
    seed: u64,
}

/// Inputs and links of a range of buyers, in buyer, input-sector, supplier order.
struct BuyerLinks {
    inputs_per_buyer: Vec<u32>,
    input_sector: Vec<u32>,
    links_per_input: Vec<u32>,
    supplier: Vec<u32>,
    coefficient: Vec<f64>,
}

impl SupplierDraw<'_> {
    fn buyers(&self, buyers: std::ops::Range<usize>) -> BuyerLinks {
        let mut out = BuyerLinks {
            inputs_per_buyer: Vec::with_capacity(buyers.len()),
            input_sector: Vec::new(),
            links_per_input: Vec::new(),
            supplier: Vec::new(),
            coefficient: Vec::new(),
        };
        let mut chosen: Vec<u32> = Vec::new();
        for buyer in buyers {
            self.choose(buyer, &mut chosen);
            let buyer_sector = self.firm_industry[buyer] as usize % self.n_sectors;
            let sector_of = |f: u32| self.firm_industry[f as usize] as usize % self.n_sectors;
            // chosen is sorted by firm; a stable sort groups it by sector, firms still sorted
            chosen.sort_by_key(|&f| sector_of(f));
            let n = self.technology.n_sectors;
            let a = |s: usize| self.technology.a[s * n + buyer_sector];
            let mut bought = 0.0;
            let mut inputs = 0;
            for (g, &f) in chosen.iter().enumerate() {
                if g == 0 || sector_of(chosen[g - 1]) != sector_of(f) {
                    bought += a(sector_of(f));
                    inputs += 1;
                }
            }
            out.inputs_per_buyer.push(inputs);
            let scale = self.technology.column_sum[buyer_sector] / bought;
            for group in chosen.chunk_by(|&p, &q| sector_of(p) == sector_of(q)) {
                let s = sector_of(group[0]);
                let total: f64 = group.iter().map(|&f| self.size[f as usize]).sum();
                out.input_sector.push(s as u32);
                out.links_per_input.push(group.len() as u32);
                for &f in group {
                    out.supplier.push(f);
                    out.coefficient
                        .push(scale * a(s) * (self.size[f as usize] / total));
                }
            }
        }
        out
    }

    /// The suppliers of `buyer`, sorted by firm, in `chosen`.
    fn choose(&self, buyer: usize, chosen: &mut Vec<u32>) {
        let mut rng = stream_rng(self.seed, &[STREAM_SUPPLIERS, buyer as u64]);
        let k = self.degree.draw(&mut rng);
        let n = self.n_sectors;
        let buyer_industry = self.firm_industry[buyer] as usize;
        let (buyer_region, buyer_sector) = (buyer_industry / n, buyer_industry % n);
        let column = &self.technology.column_cumulative[buyer_sector * n..(buyer_sector + 1) * n];
        chosen.clear();
        for _ in 0..k {
            for _ in 0..MAX_TRIES {
                let sector = pick(column, &mut rng);
                let region = if self.n_regions > 1 && rng.random::<f64>() < HOME_SHARE {
                    buyer_region
                } else {
                    pick(
                        &self.region_cumulative
                            [sector * self.n_regions..(sector + 1) * self.n_regions],
                        &mut rng,
                    )
                };
                let industry = region * n + sector;
                let first = self.industry_firms[industry] as usize;
                let last = self.industry_firms[industry + 1] as usize;
                let firm = (first + pick(&self.cumulative[first..last], &mut rng)) as u32;
                if firm as usize == buyer {
                    continue;
                }
                if let Err(at) = chosen.binary_search(&firm) {
                    chosen.insert(at, firm);
                    break;
                }
            }
        }
    }
}

/// Outputs `x = A_links x + y` by fixed-point iteration from `x = y`. Each firm's new output
/// is summed by one thread over its sales in order, so the result is the same for any number
/// of threads; the stopping test is a maximum, which is exact in any order.
fn solve_outputs(
    final_demand: &[f64],
    firm_sales: &[u32],
    sales_link: &[u32],
    coefficient: &[f64],
    link_buyer: &[u32],
) -> Vec<f64> {
    // the links in sales order, so that each iteration streams through memory
    let sale_coefficient: Vec<f64> = sales_link
        .par_iter()
        .map(|&l| coefficient[l as usize])
        .collect();
    let sale_buyer: Vec<u32> = sales_link
        .par_iter()
        .map(|&l| link_buyer[l as usize])
        .collect();
    let mut x = final_demand.to_vec();
    let mut next = vec![0.0; x.len()];
    for _ in 0..MAX_ITERATIONS {
        let change = next
            .par_iter_mut()
            .enumerate()
            .map(|(i, out)| {
                let sales = firm_sales[i] as usize..firm_sales[i + 1] as usize;
                let intermediate: f64 = sale_coefficient[sales.clone()]
                    .iter()
                    .zip(&sale_buyer[sales])
                    .map(|(a, &j)| a * x[j as usize])
                    .sum();
                *out = final_demand[i] + intermediate;
                ((*out - x[i]) / *out).abs()
            })
            .reduce(|| 0.0, f64::max);
        std::mem::swap(&mut x, &mut next);
        if change <= TOLERANCE {
            break;
        }
    }
    x
}
