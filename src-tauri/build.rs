//! Tauri's code generation, with the config at the repository root and the app's own commands declared,
//! so that capabilities can allow exactly these and nothing else.

use tauri_build::{AppManifest, Attributes};

/// Every command of `src/commands.rs`; `capabilities/default.json` allows each by name.
const COMMANDS: &[&str] = &[
    "overview",
    "organizations",
    "server_time",
    "begin",
    "locate_current_card",
    "login_current",
    "wait_new_card",
    "cancel_wait",
    "prove_new_card",
    "back",
    "commit",
    "read_card",
    "registration_info",
    "end",
];

fn main() {
    let attributes = Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {error:#}");
    }
}
