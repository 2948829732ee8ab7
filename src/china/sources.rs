//! Reading and checking the source files of `data/china-sources/`.

use std::path::Path;

use super::ChinaError;
use super::geography::{FOREIGN_BLOCKS, PROVINCES};
use crate::table::Table;

/// Number of NBS sectors.
pub const N_SECTORS: usize = 42;

/// The source file names.
pub mod files {
    /// Sector codes and names.
    pub const SECTORS: &str = "sectors_42.csv";
    /// Domestic intermediate use.
    pub const Z_DOMESTIC: &str = "china_io_2020_42_Z_domestic.csv";
    /// Imported intermediate use.
    pub const Z_IMPORTS: &str = "china_io_2020_42_Z_imports.csv";
    /// Final use by origin.
    pub const FINAL_BY_ORIGIN: &str = "china_io_2020_42_final_demand_by_origin.csv";
    /// Provincial GDP.
    pub const PROVINCES: &str = "province_gdp_2022.csv";
    pub use super::super::located::files::{PROVINCE_OUTPUT, PROVINCE_OUTPUT_EXTRA};
    /// Import shares by foreign block, derived from the partner statistics by
    /// `imports/derive.py`.
    pub const IMPORT_SHARES: &str = "import_shares_by_block.csv";
    /// Published inter-regional demand split.
    pub const INTERREGIONAL: &str = "interregional_io.csv";
}

/// Final-use columns of one origin (domestic or imported) of one product, 10,000 CNY.
#[derive(Debug, Clone, Copy, Default)]
pub struct FinalUse {
    /// Final consumption.
    pub consumption: f64,
    /// Gross fixed capital formation.
    pub capital_formation: f64,
    /// Changes in inventories (may be negative).
    pub inventories: f64,
    /// Exports (for imported rows: re-exports).
    pub exports: f64,
    /// Gross output (domestic rows) or total imports (imported rows).
    pub total_supply: f64,
}

/// The NBS 2020 national table, 42 products × 42 using sectors, in non-competitive form.
pub struct NationalTable {
    /// Sector codes `01`..`42`.
    pub codes: Vec<String>,
    /// Chinese names.
    pub names_zh: Vec<String>,
    /// English names (translation of the CSV's author).
    pub names_en: Vec<String>,
    /// Domestic intermediate use, row-major, rows = product.
    pub z_domestic: Vec<f64>,
    /// Imported intermediate use, row-major, rows = product.
    pub z_imports: Vec<f64>,
    /// Final use of domestic output by product.
    pub domestic: Vec<FinalUse>,
    /// Final use of imports by product.
    pub imported: Vec<FinalUse>,
}

impl NationalTable {
    /// Gross output of sector `i`.
    pub fn output(&self, i: usize) -> f64 {
        self.domestic[i].total_supply
    }
    /// Total imports of product `i`.
    pub fn imports(&self, i: usize) -> f64 {
        self.imported[i].total_supply
    }
    /// Value added of sector `j`: output less domestic and imported inputs.
    pub fn value_added(&self, j: usize) -> f64 {
        let inputs: f64 = (0..N_SECTORS)
            .map(|i| self.z_domestic[i * N_SECTORS + j] + self.z_imports[i * N_SECTORS + j])
            .sum();
        self.output(j) - inputs
    }
}

/// The published split of provincial GDP by the demand that generates it (percent).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DemandSplit {
    /// Own-province (own-region) demand.
    pub own: f64,
    /// Other provinces' (regions') demand.
    pub other: f64,
    /// Foreign demand (exports).
    pub foreign: f64,
}

/// Everything the builder reads.
pub struct Sources {
    /// The national table.
    pub table: NationalTable,
    /// 2022 GDP of each province of [`PROVINCES`], 100 million CNY.
    pub province_gdp: Vec<f64>,
    /// Concentration adjustments.
    pub adjustments: Vec<super::located::Adjustment>,
    /// Import shares by foreign block (0..1, index as in [`FOREIGN_BLOCKS`]) of the products
    /// without their own, from `import_shares_by_block.csv`.
    pub default_import_shares: [f64; N_BLOCKS],
    /// Import shares by foreign block of the products that have their own, by sector index,
    /// with the basis the file gives.
    pub import_shares: Vec<Option<([f64; N_BLOCKS], String)>>,
    /// The published demand split.
    pub published_split: DemandSplit,
}

