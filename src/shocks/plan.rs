//! Scenario shocks compiled once against the economy ([`Plan::new`]: names and selectors
//! resolved, everything checked) and drawn per run ([`Plan::draw`]) into engine primitives.
//! How each kind expands is in its own file under `crisis/`.
//!
//! Run `k` draws shock `i` from its own generator, seeded from `(seed, k, i)` only
//! ([`crate::seeding::stream_rng`]), so adding, removing or changing any other shock or
//! policy never changes the crisis a run sees. Backup units hit by a shock are drawn from a
//! stream of their own, `(seed, k, i, 1)`, so that the regular firms hit are the same with and
//! without backups (common random numbers).
//!
//! A drawn start day of 0 becomes day 1 (day 0 is the baseline); a shock drawn to start on or
//! after the last day falls outside the run and does nothing. Every drawn value is reported
//! ([`Draw`]), so a run's crisis can be read back.

use rand::RngExt;

use super::crisis::{Compile, Crisis, DrawContext};
use super::{Shocks, Warning};
use crate::economy::{Economy, Resolver};
use crate::kinds::{Compat, DaysDist, Trigger};
use crate::model::{Invalid, Model};
use crate::seeding::stream_rng;

/// One drawn value of one shock in one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Draw {
    /// Shock name.
    pub shock: String,
    /// Parameter name (`start_day`, `firms_hit`, …).
    pub parameter: &'static str,
    /// Value drawn.
    pub value: f64,
}

/// The primitives of one run and the values drawn for them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Drawn {
    /// What the engine sees.
    pub shocks: Shocks,
    /// What was drawn, in shock order.
    pub draws: Vec<Draw>,
}

/// The scenario's shocks compiled against an economy, ready to be drawn run by run.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    crises: Vec<Crisis>,
    warnings: Vec<WarningPlan>,
    compat: Compat,
    days: u32,
    seed: u64,
    capital: Vec<f64>,
}

impl Plan {
    /// Resolve every name and selector of the model's shocks with `resolver` (on the economy
    /// the runs step over, backup units included).
    pub fn new(model: &Model, resolver: &Resolver) -> Result<Plan, Invalid> {
        let compat = model.dynamics().compat;
        let ctx = Compile { resolver, compat };
        // every shock is compiled, and every error reported together
        let crises = crate::model::check_each(model.shocks(), |_, def| Crisis::compile(def, &ctx))?;
        let warnings = model
            .backup()
            .iter()
            .filter_map(|backup| match &backup.trigger {
                Trigger::Warning {
                    shock,
                    lead_days,
                    false_alarm,
                } => Some(WarningPlan {
                    backup: backup.name.clone(),
                    shock: shock.clone(),
                    // the model checked that the shock exists
                    index: model.shocks().iter().position(|s| &s.name == shock)?,
                    lead_days: *lead_days,
                    false_alarm: false_alarm.get(),
                }),
                _ => None,
            })
            .collect();
        Ok(Plan {
            crises,
            warnings,
            compat,
            days: model.days() as u32,
            seed: model.seed(),
            capital: resolver.economy().firm_capital.clone(),
        })
    }

    /// The primitives of run `run` with shock seed `seed` (normally the scenario's).
    pub fn draw(&self, economy: &Economy, seed: u64, run: u64) -> Drawn {
        let ctx = DrawContext {
            economy,
            compat: self.compat,
            days: self.days,
            capital: &self.capital,
        };
        let mut drawn = Drawn::default();
        for (index, crisis) in self.crises.iter().enumerate() {
            let mut rng = stream_rng(seed, &[3, run, index as u64]);
            let mut unit_rng = stream_rng(seed, &[3, run, index as u64, 1]);
            crisis.draw(&ctx, &mut rng, &mut unit_rng, &mut drawn);
        }
        for warning in &self.warnings {
            warning.draw(seed, run, self.days, &mut drawn);
        }
        drawn
    }

    /// The primitives of run 0 with the scenario's seed.
    pub fn first_run(&self, economy: &Economy) -> Shocks {
        self.draw(economy, self.seed, 0).shocks
    }
}

/// An early warning of one backup ([`Trigger::Warning`]), compiled.
#[derive(Debug, Clone, PartialEq)]
struct WarningPlan {
    backup: String,
    shock: String,
    /// The shock's index in the scenario: the warning draws from `(seed, run, index, 2)`, a
    /// stream of its own, so every variant and every backup warned of that shock sees the
    /// same lead and false alarm (common random numbers), and the crisis itself is drawn as
    /// without the warning.
    index: usize,
    lead_days: DaysDist,
    false_alarm: f64,
}

impl WarningPlan {
    /// The alarms of run `run` (after the shocks were drawn): the lead, whether a false alarm
    /// comes and on which day (all three always drawn, in this order).
    fn draw(&self, seed: u64, run: u64, days: u32, drawn: &mut Drawn) {
        let mut rng = stream_rng(seed, &[3, run, self.index as u64, 2]);
        let lead = self.lead_days.sample(&mut rng);
        let false_alarm = rng.random::<f64>() < self.false_alarm;
        let alarm_day = rng.random_range(1..days.max(2));
        let mut alarms = Vec::new();
        let mut record = |parameter: &'static str, value: u32| {
            let draw = Draw {
                shock: self.shock.clone(),
                parameter,
                value: f64::from(value),
            };
            // backups warned of the same shock share the draws: recorded once
            if !drawn.draws.contains(&draw) {
                drawn.draws.push(draw);
            }
        };
        record("warning_lead_days", lead);
        if let Some((start, end)) = drawn.shocks.window(&self.shock) {
            alarms.push((start.saturating_sub(lead).max(1), end));
        }
        if false_alarm {
            record("false_alarm_day", alarm_day);
            alarms.push((alarm_day, alarm_day.saturating_add(lead)));
        }
        alarms.sort_unstable();
        drawn.shocks.warnings.push(Warning {
            backup: self.backup.clone(),
            alarms,
        });
    }
}
