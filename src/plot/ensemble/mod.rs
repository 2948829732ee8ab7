//! Charts and an HTML report drawn from an ensemble output directory (`summary.csv`,
//! `runs.csv`, `daily.csv`, `industry_loss.csv`, `manifest.json`, `scenario.ron`), and
//! nothing else. See [`draw_ensemble`].

mod distribution;
mod fan;
pub(super) mod figure;
pub(super) mod heatmap;
pub(super) mod input;
mod lines;
pub(super) mod report;

use std::fs;
use std::path::Path;

use super::{PlotError, register_embedded_font, render};
use input::{Ensemble, NO_POLICIES};
use report::{ShownChart, SkippedChart};

/// Draw the ensemble charts into `dir/plots/` and write `dir/report.html`, from the CSVs and
/// manifest in `dir` only. Returns the files written (relative to `dir`, with `/`).
///
/// Each chart is a 1200×700 PNG and an SVG; every title starts with the scenario name:
///
/// - `fan_national`: national value added in % of day 0, per variant the median across runs
///   and a 5–95 % band, with the 100 % baseline;
/// - `fan_difference`: each variant's national value added minus that of "no policies" in
///   the same run (paired), median and 5–95 % band, if `daily.csv` has the difference;
/// - `loss_distribution`: the value-added loss of every run (% of annual baseline) per
///   variant, as dots over a box plot (25–75 % box, 5–95 % whiskers, median, mean), the same
///   run joined across variants;
/// - `loss_avoided`: each run's loss avoided against "no policies" in the same run, per
///   variant compared (money if `runs.csv` has it), dots over a box plot;
/// - `heatmap_loss`: mean value-added loss of each domestic industry (region × sector) in the
///   `base` variant (or the first one), if `industry_loss.csv` is there; foreign regions are
///   left out and named;
/// - `heatmap_loss_change`: the same, base minus "no policies", in percentage points;
/// - `backup`, `backup_activation`: mean backup output and share of units producing per day
///   per variant, if some variant has any;
/// - `reserve_stock`: mean stock of the strategic reserves per day per variant, if any;
/// - `unmet_final_demand`: mean unmet final demand per day of the domestic regions, one line
///   per variant, if `daily.csv` has it.
///
/// With fewer than 20 runs the charts with bands and the report say that a band rests on few
/// runs.
///
/// `report.html` is one page without any external resource: the scenario's name and
/// description, how to reproduce the run, a table of the main statistics per variant, every
/// chart (inline SVG) and the scenario text.
///
/// Every file is read and checked before anything is written; a malformed file is a
/// [`PlotError::Malformed`] naming its line and column. The same files always give
/// byte-identical output.
///
/// Only the columns named in the example are needed (others are ignored), and
/// `industry_loss.csv` and `scenario.ron` may be missing:
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = tempfile::tempdir()?;
/// let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text);
/// write("manifest.json", r#"{"name": "demo", "runs": 2, "seed": 1}"#)?;
/// write(
///     "summary.csv",
///     "variant,metric,n,mean,std_error,p05,p25,p50,p75,p95,var95,cvar95\n\
///      base,va_loss_pct,2,1.5,0.5,1,1.25,1.5,1.75,2,2,2\n",
/// )?;
/// write("runs.csv", "run,variant,seed,va_loss_pct\n0,base,1,1\n1,base,1,2\n")?;
/// write(
///     "daily.csv",
///     "variant,day,kind,name,mean,p05,p25,p50,p75,p95\n\
///      base,0,national,,1,1,1,1,1,1\n\
///      base,1,national,,0.9,0.8,0.85,0.9,0.95,1\n",
/// )?;
/// let files = hinterland::plot::draw_ensemble(dir.path())?;
/// assert_eq!(
///     files,
///     [
///         "plots/fan_national.png",
///         "plots/fan_national.svg",
///         "plots/loss_distribution.png",
///         "plots/loss_distribution.svg",
///         "report.html",
///     ]
/// );
/// # Ok(())
/// # }
/// ```
pub fn draw_ensemble(dir: &Path) -> Result<Vec<String>, PlotError> {
    register_embedded_font()?;
    let ensemble = Ensemble::read(dir)?;
    let base = ensemble
        .variants
        .get(ensemble.base_variant())
        .cloned()
        .unwrap_or_default();
    let fan = fan::fan_national(&ensemble)?;
    let difference = fan::fan_difference(&ensemble)?;
    let distribution = distribution::loss_distribution(&ensemble)?;
    let avoided = distribution::loss_avoided(&ensemble)?;
    let heatmap = heatmap::heatmap_loss(&ensemble);
    let heatmap_change = heatmap::heatmap_loss_change(&ensemble);
    let backup = lines::backup(&ensemble)?;
    let activation = lines::backup_activation(&ensemble)?;
    let reserve = lines::reserve_stock(&ensemble)?;
    let unmet = lines::unmet_final_demand(&ensemble)?;

    let plots = dir.join("plots");
    fs::create_dir_all(&plots).map_err(|source| PlotError::Io {
        path: plots.clone(),
        source,
    })?;
    let mut shown = Vec::new();
    let mut skipped = Vec::new();
    let foreign = ensemble.foreign_regions();
    let foreign_note = if foreign.is_empty() {
        String::new()
    } else {
        format!(
            " Foreign regions ({}) are left out; their rows are in industry_loss.csv.",
            foreign.join(", ")
        )
    };

    figure::save(&fan, &plots)?;
    shown.push(ShownChart {
        name: "fan_national",
        heading: "National value added",
        description: "Domestic value added per day, in % of its value on day 0, for every \
                      variant: the line is the median across runs, the band spans the 5 % \
                      to 95 % quantiles of the runs. The bands of the variants overlap \
                      because the crises differ from run to run; the next chart takes that \
                      spread out."
            .into(),
    });
    match &difference {
        Some(chart) => {
            figure::save(chart, &plots)?;
            shown.push(ShownChart {
                name: "fan_difference",
                heading: "Policy effect on national value added",
                description: format!(
                    "Each variant's domestic value added minus that of \"{NO_POLICIES}\" in \
                     the same run (the same drawn crisis), in percentage points of day 0: the \
                     line is the median across runs, the band the 5 % to 95 % quantiles of \
                     these paired differences. Above zero the policies add value that day."
                ),
            });
        }
        None => skipped.push(SkippedChart {
            name: "fan_difference",
            reason: format!(
                "daily.csv has no paired difference with \"{NO_POLICIES}\" (no such variant, \
                 or no variant that changes only policies)."
            ),
        }),
    }
    figure::save(&distribution, &plots)?;
    shown.push(ShownChart {
        name: "loss_distribution",
        heading: "Value-added loss per run",
        description: "Value-added loss over the whole run, in % of annual baseline value \
                      added: one dot per run; the box spans 25 % to 75 % of runs, the \
                      whiskers 5 % to 95 %; the thick line is the median, the diamond the \
                      mean. Grey lines join the same run in neighbouring variants: every \
                      variant runs on the same drawn crises."
            .into(),
    });
    if let Some(chart) = &avoided {
        figure::save(chart, &plots)?;
        shown.push(ShownChart {
            name: "loss_avoided",
            heading: "Loss avoided per run",
            description: format!(
                "For every variant compared with \"{NO_POLICIES}\": each run's value-added \
                 loss avoided against \"{NO_POLICIES}\" in the same run (paired; metric \
                 loss_avoided_money, or loss_avoided in days where there is no money), one \
                 dot per run, with the box (25–75 %), whiskers (5–95 %), median and mean of \
                 these differences. Above zero the policies avoid loss."
            ),
        });
    }
    match &heatmap {
        Some(heatmap) => {
            figure::save(heatmap, &plots)?;
            shown.push(ShownChart {
                name: "heatmap_loss",
                heading: "Loss by industry",
                description: format!(
                    "Mean over runs of each domestic industry's value-added loss, in % of its \
                     baseline value added over the run, variant {base}. Red: loss; blue: \
                     gain; grey: no value.{foreign_note}"
                ),
            });
        }
        None => skipped.push(SkippedChart {
            name: "heatmap_loss",
            reason: format!("industry_loss.csv is absent or has no line for variant {base}."),
        }),
    }
    if let Some(heatmap) = &heatmap_change {
        figure::save(heatmap, &plots)?;
        shown.push(ShownChart {
            name: "heatmap_loss_change",
            heading: "Change in loss by industry",
            description: format!(
                "Each domestic industry's mean loss in variant {base} minus its mean loss \
                 without policies, in percentage points of its baseline value added. Blue: \
                 the policies lower the loss; red: they raise it (e.g. where backup units \
                 draw inputs or demand).{foreign_note} The other variants' losses are in \
                 industry_loss.csv."
            ),
        });
    }
    match &backup {
        Some(chart) => {
            render::draw(chart, &plots)?;
            shown.push(ShownChart {
                name: "backup",
                heading: "Backup output",
                description: "Mean over runs of the output of all backup units per day, \
                              for every variant that has backup output."
                    .into(),
            });
        }
        None => skipped.push(SkippedChart {
            name: "backup",
            reason: "no variant has backup output.".into(),
        }),
    }
    if let Some(chart) = &activation {
        render::draw(chart, &plots)?;
        shown.push(ShownChart {
            name: "backup_activation",
            heading: "Backup activation",
            description: "Share of backup units ramping up or producing at full capacity on \
                          each day, mean over runs (= the share of runs in which a single \
                          backup is on), for every variant whose backups ever start."
                .into(),
        });
    }
    if let Some(chart) = &reserve {
        render::draw(chart, &plots)?;
        shown.push(ShownChart {
            name: "reserve_stock",
            heading: "Strategic reserves",
            description: "Stock of all strategic reserves per day, summed, mean over runs, \
                          for every variant that holds a reserve: a falling line is a \
                          release, a rising one a refill."
                .into(),
        });
    }
    match &unmet {
        Some(chart) => {
            render::draw(chart, &plots)?;
            shown.push(ShownChart {
                name: "unmet_final_demand",
                heading: "Unmet final demand",
                description: format!(
                    "Mean over runs of the final demand of domestic regions not served per \
                     day, summed over those regions, one line per variant.{}",
                    if foreign.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " Foreign demand (exports of {}) is left out; its series are in \
                             daily.csv.",
                            foreign.join(", ")
                        )
                    }
                ),
            });
        }
        None => skipped.push(SkippedChart {
            name: "unmet_final_demand",
            reason: "daily.csv has no unmet final demand series.".into(),
        }),
    }

    report::write_report(&ensemble, &shown, &skipped)?;
    let mut written: Vec<String> = shown
        .iter()
        .flat_map(|chart| {
            [
                format!("plots/{}.png", chart.name),
                format!("plots/{}.svg", chart.name),
            ]
        })
        .collect();
    written.push("report.html".into());
    Ok(written)
}

#[cfg(test)]
mod fake;
#[cfg(test)]
mod tests;
