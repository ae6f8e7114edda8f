//! `ebid-server`: the organization's registration server, run until SIGTERM or Ctrl-C; and `ebid-server
//! admin …`, its administrator's commands on the database file (registrations waiting for approval); and
//! `ebid-server release …`, the desktop app's updates (signing key, publishing, rollout).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "ebid-server",
    version,
    about = "電子入札 利用者登録サーバー — the organization's registration server for ICカード更新",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ebid_server::ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// The administrator's commands on the server's database (which may be in use by a running server).
    Admin(ebid_server::AdminArgs),
    /// The desktop app's updates: the signing key, publishing a release, its rollout, pause and rollback.
    Release(ebid_server::ReleaseArgs),
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let done = match cli.command {
        Some(Command::Admin(admin)) => ebid_server::admin(admin)
            .await
            .map(|said| print!("{said}"))
            .map_err(anyhow::Error::from),
        Some(Command::Release(release)) => ebid_server::release(release)
            .await
            .map(|said| print!("{said}"))
            .map_err(anyhow::Error::from),
        None => ebid_server::run(cli.serve).await,
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ebid-server: {e:#}");
            ExitCode::FAILURE
        }
    }
}
