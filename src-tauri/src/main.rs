//! ebid-desktop: the window. Everything it does is a command of `commands.rs`, mapped onto
//! [`ebid_app::Controller`]; this crate holds no rule of its own.

// A release build on Windows has no console window.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod args;
mod commands;

use clap::Parser as _;
use ebid_app::{AppConfig, Controller};
use tauri::Manager as _;

fn main() {
    let args = args::Args::parse();
    tauri::Builder::default()
        .setup(move |app| {
            let data_dir = match args.data_dir {
                Some(dir) => dir,
                None => app.path().app_data_dir()?,
            };
            let controller = Controller::start(AppConfig {
                server_url: args.server,
                data_dir,
            })?;
            app.manage(controller);
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
        .unwrap_or_else(|error| {
            eprintln!("ebid-desktop: {error}");
            std::process::exit(1);
        });
}
