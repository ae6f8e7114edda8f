//! The app's part of `cargo xtask bench`: the release build's size and its `.deb` bundle's, its start to the
//! first screen and the memory of all its processes at idle (the `app_window` bench of `ebid-tests`, under
//! a virtual display).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::process::run;
use crate::xvfb::Xvfb;
use crate::{cargo, frontend, step};

/// Measures the release app; `server` is the release `ebid-server` (the bench's server), `log_dir` takes
/// Xvfb's log.
/// pcscd is already running (the bench started it), so the first screen reads the readers as it would.
pub fn bench_app(server: &Path, log_dir: &Path) -> Result<()> {
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

    step("release bundle: tauri build --bundles deb");
    let deb = bundle_deb()?;
    let size = fs::metadata(&deb)
        .with_context(|| format!("{}", deb.display()))?
        .len();
    println!(
        "\nrelease bundle {}: {:.1} MiB ({} bytes)",
        deb.file_name().unwrap_or_default().to_string_lossy(),
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
    cmd.env("EBID_REQUIRE_ALL", "1")
        .env("DISPLAY", xvfb.display())
        .env("EBID_APP", &app)
        .env("EBID_SERVER_BIN", server);
    run(cmd, "cargo bench --bench app_window")
}

/// The Tauri CLI (`ui/`'s devDependency) bundles the release build; `ui`'s `tauri` script runs it from the
/// repository root, where the config and the app's package are (see ARCHITECTURE.md).
fn bundle_deb() -> Result<PathBuf> {
    let target = cargo::target_dir()?;
    let mut cmd = Command::new("npm");
    cmd.args([
        "--prefix",
        "ui",
        "run",
        "tauri",
        "--",
        "build",
        "--bundles",
        "deb",
    ])
    .current_dir(cargo::repo_root())
    .env("CARGO_TARGET_DIR", &target);
    run(cmd, "tauri build --bundles deb")?;
    let dir = target.join("release/bundle/deb");
    let found = fs::read_dir(&dir)
        .with_context(|| format!("{}", dir.display()))?
        .filter_map(|entry| Some(entry.ok()?.path()))
        .find(|path| path.extension().is_some_and(|e| e == "deb"));
    match found {
        Some(deb) => Ok(deb),
        None => bail!("no .deb in {}", dir.display()),
    }
}

/// For display: a binary's size converts to f64 exactly.
fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
