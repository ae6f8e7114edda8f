//! `ebid server` (the binary at the path a test gives, e.g. `env!("CARGO_BIN_EXE_ebid")`) as its own process on 127.0.0.1, as an organization runs it: started on a data folder,
//! ready once it prints its address, killed with SIGKILL when a test wants it to die mid-flow.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The `ebid` binary `cargo xtask test` built and names in `EBID_CLI`, for tests outside `ebid-cli` (which
/// cannot see its `CARGO_BIN_EXE_ebid`).
pub fn ebid_from_env() -> PathBuf {
    let ebid = std::env::var_os("EBID_CLI")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .expect("EBID_CLI (the `ebid` binary) is not set: run the tests with `cargo xtask test`");
    assert!(
        ebid.is_file(),
        "EBID_CLI={} is not a file: run the tests with `cargo xtask test`, which builds it",
        ebid.display()
    );
    ebid
}

pub struct ServerProcess {
    child: Child,
    url: String,
}

impl ServerProcess {
    /// Starts `ebid server` on `data` (seeded from `demo_set` when empty) on a free loopback port, and
    /// returns once it listens.
    pub fn start(ebid: &Path, data: &Path, demo_set: &Path) -> Self {
        Self::start_on(ebid, "127.0.0.1:0", data, demo_set)
    }

    /// The same on a given address, e.g. the one a killed server had, so that clients find it again.
    pub fn start_on(ebid: &Path, listen: &str, data: &Path, demo_set: &Path) -> Self {
        let mut child = Command::new(ebid)
            .args(["server", "--listen", listen, "--data"])
            .arg(data)
            .arg("--demo-set")
            .arg(demo_set)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("ebid server starts");
        let stdout = child.stdout.take().expect("its stdout");
        let mut lines = BufReader::new(stdout).lines();
        let url = loop {
            let line = lines
                .next()
                .expect("ebid server prints its address before it ends")
                .expect("a line of output");
            if let Some(url) = line.strip_prefix("listening on ") {
                break url.trim().to_owned();
            }
        };
        // Keep draining its output so that the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Self { child, url }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// `127.0.0.1:PORT`, for [`Self::start_on`].
    pub fn address(&self) -> &str {
        self.url.trim_start_matches("http://").trim_end_matches('/')
    }

    /// SIGKILL: no shutdown code runs, as when the machine loses power.
    pub fn kill(mut self) {
        self.child.kill().expect("the server is killed");
        self.child.wait().expect("the killed server is reaped");
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        // After `kill` this finds the process gone and does nothing.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
