//! The located products: parts of NBS sectors whose provincial output the statistics give
//! (`province_sector_output.csv` and `province_sector_output_extra.csv`), with their weights
//! in their sectors. [`super::provinces::locate`] turns them into output shares.

use std::path::Path;

use super::ChinaError;
use super::geography::PROVINCES;
use crate::table::Table;

/// The source files of the located products.
pub mod files {
    /// Output of located products by province (a copy of the shared research data).
    pub const PROVINCE_OUTPUT: &str = "province_sector_output.csv";
    /// The project's additions to it, in the same layout.
    pub const PROVINCE_OUTPUT_EXTRA: &str = "province_sector_output_extra.csv";
}

/// A share of a product's national output located in a province.
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
    /// Weight of the product in the sector's output (sourced or an assumption: `weight_basis`).
    pub weight: f64,
    /// Why this weight.
    pub weight_basis: &'static str,
    /// File, `indicator` and `year` of the rows used.
    pub source_rows: (&'static str, &'static str, &'static str),
    /// The listed provinces' shares.
    pub shares: Vec<LocatedShare>,
    /// The share of the unlisted provinces together (spread over them by GDP).
    pub remainder: f64,
}

/// One located product of an NBS sector, as specified in code: the indicator rows that place
/// it and how much of the sector it stands for.
struct AdjustmentSpec {
    sector_code: usize,
    product: &'static str,
    weight: f64,
    weight_basis: &'static str,
    /// The source file, one of [`files::PROVINCE_OUTPUT`] and [`files::PROVINCE_OUTPUT_EXTRA`].
    file: &'static str,
    indicator: &'static str,
    year: &'static str,
    /// Row labels that are neither a province nor a `+`-joined group of provinces: totals of
    /// unnamed provinces, left to the unlisted remainder.
    unallocated: &'static [&'static str],
}

/// Label of the national-total rows in the province files.
pub const NATIONAL: &str = "China (national)";

/// The located products: NBS sector (1-based code), the product whose provincial output is
/// known, its weight in the sector, and the rows that locate it. The weights of one sector
/// add up to at most 1; the rest of the sector is placed by the GDP-solved province weight.
/// docs/china-data.md gives the source and the reasoning of every weight.
const ADJUSTMENTS: &[AdjustmentSpec] = &[
    AdjustmentSpec {
        sector_code: 1,
        product: "primary industry value added",
        weight: 1.0,
        weight_basis: "NBS sector 01 (farming, forestry, animal husbandry, fishery and their \
                       services) is the primary industry; value added stands for output",
        file: files::PROVINCE_OUTPUT_EXTRA,
        indicator: "primary industry value added",
        year: "2022",
        unallocated: &[],
    },
    AdjustmentSpec {
        sector_code: 2,
        product: "raw coal output",
        weight: 1.0,
        weight_basis: "coal mining and washing is raw coal",
        file: files::PROVINCE_OUTPUT,
        indicator: "raw coal output (above-scale)",
        year: "2022",
        unallocated: &["3 small producers not named (Guangxi/Jiangxi/Hubei in 2023 list)"],
    },
    AdjustmentSpec {
        sector_code: 3,
        product: "crude oil output",
        weight: CRUDE_WEIGHT,
        weight_basis: CRUDE_BASIS,
        file: files::PROVINCE_OUTPUT_EXTRA,
        indicator: "crude oil output",
        year: "2022",
        unallocated: &[],
    },
    AdjustmentSpec {
        sector_code: 3,
        product: "natural gas output",
        weight: GAS_WEIGHT,
        weight_basis: CRUDE_BASIS,
        file: files::PROVINCE_OUTPUT_EXTRA,
        indicator: "natural gas output",
        year: "2022",
        unallocated: &[],
    },
    AdjustmentSpec {
        sector_code: 12,
        product: "chemical products output (provincial IO tables)",
        weight: 1.0,
        weight_basis: "NBS sector 12 itself: its total output in each province's 2017 \
                       input-output table (same sector definition; 2017 is the latest year \
                       with all 31 provinces)",
        file: files::PROVINCE_OUTPUT_EXTRA,
        indicator: "chemical products output (provincial IO table)",
        year: "2017",
        unallocated: &[],
    },
    AdjustmentSpec {
        sector_code: 14,
        product: "crude steel output",
        weight: FERROUS_WEIGHT,
        weight_basis: FERROUS_BASIS,
        file: files::PROVINCE_OUTPUT,
        indicator: "crude steel output",
        year: "2022",
        unallocated: &[],
    },
    AdjustmentSpec {
        sector_code: 14,
        product: "ten non-ferrous metals output",
        weight: NON_FERROUS_WEIGHT,
        weight_basis: FERROUS_BASIS,
        file: files::PROVINCE_OUTPUT,
        indicator: "ten non-ferrous metals output",
        year: "2022",
        unallocated: &[],
    },
    AdjustmentSpec {
        sector_code: 18,
        product: "motor vehicle output",
        weight: AUTOMOBILE_WEIGHT,
        weight_basis: AUTOMOBILE_BASIS,
        file: files::PROVINCE_OUTPUT,
        indicator: "motor vehicle output",
        year: "2022",
        unallocated: &[],
    },
    AdjustmentSpec {
        sector_code: 20,
        product: "electronics output (provincial IO tables)",
        weight: 1.0,
        weight_basis: "NBS sector 20 itself: its total output in each province's 2017 \
                       input-output table (same sector definition; 2017 is the latest year \
                       with all 31 provinces)",
        file: files::PROVINCE_OUTPUT_EXTRA,
        indicator: "electronics output (provincial IO table)",
        year: "2017",
        unallocated: &[],
    },
    AdjustmentSpec {
        sector_code: 24,
        product: "electricity generation",
        weight: 1.0,
        weight_basis: "generation stands for the whole sector (generation, grid and heat)",
        file: files::PROVINCE_OUTPUT,
        indicator: "electricity generation: total (estimate)",
        year: "2022",
        unallocated: &[],
    },
];