/// Read and check every source file in `dir`.
pub fn read(dir: &Path) -> Result<Sources, ChinaError> {
    let (codes, names_zh, names_en) = read_sectors(dir)?;
    let z_domestic = read_square(dir, files::Z_DOMESTIC, &codes)?;
    let z_imports = read_square(dir, files::Z_IMPORTS, &codes)?;
    let (domestic, imported) = read_final_use(dir, &codes, &z_domestic, &z_imports)?;
    let table = NationalTable {
        codes,
        names_zh,
        names_en,
        z_domestic,
        z_imports,
        domestic,
        imported,
    };
    let province_gdp = read_provinces(dir)?;
    let adjustments = super::located::read(dir, &province_gdp)?;
    let (default_import_shares, import_shares) = read_import_shares(dir, &table.codes)?;
    let published_split = read_published_split(dir)?;
    Ok(Sources {
        table,
        province_gdp,
        adjustments,
        default_import_shares,
        import_shares,
        published_split,
    })
}

type SectorNames = (Vec<String>, Vec<String>, Vec<String>);

fn read_sectors(dir: &Path) -> Result<SectorNames, ChinaError> {
    let file = Table::read(&dir.join(files::SECTORS), "missing source file")?;
    let (c, zh, en) = (
        file.column("code")?,
        file.column("name_zh")?,
        file.column("name_en")?,
    );
    let mut out = (Vec::new(), Vec::new(), Vec::new());
    for (i, row) in file.rows().iter().enumerate() {
        let expected = format!("{:02}", i + 1);
        if row.text(c).trim() != expected {
            return Err(row
                .error(c, format!("expected sector code {expected}"))
                .into());
        }
        out.0.push(expected);
        out.1.push(row.text(zh).trim().to_string());
        out.2.push(row.text(en).trim().to_string());
    }
    if out.0.len() != N_SECTORS {
        return Err(ChinaError::source(
            file.path(),
            None,
            None,
            format!("expected {N_SECTORS} sectors, found {}", out.0.len()),
        ));
    }
    Ok(out)
}

/// A 42 × 42 block with header `code,01,..,42` and one row per product.
fn read_square(dir: &Path, name: &str, codes: &[String]) -> Result<Vec<f64>, ChinaError> {
    let file = Table::read(&dir.join(name), "missing source file")?;
    if file.header().len() != N_SECTORS + 1 {
        return Err(ChinaError::source(
            file.path(),
            Some(1),
            None,
            format!(
                "expected {} columns (code and 42 sectors), found {}",
                N_SECTORS + 1,
                file.header().len()
            ),
        ));
    }
    for (j, code) in codes.iter().enumerate() {
        if file.header()[j + 1].trim() != code {
            return Err(ChinaError::source(
                file.path(),
                Some(1),
                Some(j + 2),
                format!("expected sector column {code}"),
            ));
        }
    }
    if file.rows().len() != N_SECTORS {
        return Err(ChinaError::source(
            file.path(),
            None,
            None,
            format!(
                "expected {N_SECTORS} product rows, found {}",
                file.rows().len()
            ),
        ));
    }
    let mut values = Vec::with_capacity(N_SECTORS * N_SECTORS);
    for (i, row) in file.rows().iter().enumerate() {
        if row.text(0).trim() != codes[i] {
            return Err(row
                .error(0, format!("expected product code {}", codes[i]))
                .into());
        }
        for j in 0..N_SECTORS {
            values.push(row.nonnegative(j + 1)?);
        }
    }
    Ok(values)
}

/// Relative tolerance of the accounting identities checked on the sources.
const IDENTITY_TOLERANCE: f64 = 1e-9;

