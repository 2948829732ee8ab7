//! The critical-industry list (关键产业备份清单): every domestic industry (region × sector)
//! given the same standard outage, every foreign block × sector the same cut-off, each
//! simulated once on the scenario's economy and dynamics without its shocks and policies, and
//! ranked by the national value-added loss it causes; beside it the structural measures of
//! the network ([`structural`]) and their rank correlation with the simulated loss; and for
//! the top industries the loss against the outage's magnitude, to show where it turns
//! non-linear. See `docs/ranking.md`.
//!
//! - **Outage** of industry `i` at magnitude `m`: every firm of `i` loses the share `m` of its
//!   capacity from `start_day` for `duration_days`, then has it back the next day.
//! - **Cut-off** of foreign block × sector `i`: every link from `i`'s firms to a domestic
//!   buyer delivers nothing from `start_day` for `cutoff_days` (households' imports are not
//!   cut). Cut-offs last longer than outages by default: a month without one block's
//!   supplies is absorbed by stocks and other suppliers.
//!
//! Each target is one deterministic run (nothing is drawn), so the ranking is the same bytes
//! with any number of threads.

pub mod structural;

pub use structural::{DAMPING, Structural, spearman};

use crate::economy::Economy;
use crate::engine::StepParams;
use crate::interrupt::Interrupted;
use crate::kinds::{RecordKind, RecoveryFunction};
use crate::metrics::Record;
use crate::metrics::ensemble::Layout;
use crate::montecarlo::Study;
use crate::shocks::{CapacityShock, LinkShock, Shocks};

/// What the ranking simulates.
#[derive(Debug, Clone, PartialEq)]
pub struct RankOptions {
    /// Days each outage lasts.
    pub duration_days: u32,
    /// Days each cut-off lasts.
    pub cutoff_days: u32,
    /// First day of the outage (≥ 1; day 0 is the baseline).
    pub start_day: u32,
    /// Shares of capacity lost, increasing, in (0, 1]: the ranking uses the largest, the
    /// curves every one.
    pub magnitudes: Vec<f64>,
    /// Top domestic industries whose loss is simulated at every magnitude.
    pub curves: usize,
    /// Also rank the cut-offs of foreign blocks × sectors.
    pub foreign: bool,
}

impl Default for RankOptions {
    fn default() -> RankOptions {
        RankOptions {
            duration_days: DEFAULT_DURATION_DAYS,
            cutoff_days: DEFAULT_CUTOFF_DAYS,
            start_day: DEFAULT_START_DAY,
            magnitudes: DEFAULT_MAGNITUDES.to_vec(),
            curves: DEFAULT_CURVES,
            foreign: true,
        }
    }
}

/// Days of the standard outage (the 30 days: about a month's lockdown or repair).
pub const DEFAULT_DURATION_DAYS: u32 = 30;
/// Days of the standard cut-off: the short end of the 180 to 330 days that
/// `scenarios/chip-embargo.ron` assumes for a technology embargo (30 days of one block's
/// supplies are absorbed by stocks and other suppliers on the default Chinese economy:
/// `docs/ranking.md`).
pub const DEFAULT_CUTOFF_DAYS: u32 = 180;
/// First day of the outage.
pub const DEFAULT_START_DAY: u32 = 1;
/// Shares of capacity lost the curves are drawn at; the ranking uses the largest.
pub const DEFAULT_MAGNITUDES: [f64; 4] = [0.25, 0.5, 0.75, 1.0];
/// Top domestic industries with a loss-by-magnitude curve.
pub const DEFAULT_CURVES: usize = 6;

/// A gap below this share of its largest counts as closed ([`Simulated::recovery_days`]).
pub const RECOVERED_SHARE: f64 = 0.01;

/// What is done to an industry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TargetKind {
    /// A domestic industry loses capacity.
    Outage,
    /// A foreign block × sector stops selling to domestic firms.
    Cutoff,
}

impl TargetKind {
    /// The name the tables use.
    pub fn name(self) -> &'static str {
        match self {
            TargetKind::Outage => "outage",
            TargetKind::Cutoff => "cutoff",
        }
    }
}

/// One industry and what is done to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    /// Outage or cut-off.
    pub kind: TargetKind,
    /// The industry (`region · sectors + sector`).
    pub industry: usize,
}

