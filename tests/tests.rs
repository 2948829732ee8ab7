//! The integration-test binary: engine against BoARIO, invariants, CLI and shipped scenarios.

mod boario;
mod cli;
mod common;
mod invariants;
mod scenarios;
mod shocks;