fn read_final_use(
    dir: &Path,
    codes: &[String],
    z_domestic: &[f64],
    z_imports: &[f64],
) -> Result<(Vec<FinalUse>, Vec<FinalUse>), ChinaError> {
    let file = Table::read(&dir.join(files::FINAL_BY_ORIGIN), "missing source file")?;
    let col = |n: &str| file.column(n);
    let (code, origin, intermediate) = (col("code")?, col("origin")?, col("intermediate_use")?);
    let (cons, gfcf, inv, exp, total) = (
        col("final_consumption")?,
        col("gross_fixed_capital_formation")?,
        col("changes_in_inventories")?,
        col("exports")?,
        col("total_supply")?,
    );
    let mut domestic = vec![None; N_SECTORS];
    let mut imported = vec![None; N_SECTORS];
    for row in file.rows() {
        let Some(i) = codes.iter().position(|c| c == row.text(code).trim()) else {
            return Err(row.error(code, "unknown sector code").into());
        };
        let (slot, z) = match row.text(origin).trim() {
            "domestic" => (&mut domestic[i], z_domestic),
            "imported" => (&mut imported[i], z_imports),
            _ => return Err(row.error(origin, "expected domestic or imported").into()),
        };
        if slot.is_some() {
            return Err(row
                .error(code, "duplicate row for this code and origin")
                .into());
        }
        let fu = FinalUse {
            consumption: row.nonnegative(cons)?,
            capital_formation: row.nonnegative(gfcf)?,
            inventories: row.number(inv)?,
            exports: row.nonnegative(exp)?,
            total_supply: row.nonnegative(total)?,
        };
        // The identities the builder relies on: the Z block's row sum is the published
        // intermediate use, and intermediate plus final use is the total supply.
        let z_row: f64 = z[i * N_SECTORS..(i + 1) * N_SECTORS].iter().sum();
        let published = row.number(intermediate)?;
        if (z_row - published).abs() > IDENTITY_TOLERANCE * published.abs().max(1.0) {
            return Err(row
                .error(
                    intermediate,
                    format!("intermediate use {published} differs from the Z row sum {z_row}"),
                )
                .into());
        }
        let supply = z_row + fu.consumption + fu.capital_formation + fu.inventories + fu.exports;
        if (supply - fu.total_supply).abs() > IDENTITY_TOLERANCE * fu.total_supply.max(1.0) {
            return Err(row
                .error(
                    total,
                    format!(
                        "total supply {} differs from intermediate plus final use {supply}",
                        fu.total_supply
                    ),
                )
                .into());
        }
        *slot = Some(fu);
    }
    let complete = |rows: Vec<Option<FinalUse>>, origin: &str| {
        rows.into_iter()
            .enumerate()
            .map(|(i, fu)| {
                fu.ok_or_else(|| {
                    ChinaError::source(
                        file.path(),
                        None,
                        None,
                        format!("no {origin} row for sector {}", codes[i]),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()
    };
    let domestic = complete(domestic, "domestic")?;
    let imported = complete(imported, "imported")?;
    for (i, fu) in domestic.iter().enumerate() {
        if fu.total_supply <= 0.0 {
            return Err(ChinaError::source(
                file.path(),
                None,
                None,
                format!("sector {} has no domestic output", codes[i]),
            ));
        }
    }
    Ok((domestic, imported))
}

fn read_provinces(dir: &Path) -> Result<Vec<f64>, ChinaError> {
    let file = Table::read(&dir.join(files::PROVINCES), "missing source file")?;
    let (name, gdp) = (file.column("province")?, file.column("gdp_100m_yuan")?);
    let mut values = vec![None; PROVINCES.len()];
    for row in file.rows() {
        let text = row.text(name).trim();
        let Some(p) = PROVINCES.iter().position(|p| p.name == text) else {
            return Err(row.error(name, format!("unknown province {text:?}")).into());
        };
        if values[p].is_some() {
            return Err(row
                .error(name, format!("province {text} listed twice"))
                .into());
        }
        let v = row.number(gdp)?;
        if v <= 0.0 {
            return Err(row.error(gdp, "GDP must be positive").into());
        }
        values[p] = Some(v);
    }
    values
        .into_iter()
        .enumerate()
        .map(|(p, v)| {
            v.ok_or_else(|| {
                ChinaError::source(
                    file.path(),
                    None,
                    None,
                    format!("province {} is missing", PROVINCES[p].name),
                )
            })
        })
        .collect()
}

/// Number of foreign blocks.
pub const N_BLOCKS: usize = FOREIGN_BLOCKS.len();

/// Tolerance of the sum of a product's block shares (percent).
const SHARE_SUM_TOLERANCE: f64 = 1e-6;

/// The import shares by block: `product,block,share_pct,basis`, product an NBS code or
/// `default`; every product listed has a row for every block, and its shares add to 100.
type ImportShares = ([f64; N_BLOCKS], Vec<Option<([f64; N_BLOCKS], String)>>);

fn read_import_shares(dir: &Path, codes: &[String]) -> Result<ImportShares, ChinaError> {
    let file = Table::read(&dir.join(files::IMPORT_SHARES), "missing source file")?;
    let (product, block, share, basis) = (
        file.column("product")?,
        file.column("block")?,
        file.column("share_pct")?,
        file.column("basis")?,
    );
    // index 0: default, 1 + i: sector i
    let mut shares: Vec<Option<[Option<f64>; N_BLOCKS]>> = vec![None; N_SECTORS + 1];
    let mut bases = vec![String::new(); N_SECTORS + 1];
    let mut last_line = vec![0; N_SECTORS + 1];
    for row in file.rows() {
        let code = row.text(product).trim();
        let k = if code == "default" {
            0
        } else {
            match codes.iter().position(|c| c == code) {
                Some(i) => i + 1,
                None => {
                    return Err(row
                        .error(
                            product,
                            format!("{code:?}: expected an NBS code or default"),
                        )
                        .into());
                }
            }
        };
        let name = row.text(block).trim();
        let Some(b) = FOREIGN_BLOCKS.iter().position(|f| f.id == name) else {
            let known: Vec<&str> = FOREIGN_BLOCKS.iter().map(|f| f.id).collect();
            return Err(row
                .error(block, crate::model::unknown("block", name, &known))
                .into());
        };
        let v = row.number(share)?;
        if !(0.0..=100.0).contains(&v) {
            return Err(row.error(share, "a share must be between 0 and 100").into());
        }
        let slot = shares[k].get_or_insert([None; N_BLOCKS]);
        if slot[b].replace(v / 100.0).is_some() {
            return Err(row
                .error(block, format!("{name} given twice for {code}"))
                .into());
        }
        if bases[k].is_empty() {
            bases[k] = row.text(basis).trim().to_string();
        }
        last_line[k] = row.line();
    }
    let mut complete = Vec::with_capacity(N_SECTORS + 1);
    for (k, slot) in shares.into_iter().enumerate() {
        let Some(slot) = slot else {
            complete.push(None);
            continue;
        };
        let what = if k == 0 {
            "default".to_string()
        } else {
            codes[k - 1].clone()
        };
        let mut out = [0.0; N_BLOCKS];
        for (b, v) in slot.iter().enumerate() {
            out[b] = v.ok_or_else(|| {
                ChinaError::source(
                    file.path(),
                    Some(last_line[k]),
                    None,
                    format!(
                        "product {what} has no row for block {}",
                        FOREIGN_BLOCKS[b].id
                    ),
                )
            })?;
        }
        let total: f64 = out.iter().sum();
        if (total - 1.0).abs() > SHARE_SUM_TOLERANCE / 100.0 {
            return Err(ChinaError::source(
                file.path(),
                Some(last_line[k]),
                None,
                format!(
                    "the shares of product {what} add up to {}%, not 100%",
                    100.0 * total
                ),
            ));
        }
        complete.push(Some((out, std::mem::take(&mut bases[k]))));
    }
    let default = complete[0].as_ref().map(|d| d.0).ok_or_else(|| {
        ChinaError::source(
            file.path(),
            None,
            None,
            "no default shares (product default)",
        )
    })?;
    Ok((default, complete.split_off(1)))
}

fn read_published_split(dir: &Path) -> Result<DemandSplit, ChinaError> {
    let file = Table::read(&dir.join(files::INTERREGIONAL), "missing source file")?;
    let (indicator, value) = (file.column("indicator")?, file.column("value")?);
    let find = |label: &str| -> Result<f64, ChinaError> {
        let row = file
            .rows()
            .iter()
            .find(|r| r.text(indicator).trim() == label)
            .ok_or_else(|| {
                ChinaError::source(file.path(), None, None, format!("no indicator {label:?}"))
            })?;
        let v = row.number(value)?;
        if !(0.0..=100.0).contains(&v) {
            return Err(row
                .error(value, "a percentage must be between 0 and 100")
                .into());
        }
        Ok(v)
    };
    let split = DemandSplit {
        own: find("avg share of provincial GDP generated by in-province demand")?,
        other: find("avg share of provincial GDP generated by domestic out-of-province demand")?,
        foreign: find(
            "avg share of provincial GDP generated by international circulation (exports)",
        )?,
    };
    if split.own + split.other <= 0.0 {
        return Err(ChinaError::source(
            file.path(),
            None,
            None,
            "the domestic shares are zero",
        ));
    }
    Ok(split)
}
