//! Reading an ensemble output directory (`summary.csv`, `runs.csv`, `daily.csv`,
//! `industry_loss.csv`, `manifest.json`, `scenario.ron`) into plain values, checked once.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::output::layout::{DAILY, INDUSTRY_LOSS, MANIFEST, RUNS, SCENARIO, SUMMARY};
use crate::plot::PlotError;
use crate::table::Table;

/// Everything the charts and the report use, read from one directory.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ensemble {
    /// The directory, for messages.
    pub dir: PathBuf,
    /// What `manifest.json` says.
    pub manifest: Manifest,
    /// Variant names, in order of first appearance in `summary.csv` (then in the other files).
    pub variants: Vec<String>,
    /// The rows of `summary.csv`.
    pub summary: Vec<SummaryRow>,
    /// Per run and variant, the value-added loss in % of the annual baseline (`runs.csv`).
    pub runs: Vec<RunRow>,
    /// The series of `daily.csv`, in order of first appearance.
    pub daily: Vec<DailySeries>,
    /// The rows of `industry_loss.csv`, if that file exists.
    pub industry_loss: Option<Vec<IndustryLoss>>,
    /// The text of `scenario.ron`, if that file exists.
    pub scenario_text: Option<String>,
}

/// The manifest's fields, as text for the report (`None`: absent or null).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Manifest {
    /// The scenario name.
    pub name: String,
    /// The scenario description.
    pub description: Option<String>,
    /// The hinterland version that wrote the directory.
    pub version: Option<String>,
    /// The command line.
    pub command: Option<String>,
    /// The scenario file's hash.
    pub scenario_hash: Option<String>,
    /// The scenario file's SHA-256.
    pub scenario_sha256: Option<String>,
    /// The master seed.
    pub seed: Option<String>,
    /// The number of runs, as written.
    pub runs: Option<String>,
    /// The number of runs, if it is a whole number.
    pub run_count: Option<u64>,
    /// Worker threads.
    pub threads: Option<String>,
    /// The variant names, comma-separated.
    pub variants: Option<String>,
    /// When the run started.
    pub start: Option<String>,
    /// When it ended.
    pub end: Option<String>,
    /// What the scenario allows but probably does not mean.
    pub warnings: Vec<String>,
}

/// One line of `summary.csv`: statistics of one metric across runs, for one variant.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SummaryRow {
    /// Index into [`Ensemble::variants`].
    pub variant: usize,
    /// The metric name.
    pub metric: String,
    /// Its unit as `summary.csv` states it (empty in directories written before the column).
    pub unit: String,
    /// Runs with a value.
    pub n: usize,
    /// Mean over those runs.
    pub mean: Option<f64>,
    /// Standard error of the mean.
    pub std_error: Option<f64>,
    /// 5 % quantile.
    pub p05: Option<f64>,
    /// Median.
    pub p50: Option<f64>,
    /// 95 % quantile.
    pub p95: Option<f64>,
    /// Mean of the worst 5 %.
    pub cvar95: Option<f64>,
}

/// One line of `runs.csv`, as far as the charts use it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RunRow {
    /// The run (the same number is the same drawn crisis in every variant).
    pub run: f64,
    /// Index into [`Ensemble::variants`].
    pub variant: usize,
    /// Value-added loss, % of annual baseline value added (`None`: no value).
    pub va_loss_pct: Option<f64>,
    /// Loss avoided against "no policies" in the same run, days of baseline value added
    /// (`None`: no value, or no such column).
    pub loss_avoided: Option<f64>,
    /// The same in money (`None`: no value, or no such column).
    pub loss_avoided_money: Option<f64>,
}

/// One day of a daily series: the mean and quantiles across runs (`None`: no value).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct DailyPoint {
    /// The day.
    pub day: f64,
    /// Mean across runs.
    pub mean: Option<f64>,
    /// 5 % quantile.
    pub p05: Option<f64>,
    /// Median.
    pub p50: Option<f64>,
    /// 95 % quantile.
    pub p95: Option<f64>,
}

