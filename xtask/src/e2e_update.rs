//! `cargo xtask e2e-update`: versions N (`tauri.conf.json`'s) and N+1 of the app built, each copied into a
//! folder of its own, then `tests/app_update_e2e.rs` on the virtual display: N+1 published on the server, N
//! started, the update accepted, N+1 observed running. Outside `cargo xtask test`: two builds of the app.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::process::run;
use crate::xvfb::Xvfb;
use crate::{app_version, cargo, frontend, setup, step};

pub fn e2e_update() -> Result<()> {
    step("setup");
    setup::setup()?;
    step("front end: npm run check, npm run build");
    frontend::check_and_build()?;

    let target = cargo::target_dir()?;
    let work = target.join("xtask/e2e-update");
    if work.exists() {
        fs::remove_dir_all(&work).with_context(|| format!("clearing {}", work.display()))?;
    }
    let version = app_version::configured()?;
    let next = app_version::next_patch(&version)?;

    // N+1 first, N last: the target folder is left as the ordinary build has it.
    step(&format!("build the app as version {next} (N+1)"));
    let next_app = build_copy(&target, Some(&next), &work.join(&next))?;
    step(&format!("build the app as version {version} (N)"));
    let app = build_copy(&target, None, &work.join(&version))?;

    let log_dir = target.join("xtask");
    step("Xvfb");
    let xvfb = Xvfb::start(&log_dir)?;

    step(&format!(
        "test: {version} is offered {next}, installs it and restarts as {next}"
    ));
    let mut test = cargo::command(
        &[
            "test",
            "--workspace",
            "--test",
            "app_update_e2e",
            "--",
            "--ignored",
            "--test-threads=1",
        ],
        true,
    )?;
    test.env("EBID_REQUIRE_ALL", "1")
        .env("DISPLAY", xvfb.display())
        .env("EBID_APP", &app)
        .env("EBID_CLI", target.join("debug/ebid"))
        .env("EBID_SERVER_BIN", target.join("debug/ebid-server"))
        .env("EBID_E2E_NEXT_APP", &next_app)
        .env("EBID_E2E_NEXT_VERSION", &next);
    run(test, "cargo test app_update_e2e")
}

/// Builds the tests (and with them the app and `ebid-server`, with the test run's features) as `version`
/// (`None`: as configured), and copies the app into `folder`, where an update may replace it.
fn build_copy(target: &Path, version: Option<&str>, folder: &Path) -> Result<PathBuf> {
    let mut build = cargo::command(&["test", "--workspace", "--no-run"], true)?;
    match version {
        Some(version) => build.env("TAURI_CONFIG", app_version::as_version(version)),
        None => build.env_remove("TAURI_CONFIG"),
    };
    run(build, "cargo test --no-run")?;
    fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
    let copy = folder.join("ebid-desktop");
    fs::copy(target.join("debug/ebid-desktop"), &copy)
        .with_context(|| format!("copying the app into {}", folder.display()))?;
    Ok(copy)
}
