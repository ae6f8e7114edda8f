//! ebid-desktop: the window. Everything it does is a command of `commands.rs`, mapped onto
//! [`ebid_app::Controller`]; this crate holds no rule of its own, only the window's life: one instance,
//! its place remembered, its log, a start-up failure shown, the tray it stays in when closed, and the
//! desktop's notifications and start at login ([`ebid_app::Desktop`]), and the updater plugin
//! ([`ebid_app::updates::Updater`]).

// A release build on Windows has no console window.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod args;
mod commands;
mod desktop;
mod logging;
mod main_window;
mod session_end;
mod startup_failure;
mod tray;

use std::sync::Arc;

use clap::Parser as _;
use ebid_app::{AppConfig, Controller, Places};
use ebid_desktop::updater;
use tauri::utils::config::AppDirectoriesOverride;
use tauri::{Manager as _, RunEvent};
use tauri_plugin_window_state::StateFlags;

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
    if args.in_tray {
        // Started at login: the window waits, closed, until the user opens it from the tray.
        for window in &mut context.config_mut().app.windows {
            window.visible = false;
        }
    }
    let [notification, autostart] = desktop::plugins();
    let built = tauri::Builder::default()
        // First: a second launch must stop before it opens a window or touches a card.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            log::info!("another launch: bringing the window forward");
            main_window::bring_forward(app);
        }))
        .plugin(logging::plugin())
        // Where the window was, not whether it was shown: that is `--in-tray`'s, and a window closed to the
        // tray when the app quit must open again at the next start.
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_state_flags(StateFlags::all() & !StateFlags::VISIBLE)
                .build(),
        )
        .plugin(notification)
        .plugin(autostart)
        .plugin(updater::plugin())
        .on_window_event(main_window::on_event)
        .setup(move |app| {
            let data_dir = match app.path().app_data_dir() {
                Ok(dir) => dir,
                Err(error) => {
                    let reason = format!("アプリのデータフォルダがわかりません: {error}");
                    startup_failure::report(app.handle(), &reason);
                    return Ok(());
                }
            };
            // The version the updater compares (the config's), which an update changes.
            log::info!(
                "ebid-desktop {} starting; data in {}",
                app.package_info().version,
                data_dir.display()
            );
            let started = Controller::start(AppConfig {
                places: Places::for_this_os(),
                server_override: args.server,
                data_dir,
                history: ebid_app::default_history_path(),
                desktop: desktop::TauriDesktop::install(app.handle()),
                updater: Arc::new(updater::PluginUpdater::new(app.handle().clone())),
            });
            match started {
                Ok(controller) => {
                    app.manage(controller);
                    // Only for an app that works: a failed start ends once its message is read.
                    if let Err(error) = tray::install(app) {
                        // The window still works; closing it hides the app, found again by a second launch.
                        log::error!("no tray icon: {error}");
                    }
                }
                // Not returned to Tauri, which panics on a failed setup: the user must read why.
                Err(error) => startup_failure::report(app.handle(), &error.message),
            }
            Ok(())
        })
        .invoke_handler(commands::handler())
        .build(context);
    let app = match built {
        Ok(app) => app,
        Err(error) => {
            // Tauri itself could not start (no window system, no WebView): no window to show a dialog with.
            log::error!("start-up failed: {error}");
            eprintln!("ebid-desktop: {error}");
            std::process::exit(1);
        }
    };
    app.run(|app, event| match event {
        RunEvent::Exit => session_end::end_before_exit(app),
        // macOS: a click on the Dock icon of an app whose window is closed.
        #[cfg(target_os = "macos")]
        RunEvent::Reopen { .. } => main_window::bring_forward(app),
        _ => {}
    });
}
