//! The integration-test binary: engine against BoARIO, invariants, CLI and shipped scenarios.

mod allocation;
mod boario;
mod china;
mod china_scenarios;
mod china_sources;
mod cli;
mod cli_scenarios;
mod common;
mod docs;
mod golden;
mod inoue_todo;
mod inputs;
mod interrupt;
mod invariants;
mod layering;
mod memory;
mod parallel;
mod policy;
mod rationing;
mod regions;
mod regression;
mod routing;
mod scenarios;
mod shocks;
mod synthetic;
mod variants;
