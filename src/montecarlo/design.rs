//! Designs on the unit cube: Latin hypercube, scrambled Sobol points and Saltelli's matrices.
