//! The `hinterland` command line: parse flags, set up logging, call the library, map errors
//! to exit codes (0 success, 2 bad input: scenario, data or an existing output directory, 1
//! anything else).

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use log::{LevelFilter, info, warn};

mod cli;

use cli::{Cli, Command, DegreeArg, ObjectiveArg};

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
            fail_fast,
            shards,
            shard,
        } => {
            let options = hinterland::RunOptions {
                fail_fast,
                shards: shards.map(|n| n as usize),
                shard: shard.map(|n| n as usize),
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
                    if let Some(shard) = report.shard {
                        for (variant, run, why) in &report.failures {
                            warn!("variant {variant:?}, run {run} failed: {why}");
                        }
                        shard_done(shard, "variant", report.pairs, report.resumed, &report.out);
                        return ExitCode::SUCCESS;
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
            shards,
            shard,
            fail_fast,
        } => {
            let options = hinterland::commands::SweepOptions {
                shards: shards.map(|n| n as usize),
                shard: shard.map(|n| n as usize),
                fail_fast,
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
                    if let Some(shard) = report.shard {
                        for (point, run, why) in &report.failures {
                            warn!("point {point:?}, run {run} failed: {why}");
                        }
                        let pairs = (report.points + report.references) * report.runs;
                        let pairs = shard.range(pairs).len();
                        shard_done(shard, "point", pairs, report.resumed, &report.out);
                        return ExitCode::SUCCESS;
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
        Command::Merge {
            dir,
            force,
            threads,
        } => {
            let options = hinterland::commands::MergeOptions {
                dir,
                force,
                threads: threads.map(sane_threads),
                command: std::env::args().collect::<Vec<_>>().join(" "),
            };
            match hinterland::commands::merge(&options) {
                Ok(report) => {
                    for warning in &report.warnings {
                        warn!("{warning}");
                    }
                    info!(
                        "merged {} shards ({} runs{}): wrote {} files to {}",
                        report.shards,
                        report.runs,
                        if report.failures.is_empty() {
                            String::new()
                        } else {
                            format!(", {} failed", report.failures.len())
                        },
                        report.files.len(),
                        report.out.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(err) => failure(&err),
            }
        }
        Command::Rank {
            scenario,
            out,
            force,
            duration,
            cutoff_duration,
            start_day,
            magnitudes,
            curves,
            no_foreign,
            threads,
            batch,
            set,
            max_memory,
        } => {
            let defaults = hinterland::explore::rank::RankOptions::default();
            let command = hinterland::commands::RankCommand {
                scenario,
                out,
                force,
                options: hinterland::explore::rank::RankOptions {
                    duration_days: duration,
                    cutoff_days: cutoff_duration,
                    start_day,
                    magnitudes: if magnitudes.is_empty() {
                        defaults.magnitudes
                    } else {
                        magnitudes
                    },
                    curves,
                    foreign: !no_foreign,
                },
                threads: threads.map(sane_threads),
                batch: batch.map(|n| n as usize),
                progress: log::log_enabled!(log::Level::Info),
                max_memory,
                set,
                command: std::env::args().collect::<Vec<_>>().join(" "),
            };
            match hinterland::commands::rank(&command) {
                Ok(report) => {
                    for warning in &report.warnings {
                        warn!("{warning}");
                    }
                    info!(
                        "{} outages and {} cut-offs ranked: wrote {} files to {}",
                        report.outages,
                        report.cutoffs,
                        report.files.len(),
                        report.out.display(),
                    );
                    ExitCode::SUCCESS
                }
                Err(err) => failure(&err),
            }
        }
        Command::Optimize {
            scenario,
            budgets,
            objective,
            regions,
            sizes,
            sectors,
            from_ranking,
            top,
            exact_up_to,
            runs,
            seed,
            out,
            force,
            threads,
            batch,
            set,
            max_memory,
        } => {
            use hinterland::explore::optimize::placement::{self, Objective, PlacementOptions};
            let command = hinterland::commands::OptimizeCommand {
                scenario,
                out,
                force,
                options: PlacementOptions {
                    budgets,
                    objective: match objective {
                        ObjectiveArg::Mean => Objective::Mean,
                        ObjectiveArg::Cvar95 => Objective::Cvar95,
                    },
                    regions,
                    sizes: if sizes.is_empty() {
                        placement::DEFAULT_SIZES.to_vec()
                    } else {
                        sizes
                    },
                    sectors,
                    exact_up_to,
                },
                from_ranking: from_ranking.map(|dir| (dir, top)),
                runs: Some(runs as usize),
                seed,
                threads: threads.map(sane_threads),
                batch: batch.map(|n| n as usize),
                progress: log::log_enabled!(log::Level::Info),
                max_memory,
                set,
                command: std::env::args().collect::<Vec<_>>().join(" "),
            };
            match hinterland::commands::optimize(&command) {
                Ok(report) => {
                    for warning in &report.warnings {
                        warn!("{warning}");
                    }
                    for (budget, chosen) in &report.choices {
                        info!("budget {budget}: {chosen}");
                    }
                    info!(
                        "{} candidates, {} portfolios evaluated: wrote {} files to {}",
                        report.candidates,
                        report.evaluated,
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

/// The line a finished shard says: its `pairs` of (`what`, run), `resumed` of them from the
/// checkpoint, and where they are.
fn shard_done(
    shard: hinterland::montecarlo::Shard,
    what: &str,
    pairs: usize,
    resumed: usize,
    out: &std::path::Path,
) {
    info!(
        "shard {}: {pairs} ({what}, run) pairs{} in {}",
        shard.name(),
        if resumed > 0 {
            format!(", {resumed} of them from the checkpoint")
        } else {
            String::new()
        },
        out.display()
    );
}
