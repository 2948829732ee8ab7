//! The output layout: every file an output directory holds and the header of every table,
//! defined once. The writers here and the readers in [`crate::plot`] both use it, so a file
//! the program writes is the file the charts read.

use crate::metrics::catalogue::CATALOGUE;

/// A table file of an output directory: its name and its fixed columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableFile {
    /// File name, relative to the output directory.
    pub name: &'static str,
    /// The header (for `runs.csv`, the columns before the metrics).
    pub header: &'static [&'static str],
}

/// Every value drawn for the scenario's shocks, run by run.
pub const DRAWS: TableFile = TableFile {
    name: "draws.csv",
    header: &["run", "shock", "parameter", "value"],
};

/// Every metric of every run and variant: these columns, then one per metric of the catalogue
/// ([`runs_header`]).
pub const RUNS: TableFile = TableFile {
    name: "runs.csv",
    header: &["run", "variant", "seed"],
};

/// Statistics of every metric over the runs of each variant.
pub const SUMMARY: TableFile = TableFile {
    name: "summary.csv",
    header: &[
        "variant",
        "metric",
        "unit",
        "n",
        "mean",
        "std_error",
        "p05",
        "p25",
        "p50",
        "p75",
        "p95",
        "var95",
        "cvar95",
    ],
};

/// Daily quantile bands of the series kept of each run (tidy).
pub const DAILY: TableFile = TableFile {
    name: "daily.csv",
    header: &[
        "variant", "day", "kind", "name", "unit", "mean", "p05", "p25", "p50", "p75", "p95",
    ],
};

/// Mean value-added loss of each industry over the runs of each variant.
pub const INDUSTRY_LOSS: TableFile = TableFile {
    name: "industry_loss.csv",
    header: &["variant", "region", "sector", "loss_pct", "domestic"],
};

/// What each policy did, per run and variant.
pub const POLICIES: TableFile = TableFile {
    name: "policies.csv",
    header: &[
        "run",
        "variant",
        "policy",
        "kind",
        "activation_day",
        "activations",
        "delivered",
        "holding_cost",
        "activation_cost",
    ],
};

/// The first column of every daily record; the others are labelled `<region>|<sector>` (or a
/// backup unit's or reserve's name).
pub const RECORD_STEP: &str = "step";

/// The scenario file as run.
pub const SCENARIO: &str = "scenario.ron";

/// The folder of a split sweep's shards, `shards/<I>-of-<N>/`.
pub const SHARDS: &str = "shards";

/// How the directory was made.
pub const MANIFEST: &str = "manifest.json";

/// The report for reviewers.
pub const REPORT: &str = "report.html";

/// Folder of the charts.
pub const PLOTS: &str = "plots";

/// The header of `runs.csv`: [`RUNS`]'s columns, then every metric.
pub fn runs_header() -> Vec<&'static str> {
    RUNS.header
        .iter()
        .copied()
        .chain(CATALOGUE.iter().map(|m| m.name))
        .collect()
}

/// Where the daily records of run `run` of a study with `runs` runs go: `records/` with one
/// run, `runs/<k>/records/` (`k` zero-padded to 4 digits) with several.
pub fn records_dir(runs: usize, run: usize) -> String {
    format!("{}records", run_prefix(runs, run))
}

/// The folder of variant `v` (after "base", which writes at the top) named `name`:
/// `variants/<v>-<name>/`, `v` zero-padded to 2 digits (names stay unique), every character
/// of the name but letters, digits, `-` and `_` replaced by `-`.
pub fn variant_dir(v: usize, name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("variants/{v:02}-{slug}/")
}

/// The folder of run `run`'s files (`""` with one run, `runs/<k>/` with several).
pub fn run_prefix(runs: usize, run: usize) -> String {
    if runs == 1 {
        String::new()
    } else {
        format!("runs/{run:04}/")
    }
}

/// A sweep's statistics, tidy: these columns, then one per swept parameter (its path), then
/// [`SWEEP_STATISTICS`].
pub const SWEEP: TableFile = TableFile {
    name: "sweep.csv",
    header: &["point", "group"],
};

/// The statistics columns of `sweep.csv`, after the parameters.
pub const SWEEP_STATISTICS: &[&str] = &[
    "metric",
    "unit",
    "n",
    "mean",
    "std_error",
    "p05",
    "p25",
    "p50",
    "p75",
    "p95",
    "var95",
    "cvar95",
];

/// Every metric of every run of every point: these columns, then the parameters, then one per
/// metric of the catalogue, then [`POINT_FAILURE`].
pub const POINTS: TableFile = TableFile {
    name: "points.csv",
    header: &["point", "group", "run"],
};

/// The last column of `runs.csv`: why the run failed (a panic, a value that is not finite),
/// empty when it did not.
pub const RUN_FAILURE: &str = "failure";

/// The last column of `points.csv`: why the run failed (a panic, a value that is not finite),
/// empty when it did not.
pub const POINT_FAILURE: &str = "failure";

/// The frontier and robustness of each point: these columns, then the parameters, then
/// [`FRONTIER_COLUMNS`].
pub const FRONTIER: TableFile = TableFile {
    name: "frontier.csv",
    header: &["point", "group"],
};