/// Share of crude oil in the output value of NBS sector 03, crude oil and natural gas.
const CRUDE_WEIGHT: f64 = 0.695;
/// Share of natural gas in it: the rest.
const GAS_WEIGHT: f64 = 0.305;
const CRUDE_BASIS: &str = "computed: 2022 output valued at CNOOC's realised prices of Q1 2022 \
                           (US$97.47/bbl, US$8.35/thousand ft³; company release): crude 20466.7万t \
                           x 7.33 bbl/t = US$146.2 bn, gas 2177.9亿m³ x 35.31 ft³/m³ = US$64.2 bn";
/// Share of ferrous smelting and rolling (C31) in NBS sector 14, metal smelting and rolling.
const FERROUS_WEIGHT: f64 = 0.54;
/// Share of non-ferrous smelting and rolling (C32): the rest.
const NON_FERROUS_WEIGHT: f64 = 0.46;
const FERROUS_BASIS: &str = "computed: non-ferrous smelting (C32) revenue 2020, 55606.4亿元 (NBS \
                             via 中商产业研究院), over the output of NBS sector 14 in the 2020 \
                             table, 120818.0亿元, gives 0.46 non-ferrous; ferrous is the rest";
/// Share of automobiles (C36) in NBS sector 18, transport equipment.
const AUTOMOBILE_WEIGHT: f64 = 0.85;
const AUTOMOBILE_BASIS: &str = "assumption: automobiles (C36) against rail, ships, aircraft and \
                                other transport equipment (C37); their 2020 profits were 5093.6 \
                                and 626.1亿元 (revenues not found)";

/// Every located product of [`ADJUSTMENTS`], read from the files in `dir`; `gdp` is each
/// province's 2022 GDP (for groups and the unlisted remainder).
pub fn read(dir: &Path, gdp: &[f64]) -> Result<Vec<Adjustment>, ChinaError> {
    let sources = [
        Table::read(&dir.join(files::PROVINCE_OUTPUT), "missing source file")?,
        Table::read(
            &dir.join(files::PROVINCE_OUTPUT_EXTRA),
            "missing source file",
        )?,
    ];
    let mut out = Vec::with_capacity(ADJUSTMENTS.len());
    for spec in ADJUSTMENTS {
        let file = if spec.file == files::PROVINCE_OUTPUT {
            &sources[0]
        } else {
            &sources[1]
        };
        out.push(read_adjustment(file, spec, gdp)?);
    }
    Ok(out)
}

/// The shares of one located product. Listed provinces get `value / national`; if the
/// listed provinces fall short of the national total, the rest is spread over the unlisted
/// provinces by GDP (`remainder`). If every province is listed, if the listed ones exceed
/// the national total, or if there is no national row, the listed values are the whole.
fn read_adjustment(
    file: &Table,
    spec: &AdjustmentSpec,
    gdp: &[f64],
) -> Result<Adjustment, ChinaError> {
    let (indicator, year, province, value) = (
        file.column("indicator")?,
        file.column("year")?,
        file.column("province")?,
        file.column("value")?,
    );
    let mut listed: Vec<(usize, f64, usize)> = Vec::new();
    let mut national = None;
    for row in file.rows() {
        if row.text(indicator).trim() != spec.indicator || row.text(year).trim() != spec.year {
            continue;
        }
        let name = row.text(province).trim();
        let v = row.number(value)?;
        if v < 0.0 {
            return Err(row.error(value, "an output cannot be negative").into());
        }
        if name == NATIONAL {
            if national.replace(v).is_some() {
                return Err(row.error(province, "national total given twice").into());
            }
            continue;
        }
        if spec.unallocated.contains(&name) {
            continue;
        }
        // A province, or a group "A+B+C (note)" whose total is spread over A, B, C by GDP.
        let names = name.split(" (").next().unwrap_or(name);
        let mut group = Vec::new();
        for part in names.split('+').map(str::trim) {
            let Some(p) = PROVINCES.iter().position(|p| p.name == part) else {
                return Err(row
                    .error(province, format!("unknown province {part:?}"))
                    .into());
            };
            if listed.iter().any(|&(q, _, _)| q == p) || group.contains(&p) {
                return Err(row
                    .error(
                        province,
                        format!("{part} listed twice for {}", spec.indicator),
                    )
                    .into());
            }
            group.push(p);
        }
        let group_gdp: f64 = group.iter().map(|&p| gdp[p]).sum();
        for &p in &group {
            listed.push((p, v * gdp[p] / group_gdp, row.line()));
        }
    }
    let sum: f64 = listed.iter().map(|l| l.1).sum();
    if sum <= 0.0 {
        return Err(ChinaError::source(
            file.path(),
            None,
            None,
            format!(
                "no positive {:?} rows for year {:?} (needed to locate {})",
                spec.indicator, spec.year, spec.product
            ),
        ));
    }
    let total = match national {
        Some(n) if listed.len() < PROVINCES.len() && sum < n => n,
        _ => sum,
    };
    Ok(Adjustment {
        sector: spec.sector_code - 1,
        product: spec.product,
        weight: spec.weight,
        weight_basis: spec.weight_basis,
        source_rows: (spec.file, spec.indicator, spec.year),
        shares: listed
            .into_iter()
            .map(|(province, v, line)| LocatedShare {
                province,
                share: v / total,
                line,
            })
            .collect(),
        remainder: 1.0 - sum / total,
    })
}
