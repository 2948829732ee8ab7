//! Writing a study's results into an output directory under construction.
//!
//! | path | content |
//! |---|---|
//! | `scenario.ron` | the scenario file as run |
//! | `draws.csv` | `run,shock,parameter,value`: every value drawn for the scenario shocks |
//! | `runs.csv`, `summary.csv`, `daily.csv`, `industry_loss.csv` | the ensemble's metrics and statistics |
//! | `policies.csv` | with backups or reserves: per run and policy, activation day, activations, output or release, holding and activation costs |
//! | `records/<record>.csv` | one run: its daily records |
//! | `runs/<k>/records/<record>.csv` | several runs, with records kept: run `k`'s records (`k` zero-padded to 4 digits) |
//! | `manifest.json` | how the directory was made |

use super::ensemble as files;
use super::layout::{
    DAILY, DRAWS, INDUSTRY_LOSS, MANIFEST, POLICIES, RUNS, SCENARIO, SUMMARY, records_dir,
    variant_dir,
};
use super::manifest::{Manifest, Provenance};
use super::{OutputDir, OutputError, write_record};
use crate::montecarlo::{Ensemble, Study};

/// Write every file of a study's results (all but the charts and the report, which are drawn
/// from these files); the relative paths written, in order.
pub fn write_study(
    dir: &OutputDir,
    study: &Study,
    ensemble: &Ensemble,
    provenance: &Provenance,
) -> Result<Vec<String>, OutputError> {
    let model = study.model();
    let mut written: Vec<String> = Vec::new();
    dir.write_listed(SCENARIO, &mut written, |w| {
        std::io::Write::write_all(w, &provenance.scenario)
    })?;
    dir.write_listed(DRAWS.name, &mut written, |w| {
        files::write_draws(w, &ensemble.draws)
    })?;
    let summaries: Vec<(String, &[_], &[_])> = ensemble
        .variants
        .iter()
        .map(|v| (v.name.clone(), v.runs.as_slice(), v.failures.as_slice()))
        .collect();
    dir.write_listed(RUNS.name, &mut written, |w| {
        files::write_runs(w, study.seed(), &summaries)
    })?;
    let statistics: Vec<(&str, &_)> = ensemble
        .variants
        .iter()
        .map(|v| (v.name.as_str(), &v.statistics))
        .collect();
    dir.write_listed(SUMMARY.name, &mut written, |w| {
        files::write_summary(w, &statistics, study.economy().unit())
    })?;
    let daily: Vec<(&str, &_)> = ensemble
        .variants
        .iter()
        .map(|v| (v.name.as_str(), &v.bands))
        .collect();
    dir.write_listed(DAILY.name, &mut written, |w| {
        files::write_daily(w, &daily, study.economy().unit())
    })?;
    let industry: Vec<(&str, &[f64])> = ensemble
        .variants
        .iter()
        .map(|v| (v.name.as_str(), v.industry_loss.as_slice()))
        .collect();
    let layout = &ensemble.layout;
    dir.write_listed(INDUSTRY_LOSS.name, &mut written, |w| {
        files::write_industry_loss(
            w,
            &layout.regions,
            &layout.domestic,
            &layout.sectors,
            &industry,
        )
    })?;
    if model.has_policies() {
        let policies: Vec<(&str, &[_])> = ensemble
            .variants
            .iter()
            .map(|v| (v.name.as_str(), v.policies.as_slice()))
            .collect();
        dir.write_listed(POLICIES.name, &mut written, |w| {
            files::write_policies(w, &policies)
        })?;
    }
    for (run, records) in ensemble.records.iter().enumerate() {
        let folder = records_dir(study.runs(), run);
        for record in records {
            let name = format!("{folder}/{}.csv", record.kind.file_stem());
            dir.write_listed(&name, &mut written, |w| write_record(record, w))?;
        }
    }
    // `--variant-records`: every other variant's, under variants/<v>-<name>/
    for (v, runs) in ensemble.variant_records.iter().enumerate() {
        let variant = variant_dir(v + 1, &ensemble.variants[v + 1].name);
        for (run, records) in runs.iter().enumerate() {
            let folder = records_dir(study.runs(), run);
            for record in records {
                let name = format!("{variant}{folder}/{}.csv", record.kind.file_stem());
                dir.write_listed(&name, &mut written, |w| write_record(record, w))?;
            }
        }
    }
    // the table folder and a checksum of every file read from it: `run --reproduce` checks
    // them before it runs again
    let variants = ensemble.variants.iter().map(|v| v.name.clone()).collect();
    let manifest = Manifest {
        grid: Vec::new(),
        warnings: study
            .warnings()
            .into_iter()
            .chain(provenance.warnings.iter().cloned())
            .collect(),
        ..Manifest::of(study, provenance, variants)?
    }
    .to_json();
    dir.write_listed(MANIFEST, &mut written, |w| {
        std::io::Write::write_all(w, manifest.as_bytes())
    })?;
    Ok(written)
}
