//! Writers of the ensemble files (`runs.csv`, `summary.csv`, `daily.csv`, `industry_loss.csv`,
//! `draws.csv`, `policies.csv`), on the one table writer, with the headers of
//! [`super::layout`]. The README lists what each file holds; the metrics are in
//! `docs/metrics.md`.

use std::io::{self, Write};

use super::layout::{DAILY, DRAWS, INDUSTRY_LOSS, POLICIES, RUN_FAILURE, SUMMARY, runs_header};
use crate::metrics::ensemble::{Bands, MetricStatistics, RunSummary};
use crate::montecarlo::PolicyOutcome;
use crate::shocks::Draw;
use crate::table::{Writer, number, optional};

/// A variant's rows of `runs.csv`: its name, its runs' summaries and why each failed, if it
/// did.
pub type VariantRuns<'a> = (String, &'a [RunSummary], &'a [Option<String>]);

/// `run,variant,seed,<metrics…>,failure`: one row per run and variant.
pub fn write_runs(out: &mut impl Write, seed: u64, variants: &[VariantRuns<'_>]) -> io::Result<()> {
    let mut table = Writer::new(out);
    table.row(runs_header().into_iter().chain([RUN_FAILURE]))?;
    let seed = seed.to_string();
    for (name, runs, failures) in variants {
        for (run, summary) in runs.iter().enumerate() {
            let fixed = [run.to_string(), name.clone(), seed.clone()];
            let metrics = summary.metrics.as_slice().iter().map(|v| optional(*v));
            let failure = failures.get(run).cloned().flatten().unwrap_or_default();
            table.row(fixed.into_iter().chain(metrics).chain([failure]))?;
        }
    }
    table.finish()
}

/// `variant,metric,n,mean,std_error,p05,p25,p50,p75,p95,var95,cvar95`.
pub fn write_summary(
    out: &mut impl Write,
    variants: &[(&str, &MetricStatistics)],
    money: Option<&str>,
) -> io::Result<()> {
    let mut table = Writer::new(out);
    table.row(SUMMARY.header)?;
    for (name, metrics) in variants {
        for (metric, summary) in metrics.iter() {
            let statistics = statistics_cells(summary.as_ref());
            let unit = crate::metrics::catalogue::metric(metric)
                .map(|m| m.unit_in(money))
                .unwrap_or_default();
            let fixed = [name.to_string(), metric.to_string(), unit];
            table.row(fixed.into_iter().chain(statistics))?;
        }
    }
    table.finish()
}

/// The statistics columns of a summary row: `n,mean,std_error,p05,…,cvar95` (`0` and empty
/// cells where no run has a value).
pub fn statistics_cells(summary: Option<&crate::metrics::stats::Summary>) -> Vec<String> {
    match summary {
        Some(s) => std::iter::once(s.n.to_string())
            .chain(
                [
                    s.mean,
                    s.std_error,
                    s.p05,
                    s.p25,
                    s.p50,
                    s.p75,
                    s.p95,
                    s.var95,
                    s.cvar95,
                ]
                .map(number),
            )
            .collect(),
        None => std::iter::once("0".to_string())
            .chain(std::iter::repeat_n(String::new(), 9))
            .collect(),
    }
}

/// `variant,day,kind,name,unit,mean,p05,p25,p50,p75,p95` (tidy): a series `region:north` is
/// kind `region`, name `north`; `national` has no name. `money` is the economy's money unit.
pub fn write_daily(
    out: &mut impl Write,
    variants: &[(&str, &Bands)],
    money: Option<&str>,
) -> io::Result<()> {
    let mut table = Writer::new(out);
    table.row(DAILY.header)?;
    for (name, bands) in variants {
        let days = bands.first().map_or(0, |b| b.1.len());
        // kind, name and unit of each series, once
        let labels: Vec<[String; 3]> = bands
            .iter()
            .map(|(series, _, _)| {
                let (kind, label) = series.split_once(':').unwrap_or((series, ""));
                [kind.to_string(), label.to_string(), daily_unit(kind, money)]
            })
            .collect();
        for day in 0..days {
            for ((_, quantiles, mean), label) in bands.iter().zip(&labels) {
                if let (Some(q), Some(m)) = (quantiles.get(day), mean.get(day)) {
                    let fixed = [name.to_string(), day.to_string()]
                        .into_iter()
                        .chain(label.iter().cloned())
                        .chain([number(*m)]);
                    table.row(fixed.chain(q.map(number)))?;
                }
            }
        }
    }
    table.finish()
}

/// The unit of a daily series of kind `kind`.
pub fn daily_unit(kind: &str, money: Option<&str>) -> String {
    let money = money.unwrap_or("money");
    match kind {
        "national" | "region" | "sector" => "share of baseline value added".into(),
        crate::metrics::ensemble::NATIONAL_VS_NO_POLICIES => {
            "difference in share of baseline value added".into()
        }
        "backup_active" => "share of backup units".into(),
        "reserve_stock" => money.to_string(),
        _ => format!("{money} per day"),
    }
}

/// `variant,region,sector,loss_pct,domestic`; `domestic[r]`: whether region `r` is domestic
/// (not `Foreign`), so that readers can keep foreign rows apart.
pub fn write_industry_loss(
    out: &mut impl Write,
    regions: &[String],
    domestic: &[bool],
    sectors: &[String],
    variants: &[(&str, &[f64])],
) -> io::Result<()> {
    let mut table = Writer::new(out);
    table.row(INDUSTRY_LOSS.header)?;
    for (name, losses) in variants {
        for (i, loss) in losses.iter().enumerate() {
            let (r, s) = (i / sectors.len(), i % sectors.len());
            let is_domestic = domestic.get(r).copied().unwrap_or(true).to_string();
            table.row([
                name,
                regions[r].as_str(),
                sectors[s].as_str(),
                &number(*loss),
                &is_domestic,
            ])?;
        }
    }
    table.finish()
}

/// `run,shock,parameter,value`: every value drawn, run by run.
pub fn write_draws(out: &mut impl Write, runs: &[Vec<Draw>]) -> io::Result<()> {
    let mut table = Writer::new(out);
    table.row(DRAWS.header)?;
    for (run, draws) in runs.iter().enumerate() {
        let run = run.to_string();
        for draw in draws {
            table.row([&run, &draw.shock, draw.parameter, &number(draw.value)])?;
        }
    }
    table.finish()
}

/// `run,variant,policy,kind,activation_day,activations,delivered,holding_cost,activation_cost`.
pub fn write_policies(
    out: &mut impl Write,
    variants: &[(&str, &[Vec<PolicyOutcome>])],
) -> io::Result<()> {
    let mut table = Writer::new(out);
    table.row(POLICIES.header)?;
    for (variant, runs) in variants {
        for (run, outcomes) in runs.iter().enumerate() {
            for p in outcomes {
                table.row([
                    run.to_string(),
                    variant.to_string(),
                    p.name.clone(),
                    p.kind.to_string(),
                    p.activation_day.map_or(String::new(), |d| d.to_string()),
                    p.activations.to_string(),
                    number(p.delivered),
                    number(p.holding_cost),
                    number(p.activation_cost),
                ])?;
            }
        }
    }
    table.finish()
}
