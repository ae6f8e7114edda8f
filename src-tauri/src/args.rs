//! The app's command line: where the registration server is, and (for tests and portable use) where the
//! app keeps its data.

use std::path::PathBuf;

#[derive(Debug, clap::Parser)]
#[command(
    name = "ebid-desktop",
    about = "電子入札システム 利用者登録 ICカード更新"
)]
pub struct Args {
    /// The registration server's URL (https://…; http:// only to this PC).
    #[arg(long, env = "EBID_SERVER", default_value = "http://127.0.0.1:7878")]
    pub server: String,
    /// The app's data folder [default: the OS's app-data folder].
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}
