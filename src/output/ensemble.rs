//! Writers of the ensemble files: `runs.csv`, `summary.csv`, `daily.csv`,
//! `industry_loss.csv` (formats in the README and [`crate::metrics::ensemble`]).

use std::io::{self, Write};

use super::format_number;
use crate::metrics::catalogue::CATALOGUE;
use crate::metrics::ensemble::MetricStatistics;
use crate::metrics::ensemble::{Bands, RunSummary};
use crate::montecarlo::PolicyOutcome;
use crate::shocks::Draw;

fn cell(value: Option<f64>) -> String {
    value.map_or(String::new(), format_number)
}

/// A CSV field, quoted when it holds a comma, quote or line break.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// `run,variant,seed,<metrics…>`: one row per run and variant.
pub fn write_runs(
    out: &mut impl Write,
    seed: u64,
    variants: &[(String, &[RunSummary])],
) -> io::Result<()> {
    let names: Vec<&str> = CATALOGUE.iter().map(|m| m.name).collect();
    writeln!(out, "run,variant,seed,{}", names.join(","))?;
    for (name, runs) in variants {
        for (run, summary) in runs.iter().enumerate() {
            let values: Vec<String> = summary
                .metrics
                .as_slice()
                .iter()
                .map(|v| cell(*v))
                .collect();
            writeln!(out, "{run},{},{seed},{}", csv_field(name), values.join(","))?;
        }
    }
    Ok(())
}

/// `variant,metric,n,mean,std_error,p05,p25,p50,p75,p95,var95,cvar95`.
pub fn write_summary(
    out: &mut impl Write,
    variants: &[(&str, &MetricStatistics)],
) -> io::Result<()> {
    writeln!(
        out,
        "variant,metric,n,mean,std_error,p05,p25,p50,p75,p95,var95,cvar95"
    )?;
    for (name, metrics) in variants {
        for (metric, summary) in metrics.iter() {
            match summary {
                Some(s) => writeln!(
                    out,
                    "{},{metric},{},{}",
                    csv_field(name),
                    s.n,
                    [
                        s.mean,
                        s.std_error,
                        s.p05,
                        s.p25,
                        s.p50,
                        s.p75,
                        s.p95,
                        s.var95,
                        s.cvar95
                    ]
                    .map(format_number)
                    .join(",")
                )?,
                None => writeln!(out, "{},{metric},0,,,,,,,,,", csv_field(name))?,
            }
        }
    }
    Ok(())
}

/// `variant,day,series,mean,p05,p25,p50,p75,p95` (tidy).
pub fn write_daily(out: &mut impl Write, variants: &[(&str, &Bands)]) -> io::Result<()> {
    writeln!(out, "variant,day,series,mean,p05,p25,p50,p75,p95")?;
    for (name, bands) in variants {
        let days = bands.first().map_or(0, |b| b.1.len());
        for day in 0..days {
            for (series, quantiles, mean) in bands.iter() {
                if let (Some(q), Some(m)) = (quantiles.get(day), mean.get(day)) {
                    writeln!(
                        out,
                        "{},{day},{},{},{}",
                        csv_field(name),
                        csv_field(series),
                        format_number(*m),
                        q.map(format_number).join(",")
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// `variant,region,sector,loss_pct`.
pub fn write_industry_loss(
    out: &mut impl Write,
    regions: &[String],
    sectors: &[String],
    variants: &[(&str, &[f64])],
) -> io::Result<()> {
    writeln!(out, "variant,region,sector,loss_pct")?;
    for (name, losses) in variants {
        for (i, loss) in losses.iter().enumerate() {
            let (r, s) = (i / sectors.len(), i % sectors.len());
            writeln!(
                out,
                "{},{},{},{}",
                csv_field(name),
                csv_field(&regions[r]),
                csv_field(&sectors[s]),
                format_number(*loss)
            )?;
        }
    }
    Ok(())
}

/// `run,shock,parameter,value`: every value drawn, run by run.
pub fn write_draws(out: &mut impl Write, runs: &[Vec<Draw>]) -> io::Result<()> {
    writeln!(out, "run,shock,parameter,value")?;
    for (run, draws) in runs.iter().enumerate() {
        for draw in draws {
            writeln!(
                out,
                "{},{},{},{}",
                run,
                csv_field(&draw.shock),
                draw.parameter,
                format_number(draw.value)
            )?;
        }
    }
    Ok(())
}

/// `run,variant,policy,kind,activation_day,activations,delivered,holding_cost,activation_cost`.
pub fn write_policies(
    out: &mut impl Write,
    variants: &[(&str, &[Vec<PolicyOutcome>])],
) -> io::Result<()> {
    writeln!(
        out,
        "run,variant,policy,kind,activation_day,activations,delivered,holding_cost,activation_cost"
    )?;
    for (variant, runs) in variants {
        for (run, outcomes) in runs.iter().enumerate() {
            for p in outcomes {
                writeln!(
                    out,
                    "{},{},{},{},{},{},{},{},{}",
                    run,
                    csv_field(variant),
                    csv_field(&p.name),
                    p.kind,
                    p.activation_day.map_or(String::new(), |d| d.to_string()),
                    p.activations,
                    format_number(p.delivered),
                    format_number(p.holding_cost),
                    format_number(p.activation_cost)
                )?;
            }
        }
    }
    Ok(())
}