/// One series of one variant from `daily.csv`, days strictly increasing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DailySeries {
    /// Index into [`Ensemble::variants`].
    pub variant: usize,
    /// The series name, e.g. `national` or `region:north`.
    pub name: String,
    /// One entry per day.
    pub points: Vec<DailyPoint>,
}

/// One line of `industry_loss.csv`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct IndustryLoss {
    /// Index into [`Ensemble::variants`].
    pub variant: usize,
    /// The region.
    pub region: String,
    /// The sector.
    pub sector: String,
    /// Mean value-added loss, % of the industry's baseline over the run (`None`: no value).
    pub loss_pct: Option<f64>,
    /// Whether the region is domestic (true in files written before the column).
    pub domestic: bool,
}

/// Fewer runs than this, and the charts and the report say that a 5–95 % band rests on few
/// runs: with 20 runs the 5 % and 95 % quantiles are interpolated between the two most
/// extreme runs, with fewer they are little more than the minimum and the maximum.
pub(crate) const FEW_RUNS: u64 = 20;

/// The name of the reference variant of `loss_avoided` and of the difference charts.
pub(crate) const NO_POLICIES: &str = "no policies";

impl Ensemble {
    /// Read and check every file of `dir`. `summary.csv`, `runs.csv`, `daily.csv` and
    /// `manifest.json` are required; `industry_loss.csv` and `scenario.ron` are optional.
    pub fn read(dir: &Path) -> Result<Ensemble, PlotError> {
        let manifest = read_manifest(dir)?;
        let mut variants = Variants::default();
        let summary = read_summary(dir, &mut variants)?;
        let runs = read_runs(dir, &mut variants)?;
        let daily = read_daily(dir, &mut variants)?;
        let industry_loss = match read_optional(&dir.join(INDUSTRY_LOSS.name))? {
            Some(text) => Some(parse_industry_loss(
                &text,
                &dir.join(INDUSTRY_LOSS.name),
                &mut variants,
            )?),
            None => None,
        };
        let scenario_text = read_optional(&dir.join(SCENARIO))?;
        Ok(Ensemble {
            dir: dir.to_path_buf(),
            manifest,
            variants: variants.names,
            summary,
            runs,
            daily,
            industry_loss,
            scenario_text,
        })
    }

    /// The variant the single-variant charts show: `base`, or the first one.
    pub fn base_variant(&self) -> usize {
        self.variants
            .iter()
            .position(|name| name == "base")
            .unwrap_or(0)
    }

    /// The "no policies" variant, if there is one.
    pub fn reference_variant(&self) -> Option<usize> {
        self.variants.iter().position(|name| name == NO_POLICIES)
    }

    /// The regions `industry_loss.csv` marks foreign, in file order.
    pub fn foreign_regions(&self) -> Vec<String> {
        let mut foreign: Vec<String> = Vec::new();
        for row in self.industry_loss.iter().flatten() {
            if !row.domestic && !foreign.contains(&row.region) {
                foreign.push(row.region.clone());
            }
        }
        foreign
    }

    /// "few runs: the 5–95 % band rests on N runs" when the manifest gives fewer than
    /// [`FEW_RUNS`] runs; `None` otherwise.
    pub fn few_runs_warning(&self) -> Option<String> {
        let runs = self.manifest.run_count.filter(|&runs| runs < FEW_RUNS)?;
        let noun = if runs == 1 { "run" } else { "runs" };
        Some(format!("few runs: the 5–95 % band rests on {runs} {noun}"))
    }

    /// The series `name` of `variant`, if `daily.csv` has it.
    pub fn series(&self, variant: usize, name: &str) -> Option<&DailySeries> {
        self.daily
            .iter()
            .find(|series| series.variant == variant && series.name == name)
    }

