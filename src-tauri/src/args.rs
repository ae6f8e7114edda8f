//! The app's command line: a server for this run, over the configuration files, and (for tests and portable
//! use) one folder for everything the app writes.

use std::path::PathBuf;

#[derive(Debug, clap::Parser)]
#[command(
    name = "ebid-desktop",
    about = "電子入札システム 利用者登録 ICカード更新"
)]
pub struct Args {
    /// The registration server's URL for this run (https://…; http:// only to this PC), over the
    /// configuration files [default: the files' `[server] url`; without one, the app asks (接続先設定)].
    #[arg(long, env = "EBID_SERVER")]
    pub server: Option<String>,
    /// One folder for the app's data, its logs (`logs/`) and its window's place [default: the OS's folders].
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}
