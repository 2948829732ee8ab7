//! The policies' state during one run: unit states and capacity, the pool of orders that
//! regular suppliers cannot serve, and reserve stocks.
//!
//! Unit capacity after a trigger fires on day `t0` (delay `d`, ramp `r`):
//!
//! | day | state | capacity |
//! |---|---|---|
//! | `t0 ≤ t < t0 + d` | `Activating` | 0 |
//! | `t0 + d ≤ t < t0 + d + r` | `Ramping` | `(t − t0 − d) / r` of full |
//! | `t ≥ t0 + d + r` | `Active` | full |
//!
//! Release to `Standby`: an `Availability` trigger after availability (seen `lag_days` late) has
//! been at or above the threshold for `release_after_days` consecutive days; an `OnShock`
//! trigger `release_after_days` after the shock's full-strength period ends; `Always` never.

use super::Policies;
use crate::economy::Economy;
use crate::kinds::{Priority, Serves, Trigger};
use crate::shocks::Shocks;

/// State of a backup's units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitState {
    /// Dormant.
    Standby = 0,
    /// Triggered, not yet producing.
    Activating = 1,
    /// Capacity rising.
    Ramping = 2,
    /// Full capacity.
    Active = 3,
}

/// One backup during a run.
#[derive(Debug, Clone, PartialEq)]
pub struct BackupRun {
    /// State today.
    pub state: UnitState,
    /// Share of full capacity available today.
    pub capacity_fraction: f64,
    /// Day the current activation fired.
    fired_day: Option<u32>,
    /// First day any activation fired.
    pub first_activation: Option<u32>,
    /// Number of activations.
    pub activations: u32,
    /// Consecutive quiet days while on.
    quiet_days: u32,
    /// `(start, end)` of the named shock in this run (`OnShock`), or of each alarm of its
    /// early warning (`Warning`).
    windows: Vec<(u32, u32)>,
}

/// The policies' state during one run.
#[derive(Debug, Clone)]
pub struct PolicyState<'p> {
    policies: &'p Policies,
    /// Per backup.
    pub backups: Vec<BackupRun>,
    /// Availability history per sector (empty for sectors without availability triggers).
    availability: Vec<Vec<f64>>,
    /// Stock of each reserve.
    pub reserve_stock: Vec<f64>,
    /// Released by each reserve today (industry and final demand).
    released_today: Vec<f64>,
    /// Released by each reserve since day 0.
    pub released_total: Vec<f64>,
    /// Pool order of each input slot, placed for the next day.
    pub pool_order: Vec<f64>,
    /// Pool orders per sector (sum of `pool_order`), placed for the next day.
    pool_placed: Vec<f64>,
    /// Pool orders per sector being served today.
    pool_today: Vec<f64>,
    /// Per sector: orders that regular suppliers could not serve were placed yesterday
    /// (whether or not the pool could take them): a shortfall.
    shortfall: Vec<bool>,
    /// Delivered from the pool per sector today.
    pool_delivered: Vec<f64>,
    /// Per reserve: domestic households were short of its product today.
    final_demand_short: Vec<bool>,
    /// Final demand served by reserves and backup units today, per final-demand entry.
    pub final_demand_served: Vec<f64>,
    /// Which backup each unit firm belongs to (index `firm − first_unit`).
    unit_backup: Vec<usize>,
    /// Per sector: final demand left unmet yesterday that units serving final demand make
    /// today.
    final_today: Vec<f64>,
    /// Per sector: final demand left unmet today (after reserves), for tomorrow.
    final_placed: Vec<f64>,
    /// Per sector: units' output today left for final demand once the pool is served.
    final_available: Vec<f64>,
}

