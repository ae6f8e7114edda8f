//! ebid-desktop: the window. Everything it does is a command of `commands.rs`, mapped onto
//! [`ebid_app::Controller`]; this crate holds no rule of its own, only the window's life: one instance,
//! its place remembered, its log, and a start-up failure shown.

// A release build on Windows has no console window.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod args;
mod commands;
mod logging;
mod startup_failure;

use clap::Parser as _;
use ebid_app::{AppConfig, Controller, Places};
use tauri::utils::config::AppDirectoriesOverride;
use tauri::{AppHandle, Manager as _};

/// The window `tauri.conf.json` declares.
const MAIN_WINDOW: &str = "main";

fn main() {
    let args = args::Args::parse();
    let mut context = tauri::generate_context!();
    if let Some(dir) = &args.data_dir {
        // Data, log and window state all in the one folder given.
        context.config_mut().app.app_directories_override =
            Some(AppDirectoriesOverride::Root(dir.clone()));
    }
    let started = tauri::Builder::default()
        // First: a second launch must stop before it opens a window or touches a card.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            bring_forward(app);
        }))
        .plugin(logging::plugin())
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .setup(move |app| {
            let data_dir = match app.path().app_data_dir() {
                Ok(dir) => dir,
                Err(error) => {
                    let reason = format!("アプリのデータフォルダがわかりません: {error}");
                    startup_failure::report(app.handle(), &reason);
                    return Ok(());
                }
            };
            log::info!(
                "ebid-desktop {} starting; data in {}",
                env!("CARGO_PKG_VERSION"),
                data_dir.display()
            );
            let started = Controller::start(AppConfig {
                places: Places::for_this_os(),
                server_override: args.server,
                data_dir,
            });
            match started {
                Ok(controller) => {
                    app.manage(controller);
                }
                // Not returned to Tauri, which panics on a failed setup: the user must read why.
                Err(error) => startup_failure::report(app.handle(), &error.message),
            }
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(context);
    if let Err(error) = started {
        // Tauri itself could not start (no window system, no WebView): no window to show a dialog with.
        log::error!("start-up failed: {error}");
        eprintln!("ebid-desktop: {error}");
        std::process::exit(1);
    }
}

/// Another launch (a second click on the icon): this window comes forward instead of a second one driving
/// the same card.
fn bring_forward(app: &AppHandle) {
    log::info!("another launch: bringing the window forward");
    let Some(window) = app.get_webview_window(MAIN_WINDOW) else {
        return;
    };
    for (what, done) in [
        ("unminimize", window.unminimize()),
        ("show", window.show()),
        ("focus", window.set_focus()),
    ] {
        if let Err(error) = done {
            log::warn!("could not {what} the window: {error}");
        }
    }
}
