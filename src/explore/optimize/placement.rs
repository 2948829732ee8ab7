//! `hinterland optimize`'s candidates and portfolios: every backup of the scenario is a
//! template, placed in each hinterland region at each size step; a portfolio is the scenario
//! with exactly those backups (its reserves kept), run on the scenario's crises with common
//! random numbers, and judged by its runs' losses.
//!
//! - **Candidates**: template × region × size (× sector, when sectors are given: the top of
//!   a ranking, say). The size is a multiple of the template's `capacity_share`; everything
//!   else (trigger, delays, sourcing, holding cost rate) is the template's. The candidates
//!   of one template in one region (and sector) form a group, its sizes: a portfolio holds
//!   at most one of them.
//! - **Cost**: the annual holding cost, capacity value (annual output at full capacity) ×
//!   `holding_cost_rate`, the budget's unit.
//! - **Loss of a run**: domestic value added lost (`va_loss_money`) plus the activation cost
//!   the backups paid in the run (`activation_cost` × activations, false alarms included):
//!   what the crisis and the response cost beyond the holding cost the budget limits.
//! - **Objective**: the mean of the runs' losses, or their CVaR95 (the mean of the worst 5 %).
//!
//! Every portfolio runs runs `0..runs` with the same seed: run `k` sees the same crisis in
//! every portfolio, as the variants of `hinterland run` do, so differences between portfolios
//! are the backups', not the draws'.

use super::{Cache, Candidate, Search, search_with_twins};
use crate::Error;
use crate::economy::Resolver;
use crate::kinds::RegionKind;
use crate::metrics::stats;
use crate::model::{Invalid, PlacedBackup};
use crate::montecarlo::{Study, StudyOptions};
use crate::policy::Policies;

/// The size steps of each template by default: half, as written, double.
pub const DEFAULT_SIZES: [f64; 3] = [0.5, 1.0, 2.0];

/// What a portfolio is judged by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Objective {
    /// The mean loss over runs.
    #[default]
    Mean,
    /// The mean of the worst 5 % of runs' losses.
    Cvar95,
}

impl Objective {
    /// The name the command line and the tables use.
    pub fn name(self) -> &'static str {
        match self {
            Objective::Mean => "mean",
            Objective::Cvar95 => "cvar95",
        }
    }
}

/// What to search.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacementOptions {
    /// Annual holding-cost budgets, increasing; one search each.
    pub budgets: Vec<f64>,
    /// What a portfolio is judged by.
    pub objective: Objective,
    /// Regions to place each template in (empty: every `Hinterland` region).
    pub regions: Vec<String>,
    /// Size steps, as multiples of each template's `capacity_share`.
    pub sizes: Vec<f64>,
    /// Sectors to make each template produce (empty: its own sector), e.g. the top of a
    /// ranking (`--from-ranking`).
    pub sectors: Vec<String>,
    /// Candidates up to which the search is exact.
    pub exact_up_to: usize,
}

impl Default for PlacementOptions {
    fn default() -> PlacementOptions {
        PlacementOptions {
            budgets: Vec::new(),
            objective: Objective::Mean,
            regions: Vec::new(),
            sizes: DEFAULT_SIZES.to_vec(),
            sectors: Vec::new(),
            exact_up_to: super::EXACT_UP_TO,
        }
    }
}

/// One candidate backup.
#[derive(Debug, Clone)]
pub struct PlacementCandidate {
    /// Its name in a portfolio's scenario: `template@region×size`.
    pub name: String,
    /// The scenario backup it copies.
    pub template: String,
    /// Sector produced.
    pub sector: String,
    /// Region of the units.
    pub region: String,
    /// Multiple of the template's `capacity_share`.
    pub size: f64,
    /// Its `capacity_share`.
    pub capacity_share: f64,
    /// Capacity value (annual output at full capacity, money a year).
    pub capacity_value: f64,
    /// Annual holding cost (money a year).
    pub annual_cost: f64,
    /// Its group (template × region): one size per group.
    pub group: usize,
    /// The backup a portfolio's scenario holds.
    pub placed: PlacedBackup,
}

/// One portfolio's runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluated {
    /// Candidate indices, increasing.
    pub portfolio: Vec<usize>,
    /// Per run: value added lost plus activation cost (money).
    pub losses: Vec<f64>,
    /// Per run: the activation cost paid (money).
    pub activation: Vec<f64>,
    /// Mean of `losses`.
    pub mean: f64,
    /// CVaR95 of `losses`.
    pub cvar95: f64,
}

impl Evaluated {
    /// Its objective.
    pub fn objective(&self, objective: Objective) -> f64 {
        match objective {
            Objective::Mean => self.mean,
            Objective::Cvar95 => self.cvar95,
        }
    }
}

