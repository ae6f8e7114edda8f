//! `ebid-loadgen`: the registration server's throughput and latency under a bounded load, for the README.
//!
//! Two processes: the load generator starts itself as the server (`ebid-loadgen serve`, the server of
//! `ebid-server`) on 127.0.0.1 with a fresh data folder, seeded with the demo registration and the load users,
//! and drives it over HTTP from its own tokio tasks, one HTTP client each. Every level is bounded in
//! operations and in time, and the run ends by itself with a markdown table on standard output. Figures are
//! printed, never asserted.

mod api;
mod card;
mod commit;
mod drive;
mod fixture;
mod login;
mod mixed;
mod report;
mod run;
mod serve;
mod server_process;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ebid_server::ServeArgs;

use crate::run::LoadArgs;

#[derive(Debug, Parser)]
#[command(
    name = "ebid-loadgen",
    about = "Load runs of the registration server: logins and renewal commits at several levels of concurrency",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    load: LoadArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The server under load, as the load generator starts it: serves until its standard input closes.
    Serve(ServeArgs),
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Serve(args)) => serve::serve(args).await,
        None => run::run(&cli.load).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("ebid-loadgen: {error:#}");
            ExitCode::FAILURE
        }
    }
}
