//! The `hinterland` command line: parse flags, set up logging, call the library, map errors
//! to exit codes (0 success, 2 bad input: scenario, data or an existing output directory, 1
//! anything else).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgAction, CommandFactory, Parser, Subcommand};
use log::{LevelFilter, info, warn};

/// hinterland — supply-chain resilience: firm-level ARIO simulations of shocks to a
/// multi-regional production network.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    /// More messages on stderr: -v adds debug lines (the economy's size, threads, the memory
    /// estimate and what it was checked against), -vv trace lines as well.
    #[arg(short, long, action = ArgAction::Count, global = true)]
    verbose: u8,
    /// Fewer messages on stderr: -q shows no progress and no summary, only warnings and
    /// errors; -qq only errors.
    #[arg(short, long, action = ArgAction::Count, global = true)]
    quiet: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario and its variants on the same drawn crises: metrics, statistics, charts and
    /// report.html in DIR (daily records too with one run, or with --records).
    ///
    /// Progress goes to stderr unless --quiet: a bar on a terminal, a plain line at every
    /// tenth of the simulations elsewhere (a log file, Slurm).
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
    },
    /// Run a scenario's sweep: every point of its design (or of --grid) a variant, all on the
    /// same drawn crises run by run, with one "no policies" reference per setting of the
    /// uncertain parameters. Writes points.csv, sweep.csv, frontier.csv, draws.csv, charts and
    /// report.html to DIR.
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
        /// The output folder of a run or a sweep.
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

