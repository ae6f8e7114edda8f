//! The app's version, as `tauri.conf.json` gives it (the version the updater compares), and a build of the
//! app at another one (`TAURI_CONFIG`, which tauri-build and `generate_context!` merge over the file).

use anyhow::{Context, Result, bail};

use crate::cargo;

/// `tauri.conf.json`'s `version`.
pub fn configured() -> Result<String> {
    let path = cargo::repo_root().join("tauri.conf.json");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let config: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    match config["version"].as_str() {
        Some(version) => Ok(version.to_owned()),
        None => bail!("{} names no version", path.display()),
    }
}

/// The next patch version: 1.2.3 → 1.2.4.
pub fn next_patch(version: &str) -> Result<String> {
    let parts: Vec<&str> = version.split('.').collect();
    let [major, minor, patch] = parts[..] else {
        bail!("{version} is not MAJOR.MINOR.PATCH");
    };
    let patch: u64 = patch
        .parse()
        .with_context(|| format!("{version}'s patch is not a number"))?;
    Ok(format!("{major}.{minor}.{}", patch + 1))
}

/// The `TAURI_CONFIG` that builds the app as `version`.
pub fn as_version(version: &str) -> String {
    serde_json::json!({ "version": version }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_patch_counts_on() {
        assert_eq!(next_patch("0.1.9").unwrap(), "0.1.10");
        assert!(next_patch("1.2").is_err());
    }
}
