//! Tauri's code generation, with the app's own commands declared, so that capabilities can allow exactly these
//! and nothing else. Cargo runs this from the package's folder, the repository root (the root Cargo.toml is
//! the app's package): tauri-build reads `tauri.conf.json` there, and is told where the capabilities are. The
//! commands are the app's list, the one file every other place comes from
//! (`crates/ebid-app/src/command_list.rs`), read here as source.

use tauri_build::{AppManifest, Attributes};

include!("../crates/ebid-app/src/command_list.rs");

macro_rules! names {
    ($($name:ident ($($arg:ident : $ty:ty),*) -> $answer:ty;)*) => {
        &[$(stringify!($name)),*]
    };
}

/// Every command of the list; `capabilities/default.json` (written from the same list) allows each by name.
const COMMANDS: &[&str] = with_app_commands!(names);

fn main() {
    // The capabilities stay beside the app's sources: tauri-build reads and watches `./capabilities` unless
    // told, and watches nothing when told, so a changed capability must be named here to rebuild the app.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    println!("cargo:rerun-if-changed=crates/ebid-app/src/command_list.rs");
    let attributes = Attributes::new()
        .capabilities_path_pattern("src-tauri/capabilities/**/*")
        .app_manifest(AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {error:#}");
    }
}
