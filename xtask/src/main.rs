//! Developer and CI entry points: `cargo xtask setup | test | demo | bench | idle-memory | fuzz | bindings |
//! bundle | e2e-update`.

mod app_version;
#[cfg(unix)]
mod bench;
#[cfg(unix)]
mod bench_app;
mod bindings;
mod bundle;
mod cargo;
#[cfg(unix)]
mod demo;
#[cfg(unix)]
mod e2e_update;
#[cfg(unix)]
mod frontend;
mod fuzz;
mod idle_memory;
#[cfg(unix)]
mod packages;
mod process;
#[cfg(unix)]
mod services;
#[cfg(unix)]
mod setup;
#[cfg(unix)]
mod test;
#[cfg(unix)]
mod xvfb;

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
    /// Setup, format check, the front end, clippy, then `cargo test --workspace` against a running pcscd
    /// and a virtual X display (the app window's end-to-end tests).
    Test {
        /// Extra arguments for `cargo test`, after `--` (e.g. `-- -p ebid-card -- --nocapture`).
        #[arg(last = true)]
        cargo_args: Vec<String>,
    },
    /// Measure what the README reports: certificate parsing, card reads beside OpenSC.
    Bench,
    /// The app's memory at idle beside an empty Tauri 2 window's (WebKitGTK's floor), release builds,
    /// measured the same way in turn on DISPLAY (or on Xvfb when unset). Linux only.
    IdleMemory {
        /// Starts of each program, alternating between the two.
        #[arg(long, default_value_t = idle_memory::DEFAULT_ROUNDS)]
        rounds: usize,
    },
    /// The hostile-input property tests of every parser that reads what a stranger or a card sends, with
    /// many more cases than `test` runs.
    Fuzz {
        /// Cases of each property (the bounded run in `test` makes 256).
        #[arg(long, default_value_t = fuzz::DEFAULT_CASES)]
        cases: u32,
    },
    /// Write the front end's TypeScript types (ui/src/lib/bindings.ts) from the Rust views.
    Bindings,
    /// The installers this OS can build, with the organization's update key in the app, and the update
    /// artifacts `ebid-server release publish` takes (each after the OS's code signing).
    Bundle {
        /// The organization's public update key (`ebid-server release keygen`'s .pub file); else
        /// `EBID_UPDATE_PUBKEY` holds its text.
        #[arg(long, value_name = "FILE")]
        pubkey: Option<std::path::PathBuf>,
        /// Trust the repository's TEST-ONLY key instead (a bundle for trying updates, never for users).
        #[arg(long, conflicts_with = "pubkey")]
        test_key: bool,
    },
    /// Versions N and N+1 of the app built; N+1 published on a server on 127.0.0.1; N started on a virtual
    /// display, the update accepted, and N+1 seen running. Slow: outside `test`.
    E2eUpdate,
    /// The demo server, the demo cards in virtual readers, and the app (headless renewal without a display).
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
        #[cfg(unix)]
        Task::Setup => {
            step("setup");
            setup::setup()
        }
        #[cfg(unix)]
        Task::Test { cargo_args } => test::test(cargo_args),
        #[cfg(unix)]
        Task::Demo { fresh } => demo::demo(*fresh),
        #[cfg(unix)]
        Task::Bench => bench::bench(),
        #[cfg(unix)]
        Task::E2eUpdate => e2e_update::e2e_update(),
        // Debian's packages, pcscd with vpcd and Xvfb: the tests, the demo and the benchmarks are Linux's. On
        // Windows, xtask builds the installers (`bundle`) and writes the bindings.
        #[cfg(not(unix))]
        Task::Setup | Task::Test { .. } | Task::Demo { .. } | Task::Bench | Task::E2eUpdate => {
            Err(anyhow::anyhow!("this task runs on Linux (Debian) only"))
        }
        Task::IdleMemory { rounds } => idle_memory::idle_memory(*rounds),
        Task::Fuzz { cases } => fuzz::fuzz(*cases),
        Task::Bindings => bindings::write(),
        Task::Bundle { pubkey, test_key } => bundle::bundle(pubkey.as_deref(), *test_key),
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