/// One budget's search.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetSearch {
    /// The budget (money a year).
    pub budget: f64,
    /// What the search found.
    pub search: Search,
}

/// What `hinterland optimize` found.
#[derive(Debug, Clone)]
pub struct Placement {
    /// The candidates.
    pub candidates: Vec<PlacementCandidate>,
    /// Every portfolio evaluated, in order, the empty one (no backup) first.
    pub evaluated: Vec<Evaluated>,
    /// One search per budget, in the options' order.
    pub searches: Vec<BudgetSearch>,
    /// The objective searched.
    pub objective: Objective,
    /// Runs per portfolio.
    pub runs: usize,
}

impl Placement {
    /// The runs of `portfolio` (it must have been evaluated).
    pub fn of(&self, portfolio: &[usize]) -> &Evaluated {
        self.evaluated
            .iter()
            .find(|e| e.portfolio == portfolio)
            .expect("every portfolio a search returns was evaluated")
    }

    /// The names of `portfolio`'s candidates, joined with ` + ` (`none` when empty).
    pub fn names(&self, portfolio: &[usize]) -> String {
        if portfolio.is_empty() {
            return "none".into();
        }
        portfolio
            .iter()
            .map(|&c| self.candidates[c].name.as_str())
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

/// A number as the candidate names write it: `1`, `0.5`, `2`.
fn size_text(size: f64) -> String {
    format!("{size}")
}

/// The candidates of `study`'s scenario: each of its backups × each region of `options`
/// (every `Hinterland` region when none is given) × each size step, with their annual
/// holding costs on `study`'s economy.
pub fn candidates(
    study: &Study,
    options: &PlacementOptions,
) -> Result<Vec<PlacementCandidate>, Invalid> {
    let model = study.model();
    let source = model.source();
    let economy = study.economy();
    let kinds = study.kinds();
    let templates = model.backup();
    if templates.is_empty() {
        return Err(Invalid::new(
            source,
            "backup",
            "the scenario has no backup to place: add one, e.g. `backup: [Backup(name: \"chips\", \
             sector: \"s20_electronics\", region: \"ChengduChongqing\", capacity_share: 0.1, \
             trigger: OnShock(\"embargo\"), holding_cost_rate: 0.02)]`; each is a template placed \
             in every hinterland region at every size",
        ));
    }
    let regions: Vec<String> = if options.regions.is_empty() {
        economy
            .regions()
            .iter()
            .enumerate()
            .filter(|&(r, _)| kinds.kind(r) == RegionKind::Hinterland)
            .map(|(_, name)| name.clone())
            .collect()
    } else {
        options.regions.clone()
    };
    if regions.is_empty() {
        return Err(Invalid::new(
            source,
            "regions",
            "no region is Hinterland: declare some in `regions: [(\"ChengduChongqing\", \
             Hinterland)]`, or give --regions",
        ));
    }
    for name in &regions {
        let Some(r) = economy.regions().iter().position(|n| n == name) else {
            return Err(Invalid::new(
                source,
                "--regions",
                crate::model::unknown(
                    "region",
                    name,
                    &economy
                        .regions()
                        .iter()
                        .map(String::as_str)
                        .collect::<Vec<_>>(),
                ),
            ));
        };
        let kind = kinds.kind(r);
        if !matches!(kind, RegionKind::Hinterland | RegionKind::Interior) {
            return Err(Invalid::new(
                source,
                "--regions",
                format!(
                    "{name:?} is {kind:?}: backup capacity stands in a Hinterland or Interior region"
                ),
            ));
        }
    }
    if let Some(size) = options.sizes.iter().find(|s| !(s.is_finite() && **s > 0.0)) {
        return Err(Invalid::new(
            source,
            "--sizes",
            format!("{size}: expected multiples of each backup's capacity_share > 0, e.g. 0.5,1,2"),
        ));
    }
    for (k, template) in templates.iter().enumerate() {
        if template.capacity_share <= 0.0 {
            return Err(Invalid::new(
                source,
                format!("backup[{k}] {:?}: capacity_share", template.name),
                "is 0: the sizes are multiples of it; give the size the backup would have",
            ));
        }
    }
    let mut all = Vec::new();
    let mut group = 0;
    for (t, template) in templates.iter().enumerate() {
        // the template's own sector, or each of `sectors` (its name then says which)
        let sectors: Vec<(String, String)> = if options.sectors.is_empty() {
            vec![(template.sector.clone(), template.name.clone())]
        } else {
            options
                .sectors
                .iter()
                .map(|s| (s.clone(), format!("{}:{s}", template.name)))
                .collect()
        };
        for (sector, stem) in &sectors {
            for region in &regions {
                for &size in &options.sizes {
                    let share = template.capacity_share * size;
                    let placed = PlacedBackup {
                        template: t,
                        name: format!("{stem}@{region}×{}", size_text(size)),
                        sector: sector.clone(),
                        region: region.clone(),
                        capacity_share: share,
                    };
                    all.push(PlacementCandidate {
                        name: placed.name.clone(),
                        template: template.name.clone(),
                        sector: sector.clone(),
                        region: region.clone(),
                        size,
                        capacity_share: share,
                        capacity_value: 0.0,
                        annual_cost: 0.0,
                        group,
                        placed,
                    });
                }
                group += 1;
            }
        }
    }
    // every candidate at once: checked, and its cost read from its resolved units
    let placed: Vec<PlacedBackup> = all.iter().map(|c| c.placed.clone()).collect();
    let universe = model.with_placed_backups(&placed)?;
    let (_, policies) = Policies::new(&universe, &Resolver::new(economy, kinds, source))?;
    for (candidate, backup) in all.iter_mut().zip(&policies.backups) {
        candidate.capacity_value = backup.capacity_value;
        candidate.annual_cost = backup.capacity_value * backup.holding_cost_rate;
    }
    Ok(all)
}

/// The runs of the scenario with the backups of `portfolio`, on `study`'s economy.
fn evaluate(
    study: &Study,
    candidates: &[PlacementCandidate],
    portfolio: &[usize],
    options: &StudyOptions,
) -> Result<Evaluated, Error> {
    let placed: Vec<PlacedBackup> = portfolio
        .iter()
        .map(|&c| candidates[c].placed.clone())
        .collect();
    let model = study.model().with_placed_backups(&placed)?;
    let own = Study::with_economy(model, study.economy().clone(), options)?;
    let runs = own.metrics()?.swap_remove(0);
    let (mut losses, mut activation) = (Vec::new(), Vec::new());
    for (values, _) in &runs {
        let metric = |name: &str| values.get(name).unwrap_or(f64::NAN);
        let paid = metric("policy_cost") - metric("holding_cost");
        losses.push(metric("va_loss_money") + paid);
        activation.push(paid);
    }
    let summary = stats::summarize(&losses);
    Ok(Evaluated {
        portfolio: portfolio.to_vec(),
        mean: summary.as_ref().map_or(f64::NAN, |s| s.mean),
        cvar95: summary.as_ref().map_or(f64::NAN, |s| s.cvar95),
        losses,
        activation,
    })
}

/// Search every budget of `options` for the best portfolio of `candidates`, each portfolio
/// an ensemble of `study`'s scenario with those backups (runs and threads of `run_options`),
/// evaluated once across all budgets. `report(evaluated, placement so far)` is called after
/// each portfolio (progress).
pub fn optimize(
    study: &Study,
    candidates: Vec<PlacementCandidate>,
    options: &PlacementOptions,
    run_options: &StudyOptions,
    mut report: impl FnMut(&Evaluated, &[PlacementCandidate]),
) -> Result<Placement, Error> {
    let list: Vec<Candidate> = candidates
        .iter()
        .map(|c| Candidate {
            cost: c.annual_cost,
            group: c.group,
        })
        .collect();
    let mut cache = Cache::default();
    let evaluated: std::cell::RefCell<Vec<Evaluated>> = std::cell::RefCell::new(Vec::new());
    let mut searches = Vec::new();
    // the same backup in two regions, whose runs alone lost the same to 1e-9 in every run
    let twins =
        |a: usize, b: usize| {
            let (ca, cb) = (&candidates[a], &candidates[b]);
            if (ca.template.as_str(), ca.sector.as_str(), ca.size)
                != (cb.template.as_str(), cb.sector.as_str(), cb.size)
            {
                return false;
            }
            let all = evaluated.borrow();
            let alone = |c: usize| all.iter().find(|e| e.portfolio == [c]);
            match (alone(a), alone(b)) {
                (Some(x), Some(y)) => x.losses.iter().zip(&y.losses).all(|(u, v)| {
                    (u - v).abs() <= 1e-9 * u.abs().max(v.abs()).max(f64::MIN_POSITIVE)
                }),
                _ => false,
            }
        };
    for &budget in &options.budgets {
        let search = search_with_twins(
            &list,
            budget,
            options.exact_up_to,
            &mut cache,
            twins,
            |portfolio| {
                let runs = evaluate(study, &candidates, portfolio, run_options)?;
                report(&runs, &candidates);
                let value = runs.objective(options.objective);
                evaluated.borrow_mut().push(runs);
                Ok::<f64, Error>(value)
            },
        )?;
        searches.push(BudgetSearch { budget, search });
    }
    let evaluated = evaluated.into_inner();
    Ok(Placement {
        candidates,
        evaluated,
        searches,
        objective: options.objective,
        runs: study.runs(),
    })
}
