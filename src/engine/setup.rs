//! Setting up a run: the state at the baseline, backup units holding their prestock, the
//! order layout chosen for the network.

use super::Simulation;
use super::gates::Gates;
use super::household::Households;
use super::kernels::Supply;
use super::layout::{IMPLICIT_MIN_LINKS_PER_INPUT, Implicit, Row};
use super::par::Blocks;
use super::params::StepParams;
use super::rationing::Served;
use super::rebuild::Rebuild;
use crate::economy::{DAILY, Economy};
use crate::kinds::{OrderType, Rationing};
use crate::model::Dynamics;
use crate::policy::Policies;
use crate::policy::state::PolicyState;
use crate::shocks::Shocks;

impl<'e> Simulation<'e> {
    /// A run at its baseline (day 0 not yet stepped).
    pub fn new(economy: &'e Economy, dynamics: &Dynamics, shocks: Shocks) -> Simulation<'e> {
        Simulation::build(economy, dynamics, shocks, None, None)
    }

    /// A run with backup units and reserves; `economy` must be the one [`Policies::new`]
    /// returned (extended with the units). Without any policy this is [`Simulation::new`].
    pub fn with_policies(
        economy: &'e Economy,
        dynamics: &Dynamics,
        shocks: Shocks,
        policies: &'e Policies,
    ) -> Simulation<'e> {
        let policies = (!policies.is_empty()).then_some(policies);
        Simulation::build(economy, dynamics, shocks, policies, None)
    }

