//! `hinterland plot DIR`: redraw the charts and the report of an output folder from its files.

use std::path::Path;

use crate::Error;
use crate::plot;

/// Redraw the charts and the report of an output folder from its files alone: for a sweep
/// folder (one with `sweep.csv`) the sweep charts and `report.html`; for a ranking folder (one
/// with `ranking.csv`) the ranking's charts; for a placement folder (one with `choices.csv`)
/// the placement charts; otherwise the ensemble charts and `report.html`,
/// and the per-run charts of `records/` or `runs/<k>/records/` where there are records.
pub fn replot(dir: &Path) -> Result<Vec<String>, Error> {
    if !dir.is_dir() {
        let why = if dir.exists() {
            "is not a folder"
        } else {
            "does not exist"
        };
        return Err(plot::PlotError::Data {
            path: dir.to_path_buf(),
            message: format!("{why}: expected the output folder of a run, a sweep, a ranking or a placement search"),
        }
        .into());
    }
    // A sweep folder has its own charts and report, and no per-run records.
    if dir.join(crate::output::layout::SWEEP.name).is_file() {
        return Ok(plot::draw_sweep(dir)?);
    }
    // So has a placement folder.
    if dir.join(crate::output::layout::CHOICES.name).is_file() {
        return Ok(plot::draw_optimize(dir)?);
    }
    // And a ranking folder.
    if dir.join(crate::output::layout::RANKING.name).is_file() {
        return Ok(plot::draw_rank(dir)?);
    }
    let mut files = plot::draw_ensemble(dir)?;
    let name = std::fs::read_to_string(dir.join("manifest.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|v| v.get("name").and_then(|n| n.as_str()).map(String::from))
        .unwrap_or_else(|| "hinterland".into());
    if dir.join("records/production_realised.csv").exists() {
        files.extend(plot::draw_all(dir, &name)?);
    }
    let first_run = dir.join("runs/0000");
    if first_run.join("records/production_realised.csv").exists() {
        let runs = std::fs::read_dir(dir.join("runs")).map_or(0, |d| d.count());
        let charts = plot::draw_all(&first_run, &format!("{name} (run 0 of {runs})"))?;
        files.extend(charts.into_iter().map(|c| format!("runs/0000/{c}")));
    }
    Ok(files)
}
