//! Writing the regional table in pymrio's saved text format, with its metadata and a README.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::ChinaError;
use super::geography::{EXPORT_DESTINATION, FOREIGN_BLOCKS, PROVINCES, REGIONS, SECTOR_IDS};
use super::inputs::InputFiles;
use super::provinces::{
    CALIBRATION_TOLERANCE, CATEGORIES, Calibration, DISTANCE_EXPONENT, Location, N_PROVINCES,
    REFERENCE_DISTANCE_KM,
};
use super::sources::{DemandSplit, N_SECTORS, Sources};
use super::table::{EXPORTS, N_BLOCKS, N_REGIONS, RegionalTable};
use crate::output::OutputDir;
use crate::table::{Writer, number};

/// Money unit of the table.
pub const UNIT: &str = "10000 CNY";

/// Everything derived, for writing.
pub struct Derived<'a> {
    pub sources: &'a Sources,
    pub location: &'a Location,
    pub calibration: &'a Calibration,
    pub suppliers: &'a [[f64; N_BLOCKS]],
    pub table: &'a RegionalTable,
    pub region_splits: &'a [DemandSplit],
    pub region_mean: DemandSplit,
    pub inputs: &'a InputFiles,
}

/// Write the folder atomically; returns the destination.
pub fn write(derived: &Derived, destination: &Path, force: bool) -> Result<PathBuf, ChinaError> {
    let out = OutputDir::create(destination, force)?;
    let table = derived.table;
    let (n, m) = (table.n(), table.m());

    out.write_file("Z.txt", |w| {
        let mut t = Writer::tab_separated(w);
        header(
            &mut t,
            "region",
            table.industries.iter().map(|c| c.0.as_str()),
        )?;
        header(
            &mut t,
            "sector",
            table.industries.iter().map(|c| c.1.as_str()),
        )?;
        index_names(&mut t, n)?;
        rows(&mut t, &table.industries, &table.z, n)?;
        t.finish()
    })?;
    out.write_file("Y.txt", |w| {
        let mut t = Writer::tab_separated(w);
        header(&mut t, "region", table.columns.iter().map(|c| c.0.as_str()))?;
        header(
            &mut t,
            "category",
            table.columns.iter().map(|c| c.1.as_str()),
        )?;
        index_names(&mut t, m)?;
        rows(&mut t, &table.industries, &table.y, m)?;
        t.finish()
    })?;
    let x = pymrio_output(table);
    out.write_file("x.txt", |w| {
        let mut t = Writer::tab_separated(w);
        t.row(["region", "sector", "indout"])?;
        for ((region, sector), value) in table.industries.iter().zip(&x) {
            t.row([region.as_str(), sector, &number(*value)])?;
        }
        t.finish()
    })?;
    out.write_file("unit.txt", |w| {
        let mut t = Writer::tab_separated(w);
        t.row(["region", "sector", "unit"])?;
        for (region, sector) in &table.industries {
            t.row([region.as_str(), sector, UNIT])?;
        }
        t.finish()
    })?;
    let parameters = json!({
        "files": {
            "Z": {"name": "Z.txt", "nr_index_col": "2", "nr_header": "2"},
            "Y": {"name": "Y.txt", "nr_index_col": "2", "nr_header": "2"},
            "x": {"name": "x.txt", "nr_index_col": "2", "nr_header": "1"},
            "unit": {"name": "unit.txt", "nr_index_col": "2", "nr_header": "1"},
        },
        "systemtype": "IOSystem",
    });
    write_json(&out, "file_parameters.json", &parameters)?;
    out.write_file(crate::economy::REGIONS_FILE, |w| {
        let mut t = Writer::new(w);
        t.row(["region", "kind", "replaces"])?;
        for region in &REGIONS {
            t.row([region.id, domestic_kind(region.id), ""])?;
        }
        for block in &FOREIGN_BLOCKS {
            t.row([block.id, "Foreign", block.replaces])?;
        }
        t.finish()
    })?;
    for (name, bytes) in &derived.inputs.files {
        out.write_file(name, |w| w.write_all(bytes))?;
    }
    write_json(&out, "metadata.json", &metadata(derived))?;
    let readme = readme(derived);
    out.write_file("README.md", |w| w.write_all(readme.as_bytes()))?;
    Ok(out.commit()?)
}