    /// Another run of this one's economy, dynamics (`dynamics`, as given to this one) and
    /// policies, with `shocks`, at its baseline: what [`Simulation::with_policies`] gives,
    /// sharing this run's static arrays of implicit orders (the flows and slots in sales
    /// order) instead of building them again.
    pub fn sibling(&self, dynamics: &Dynamics, shocks: Shocks) -> Simulation<'e> {
        let policies = self.policy.as_ref().map(|p| p.policies());
        Simulation::build(
            self.economy,
            dynamics,
            shocks,
            policies,
            self.implicit.as_ref(),
        )
    }

    pub(super) fn build(
        economy: &'e Economy,
        dynamics: &Dynamics,
        shocks: Shocks,
        policies: Option<&'e Policies>,
        template: Option<&Implicit>,
    ) -> Simulation<'e> {
        let params = StepParams::new(dynamics, economy);
        let n_firms = economy.n_firms();
        let output0: Vec<f64> = economy.firm_output.iter().map(|x| x * DAILY).collect();
        let critical = params.critical_inputs(economy);
        let mut stock = Vec::with_capacity(economy.input_sector.len());
        let mut input_days = Vec::with_capacity(economy.input_sector.len());
        for (f, &x0) in output0.iter().enumerate() {
            for k in economy.firm_inputs[f] as usize..economy.firm_inputs[f + 1] as usize {
                let input = economy.input_sector[k] as usize;
                let days = params.inventory_days[input];
                input_days.push(days);
                stock.push((x0 * economy.input_per_output[k]) * days);
            }
        }
        let rebuild = Rebuild::new(economy, &shocks);
        let policy = policies.map(|p| PolicyState::new(p, economy, &shocks));
        // implicit orders pay on dense networks (suppliers selling to many buyers in a row);
        // on sparse ones reading `q` and `T` of random buyers costs more than one stored order.
        // Link shocks are read through gates (`gates`), unless they form too many sets.
        let first_unit = policies.map_or(n_firms, |p| p.first_unit);
        let gates = if shocks.links.is_empty() {
            Some(None)
        } else {
            Gates::new(economy, &shocks.links).map(Some)
        };
        let implicit = (dynamics.order_type == OrderType::Alt
            && economy.n_links() >= IMPLICIT_MIN_LINKS_PER_INPUT * economy.input_sector.len())
        .then_some(gates)
        .flatten()
        .map(|gates| match template {
            // a sibling's layout, when the template's fits (supplier runs only without gates)
            Some(t) if t.first_unit == first_unit && t.gates.is_some() == gates.is_some() => {
                t.sibling(gates)
            }
            _ => Implicit::new(economy, first_unit, true, gates),
        });
        let (order, sales_buyer) = if implicit.is_some() {
            (Vec::new(), Vec::new())
        } else {
            stored_orders(economy, first_unit)
        };
        if let Some(policies) = policies {
            for backup in &policies.backups {
                let per_unit = backup.capacity_per_day / backup.firms.len() as f64;
                for &f in &backup.firms {
                    let f = f as usize;
                    let inputs =
                        economy.firm_inputs[f] as usize..economy.firm_inputs[f + 1] as usize;
                    // a unit's stock target is its prestock, not the firms' inventory days
                    let days = f64::from(backup.prestock_days.max(1));
                    input_days[inputs.clone()]
                        .iter_mut()
                        .for_each(|d| *d = days);
                    for (held, per_output) in stock[inputs.clone()]
                        .iter_mut()
                        .zip(&economy.input_per_output[inputs])
                    {
                        *held = per_unit * per_output * days;
                    }
                }
            }
        }
        let link_strength = vec![0.0; shocks.links.len()];
        let has_link_shocks = !shocks.links.is_empty();
        let implicit_orders = implicit.is_some();
        let blocks = Blocks::new(economy);
        let final_demand0: Vec<f64> = economy
            .final_demand_annual
            .iter()
            .map(|y| y * DAILY)
            .collect();
        let demand_multiplier = vec![1.0; shocks.demand.len()];
        Simulation {
            economy,
            shocks,
            day: 0,
            alpha: vec![params.alpha_base; n_firms],
            alpha_max: if params.alpha_max_by_sector.is_empty() {
                Vec::new()
            } else {
                (0..n_firms)
                    .map(|f| {
                        params.alpha_max_by_sector
                            [economy.industry_sector(economy.firm_industry[f] as usize)]
                    })
                    .collect()
            },
            delta: vec![0.0; n_firms],
            capital_lost: vec![0.0; n_firms],
            capacity: output0.iter().map(|x| x * params.alpha_base).collect(),
            demand: output0.clone(),
            share_total: output0.clone(),
            orders_received: vec![0.0; n_firms],
            production: output0.clone(),
            supplier_ratio: vec![1.0; n_firms],
            supplier_ratio_next: vec![1.0; n_firms],
            supply: vec![Supply::default(); n_firms],
            implicit,
            output0,
            critical,
            input_days,
            received: vec![0.0; stock.len()],
            target: vec![0.0; stock.len()],
            stock,
            order,
            sales_buyer,
            open: vec![
                1.0;
                if has_link_shocks {
                    economy.n_links()
                } else {
                    0
                }
            ],
            // with implicit orders the gates hold what passes
            pass: vec![
                1.0;
                if has_link_shocks && implicit_orders {
                    0
                } else if has_link_shocks {
                    economy.n_links()
                } else {
                    0
                }
            ],
            link_strength,
            final_demand: final_demand0.clone(),
            final_demand0,
            demand_multiplier,
            rebuild,
            rows: vec![Row::default(); blocks.len()],
            dense_rows: economy.n_links().saturating_mul(4)
                >= n_firms.saturating_mul(n_firms + economy.final_demand_columns.len()),
            blocks,
            quantity: vec![0.0; economy.input_sector.len()],
            unserved: vec![0.0; economy.input_sector.len()],
            served: if params.rationing == Rationing::Proportional {
                Vec::new()
            } else {
                vec![Served::default(); policies.map_or(n_firms, |p| p.first_unit)]
            },
            households: Households::new(
                dynamics,
                economy,
                policies.map_or(n_firms, |p| p.first_unit),
            ),
            policy,
            params,
            given: false,
        }
    }
}

/// Orders stored per link at the baseline (the flows; nothing for backup units, which hold
/// their prestock), and the buyer of each sale.
pub(super) fn stored_orders(economy: &Economy, first_unit: usize) -> (Vec<f64>, Vec<u32>) {
    let mut order: Vec<f64> = economy.link_flow.iter().map(|z| z * DAILY).collect();
    let first_link = economy.input_links[economy.firm_inputs[first_unit] as usize] as usize;
    if let Some(order) = order.get_mut(first_link..) {
        order.iter_mut().for_each(|o| *o = 0.0);
    }
    let link_buyer: Vec<u32> = economy.link_buyers().collect();
    let sales_buyer = economy
        .sales_link
        .iter()
        .map(|&l| link_buyer[l as usize])
        .collect();
    (order, sales_buyer)
}
