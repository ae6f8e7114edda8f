//! 接続先設定: the registration server in force, and where the screen saves another.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionView {
    /// None until a file or the command line names a server: the screen then asks for one.
    pub server_url: Option<String>,
    /// `--server` decides for this run, over the files, until the user saves another address.
    pub from_command_line: bool,
    /// The user's configuration file, where 【保存】 writes.
    pub user_file: Option<String>,
}