/// The kind of a domestic region (`regions.csv`): the coast's four clusters are `Coastal`;
/// Chengdu–Chongqing, the middle Yangtze and the Central Plains, the inland bases the policy
/// texts on the national strategic hinterland name, are `Hinterland`; the others `Interior`.
fn domestic_kind(id: &str) -> &'static str {
    match id {
        "BTH" | "YRD" | "Guangdong" | "OtherCoast" => "Coastal",
        "ChengduChongqing" | "MidYangtze" | "CentralPlains" => "Hinterland",
        _ => "Interior",
    }
}

/// Gross output as the loader computes it: numpy's pairwise sum of the row of `[Z | Y]`.
fn pymrio_output(table: &RegionalTable) -> Vec<f64> {
    let (n, m) = (table.n(), table.m());
    let mut terms = Vec::with_capacity(n + m);
    (0..n)
        .map(|i| {
            terms.clear();
            terms.extend(
                table.z[i * n..(i + 1) * n]
                    .iter()
                    .chain(&table.y[i * m..(i + 1) * m])
                    .copied()
                    .enumerate(),
            );
            crate::numeric::pairwise_sum(&terms, n + m)
        })
        .collect()
}

/// A header row of labels: the level's name, an empty field, then the labels.
fn header<'a, W: Write>(
    t: &mut Writer<W>,
    level: &'a str,
    labels: impl Iterator<Item = &'a str>,
) -> std::io::Result<()> {
    t.row([level, ""].into_iter().chain(labels))
}

/// The row of index names pandas writes under multi-level columns: value cells empty.
fn index_names<W: Write>(t: &mut Writer<W>, width: usize) -> std::io::Result<()> {
    t.row(
        ["region", "sector"]
            .into_iter()
            .chain(std::iter::repeat_n("", width)),
    )
}

fn rows<W: Write>(
    t: &mut Writer<W>,
    industries: &[(String, String)],
    values: &[f64],
    width: usize,
) -> std::io::Result<()> {
    for (i, (region, sector)) in industries.iter().enumerate() {
        // no negative zeros in the files
        let cells = values[i * width..(i + 1) * width]
            .iter()
            .map(|v| number(*v + 0.0));
        t.row([region.clone(), sector.clone()].into_iter().chain(cells))?;
    }
    Ok(())
}

fn write_json(out: &OutputDir, name: &str, value: &serde_json::Value) -> Result<(), ChinaError> {
    let mut text = serde_json::to_string_pretty(value).expect("JSON values serialise");
    text.push('\n');
    Ok(out.write_file(name, |w| w.write_all(text.as_bytes()))?)
}

fn split_json(split: &DemandSplit) -> serde_json::Value {
    json!({"own": split.own, "other": split.other, "foreign": split.foreign})
}

