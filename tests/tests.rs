//! The integration-test binary: engine against BoARIO, invariants, CLI and shipped scenarios.

mod boario;
mod cli;
mod cli_scenarios;
mod common;
mod invariants;
mod policy;
mod regression;
mod scenarios;
mod shocks;
mod synthetic;