impl<'p> PolicyState<'p> {
    /// The state at day 0: units in standby, reserves full.
    pub fn new(policies: &'p Policies, economy: &Economy, shocks: &Shocks) -> PolicyState<'p> {
        let backups = policies
            .backups
            .iter()
            .map(|backup| BackupRun {
                state: UnitState::Standby,
                capacity_fraction: 0.0,
                fired_day: None,
                first_activation: None,
                activations: 0,
                quiet_days: 0,
                windows: match &backup.start {
                    Trigger::OnShock(name) => shocks.window(name).into_iter().collect(),
                    Trigger::Warning { .. } => shocks
                        .warnings
                        .iter()
                        .find(|w| w.backup == backup.name)
                        .map_or_else(Vec::new, |w| w.alarms.clone()),
                    _ => Vec::new(),
                },
            })
            .collect();
        let mut unit_backup = vec![0; economy.n_firms() - policies.first_unit];
        for (b, backup) in policies.backups.iter().enumerate() {
            for &f in &backup.firms {
                unit_backup[f as usize - policies.first_unit] = b;
            }
        }
        let n_sectors = economy.sectors.len();
        PolicyState {
            policies,
            backups,
            availability: vec![Vec::new(); n_sectors],
            reserve_stock: policies.reserves.iter().map(|r| r.capacity).collect(),
            released_today: vec![0.0; policies.reserves.len()],
            released_total: vec![0.0; policies.reserves.len()],
            final_demand_short: vec![false; policies.reserves.len()],
            pool_order: vec![0.0; economy.input_sector.len()],
            pool_placed: vec![0.0; n_sectors],
            pool_today: vec![0.0; n_sectors],
            shortfall: vec![false; n_sectors],
            pool_delivered: vec![0.0; n_sectors],
            final_demand_served: vec![0.0; economy.final_demand_annual.len()],
            unit_backup,
            final_today: vec![0.0; n_sectors],
            final_placed: vec![0.0; n_sectors],
            final_available: vec![0.0; n_sectors],
        }
    }

    /// The policies.
    pub fn policies(&self) -> &'p Policies {
        self.policies
    }

    /// Whether `firm` is a backup unit.
    pub fn is_unit(&self, firm: usize) -> bool {
        firm >= self.policies.first_unit
    }

    /// Full capacity of a unit today, before its own capacity loss (money per day).
    pub fn unit_capacity(&self, firm: usize) -> f64 {
        let b = self.unit_backup[firm - self.policies.first_unit];
        let backup = &self.policies.backups[b];
        backup.capacity_per_day / backup.firms.len() as f64 * self.backups[b].capacity_fraction
    }

    /// The output a unit's stocks are kept for while it is not producing (in `Standby` or
    /// `Activating`): its full capacity, so that its prestock is rebuilt after an activation.
    /// `None` for regular firms and producing units.
    pub fn standby_output(&self, firm: usize) -> Option<f64> {
        if !self.is_unit(firm) {
            return None;
        }
        let b = self.unit_backup[firm - self.policies.first_unit];
        match self.backups[b].state {
            UnitState::Standby | UnitState::Activating => {
                let backup = &self.policies.backups[b];
                Some(backup.capacity_per_day / backup.firms.len() as f64)
            }
            UnitState::Ramping | UnitState::Active => None,
        }
    }

