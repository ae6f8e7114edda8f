//! The app's command line: a server for this run, over the configuration files, and (for tests and portable
//! use) one folder for everything the app writes.

use std::path::PathBuf;

/// The flag the OS's start at login passes (`tauri-plugin-autostart`).
pub const IN_TRAY: &str = "--in-tray";

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
    /// Starts in the tray with the window closed, as the start at login does; 開く in the tray opens it.
    #[arg(long)]
    pub in_tray: bool,
}