fn metadata(d: &Derived) -> serde_json::Value {
    let regions: serde_json::Map<String, serde_json::Value> = REGIONS
        .iter()
        .enumerate()
        .map(|(r, region)| {
            let provinces: Vec<&str> = PROVINCES
                .iter()
                .filter(|p| p.region == r)
                .map(|p| p.name)
                .collect();
            (region.id.to_string(), json!(provinces))
        })
        .collect();
    let gdp_shares: serde_json::Map<String, serde_json::Value> = REGIONS
        .iter()
        .enumerate()
        .map(|(r, region)| {
            (
                region.id.to_string(),
                json!(region_gdp_share(d.location, r)),
            )
        })
        .collect();
    let blocks: serde_json::Map<String, serde_json::Value> = FOREIGN_BLOCKS
        .iter()
        .map(|b| (b.id.to_string(), json!(b.description)))
        .collect();
    let shares = |s: &[f64; N_BLOCKS]| -> serde_json::Value {
        FOREIGN_BLOCKS
            .iter()
            .zip(s)
            .map(|(b, v)| (b.id.to_string(), json!(v)))
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    let special: serde_json::Map<String, serde_json::Value> = d
        .sources
        .import_shares
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let (s, basis) = s.as_ref()?;
            Some((
                SECTOR_IDS[i].to_string(),
                json!({ "shares": shares(s), "basis": basis }),
            ))
        })
        .collect();
    let sectors: Vec<serde_json::Value> = (0..N_SECTORS)
        .map(|i| {
            json!({
                "id": SECTOR_IDS[i],
                "nbs_code": d.sources.table.codes[i],
                "name_zh": d.sources.table.names_zh[i],
                "name_en": d.sources.table.names_en[i],
            })
        })
        .collect();
    let adjustments: Vec<serde_json::Value> = d
        .sources
        .adjustments
        .iter()
        .map(|a| {
            let located: serde_json::Map<String, serde_json::Value> = a
                .shares
                .iter()
                .map(|s| (PROVINCES[s.province].name.to_string(), json!(s.share)))
                .collect();
            json!({
                "sector": SECTOR_IDS[a.sector],
                "product": a.product,
                "weight": a.weight,
                "weight_basis": a.weight_basis,
                "source": format!("{}: indicator {:?}, year {:?}", a.source_rows.0, a.source_rows.1, a.source_rows.2),
                "located_shares": located,
                "unlisted_remainder": a.remainder,
            })
        })
        .collect();
    let region_splits: serde_json::Map<String, serde_json::Value> = REGIONS
        .iter()
        .zip(d.region_splits)
        .map(|(r, s)| (r.id.to_string(), split_json(s)))
        .collect();
    let published = d.sources.published_split;
    json!({
        "name": "china-2020",
        "description": "China, 10 domestic regions x 42 NBS sectors plus 9 foreign supplier blocks; \
                        NBS 2020 national IO table regionalised with 2022 provincial GDP and \
                        sector statistics and a calibrated gravity rule, imports split by \
                        partner from 2022 customs statistics. Built by `hinterland build-china`.",
        "system": "ixi",
        "version": "2020",
        "unit": UNIT,
        "hinterland": {
            "regions": regions,
            "region_gdp_share_2022": gdp_shares,
            "foreign_blocks": blocks,
            "export_column": [FOREIGN_BLOCKS[EXPORT_DESTINATION].id, EXPORTS],
            "final_demand_categories": CATEGORIES,
            "import_supplier_shares": {
                "default": shares(&d.sources.default_import_shares),
                "by_sector": special,
            },
            "sectors": sectors,
            "sector_adjustments": adjustments,
            "calibration": {
                "distance_exponent": DISTANCE_EXPONENT,
                "reference_distance_km": REFERENCE_DISTANCE_KM,
                "home_bias": d.calibration.home_bias,
                "published_split_31_provinces": split_json(&published),
                "target_own_share_of_domestic": d.calibration.target_own_of_domestic,
                "tolerance": CALIBRATION_TOLERANCE,
                "province_mean_split": split_json(&d.calibration.province_mean),
                "region_mean_split": split_json(&d.region_mean),
                "region_split": region_splits,
            },
        },
    })
}

/// Share of region `r` in the 31 provinces' 2022 GDP.
fn region_gdp_share(location: &Location, r: usize) -> f64 {
    (0..N_PROVINCES)
        .filter(|&p| PROVINCES[p].region == r)
        .map(|p| location.gdp_share[p])
        .sum()
}

fn pct(v: f64) -> String {
    format!("{v:.2}")
}