    /// Day `day`: availability, triggers, states and capacity; the pool orders placed
    /// yesterday become today's. `open`: share of each link open today (empty: all open).
    pub fn start_day(&mut self, day: u32, economy: &Economy, delta: &[f64], open: &[f64]) {
        for (sector, links) in self.policies.availability_links.iter().enumerate() {
            if links.is_empty() {
                continue;
            }
            let (mut able, mut total) = (0.0, 0.0);
            for &(l, flow) in links {
                let supplier = economy.link_supplier[l as usize] as usize;
                // `open` is empty when the run has no link shocks: every link open
                let open = open.get(l as usize).copied().unwrap_or(1.0);
                able += flow * open * (1.0 - delta[supplier]);
                total += flow;
            }
            self.availability[sector].push(if total > 0.0 { able / total } else { 1.0 });
        }
        for (b, backup) in self.policies.backups.iter().enumerate() {
            let run = &mut self.backups[b];
            let (fire, quiet) = match &backup.start {
                Trigger::Availability { below, lag_days } => {
                    let history = &self.availability[backup.sector];
                    let seen = day
                        .checked_sub(*lag_days)
                        .and_then(|d| history.get(d as usize))
                        .copied()
                        .unwrap_or(1.0);
                    (seen < below.get(), seen >= below.get())
                }
                // started on the first day of a window, released once no window is live
                Trigger::OnShock(_) | Trigger::Warning { .. } => (
                    run.windows.iter().any(|&(start, _)| day == start),
                    !run.windows.iter().any(|&(start, end)| {
                        start <= day && day < end.saturating_add(backup.release_after_days)
                    }),
                ),
                Trigger::Always => (day == 0, false),
                Trigger::Never => (false, true),
            };
            if run.state == UnitState::Standby {
                if fire {
                    run.fired_day = Some(day);
                    run.first_activation.get_or_insert(day);
                    run.activations += 1;
                    run.quiet_days = 0;
                }
            } else {
                run.quiet_days = if quiet { run.quiet_days + 1 } else { 0 };
                let released = match backup.start {
                    Trigger::Availability { .. } => {
                        run.quiet_days >= backup.release_after_days.max(1)
                    }
                    _ => quiet,
                };
                if released {
                    run.fired_day = None;
                }
            }
            (run.state, run.capacity_fraction) = match run.fired_day {
                None => (UnitState::Standby, 0.0),
                Some(t0) => ramp(day - t0, backup.activation_delay_days, backup.ramp_days),
            };
        }
        std::mem::swap(&mut self.pool_today, &mut self.pool_placed);
        self.pool_placed.iter_mut().for_each(|p| *p = 0.0);
        std::mem::swap(&mut self.final_today, &mut self.final_placed);
        self.final_placed.iter_mut().for_each(|p| *p = 0.0);
        self.final_available.iter_mut().for_each(|p| *p = 0.0);
        self.pool_delivered.iter_mut().for_each(|p| *p = 0.0);
        self.released_today.iter_mut().for_each(|r| *r = 0.0);
        self.final_demand_short.iter_mut().for_each(|r| *r = false);
        self.final_demand_served.iter_mut().for_each(|r| *r = 0.0);
    }

    /// Reserves that release before the units serve today's pool orders; the rest is the units'
    /// demand, split over the sector's units by capacity (`capacity` = today's unit capacity
    /// after losses). Sets `demand` of every unit.
    pub fn assign_pool(&mut self, capacity: &[f64], demand: &mut [f64]) {
        let first = self.policies.first_unit;
        for sector in 0..self.pool_today.len() {
            let wanted = self.pool_today[sector];
            // units serving final demand also make yesterday's unmet final demand
            let final_demand = self.final_today[sector];
            if wanted <= 0.0 && final_demand <= 0.0 {
                continue;
            }
            let released = if wanted > 0.0 {
                self.release(sector, wanted, Priority::BeforeBackup)
            } else {
                0.0
            };
            self.pool_delivered[sector] += released;
            let left = (wanted - released) + final_demand;
            let units: Vec<usize> = self
                .policies
                .backups
                .iter()
                .filter(|b| b.sector == sector)
                .flat_map(|b| b.firms.iter().map(|&f| f as usize))
                .collect();
            let total: f64 = units.iter().map(|&f| capacity[f]).sum();
            for &f in &units {
                demand[f] = if total > 0.0 {
                    left * capacity[f] / total
                } else {
                    0.0
                };
            }
        }
        // units of sectors without pool orders today
        for (f, d) in demand.iter_mut().enumerate().skip(first) {
            let sector = self.policies.backups[self.unit_backup[f - first]].sector;
            if self.pool_today[sector] <= 0.0 && self.final_today[sector] <= 0.0 {
                *d = 0.0;
            }
        }
    }

