//! How a test starts the app: its folder (data, logs, window place: `--data-dir`), its configuration files
//! (the administrator's and the user's, through `EBID_MACHINE_CONFIG` / `EBID_USER_CONFIG`, so that the
//! PC's own `/etc/ebid` and `~/.config/ebid` are never read), the server flag or none, its private session
//! bus and its local history (`EBID_HISTORY`, never the PC's own). The same launch can be repeated from the
//! test as a user would (a second click on the icon).

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::session_bus::SessionBus;

/// A second launch hands over to the first and exits: well within this, or it opened a window of its own.
const SECOND_LAUNCH_LIMIT: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(100);

pub struct Launch {
    /// `--server`; `None` starts the app as a menu would, with whatever its files say.
    pub server: Option<String>,
    /// `--data-dir`: everything the app writes goes under it.
    pub folder: PathBuf,
}

impl Launch {
    /// The app with `--server <url>`, keeping everything in `folder`.
    pub fn with_server(url: &str, folder: &Path) -> Self {
        Self {
            server: Some(url.to_owned()),
            folder: folder.to_owned(),
        }
    }

    /// The app as a menu starts it: no flag, only the configuration files in `folder`.
    pub fn from_files(folder: &Path) -> Self {
        Self {
            server: None,
            folder: folder.to_owned(),
        }
    }

    /// The administrator's file, as the app sees it (it may not exist).
    pub fn machine_config(&self) -> PathBuf {
        self.folder.join("machine-config.toml")
    }

    /// The user's file, which 接続先設定 writes (it may not exist).
    pub fn user_config(&self) -> PathBuf {
        self.folder.join("user-config.toml")
    }

    /// The local history the app (and `ebid`, given the same `EBID_HISTORY`) keeps.
    pub fn history(&self) -> PathBuf {
        self.folder.join("history.sqlite")
    }

    /// The app's arguments (as text: WebDriver's capabilities are JSON).
    pub fn args(&self) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(server) = &self.server {
            args.extend(["--server".to_owned(), server.clone()]);
        }
        args.extend([
            "--data-dir".to_owned(),
            self.folder
                .to_str()
                .expect("a UTF-8 test folder")
                .to_owned(),
        ]);
        args
    }

    /// The environment the app needs besides its arguments.
    pub fn env(&self) -> Vec<(&'static str, OsString)> {
        vec![
            (
                "EBID_MACHINE_CONFIG",
                self.machine_config().into_os_string(),
            ),
            ("EBID_USER_CONFIG", self.user_config().into_os_string()),
            ("EBID_HISTORY", self.history().into_os_string()),
            ("EBID_PAPERS", self.papers().into_os_string()),
        ]
    }

    /// Where the app writes its papers (PDF of 電子証明書更新確認 and 更新完了).
    pub fn papers(&self) -> PathBuf {
        self.folder.join("papers")
    }

    /// The private session bus of this launch.
    pub fn bus(&self) -> SessionBus {
        SessionBus::in_folder(&self.folder.join("bus"))
    }

    /// Everything the app has logged so far (every file of its log folder, rotated ones too).
    pub fn log_text(&self) -> String {
        let Ok(entries) = fs::read_dir(self.folder.join("logs")) else {
            return String::new();
        };
        let mut files: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
        files.sort();
        files
            .iter()
            .map(|file| fs::read_to_string(file).unwrap_or_default())
            .collect()
    }

    /// `app` started directly (not through WebDriver) as this launch says, on this launch's bus (whether or
    /// not a bus runs there: without one the app starts on its own, never handing over to a desktop's app).
    pub fn command(&self, app: &Path) -> Command {
        let mut command = Command::new(app);
        command
            .args(self.args())
            .envs(self.env())
            .env("DBUS_SESSION_BUS_ADDRESS", self.bus().address())
            .env_remove("EBID_SERVER")
            .stdin(Stdio::null());
        command
    }

    /// Starts `app` again exactly so (same folder, files and bus), as a second click on its icon would,
    /// and returns how it exited, with what it printed.
    pub fn launch_again(&self, app: &Path) -> (ExitStatus, String) {
        let mut child = self
            .command(app)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {} again: {e}", app.display()));
        let started = Instant::now();
        loop {
            if let Some(_status) = child.try_wait().expect("the second launch's status") {
                let output = child
                    .wait_with_output()
                    .expect("the second launch's output");
                let printed = format!(
                    "{}{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                );
                return (output.status, printed);
            }
            if started.elapsed() >= SECOND_LAUNCH_LIMIT {
                let _ = child.kill();
                panic!(
                    "the second launch was still running after {} s: it did not hand over to the first",
                    SECOND_LAUNCH_LIMIT.as_secs()
                );
            }
            thread::sleep(POLL);
        }
    }
}
