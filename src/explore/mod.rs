//! Studies built on the Monte Carlo layer: global sensitivity (Sobol indices), scenario
//! discovery (PRIM) and the critical-industry ranking. The first two take numbers a sweep
//! produced; the ranking has the study simulate its outages ([`crate::montecarlo::Study`]).
//! Each returns numbers the output layer writes.

pub mod discover;
pub mod prim;
pub mod rank;
pub mod sensitivity;
