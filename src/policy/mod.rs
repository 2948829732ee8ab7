//! Hinterland policies: backup capacity (关键产业备份) and strategic reserves (战略物资储备),
//! docs/model.md §5–6.
//!
//! **Backup units** are dormant firms of one sector standing in a `Hinterland` or `Interior`
//! region. Their capacity is `capacity_share` × the domestic baseline output of the sector,
//! split over `firms` units. Each unit has its sector's domestic average technology, a stock of
//! `prestock_days` of inputs at full capacity, and suppliers chosen now by its `sourcing`:
//!
//! * `Domestic` / `Hinterland` — the `k` largest firms of each input sector in every domestic
//!   (hinterland) region, weighted by output. An input that no eligible firm makes is designed
//!   out of the unit's technology (自主可控: the unit does without it);
//! * `AsSector` — the supplier regions of the sector's regular domestic firms, foreign ones
//!   included, in their baseline proportions (the `k` largest firms of each): a unit that needs
//!   the cut-off supplier is cut off too.
//!
//! In the baseline nothing flows to or from a unit, so the steady state is untouched. A unit
//! goes `Standby → Activating` when its trigger fires, produces nothing for
//! `activation_delay_days`, then its capacity rises linearly from 0 on day `t0 + delay` to full
//! on day `t0 + delay + ramp_days` (`Ramping`, then `Active`), and returns to `Standby` when
//! the trigger has been quiet for `release_after_days` (see [`state`]).
//!
//! **The pool** (docs/model.md §3.1.6). For each input of a sector that has backup units or an
//! industry reserve, a buyer's order is split in two: the share its regular suppliers cannot
//! serve, `u = 1 − Σ z0·min(capacity ratio, 1)·open / Σ z0`, goes to the pool as far as the pool
//! can serve it tomorrow; the rest goes to the regular suppliers as before. Reserves release
//! before (`BeforeBackup`) or after (`AfterBackup`) the units produce; both deliver to buyers in
//! proportion to their pool orders. A pool with no capacity sends nothing, so a policy of size 0
//! changes nothing.
//!
//! **Reserves** hold `days` of domestic baseline use (intermediate and final) of one product,
//! release at most `max_release` × that daily use per day, serve industry (the pool), final
//! demand left unmet (domestic households), or both (industry first), and refill at
//! `capacity / refill_days` per day on days they release nothing. Refills are bought abroad:
//! they draw on no domestic supplier.
//!
//! **Costs.** Holding cost = capacity value (annual output at full capacity) ×
//! `holding_cost_rate` × years simulated (`days / 365`); activation cost = `activation_cost` ×
//! activations.
//!
//! ## A finding: what standby capacity can and cannot replace
//!
//! `scenarios/test-mrio-backup.ron` (a coastal blockade and a foreign cut-off of manufactures
//! on pymrio's fictional six-region economy, 8 runs) is run by the tests with the backup's
//! `capacity_share` at 0, 7.5, 15, 22.5 and 30 % of domestic manufacturing output, and with
//! activation delays of 28, 21, 14, 7 and 0 days, on the same drawn crises. The mean loss of
//! domestic value added falls monotonically, as it must, but little:
//!
//! | capacity share | 0 | 7.5 % | 15 % | 22.5 % | 30 % |
//! |---|---|---|---|---|---|
//! | loss, days of domestic value added | 20.497 | 20.203 | 20.203 | 20.203 | 20.203 |
//!
//! and from 20.206 (28-day delay) to 20.200 (no delay). Two reasons, both properties of the
//! model rather than of the implementation:
//!
//! * backup units answer **firms' orders** that regular suppliers cannot serve (docs/model.md
//!   §3.1.6). Most of a blockade's loss is the blockaded firms' own output in every sector and
//!   final demand they no longer serve; a manufacturing backup replaces neither;
//! * in this table the orders regular suppliers cannot serve are small: about 2,600 a day of
//!   manufactures against 273,000 a day of unit capacity at 7.5 %, so the pool is saturated
//!   from the smallest size and more capacity adds nothing; inventories of 90 days absorb the
//!   rest for weeks.
//!
//! Standby capacity pays where the shortfall is in inputs other firms cannot do without and
//! cannot buy elsewhere (see the `TechCutoff` test in `tests/policy.rs`, where a domestic-sourced
//! unit removes 93 % of the loss and one that depends on the cut-off supplier 6 %). Whether backup units should also serve households is a modelling choice for the
//! planners; the note does not ask for it today.

