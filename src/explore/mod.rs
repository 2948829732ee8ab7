//! Studies built on the Monte Carlo layer: global sensitivity (Sobol indices), scenario
//! discovery (PRIM), the critical-industry ranking and the budgeted placement search. The
//! first two take numbers a sweep produced; the ranking has the study simulate its outages
//! ([`crate::montecarlo::Study`]); the placement search asks its caller for the objective of
//! each portfolio it considers. Each returns numbers the output layer writes.

pub mod discover;
pub mod optimize;
pub mod prim;
pub mod rank;
pub mod sensitivity;
