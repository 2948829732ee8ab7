//! The `hinterland` command line's flags and subcommands (clap), and the parsers of their
//! values; `main.rs` dispatches them to the library.

use std::path::PathBuf;

use clap::{ArgAction, Parser, Subcommand};

/// hinterland — supply-chain resilience: firm-level ARIO simulations of shocks to a
/// multi-regional production network.
#[derive(Parser)]
#[command(version, about, long_about = None)]
pub(crate) struct Cli {
    /// More messages on stderr: -v adds debug lines (the economy's size, threads, the memory
    /// estimate and what it was checked against), -vv trace lines as well.
    #[arg(short, long, action = ArgAction::Count, global = true)]
    pub(crate) verbose: u8,
    /// Fewer messages on stderr: -q shows no progress and no summary, only warnings and
    /// errors; -qq only errors.
    #[arg(short, long, action = ArgAction::Count, global = true)]
    pub(crate) quiet: u8,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Run a scenario and its variants on the same drawn crises: metrics, statistics, charts and
    /// report.html in DIR (daily records too with one run, or with --records).
    ///
    /// Progress goes to stderr unless --quiet: a bar on a terminal, a plain line at every
    /// tenth of the simulations elsewhere (a log file, Slurm). Finished runs are kept in
    /// DIR/.checkpoint/ until the results land: the same command, started again after a kill,
    /// goes on from them.
    Run {
        /// The scenario file (RON).
        #[arg(required_unless_present = "reproduce")]
        scenario: Option<PathBuf>,
        /// Run an earlier output directory DIR again: its scenario.ron on the data its
        /// manifest.json names (refused if a data file's SHA-256 changed), with its seed, runs
        /// and records. The result files are byte-identical to DIR's, from any working
        /// directory.
        #[arg(long, value_name = "DIR", conflicts_with = "scenario")]
        reproduce: Option<PathBuf>,
        /// Output directory [default: output/<scenario name>].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Replace the output directory if it exists.
        #[arg(long)]
        force: bool,
        /// Monte Carlo runs [default: the scenario's `runs`, or 1].
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        runs: Option<u32>,
        /// Seed of the shock draws [default: the scenario's `seed`, or 0].
        #[arg(long)]
        seed: Option<u64>,
        /// Worker threads [default: one per core; at most 4 per core]. Results are identical
        /// for any number.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        threads: Option<u32>,
        /// Runs of a variant stepped together, each lane of a batch one run, so that every
        /// pass over the network serves them all [default: 8; at most 16; 1: each run alone].
        /// Results are identical for any number.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=16))]
        batch: Option<u32>,
        /// Also write every run's daily records (runs/<k>/records/); with one run they are
        /// always written to records/.
        #[arg(long)]
        records: bool,
        /// Set a parameter path on top of the file, as a variant's `set` does, e.g.
        /// `--set backup.chips-cq.capacity_share=0.2` or
        /// `--set 'shocks.embargo.duration_days=Uniform(90, 180)'`; repeatable, applied in
        /// order. The manifest records them, and --reproduce applies them again.
        #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_assignment)]
        set: Vec<hinterland::model::Assignment>,
        /// Also write the daily records of every run of every other variant, "no policies"
        /// included, under variants/<v>-<name>/ (implies --records).
        #[arg(long)]
        variant_records: bool,
        /// Also write every run's daily series, for every variant, to trajectories.nc
        /// (NetCDF-3; `xarray.open_dataset` reads it), each run as soon as it finishes.
        #[arg(long)]
        trajectories: bool,
        /// Memory the run may use, e.g. 512M or 8G [default: what the machine has available].
        /// A run estimated to need more is refused before it starts.
        #[arg(long, value_name = "SIZE", value_parser = parse_max_memory)]
        max_memory: Option<u64>,
        /// Stop at the first run that fails (a panic, a value that is not finite) instead of
        /// recording it in runs.csv, leaving it out of the statistics and going on.
        #[arg(long)]
        fail_fast: bool,
        /// Split the (variant, run) pairs into N shards and compute one of them, into
        /// DIR/shards/<I>-of-<N>/; `hinterland merge DIR` joins them (docs/cluster.md).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        shards: Option<u32>,
        /// Which shard to compute, 0 to N-1 [default: from SLURM_ARRAY_TASK_ID,
        /// JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX].
        #[arg(long, value_name = "I", requires = "shards")]
        shard: Option<u32>,
    },
    /// Run a scenario's sweep: every point of its design (or of --grid) a variant, all on the
    /// same drawn crises run by run, with one "no policies" reference per setting of the
    /// uncertain parameters. Writes points.csv, sweep.csv, frontier.csv, draws.csv, charts and
    /// report.html to DIR.
    ///
    /// Finished runs are kept in DIR/.checkpoint/ until the results land: the same command,
    /// started again after a kill, goes on from them.
    Sweep {
        /// The scenario file (RON), with `sweep: Sweep(...)` unless --grid is given.
        scenario: PathBuf,
        /// Output directory [default: output/<scenario name>-sweep].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Replace the output directory if it exists.
        #[arg(long)]
        force: bool,
        /// Runs of every point [default: the sweep's `runs_per_point`, or the scenario's
        /// `runs`].
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        runs: Option<u32>,
        /// Seed of the shock draws [default: the scenario's `seed`, or 0].
        #[arg(long)]
        seed: Option<u64>,
        /// Worker threads [default: one per core; at most 4 per core]. Results are identical
        /// for any number.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        threads: Option<u32>,
        /// Runs of a variant stepped together, each lane of a batch one run, so that every
        /// pass over the network serves them all [default: 8; at most 16; 1: each run alone].
        /// Results are identical for any number.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=16))]
        batch: Option<u32>,
        /// Set a parameter path on top of the file before the sweep, e.g. `--set
        /// shocks.embargo.duration_days=120`; repeatable.
        #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_assignment)]
        set: Vec<hinterland::model::Assignment>,
        /// Sweep PATH over these values on a grid, e.g. `--grid
        /// backup.chips-cq.capacity_share=0,0.1,0.2`; repeatable. Added to the scenario's
        /// sweep, or replacing the values of a path it already sweeps.
        #[arg(long = "grid", value_name = "PATH=V1,V2,…", value_parser = parse_grid)]
        grid: Vec<(String, Vec<String>)>,
        /// Memory the sweep may use, e.g. 512M or 8G [default: what the machine has
        /// available].
        #[arg(long, value_name = "SIZE", value_parser = parse_max_memory)]
        max_memory: Option<u64>,
        /// Split the sweep's (point, run) pairs into N shards and compute one of them, into
        /// DIR/shards/<I>-of-<N>/; `hinterland merge DIR` joins them (docs/cluster.md).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        shards: Option<u32>,
        /// Which shard to compute, 0 to N-1 [default: from SLURM_ARRAY_TASK_ID,
        /// JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX].
        #[arg(long, value_name = "I", requires = "shards")]
        shard: Option<u32>,
        /// Stop at the first run that fails (a panic, a value that is not finite) instead of
        /// recording it in points.csv and going on.
        #[arg(long)]
        fail_fast: bool,
    },
    /// Join the shards of a split sweep or run (DIR/shards/<I>-of-<N>/, written by `sweep
    /// --shards N` or `run --shards N`) into the files the whole sweep or run writes, in DIR. Refused, with the list, when a run
    /// is missing or twice there, or the shards are of different work (scenario, table,
    /// options, version); nothing is written then.
    Merge {
        /// The sweep's or run's output directory (its --out).
        dir: PathBuf,
        /// Replace merged results already in DIR.
        #[arg(long)]
        force: bool,
        /// Worker threads for loading the economy [default: one per core].
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        threads: Option<u32>,
    },
    /// The critical-industry list: every domestic industry (region × sector) given the same
    /// standard outage, every foreign block × sector the same cut-off, each simulated once and
    /// ranked by the national value-added loss it causes, beside structural measures of the
    /// network (out-strength, reach, sole sources) and, for the top industries, the loss at
    /// every magnitude (docs/ranking.md).
    ///
    /// Uses the scenario's economy, dynamics and `days`; its shocks, policies and variants
    /// are not simulated. Writes ranking.csv, loss_by_magnitude.csv, rank_correlation.csv and
    /// charts to DIR.
    Rank {
        /// The scenario file (RON).
        scenario: PathBuf,
        /// Output directory [default: output/<scenario name>-rank].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Replace the output directory if it exists.
        #[arg(long)]
        force: bool,
        /// Days each outage lasts.
        #[arg(long, value_name = "DAYS", default_value_t = hinterland::explore::rank::DEFAULT_DURATION_DAYS)]
        duration: u32,
        /// Days each cut-off of a foreign block × sector lasts.
        #[arg(long, value_name = "DAYS", default_value_t = hinterland::explore::rank::DEFAULT_CUTOFF_DAYS)]
        cutoff_duration: u32,
        /// First day of the outages (day 0 is the baseline).
        #[arg(long, value_name = "DAY", default_value_t = hinterland::explore::rank::DEFAULT_START_DAY)]
        start_day: u32,
        /// Shares of capacity lost, increasing, comma-separated: the ranking uses the largest,
        /// the loss-by-magnitude curves every one [default: 0.25,0.5,0.75,1].
        #[arg(long, value_name = "M1,M2,…", value_delimiter = ',')]
        magnitudes: Vec<f64>,
        /// Top outages simulated at every magnitude.
        #[arg(long, value_name = "N", default_value_t = hinterland::explore::rank::DEFAULT_CURVES)]
        curves: usize,
        /// Rank domestic outages only, not the cut-offs of foreign blocks.
        #[arg(long)]
        no_foreign: bool,
        /// Worker threads [default: one per core; at most 4 per core]. Results are identical
        /// for any number.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        threads: Option<u32>,
        /// Outages stepped together [default: 8; at most 16; 1: each alone]. Results are
        /// identical for any number.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=16))]
        batch: Option<u32>,
        /// Set a parameter path on top of the file, e.g. `--set days=365`; repeatable.
        #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_assignment)]
        set: Vec<hinterland::model::Assignment>,
        /// Memory the ranking may use, e.g. 512M or 8G [default: what the machine has
        /// available].
        #[arg(long, value_name = "SIZE", value_parser = parse_max_memory)]
        max_memory: Option<u64>,
    },
    /// Where to put backup: every backup of the scenario is a template, placed in each
    /// hinterland region at each size; for each annual holding-cost budget, the portfolio
    /// with the smallest expected loss (or CVaR95) over the scenario's crises, each portfolio
    /// run on the same crises (docs/optimize.md).
    ///
    /// Exact search up to 12 candidates; above, the better of lazy greedy (by loss avoided per
    /// extra cost) and the best single candidate. Writes candidates.csv, portfolios.csv,
    /// choices.csv, greedy_path.csv, choice_runs.csv and charts to DIR.
    Optimize {
        /// The scenario file (RON): its shocks, dynamics and economy; its backups are the
        /// templates.
        scenario: PathBuf,
        /// Annual holding-cost budgets in the economy's money unit, increasing,
        /// comma-separated, e.g. 2e6,5e6; one search each.
        #[arg(
            long = "budget",
            value_name = "B1,B2,…",
            value_delimiter = ',',
            required = true
        )]
        budgets: Vec<f64>,
        /// What a portfolio is judged by: the mean loss over runs, or the mean of the worst
        /// 5 % (the loss of a run: value added lost plus activation costs paid).
        #[arg(long, value_enum, default_value_t = ObjectiveArg::Mean)]
        objective: ObjectiveArg,
        /// Regions to place each backup in, comma-separated [default: every Hinterland
        /// region of the scenario].
        #[arg(long, value_name = "R1,R2,…", value_delimiter = ',')]
        regions: Vec<String>,
        /// Size steps, as multiples of each backup's capacity_share, comma-separated
        /// [default: 0.5,1,2].
        #[arg(long, value_name = "S1,S2,…", value_delimiter = ',')]
        sizes: Vec<f64>,
        /// Sectors each backup is made to produce, comma-separated [default: each backup's
        /// own sector].
        #[arg(
            long,
            value_name = "S1,S2,…",
            value_delimiter = ',',
            conflicts_with = "from_ranking"
        )]
        sectors: Vec<String>,
        /// Take the sectors from the top of a ranking: the first --top distinct sectors of
        /// the outages in DIR/ranking.csv (written by `hinterland rank`).
        #[arg(long, value_name = "DIR")]
        from_ranking: Option<PathBuf>,
        /// Sectors taken from --from-ranking.
        #[arg(long, value_name = "K", default_value_t = 3, requires = "from_ranking")]
        top: usize,
        /// Candidates up to which every feasible portfolio is evaluated (0: always greedy).
        #[arg(long, value_name = "N", default_value_t = hinterland::explore::optimize::EXACT_UP_TO)]
        exact_up_to: usize,
        /// Runs of every portfolio, on the same crises.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..), default_value_t = hinterland::commands::OPTIMIZE_RUNS as u32)]
        runs: u32,
        /// Shock seed [default: the scenario's `seed`].
        #[arg(long)]
        seed: Option<u64>,
        /// Output directory [default: output/<scenario name>-optimize].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Replace the output directory if it exists.
        #[arg(long)]
        force: bool,
        /// Worker threads [default: one per core; at most 4 per core]. Results are identical
        /// for any number.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        threads: Option<u32>,
        /// Runs stepped together [default: 8; at most 16; 1: each alone]. Results are
        /// identical for any number.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=16))]
        batch: Option<u32>,
        /// Set a parameter path on top of the file, e.g. `--set
        /// backup.chips-cq.activation_delay_days=30`; repeatable.
        #[arg(long = "set", value_name = "PATH=VALUE", value_parser = parse_assignment)]
        set: Vec<hinterland::model::Assignment>,
        /// Memory the search may use, e.g. 512M or 8G [default: what the machine has
        /// available].
        #[arg(long, value_name = "SIZE", value_parser = parse_max_memory)]
        max_memory: Option<u64>,
    },
    /// Check scenario files without running them: one line per file, exit 2 if any is invalid.
    Validate {
        /// Scenario files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Memory a run may use, e.g. 512M or 8G [default: what the machine has available].
        #[arg(long, value_name = "SIZE", value_parser = parse_max_memory)]
        max_memory: Option<u64>,
    },
    /// Write an annotated scenario that uses every feature into DIR, with the table it runs on
    /// (pymrio's test MRIO, embedded in the binary), and print the command that runs it: it
    /// runs from any directory.
    Example {
        /// The folder to write; refused if it exists, unless --force.
        #[arg(long, value_name = "DIR", default_value = hinterland::commands::EXAMPLE_DIR)]
        out: PathBuf,
        /// Replace DIR if it exists.
        #[arg(long)]
        force: bool,
        /// Print the scenario alone to stdout and write nothing. Its table path
        /// (`data/pymrio-test`, relative to the scenario file) then resolves only where a copy
        /// of the table is, such as the root of hinterland's repository.
        #[arg(long, conflicts_with_all = ["out", "force"])]
        stdout: bool,
    },
    /// Build a synthetic firm economy, step it through a regional capacity shock and print
    /// build time, time per simulated day, link-updates per second and peak memory.
    Bench {
        /// Firms.
        #[arg(long, default_value_t = 100_000)]
        firms: usize,
        /// Links (each firm has links / firms suppliers on average).
        #[arg(long, default_value_t = 1_000_000)]
        links: usize,
        /// Days to simulate.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..))]
        days: u32,
        /// Sectors.
        #[arg(long, default_value_t = 20)]
        sectors: usize,
        /// Regions.
        #[arg(long, default_value_t = 10)]
        regions: usize,
        /// Law of the number of suppliers per firm.
        #[arg(long, value_enum, default_value_t = DegreeArg::PowerLaw)]
        degree: DegreeArg,
        /// Tail exponent of the power law (> 2).
        #[arg(long, default_value_t = 2.5)]
        exponent: f64,
        /// Worker threads [default: one per core].
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        threads: Option<u32>,
        /// Seed of the network.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Memory the benchmark may use, e.g. 8G [default: what the machine has available].
        #[arg(long, value_name = "SIZE", value_parser = parse_max_memory)]
        max_memory: Option<u64>,
    },
    /// Time the ensemble of a scenario (every run of every variant, stepped and summarised,
    /// nothing written) and print simulations per minute, link-updates per second and peak
    /// memory (docs/performance.md).
    Throughput {
        /// The scenario file (RON).
        scenario: PathBuf,
        /// Monte Carlo runs [default: the scenario's `runs`, or 1].
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        runs: Option<u32>,
        /// Worker threads [default: one per core; at most 4 per core].
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        threads: Option<u32>,
        /// Runs of a variant stepped together [default: 8; at most 16; 1: each run alone].
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=16))]
        batch: Option<u32>,
        /// Memory the measurement may use, e.g. 8G [default: what the machine has available].
        #[arg(long, value_name = "SIZE", value_parser = parse_max_memory)]
        max_memory: Option<u64>,
    },
    /// Print the completion script of a shell to stdout, e.g. `hinterland completions bash >
    /// ~/.local/share/bash-completion/completions/hinterland` (see the README for each shell).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to stdout, e.g. `hinterland man > hinterland.1` or
    /// `hinterland man | man -l -`; with COMMAND, that command's page (hinterland-run(1), …).
    Man {
        /// The command whose page to print instead of hinterland(1).
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
    },
    /// Redraw the charts and report.html of an output folder from its CSV files alone.
    Plot {
        /// The output folder of a run, a sweep, a ranking or a placement search.
        dir: PathBuf,
    },
    /// Build the default Chinese economy (an MRIO in pymrio's format) from its source files.
    BuildChina {
        /// Folder of the source files.
        #[arg(long, value_name = "DIR", default_value = "data/china-sources")]
        sources: PathBuf,
        /// Destination folder of the table.
        #[arg(long, value_name = "DIR", default_value = "data/china-2020")]
        out: PathBuf,
        /// Replace the destination if it exists.
        #[arg(long)]
        force: bool,
    },
}

/// `--objective` of `hinterland optimize`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum ObjectiveArg {
    /// The mean loss over runs.
    Mean,
    /// The mean loss of the worst 5 % of runs.
    Cvar95,
}

/// `--degree` of `hinterland bench`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum DegreeArg {
    /// Discrete power law with tail exponent `--exponent`.
    PowerLaw,
    /// 1 + Poisson(mean − 1).
    Poisson,
}

/// `--grid PATH=V1,V2,…` ([`hinterland::model::parse_grid`]).
fn parse_grid(text: &str) -> Result<(String, Vec<String>), String> {
    hinterland::model::parse_grid(text)
}

/// `--set PATH=VALUE` ([`hinterland::model::Assignment::parse`]).
fn parse_assignment(text: &str) -> Result<hinterland::model::Assignment, String> {
    hinterland::model::Assignment::parse(text)
}

/// `--max-memory`: a size such as `512M` or `8G`.
fn parse_max_memory(text: &str) -> Result<u64, String> {
    hinterland::montecarlo::memory::parse_bytes(text)
}
