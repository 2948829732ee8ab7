//! Summing the province-level model into the regional table with its foreign supplier
//! blocks: `Z` and `Y` in the file's order, ready to be written.

use super::geography::{EXPORT_DESTINATION, FOREIGN_BLOCKS, PROVINCES, REGIONS, SECTOR_IDS};
use super::provinces::{
    CATEGORIES, Calibration, Economy31, Location, N_PROVINCES, leontief_solve, net_categories,
};
use super::sources::{DemandSplit, N_SECTORS, Sources};

/// Number of domestic regions.
pub const N_REGIONS: usize = REGIONS.len();
pub use super::sources::N_BLOCKS;
/// Name of the export column's category.
pub const EXPORTS: &str = "exports";

/// Import shares of each product by foreign block: the product's own row of
/// `import_shares_by_block.csv`, or its default.
pub fn supplier_shares(sources: &Sources) -> Vec<[f64; N_BLOCKS]> {
    (0..N_SECTORS)
        .map(|i| match &sources.import_shares[i] {
            Some((shares, _)) => *shares,
            None => sources.default_import_shares,
        })
        .collect()
}

/// The regional table in file order: domestic regions then foreign blocks, each with the 42
/// sectors; final-demand columns: three categories per domestic region, then exports.
pub struct RegionalTable {
    /// `(region, sector)` of each industry.
    pub industries: Vec<(String, String)>,
    /// `(region, category)` of each final-demand column.
    pub columns: Vec<(String, String)>,
    /// Intermediate flows, row-major `n × n`.
    pub z: Vec<f64>,
    /// Final demand, row-major `n × m`.
    pub y: Vec<f64>,
}

impl RegionalTable {
    /// Number of industries.
    pub fn n(&self) -> usize {
        self.industries.len()
    }
    /// Number of final-demand columns.
    pub fn m(&self) -> usize {
        self.columns.len()
    }
    /// Gross output: row sum of `Z` and `Y`.
    pub fn output(&self) -> Vec<f64> {
        let (n, m) = (self.n(), self.m());
        (0..n)
            .map(|i| {
                self.z[i * n..(i + 1) * n].iter().sum::<f64>()
                    + self.y[i * m..(i + 1) * m].iter().sum::<f64>()
            })
            .collect()
    }
}

