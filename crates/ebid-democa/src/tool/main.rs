//! `ebid-vcard`: the developer's tool of the demo and the tests (not shipped): generates the demo set (CAs,
//! CRLs, cards, the server's seed file) and plugs its virtual cards into vpcd's readers.

mod commands;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "ebid-vcard",
    version,
    about = "The virtual cards of ebid's demo and tests, plugged into pcscd through vsmartcard's vpcd"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a demo CA, its CRLs, its set of virtual cards and the server's seed file in DIR.
    Generate {
        #[arg(long)]
        out: PathBuf,
    },
    /// Re-issue the demo CAs' CRLs, current from now for 30 days.
    Crls {
        #[arg(long, env = "EBID_DEMO_SET")]
        set: PathBuf,
    },
    /// Serve the demo set's cards into vpcd's readers until `ebid-vcard stop`.
    Serve {
        #[arg(long, env = "EBID_DEMO_SET")]
        set: PathBuf,
    },
    /// Insert a card of the demo set into a reader (returns once pcscd sees it).
    Insert {
        #[arg(long, env = "EBID_DEMO_SET")]
        set: PathBuf,
        #[arg(long, default_value_t = 0)]
        reader: u8,
        card: String,
    },
    /// Pull the card out of a reader (returns once pcscd sees it gone).
    Remove {
        #[arg(long, env = "EBID_DEMO_SET")]
        set: PathBuf,
        #[arg(long, default_value_t = 0)]
        reader: u8,
    },
    /// Replace the card in a reader by another.
    Swap {
        #[arg(long, env = "EBID_DEMO_SET")]
        set: PathBuf,
        #[arg(long, default_value_t = 0)]
        reader: u8,
        card: String,
    },
    /// Which card is in which reader.
    Status {
        #[arg(long, env = "EBID_DEMO_SET")]
        set: PathBuf,
    },
    /// Take every card out and stop the card server.
    Stop {
        #[arg(long, env = "EBID_DEMO_SET")]
        set: PathBuf,
    },
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Generate { out } => commands::generate(&out),
        Command::Crls { set } => commands::crls(&set),
        Command::Serve { set } => commands::serve(&set),
        Command::Insert { set, reader, card } => commands::insert(&set, reader, &card),
        Command::Remove { set, reader } => commands::remove(&set, reader),
        Command::Swap { set, reader, card } => commands::swap(&set, reader, &card),
        Command::Status { set } => commands::status(&set),
        Command::Stop { set } => commands::stop(&set),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ebid-vcard: {e:#}");
            ExitCode::FAILURE
        }
    }
}