    /// After production: units' output and late reserves join the pool; each buyer input of a
    /// pool sector receives its share (`received` per input slot).
    pub fn deliver_pool(&mut self, economy: &Economy, production: &[f64], received: &mut [f64]) {
        let first = self.policies.first_unit;
        for (f, &output) in production.iter().enumerate().skip(first) {
            let sector = self.policies.backups[self.unit_backup[f - first]].sector;
            self.pool_delivered[sector] += output;
        }
        for sector in 0..self.pool_today.len() {
            let wanted = self.pool_today[sector];
            if wanted <= 0.0 {
                continue;
            }
            let left = (wanted - self.pool_delivered[sector]).max(0.0);
            if left > 0.0 {
                let released = self.release(sector, left, Priority::AfterBackup);
                self.pool_delivered[sector] += released;
            }
        }
        // the pool's orders first; what is left of the units' output goes to final demand
        for sector in 0..self.pool_today.len() {
            let to_pool = self.pool_delivered[sector].min(self.pool_today[sector].max(0.0));
            self.final_available[sector] =
                (self.pool_delivered[sector] - to_pool).min(self.final_today[sector]);
        }
        for (k, got) in received.iter_mut().enumerate() {
            let order = self.pool_order[k];
            if order > 0.0 {
                let sector = economy.input_sector[k] as usize;
                let share = order / self.pool_today[sector];
                *got += share * self.pool_delivered[sector].min(self.pool_today[sector]);
            }
        }
    }

    /// Reserves serving final demand release for domestic final demand left unmet
    /// (`unmet(entry, firm)`); then reserves refill if their product had no shortfall today;
    /// then backup units serving final demand hand out what the pool left of their output.
    pub fn serve_final_demand(&mut self, unmet: impl Fn(usize, usize) -> f64) {
        for (r, reserve) in self.policies.reserves.iter().enumerate() {
            if reserve.serves != Serves::Industry {
                let left = |k: usize, f: usize, served: &[f64]| (unmet(k, f) - served[k]).max(0.0);
                let short: f64 = reserve
                    .final_demand_entries
                    .iter()
                    .map(|&(k, f)| left(k as usize, f as usize, &self.final_demand_served))
                    .sum();
                // households short of the product are a shortfall too: no refill today
                if short > 1e-9 * reserve.max_release_per_day {
                    self.final_demand_short[r] = true;
                }
                let room = (reserve.max_release_per_day - self.released_today[r]).max(0.0);
                let release = short.min(room).min(self.reserve_stock[r]);
                if release > 0.0 {
                    for &(k, f) in &reserve.final_demand_entries {
                        let (k, f) = (k as usize, f as usize);
                        let share = left(k, f, &self.final_demand_served) * release / short;
                        self.final_demand_served[k] += share;
                    }
                    self.take(r, release);
                }
            }
            // refill only once shortfalls end: buyers' orders for the product could all be
            // served by regular suppliers, and the reserve released nothing today
            let shortfall = self.shortfall[reserve.sector]
                || self.final_demand_short[r]
                || self.released_today[r] > 0.0;
            if !shortfall {
                self.reserve_stock[r] =
                    (self.reserve_stock[r] + reserve.refill_per_day).min(reserve.capacity);
            }
        }
        // backup units serving final demand: what is left of their output goes to the entries
        // still short, in proportion; what was short before them is tomorrow's demand on them
        let policies = self.policies;
        for (sector, entries) in &policies.unit_final_demand {
            let left = |k: usize, f: usize, served: &[f64]| (unmet(k, f) - served[k]).max(0.0);
            let short: f64 = entries
                .iter()
                .map(|&(k, f)| left(k as usize, f as usize, &self.final_demand_served))
                .sum();
            self.final_placed[*sector] = short;
            let give = self.final_available[*sector].min(short);
            if give > 0.0 {
                for &(k, f) in entries {
                    let (k, f) = (k as usize, f as usize);
                    let share = left(k, f, &self.final_demand_served) * give / short;
                    self.final_demand_served[k] += share;
                }
            }
        }
    }

