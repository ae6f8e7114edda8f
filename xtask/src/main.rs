//! Developer and CI entry points: `cargo xtask setup | test | demo | bench`.

mod bench;
mod cargo;
mod demo;
mod packages;
mod process;
mod services;
mod setup;
mod test;

use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "cargo xtask", about = "ebid developer and CI tasks")]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Install missing Debian packages, cargo tools and npm packages (quiet when none are missing).
    Setup,
    /// Setup, format check, clippy, then `cargo test --workspace` against a running pcscd.
    Test {
        /// Extra arguments for `cargo test`, after `--` (e.g. `-- -p ebid-card -- --nocapture`).
        #[arg(last = true)]
        cargo_args: Vec<String>,
    },
    /// Measure what the README reports: certificate parsing, card reads beside OpenSC.
    Bench,
    /// Build `ebid`, plug the demo cards into virtual readers and show them.
    Demo {
        /// Regenerate the demo cards even if they exist.
        #[arg(long)]
        fresh: bool,
    },
}

/// Prints the start of a step.
pub fn step(name: &str) {
    println!("==> {name}");
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let start = Instant::now();
    let result = match &cli.command {
        Task::Setup => {
            step("setup");
            setup::setup()
        }
        Task::Test { cargo_args } => test::test(cargo_args),
        Task::Demo { fresh } => demo::demo(*fresh),
        Task::Bench => bench::bench(),
    };
    let elapsed = start.elapsed().as_secs_f64();
    match result {
        Ok(()) => {
            println!("==> done in {elapsed:.1} s");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("==> FAILED after {elapsed:.1} s: {e:#}");
            ExitCode::FAILURE
        }
    }
}