/// `--degree` of `hinterland bench`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum DegreeArg {
    /// Discrete power law with tail exponent `--exponent`.
    PowerLaw,
    /// 1 + Poisson(mean − 1).
    Poisson,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // checked here, not by clap: its conflicts miss a global flag given after the command
    if cli.verbose > 0 && cli.quiet > 0 {
        Cli::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                "--verbose and --quiet cannot be used together",
            )
            .exit();
    }
    StderrLogger::install(cli.verbose, cli.quiet);
    // SIGINT and SIGTERM set a flag the work checks: the folder under construction is then
    // removed by its owner, and we exit with 128 + signal.
    if let Err(err) = hinterland::interrupt::watch() {
        warn!("cannot watch for interruptions: {err}");
    }
    match cli.command {
        Command::Run {
            scenario,
            reproduce,
            out,
            force,
            runs,
            seed,
            threads,
            batch,
            records,
            trajectories,
            variant_records,
            set,
            max_memory,
        } => {
            let options = hinterland::RunOptions {
                scenario: scenario.unwrap_or_default(),
                reproduce,
                out,
                force,
                runs: runs.map(|n| n as usize),
                seed,
                threads: threads.map(sane_threads),
                batch: batch.map(|n| n as usize),
                records,
                trajectories,
                variant_records,
                progress: log::log_enabled!(log::Level::Info),
                max_memory,
                command: std::env::args().collect::<Vec<_>>().join(" "),
                set,
            };
            match hinterland::run(&options) {
                Ok(report) => {
                    for warning in &report.warnings {
                        warn!("{warning}");
                    }
                    info!(
                        "{} firms, {} links, {} days, {} run{}: wrote {} files to {}{}",
                        report.firms,
                        report.links,
                        report.days,
                        report.runs,
                        if report.runs == 1 { "" } else { "s" },
                        report.files.len(),
                        report.out.display(),
                        memory_note(report.estimated_memory)
                    );
                    ExitCode::SUCCESS
                }
                Err(err) => failure(&err),
            }
        }
        Command::Sweep {
            scenario,
            out,
            force,
            runs,
            seed,
            threads,
            batch,
            set,
            grid,
            max_memory,
        } => {
            let options = hinterland::commands::SweepOptions {
                scenario,
                out,
                force,
                runs: runs.map(|n| n as usize),
                seed,
                threads: threads.map(sane_threads),
                batch: batch.map(|n| n as usize),
                progress: log::log_enabled!(log::Level::Info),
                max_memory,
                command: std::env::args().collect::<Vec<_>>().join(" "),
                set,
                grid,
            };
            match hinterland::commands::sweep(&options) {
                Ok(report) => {
                    for warning in &report.warnings {
                        warn!("{warning}");
                    }
                    info!(
                        "{} points{} × {} run{}: wrote {} files to {}",
                        report.points,
                        if report.references == 0 {
                            String::new()
                        } else {
                            format!(
                                " and {} \"no policies\" reference{}",
                                report.references,
                                if report.references == 1 { "" } else { "s" }
                            )
                        },
                        report.runs,
                        if report.runs == 1 { "" } else { "s" },
                        report.files.len(),
                        report.out.display(),
                    );
                    ExitCode::SUCCESS
                }
                Err(err) => failure(&err),
            }
        }
        Command::Validate { files, max_memory } => {
            let mut status = ExitCode::SUCCESS;
            for file in files {
                match hinterland::validate(&file, max_memory) {
                    Ok(valid) => {
                        for warning in &valid.warnings {
                            println!("warning: {warning}");
                        }
                        println!(
                            "ok: {}: {} firms, {} links, {} shocks{}",
                            file.display(),
                            valid.study.economy_of(0).n_firms(),
                            valid.study.economy_of(0).n_links(),
                            valid.study.model().shocks().len(),
                            match valid.study.estimate() {
                                Some(e) => format!(
                                    "; a run needs about {} of memory",
                                    hinterland::montecarlo::memory::bytes(e.total)
                                ),
                                None => String::new(),
                            }
                        );
                    }
                    Err(err) => {
                        // several errors of one file: one line each
                        for line in err.to_string().lines() {
                            println!("error: {line}");
                        }
                        status = ExitCode::from(2);
                    }
                }
            }
            status
        }
        Command::Plot { dir } => match hinterland::replot(&dir) {
            Ok(files) => {
                info!("redrew {} files in {}", files.len(), dir.display());
                ExitCode::SUCCESS
            }
            Err(err) => failure(&err),
        },
        Command::BuildChina {
            sources,
            out,
            force,
        } => {
            let options = hinterland::china::BuildOptions {
                sources,
                out,
                force,
            };
            match hinterland::china::build(&options) {
                Ok(report) => {
                    let (p, r, t) = (report.published, report.province_mean, report.region_mean);
                    info!(
                        "wrote {} industries to {}; home bias {:.4}; own/other/foreign % \
                             published {:.1}/{:.1}/{:.1}, provinces {:.1}/{:.1}/{:.1}, \
                             regions {:.1}/{:.1}/{:.1}",
                        report.industries,
                        report.out.display(),
                        report.home_bias,
                        p.own,
                        p.other,
                        p.foreign,
                        r.own,
                        r.other,
                        r.foreign,
                        t.own,
                        t.other,
                        t.foreign
                    );
                    ExitCode::SUCCESS
                }
                Err(err) => failure(&err.into()),
            }
        }
        Command::Bench {
            firms,
            links,
            days,
            sectors,
            regions,
            degree,
            exponent,
            threads,
            seed,
            max_memory,
        } => {
            let options = hinterland::commands::bench::BenchOptions {
                firms,
                links,
                days: days as usize,
                sectors,
                regions,
                degree: match degree {
                    DegreeArg::PowerLaw => hinterland::kinds::Degree::PowerLaw(
                        hinterland::kinds::TailExponent(exponent),
                    ),
                    DegreeArg::Poisson => hinterland::kinds::Degree::Poisson,
                },
                seed,
                threads: threads.map(sane_threads),
                max_memory,
            };
            match hinterland::commands::bench::bench(&options) {
                Ok(report) => {
                    // a closed pipe (`| head`) is not a failure of the benchmark
                    let _ = std::io::stdout().write_all(report.to_string().as_bytes());
                    ExitCode::SUCCESS
                }
                Err(err) => failure(&err),
            }
        }
        Command::Throughput {
            scenario,
            runs,
            threads,
            batch,
            max_memory,
        } => {
            let options = hinterland::commands::throughput::ThroughputOptions {
                scenario,
                runs: runs.map(|n| n as usize),
                threads: threads.map(sane_threads),
                batch: batch.map(|n| n as usize),
                max_memory,
            };
            match hinterland::commands::throughput::throughput(&options) {
                Ok(report) => {
                    let _ = std::io::stdout().write_all(report.to_string().as_bytes());
                    ExitCode::SUCCESS
                }
                Err(err) => failure(&err),
            }
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "hinterland", &mut script);
            print_stdout(&script)
        }
        Command::Man { command } => man_page(command.as_deref()),
        Command::Example { stdout: true, .. } => {
            print_stdout(hinterland::commands::EXAMPLE.as_bytes())
        }
        Command::Example { out, force, .. } => {
            match hinterland::commands::write_example(&out, force) {
                Ok(report) => {
                    info!(
                        "wrote the example scenario and the table it runs on ({} files) to {}; \
                         run it with:\n    hinterland run {} --runs 4",
                        report.files.len(),
                        report.dir.display(),
                        shell_word(&report.scenario.to_string_lossy())
                    );
                    ExitCode::SUCCESS
                }
                Err(err) => failure(&err),
            }
        }
    }
}

