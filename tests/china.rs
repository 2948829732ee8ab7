//! The default Chinese economy (`data/china-2020`), read back through the project's loader
//! and checked against its sources (`data/china-sources`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use hinterland::china::{BuildOptions, build};
use hinterland::economy::{MrioTable, load_mrio};
use hinterland::model::Model;
use hinterland::scenario;

use crate::common::{self, listing, repo};

const SECTORS: usize = 42;
const CATEGORIES: usize = 3;

fn table() -> MrioTable {
    load_mrio(&repo("data/china-2020")).unwrap_or_else(|e| panic!("{e}"))
}

fn metadata() -> serde_json::Value {
    let text = std::fs::read_to_string(repo("data/china-2020/metadata.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A source CSV without quoted fields: header and rows of (first field, numbers by header).
fn source_csv(name: &str) -> (Vec<String>, Vec<(String, Vec<String>)>) {
    let text = std::fs::read_to_string(repo("data/china-sources").join(name)).unwrap();
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| {
            let f: Vec<String> = l.split(',').map(String::from).collect();
            (f[0].clone(), f)
        })
        .collect();
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap()
}

fn close(a: f64, b: f64, relative: f64) -> bool {
    (a - b).abs() <= relative * b.abs().max(1.0)
}

/// Industry index ranges: domestic (region ids from the metadata) and foreign.
struct Layout {
    domestic_regions: Vec<String>,
    n_domestic: usize,
}

fn layout(t: &MrioTable) -> Layout {
    let meta = metadata();
    let listed = meta["hinterland"]["regions"].as_object().unwrap();
    // in table order (the metadata's keys are sorted)
    let mut domestic_regions: Vec<String> = Vec::new();
    for (r, _) in &t.industries {
        if listed.contains_key(r) && !domestic_regions.contains(r) {
            domestic_regions.push(r.clone());
        }
    }
    assert_eq!(domestic_regions.len(), listed.len());
    let n_domestic = t
        .industries
        .iter()
        .filter(|(r, _)| domestic_regions.contains(r))
        .count();
    assert_eq!(n_domestic, domestic_regions.len() * SECTORS);
    // domestic industries come first, region by region, sectors in NBS order
    for (k, (r, s)) in t.industries.iter().enumerate() {
        assert_eq!(k < n_domestic, domestic_regions.contains(r), "{r}");
        assert!(s.starts_with(&format!("s{:02}_", k % SECTORS + 1)), "{s}");
    }
    Layout {
        domestic_regions,
        n_domestic,
    }
}

#[test]
fn national_totals_equal_the_nbs_2020_table() {
    let t = table();
    let l = layout(&t);
    let (n, m) = (t.n_industries(), t.n_final_demand_columns());
    let (header, rows) = source_csv("china_io_2020_42_final_demand.csv");
    let (output, imports, exports) = (
        column(&header, "total_output"),
        column(&header, "imports"),
        column(&header, "exports"),
    );
    let final_use = [
        column(&header, "final_consumption"),
        column(&header, "gross_fixed_capital_formation"),
        column(&header, "changes_in_inventories"),
    ];
    let (zd_header, zd) = source_csv("china_io_2020_42_Z_domestic.csv");
    let (_, zm) = source_csv("china_io_2020_42_Z_imports.csv");
    let (va_header, va_rows) = source_csv("china_io_2020_42_value_added.csv");
    let va_col = column(&va_header, "total_value_added");
    assert_eq!(zd_header.len(), SECTORS + 1);
    let num = |s: &str| s.parse::<f64>().unwrap();
    let export_col = m - 1;
    assert_eq!(t.final_demand_columns[export_col].1, "exports");
    for i in 0..SECTORS {
        let (code, fields) = &rows[i];
        assert_eq!(code, &format!("{:02}", i + 1));
        let industries = |domestic: bool| {
            (0..n).filter(move |&k| k % SECTORS == i && (k < l.n_domestic) == domestic)
        };
        let built_output: f64 = industries(true).map(|k| t.x[k]).sum();
        assert!(
            close(built_output, num(&fields[output]), 1e-9),
            "sector {code}: output {built_output} vs NBS {}",
            fields[output]
        );
        let built_imports: f64 = industries(false).map(|k| t.x[k]).sum();
        assert!(
            close(built_imports, num(&fields[imports]), 1e-9),
            "sector {code}: imports {built_imports} vs NBS {}",
            fields[imports]
        );
        let built_exports: f64 = (0..n)
            .filter(|k| k % SECTORS == i)
            .map(|k| t.y[k * m + export_col])
            .sum();
        assert!(
            close(built_exports, num(&fields[exports]), 1e-9),
            "exports {code}"
        );
        // domestic final use: the categories may be netted, their sum is exact
        let nbs_final: f64 = final_use.iter().map(|&c| num(&fields[c])).sum();
        let built_final: f64 = (0..n)
            .filter(|k| k % SECTORS == i)
            .map(|k| t.y[k * m..k * m + export_col].iter().sum::<f64>())
            .sum();
        assert!(close(built_final, nbs_final, 1e-9), "final use {code}");
        // intermediate use by product and origin, and value added, by using sector
        for j in 0..SECTORS {
            let block = |domestic: bool| -> f64 {
                industries(domestic)
                    .map(|k| {
                        (0..l.n_domestic)
                            .filter(|b| b % SECTORS == j)
                            .map(|b| t.z[k * n + b])
                            .sum::<f64>()
                    })
                    .sum()
            };
            let (d, f) = (block(true), block(false));
            let (nd, nf) = (num(&zd[i].1[j + 1]), num(&zm[i].1[j + 1]));
            let scale = num(&fields[output]);
            assert!(
                (d - nd).abs() <= 1e-9 * scale,
                "Zd {code}->{j}: {d} vs {nd}"
            );
            assert!(
                (f - nf).abs() <= 1e-9 * scale,
                "Zm {code}->{j}: {f} vs {nf}"
            );
        }
        let buyers: Vec<usize> = (0..l.n_domestic).filter(|b| b % SECTORS == i).collect();
        let value_added: f64 = buyers
            .iter()
            .map(|&b| t.x[b] - (0..n).map(|k| t.z[k * n + b]).sum::<f64>())
            .sum();
        assert!(
            close(value_added, num(&va_rows[i].1[va_col]), 1e-9),
            "value added {code}"
        );
    }
    // foreign industries are pure suppliers: they buy nothing
    for b in l.n_domestic..n {
        assert!(
            (0..n).all(|k| t.z[k * n + b] == 0.0),
            "{:?} buys",
            t.industries[b]
        );
    }
}

/// Shares of the regions in 2022 GDP, from the provinces in `province_gdp_2022.csv`.
fn gdp_shares(regions: &[String]) -> Vec<f64> {
    let meta = metadata();
    let text = std::fs::read_to_string(repo("data/china-sources/province_gdp_2022.csv")).unwrap();
    let mut gdp: BTreeMap<String, f64> = BTreeMap::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        // province, province_zh, cluster, region4, coastal, gdp: no quotes before field 6
        gdp.insert(f[0].to_string(), f[5].parse().unwrap());
    }
    assert_eq!(gdp.len(), 31);
    let mut assigned: BTreeMap<String, usize> = BTreeMap::new();
    let region_gdp: Vec<f64> = regions
        .iter()
        .map(|r| {
            meta["hinterland"]["regions"][r]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    let p = p.as_str().unwrap();
                    *assigned.entry(p.to_string()).or_default() += 1;
                    gdp[p]
                })
                .sum()
        })
        .collect();
    // every province in exactly one region
    assert_eq!(assigned.len(), 31);
    assert!(assigned.values().all(|&c| c == 1));
    let total: f64 = gdp.values().sum();
    region_gdp.iter().map(|g| g / total).collect()
}

