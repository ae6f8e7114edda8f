//! `cargo xtask test`: setup, format check, clippy, then the workspace tests against a running
//! pcscd, which is stopped afterwards whatever happens.

use anyhow::Result;

use crate::process::run;
use crate::services::Pcscd;
use crate::{cargo, setup, step};

pub fn test(extra: &[String]) -> Result<()> {
    step("setup");
    setup::setup()?;

    step("fmt");
    run(
        cargo::command(&["fmt", "--all", "--", "--check"], false)?,
        "cargo fmt --check",
    )?;

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

    step("pcscd");
    let _pcscd = Pcscd::start(&cargo::target_dir()?.join("xtask"))?;

    step("test");
    let mut cmd = cargo::command(&["test", "--workspace"], true)?;
    cmd.args(extra).env("EBID_PCSCD", "1");
    run(cmd, "cargo test")
    // `_pcscd` is dropped here, and on every early return or panic above.
}
