//! The `hinterland` command line: parse flags, call the library, map errors to exit codes.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// hinterland — supply-chain resilience: firm-level ARIO simulations of shocks to a
/// multi-regional production network.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario and write its daily records to DIR/records/<record>.csv.
    Run {
        /// The scenario file (RON).
        scenario: PathBuf,
        /// Output directory [default: output/<scenario name>].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace the output directory if it exists.
        #[arg(long)]
        force: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run {
            scenario,
            out,
            force,
        } => {
            let options = hinterland::RunOptions {
                scenario,
                out,
                force,
            };
            match hinterland::run(&options) {
                Ok(report) => {
                    eprintln!(
                        "{} firms, {} links, {} days: wrote {} files to {}",
                        report.firms,
                        report.links,
                        report.days,
                        report.files.len(),
                        report.out.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    eprintln!("error: {err}");
                    if err.is_input_error() {
                        ExitCode::from(2)
                    } else {
                        ExitCode::FAILURE
                    }
                }
            }
        }
    }
}
