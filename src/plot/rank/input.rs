//! Reading a ranking's output directory (`ranking.csv`, `loss_by_magnitude.csv`,
//! `manifest.json`) into plain values, checked once: outages come before cut-offs, each kind
//! in rank order from 1; magnitudes are shares of capacity in (0, 1], increasing within an
//! industry's curve; an indirect loss is the total less the direct one; and a malformed cell
//! is a [`PlotError::Malformed`] naming its line and column.

use std::path::{Path, PathBuf};

use crate::output::layout::{LOSS_BY_MAGNITUDE, RANKING};
use crate::plot::PlotError;
use crate::plot::ensemble::input::{Manifest, read_manifest, read_optional, read_required};
use crate::plot::sweep::fields::header_of;
use crate::table::{Row, Table};

/// Everything the charts use, read from one ranking directory.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RankOutput {
    /// The directory, for messages.
    pub dir: PathBuf,
    /// What `manifest.json` says (the scenario name).
    pub manifest: Manifest,
    /// The lines of `ranking.csv`: outages in rank order, then cut-offs in rank order.
    pub ranking: Vec<Ranked>,
    /// The lines of `loss_by_magnitude.csv` (empty without the file).
    pub by_magnitude: Vec<MagnitudeRow>,
}

/// What is done to an industry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A domestic industry loses capacity.
    Outage,
    /// A foreign block × sector stops selling to domestic firms.
    Cutoff,
}

impl Kind {
    /// Both, in file order.
    pub const ALL: [Kind; 2] = [Kind::Outage, Kind::Cutoff];

    /// The name `ranking.csv` uses.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Outage => "outage",
            Kind::Cutoff => "cutoff",
        }
    }
}

/// The simulated national loss of one outage or cut-off, in days of baseline national value
/// added.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Loss {
    /// The whole loss (`None`: the run gave no value-added series).
    pub total: Option<f64>,
    /// The capacity removed or the inputs not received.
    pub direct: Option<f64>,
    /// What spread through the network: `total − direct` (negative when the network made up
    /// part of the direct loss).
    pub indirect: Option<f64>,
}

/// One line of `ranking.csv`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ranked {
    /// Outage or cut-off.
    pub kind: Kind,
    /// Place by the loss among targets of its kind, from 1.
    pub rank: usize,
    /// The region (a foreign block for a cut-off).
    pub region: String,
    /// The sector.
    pub sector: String,
    /// Share of capacity lost.
    pub magnitude: f64,
    /// The simulated loss.
    pub loss: Loss,
    /// Places by out-strength, reach and sole-source value added among targets of its kind.
    pub structural_ranks: StructuralRanks,
}

/// A target's places by the structural measures (1 = largest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StructuralRanks {
    /// By out-strength.
    pub out_strength: usize,
    /// By reach.
    pub reach: usize,
    /// By sole-source value added.
    pub sole_source_va: usize,
}

/// One line of `loss_by_magnitude.csv`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MagnitudeRow {
    /// The industry's place in the ranking.
    pub rank: usize,
    /// The region.
    pub region: String,
    /// The sector.
    pub sector: String,
    /// Share of capacity lost.
    pub magnitude: f64,
    /// The simulated loss.
    pub loss: Loss,
}

impl RankOutput {
    /// Read and check the ranking directory `dir`.
    pub fn read(dir: &Path) -> Result<RankOutput, PlotError> {
        let manifest = read_manifest(dir)?;
        let path = dir.join(RANKING.name);
        let ranking = parse_ranking(&read_required(&path)?, &path)?;
        let path = dir.join(LOSS_BY_MAGNITUDE.name);
        let by_magnitude = read_optional(&path)?
            .map(|text| parse_by_magnitude(&text, &path))
            .transpose()?
            .unwrap_or_default();
        Ok(RankOutput {
            dir: dir.to_path_buf(),
            manifest,
            ranking,
            by_magnitude,
        })
    }

    /// The lines of `kind`, in rank order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Ranked> {
        self.ranking.iter().filter(move |r| r.kind == kind)
    }
}

/// The columns of the loss, from `va_loss_days` to `recovery_days`, which both files share.
struct LossColumns {
    total: usize,
    money: usize,
    direct: usize,
    indirect: usize,
    trough: usize,
    recovery_days: usize,
}

impl LossColumns {
    /// The loss of `row`, every cell checked; the indirect loss must be the total less the
    /// direct one.
    fn read(&self, row: &Row) -> Result<Loss, PlotError> {
        let loss = Loss {
            total: row.optional_number(self.total)?,
            direct: row.optional_number(self.direct)?,
            indirect: row.optional_number(self.indirect)?,
        };
        row.optional_number(self.money)?;
        row.optional_number(self.trough)?;
        if !row.text(self.recovery_days).trim().is_empty() {
            row.count(self.recovery_days)?;
        }
        if let Loss {
            total: Some(total),
            direct: Some(direct),
            indirect: Some(indirect),
        } = loss
        {
            let scale = total.abs().max(direct.abs()).max(f64::MIN_POSITIVE);
            if (direct + indirect - total).abs() > 1e-9 * scale {
                return Err(PlotError::from(row.error(
                    self.indirect,
                    format!(
                        "indirect loss {indirect} is not the total loss {total} less the \
                         direct loss {direct}"
                    ),
                )));
            }
        }
        Ok(loss)
    }
}

