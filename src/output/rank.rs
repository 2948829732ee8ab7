//! Writers of a ranking's files: `ranking.csv` (every outage and cut-off with its simulated and
//! structural measures), `loss_by_magnitude.csv` (the top outages at every magnitude),
//! `rank_correlation.csv`, the scenario as run and the manifest.

use std::io::{self, Write};

use super::layout::{LOSS_BY_MAGNITUDE, MANIFEST, RANK_CORRELATION, RANKING, SCENARIO};
use super::manifest::{Manifest, Provenance};
use super::{OutputDir, OutputError};
use crate::explore::rank::{Ranking, Simulated};
use crate::montecarlo::Study;
use crate::table::{Writer, number, optional};

/// The cells of a target's simulated measures, in [`RANKING`]'s order from `va_loss_days`.
fn simulated_cells(simulated: Option<&Simulated>) -> [String; 6] {
    match simulated {
        None => Default::default(),
        Some(s) => [
            number(s.va_loss_days),
            number(s.va_loss_money),
            optional(s.direct_loss_days),
            optional(s.indirect_loss_days),
            number(s.trough),
            s.recovery_days.map_or(String::new(), |d| d.to_string()),
        ],
    }
}

/// `ranking.csv`.
pub fn write_ranking(out: &mut impl Write, ranking: &Ranking) -> io::Result<()> {
    let mut table = Writer::new(out);
    table.row(RANKING.header)?;
    for e in &ranking.entries {
        let s = &e.structural;
        let fixed = [
            e.target.kind.name().to_string(),
            e.rank.to_string(),
            e.region.clone(),
            e.sector.clone(),
            number(e.magnitude),
        ];
        let structural = [
            number(s.out_strength),
            number(s.reach),
            number(s.sole_source_buyers),
            number(s.sole_source_va),
        ];
        let ranks = e.structural_ranks.iter().map(|r| r.to_string());
        table.row(
            fixed
                .into_iter()
                .chain(simulated_cells(e.simulated.as_ref()))
                .chain(structural)
                .chain(ranks),
        )?;
    }
    table.finish()
}

/// `loss_by_magnitude.csv`.
pub fn write_loss_by_magnitude(out: &mut impl Write, ranking: &Ranking) -> io::Result<()> {
    let mut table = Writer::new(out);
    table.row(LOSS_BY_MAGNITUDE.header)?;
    for p in &ranking.curves {
        let rank = ranking
            .entries
            .iter()
            .find(|e| e.target == p.target)
            .map_or(0, |e| e.rank);
        let fixed = [
            rank.to_string(),
            p.region.clone(),
            p.sector.clone(),
            number(p.magnitude),
        ];
        table.row(
            fixed
                .into_iter()
                .chain(simulated_cells(p.simulated.as_ref())),
        )?;
    }
    table.finish()
}

/// `rank_correlation.csv`.
pub fn write_rank_correlation(out: &mut impl Write, ranking: &Ranking) -> io::Result<()> {
    let mut table = Writer::new(out);
    table.row(RANK_CORRELATION.header)?;
    for c in &ranking.correlations {
        table.row([
            c.kind.name().to_string(),
            c.measure.to_string(),
            optional(c.spearman),
            c.n.to_string(),
        ])?;
    }
    table.finish()
}

/// Write every file of a ranking into `dir`; returns their names.
pub fn write_rank_files(
    dir: &OutputDir,
    study: &Study,
    ranking: &Ranking,
    provenance: &Provenance,
) -> Result<Vec<String>, OutputError> {
    let mut written: Vec<String> = Vec::new();
    dir.write_listed(SCENARIO, &mut written, |w| {
        w.write_all(&provenance.scenario)
    })?;
    dir.write_listed(RANKING.name, &mut written, |w| write_ranking(w, ranking))?;
    dir.write_listed(LOSS_BY_MAGNITUDE.name, &mut written, |w| {
        write_loss_by_magnitude(w, ranking)
    })?;
    dir.write_listed(RANK_CORRELATION.name, &mut written, |w| {
        write_rank_correlation(w, ranking)
    })?;
    let manifest = Manifest {
        runs: 1,
        ..Manifest::of(study, provenance, Vec::new())?
    }
    .to_json();
    dir.write_listed(MANIFEST, &mut written, |w| w.write_all(manifest.as_bytes()))?;
    Ok(written)
}
