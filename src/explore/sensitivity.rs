//! Sobol first- and total-order indices from a Saltelli design.