/// A share of capacity in (0, 1] in field `index` of `row`.
fn magnitude(row: &Row, index: usize) -> Result<f64, PlotError> {
    let value = row.number(index)?;
    if value > 0.0 && value <= 1.0 {
        Ok(value)
    } else {
        Err(PlotError::from(row.error(
            index,
            format!("magnitude {value} is not a share of capacity in (0, 1]"),
        )))
    }
}

/// The lines of `ranking.csv`'s text.
pub(super) fn parse_ranking(text: &str, path: &Path) -> Result<Vec<Ranked>, PlotError> {
    let csv = Table::parse(text.as_bytes(), path)?;
    let [
        kind,
        rank,
        region,
        sector,
        magnitude_column,
        total,
        money,
        direct,
        indirect,
        trough,
        recovery_days,
        out_strength,
        reach,
        sole_source_buyers,
        sole_source_va,
        rank_out_strength,
        rank_reach,
        rank_sole_source_va,
    ] = csv.columns(header_of(&RANKING))?;
    let loss = LossColumns {
        total,
        money,
        direct,
        indirect,
        trough,
        recovery_days,
    };
    let mut rows: Vec<Ranked> = Vec::with_capacity(csv.rows().len());
    for row in csv.rows() {
        let kind_text = row.name(kind)?.trim();
        let Some(this_kind) = Kind::ALL.into_iter().find(|k| k.name() == kind_text) else {
            return Err(PlotError::from(row.error(
                kind,
                format!("expected outage or cutoff, found {kind_text:?}"),
            )));
        };
        let last = rows.last();
        if this_kind == Kind::Outage && last.is_some_and(|r| r.kind == Kind::Cutoff) {
            return Err(PlotError::from(
                row.error(kind, "an outage after the cut-offs: outages come first"),
            ));
        }
        let place = row.count(rank)?;
        let expected = last
            .filter(|r| r.kind == this_kind)
            .map_or(1, |r| r.rank + 1);
        if place != expected {
            return Err(PlotError::from(row.error(
                rank,
                format!(
                    "rank {place} where rank {expected} of the {kind_text}s was expected: each \
                     kind's rows are in rank order from 1"
                ),
            )));
        }
        for column in [out_strength, reach, sole_source_buyers, sole_source_va] {
            row.optional_number(column)?;
        }
        rows.push(Ranked {
            kind: this_kind,
            rank: place,
            region: row.name(region)?.to_string(),
            sector: row.name(sector)?.to_string(),
            magnitude: magnitude(row, magnitude_column)?,
            loss: loss.read(row)?,
            structural_ranks: StructuralRanks {
                out_strength: row.count(rank_out_strength)?,
                reach: row.count(rank_reach)?,
                sole_source_va: row.count(rank_sole_source_va)?,
            },
        });
    }
    Ok(rows)
}

/// The lines of `loss_by_magnitude.csv`'s text.
pub(super) fn parse_by_magnitude(text: &str, path: &Path) -> Result<Vec<MagnitudeRow>, PlotError> {
    let csv = Table::parse(text.as_bytes(), path)?;
    let [
        rank,
        region,
        sector,
        magnitude_column,
        total,
        money,
        direct,
        indirect,
        trough,
        recovery_days,
    ] = csv.columns(header_of(&LOSS_BY_MAGNITUDE))?;
    let loss = LossColumns {
        total,
        money,
        direct,
        indirect,
        trough,
        recovery_days,
    };
    let mut rows: Vec<MagnitudeRow> = Vec::with_capacity(csv.rows().len());
    for row in csv.rows() {
        let this = MagnitudeRow {
            rank: row.count(rank)?,
            region: row.name(region)?.to_string(),
            sector: row.name(sector)?.to_string(),
            magnitude: magnitude(row, magnitude_column)?,
            loss: loss.read(row)?,
        };
        let same = |r: &MagnitudeRow| r.region == this.region && r.sector == this.sector;
        match rows.last() {
            Some(last) if same(last) && last.magnitude >= this.magnitude => {
                return Err(PlotError::from(row.error(
                    magnitude_column,
                    format!(
                        "magnitude {} after {}: an industry's magnitudes must increase",
                        this.magnitude, last.magnitude
                    ),
                )));
            }
            Some(last) if !same(last) && rows.iter().any(same) => {
                return Err(PlotError::from(row.error(
                    sector,
                    format!(
                        "industry {} · {} again after other industries: its rows must be \
                         together",
                        this.region, this.sector
                    ),
                )));
            }
            _ => {}
        }
        rows.push(this);
    }
    Ok(rows)
}
