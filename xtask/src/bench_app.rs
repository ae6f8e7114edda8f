//! The app's part of `cargo xtask bench`: the release build's size, its start to the first screen and the
//! memory of all its processes at idle (the `app_window` bench of `ebid-tests`, under a virtual display).

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};

use crate::process::run;
use crate::xvfb::Xvfb;
use crate::{cargo, frontend, step};

/// Measures the release app; `ebid` is the release CLI (the bench's server), `log_dir` takes Xvfb's log.
/// pcscd is already running (the bench started it), so the first screen reads the readers as it would.
pub fn bench_app(ebid: &Path, log_dir: &Path) -> Result<()> {
    step("front end: npm run check, npm run build");
    frontend::check_and_build()?;
    step("build ebid-desktop (release)");
    run(
        cargo::command(
            &[
                "build",
                "--release",
                "-p",
                "ebid-desktop",
                "--bin",
                "ebid-desktop",
            ],
            true,
        )?,
        "cargo build",
    )?;
    let app = cargo::target_dir()?.join("release/ebid-desktop");
    let size = fs::metadata(&app)
        .with_context(|| format!("{}", app.display()))?
        .len();
    println!(
        "\nrelease app binary (screens embedded): {:.1} MiB ({} bytes)",
        mib(size),
        size
    );

    step("Xvfb");
    let xvfb = Xvfb::start(log_dir)?;
    step("app window: start and memory (cargo bench -p ebid-tests --bench app_window)");
    let mut cmd = cargo::command(
        &["bench", "-p", "ebid-tests", "--bench", "app_window"],
        true,
    )?;
    cmd.env("EBID_E2E", "1")
        .env("DISPLAY", xvfb.display())
        .env("EBID_APP", &app)
        .env("EBID_CLI", ebid);
    run(cmd, "cargo bench --bench app_window")
}

/// For display: a binary's size converts to f64 exactly.
fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
