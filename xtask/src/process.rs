//! Child processes: run to completion, run with a time limit, and keep running under a guard that
//! stops them when dropped (on success, on error and on panic).

use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// How often wait loops look again.
pub const POLL: Duration = Duration::from_millis(100);

/// Runs a command to completion with inherited output; an error if it fails.
pub fn run(mut cmd: Command, what: &str) -> Result<()> {
    let status = cmd
        .status()
        .with_context(|| format!("could not start {what}"))?;
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    Ok(())
}

/// Runs a command with inherited output, no stdin, and a time limit, so that a command that waits
/// for something that never comes fails instead of hanging.
pub fn run_bounded(mut cmd: Command, what: &str, limit: Duration) -> Result<()> {
    let child = cmd
        .stdin(Stdio::null())
        .spawn()
        .with_context(|| format!("could not start {what}"))?;
    let mut guard = ChildGuard::new(child, what);
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = guard.try_wait()? {
            if status.success() {
                return Ok(());
            }
            bail!("{what} failed ({status}){}", hint(status));
        }
        if Instant::now() >= deadline {
            bail!(
                "{what} did not finish within {} s; stopped it",
                limit.as_secs()
            );
        }
        thread::sleep(POLL);
    }
}

/// Exit status 2 is what clap uses for usage errors, e.g. a subcommand that does not exist yet.
pub fn hint(status: ExitStatus) -> &'static str {
    if status.code() == Some(2) {
        " - a usage error: is this subcommand implemented yet?"
    } else {
        ""
    }
}

/// A running child that is stopped (SIGTERM, then SIGKILL after a grace period) when dropped.
#[derive(Debug)]
pub struct ChildGuard {
    child: Child,
    name: String,
    exited: Option<ExitStatus>,
}

impl ChildGuard {
    pub fn new(child: Child, name: &str) -> Self {
        Self {
            child,
            name: name.to_owned(),
            exited: None,
        }
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// The exit status if the child has exited (it is reaped then), without waiting.
    pub fn try_wait(&mut self) -> Result<Option<ExitStatus>> {
        if self.exited.is_none() {
            self.exited = self
                .child
                .try_wait()
                .with_context(|| format!("checking on {}", self.name))?;
        }
        Ok(self.exited)
    }

    /// Stops the child: SIGTERM so it can clean up, SIGKILL if it is still there after a grace
    /// period. Returns how it ended.
    pub fn stop(&mut self) -> Result<ExitStatus> {
        if let Some(status) = self.try_wait()? {
            return Ok(status);
        }
        // The child is not reaped yet, so its pid cannot have been reused.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Some(status) = self.try_wait()? {
                return Ok(status);
            }
            thread::sleep(POLL);
        }
        eprintln!("{} did not stop on SIGTERM; killing it", self.name);
        self.child
            .kill()
            .with_context(|| format!("killing {}", self.name))?;
        let status = self
            .child
            .wait()
            .with_context(|| format!("waiting for {}", self.name))?;
        self.exited = Some(status);
        Ok(status)
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Err(e) = self.stop() {
            eprintln!("could not stop {}: {e:#}", self.name);
        }
    }
}
