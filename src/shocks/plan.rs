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

use super::Shocks;
use super::crisis::{Compile, Crisis, DrawContext};
use crate::economy::{Economy, Resolver};
use crate::kinds::Compat;
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
        Ok(Plan {
            crises,
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
        drawn
    }

    /// The primitives of run 0 with the scenario's seed.
    pub fn first_run(&self, economy: &Economy) -> Shocks {
        self.draw(economy, self.seed, 0).shocks
    }
}