pub mod state;

use crate::economy::{DAILY, DormantFirm, DormantInput, Economy, Resolver, Size};
use crate::kinds::{Priority, RegionKind, Serves, Sourcing, Trigger};
use crate::model::{Invalid, Model};

/// Suppliers per input sector and region for backup units (as for regular firms).
const UNIT_SUPPLIERS_PER_REGION: usize = 3;

/// An economy of `size` with the backup units of `model` appended, known before either is
/// built: the units are exact; each unit is counted with an input from every sector and
/// 3 suppliers of it in every region (at most every firm), an
/// upper bound of what [`Policies::new`] links.
pub fn extended_size(model: &Model, size: &Size) -> Size {
    let units = model
        .backup()
        .iter()
        .map(|b| b.firms as u64)
        .fold(0u64, u64::saturating_add);
    let links_per_unit = size
        .sectors
        .saturating_mul(size.regions)
        .saturating_mul(UNIT_SUPPLIERS_PER_REGION as u64)
        .min(size.firms);
    size.with_units(units, size.sectors, links_per_unit)
}

/// One backup definition, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Backup {
    /// Name.
    pub name: String,
    /// Sector produced.
    pub sector: usize,
    /// Region of the units.
    pub region: usize,
    /// Full capacity of all its units, money per day.
    pub capacity_per_day: f64,
    /// Capacity value: annual output at full capacity.
    pub capacity_value: f64,
    /// Start-up rule.
    pub start: Trigger,
    /// Days from trigger to first output.
    pub activation_delay_days: u32,
    /// Days of linear ramp.
    pub ramp_days: u32,
    /// Quiet days before standby.
    pub release_after_days: u32,
    /// Yearly holding cost rate.
    pub holding_cost_rate: f64,
    /// Cost per activation.
    pub activation_cost: f64,
    /// Its units' firm indices in the extended economy.
    pub firms: Vec<u32>,
    /// Input stock held in standby, in days at full capacity.
    pub prestock_days: u32,
    /// Value added per unit of output: the sector's domestic average, even when inputs are
    /// designed out (a unit that does without an input is not credited with its cost).
    pub value_added_share: f64,
    /// Whom the units serve.
    pub serves: Serves,
}

/// One reserve, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Reserve {
    /// Name.
    pub name: String,
    /// Product (sector).
    pub sector: usize,
    /// Full stock, money.
    pub capacity: f64,
    /// Largest release per day, money.
    pub max_release_per_day: f64,
    /// Refill per day, money.
    pub refill_per_day: f64,
    /// Who it serves.
    pub serves: Serves,
    /// Before or after backup units.
    pub priority: Priority,
    /// `(final-demand entry, firm)` of domestic final demand for the product.
    pub final_demand_entries: Vec<(u32, u32)>,
}

/// Every policy of a scenario, resolved against its (extended) economy.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Policies {
    /// Backups.
    pub backups: Vec<Backup>,
    /// Reserves.
    pub reserves: Vec<Reserve>,
    /// Per sector: whether buyers' orders may go to a pool (units or an industry reserve).
    pub pool_sector: Vec<bool>,
    /// Per sector with an availability trigger: `(link, baseline flow)` of its regular
    /// suppliers' links to domestic regular buyers.
    pub availability_links: Vec<Vec<(u32, f64)>>,
    /// Regular firms; firms from this index on are backup units.
    pub first_unit: usize,
    /// Per input of a regular firm: its orders may go to the pool (a pool sector, and a
    /// domestic buyer: hinterland policies serve the domestic economy).
    pub pool_input: Vec<bool>,
    /// Sectors whose backup units serve final demand, with the final-demand entries they may
    /// serve: `(entry, firm)` of every entry on a domestic firm of the sector (exports
    /// included).
    pub unit_final_demand: Vec<(usize, Vec<(u32, u32)>)>,
}