/// The regions' value added shares equal their provinces' 2022 GDP shares. They are exact by
/// construction (the GDP-proportional part of every sector is solved for it), up to the
/// balancing tolerance of inter-regional trade (1e-13), so the tolerance is 0.001
/// percentage points; the sector concentrations move output between sectors, not regions.
#[test]
fn regional_value_added_shares_match_2022_gdp() {
    let t = table();
    let l = layout(&t);
    let n = t.n_industries();
    let value_added: Vec<f64> = l
        .domestic_regions
        .iter()
        .map(|r| {
            (0..l.n_domestic)
                .filter(|&b| &t.industries[b].0 == r)
                .map(|b| t.x[b] - (0..n).map(|k| t.z[k * n + b]).sum::<f64>())
                .sum()
        })
        .collect();
    let total: f64 = value_added.iter().sum();
    let expected = gdp_shares(&l.domestic_regions);
    for ((r, va), g) in l.domestic_regions.iter().zip(&value_added).zip(&expected) {
        let share = va / total;
        assert!(
            (100.0 * (share - g)).abs() <= 0.001,
            "{r}: value added share {:.4}% vs GDP share {:.4}%",
            100.0 * share,
            100.0 * g
        );
    }
    // and the sector concentrations are there: Northwest+CentralPlains (Shanxi, Inner
    // Mongolia, Shaanxi, Xinjiang, ...) hold most coal, far above their GDP share
    let coal_share = |regions: &[&str]| -> f64 {
        let coal = |k: usize| t.industries[k].1 == "s02_coal";
        let total: f64 = (0..l.n_domestic).filter(|&k| coal(k)).map(|k| t.x[k]).sum();
        (0..l.n_domestic)
            .filter(|&k| coal(k) && regions.contains(&t.industries[k].0.as_str()))
            .map(|k| t.x[k])
            .sum::<f64>()
            / total
    };
    assert!(coal_share(&["Northwest", "CentralPlains"]) > 0.8);
}