/// The simulated national measures of one target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Simulated {
    /// Domestic value-added loss, in days of baseline domestic value added.
    pub va_loss_days: f64,
    /// The same in the table's money unit.
    pub va_loss_money: f64,
    /// The capacity removed (outages) or the inputs not received (cut-offs), valued as the
    /// metric `direct_loss`, in days of baseline value added.
    pub direct_loss_days: Option<f64>,
    /// `va_loss_days − direct_loss_days`: what spread through the network.
    pub indirect_loss_days: Option<f64>,
    /// Lowest domestic value added / baseline.
    pub trough: f64,
    /// Days from the first day of the outage until the gap of domestic value added below
    /// baseline stays under [`RECOVERED_SHARE`] of its largest (`Some(0)`: no gap; `None`:
    /// not within the run).
    pub recovery_days: Option<u32>,
}

/// One ranked target.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The industry and what is done to it.
    pub target: Target,
    /// Region name.
    pub region: String,
    /// Sector name.
    pub sector: String,
    /// Share of capacity lost (1 for a cut-off).
    pub magnitude: f64,
    /// The simulated measures (`None`: the run gave no finite value-added series).
    pub simulated: Option<Simulated>,
    /// The structural measures.
    pub structural: Structural,
    /// Place by `va_loss_days` among targets of its kind, from 1.
    pub rank: usize,
    /// Places by out-strength, reach and sole-source share (`sole_source_va`), among targets
    /// of its kind (ties share the better place).
    pub structural_ranks: [usize; 3],
}

/// The structural measures ranked beside the loss, in [`Entry::structural_ranks`] order.
pub const STRUCTURAL_MEASURES: [&str; 3] = ["out_strength", "reach", "sole_source_va"];

/// One point of a loss-by-magnitude curve.
#[derive(Debug, Clone, PartialEq)]
pub struct CurvePoint {
    /// The industry.
    pub target: Target,
    /// Region name.
    pub region: String,
    /// Sector name.
    pub sector: String,
    /// Share of capacity lost.
    pub magnitude: f64,
    /// The simulated measures.
    pub simulated: Option<Simulated>,
}

/// Spearman's rank correlation between the simulated loss and one structural measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Correlation {
    /// Among outages or among cut-offs.
    pub kind: TargetKind,
    /// The structural measure ([`STRUCTURAL_MEASURES`]).
    pub measure: &'static str,
    /// The correlation (`None`: fewer than 3 targets, or a measure that does not vary).
    pub spearman: Option<f64>,
    /// Targets compared.
    pub n: usize,
}

/// The ranking of a scenario's economy.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// Outages in rank order, then cut-offs in rank order.
    pub entries: Vec<Entry>,
    /// The top outages at every magnitude, industry by industry in rank order, magnitudes
    /// increasing.
    pub curves: Vec<CurvePoint>,
    /// Loss against each structural measure, outages then cut-offs.
    pub correlations: Vec<Correlation>,
    /// What was simulated.
    pub options: RankOptions,
}

/// The records a ranking needs of each run.
const KINDS: [RecordKind; 3] = [
    RecordKind::ValueAdded,
    RecordKind::CapacityLoss,
    RecordKind::InputsBlocked,
];

/// Rank every domestic industry's outage (and every foreign block × sector's cut-off) of
/// `study`'s economy, with its dynamics and days. `options` must be valid: magnitudes
/// increasing in (0, 1], and the outage ending before the last day (the command checks).
pub fn rank(study: &Study, options: &RankOptions) -> Result<Ranking, Interrupted> {
    let economy = study.economy();
    let domestic = study.kinds().domestic();
    let layout = Layout::new(economy, study.kinds());
    let critical = StepParams::new(study.model().dynamics(), economy).critical_inputs(economy);
    let structure = structural::structural(economy, &domestic, &critical);
    let magnitude = options.magnitudes.last().copied().unwrap_or(1.0);
    let buyers: Vec<u32> = economy.link_buyers().collect();
    let world = World {
        economy,
        domestic: &domestic,
        buyers: &buyers,
    };
    let targets = targets(&world, options.foreign);
    let shocks: Vec<Shocks> = targets
        .iter()
        .map(|target| world.shocks(*target, magnitude, options))
        .collect();
    let start = options.start_day as usize;
    let summarize = |_: usize, records: Vec<Record>| simulated(&layout, &records, start);
    let what = format!("{} outages and cut-offs", targets.len());
    let results = study.map_shocks(shocks, &KINDS, &what, summarize)?;
    let label = |industry: usize| {
        (
            economy.regions()[economy.industry_region(industry)].clone(),
            economy.sectors()[economy.industry_sector(industry)].clone(),
        )
    };
    let mut entries: Vec<Entry> = targets
        .iter()
        .zip(results)
        .map(|(target, simulated)| {
            let (region, sector) = label(target.industry);
            Entry {
                target: *target,
                region,
                sector,
                magnitude: if target.kind == TargetKind::Outage {
                    magnitude
                } else {
                    1.0
                },
                simulated,
                structural: structure[target.industry],
                rank: 0,
                structural_ranks: [0; 3],
            }
        })
        .collect();
    order(&mut entries);
    let correlations = correlations(&entries);
    let curves = curves(study, &world, &entries, options, &layout)?;
    Ok(Ranking {
        entries,
        curves,
        correlations,
        options: options.clone(),
    })
}

