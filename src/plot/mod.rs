//! Charts drawn from a finished run's CSV records, and nothing else.
//!
//! [`draw_all`] reads `DIR/records/*.csv` as written by `hinterland run --out DIR` and draws
//! into `DIR/plots/`, each chart as a 1200×700 PNG and an SVG:
//!
//! - `production`: national production and each region's, in % of their first-day value
//!   (needs `production_realised.csv`, always);
//! - `capacity_loss`: per region, the share of capacity lost, weighted by each industry's
//!   first-day production (if `capacity_loss.csv` was recorded);
//! - `final_demand_unmet`: unmet final demand summed over products, per demanding region (if
//!   `final_demand_unmet.csv` was recorded).
//!
//! Text uses the DejaVu Sans font embedded in the binary, never a system font, and the same
//! records always give byte-identical files.

mod ensemble;
mod optimize;
mod rank;
mod records;
mod render;
mod series;
mod sweep;

pub use ensemble::draw_ensemble;
pub use optimize::draw_optimize;
pub use rank::draw_rank;
pub use sweep::draw_sweep;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::style::{FontStyle, register_font};

use records::Table;

/// A failure to draw charts from a run's records.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// A record that is not the expected CSV; `line` and `column` (the field number, `step`
    /// being 1) count from 1.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Malformed {
        /// The record file.
        path: PathBuf,
        /// The line, from 1.
        line: usize,
        /// The field in the line, from 1.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A record that every set of charts needs is absent.
    #[error(
        "{}: not found; the charts need it, so record `ProductionRealised` in the scenario's `records`",
        path.display()
    )]
    MissingRecord {
        /// The file that was looked for.
        path: PathBuf,
    },
    /// Well-formed records that cannot be charted, e.g. no production to compare with.
    #[error("{}: {message}", path.display())]
    Data {
        /// The record at fault.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// An I/O error on a path.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path read or written.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// plotters failed to draw or to save a chart.
    #[error("{}: cannot draw the chart: {message}", path.display())]
    Draw {
        /// The chart file.
        path: PathBuf,
        /// plotters' message.
        message: String,
    },
    /// The embedded font was rejected (a build problem, not the user's).
    #[error("the embedded DejaVu Sans font could not be registered with plotters")]
    Font,
}

/// Draw every chart the records in `dir/records/` allow into `dir/plots/` (PNG and SVG).
/// Returns the files written (relative to `dir`, with `/`), two per chart.
///
/// `title` (the scenario name) starts every chart's title. All records are read and checked
/// before anything is drawn. `production_realised.csv` is required; a record that exists but
/// is malformed is an error, while one that was not recorded just leaves its chart out.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = tempfile::tempdir()?;
/// std::fs::create_dir(dir.path().join("records"))?;
/// std::fs::write(
///     dir.path().join("records/production_realised.csv"),
///     "step,north|goods,south|goods\n0,100,50\n1,60,50\n2,90,50\n",
/// )?;
/// let files = hinterland::plot::draw_all(dir.path(), "demo")?;
/// assert_eq!(files, ["plots/production.png", "plots/production.svg"]);
/// # Ok(())
/// # }
/// ```
pub fn draw_all(dir: &Path, title: &str) -> Result<Vec<String>, PlotError> {
    register_embedded_font()?;
    let Some(production) = Table::read_optional(dir, "production_realised")? else {
        return Err(PlotError::MissingRecord {
            path: dir.join("records").join("production_realised.csv"),
        });
    };
    let mut charts = vec![series::production(&production, title)?];
    if let Some(loss) = Table::read_optional(dir, "capacity_loss")? {
        charts.push(series::capacity_loss(&loss, &production, title)?);
    }
    if let Some(unmet) = Table::read_optional(dir, "final_demand_unmet")? {
        charts.push(series::final_demand_unmet(&unmet, title));
    }

    let plots = dir.join("plots");
    fs::create_dir_all(&plots).map_err(|source| PlotError::Io {
        path: plots.clone(),
        source,
    })?;
    let mut written = Vec::with_capacity(2 * charts.len());
    for chart in &charts {
        render::draw(chart, &plots)?;
        written.push(format!("plots/{}.png", chart.name));
        written.push(format!("plots/{}.svg", chart.name));
    }
    Ok(written)
}

/// Register DejaVu Sans as plotters' `sans-serif` once per process, so that no system font
/// is ever looked up (and text looks the same on every machine).
fn register_embedded_font() -> Result<(), PlotError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let registered = *REGISTERED.get_or_init(|| {
        register_font(render::FONT, FontStyle::Normal, dejavu::sans::regular()).is_ok()
            && register_font(render::FONT, FontStyle::Bold, dejavu::sans::bold()).is_ok()
    });
    if registered {
        Ok(())
    } else {
        Err(PlotError::Font)
    }
}

#[cfg(test)]
mod tests;

impl From<crate::table::TableError> for PlotError {
    fn from(err: crate::table::TableError) -> PlotError {
        PlotError::Malformed {
            path: err.path,
            line: err.line.unwrap_or(1),
            column: err.column.unwrap_or(1),
            message: err.message,
        }
    }
}
