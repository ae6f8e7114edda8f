//! The desktop app's side of ICカード更新, with no Tauri in it: the shell (`src-tauri`) maps each command
//! onto a [`Controller`] method and nothing more, so `cargo test` of this crate needs no WebKit.
//!
//! - [`Controller`]: the commands, answered one at a time on the thread that owns the cards ([`flow`]).
//! - [`with_app_commands`]: the command set, declared once; the shell, its ACL, the capability and the
//!   TypeScript wrappers all come from it ([`commands`]).
//! - [`views`]: what each screen shows, generated into TypeScript ([`bindings`]).
//! - [`AppError`]: one error for every command, with a stable `code` the screens switch on.
//! - [`paper`]: 電子証明書更新確認 and 更新完了 as PDF.
//! - [`updates`]: the app's own updates, over the shell's updater plugin ([`updates::Updater`]).
//! - [`Desktop`]: what the desktop offers beyond the window (notifications, starting at login); the shell
//!   implements it.

pub mod bindings;
mod command_list;
pub mod commands;
mod connection;
mod controller;
mod desktop;
mod error;
mod flow;
mod history_query;
mod local_history;
pub mod paper;
mod pin_input;
mod prefs;
mod reminder_loop;
pub mod updates;
pub mod views;

pub use controller::{AppConfig, Controller};
pub use desktop::{Desktop, DesktopError, DesktopNotice};
pub use ebid_config::Places;
/// Where the local history lives (`EBID_HISTORY`, else the OS's app-data folder), shared with `ebid`.
pub use ebid_history::default_path as default_history_path;
pub use error::{AppError, ErrorCode};
pub use pin_input::PinInput;
