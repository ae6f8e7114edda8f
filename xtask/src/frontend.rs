//! The Svelte front end in `ui/`: checked with svelte-check and built into `ui/dist`, which the Tauri crate
//! embeds when it compiles (so clippy and the tests of the app need it built first).

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Result, bail};

use crate::cargo;
use crate::process::run;

/// `npm run check` (svelte-check, warnings fail) and `npm run build` in `ui/`. Skipped while there is no
/// `ui/package.json`. `setup` has run `npm ci` already.
pub fn check_and_build() -> Result<()> {
    let ui = ui_dir();
    if !ui.join("package.json").is_file() {
        println!("    no ui/package.json: nothing to build");
        return Ok(());
    }
    npm(&["run", "check"])?;
    npm(&["run", "build"])?;
    let index = ui.join("dist/index.html");
    if !index.is_file() {
        bail!(
            "`npm run build` succeeded but did not write {}",
            index.display()
        );
    }
    Ok(())
}

fn ui_dir() -> PathBuf {
    cargo::repo_root().join("ui")
}

fn npm(args: &[&str]) -> Result<()> {
    let mut cmd = Command::new("npm");
    cmd.args(args).current_dir(ui_dir());
    run(cmd, &format!("npm {} (in ui/)", args.join(" ")))
}
