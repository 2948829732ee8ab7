//! `trajectories.nc` (`run --trajectories`): every run's daily series, for every variant, in
//! one NetCDF-3 file that xarray opens as a labelled dataset.
//!
//! Dimensions `variant`, `run`, `day`, `region`, `sector`, `demand_region`, each with a
//! coordinate variable (names as text). Data variables, each `(variant, run, day[, …])`:
//!
//! | variable | extra dimension | unit |
//! |---|---|---|
//! | `va_national` | | domestic value added / its baseline |
//! | `va_region` | `region` | the region's value added / its baseline |
//! | `va_sector` | `sector` | the domestic sector's value added / its baseline |
//! | `unmet_demand` | `demand_region` | final demand not served, money per day |
//! | `backup_output` | | output of every backup unit, money per day |
//! | `backup_active` | | share of backup units producing |
//! | `reserve_stock` | | stock of every reserve, money |
//!
//! A variant without backups or reserves has zeros in their series.
//!
//! Each run is written as soon as it finishes, at its place in the file: memory holds one run,
//! and the file's bytes are the same whatever the number of threads.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::netcdf::{Schema, Type, Writer};
use super::{OutputDir, OutputError};
use crate::metrics::ensemble::{Layout, RunSummary};
use crate::montecarlo::RunSink;

/// The file's name in the output folder.
pub const TRAJECTORIES: &str = "trajectories.nc";

/// Indices of the data variables.
#[derive(Debug)]
struct Vars {
    national: usize,
    region: usize,
    sector: usize,
    unmet: usize,
    backup_output: usize,
    backup_active: usize,
    reserve_stock: usize,
}

/// `trajectories.nc` being filled run by run.
#[derive(Debug)]
pub struct Trajectories {
    writer: Writer,
    vars: Vars,
    runs: usize,
    days: usize,
    /// Region, sector and demand-region counts.
    widths: [usize; 3],
    /// The first write that failed.
    failed: Mutex<Option<std::io::Error>>,
    shown: PathBuf,
}

impl Trajectories {
    /// Create the file in `dir` for `runs` runs of `days` days of each of `variants`, its
    /// coordinates written; `money` is the economy's money unit.
    pub fn create(
        dir: &OutputDir,
        layout: &Layout,
        variants: &[String],
        runs: usize,
        days: usize,
        money: Option<&str>,
    ) -> Result<Trajectories, OutputError> {
        let shown = dir.destination().join(TRAJECTORIES);
        let fail = |e: std::io::Error| OutputError::Unusable {
            path: shown.clone(),
            message: e.to_string(),
        };
        let money = money.unwrap_or("money");
        let per_day = format!("{money} per day");
        let mut s = Schema {
            attributes: vec![
                (
                    "title".into(),
                    "hinterland run: daily series of every run of every variant".into(),
                ),
                (
                    "source".into(),
                    format!("hinterland {}", env!("CARGO_PKG_VERSION")),
                ),
                ("Conventions".into(), "CF-1.8".into()),
            ],
            ..Schema::default()
        };
        let labels: [(&str, Vec<String>); 4] = [
            ("variant", variants.to_vec()),
            ("region", layout.regions.clone()),
            ("sector", layout.sectors.clone()),
            ("demand_region", layout.demand_regions.clone()),
        ];
        let variant = s.dim("variant", variants.len());
        let run = s.dim("run", runs);
        let day = s.dim("day", days);
        let mut label_dims = Vec::new();
        for (name, names) in &labels[1..] {
            label_dims.push(s.dim(name, names.len()));
        }
        let [region, sector, demand] = [label_dims[0], label_dims[1], label_dims[2]];
        // coordinates: text of the longest name's width (NetCDF-3 has no strings)
        let mut coordinates = Vec::new();
        for (k, (name, names)) in labels.iter().enumerate() {
            let width = names.iter().map(|n| n.len()).max().unwrap_or(1).max(1);
            let chars = s.dim(&format!("{name}_chars"), width);
            let along = [variant, region, sector, demand][k];
            coordinates.push((
                s.variable(name, &[along, chars], Type::Char, &[("_Encoding", "utf-8")]),
                names.clone(),
            ));
        }
        let run_var = s.variable(
            "run",
            &[run],
            Type::Int,
            &[("long_name", "Monte Carlo run")],
        );
        let day_var = s.variable(
            "day",
            &[day],
            Type::Int,
            &[
                ("long_name", "day of the run, 0 the baseline day"),
                ("units", "day"),
            ],
        );
        let lead = [variant, run, day];
        let with = |extra: usize| [variant, run, day, extra];
        let vars = Vars {
            national: s.variable(
                "va_national",
                &lead,
                Type::Double,
                &[
                    ("long_name", "domestic value added / baseline"),
                    ("units", "1"),
                ],
            ),
            region: s.variable(
                "va_region",
                &with(region),
                Type::Double,
                &[
                    ("long_name", "value added of the region / its baseline"),
                    ("units", "1"),
                ],
            ),
            sector: s.variable(
                "va_sector",
                &with(sector),
                Type::Double,
                &[
                    (
                        "long_name",
                        "domestic value added of the sector / its baseline",
                    ),
                    ("units", "1"),
                ],
            ),
            unmet: s.variable(
                "unmet_demand",
                &with(demand),
                Type::Double,
                &[
                    ("long_name", "final demand not served"),
                    ("units", &per_day),
                ],
            ),
            backup_output: s.variable(
                "backup_output",
                &lead,
                Type::Double,
                &[
                    ("long_name", "output of every backup unit"),
                    ("units", &per_day),
                ],
            ),
            backup_active: s.variable(
                "backup_active",
                &lead,
                Type::Double,
                &[
                    ("long_name", "share of backup units producing"),
                    ("units", "1"),
                ],
            ),
            reserve_stock: s.variable(
                "reserve_stock",
                &lead,
                Type::Double,
                &[("long_name", "stock of every reserve"), ("units", money)],
            ),
        };
        let path = dir.path().join(TRAJECTORIES);
        let writer = Writer::create(&path, s).map_err(fail)?;
        for (v, names) in &coordinates {
            writer.write_text(*v, names).map_err(fail)?;
        }
        let count = |n: usize| (0..n).map(|k| k as f64).collect::<Vec<f64>>();
        writer.write(run_var, 0, &count(runs)).map_err(fail)?;
        writer.write(day_var, 0, &count(days)).map_err(fail)?;
        Ok(Trajectories {
            writer,
            vars,
            runs,
            days,
            widths: [
                layout.regions.len(),
                layout.sectors.len(),
                layout.demand_regions.len(),
            ],
            failed: Mutex::new(None),
            shown,
        })
    }

