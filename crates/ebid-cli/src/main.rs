//! `ebid`: the command line over ebid's crates.

mod card_cmd;
mod cert_cmd;
mod facts_view;
mod messages;
mod pin_prompt;
mod vcard_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "ebid",
    version,
    about = "電子入札 ICカード更新 — IC cards for Japanese e-bidding"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// IC cards in the readers.
    #[command(subcommand)]
    Card(CardCommand),
    /// Certificate files, as a CA exports them (DER or PEM).
    #[command(subcommand)]
    Cert(CertCommand),
    /// The virtual cards of the demo and tests, plugged into pcscd through vsmartcard's vpcd.
    #[command(subcommand)]
    Vcard(VcardCommand),
}

#[derive(Subcommand)]
enum CardCommand {
    /// Readers, whether a card is in, and which profile it speaks.
    List {
        #[arg(long)]
        json: bool,
    },
    /// The certificate facts of a card, its PIN tries left and the days to its expiry.
    Show {
        /// Reader index (as `ebid card list` numbers them) or part of its name; default: the first with a card.
        #[arg(long)]
        reader: Option<String>,
        #[arg(long)]
        json: bool,
        /// Read the PIN from a line of standard input instead of the terminal (for scripts).
        #[arg(long)]
        pin_stdin: bool,
        /// Print the number of APDUs sent to standard error.
        #[arg(long)]
        count_apdus: bool,
    },
}

#[derive(Subcommand)]
enum CertCommand {
    /// The facts of a certificate file.
    Show {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum VcardCommand {
    /// Create a demo CA and its set of virtual cards in DIR.
    Generate {
        #[arg(long)]
        out: PathBuf,
    },
    /// Serve the demo set's cards into vpcd's readers until `ebid vcard stop`.
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
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Card(CardCommand::List { json }) => card_cmd::list(json),
        Command::Card(CardCommand::Show {
            reader,
            json,
            pin_stdin,
            count_apdus,
        }) => card_cmd::show(reader.as_deref(), json, pin_stdin, count_apdus),
        Command::Cert(CertCommand::Show { file, json }) => cert_cmd::show(&file, json),
        Command::Vcard(command) => match command {
            VcardCommand::Generate { out } => vcard_cmd::generate(&out),
            VcardCommand::Serve { set } => vcard_cmd::serve(&set),
            VcardCommand::Insert { set, reader, card } => vcard_cmd::insert(&set, reader, &card),
            VcardCommand::Remove { set, reader } => vcard_cmd::remove(&set, reader),
            VcardCommand::Swap { set, reader, card } => vcard_cmd::swap(&set, reader, &card),
            VcardCommand::Status { set } => vcard_cmd::status(&set),
            VcardCommand::Stop { set } => vcard_cmd::stop(&set),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ebid: {e:#}");
            ExitCode::FAILURE
        }
    }
}
