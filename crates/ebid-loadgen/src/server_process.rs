//! The server under load as a child process: started, awaited until it says it listens, stopped.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context as _, bail, ensure};
use tokio::io::{AsyncBufReadExt as _, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

/// How long the server may take to open its database and listen.
const READY_LIMIT: Duration = Duration::from_secs(60);
/// How long the server may take to finish its requests and close its database once asked to stop.
const STOP_LIMIT: Duration = Duration::from_secs(30);

/// The first line the server prints once it accepts connections, before its base URL.
const READY_PREFIX: &str = "listening on ";

/// A running `ebid-loadgen serve`. Dropped without [`ServerProcess::stop`], it is killed.
pub struct ServerProcess {
    child: Child,
    /// The server serves while this is open.
    stdin: ChildStdin,
    /// Kept open so that the server can always write to its standard output.
    _stdout: Lines<BufReader<ChildStdout>>,
    url: String,
}

impl ServerProcess {
    /// Starts this program as the server on 127.0.0.1 (a port the system picks), with its database in `data`
    /// and trusting the demo set in `demo_set` as the demo does, and waits for its ready line.
    pub async fn start(data: &Path, demo_set: &Path, limits: Limits) -> anyhow::Result<Self> {
        let program = std::env::current_exe().context("finding this program")?;
        let set = ebid_democa::DemoSet::load(demo_set).context("loading the demo set")?;
        let mut child = Command::new(program)
            .arg("serve")
            .arg("--data")
            .arg(data)
            .args(set.server_args())
            .args(["--listen", "127.0.0.1:0"])
            .args(limits.args())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .context("starting the server")?;
        let stdin = child.stdin.take().context("the server's standard input")?;
        let stdout = child
            .stdout
            .take()
            .context("the server's standard output")?;
        let mut lines = BufReader::new(stdout).lines();
        let url = tokio::time::timeout(READY_LIMIT, ready_url(&mut lines))
            .await
            .with_context(|| format!("the server was not ready within {READY_LIMIT:?}"))??;
        Ok(Self {
            child,
            stdin,
            _stdout: lines,
            url,
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Closes the server's standard input, which stops it, and checks that it stopped cleanly.
    pub async fn stop(self) -> anyhow::Result<()> {
        let Self {
            mut child, stdin, ..
        } = self;
        drop(stdin);
        let status = tokio::time::timeout(STOP_LIMIT, child.wait())
            .await
            .with_context(|| format!("the server did not stop within {STOP_LIMIT:?}"))?
            .context("waiting for the server")?;
        ensure!(status.success(), "the server failed ({status})");
        Ok(())
    }
}

/// The base URL from the server's ready line; an error if it exits first.
async fn ready_url(lines: &mut Lines<BufReader<ChildStdout>>) -> anyhow::Result<String> {
    while let Some(line) = lines.next_line().await? {
        if let Some(url) = line.strip_prefix(READY_PREFIX) {
            return Ok(url.trim().to_owned());
        }
    }
    bail!("the server exited before it was ready")
}

/// The server's rate limits in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limits {
    /// None: the levels measure what the server can do, and its rate limits would measure themselves.
    Off,
    /// `ebid-server`'s defaults, as an organization runs it: for the mixed scenario.
    Defaults,
}

impl Limits {
    fn args(self) -> &'static [&'static str] {
        match self {
            Self::Off => &["--rate-per-client", "0", "--rate-global", "0"],
            Self::Defaults => &[],
        }
    }
}