/// Build the regional table.
pub fn assemble(
    sources: &Sources,
    location: &Location,
    economy: &Economy31,
    calibration: &Calibration,
    suppliers: &[[f64; N_BLOCKS]],
) -> RegionalTable {
    const P: usize = N_PROVINCES;
    let table = &sources.table;
    let n_domestic = N_REGIONS * N_SECTORS;
    let n = (N_REGIONS + N_BLOCKS) * N_SECTORS;
    let export_column = N_REGIONS * CATEGORIES.len();
    let m = export_column + 1;
    let share = &location.output_share;
    let t = &calibration.sourcing;
    let region_provinces: Vec<Vec<usize>> = (0..N_REGIONS)
        .map(|r| (0..P).filter(|&p| PROVINCES[p].region == r).collect())
        .collect();

    let mut z = vec![0.0; n * n];
    let mut y = vec![0.0; n * m];

    // Domestic rows: province flows summed over supplying and buying provinces.
    let mut tau = vec![0.0; P];
    for i in 0..N_SECTORS {
        for (r, suppliers_r) in region_provinces.iter().enumerate() {
            // tau[q]: share of province q's demand for i supplied from region r.
            for (q, tau_q) in tau.iter_mut().enumerate() {
                *tau_q = suppliers_r.iter().map(|&p| t[(i * P + p) * P + q]).sum();
            }
            let row = r * N_SECTORS + i;
            for (s, buyers) in region_provinces.iter().enumerate() {
                for j in 0..N_SECTORS {
                    let zd = table.z_domestic[i * N_SECTORS + j];
                    if zd == 0.0 {
                        continue;
                    }
                    z[row * n + s * N_SECTORS + j] = buyers
                        .iter()
                        .map(|&q| tau[q] * zd * share[q * N_SECTORS + j])
                        .sum();
                }
                for c in 0..CATEGORIES.len() {
                    y[row * m + s * CATEGORIES.len() + c] = buyers
                        .iter()
                        .map(|&q| tau[q] * economy.final_use[c][q * N_SECTORS + i])
                        .sum();
                }
            }
            y[row * m + export_column] = suppliers_r
                .iter()
                .map(|&p| economy.exports[p * N_SECTORS + i])
                .sum();
        }
    }

    // Foreign rows: imports, spread over buyers like the national import block, split over
    // blocks by supplier shares. Foreign industries buy nothing.
    let region_share = |s: usize, j: usize| -> f64 {
        region_provinces[s]
            .iter()
            .map(|&q| share[q * N_SECTORS + j])
            .sum()
    };
    let region_gdp = |s: usize| -> f64 {
        region_provinces[s]
            .iter()
            .map(|&q| location.gdp_share[q])
            .sum()
    };
    for (f, _) in FOREIGN_BLOCKS.iter().enumerate() {
        for i in 0..N_SECTORS {
            let b = suppliers[i][f];
            let row = n_domestic + f * N_SECTORS + i;
            if b == 0.0 {
                continue;
            }
            let categories = net_categories(&table.imported[i]);
            for s in 0..N_REGIONS {
                for j in 0..N_SECTORS {
                    let zm = table.z_imports[i * N_SECTORS + j];
                    if zm != 0.0 {
                        z[row * n + s * N_SECTORS + j] = b * zm * region_share(s, j);
                    }
                }
                for (c, value) in categories.iter().enumerate() {
                    y[row * m + s * CATEGORIES.len() + c] = b * value * region_gdp(s);
                }
            }
            y[row * m + export_column] = b * table.imported[i].exports;
        }
    }

    let mut industries = Vec::with_capacity(n);
    for region in REGIONS
        .iter()
        .map(|r| r.id)
        .chain(FOREIGN_BLOCKS.iter().map(|b| b.id))
    {
        for sector in SECTOR_IDS {
            industries.push((region.to_string(), sector.to_string()));
        }
    }
    let mut columns = Vec::with_capacity(m);
    for region in &REGIONS {
        for category in CATEGORIES {
            columns.push((region.id.to_string(), category.to_string()));
        }
    }
    columns.push((
        FOREIGN_BLOCKS[EXPORT_DESTINATION].id.to_string(),
        EXPORTS.to_string(),
    ));
    RegionalTable {
        industries,
        columns,
        z,
        y,
    }
}

/// Split of each domestic region's value added by the demand that generates it (own region,
/// other regions, exports), computed on the regional table itself as a user of the table
/// would: `A = Z / x` over domestic industries, value added `x − column sum of Z`.
pub fn region_split(table: &RegionalTable) -> Vec<DemandSplit> {
    let (n, m) = (table.n(), table.m());
    let nd = N_REGIONS * N_SECTORS;
    let x = table.output();
    let value_added: Vec<f64> = (0..nd)
        .map(|j| x[j] - (0..n).map(|i| table.z[i * n + j]).sum::<f64>())
        .collect();
    let sources = N_REGIONS + 1;
    let mut f = vec![0.0; sources * nd];
    for i in 0..nd {
        for s in 0..N_REGIONS {
            f[s * nd + i] = (0..CATEGORIES.len())
                .map(|c| table.y[i * m + s * CATEGORIES.len() + c])
                .sum();
        }
        f[N_REGIONS * nd + i] = table.y[i * m + m - 1];
    }
    let coefficients: Vec<f64> = (0..nd * nd)
        .map(|k| table.z[(k / nd) * n + k % nd] / x[k % nd])
        .collect();
    let y = leontief_solve(&f, sources, |v, out| {
        for (i, o) in out.iter_mut().enumerate() {
            *o = coefficients[i * nd..(i + 1) * nd]
                .iter()
                .zip(v)
                .map(|(a, v)| a * v)
                .sum();
        }
    });
    (0..N_REGIONS)
        .map(|r| {
            let rows = r * N_SECTORS..(r + 1) * N_SECTORS;
            let va = |s: usize| -> f64 {
                rows.clone()
                    .map(|k| value_added[k] / x[k] * y[s * nd + k])
                    .sum()
            };
            let gdp: f64 = value_added[rows.clone()].iter().sum();
            let other: f64 = (0..N_REGIONS).filter(|&s| s != r).map(va).sum();
            DemandSplit {
                own: 100.0 * va(r) / gdp,
                other: 100.0 * other / gdp,
                foreign: 100.0 * va(N_REGIONS) / gdp,
            }
        })
        .collect()
}
