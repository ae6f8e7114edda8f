//! `cargo xtask bundle`: the installers this OS can build (Linux: .deb; the AppImage tooling is downloaded
//! from outside the package registries, so not here; Windows: .msi and -setup.exe; macOS: .app and .dmg),
//! with the organization's public update key merged into the app's config, and the update artifacts
//! `ebid-server release publish` takes, each named by the updater's platform key.
//!
//! No update signature is made here: the Tauri CLI would sign before the OS's code signing of a CI step
//! after it, and every client would refuse that update. The Tauri CLI code-signs what its environment
//! configures (Authenticode: `bundle.windows.signCommand`; macOS: `APPLE_SIGNING_IDENTITY` and the
//! notarization variables), and `publish` signs the finished bytes afterwards.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::process::run;
use crate::{cargo, step};

/// The repository's TEST-ONLY public key, which no bundle for users may trust.
const TEST_KEY: &str = "crates/ebid-release/tests/keys/TEST-ONLY-release.pub";

pub fn bundle(pubkey: Option<&Path>, test_key: bool) -> Result<()> {
    let key = update_key(pubkey, test_key)?;
    // `setup` is Debian's (apt-get, dpkg). Elsewhere (the hosted CI's Windows and macOS runners) `npm ci` in
    // ui/ has run before, and the Tauri CLI builds the front end itself (`beforeBuildCommand`).
    #[cfg(target_os = "linux")]
    {
        step("setup");
        crate::setup::setup()?;
        step("front end: npm run check, npm run build");
        crate::frontend::check_and_build()?;
    }

    let target = cargo::target_dir()?;
    let merged = target.join("xtask/bundle-config.json");
    std::fs::create_dir_all(merged.parent().expect("a folder"))?;
    let config = serde_json::json!({ "plugins": { "updater": { "pubkey": key } } });
    std::fs::write(&merged, config.to_string())
        .with_context(|| format!("writing {}", merged.display()))?;

    step(&format!("tauri build --bundles {}", BUNDLES.join(",")));
    let mut build = Command::new(npm());
    build
        .args(["--prefix", "ui", "run", "tauri", "--", "build", "--bundles"])
        .arg(BUNDLES.join(","))
        .arg("--config")
        .arg(&merged)
        .current_dir(cargo::repo_root())
        .env("CARGO_TARGET_DIR", &target);
    run(build, "tauri build")?;

    let bundles = target.join("release/bundle");
    let artifacts = update_artifacts(&bundles)?;
    if artifacts.is_empty() {
        bail!(
            "tauri build wrote no update artifact under {}",
            bundles.display()
        );
    }
    step("update artifacts (code-sign them first where the OS has it, then publish)");
    for (platform, path) in &artifacts {
        println!("    {platform}={}", path.display());
    }
    let arguments: Vec<String> = artifacts
        .iter()
        .map(|(platform, path)| format!("--artifact {platform}={}", path.display()))
        .collect();
    println!(
        "    ebid-server release publish --data DIR --key ebid-release.key --version {} \\\n      \
         --channel stable --notes-file notes.txt {}",
        crate::app_version::configured()?,
        arguments.join(" ")
    );
    Ok(())
}

/// The public key's text: `--pubkey`'s file, `EBID_UPDATE_PUBKEY`, or the TEST-ONLY one when asked by name.
fn update_key(pubkey: Option<&Path>, test_key: bool) -> Result<String> {
    let test = std::fs::read_to_string(cargo::repo_root().join(TEST_KEY))
        .context("reading the TEST-ONLY public key")?;
    let key = if test_key {
        println!(
            "    this bundle trusts the TEST-ONLY update key: for trying updates, never for users"
        );
        return Ok(test.trim().to_owned());
    } else if let Some(file) = pubkey {
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?
    } else if let Some(text) = std::env::var_os("EBID_UPDATE_PUBKEY").filter(|v| !v.is_empty()) {
        text.into_string()
            .map_err(|_| anyhow::anyhow!("EBID_UPDATE_PUBKEY is not UTF-8"))?
    } else {
        bail!(
            "no update key: give the organization's public key (`ebid-server release keygen` wrote \
             ebid-release.pub) with --pubkey FILE or EBID_UPDATE_PUBKEY, or --test-key to try updates"
        );
    };
    let key = key.trim().to_owned();
    if key == test.trim() {
        bail!(
            "that is the repository's TEST-ONLY key: a bundle for users must trust the organization's own"
        );
    }
    Ok(key)
}

#[cfg(target_os = "linux")]
const BUNDLES: &[&str] = &["deb"];
#[cfg(target_os = "windows")]
const BUNDLES: &[&str] = &["msi", "nsis"];
#[cfg(target_os = "macos")]
const BUNDLES: &[&str] = &["app", "dmg"];

fn npm() -> &'static str {
    if cfg!(windows) { "npm.cmd" } else { "npm" }
}

/// The updater's architecture name of this machine.
fn arch() -> &'static str {
    std::env::consts::ARCH
}

/// Each update artifact under `bundles`, with its platform key.
fn update_artifacts(bundles: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut artifacts = Vec::new();
    for (folder, suffix, os, installer) in [
        ("deb", ".deb", "linux", "deb"),
        ("msi", ".msi", "windows", "msi"),
        ("nsis", "-setup.exe", "windows", "nsis"),
    ] {
        for file in files_ending(&bundles.join(folder), suffix) {
            artifacts.push((format!("{os}-{}-{installer}", arch()), file));
        }
    }
    #[cfg(target_os = "macos")]
    for app in files_ending(&bundles.join("macos"), ".app") {
        artifacts.push((format!("darwin-{}-app", arch()), app_tar_gz(&app)?));
    }
    Ok(artifacts)
}

fn files_ending(folder: &Path, suffix: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.to_str().is_some_and(|p| p.ends_with(suffix)))
        .collect();
    files.sort();
    files
}

/// `X.app` as `X.app.tar.gz`, the form the updater installs on macOS (made after the CLI's code signing
/// and notarization, so the signature inside is the final one).
#[cfg(target_os = "macos")]
fn app_tar_gz(app: &Path) -> Result<PathBuf> {
    let name = app.file_name().context("an app name")?;
    let mut out = app.as_os_str().to_owned();
    out.push(".tar.gz");
    let out = PathBuf::from(out);
    let file =
        std::fs::File::create(&out).with_context(|| format!("creating {}", out.display()))?;
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    tar.follow_symlinks(false);
    tar.append_dir_all(name, app)
        .with_context(|| format!("archiving {}", app.display()))?;
    tar.into_inner()?.finish()?;
    Ok(out)
}