impl Policies {
    /// Whether the scenario has no policy at all (the engine then runs exactly as without).
    pub fn is_empty(&self) -> bool {
        self.backups.is_empty() && self.reserves.is_empty()
    }

    /// Resolve the model's backups and reserves with `resolver` (on the economy without
    /// backup units). Returns the economy extended with the backup units (`None` when there
    /// are none) and the policies.
    pub fn new(model: &Model, resolver: &Resolver) -> Result<(Option<Economy>, Policies), Invalid> {
        let economy = resolver.economy();
        let n_sectors = economy.sectors.len();
        let regular = economy.n_regular_firms();
        let domestic: Vec<bool> = resolver.kinds().domestic();
        let domestic_output = |sector: usize| -> f64 {
            (0..regular)
                .filter(|&f| resolver.firm_sector(f) == sector && domestic[resolver.firm_region(f)])
                .map(|f| economy.firm_output[f])
                .sum()
        };
        let mut policies = Policies {
            pool_sector: vec![false; n_sectors],
            availability_links: vec![Vec::new(); n_sectors],
            first_unit: regular,
            ..Policies::default()
        };
        let mut dormant = Vec::new();
        for def in model.backup() {
            let at = def.at.as_str();
            let sector = resolver.sector(&def.sector, &format!("{at}: sector"))?;
            let region = resolver.region(&def.region, &format!("{at}: region"))?;
            let kind = resolver.kinds().kind(region);
            if !matches!(kind, RegionKind::Hinterland | RegionKind::Interior) {
                return Err(resolver.invalid(
                    format!("{at}: region"),
                    format!(
                        "{:?} is {kind:?}: backup capacity stands in a Hinterland or Interior region",
                        def.region
                    ),
                ));
            }
            let annual = def.capacity_share * domestic_output(sector);
            if matches!(def.trigger, Trigger::Availability { .. })
                && policies.availability_links[sector].is_empty()
            {
                policies.availability_links[sector] =
                    availability_links(economy, resolver, &domestic, sector);
            }
            let start = def.trigger.clone();
            let technology = unit_technology(economy, resolver, &domestic, sector);
            let value_added_share = (1.0 - technology.iter().map(|t| t.1).sum::<f64>()).max(0.0);
            let mut firms = Vec::with_capacity(def.firms);
            let unit_annual = annual / def.firms as f64;
            for _ in 0..def.firms {
                let inputs: Vec<DormantInput> = technology
                    .iter()
                    .filter_map(|&(input_sector, per_output)| {
                        let suppliers = unit_suppliers(
                            economy,
                            resolver,
                            &domestic,
                            sector,
                            input_sector,
                            def.sourcing,
                        );
                        let total: f64 = suppliers.iter().map(|s| s.1).sum();
                        (total > 0.0).then(|| DormantInput {
                            sector: input_sector as u32,
                            per_output,
                            suppliers: suppliers
                                .iter()
                                .map(|&(f, w)| (f, per_output * unit_annual * w / total))
                                .collect(),
                        })
                    })
                    .collect();
                firms.push((regular + dormant.len()) as u32);
                dormant.push(DormantFirm {
                    industry: (region * n_sectors + sector) as u32,
                    capital: model.economy().capital_to_value_added()
                        * unit_annual
                        * value_added_share.max(0.0),
                    inputs,
                });
            }
            if def.serves != Serves::FinalDemand {
                policies.pool_sector[sector] = true;
            }
            policies.backups.push(Backup {
                name: def.name.clone(),
                sector,
                region,
                capacity_per_day: annual * DAILY,
                capacity_value: annual,
                start,
                activation_delay_days: def.activation_delay_days,
                ramp_days: def.ramp_days,
                release_after_days: def.release_after_days,
                holding_cost_rate: def.holding_cost_rate,
                activation_cost: def.activation_cost,
                firms,
                prestock_days: def.prestock_days,
                value_added_share,
                serves: def.serves,
            });
            if def.serves != Serves::Industry
                && !policies.unit_final_demand.iter().any(|(s, _)| *s == sector)
            {
                policies.unit_final_demand.push((
                    sector,
                    final_demand_of_domestic_firms(economy, resolver, &domestic, sector),
                ));
            }
        }
        for def in model.reserves() {
            let at = def.at.as_str();
            let sector = resolver.sector(&def.product, &format!("{at}: product"))?;
            resolver.region(&def.region, &format!("{at}: region"))?;
            let final_demand_entries = domestic_final_demand(economy, resolver, &domestic, sector);
            let intermediate: f64 = (0..regular)
                .filter(|&f| domestic[resolver.firm_region(f)])
                .flat_map(|f| economy.firm_inputs[f] as usize..economy.firm_inputs[f + 1] as usize)
                .filter(|&k| economy.input_sector[k] as usize == sector)
                .map(|k| economy.input_annual[k])
                .sum();
            let final_use: f64 = final_demand_entries
                .iter()
                .map(|&(k, _)| economy.final_demand_annual[k as usize])
                .sum();
            let use_per_day = (intermediate + final_use) * DAILY;
            let capacity = def.days * use_per_day;
            if def.serves != Serves::FinalDemand {
                policies.pool_sector[sector] = true;
            }
            policies.reserves.push(Reserve {
                name: def.name.clone(),
                sector,
                capacity,
                max_release_per_day: def.max_release * use_per_day,
                refill_per_day: capacity / f64::from(def.refill_days),
                serves: def.serves,
                priority: def.priority,
                final_demand_entries,
            });
        }
        policies.pool_input = (0..regular)
            .flat_map(|f| {
                let home = domestic[resolver.firm_region(f)];
                let inputs = economy.firm_inputs[f] as usize..economy.firm_inputs[f + 1] as usize;
                inputs.map(move |k| (k, home))
            })
            .map(|(k, home)| home && policies.pool_sector[economy.input_sector[k] as usize])
            .collect();
        let extended = (!dormant.is_empty()).then(|| economy.with_dormant_firms(&dormant));
        Ok((extended, policies))
    }
}