/// `--threads`, capped at 4 workers per core (with a warning): more only add overhead, and
/// very many exhaust memory for their stacks. Results do not depend on the number.
fn sane_threads(asked: u32) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let most = 4 * cores;
    let asked = asked as usize;
    if asked > most {
        warn!(
            "--threads {asked} is more than 4 per core on this machine ({cores} cores): using {most}"
        );
        most
    } else {
        asked
    }
}

/// Write `bytes` to stdout; a closed pipe (`| head`) is not a failure.
fn print_stdout(bytes: &[u8]) -> ExitCode {
    match std::io::stdout().write_all(bytes) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: cannot write to stdout: {err}");
            ExitCode::FAILURE
        }
    }
}

/// `path` as one shell word: quoted unless it is made of characters no shell treats specially.
fn shell_word(path: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+,:@%".contains(c);
    if !path.is_empty() && path.chars().all(plain) {
        path.to_string()
    } else {
        format!("'{}'", path.replace('\'', r"'\''"))
    }
}

/// `hinterland man [COMMAND]`: the roff page of the program or of one command, built from the
/// same definitions as `--help`.
fn man_page(command: Option<&str>) -> ExitCode {
    let mut program = Cli::command();
    // names the command pages hinterland-run(1), …, and gives them the global flags
    program.build();
    let page = match command {
        None => program,
        Some(name) => match program.find_subcommand(name) {
            Some(found) => found.clone(),
            None => {
                let names: Vec<&str> = program.get_subcommands().map(|c| c.get_name()).collect();
                Cli::command()
                    .error(
                        clap::error::ErrorKind::InvalidValue,
                        format!("no command {name:?}; the commands are {}", names.join(", ")),
                    )
                    .exit();
            }
        },
    };
    let mut roff = Vec::new();
    let source = format!("hinterland {}", env!("CARGO_PKG_VERSION"));
    match clap_mangen::Man::new(page).source(source).render(&mut roff) {
        Ok(()) => print_stdout(&roff),
        Err(err) => {
            eprintln!("error: cannot render the man page: {err}");
            ExitCode::FAILURE
        }
    }
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

/// `; memory: estimated X, peak Y`, when both are known.
fn memory_note(estimated: Option<u64>) -> String {
    use hinterland::montecarlo::memory::bytes;
    match (estimated, hinterland::commands::bench::peak_memory_mb()) {
        (Some(estimated), Some(peak)) => format!(
            "; memory: estimated {}, peak {}",
            bytes(estimated),
            bytes((peak * 1048576.0) as u64)
        ),
        _ => String::new(),
    }
}

fn failure(err: &hinterland::Error) -> ExitCode {
    if let Some(signal) = err.signal() {
        eprintln!("{err}");
        return ExitCode::from(u8::try_from(128 + signal).unwrap_or(1));
    }
    for line in err.to_string().lines() {
        eprintln!("error: {line}");
    }
    if err.is_input_error() {
        ExitCode::from(2)
    } else {
        ExitCode::FAILURE
    }
}

/// Log lines on stderr in the program's own words: `warning: …`, the bare message for
/// information (the summary lines), `debug: …` and `trace: …` with -v and -vv. Errors are not
/// logged but printed by [`failure`]. Only hinterland's own messages are shown.
struct StderrLogger;

impl StderrLogger {
    /// Show information and warnings by default, one level more per -v, one less per -q.
    fn install(verbose: u8, quiet: u8) {
        // -v with -q is refused in main
        let level = match (quiet, verbose) {
            (0, 0) => LevelFilter::Info,
            (0, 1) => LevelFilter::Debug,
            (0, _) => LevelFilter::Trace,
            (1, _) => LevelFilter::Warn,
            _ => LevelFilter::Error,
        };
        // only fails if a logger is already set, which nothing else in the program does
        if log::set_logger(&StderrLogger).is_ok() {
            log::set_max_level(level);
        }
    }
}

impl log::Log for StderrLogger {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.level() <= log::max_level() && metadata.target().starts_with("hinterland")
    }

    fn log(&self, record: &log::Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let prefix = match record.level() {
            log::Level::Error => "error: ",
            log::Level::Warn => "warning: ",
            log::Level::Info => "",
            log::Level::Debug => "debug: ",
            log::Level::Trace => "trace: ",
        };
        // one locked write per message, so that lines of several threads do not interleave
        let _ = writeln!(std::io::stderr().lock(), "{prefix}{}", record.args());
    }

    fn flush(&self) {}
}