/// The economy as the targets are made on it.
struct World<'a> {
    economy: &'a Economy,
    /// Whether each region is domestic.
    domestic: &'a [bool],
    /// The buyer of every link.
    buyers: &'a [u32],
}

/// Every domestic industry with output, then (with `foreign`) every foreign industry that
/// sells to a domestic firm.
fn targets(world: &World, foreign: bool) -> Vec<Target> {
    let (economy, domestic) = (world.economy, world.domestic);
    let output = economy.industry_output();
    let outages = (0..economy.n_industries())
        .filter(|&i| domestic[economy.industry_region(i)])
        .filter(|&i| output[i] > 0.0 && !economy.firms_of(i).is_empty())
        .map(|industry| Target {
            kind: TargetKind::Outage,
            industry,
        });
    let mut targets: Vec<Target> = outages.collect();
    if foreign {
        for industry in 0..economy.n_industries() {
            if domestic[economy.industry_region(industry)] {
                continue;
            }
            if !world.cut_links(industry).is_empty() {
                targets.push(Target {
                    kind: TargetKind::Cutoff,
                    industry,
                });
            }
        }
    }
    targets
}

impl World<'_> {
    /// Links from `industry`'s firms to domestic buyers, sorted.
    fn cut_links(&self, industry: usize) -> Vec<u32> {
        let (economy, buyers, domestic) = (self.economy, self.buyers, self.domestic);
        let (sales, sales_link) = (economy.firm_sales(), economy.sales_link());
        let mut links: Vec<u32> = economy
            .firms_of(industry)
            .flat_map(|f| sales_link[sales[f] as usize..sales[f + 1] as usize].iter())
            .copied()
            .filter(|&l| {
                let buyer = buyers[l as usize] as usize;
                domestic[economy.industry_region(economy.firm_industry()[buyer] as usize)]
            })
            .collect();
        links.sort_unstable();
        links
    }

    /// The shocks of `target` at `magnitude`.
    fn shocks(&self, target: Target, magnitude: f64, options: &RankOptions) -> Shocks {
        let economy = self.economy;
        let (start_day, duration_days) = (options.start_day, options.duration_days);
        match target.kind {
            TargetKind::Outage => Shocks {
                capacity: vec![CapacityShock {
                    name: "outage".into(),
                    start_day,
                    duration_days,
                    function: RecoveryFunction::Linear,
                    tau_days: 1,
                    firms: economy
                        .firms_of(target.industry)
                        .map(|f| (f as u32, magnitude))
                        .collect(),
                }],
                ..Shocks::default()
            },
            TargetKind::Cutoff => Shocks {
                links: vec![LinkShock {
                    name: "cutoff".into(),
                    start_day,
                    duration_days: options.cutoff_days,
                    function: RecoveryFunction::Linear,
                    tau_days: 1,
                    links: self.cut_links(target.industry),
                }],
                ..Shocks::default()
            },
        }
    }
}

/// The simulated measures of one run's records (`start`: the outage's first day).
fn simulated(layout: &Layout, records: &[Record], start: usize) -> Option<Simulated> {
    let summary = layout.summarize_run(records, 0.0, 0.0, 0.0);
    let metric = |name: &str| summary.metrics.get(name);
    Some(Simulated {
        va_loss_days: metric("va_loss_days")?,
        va_loss_money: metric("va_loss_money")?,
        direct_loss_days: metric("direct_loss"),
        indirect_loss_days: metric("indirect_loss"),
        trough: metric("trough")?,
        recovery_days: recovery_days(&summary.national, start),
    })
}