    /// Write one simulation's series.
    fn write(&self, variant: usize, run: usize, summary: &RunSummary) -> std::io::Result<()> {
        let slab = (variant * self.runs + run) as u64;
        let days = self.days;
        let series = |values: &[f64]| -> std::io::Result<Vec<f64>> {
            if values.len() == days {
                Ok(values.to_vec())
            } else if values.is_empty() {
                // a variant without backups or reserves
                Ok(vec![0.0; days])
            } else {
                Err(std::io::Error::other(format!(
                    "a series of {} days, not {days}",
                    values.len()
                )))
            }
        };
        // day-major: the day's values of every region, then the next day's
        let by_day = |columns: &[Vec<f64>], width: usize| -> std::io::Result<Vec<f64>> {
            if columns.len() != width || columns.iter().any(|c| c.len() != days) {
                return Err(std::io::Error::other(
                    "series do not match the file's dimensions",
                ));
            }
            Ok((0..days)
                .flat_map(|d| columns.iter().map(move |c| c[d]))
                .collect())
        };
        let w = &self.writer;
        let day_slab = slab * days as u64;
        w.write(self.vars.national, day_slab, &series(&summary.national)?)?;
        w.write(
            self.vars.backup_output,
            day_slab,
            &series(&summary.backup_output)?,
        )?;
        w.write(
            self.vars.backup_active,
            day_slab,
            &series(&summary.backup_active)?,
        )?;
        w.write(
            self.vars.reserve_stock,
            day_slab,
            &series(&summary.reserve_stock)?,
        )?;
        let [regions, sectors, demand] = self.widths;
        w.write(
            self.vars.region,
            day_slab * regions as u64,
            &by_day(&summary.regions, regions)?,
        )?;
        w.write(
            self.vars.sector,
            day_slab * sectors as u64,
            &by_day(&summary.sectors, sectors)?,
        )?;
        w.write(
            self.vars.unmet,
            day_slab * demand as u64,
            &by_day(&summary.unmet, demand)?,
        )?;
        Ok(())
    }

    /// Close the file, or the first error any write met.
    pub fn finish(self) -> Result<(), OutputError> {
        let failed = self.failed.into_inner().unwrap_or_else(|e| e.into_inner());
        failed
            .map_or_else(|| self.writer.finish(), Err)
            .map_err(|e| OutputError::Unusable {
                path: self.shown.clone(),
                message: e.to_string(),
            })
    }

    /// The file's path as it will be.
    pub fn path(&self) -> &Path {
        &self.shown
    }
}

impl RunSink for Trajectories {
    fn run_done(&self, variant: usize, run: usize, summary: &RunSummary) {
        if let Err(e) = self.write(variant, run, summary) {
            let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
            failed.get_or_insert(e);
        }
    }

    /// A failed run's series are NaN, every day (not the zeros of a slab never written).
    fn run_failed(&self, variant: usize, run: usize) {
        let days = self.days;
        let nan = |n: usize| vec![vec![f64::NAN; days]; n];
        let [regions, sectors, demand] = self.widths;
        let summary = RunSummary {
            national: vec![f64::NAN; days],
            regions: nan(regions),
            sectors: nan(sectors),
            backup_output: vec![f64::NAN; days],
            backup_active: vec![f64::NAN; days],
            unmet: nan(demand),
            reserve_stock: vec![f64::NAN; days],
            ..RunSummary::failed()
        };
        self.run_done(variant, run, &summary);
    }
}