fn readme(d: &Derived) -> String {
    let mut s = String::new();
    let cal = d.calibration;
    let published = d.sources.published_split;
    let _ = writeln!(
        s,
        "# china-2020: the default Chinese economy\n\n\
         Generated by `hinterland build-china` from `data/china-sources/` (do not edit by hand; \
         rebuild instead). The derivation is described in `data/README.md` and in the docs of \
         the `hinterland::china` module; every number below is also in `metadata.json`.\n\n\
         - {} domestic regions × {} sectors, plus {} foreign supplier blocks × {} sectors = {} \
         industries; unit: {UNIT} (2020 current prices), annual flows.\n\
         - Final-demand columns: `final_consumption`, `gross_fixed_capital_formation`, \
         `changes_in_inventories` for each domestic region, and `({}, {EXPORTS})` for all of \
         China's exports.\n",
        N_REGIONS,
        N_SECTORS,
        N_BLOCKS,
        N_SECTORS,
        d.table.n(),
        FOREIGN_BLOCKS[EXPORT_DESTINATION].id,
    );
    let _ = writeln!(
        s,
        "## Regions\n\n| id | provinces | share of 2022 GDP (%) |\n|---|---|---:|"
    );
    for (r, region) in REGIONS.iter().enumerate() {
        let names: Vec<&str> = PROVINCES
            .iter()
            .filter(|p| p.region == r)
            .map(|p| p.name)
            .collect();
        let _ = writeln!(
            s,
            "| `{}` | {} | {} |",
            region.id,
            names.join(", "),
            pct(100.0 * region_gdp_share(d.location, r))
        );
    }
    let _ = writeln!(
        s,
        "\n## Foreign supplier blocks\n\nThey sell China's imports and buy nothing. Shares \
         of each block in the imports of a product, from customs statistics by partner \
         (`data/china-sources/imports/`); products without their own use the default, the \
         block shares of all of China's 2022 imports. `replaces` names the block of the \
         four-block table of hinterland 0.1.0 that the block was split from.\n\n\
         | id | stands for | replaces | `s03_oil_gas` | `s04_metal_ores` | `s20_electronics` \
         | default |\n|---|---|---|---:|---:|---:|---:|"
    );
    const METAL_ORES: usize = 3;
    const ELECTRONICS: usize = 19;
    const OIL_GAS: usize = 2;
    for (f, block) in FOREIGN_BLOCKS.iter().enumerate() {
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {:.3} | {:.3} | {:.3} | {:.3} |",
            block.id,
            block.description,
            block.replaces,
            d.suppliers[OIL_GAS][f],
            d.suppliers[METAL_ORES][f],
            d.suppliers[ELECTRONICS][f],
            d.sources.default_import_shares[f]
        );
    }
    let _ = writeln!(
        s,
        "\n## Sectors\n\n| id | NBS code | 中文 | English |\n|---|---|---|---|"
    );
    for i in 0..N_SECTORS {
        let t = &d.sources.table;
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} |",
            SECTOR_IDS[i], t.codes[i], t.names_zh[i], t.names_en[i]
        );
    }
    let _ = writeln!(
        s,
        "\n## Calibration\n\n\
         Gravity with home bias at province level, distance exponent {DISTANCE_EXPONENT}, \
         calibrated home bias **{:.6}** (weight of own supply against a supplier \
         {REFERENCE_DISTANCE_KM} km away).\n\n\
         | split of GDP by demand (%) | own | other domestic | foreign |\n|---|---:|---:|---:|\n\
         | published, mean of 31 provinces (2017) | {} | {} | {} |\n\
         | built, mean of 31 provinces | {} | {} | {} |\n\
         | built, mean of the 10 regions of this table | {} | {} | {} |\n",
        cal.home_bias,
        pct(published.own),
        pct(published.other),
        pct(published.foreign),
        pct(cal.province_mean.own),
        pct(cal.province_mean.other),
        pct(cal.province_mean.foreign),
        pct(d.region_mean.own),
        pct(d.region_mean.other),
        pct(d.region_mean.foreign),
    );
    let _ = writeln!(
        s,
        "The home bias matches the published own share of *domestically* generated GDP, \
         {:.4} = {} / ({} + {}); the foreign share follows from the NBS export totals.\n",
        cal.target_own_of_domestic, published.own, published.own, published.other
    );
    s.push_str(
        "## Inputs\n\n\
         `criticality.csv` rates each input sector (row) for each buying sector (column): 1 \
         critical, 0.5 important, 0 non-critical, from the IHS Markit survey that Pichler et al. \
         (2022) used, mapped onto the 42 sectors by \
         `data/china-sources/criticality/derive.py` (sources and mapping in the README there). \
         Under `compat: Clean` a critical or important input stops production when short, a \
         non-critical one does not (docs/model.md). A scenario's `dynamics.criticality` \
         overrides it; `compat: Boario072` ignores it.\n\n\
         `inventory_days.csv` gives the target stock of each product in days of use: goods \
         from desired stock days per industry (UK, as pyIEEM after Pichler et al. 2022), \
         weighted by the buyers' use in this table; products that cannot be stored \
         (electricity, gas, water, services) 1 day. It is used only by scenarios that ask for \
         it (`dynamics: Ario(stocks: ByProduct)`): with it, long cut-offs run the economy down \
         under proportional rationing (docs/model.md §3.8), so the default stays 90 days of \
         every product.\n\n\
         `regions.csv` gives the kind of every region: the four coastal clusters `Coastal`; \
         ChengduChongqing, MidYangtze and CentralPlains `Hinterland`; the other domestic regions \
         `Interior`; the foreign blocks `Foreign`. A scenario needs no `regions` list; one may \
         change the kind of a domestic region, never make a foreign block domestic.\n",
    );
    s
}
