//! The shell's parts that are tested without a window: the updater plugin behind
//! [`ebid_app::updates::Updater`] ([`updater`]), driven by `tests/app_updates.rs` in Tauri's mock runtime
//! against the organization's server on 127.0.0.1. The window's own life is the binary's (`main.rs`).

pub mod updater;
