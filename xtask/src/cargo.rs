//! Running child `cargo` invocations from the repository root with the right environment.

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// The repository root (the workspace that contains `xtask/`).
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the repository root")
}

/// The cargo binary that runs us (same toolchain), or `cargo` from PATH.
fn cargo_program() -> OsString {
    env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Where heavy child builds go: the caller's `CARGO_TARGET_DIR` if set, otherwise a persistent
/// per-user directory, so that CI's fresh clones stay warm.
pub fn target_dir() -> Result<PathBuf> {
    if let Some(dir) = env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir);
        // Cargo resolves a relative CARGO_TARGET_DIR against the working directory.
        let cwd = env::current_dir().context("reading the current directory")?;
        return Ok(cwd.join(dir));
    }
    Ok(home_dir()?.join(".cache/ebid/target"))
}

/// `$HOME`, which must be set.
pub fn home_dir() -> Result<PathBuf> {
    match env::var_os("HOME").filter(|h| !h.is_empty()) {
        Some(home) => Ok(PathBuf::from(home)),
        None => bail!("HOME is not set"),
    }
}

/// A `cargo <args>` command run from the repository root.
/// `heavy` commands (that compile) get `CARGO_TARGET_DIR` set to [`target_dir`].
pub fn command(args: &[&str], heavy: bool) -> Result<Command> {
    let mut cmd = Command::new(cargo_program());
    cmd.args(args).current_dir(repo_root());
    if heavy {
        cmd.env("CARGO_TARGET_DIR", target_dir()?);
    }
    Ok(cmd)
}
