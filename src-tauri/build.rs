//! Tauri's code generation, with the app's own commands declared, so that capabilities can allow exactly these
//! and nothing else. Cargo runs this from the package's folder, the repository root (the root Cargo.toml is
//! the app's package): tauri-build reads `tauri.conf.json` there, and is told where the capabilities are.

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
    // The capabilities stay beside the app's sources: tauri-build reads and watches `./capabilities` unless
    // told, and watches nothing when told, so a changed capability must be named here to rebuild the app.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = Attributes::new()
        .capabilities_path_pattern("src-tauri/capabilities/**/*")
        .app_manifest(AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {error:#}");
    }
}