    /// The economy's money unit as `summary.csv` states it, or "MRIO money unit" when it
    /// does not (a synthetic economy, or a directory written before the `unit` column).
    pub fn money_unit(&self) -> String {
        self.summary
            .iter()
            .find(|r| r.metric == "va_loss_money" && !r.unit.is_empty() && r.unit != "money")
            .map_or_else(|| "MRIO money unit".into(), |r| r.unit.clone())
    }

    /// The summary of `metric` for `variant`, if `summary.csv` has it.
    pub fn summary_of(&self, variant: usize, metric: &str) -> Option<&SummaryRow> {
        self.summary
            .iter()
            .find(|row| row.variant == variant && row.metric == metric)
    }

    /// "N runs" for titles, from the manifest (empty if it does not say).
    pub fn runs_phrase(&self) -> String {
        match self.manifest.run_count {
            Some(1) => " of 1 run".into(),
            Some(runs) => format!(" of {runs} runs"),
            None => String::new(),
        }
    }
}

/// Variant names in order of first appearance, with a lookup that is never iterated.
#[derive(Debug, Default)]
struct Variants {
    names: Vec<String>,
    index: HashMap<String, usize>,
}

impl Variants {
    fn index_of(&mut self, name: &str) -> usize {
        if let Some(&index) = self.index.get(name) {
            return index;
        }
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), self.names.len() - 1);
        self.names.len() - 1
    }
}

pub(crate) fn read_required(path: &Path) -> Result<String, PlotError> {
    fs::read_to_string(path).map_err(|source| PlotError::Io {
        path: path.to_path_buf(),
        source,
    })
}

