//! `cargo xtask setup`: installs what is missing, and says nothing when nothing is.

use std::collections::HashSet;
use std::env;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

use anyhow::{Context, Result, bail};

use crate::cargo;
use crate::packages::{CARGO_TOOLS, DEB_PACKAGES, DebPackage};
use crate::process::run;

/// The reader configuration Debian's vsmartcard-vpcd installs for every pcscd on the machine.
const SYSTEM_VPCD_CONFIG: &str = "/etc/reader.conf.d/vpcd";

pub fn setup() -> Result<()> {
    debian_packages()?;
    remove_system_wide_vpcd_readers()?;
    cargo_tools()?;
    npm_packages()?;
    Ok(())
}

fn debian_packages() -> Result<()> {
    let installed = installed_debs()?;
    let missing: Vec<&DebPackage> = DEB_PACKAGES
        .iter()
        .filter(|p| !installed.contains(p.name))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    println!("    installing Debian packages:");
    for p in &missing {
        println!("      {} - {}", p.name, p.why);
    }
    run(apt_get(&["update"])?, "apt-get update")?;
    let mut args = vec!["install", "-y", "--no-install-recommends"];
    args.extend(missing.iter().map(|p| p.name));
    run(apt_get(&args)?, "apt-get install")
}

/// With Debian's `/etc/reader.conf.d/vpcd`, every pcscd on the machine (the system's too, whenever a program
/// asks for a card) loads vpcd, which listens for cards on all addresses: anyone who can reach the machine
/// could put a card into its readers. The tests, the bench and the demo give the pcscd they start a
/// configuration of their own (`services::Pcscd`), so this one goes; dpkg leaves a configuration file the
/// administrator removed removed, on upgrades too.
fn remove_system_wide_vpcd_readers() -> Result<()> {
    if !Path::new(SYSTEM_VPCD_CONFIG).exists() {
        return Ok(());
    }
    println!(
        "    removing {SYSTEM_VPCD_CONFIG}: it has every pcscd listen for virtual cards on all addresses \
         (a pcscd running now keeps listening until it stops); the tests and the demo start pcscd with \
         readers of their own"
    );
    run(as_root("rm", &[SYSTEM_VPCD_CONFIG])?, "rm")
}

/// The packages of the table that dpkg reports as installed.
fn installed_debs() -> Result<HashSet<String>> {
    // dpkg-query exits 1 when some package is unknown; the known ones are still printed.
    let out = Command::new("dpkg-query")
        .arg("-W")
        .arg("-f=${Package} ${Status}\n")
        .args(DEB_PACKAGES.iter().map(|p| p.name))
        .stderr(Stdio::null())
        .output()
        .context("could not run dpkg-query (is this a Debian system?)")?;
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| line.split_once(' '))
        .filter(|(_, status)| *status == "install ok installed")
        .map(|(name, _)| name.to_owned())
        .collect())
}

/// `apt-get <args>`, non-interactive, through sudo unless we are root.
fn apt_get(args: &[&str]) -> Result<Command> {
    let mut cmd = if is_root()? {
        let mut cmd = Command::new("apt-get");
        cmd.env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    } else {
        let mut cmd = Command::new("sudo");
        cmd.args(["DEBIAN_FRONTEND=noninteractive", "apt-get"]);
        cmd
    };
    cmd.args(args);
    Ok(cmd)
}

/// `program <args>`, through sudo unless we are root.
fn as_root(program: &str, args: &[&str]) -> Result<Command> {
    let mut cmd = if is_root()? {
        Command::new(program)
    } else {
        let mut cmd = Command::new("sudo");
        cmd.arg(program);
        cmd
    };
    cmd.args(args);
    Ok(cmd)
}

fn is_root() -> Result<bool> {
    // /proc/self belongs to the effective user of this process.
    let meta = fs::metadata("/proc/self").context("reading /proc/self")?;
    Ok(meta.uid() == 0)
}

fn cargo_tools() -> Result<()> {
    for tool in CARGO_TOOLS {
        if find_tool(tool.binary).is_some() {
            continue;
        }
        println!("    installing {} ({})", tool.krate, tool.why);
        run(
            cargo::command(&["install", tool.krate, "--locked"], false)?,
            &format!("cargo install {}", tool.krate),
        )?;
    }
    Ok(())
}

/// An executable on PATH, or in cargo's own bin directory (where `cargo install` puts it).
pub fn find_tool(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = env::var_os("PATH")
        .map(|p| env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = env::var_os("CARGO_HOME").filter(|h| !h.is_empty()) {
        dirs.push(PathBuf::from(home).join("bin"));
    } else if let Ok(home) = cargo::home_dir() {
        dirs.push(home.join(".cargo/bin"));
    }
    dirs.into_iter()
        .map(|d| d.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.mode() & 0o111 != 0)
}

/// `npm ci` in `ui/` when it has a package.json and node_modules is missing or older than the
/// lock file. Skipped while there is no ui.
fn npm_packages() -> Result<()> {
    let ui = cargo::repo_root().join("ui");
    if !ui.join("package.json").is_file() {
        return Ok(());
    }
    let node_modules = modified(&ui.join("node_modules"));
    let lock = modified(&ui.join("package-lock.json"));
    let stale = match (node_modules, lock) {
        (None, _) => true,
        (Some(nm), Some(lock)) => nm < lock,
        (Some(_), None) => false,
    };
    if !stale {
        return Ok(());
    }
    if find_tool("npm").is_none() {
        bail!("ui/ needs npm, which is not installed");
    }
    println!("    installing npm packages in ui/");
    let mut cmd = Command::new("npm");
    cmd.arg("ci").current_dir(&ui);
    run(cmd, "npm ci")
}

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}