/// Solves `(I − A) X = F` for several right-hand sides by Gaussian elimination with
/// partial pivoting (independent of the builder's iterative solver).
fn solve(mut a: Vec<f64>, n: usize, mut f: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&p, &q| a[p * n + col].abs().total_cmp(&a[q * n + col].abs()))
            .unwrap();
        if pivot != col {
            for k in 0..n {
                a.swap(col * n + k, pivot * n + k);
            }
            for rhs in &mut f {
                rhs.swap(col, pivot);
            }
        }
        let d = a[col * n + col];
        for row in col + 1..n {
            let factor = a[row * n + col] / d;
            if factor == 0.0 {
                continue;
            }
            for k in col..n {
                a[row * n + k] -= factor * a[col * n + k];
            }
            for rhs in &mut f {
                rhs[row] -= factor * rhs[col];
            }
        }
    }
    for rhs in &mut f {
        for row in (0..n).rev() {
            let s: f64 = (row + 1..n).map(|k| a[row * n + k] * rhs[k]).sum();
            rhs[row] = (rhs[row] - s) / a[row * n + row];
        }
    }
    f
}

/// The own/other/foreign split of regional GDP by source of final demand, recomputed from the
/// table with a Leontief inverse, is the one the builder reports; the province-level
/// calibration hits the published own share of domestic demand; merging provinces into
/// regions raises the own share.
#[test]
fn demand_split_is_the_calibrated_one() {
    let t = table();
    let l = layout(&t);
    let (n, m, nd) = (t.n_industries(), t.n_final_demand_columns(), l.n_domestic);
    let mut i_minus_a = vec![0.0; nd * nd];
    for i in 0..nd {
        for j in 0..nd {
            i_minus_a[i * nd + j] = f64::from(u8::from(i == j)) - t.z[i * n + j] / t.x[j];
        }
    }
    let regions = l.domestic_regions.len();
    let mut rhs = vec![vec![0.0; nd]; regions + 1];
    for i in 0..nd {
        for (s, rhs_s) in rhs.iter_mut().take(regions).enumerate() {
            let columns = (0..m).filter(|&c| t.final_demand_columns[c].0 == l.domestic_regions[s]);
            rhs_s[i] = columns.map(|c| t.y[i * m + c]).sum();
        }
        rhs[regions][i] = t.y[i * m + m - 1];
    }
    assert_eq!(t.final_demand_columns.len(), regions * CATEGORIES + 1);
    let y = solve(i_minus_a, nd, rhs);
    let va_coef: Vec<f64> = (0..nd)
        .map(|b| (t.x[b] - (0..n).map(|k| t.z[k * n + b]).sum::<f64>()) / t.x[b])
        .collect();
    let mut mean = [0.0; 3];
    for r in 0..regions {
        let rows: Vec<usize> = (0..nd).filter(|&k| k / SECTORS == r).collect();
        let va = |s: usize| -> f64 { rows.iter().map(|&k| va_coef[k] * y[s][k]).sum() };
        let gdp: f64 = rows.iter().map(|&k| va_coef[k] * t.x[k]).sum();
        let own = va(r) / gdp;
        let foreign = va(regions) / gdp;
        let other: f64 = (0..regions).filter(|&s| s != r).map(va).sum::<f64>() / gdp;
        assert!((own + other + foreign - 1.0).abs() < 1e-9);
        mean[0] += 100.0 * own / regions as f64;
        mean[1] += 100.0 * other / regions as f64;
        mean[2] += 100.0 * foreign / regions as f64;
    }
    let meta = metadata();
    let cal = &meta["hinterland"]["calibration"];
    let get = |v: &serde_json::Value, k: &str| v[k].as_f64().unwrap();
    let reported = &cal["region_mean_split"];
    for (k, v) in ["own", "other", "foreign"].iter().zip(mean) {
        assert!(
            (get(reported, k) - v).abs() < 1e-6,
            "{k}: recomputed {v} vs reported {}",
            get(reported, k)
        );
    }
    let published = &cal["published_split_31_provinces"];
    assert_eq!(
        [
            get(published, "own"),
            get(published, "other"),
            get(published, "foreign")
        ],
        [55.1, 33.4, 11.5]
    );
    let provinces = &cal["province_mean_split"];
    let ratio = get(provinces, "own") / (get(provinces, "own") + get(provinces, "other"));
    assert!((ratio - 55.1 / 88.5).abs() < 1e-8, "{ratio}");
    assert!(
        get(provinces, "own") < mean[0],
        "regions are bigger than provinces"
    );
    // the foreign share is set by the export totals, not calibrated: within a few points
    assert!((mean[2] - 11.5).abs() < 5.0, "{}", mean[2]);
}

