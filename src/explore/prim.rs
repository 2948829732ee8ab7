//! Scenario discovery with PRIM (Friedman and Fisher 1999), as EMA Workbench does it.
