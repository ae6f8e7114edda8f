//! ebid-desktop: the window. Everything it does is a command of `commands.rs`, mapped onto
//! [`ebid_app::Controller`]; this crate holds no rule of its own.

// A release build on Windows has no console window.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod args;
mod commands;

use clap::Parser as _;
use ebid_app::{AppConfig, Controller};
use tauri::{Emitter as _, Manager as _};

fn main() {
    let args = args::Args::parse();
    tauri::Builder::default()
        .setup(move |app| {
            let data_dir = match args.data_dir {
                Some(dir) => dir,
                None => app.path().app_data_dir()?,
            };
            let handle = app.handle().clone();
            let controller = Controller::start(
                AppConfig {
                    server_url: args.server,
                    data_dir,
                },
                move |progress| {
                    // The window may be closing; a lost progress line is harmless.
                    let _ = handle.emit("swap-progress", progress);
                },
            )?;
            app.manage(controller);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::overview,
            commands::organizations,
            commands::server_time,
            commands::begin,
            commands::locate_current_card,
            commands::login_current,
            commands::wait_new_card,
            commands::cancel_wait,
            commands::prove_new_card,
            commands::back,
            commands::commit,
            commands::read_card,
            commands::registration_info,
            commands::end,
        ])
        .run(tauri::generate_context!())
        .unwrap_or_else(|error| {
            eprintln!("ebid-desktop: {error}");
            std::process::exit(1);
        });
}