/// See [`Simulated::recovery_days`]; `national` is value added / baseline per day.
pub fn recovery_days(national: &[f64], start: usize) -> Option<u32> {
    let gaps: Vec<f64> = national.iter().skip(start).map(|v| 1.0 - v).collect();
    let largest = gaps.iter().copied().fold(0.0, f64::max);
    if largest <= 0.0 {
        return Some(0);
    }
    let last_open = gaps.iter().rposition(|&g| g > RECOVERED_SHARE * largest)?;
    if last_open + 1 == gaps.len() {
        return None;
    }
    u32::try_from(last_open + 1).ok()
}

/// Sort `entries` (outages, then cut-offs; each by loss, largest first, ties and runs without
/// a series in industry order) and set their ranks.
fn order(entries: &mut [Entry]) {
    let loss = |e: &Entry| e.simulated.map_or(f64::NEG_INFINITY, |s| s.va_loss_days);
    entries.sort_by(|a, b| {
        a.target
            .kind
            .cmp(&b.target.kind)
            .then(loss(b).total_cmp(&loss(a)))
            .then(a.target.industry.cmp(&b.target.industry))
    });
    for kind in [TargetKind::Outage, TargetKind::Cutoff] {
        let of_kind: Vec<usize> = (0..entries.len())
            .filter(|&k| entries[k].target.kind == kind)
            .collect();
        for (place, &k) in of_kind.iter().enumerate() {
            entries[k].rank = place + 1;
        }
        for m in 0..STRUCTURAL_MEASURES.len() {
            let values: Vec<f64> = of_kind
                .iter()
                .map(|&k| structural_value(&entries[k].structural, m))
                .collect();
            for (&k, value) in of_kind.iter().zip(&values) {
                // competition ranking: 1 + the number of strictly larger values
                entries[k].structural_ranks[m] = 1 + values.iter().filter(|v| *v > value).count();
            }
        }
    }
}

/// Structural measure `m` of [`STRUCTURAL_MEASURES`].
pub fn structural_value(structural: &Structural, m: usize) -> f64 {
    match m {
        0 => structural.out_strength,
        1 => structural.reach,
        _ => structural.sole_source_va,
    }
}

fn correlations(entries: &[Entry]) -> Vec<Correlation> {
    let mut all = Vec::new();
    for kind in [TargetKind::Outage, TargetKind::Cutoff] {
        let of_kind: Vec<(&Entry, f64)> = entries
            .iter()
            .filter(|e| e.target.kind == kind)
            .filter_map(|e| Some((e, e.simulated?.va_loss_days)))
            .collect();
        if of_kind.is_empty() {
            continue;
        }
        let losses: Vec<f64> = of_kind.iter().map(|(_, loss)| *loss).collect();
        for (m, measure) in STRUCTURAL_MEASURES.iter().enumerate() {
            let values: Vec<f64> = of_kind
                .iter()
                .map(|(e, _)| structural_value(&e.structural, m))
                .collect();
            all.push(Correlation {
                kind,
                measure,
                spearman: spearman(&losses, &values),
                n: losses.len(),
            });
        }
    }
    all
}

/// The top outages at every magnitude (the largest reused from the ranking).
fn curves(
    study: &Study,
    world: &World,
    entries: &[Entry],
    options: &RankOptions,
    layout: &Layout,
) -> Result<Vec<CurvePoint>, Interrupted> {
    let top: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.target.kind == TargetKind::Outage && e.simulated.is_some())
        .take(options.curves)
        .collect();
    let (smaller, _) = options
        .magnitudes
        .split_at(options.magnitudes.len().saturating_sub(1));
    let mut shocks = Vec::new();
    for entry in &top {
        for &m in smaller {
            shocks.push(world.shocks(entry.target, m, options));
        }
    }
    let start = options.start_day as usize;
    let what = format!("{} outages at smaller magnitudes", shocks.len());
    let summarize = |_: usize, records: Vec<Record>| simulated(layout, &records, start);
    let mut results = study
        .map_shocks(shocks, &KINDS, &what, summarize)?
        .into_iter();
    let mut points = Vec::new();
    for entry in top {
        for &m in smaller {
            points.push(CurvePoint {
                target: entry.target,
                region: entry.region.clone(),
                sector: entry.sector.clone(),
                magnitude: m,
                simulated: results.next().flatten(),
            });
        }
        points.push(CurvePoint {
            target: entry.target,
            region: entry.region.clone(),
            sector: entry.sector.clone(),
            magnitude: entry.magnitude,
            simulated: entry.simulated,
        });
    }
    Ok(points)
}
