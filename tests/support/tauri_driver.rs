//! `tauri-driver` as a child of the test: on two free loopback ports, in a process group of its own, so that
//! stopping it also stops what it started (WebKitWebDriver, which starts the app, whose WebKit processes
//! follow). Its output and theirs go to a log file that failures name.
//!
//! A test process that dies without unwinding (killed, or `cargo test` interrupted) runs no destructor: a
//! watchdog in the same group waits for the end of a pipe only the test holds, and then ends the group.

use std::env;
use std::ffi::OsString;
use std::fs::{self, File};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::session_bus::SessionBus;

/// Both servers listen within a second here.
const READY_LIMIT: Duration = Duration::from_secs(20);
/// How long the group may take to go after SIGTERM, and again after SIGKILL.
const STOP_LIMIT: Duration = Duration::from_secs(5);
const POLL: Duration = Duration::from_millis(50);

/// `sh -c WATCHDOG tauri-driver <program> <args>…`: a background reader of the test's pipe (kept on fd 3,
/// since a background job's stdin is /dev/null) that signals the whole group when the pipe ends, and
/// tauri-driver in the shell's place, so that the child the test holds is tauri-driver itself.
const WATCHDOG: &str = r#"exec 3<&0; (read -r _ <&3; kill -TERM 0) & exec "$@" 3<&- </dev/null"#;

pub struct TauriDriver {
    child: Child,
    /// Its end is the watchdog's signal.
    _watchdog: ChildStdin,
    port: u16,
    log: PathBuf,
    stopped: bool,
}

impl TauriDriver {
    /// Starts tauri-driver (and through it WebKitWebDriver, which starts the app with the same environment)
    /// and returns once both accept connections. `log_name` names the log file, under
    /// `<target dir>/e2e-logs/`. `env` is set for all of them, and a private D-Bus session bus listens at
    /// `bus` for them (the app's one-instance lock lives there): started in the group, it ends with it.
    pub fn start(log_name: &str, env: &[(&str, OsString)], bus: &SessionBus) -> Self {
        let program = find_tauri_driver();
        let (port, native_port) = two_free_ports();
        let log_dir = crate::app_window::target_dir().join("e2e-logs");
        fs::create_dir_all(&log_dir).expect("the e2e log folder");
        let log = log_dir.join(format!("{log_name}.tauri-driver.log"));
        let file = File::create(&log).expect("the tauri-driver log file");
        let mut child = Command::new("sh")
            .args(["-c", WATCHDOG, "tauri-driver"])
            .args(bus.run_session_args())
            .arg(&program)
            .args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()])
            .envs(env.iter().map(|(name, value)| (name, value)))
            // A developer's own server setting must not reach a test that starts the app without a flag.
            .env_remove("EBID_SERVER")
            // The test's bus, not the desktop's a developer may be logged in to.
            .env("DBUS_SESSION_BUS_ADDRESS", bus.address())
            .stdin(Stdio::piped())
            .stdout(file.try_clone().expect("the log file handle"))
            .stderr(file)
            // Its own group: one signal reaches tauri-driver, WebKitWebDriver and the app.
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {}: {e}", program.display()));
        let watchdog = child.stdin.take().expect("the watchdog's pipe");
        let mut driver = Self {
            child,
            _watchdog: watchdog,
            port,
            log,
            stopped: false,
        };
        driver.wait_listening(&[port, native_port]);
        driver
    }

    /// Where WebDriver clients connect.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn log(&self) -> &Path {
        &self.log
    }

    /// The last lines of the log, for a failure message.
    pub fn log_tail(&self) -> String {
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(30)..].join("\n    ");
        format!("\n  last lines of {}:\n    {tail}", self.log.display())
    }

    /// tauri-driver forwards to WebKitWebDriver without waiting for it: both must listen before a
    /// session can be asked for.
    fn wait_listening(&mut self, ports: &[u16]) {
        let start = Instant::now();
        let mut waiting: Vec<u16> = ports.to_vec();
        while !waiting.is_empty() {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "tauri-driver exited before it was ready ({status}){}",
                    self.log_tail()
                );
            }
            waiting.retain(|&port| {
                let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
                TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err()
            });
            if start.elapsed() >= READY_LIMIT {
                panic!(
                    "tauri-driver: ports {waiting:?} not accepting connections after {} s{}",
                    READY_LIMIT.as_secs(),
                    self.log_tail()
                );
            }
            if !waiting.is_empty() {
                thread::sleep(POLL);
            }
        }
    }

    /// Stops the whole group: SIGTERM (tauri-driver then kills WebKitWebDriver; the app gets it too),
    /// SIGKILL for whatever is left after a grace period. Returns once no process of the group is alive.
    pub fn stop(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        let group = self.child.id();
        for signal in ["-TERM", "-KILL"] {
            signal_group(group, signal);
            let deadline = Instant::now() + STOP_LIMIT;
            loop {
                // Reap tauri-driver itself, or it stays in the group as a zombie.
                let _ = self.child.try_wait();
                let left = live_members(group);
                if left.is_empty() {
                    return;
                }
                if Instant::now() >= deadline {
                    eprintln!(
                        "after SIG{}, still running in tauri-driver's group: {left:?}",
                        &signal[1..]
                    );
                    break;
                }
                thread::sleep(POLL);
            }
        }
    }
}

impl Drop for TauriDriver {
    fn drop(&mut self) {
        self.stop();
    }
}

/// tauri-driver on PATH, or where `cargo install` put it (`cargo xtask setup` installs it).
fn find_tauri_driver() -> PathBuf {
    let mut dirs: Vec<PathBuf> = env::var_os("PATH")
        .map(|p| env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = env::var_os("CARGO_HOME").filter(|h| !h.is_empty()) {
        dirs.push(PathBuf::from(home).join("bin"));
    }
    if let Some(home) = env::var_os("HOME").filter(|h| !h.is_empty()) {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    dirs.into_iter()
        .map(|d| d.join("tauri-driver"))
        .find(|p| p.is_file())
        .expect("tauri-driver is not installed: `cargo xtask setup` installs it")
}

/// Two distinct ports that were free on loopback a moment ago (both bound at once, so they differ).
fn two_free_ports() -> (u16, u16) {
    let bind = || TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a free loopback port");
    let (a, b) = (bind(), bind());
    let port = |l: &TcpListener| l.local_addr().expect("a bound address").port();
    (port(&a), port(&b))
}

fn signal_group(group: u32, signal: &str) {
    // `kill -SIG -- -PGID` signals every process of the group; without libc, as the workspace forbids unsafe.
    let _ = Command::new("kill")
        .args([signal, "--", &format!("-{group}")])
        .stderr(Stdio::null())
        .status();
}

/// The pids of the group's processes that are alive (zombies do not count: they are only waiting for a
/// parent that may not reap them soon).
fn live_members(group: u32) -> Vec<u32> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            // "<pid> (<comm>) <state> <ppid> <pgrp> ..."; comm may hold spaces and parentheses.
            let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
                return false;
            };
            let Some(close) = stat.rfind(')') else {
                return false;
            };
            let mut fields = stat[close + 1..].split_whitespace();
            let state = fields.next().unwrap_or("");
            let pgrp = fields.nth(1).and_then(|g| g.parse::<u32>().ok());
            pgrp == Some(group) && !matches!(state, "Z" | "X")
        })
        .collect()
}
