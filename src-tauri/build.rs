//! Tauri's code generation, with the config at the repository root and the app's own commands declared,
//! so that capabilities can allow exactly these and nothing else. The commands are the app's list, the one
//! file every other place comes from (`crates/ebid-app/src/command_list.rs`), read here as source.

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
    println!("cargo:rerun-if-changed=../crates/ebid-app/src/command_list.rs");
    let attributes = Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {error:#}");
    }
}
