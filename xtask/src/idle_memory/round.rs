//! One measurement: start a program on the display, wait until its window is up and its memory has
//! settled, take the memory of its process tree, stop it.

use std::ffi::OsString;
use std::fs::File;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::proc_tree::{self, Process, TreeMemory};
use crate::services::log_tail;

/// How often the tree's memory is read while waiting for it to settle.
const SAMPLE_EVERY: Duration = Duration::from_millis(500);
/// Settled: this many samples in a row, taken while the page's process runs, within [`SETTLED_WITHIN_KIB`]
/// of each other (3 s here). Starting, loading the page and the first screen's calls all grow the total
/// by megabytes; idle, it moves by less.
const SETTLED_SAMPLES: usize = 7;
const SETTLED_WITHIN_KIB: u64 = 1024;
/// The window is up and the page loaded in a few seconds here, settled a few more; a program that is not
/// settled by then is measured anyway, and said to be.
const SETTLE_LIMIT: Duration = Duration::from_secs(60);
/// How long the program's processes may take to go after SIGTERM, and again after SIGKILL.
const STOP_LIMIT: Duration = Duration::from_secs(10);
/// WebKitGTK's process that shows the page: once it runs, the window is up and the page loading.
const WEB_PROCESS: &str = "WebKitWebProcess";

/// A program to measure.
#[derive(Debug)]
pub struct Program {
    /// Its name in the table.
    pub label: &'static str,
    pub path: PathBuf,
    pub args: Vec<OsString>,
}

/// What one start of a program measured.
#[derive(Debug, Clone)]
pub struct Sample {
    pub memory: TreeMemory,
    /// The names of the processes measured, sorted.
    pub processes: Vec<String>,
    /// From the start to the last sample taken.
    pub after: Duration,
    /// False when [`SETTLE_LIMIT`] passed first.
    pub settled: bool,
}

/// Starts `program` on `display`, its output in `log`, and measures it once idle.
pub fn measure(program: &Program, display: &str, log: &Path) -> Result<Sample> {
    let file = File::create(log).with_context(|| format!("creating {}", log.display()))?;
    let child = Command::new(&program.path)
        .args(&program.args)
        .env("DISPLAY", display)
        // On the X display given, even inside a Wayland session.
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null())
        .stdout(
            file.try_clone()
                .context("duplicating the log file handle")?,
        )
        .stderr(file)
        // A process group of its own: one signal reaches the program and its WebKit processes.
        .process_group(0)
        .spawn()
        .with_context(|| format!("starting {}", program.path.display()))?;
    let mut running = Running {
        child,
        log: log.to_owned(),
        tree: Vec::new(),
    };
    let sample = running.wait_idle(program.label);
    running.stop()?;
    sample
}

/// A started program, stopped with its whole group when dropped.
struct Running {
    child: Child,
    log: PathBuf,
    /// The processes last seen in its tree, so that stopping can wait for every one of them.
    tree: Vec<Process>,
}

impl Running {
    /// Samples the tree until [`SETTLED_SAMPLES`] in a row agree, the page's process running.
    fn wait_idle(&mut self, label: &str) -> Result<Sample> {
        let start = Instant::now();
        let mut recent: Vec<u64> = Vec::new();
        loop {
            if let Some(status) = self.child.try_wait().context("checking on the program")? {
                bail!(
                    "{label} exited before it was measured ({status}){}",
                    log_tail(Some(&self.log))
                );
            }
            let tree = proc_tree::tree_of(self.child.id());
            let memory = proc_tree::memory_of(&tree);
            let page_up = tree.iter().any(|p| p.name == WEB_PROCESS);
            self.tree = tree;
            if page_up {
                recent.push(memory.pss_kib);
            }
            let window = &recent[recent.len().saturating_sub(SETTLED_SAMPLES)..];
            let settled = window.len() == SETTLED_SAMPLES && spread(window) <= SETTLED_WITHIN_KIB;
            let timed_out = start.elapsed() >= SETTLE_LIMIT;
            if settled || (timed_out && page_up) {
                let mut processes: Vec<String> = self.tree.iter().map(|p| p.name.clone()).collect();
                processes.sort();
                return Ok(Sample {
                    memory,
                    processes,
                    after: start.elapsed(),
                    settled,
                });
            }
            if timed_out {
                bail!(
                    "{label}: no {WEB_PROCESS} process after {} s: is the window up?{}",
                    SETTLE_LIMIT.as_secs(),
                    log_tail(Some(&self.log))
                );
            }
            thread::sleep(SAMPLE_EVERY);
        }
    }

    /// SIGTERM to the group, SIGKILL after [`STOP_LIMIT`]; returns once every process of the tree is gone,
    /// so that the next program starts alone.
    fn stop(&mut self) -> Result<()> {
        for signal in ["-TERM", "-KILL"] {
            // Negative: the process group, whose id is the program's pid. Not reaped yet, so not reused.
            let _ = Command::new("kill")
                .args([signal, "--", &format!("-{}", self.child.id())])
                .stderr(Stdio::null())
                .status();
            let deadline = Instant::now() + STOP_LIMIT;
            while Instant::now() < deadline {
                let _ = self.child.try_wait();
                if self.tree.iter().all(|p| proc_tree::has_ended(p.pid)) {
                    self.child.wait().context("waiting for the program")?;
                    return Ok(());
                }
                thread::sleep(SAMPLE_EVERY);
            }
        }
        bail!(
            "processes {:?} still run after SIGKILL",
            self.tree.iter().map(|p| p.pid).collect::<Vec<_>>()
        )
    }
}

/// The largest sample less the smallest.
fn spread(samples: &[u64]) -> u64 {
    let max = samples.iter().max().copied().unwrap_or(0);
    let min = samples.iter().min().copied().unwrap_or(0);
    max - min
}

impl Drop for Running {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none()
            && let Err(e) = self.stop()
        {
            eprintln!("could not stop {}: {e:#}", self.child.id());
        }
    }
}
