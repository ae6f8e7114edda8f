//! 通知設定: the days before expiry at which the holder is reminded, desktop notifications on or off, and
//! whether the app starts at login (so that reminders come with the window never opened).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReminderSettingsView {
    /// The days before expiry, the farthest first.
    pub days: Vec<u32>,
    /// The administrator's (or the built-in) days, which 【初期値に戻す】 restores.
    pub default_days: Vec<u32>,
    /// Desktop notifications on; off, the reminders show in the app only.
    pub notify: bool,
    /// The app starts when the user logs in; none where the OS does not tell.
    pub starts_at_login: Option<bool>,
    /// The user's configuration file, where 【保存】 writes.
    pub user_file: Option<String>,
}

/// What 【保存】 sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReminderSettingsInput {
    /// As typed ("90, 60, 30"); read and checked (1–366, none twice) before anything is saved.
    pub days: String,
    pub notify: bool,
    pub starts_at_login: bool,
}
