//! Reading and checking the source files of `data/china-sources/`.

use std::path::Path;

use super::ChinaError;
use super::geography::{EURASIA, MIDDLE_EAST, PROVINCES};
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
    /// Sector concentrations by province.
    pub const SECTOR_SHARES: &str = "sector_region_shares.csv";
    /// Import volumes and suppliers.
    pub const IMPORT_DEPENDENCE: &str = "import_dependence.csv";
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

/// A share of a product's national output located in a province, from
/// `sector_region_shares.csv`.
pub struct LocatedShare {
    /// Index into [`PROVINCES`].
    pub province: usize,
    /// Share of the national total (0..1).
    pub share: f64,
    /// 1-based line of the source row.
    pub line: usize,
}

/// One concentration adjustment: part of an NBS sector whose location is known.
pub struct Adjustment {
    /// Index of the NBS sector (0-based).
    pub sector: usize,
    /// What the located product is.
    pub product: &'static str,
    /// Weight of the product in the sector's output (a modelling assumption, see the docs).
    pub weight: f64,
    /// Why this weight.
    pub weight_basis: &'static str,
    /// `sector` and `year` columns of the rows used.
    pub source_rows: (&'static str, &'static str),
    /// The located shares.
    pub shares: Vec<LocatedShare>,
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
    pub adjustments: Vec<Adjustment>,
    /// Crude-oil import shares by supplier block (0..1), index as in the foreign blocks.
    pub crude_supplier_shares: [f64; 4],
    /// The supplier shares as read, for the record: `(country, percent)`.
    pub crude_suppliers: Vec<(String, f64)>,
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
    let adjustments = read_adjustments(dir)?;
    let (crude_supplier_shares, crude_suppliers) = read_crude_suppliers(dir)?;
    let published_split = read_published_split(dir)?;
    Ok(Sources {
        table,
        province_gdp,
        adjustments,
        crude_supplier_shares,
        crude_suppliers,
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

/// A concentration adjustment as specified in code: which rows to read and how much of the
/// NBS sector the product stands for.
struct AdjustmentSpec {
    sector_code: usize,
    product: &'static str,
    weight: f64,
    weight_basis: &'static str,
    csv_sector: &'static str,
    csv_year: &'static str,
    /// `(region label in the CSV, province)`.
    rows: &'static [(&'static str, &'static str)],
}

/// The adjustments: NBS sector (1-based code), the product whose location is known, its
/// weight in the sector (an assumption: the sources do not give product values within NBS
/// sectors) and the rows of `sector_region_shares.csv` used.
const ADJUSTMENTS: &[AdjustmentSpec] = &[
    AdjustmentSpec {
        sector_code: 2,
        product: "raw coal output",
        weight: 1.0,
        weight_basis: "coal mining and washing is raw coal",
        csv_sector: "raw coal (above-scale)",
        csv_year: "2022",
        rows: &[
            ("Shanxi", "Shanxi"),
            ("Inner Mongolia", "Inner Mongolia"),
            ("Shaanxi", "Shaanxi"),
            ("Xinjiang", "Xinjiang"),
            ("Guizhou", "Guizhou"),
            ("Anhui", "Anhui"),
            ("Henan", "Henan"),
            ("Ningxia", "Ningxia"),
            ("Shandong", "Shandong"),
            ("Heilongjiang", "Heilongjiang"),
            ("Yunnan", "Yunnan"),
            ("Gansu", "Gansu"),
        ],
    },
    AdjustmentSpec {
        sector_code: 1,
        product: "grain output",
        weight: 0.25,
        weight_basis: "assumption: grain is about a quarter of farming, forestry, husbandry and fishery",
        csv_sector: "grain",
        csv_year: "2022",
        rows: &[
            ("Heilongjiang", "Heilongjiang"),
            ("Henan", "Henan"),
            ("Shandong", "Shandong"),
            ("Anhui", "Anhui"),
            ("Jilin", "Jilin"),
        ],
    },
    AdjustmentSpec {
        sector_code: 4,
        product: "rare-earth mining quota",
        weight: 0.05,
        weight_basis: "assumption: rare earths are a small part of metal-ore mining (iron ore dominates)",
        csv_sector: "rare earth mining quota",
        csv_year: "2022 (2nd batch)",
        rows: &[
            (
                "China Northern Rare Earth (Baotou, Inner Mongolia) - batch 2",
                "Inner Mongolia",
            ),
            ("Xiamen Tungsten (Fujian) - batch 2", "Fujian"),
            ("Guangdong Rare Earth - batch 2", "Guangdong"),
        ],
    },
    AdjustmentSpec {
        sector_code: 18,
        product: "new-energy vehicles",
        weight: 0.15,
        weight_basis: "assumption: NEVs were 26% of 2022 vehicle units; vehicles are part of transport equipment",
        csv_sector: "new-energy vehicles",
        csv_year: "2022",
        rows: &[
            ("Guangdong (province)", "Guangdong"),
            ("Xi'an city (Shaanxi; BYD)", "Shaanxi"),
            ("Shanghai city", "Shanghai"),
            ("Chongqing", "Chongqing"),
            ("Sichuan", "Sichuan"),
        ],
    },
    AdjustmentSpec {
        sector_code: 20,
        product: "integrated circuits (units)",
        weight: 0.15,
        weight_basis: "assumption; unit counts over-weight packaging (Gansu)",
        csv_sector: "integrated circuits",
        csv_year: "2021",
        rows: &[
            ("Jiangsu", "Jiangsu"),
            ("Gansu", "Gansu"),
            ("Guangdong", "Guangdong"),
        ],
    },
    AdjustmentSpec {
        sector_code: 20,
        product: "microcomputers",
        weight: 0.15,
        weight_basis: "assumption",
        csv_sector: "microcomputers",
        csv_year: "2021H1",
        rows: &[("Chongqing", "Chongqing"), ("Sichuan", "Sichuan")],
    },
    AdjustmentSpec {
        sector_code: 20,
        product: "mobile phones",
        weight: 0.2,
        weight_basis: "assumption; the provincial split is from 2016",
        csv_sector: "mobile phones",
        csv_year: "2016",
        rows: &[("Guangdong", "Guangdong")],
    },
    AdjustmentSpec {
        sector_code: 24,
        product: "hydropower generation",
        weight: 0.15,
        weight_basis: "assumption: hydro is roughly 15% of electricity generation",
        csv_sector: "hydropower generation (above-scale)",
        csv_year: "2022H1",
        rows: &[
            ("Sichuan", "Sichuan"),
            ("Yunnan", "Yunnan"),
            ("Hubei", "Hubei"),
            ("Guizhou", "Guizhou"),
            ("Guangxi", "Guangxi"),
            ("Hunan", "Hunan"),
            ("Chongqing", "Chongqing"),
        ],
    },
];

fn read_adjustments(dir: &Path) -> Result<Vec<Adjustment>, ChinaError> {
    let file = Table::read(&dir.join(files::SECTOR_SHARES), "missing source file")?;
    let (sector, year, region, share) = (
        file.column("sector")?,
        file.column("year")?,
        file.column("region")?,
        file.column("share_of_national_pct")?,
    );
    let mut out = Vec::with_capacity(ADJUSTMENTS.len());
    for spec in ADJUSTMENTS {
        let mut shares = Vec::with_capacity(spec.rows.len());
        for &(label, province) in spec.rows {
            let row = file
                .rows()
                .iter()
                .find(|r| {
                    r.text(sector).trim() == spec.csv_sector
                        && r.text(year).trim() == spec.csv_year
                        && r.text(region).trim() == label
                })
                .ok_or_else(|| {
                    ChinaError::source(
                        file.path(),
                        None,
                        None,
                        format!(
                            "no row with sector {:?}, year {:?}, region {label:?} (needed to \
                             locate {})",
                            spec.csv_sector, spec.csv_year, spec.product
                        ),
                    )
                })?;
            let pct = row.number(share)?;
            if !(0.0..=100.0).contains(&pct) {
                return Err(row.error(share, "a share must be between 0 and 100").into());
            }
            let p = PROVINCES
                .iter()
                .position(|p| p.name == province)
                .expect("adjustment rows name known provinces");
            shares.push(LocatedShare {
                province: p,
                share: pct / 100.0,
                line: row.line(),
            });
        }
        let total: f64 = shares.iter().map(|s| s.share).sum();
        if total > 1.0 {
            return Err(ChinaError::source(
                file.path(),
                None,
                None,
                format!(
                    "the shares of {} add up to {:.2}% (more than 100%)",
                    spec.product,
                    100.0 * total
                ),
            ));
        }
        out.push(Adjustment {
            sector: spec.sector_code - 1,
            product: spec.product,
            weight: spec.weight,
            weight_basis: spec.weight_basis,
            source_rows: (spec.csv_sector, spec.csv_year),
            shares,
        });
    }
    Ok(out)
}

/// Crude-oil suppliers named in `import_dependence.csv` and the block each belongs to.
const CRUDE_SUPPLIERS: [(&str, usize); 4] = [
    ("Saudi", MIDDLE_EAST),
    ("Russia", EURASIA),
    ("Iraq", MIDDLE_EAST),
    ("UAE", MIDDLE_EAST),
];

/// Reads the crude-oil supplier shares (`Saudi 8748.9万t (17.2%), Russia ...`); the rest of
/// the imports is assigned to `ROW_Other`.
type CrudeShares = ([f64; 4], Vec<(String, f64)>);

fn read_crude_suppliers(dir: &Path) -> Result<CrudeShares, ChinaError> {
    let file = Table::read(&dir.join(files::IMPORT_DEPENDENCE), "missing source file")?;
    let (item, year, metric, suppliers) = (
        file.column("item")?,
        file.column("year")?,
        file.column("metric")?,
        file.column("main_suppliers")?,
    );
    let row = file
        .rows()
        .iter()
        .find(|r| {
            r.text(item).trim() == "crude oil"
                && r.text(year).trim() == "2022"
                && r.text(metric).trim() == "imports"
        })
        .ok_or_else(|| {
            ChinaError::source(
                file.path(),
                None,
                None,
                "no row with item \"crude oil\", year 2022, metric \"imports\"",
            )
        })?;
    let text = row.text(suppliers).trim();
    let mut shares = [0.0; 4];
    let mut named = Vec::new();
    for &(country, block) in &CRUDE_SUPPLIERS {
        let pct = text
            .find(country)
            .and_then(|at| {
                let rest = &text[at..];
                let open = rest.find('(')?;
                let close = rest[open..].find("%)")? + open;
                rest[open + 1..close].trim().parse::<f64>().ok()
            })
            .filter(|v| (0.0..=100.0).contains(v))
            .ok_or_else(|| {
                row.error(
                    suppliers,
                    format!("expected \"{country} ... (<percent>%)\" among the suppliers"),
                )
            })?;
        shares[block] += pct / 100.0;
        named.push((country.to_string(), pct));
    }
    let total: f64 = shares.iter().sum();
    if total > 1.0 {
        return Err(row.error(suppliers, "supplier shares exceed 100%").into());
    }
    shares[super::geography::OTHER] = 1.0 - total;
    Ok((shares, named))
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
