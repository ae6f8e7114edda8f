//! Where the two files are on each OS.

use std::path::PathBuf;

/// The folder under each OS's configuration folders, and the file in it.
const FOLDER: &str = "ebid";
const FILE: &str = "config.toml";

/// The machine-wide file an administrator deploys, and the user's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Places {
    pub machine: Option<PathBuf>,
    pub user: Option<PathBuf>,
}

impl Places {
    /// This OS's places. `EBID_MACHINE_CONFIG` and `EBID_USER_CONFIG` name other files instead: for a
    /// portable install, a packager's layout, and the tests (which must not write to `/etc`).
    pub fn for_this_os() -> Self {
        Self {
            machine: file_from_env("EBID_MACHINE_CONFIG")
                .or_else(|| machine_folder().map(|folder| folder.join(FOLDER).join(FILE))),
            user: file_from_env("EBID_USER_CONFIG")
                .or_else(|| dirs::config_dir().map(|folder| folder.join(FOLDER).join(FILE))),
        }
    }
}

fn file_from_env(variable: &str) -> Option<PathBuf> {
    std::env::var_os(variable)
        .filter(|path| !path.is_empty())
        .map(PathBuf::from)
}

/// %ProgramData% (C:\ProgramData): readable by every user, writable by administrators.
#[cfg(windows)]
fn machine_folder() -> Option<PathBuf> {
    std::env::var_os("ProgramData").map(PathBuf::from)
}

#[cfg(target_os = "macos")]
fn machine_folder() -> Option<PathBuf> {
    Some(PathBuf::from("/Library/Application Support"))
}

#[cfg(not(any(windows, target_os = "macos")))]
fn machine_folder() -> Option<PathBuf> {
    Some(PathBuf::from("/etc"))
}