/// Every final-demand entry (households, government, investment, exports) on a domestic
/// regular firm of `sector`: `(entry, firm)`.
fn final_demand_of_domestic_firms(
    economy: &Economy,
    resolver: &Resolver,
    domestic: &[bool],
    sector: usize,
) -> Vec<(u32, u32)> {
    (0..economy.n_regular_firms())
        .filter(|&f| resolver.firm_sector(f) == sector && domestic[resolver.firm_region(f)])
        .flat_map(|f| {
            (economy.firm_final_demand[f]..economy.firm_final_demand[f + 1])
                .map(move |k| (k, f as u32))
        })
        .collect()
}

/// Links from regular firms of `sector` to regular domestic buyers, with baseline flows.
fn availability_links(
    economy: &Economy,
    resolver: &Resolver,
    domestic: &[bool],
    sector: usize,
) -> Vec<(u32, f64)> {
    let regular = economy.n_regular_firms();
    (0..economy.n_links())
        .zip(economy.link_buyers())
        .map(|(l, b)| (l, b as usize))
        .filter(|&(l, b)| {
            let s = economy.link_supplier[l] as usize;
            s < regular
                && b < regular
                && resolver.firm_sector(s) == sector
                && domestic[resolver.firm_region(b)]
        })
        .map(|(l, _)| (l as u32, economy.link_flow[l]))
        .collect()
}