    /// Split today's orders of regular buyers between regular suppliers and the pool.
    /// `quantity[k]` is input `k`'s order; `unserved[k]` the share its regular suppliers cannot
    /// serve; `producible(unit, capacity)` what a unit can make with its stocks. Pool sectors send `quantity × unserved × φ` to the pool, `φ` being the share of
    /// those orders the pool can serve tomorrow; `quantity` keeps the regular part.
    pub fn place_pool_orders(
        &mut self,
        economy: &Economy,
        day: u32,
        delta: &[f64],
        quantity: &mut [f64],
        unserved: &[f64],
        producible: impl Fn(usize, f64) -> f64,
    ) {
        let n_sectors = self.pool_placed.len();
        let mut wanted = vec![0.0; n_sectors];
        let regular_inputs = economy.firm_inputs[self.policies.first_unit] as usize;
        for k in 0..regular_inputs {
            let sector = economy.input_sector[k] as usize;
            if self.policies.pool_input[k] {
                wanted[sector] += quantity[k] * unserved[k];
            }
        }
        // what the pool can serve tomorrow: what units can make at tomorrow's capacity with the
        // inputs they hold (a unit cut off from its inputs serves nothing), reserves' release
        let mut supply = vec![0.0; n_sectors];
        for (b, backup) in self.policies.backups.iter().enumerate() {
            let fraction = match self.backups[b].fired_day {
                None => 0.0,
                Some(t0) => ramp(day + 1 - t0, backup.activation_delay_days, backup.ramp_days).1,
            };
            for &f in &backup.firms {
                let full = backup.capacity_per_day / backup.firms.len() as f64;
                let capacity = full * fraction * (1.0 - delta[f as usize]);
                supply[backup.sector] += producible(f as usize, capacity);
            }
        }
        for (r, reserve) in self.policies.reserves.iter().enumerate() {
            if reserve.serves != Serves::FinalDemand {
                supply[reserve.sector] += reserve.max_release_per_day.min(self.reserve_stock[r]);
            }
        }
        for (shortfall, &w) in self.shortfall.iter_mut().zip(&wanted) {
            *shortfall = w > 0.0;
        }
        let served: Vec<f64> = (0..n_sectors)
            .map(|s| {
                if wanted[s] > 0.0 {
                    (supply[s] / wanted[s]).min(1.0)
                } else {
                    0.0
                }
            })
            .collect();
        for k in 0..regular_inputs {
            let sector = economy.input_sector[k] as usize;
            let to_pool = if self.policies.pool_input[k] {
                quantity[k] * unserved[k] * served[sector]
            } else {
                0.0
            };
            self.pool_order[k] = to_pool;
            if to_pool > 0.0 {
                quantity[k] -= to_pool;
                self.pool_placed[sector] += to_pool;
            }
        }
    }

    /// Release up to `wanted` of `sector` from reserves serving industry with `priority`.
    fn release(&mut self, sector: usize, wanted: f64, priority: Priority) -> f64 {
        let mut released = 0.0;
        for (r, reserve) in self.policies.reserves.iter().enumerate() {
            if reserve.sector != sector
                || reserve.priority != priority
                || reserve.serves == Serves::FinalDemand
            {
                continue;
            }
            let room = (reserve.max_release_per_day - self.released_today[r]).max(0.0);
            let amount = (wanted - released)
                .min(room)
                .min(self.reserve_stock[r])
                .max(0.0);
            if amount > 0.0 {
                self.take(r, amount);
                released += amount;
            }
        }
        released
    }

    fn take(&mut self, reserve: usize, amount: f64) {
        self.reserve_stock[reserve] -= amount;
        self.released_today[reserve] += amount;
        self.released_total[reserve] += amount;
    }
}

/// State and capacity share `elapsed` days after a trigger fired.
fn ramp(elapsed: u32, delay: u32, ramp_days: u32) -> (UnitState, f64) {
    if elapsed < delay {
        (UnitState::Activating, 0.0)
    } else if elapsed - delay < ramp_days {
        (
            UnitState::Ramping,
            f64::from(elapsed - delay) / f64::from(ramp_days),
        )
    } else {
        (UnitState::Active, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ramp_rises_linearly_after_the_delay() {
        assert_eq!(ramp(0, 3, 4), (UnitState::Activating, 0.0));
        assert_eq!(ramp(2, 3, 4), (UnitState::Activating, 0.0));
        assert_eq!(ramp(3, 3, 4), (UnitState::Ramping, 0.0));
        assert_eq!(ramp(5, 3, 4), (UnitState::Ramping, 0.5));
        assert_eq!(ramp(7, 3, 4), (UnitState::Active, 1.0));
        assert_eq!(ramp(0, 0, 0), (UnitState::Active, 1.0));
    }
}