/// The columns of `frontier.csv` after the parameters.
pub const FRONTIER_COLUMNS: [&str; 13] = [
    "loss_metric",
    "annual_cost",
    "mean_loss",
    "cvar95_loss",
    "mean_regret",
    "p90_regret",
    "max_regret",
    "satisficing_share",
    "efficient_mean",
    "efficient_cvar95",
    "efficient_regret",
    "dominated_by",
    "indistinct",
];

/// Every value drawn, per point and run.
pub const SWEEP_DRAWS: TableFile = TableFile {
    name: "draws.csv",
    header: &["point", "run", "shock", "parameter", "value"],
};

/// Sobol indices of a sensitivity study: per metric and swept parameter (its path and role),
/// the first- and total-order index, each with the half-width of its 95 % bootstrap interval.
pub const SENSITIVITY: TableFile = TableFile {
    name: "sensitivity.csv",
    header: &[
        "metric",
        "parameter",
        "role",
        "first",
        "first_conf",
        "total",
        "total_conf",
    ],
};

/// Scenario discovery's peeling trajectory: per step of PRIM's search for the cases that
/// `condition` names, the box's coverage, density and mass (shares), the number of
/// restricted parameters, and whether it is the box chosen.
pub const DISCOVERY: TableFile = TableFile {
    name: "discovery.csv",
    header: &[
        "condition",
        "step",
        "coverage",
        "density",
        "mass",
        "restricted",
        "chosen",
    ],
};

/// The box scenario discovery chose: per swept parameter its limits in the box and its range
/// in the sweep.
pub const DISCOVERY_BOX: TableFile = TableFile {
    name: "discovery_box.csv",
    header: &["parameter", "lower", "upper", "min", "max"],
};

/// `hinterland rank`: every outage (domestic industry) and cut-off (foreign block × sector),
/// by kind and rank, with its simulated and structural measures (`docs/ranking.md`).
pub const RANKING: TableFile = TableFile {
    name: "ranking.csv",
    header: &[
        "kind",
        "rank",
        "region",
        "sector",
        "magnitude",
        "va_loss_days",
        "va_loss_money",
        "direct_loss_days",
        "indirect_loss_days",
        "trough",
        "recovery_days",
        "out_strength",
        "reach",
        "sole_source_buyers",
        "sole_source_va",
        "rank_out_strength",
        "rank_reach",
        "rank_sole_source_va",
    ],
};

/// `hinterland rank`: the top outages' losses at every magnitude.
pub const LOSS_BY_MAGNITUDE: TableFile = TableFile {
    name: "loss_by_magnitude.csv",
    header: &[
        "rank",
        "region",
        "sector",
        "magnitude",
        "va_loss_days",
        "va_loss_money",
        "direct_loss_days",
        "indirect_loss_days",
        "trough",
        "recovery_days",
    ],
};

/// `hinterland rank`: Spearman's rank correlation of the simulated loss with each structural
/// measure, among outages and among cut-offs.
pub const RANK_CORRELATION: TableFile = TableFile {
    name: "rank_correlation.csv",
    header: &["kind", "measure", "spearman", "n"],
};

/// `hinterland optimize`: every candidate backup (template × region × size) with its annual
/// holding cost (`docs/optimize.md`).
pub const CANDIDATES: TableFile = TableFile {
    name: "candidates.csv",
    header: &[
        "candidate",
        "name",
        "template",
        "sector",
        "region",
        "size",
        "capacity_share",
        "capacity_value",
        "annual_cost",
    ],
};

/// `hinterland optimize`: every portfolio evaluated, in order, the empty one first.
pub const PORTFOLIOS: TableFile = TableFile {
    name: "portfolios.csv",
    header: &[
        "order",
        "portfolio",
        "candidates",
        "annual_cost",
        "objective",
        "mean_loss",
        "cvar95_loss",
        "mean_activation_cost",
        "mean_loss_avoided",
        "cvar95_loss_avoided",
        "pareto",
    ],
};

/// `hinterland optimize`: the portfolio chosen at each budget, and the marginal value of the
/// budget (loss avoided per extra unit of money a year, from the budget before).
pub const CHOICES: TableFile = TableFile {
    name: "choices.csv",
    header: &[
        "budget",
        "method",
        "searched",
        "portfolio",
        "candidates",
        "annual_cost",
        "objective",
        "mean_loss",
        "cvar95_loss",
        "mean_activation_cost",
        "mean_loss_avoided",
        "cvar95_loss_avoided",
        "marginal_value",
    ],
};

/// `hinterland optimize`: each budget's greedy path, step by step (empty when the search was
/// exact).
pub const GREEDY_PATH: TableFile = TableFile {
    name: "greedy_path.csv",
    header: &[
        "budget",
        "step",
        "portfolio",
        "candidates",
        "annual_cost",
        "objective",
        "ratio",
    ],
};

/// `hinterland optimize`: run by run, the loss without backup and with each budget's
/// portfolio (the same crisis in both).
pub const CHOICE_RUNS: TableFile = TableFile {
    name: "choice_runs.csv",
    header: &["budget", "run", "loss_none", "loss", "activation_cost"],
};
