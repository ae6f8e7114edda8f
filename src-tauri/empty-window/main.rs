//! An empty Tauri 2 window: the floor that `cargo xtask idle-memory` sets the app's idle memory beside. It is
//! an example of the app's own package so that it is built with the same `tauri`, the same features
//! (`custom-protocol`, the page embedded) and the same profile as `ebid-desktop`; what it lacks is only the
//! app (no commands, no `ebid-app`, a blank page), so the difference between the two is what the app adds
//! to WebKitGTK's own cost.
//!
//! Its context is its own config beside this file (a window of the app's size, a blank page). The ACL
//! compiled in is the package's, written by the app's build script: it names the app's commands, none of
//! which this program registers, so it only allows what cannot be called.

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!(
            "src-tauri/empty-window/tauri.conf.json"
        ))
        .unwrap_or_else(|error| {
            eprintln!("empty-window: {error}");
            std::process::exit(1);
        });
}
