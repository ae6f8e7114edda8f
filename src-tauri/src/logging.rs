//! The app's log: a file in the OS's log folder (`<data dir>/logs` with `--data-dir`), rotated, holding what
//! the libraries report through `tracing` (its `log` feature turns their events into records for this
//! logger). The libraries never put a PIN, a session token or a whole certificate in an event.

use log::LevelFilter;
use tauri::Runtime;
use tauri::plugin::TauriPlugin;
use tauri_plugin_log::{RotationStrategy, Target, TargetKind};

/// A file grows to this size before it is rotated; a renewal writes a few kilobytes.
const MAX_FILE_BYTES: u128 = 1024 * 1024;
/// Rotated files kept beside the current one: weeks of use, for the help desk.
const KEPT_FILES: usize = 4;

pub fn plugin<R: Runtime>() -> TauriPlugin<R> {
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .target(Target::new(TargetKind::LogDir { file_name: None }))
        .target(Target::new(TargetKind::Stderr))
        .max_file_size(MAX_FILE_BYTES)
        .rotation_strategy(RotationStrategy::KeepSome(KEPT_FILES))
        // The PC's time zone: the help desk compares the log with what the user saw on screen.
        .timezone_strategy(tauri_plugin_log::TimezoneStrategy::UseLocal)
        .level(LevelFilter::Info)
        // The webview's and the window system's chatter says nothing about the renewal.
        .level_for("tao", LevelFilter::Warn)
        .level_for("wry", LevelFilter::Warn)
        .level_for("zbus", LevelFilter::Warn)
        .build()
}
