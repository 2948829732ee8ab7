//! Charts and a report drawn from a sweep's output directory (`sweep.csv`, `frontier.csv`,
//! `manifest.json`, `scenario.ron`), and nothing else. See [`draw_sweep`].

use std::path::Path;

use super::PlotError;

/// Draw the sweep charts into `dir/plots/` and write `dir/report.html`, from the files in
/// `dir` only. Returns the files written (relative to `dir`, with `/`).
pub fn draw_sweep(dir: &Path) -> Result<Vec<String>, PlotError> {
    let _ = dir;
    Ok(Vec::new())
}
