//! `ebid-server`: the organization's registration server, run until SIGTERM or Ctrl-C.

use std::process::ExitCode;

use clap::Parser;

#[derive(Parser)]
#[command(
    name = "ebid-server",
    version,
    about = "電子入札 利用者登録サーバー — the organization's registration server for ICカード更新"
)]
struct Cli {
    #[command(flatten)]
    serve: ebid_server::ServeArgs,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match ebid_server::run(cli.serve).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ebid-server: {e:#}");
            ExitCode::FAILURE
        }
    }
}
