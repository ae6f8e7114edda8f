//! The configuration files a child `ebid` reads, in a folder of the test's own (through
//! `EBID_MACHINE_CONFIG` / `EBID_USER_CONFIG`), and its history file there too (`EBID_HISTORY`), with no
//! `EBID_SERVER` and no `RUST_LOG`: neither this PC's files (a proxy, another server, the user's history)
//! nor the test runner's environment reach a test.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct ConfigDir {
    _folder: tempfile::TempDir,
    /// The administrator's machine-wide file.
    pub machine: PathBuf,
    /// The user's own.
    pub user: PathBuf,
    /// The local history every `ebid` of the test shares (made by the first that records).
    pub history: PathBuf,
}

impl ConfigDir {
    /// The two files with these contents; `None`: no such file.
    pub fn new(machine: Option<&str>, user: Option<&str>) -> Self {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let place = |name: &str, toml: Option<&str>| {
            let path = folder.path().join(name).join("config.toml");
            if let Some(toml) = toml {
                write(&path, toml);
            }
            path
        };
        Self {
            machine: place("machine", machine),
            user: place("user", user),
            history: folder.path().join("data").join("history.sqlite"),
            _folder: folder,
        }
    }

    /// `ebid` reading these places only.
    pub fn apply<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        command
            .env("EBID_MACHINE_CONFIG", &self.machine)
            .env("EBID_USER_CONFIG", &self.user)
            .env("EBID_HISTORY", &self.history)
            .env_remove("EBID_SERVER")
            .env_remove("RUST_LOG")
    }
}

fn write(path: &Path, toml: &str) {
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("the folder is made");
    std::fs::write(path, toml).expect("the file is written");
}