pub(crate) fn read_optional(path: &Path) -> Result<Option<String>, PlotError> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(source) if source.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(PlotError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

fn read_summary(dir: &Path, variants: &mut Variants) -> Result<Vec<SummaryRow>, PlotError> {
    let path = dir.join(SUMMARY.name);
    let csv = Table::parse(read_required(&path)?.as_bytes(), &path)?;
    let [variant, metric, n, mean, std_error, p05, p50, p95, cvar95] = csv.columns([
        "variant",
        "metric",
        "n",
        "mean",
        "std_error",
        "p05",
        "p50",
        "p95",
        "cvar95",
    ])?;
    let unit = csv.header().iter().position(|h| h == "unit");
    // Only asked whether a pair was seen, never iterated.
    let mut seen = HashSet::new();
    let mut rows = Vec::with_capacity(csv.rows().len());
    for row in csv.rows() {
        let variant_name = row.name(variant)?;
        let metric_name = row.name(metric)?;
        if !seen.insert((variant_name, metric_name)) {
            return Err(PlotError::from(row.error(
                metric,
                format!("second line for metric {metric_name:?} of variant {variant_name:?}"),
            )));
        }
        rows.push(SummaryRow {
            variant: variants.index_of(variant_name),
            metric: metric_name.to_string(),
            unit: unit
                .map(|c| row.text(c).trim().to_string())
                .unwrap_or_default(),
            n: row.count(n)?,
            mean: row.optional_number(mean)?,
            std_error: row.optional_number(std_error)?,
            p05: row.optional_number(p05)?,
            p50: row.optional_number(p50)?,
            p95: row.optional_number(p95)?,
            cvar95: row.optional_number(cvar95)?,
        });
    }
    Ok(rows)
}

fn read_runs(dir: &Path, variants: &mut Variants) -> Result<Vec<RunRow>, PlotError> {
    let path = dir.join(RUNS.name);
    let csv = Table::parse(read_required(&path)?.as_bytes(), &path)?;
    let [run, variant, va_loss_pct] = csv.columns(["run", "variant", "va_loss_pct"])?;
    let column = |name: &str| csv.header().iter().position(|h| h == name);
    let (avoided, avoided_money) = (column("loss_avoided"), column("loss_avoided_money"));
    let mut rows = Vec::with_capacity(csv.rows().len());
    for row in csv.rows() {
        let optional = |index: Option<usize>| match index {
            Some(index) => row.optional_number(index),
            None => Ok(None),
        };
        rows.push(RunRow {
            run: row.number(run)?,
            variant: variants.index_of(row.name(variant)?),
            va_loss_pct: row.optional_number(va_loss_pct)?,
            loss_avoided: optional(avoided)?,
            loss_avoided_money: optional(avoided_money)?,
        });
    }
    Ok(rows)
}

fn read_daily(dir: &Path, variants: &mut Variants) -> Result<Vec<DailySeries>, PlotError> {
    let path = dir.join(DAILY.name);
    parse_daily(&read_required(&path)?, &path, variants)
}

fn parse_daily(
    text: &str,
    path: &Path,
    variants: &mut Variants,
) -> Result<Vec<DailySeries>, PlotError> {
    let csv = Table::parse(text.as_bytes(), path)?;
    let [variant, day, kind, label, mean, p05, p25, p50, p75, p95] = csv.columns([
        "variant", "day", "kind", "name", "mean", "p05", "p25", "p50", "p75", "p95",
    ])?;
    let mut all: Vec<DailySeries> = Vec::new();
    // Only looked up, never iterated: the order is that of `all`.
    let mut position: HashMap<(usize, String), usize> = HashMap::new();
    for row in csv.rows() {
        let variant_index = variants.index_of(row.name(variant)?);
        let day_value = row.number(day)?;
        // the series as the ensemble names it: `region:north`, or `national`
        let name = match row.text(label) {
            "" => row.name(kind)?.to_string(),
            label => format!("{}:{label}", row.name(kind)?),
        };
        let mut numbers = [None; 6];
        // In the order the writer puts them, so that the first bad field is the one named;
        // p25 and p75 are not charted, but a broken number anywhere means a broken file.
        for (slot, index) in numbers.iter_mut().zip([mean, p05, p25, p50, p75, p95]) {
            *slot = row.optional_number(index)?;
        }
        let point = DailyPoint {
            day: day_value,
            mean: numbers[0],
            p05: numbers[1],
            p50: numbers[3],
            p95: numbers[5],
        };
        let key = (variant_index, name.to_string());
        let index = *position.entry(key).or_insert_with(|| {
            all.push(DailySeries {
                variant: variant_index,
                name: name.to_string(),
                points: Vec::new(),
            });
            all.len() - 1
        });
        let points = &mut all[index].points;
        if let Some(previous) = points.last()
            && point.day <= previous.day
        {
            return Err(PlotError::from(row.error(
                day,
                format!(
                    "day {} of series {name:?} comes after day {}; days must increase",
                    point.day, previous.day
                ),
            )));
        }
        points.push(point);
    }
    Ok(all)
}

fn parse_industry_loss(
    text: &str,
    path: &Path,
    variants: &mut Variants,
) -> Result<Vec<IndustryLoss>, PlotError> {
    let csv = Table::parse(text.as_bytes(), path)?;
    let [variant, region, sector, loss_pct] =
        csv.columns(["variant", "region", "sector", "loss_pct"])?;
    let domestic = csv.header().iter().position(|h| h == "domestic");
    // Only asked whether a triple was seen, never iterated.
    let mut seen = HashSet::new();
    let mut rows = Vec::with_capacity(csv.rows().len());
    for row in csv.rows() {
        let entry = IndustryLoss {
            variant: variants.index_of(row.name(variant)?),
            region: row.name(region)?.to_string(),
            sector: row.name(sector)?.to_string(),
            loss_pct: row.optional_number(loss_pct)?,
            domestic: match domestic.map(|index| (index, row.text(index).trim())) {
                None | Some((_, "true")) => true,
                Some((_, "false")) => false,
                Some((index, other)) => {
                    return Err(PlotError::from(
                        row.error(index, format!("expected true or false, found {other:?}")),
                    ));
                }
            },
        };
        if !seen.insert((entry.variant, row.text(region), row.text(sector))) {
            return Err(PlotError::from(row.error(
                sector,
                format!(
                    "second line for industry {:?} in {:?}",
                    entry.sector, entry.region
                ),
            )));
        }
        rows.push(entry);
    }
    Ok(rows)
}

pub(crate) fn read_manifest(dir: &Path) -> Result<Manifest, PlotError> {
    let path = dir.join(MANIFEST);
    parse_manifest(&read_required(&path)?, &path)
}

fn parse_manifest(text: &str, path: &Path) -> Result<Manifest, PlotError> {
    let value: Value = serde_json::from_str(text).map_err(|error| PlotError::Malformed {
        path: path.to_path_buf(),
        line: error.line().max(1),
        column: error.column().max(1),
        message: format!("not valid JSON: {error}"),
    })?;
    let Some(object) = value.as_object() else {
        return Err(PlotError::Data {
            path: path.to_path_buf(),
            message: "expected a JSON object".into(),
        });
    };
    let Some(name) = object.get("name").and_then(Value::as_str) else {
        return Err(PlotError::Data {
            path: path.to_path_buf(),
            message: "no `name` string (the scenario name)".into(),
        });
    };
    let field = |key: &str| object.get(key).and_then(|value| display(value, " "));
    Ok(Manifest {
        name: name.to_string(),
        description: field("description").filter(|text| !text.trim().is_empty()),
        version: field("version"),
        command: field("command"),
        scenario_hash: field("scenario_hash"),
        scenario_sha256: field("scenario_sha256"),
        seed: field("seed"),
        runs: field("runs"),
        run_count: object.get("runs").and_then(Value::as_u64),
        threads: field("threads"),
        variants: object
            .get("variants")
            .and_then(|value| display(value, ", ")),
        start: field("start"),
        end: field("end"),
        warnings: object
            .get("warnings")
            .and_then(Value::as_array)
            .map(|all| {
                all.iter()
                    .filter_map(|w| w.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// A JSON value as text: strings as they are, numbers and booleans as written, arrays joined
/// with `separator`; `None` for null.
fn display(value: &Value, separator: &str) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(|item| display(item, separator))
                .collect::<Vec<_>>()
                .join(separator),
        ),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_errors_have_positions() {
        let path = Path::new("d/manifest.json");
        let error = parse_manifest("{\n  \"name\": \"x\",\n  oops\n}", path).unwrap_err();
        assert!(
            matches!(error, PlotError::Malformed { line: 3, .. }),
            "{error:?}"
        );
        assert!(error.to_string().starts_with("d/manifest.json:3:3: "));
        let error = parse_manifest("{\"runs\": 3}", path).unwrap_err();
        assert_eq!(
            error.to_string(),
            "d/manifest.json: no `name` string (the scenario name)"
        );
        let manifest = parse_manifest(
            r#"{"name": "n", "description": null, "runs": 4, "seed": 7, "variants": ["a", "b"]}"#,
            path,
        )
        .unwrap();
        assert_eq!(manifest.description, None);
        assert_eq!(manifest.run_count, Some(4));
        assert_eq!(manifest.seed.as_deref(), Some("7"));
        assert_eq!(manifest.variants.as_deref(), Some("a, b"));
    }

    #[test]
    fn daily_days_must_increase() {
        let text = "variant,day,kind,name,unit,mean,p05,p25,p50,p75,p95\n\
                    base,0,national,,1,1,1,1,1,1,1\n\
                    base,0,region,a,1,1,1,1,1,1,1\n\
                    base,0,national,,1,1,1,1,1,1,1\n";
        let error = parse_daily(text, Path::new("daily.csv"), &mut Variants::default())
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "daily.csv:4:2: day 0 of series \"national\" comes after day 0; days must increase"
        );
    }

    #[test]
    fn industry_loss_rejects_repeats() {
        let text = "variant,region,sector,loss_pct\nbase,a,x,1\nbase,a,x,2\n";
        let error = parse_industry_loss(text, Path::new("i.csv"), &mut Variants::default())
            .unwrap_err()
            .to_string();
        assert_eq!(error, "i.csv:3:3: second line for industry \"x\" in \"a\"");
    }
}
