//! `cargo xtask test`: setup, format check, the front end, clippy, then the workspace tests against a
//! running pcscd and a virtual X display (for the end-to-end tests of the app window), both stopped
//! afterwards whatever happens.

use anyhow::{Result, bail};

use crate::process::run;
use crate::services::Pcscd;
use crate::xvfb::Xvfb;
use crate::{cargo, frontend, setup, step};

pub fn test(extra: &[String]) -> Result<()> {
    step("setup");
    setup::setup()?;

    step("fmt");
    run(
        cargo::command(&["fmt", "--all", "--", "--check"], false)?,
        "cargo fmt --check",
    )?;

    // The desktop crate embeds ui/dist when it compiles: clippy and the tests need it built.
    step("front end: npm run check, npm run build");
    frontend::check_and_build()?;

    step("clippy");
    run(
        cargo::command(
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
            true,
        )?,
        "cargo clippy",
    )?;

    // The end-to-end tests start programs themselves, by the paths passed below: `ebid-server`, `ebid`,
    // `ebid-vcard` (a test cannot see another package's binaries) and the app under WebDriver. Their packages
    // have integration tests, so building the tests builds the binaries, with the same features as the run
    // below (a separate `cargo build` would compile the GUI stack a second time with other features).
    step("build the tests (and with them `ebid`, `ebid-server`, `ebid-vcard` and the desktop app)");
    // The whole workspace, whatever `extra` selects: the binaries are needed by the tests that use them.
    run(
        cargo::command(&["test", "--workspace", "--no-run"], true)?,
        "cargo test --no-run",
    )?;
    let target = cargo::target_dir()?;
    let ebid = target.join("debug/ebid");
    let server = target.join("debug/ebid-server");
    let vcard = target.join("debug/ebid-vcard");
    let app = target.join("debug/ebid-desktop");
    for binary in [&ebid, &server, &vcard, &app] {
        if !binary.is_file() {
            bail!("the build did not produce {}", binary.display());
        }
    }

    let log_dir = target.join("xtask");
    step("pcscd");
    let _pcscd = Pcscd::start(&log_dir)?;

    step("Xvfb");
    let xvfb = Xvfb::start(&log_dir)?;

    step("test");
    let mut cmd = cargo::command(&["test", "--workspace"], true)?;
    cmd.args(extra)
        // Every test must run: one whose pcscd, display or root is missing fails instead of being skipped.
        .env("EBID_REQUIRE_ALL", "1")
        .env("DISPLAY", xvfb.display())
        .env("EBID_APP", &app)
        .env("EBID_CLI", &ebid)
        .env("EBID_SERVER_BIN", &server)
        .env("EBID_VCARD_BIN", &vcard);
    run(cmd, "cargo test")
    // `xvfb` then `_pcscd` are dropped here, and on every early return or panic above.
}
