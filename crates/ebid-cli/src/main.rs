//! `ebid`: the command line over ebid's crates.

mod card_cmd;
mod card_pin_step;
mod card_slot;
mod cert_cmd;
mod change_cmd;
mod clock_view;
mod config_cmd;
mod config_files;
mod confirmation_view;
mod connect_args;
mod console;
mod facts_view;
mod history_cmd;
mod history_file;
mod history_view;
mod info_cmd;
mod jst_input;
mod logging;
mod narration;
mod pin_prompt;
mod register_cmd;
mod registration_form;
mod registration_view;
mod remind_cmd;
mod renew_cmd;
mod workflow_messages;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use connect_args::ConnectArgs;
use registration_form::{ChangeForm, RegisterForm};

#[derive(Parser)]
#[command(
    name = "ebid",
    version,
    about = "電子入札 ICカード更新 — IC cards for Japanese e-bidding"
)]
struct Cli {
    /// Log the steps on standard error: -v the renewal's steps, -vv also each request to the server and
    /// each card step, -vvv everything. Without it, warnings only; `RUST_LOG` decides instead when set.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    /// The local history's file (renewals, cards seen, reminders delivered). Default: `EBID_HISTORY`, else
    /// the app's, in the OS's app-data folder.
    #[arg(long, value_name = "FILE", global = true)]
    history: Option<PathBuf>,
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
    /// ICカード更新 against a registration server: the current card logs in, the new card proves itself,
    /// 電子証明書更新確認, then 【更新】 or 【戻る】. Exits 0 only on 更新完了.
    Renew {
        #[command(flatten)]
        connect: ConnectArgs,
        /// Reader of the current card: index (as `ebid card list` numbers them) or part of its name;
        /// default: the first reader holding a card.
        #[arg(long)]
        reader: Option<String>,
        /// Reader already holding the new card (no swap). Without it, the new card replaces the current
        /// one in its reader, and the swap is noticed by itself.
        #[arg(long)]
        new_reader: Option<String>,
        /// For scripts: read from standard input, one a line, the current card's PIN, the new card's PIN,
        /// then the answer `更新` (anything else is 【戻る】).
        #[arg(long)]
        pin_stdin: bool,
    },
    /// 登録者情報 (業者概要, 登録利用者一覧), logged in with the card.
    Info {
        #[command(flatten)]
        connect: ConnectArgs,
        /// Reader of the card: index or part of its name; default: the first reader holding a card.
        #[arg(long)]
        reader: Option<String>,
        /// Read the PIN from a line of standard input instead of the terminal (for scripts).
        #[arg(long)]
        pin_stdin: bool,
    },
    /// 新規登録 of the card in the reader (a card not registered at the 調達機関, or whose holder's earlier
    /// card lapsed there), with the details the organization asks. Each wrong detail is named before the
    /// card is touched. Exits 0 once the server took it: 登録完了, or 仮登録 awaiting the organization's
    /// approval.
    Register {
        #[command(flatten)]
        connect: ConnectArgs,
        /// Reader of the card: index or part of its name; default: the first reader holding a card.
        #[arg(long)]
        reader: Option<String>,
        /// Read the PIN from a line of standard input instead of the terminal (for scripts).
        #[arg(long)]
        pin_stdin: bool,
        /// Print the server's receipt as JSON (the steps go to standard error).
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        form: RegisterForm,
    },
    /// 変更 of the registration, logged in with the card: only the fields given change. Prints 登録者情報
    /// as it stands afterwards.
    Change {
        #[command(flatten)]
        connect: ConnectArgs,
        /// Reader of the card: index or part of its name; default: the first reader holding a card.
        #[arg(long)]
        reader: Option<String>,
        /// Read the PIN from a line of standard input instead of the terminal (for scripts).
        #[arg(long)]
        pin_stdin: bool,
        /// Print 登録者情報 after the change as JSON (the steps go to standard error).
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        form: ChangeForm,
    },
    /// The configuration files (the administrator's machine-wide one, the user's own) and what they set.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// The local history: renewal attempts (the newest first, with their steps and outcome), and the cards
    /// seen with their days left.
    History {
        #[arg(long)]
        json: bool,
        /// Only the attempts at this 調達機関.
        #[arg(long, value_name = "ID")]
        organization: Option<String>,
        /// Only the attempts begun on or after this day (JST), YYYY-MM-DD.
        #[arg(long, value_name = "YYYY-MM-DD")]
        since: Option<String>,
    },
    /// Expiry reminders.
    Remind {
        /// Say which reminder is due now for each card (for a scheduled task): nothing is marked delivered,
        /// the desktop app delivers. Prints nothing when nothing is due.
        #[arg(long, required = true)]
        check: bool,
        /// Check as at this time in Japan instead of now: YYYY-MM-DD or YYYY-MM-DDTHH:MM.
        #[arg(long, value_name = "YYYY-MM-DD[THH:MM]")]
        at: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Where the two files are, whether each exists, and each effective setting with the file it came
    /// from (flags of `renew` and `info` override them per run).
    Show {
        #[arg(long)]
        json: bool,
    },
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::install(cli.verbose);
    let result = match cli.command {
        Command::Card(CardCommand::List { json }) => card_cmd::list(json),
        Command::Card(CardCommand::Show {
            reader,
            json,
            pin_stdin,
            count_apdus,
        }) => card_cmd::show(reader.as_deref(), json, pin_stdin, count_apdus),
        Command::Cert(CertCommand::Show { file, json }) => cert_cmd::show(&file, json),
        Command::Renew {
            connect,
            reader,
            new_reader,
            pin_stdin,
        } => renew_cmd::run(&renew_cmd::RenewArgs {
            connect: &connect,
            reader: reader.as_deref(),
            new_reader: new_reader.as_deref(),
            pin_stdin,
            history: cli.history.as_deref(),
        }),
        Command::Info {
            connect,
            reader,
            pin_stdin,
        } => info_cmd::run(&connect, reader.as_deref(), pin_stdin),
        Command::Register {
            connect,
            reader,
            pin_stdin,
            json,
            form,
        } => register_cmd::run(&register_cmd::RegisterArgs {
            connect: &connect,
            reader: reader.as_deref(),
            pin_stdin,
            json,
            details: form.details(),
        }),
        Command::Change {
            connect,
            reader,
            pin_stdin,
            json,
            form,
        } => change_cmd::run(&change_cmd::ChangeArgs {
            connect: &connect,
            reader: reader.as_deref(),
            pin_stdin,
            json,
            form: &form,
        }),
        Command::Config(ConfigCommand::Show { json }) => config_cmd::show(json),
        Command::History {
            json,
            organization,
            since,
        } => history_cmd::run(&history_cmd::HistoryArgs {
            file: cli.history.as_deref(),
            json,
            organization,
            since: since.as_deref(),
        }),
        Command::Remind { check: _, at, json } => remind_cmd::check(&remind_cmd::RemindArgs {
            file: cli.history.as_deref(),
            at: at.as_deref(),
            json,
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ebid: {e:#}");
            ExitCode::FAILURE
        }
    }
}