/// Every file of a folder, by name.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    crate::common::tree(dir)
}

#[test]
fn rebuild_is_byte_identical_to_the_committed_table() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("china-2020");
    let report = build(&BuildOptions {
        sources: repo("data/china-sources"),
        out: out.clone(),
        force: false,
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.industries, 19 * SECTORS);
    let (built, committed) = (files(&out), files(&repo("data/china-2020")));
    assert_eq!(
        built.keys().collect::<Vec<_>>(),
        committed.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &built {
        assert!(
            bytes == &committed[name],
            "{name} differs from data/china-2020/{name}: rebuild with \
             `hinterland build-china --force` and commit"
        );
    }
}

fn copy_sources(to: &Path) {
    copy_tree(&repo("data/china-sources"), to);
}

/// `from` copied into `to`, folders included.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for name in listing(from) {
        let source = from.join(&name);
        if source.is_dir() {
            copy_tree(&source, &to.join(&name));
        } else {
            std::fs::copy(&source, to.join(&name)).unwrap();
        }
    }
}

fn build_china(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_hinterland"))
        .arg("build-china")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// Replace field `col` (1-based) of line `line` (1-based) of a CSV file.
fn corrupt(path: &Path, line: usize, col: usize, with: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<String> = text
        .split('\n')
        .enumerate()
        .map(|(k, l)| {
            if k + 1 == line {
                let mut f: Vec<&str> = l.split(',').collect();
                f[col - 1] = with;
                f.join(",")
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(path, lines.join("\n")).unwrap();
}

#[test]
fn malformed_sources_exit_2_naming_file_row_and_column_and_write_nothing() {
    let cases: [(&str, usize, usize, &str, &str); 6] = [
        (
            "china_io_2020_42_Z_domestic.csv",
            5,
            7,
            "abc",
            "not a number: \"abc\"",
        ),
        (
            "china_io_2020_42_Z_imports.csv",
            3,
            2,
            "-1",
            "negative value -1",
        ),
        ("province_gdp_2022.csv", 4, 6, "", "empty cell"),
        (
            "china_io_2020_42_final_demand_by_origin.csv",
            2,
            9,
            "1",
            "total supply 1 differs",
        ),
        (
            "province_sector_output_extra.csv",
            2,
            2,
            "Atlantis",
            "unknown province \"Atlantis\"",
        ),
        (
            "import_shares_by_block.csv",
            2,
            2,
            "ROW_Atlantis",
            "unknown block \"ROW_Atlantis\"",
        ),
    ];
    for (file, line, col, value, message) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let sources = tmp.path().join("src");
        copy_sources(&sources);
        corrupt(&sources.join(file), line, col, value);
        let out = build_china(tmp.path(), &["--sources", "src", "--out", "built"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{file}: {stderr}");
        let at = format!(
            "{}:{line}:{col}: {message}",
            PathBuf::from("src").join(file).display()
        );
        assert!(stderr.contains(&at), "{file}: expected {at:?} in {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        // nothing written: no table, no hidden partial folder
        assert_eq!(listing(tmp.path()), ["src"], "{file}");
    }
}

#[test]
fn existing_destination_is_kept_without_force_and_replaced_with_it() {
    let tmp = tempfile::tempdir().unwrap();
    copy_sources(&tmp.path().join("src"));
    std::fs::create_dir(tmp.path().join("built")).unwrap();
    std::fs::write(tmp.path().join("built/keep.txt"), "mine").unwrap();
    let out = build_china(tmp.path(), &["--sources", "src", "--out", "built"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists; use --force"));
    assert_eq!(listing(&tmp.path().join("built")), ["keep.txt"]);
    let out = build_china(
        tmp.path(),
        &["--sources", "src", "--out", "built", "--force", "--quiet"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty());
    assert!(tmp.path().join("built/Z.txt").is_file());
    assert!(!tmp.path().join("built/keep.txt").exists());
}

/// With no shock, the firm economy built from the table stays at its baseline.
#[test]
fn economy_from_the_table_stays_at_baseline() {
    let path = repo("tests/fixtures/china-inline.ron");
    let text = format!(
        r#"Scenario(name: "china-baseline", days: 60,
            economy: Mrio(path: "{}", firms_per_industry: 2, seed: 3))"#,
        repo("data/china-2020").display()
    );
    let parsed = scenario::parse(&text, &path).unwrap_or_else(|e| panic!("{e}"));
    let model = Model::from_scenario(&parsed, &path).unwrap_or_else(|e| panic!("{e}"));
    let economy = common::build(&model);
    assert_eq!(economy.regions().len(), 19);
    assert_eq!(economy.sectors().len(), SECTORS);
    // foreign industries with no imports have no firms; every domestic one has two
    let domestic = economy
        .regions()
        .iter()
        .filter(|r| !r.starts_with("ROW_"))
        .count();
    assert_eq!(domestic, 10);
    let study = common::study(&model, &economy);
    let mut sim = study.simulation(0, 0);
    let mut worst: f64 = 0.0;
    for _ in 0..60 {
        sim.step();
        for (x, x0) in sim.production().iter().zip(sim.output0()) {
            worst = worst.max(((x - x0) / x0).abs());
        }
    }
    assert!(worst <= 1e-9, "a firm left its baseline by {worst:e}");
    let unmet: f64 = sim.final_demand_unmet().map(f64::abs).sum();
    let total: f64 = economy.final_demand_annual().iter().map(|y| y.abs()).sum();
    assert!(unmet <= 1e-9 * total, "unmet final demand {unmet}");
}
