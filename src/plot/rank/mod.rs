//! Charts drawn from a ranking's output directory (`ranking.csv`, `loss_by_magnitude.csv`,
//! `manifest.json`), and nothing else. See [`draw_rank`].

mod bars;
mod input;
mod magnitude;

use std::fs;
use std::path::Path;

use super::{PlotError, register_embedded_font};
use crate::output::layout::PLOTS;
use crate::plot::ensemble::figure::{self, Figure};
use input::{Kind, RankOutput};

/// The loss axis of every chart.
const LOSS_DESC: &str = "value-added loss, days of national value added";

/// The largest magnitude a chart can show: plotters cannot place ticks on much wider axes.
const DRAWABLE: f64 = 1e300;

/// An error if the loss `value` of `industry` in `file` is too large to draw.
fn drawable(value: f64, industry: &str, file: &Path) -> Result<(), PlotError> {
    if value.abs() <= DRAWABLE {
        Ok(())
    } else {
        Err(PlotError::Data {
            path: file.to_path_buf(),
            message: format!("the loss {value} of {industry} is out of the drawable range"),
        })
    }
}

/// Draw the ranking's charts into `dir/plots/`, from the files in `dir` only. Returns the
/// files written (relative to `dir`, with `/`), in this order:
///
/// 1. `critical_outages`: the 15 largest losses of the domestic industries' outages as
///    horizontal bars, rank 1 at the top, labelled "region · sector"; each bar split into
///    the direct loss (the capacity removed, solid) and the indirect loss (what spread through
///    the network, lighter) where both are known and the indirect one is not negative, else
///    the total alone (and "indirect < 0" said at its end); at the bar's end the target's
///    places by reach, out-strength and sole-source value added;
/// 2. `critical_cutoffs`: the same for the cut-offs of foreign blocks × sectors, if
///    `ranking.csv` has any;
/// 3. `loss_by_magnitude`: if `loss_by_magnitude.csv` has rows, the loss of each of its
///    industries against the share of capacity lost, a line with markers each, and a thin
///    dashed line of the loss proportional to its smallest outage.
///
/// A target without a simulated loss is left out. Charts are 1200×700 PNG and SVG, each
/// caption starting with the scenario's name (from `manifest.json`). Every file is read and
/// checked before anything is written; a malformed file is a [`PlotError::Malformed`] naming
/// its line and column. The same files always give byte-identical output.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = tempfile::tempdir()?;
/// let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text);
/// write("manifest.json", r#"{"name": "demo"}"#)?;
/// write(
///     "ranking.csv",
///     "kind,rank,region,sector,magnitude,va_loss_days,va_loss_money,direct_loss_days,\
///      indirect_loss_days,trough,recovery_days,out_strength,reach,sole_source_buyers,\
///      sole_source_va,rank_out_strength,rank_reach,rank_sole_source_va\n\
///      outage,1,north,chips,1,3,300,1,2,0.8,40,5,0.4,2,0.1,1,1,1\n\
///      outage,2,south,steel,1,1,100,0.5,0.5,0.9,20,3,0.2,0,0,2,2,2\n",
/// )?;
/// let files = hinterland::plot::draw_rank(dir.path())?;
/// assert_eq!(files, ["plots/critical_outages.png", "plots/critical_outages.svg"]);
/// # Ok(())
/// # }
/// ```
pub fn draw_rank(dir: &Path) -> Result<Vec<String>, PlotError> {
    register_embedded_font()?;
    let output = RankOutput::read(dir)?;
    // Every chart is made before any is drawn: an error leaves nothing behind.
    let outages = bars::critical(&output, Kind::Outage)?;
    let cutoffs = bars::critical(&output, Kind::Cutoff)?;
    let curves = magnitude::chart(&output)?;
    let plots = dir.join(PLOTS);
    fs::create_dir_all(&plots).map_err(|source| PlotError::Io {
        path: plots.clone(),
        source,
    })?;
    let mut written = Vec::new();
    for chart in outages.iter().chain(&cutoffs) {
        save(chart, &plots, &mut written)?;
    }
    if let Some(chart) = &curves {
        save(chart, &plots, &mut written)?;
    }
    Ok(written)
}

/// Save `figure` into `plots` and add its files to `written`.
fn save(figure: &impl Figure, plots: &Path, written: &mut Vec<String>) -> Result<(), PlotError> {
    figure::save(figure, plots)?;
    for extension in ["png", "svg"] {
        written.push(format!("{PLOTS}/{}.{extension}", figure.name()));
    }
    Ok(())
}

/// How a chart names an industry: "region · sector".
fn industry_label(region: &str, sector: &str) -> String {
    format!("{region} \u{b7} {sector}")
}

/// A share as a percentage with at most one decimal: "100 %", "37.5 %".
fn percent(share: f64) -> String {
    let value = (share * 1000.0).round() / 10.0;
    if value.fract() == 0.0 {
        format!("{value:.0} %")
    } else {
        format!("{value:.1} %")
    }
}

#[cfg(test)]
mod tests;
