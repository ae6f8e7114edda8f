//! A virtual X display for the end-to-end tests of the desktop app: `Xvfb :<n>` on the first free display
//! number from 90 up, ready once its socket accepts a connection, stopped when dropped.

use std::fs::{self, File};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::process::{ChildGuard, POLL};
use crate::services::log_tail;

/// Display numbers below 90 are left to people's own X servers and `xvfb-run` (which starts at 99 and
/// counts down, so a collision there is also noticed and skipped).
const FIRST_DISPLAY: u32 = 90;
const LAST_DISPLAY: u32 = 189;
/// How many free-looking displays to try: another Xvfb may take the one we picked between our look and
/// its start.
const ATTEMPTS: usize = 3;
/// Xvfb is ready in well under a second here.
const READY_LIMIT: Duration = Duration::from_secs(15);
/// The app's window is 1280×800 at most; 24-bit colour so that screenshots look as on a desktop.
const SCREEN: &str = "1280x800x24";

/// A running Xvfb that we started.
#[derive(Debug)]
pub struct Xvfb {
    guard: ChildGuard,
    number: u32,
}

impl Xvfb {
    /// Starts Xvfb on a free display and waits until it accepts clients. `log_dir` receives `xvfb.log`.
    pub fn start(log_dir: &Path) -> Result<Self> {
        fs::create_dir_all(log_dir).with_context(|| format!("creating {}", log_dir.display()))?;
        let log_path = log_dir.join("xvfb.log");
        let mut tried = Vec::new();
        for _ in 0..ATTEMPTS {
            let number = free_display(&tried)?;
            tried.push(number);
            match Self::start_on(number, &log_path)? {
                Some(xvfb) => return Ok(xvfb),
                // Someone else took the display first: its lock file or socket exists now.
                None => println!("    display :{number} was taken meanwhile; trying another"),
            }
        }
        bail!(
            "Xvfb did not start on displays {tried:?}{}",
            log_tail(Some(&log_path))
        )
    }

    /// Starts Xvfb on display `number`; `None` if it exited because another server has that display.
    fn start_on(number: u32, log_path: &Path) -> Result<Option<Self>> {
        let log =
            File::create(log_path).with_context(|| format!("creating {}", log_path.display()))?;
        let child = Command::new("Xvfb")
            .arg(format!(":{number}"))
            .args(["-screen", "0", SCREEN, "-nolisten", "tcp"])
            .stdin(Stdio::null())
            .stdout(log.try_clone().context("duplicating the log file handle")?)
            .stderr(log)
            .spawn()
            .context("could not start Xvfb (is it installed? try `cargo xtask setup`)")?;
        let mut guard = ChildGuard::new(child, "Xvfb");
        println!(
            "    Xvfb :{number} started (pid {}), log: {}",
            guard.id(),
            log_path.display()
        );
        let socket = socket_path(number);
        let start = Instant::now();
        loop {
            if let Some(status) = guard.try_wait()? {
                if lock_path(number).exists() || socket.exists() {
                    return Ok(None);
                }
                bail!(
                    "Xvfb :{number} exited before it was ready ({status}){}",
                    log_tail(Some(log_path))
                );
            }
            // The socket file appears before Xvfb accepts on it: a connection is the real test. Xvfb
            // drops the probe client at once.
            if UnixStream::connect(&socket).is_ok() {
                println!(
                    "    Xvfb ready on :{number} ({:.1} s)",
                    start.elapsed().as_secs_f64()
                );
                return Ok(Some(Self { guard, number }));
            }
            if start.elapsed() >= READY_LIMIT {
                bail!(
                    "Xvfb :{number}: {} not accepting connections after {} s{}",
                    socket.display(),
                    READY_LIMIT.as_secs(),
                    log_tail(Some(log_path))
                );
            }
            thread::sleep(POLL);
        }
    }

    /// The value of `DISPLAY` for clients, e.g. `:90`.
    pub fn display(&self) -> String {
        format!(":{}", self.number)
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let pid = self.guard.id();
        match self.guard.stop() {
            Ok(status) => println!("==> Xvfb :{} stopped (pid {pid}, {status})", self.number),
            Err(e) => eprintln!("==> could not stop Xvfb (pid {pid}): {e:#}"),
        }
    }
}

/// The first display number from [`FIRST_DISPLAY`] up, not in `skip`, with neither a socket nor a lock file.
fn free_display(skip: &[u32]) -> Result<u32> {
    (FIRST_DISPLAY..=LAST_DISPLAY)
        .filter(|n| !skip.contains(n))
        .find(|&n| !socket_path(n).exists() && !lock_path(n).exists())
        .with_context(|| {
            format!("no free X display between :{FIRST_DISPLAY} and :{LAST_DISPLAY} (see /tmp/.X11-unix)")
        })
}

fn socket_path(number: u32) -> PathBuf {
    PathBuf::from(format!("/tmp/.X11-unix/X{number}"))
}

fn lock_path(number: u32) -> PathBuf {
    PathBuf::from(format!("/tmp/.X{number}-lock"))
}