/// The sector's domestic average technology: `(input sector, requirement per unit of output)`.
fn unit_technology(
    economy: &Economy,
    resolver: &Resolver,
    domestic: &[bool],
    sector: usize,
) -> Vec<(usize, f64)> {
    let n_sectors = economy.sectors.len();
    let mut inputs = vec![0.0; n_sectors];
    let mut output = 0.0;
    for f in 0..economy.n_regular_firms() {
        if resolver.firm_sector(f) != sector || !domestic[resolver.firm_region(f)] {
            continue;
        }
        output += economy.firm_output[f];
        for k in economy.firm_inputs[f] as usize..economy.firm_inputs[f + 1] as usize {
            inputs[economy.input_sector[k] as usize] += economy.input_annual[k];
        }
    }
    if output <= 0.0 {
        return Vec::new();
    }
    inputs
        .iter()
        .enumerate()
        .filter(|(_, v)| **v > 0.0)
        .map(|(s, v)| (s, v / output))
        .collect()
}

/// Suppliers of `input` for a backup unit of `sector`, with relative weights.
fn unit_suppliers(
    economy: &Economy,
    resolver: &Resolver,
    domestic: &[bool],
    sector: usize,
    input: usize,
    sourcing: Sourcing,
) -> Vec<(u32, f64)> {
    let n_regions = economy.regions.len();
    let regular = economy.n_regular_firms();
    // weight of each supplier region
    let region_weight: Vec<f64> = match sourcing {
        Sourcing::Domestic => domestic.iter().map(|&d| f64::from(u8::from(d))).collect(),
        Sourcing::Hinterland => resolver
            .kinds()
            .kinds()
            .iter()
            .map(|k| f64::from(u8::from(*k == RegionKind::Hinterland)))
            .collect(),
        Sourcing::AsSector => {
            let mut weight = vec![0.0; n_regions];
            for (l, b) in (0..economy.n_links()).zip(economy.link_buyers()) {
                let (s, b) = (economy.link_supplier[l] as usize, b as usize);
                if s < regular
                    && b < regular
                    && resolver.firm_sector(b) == sector
                    && domestic[resolver.firm_region(b)]
                    && resolver.firm_sector(s) == input
                {
                    weight[resolver.firm_region(s)] += economy.link_flow[l];
                }
            }
            weight
        }
    };
    let mut suppliers = Vec::new();
    for (region, &weight) in region_weight.iter().enumerate() {
        if weight <= 0.0 {
            continue;
        }
        let industry = region * economy.sectors.len() + input;
        let mut firms: Vec<usize> = economy.firms_of(industry).collect();
        firms.sort_by(|&a, &b| {
            economy.firm_output[b]
                .total_cmp(&economy.firm_output[a])
                .then(a.cmp(&b))
        });
        firms.truncate(UNIT_SUPPLIERS_PER_REGION);
        let output: f64 = firms.iter().map(|&f| economy.firm_output[f]).sum();
        if output <= 0.0 {
            continue;
        }
        // Domestic/Hinterland: regions weigh by their output of the input
        let region_total = if sourcing == Sourcing::AsSector {
            weight
        } else {
            output
        };
        for f in firms {
            suppliers.push((f as u32, region_total * economy.firm_output[f] / output));
        }
    }
    suppliers
}

/// `(entry, firm)` of final demand of domestic demand regions for `sector`'s products.
fn domestic_final_demand(
    economy: &Economy,
    resolver: &Resolver,
    domestic: &[bool],
    sector: usize,
) -> Vec<(u32, u32)> {
    let mut entries = Vec::new();
    for f in 0..economy.n_regular_firms() {
        if resolver.firm_sector(f) != sector {
            continue;
        }
        for k in economy.firm_final_demand[f] as usize..economy.firm_final_demand[f + 1] as usize {
            let region =
                economy.final_demand_columns[economy.final_demand_column[k] as usize].0 as usize;
            let name = &economy.demand_regions[region];
            if economy.region_index(name).is_some_and(|r| domestic[r]) {
                entries.push((k as u32, f as u32));
            }
        }
    }
    entries
}
