//! Studies built on the Monte Carlo layer: global sensitivity (Sobol indices) and scenario
//! discovery (PRIM). Each analysis takes numbers the sweep produced and returns numbers the
//! output layer writes; none runs the engine itself.

pub mod discover;
pub mod prim;
pub mod sensitivity;
