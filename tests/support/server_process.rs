//! `ebid-server` (the binary at the path a test gives, e.g. `env!("CARGO_BIN_EXE_ebid-server")` or
//! [`server_from_env`]) as its own process on 127.0.0.1, as an organization runs it: started on a data folder,
//! ready once it prints its address, killed with SIGKILL when a test wants it to die mid-flow.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A binary `cargo xtask test` built and names in the variable `var`, for tests outside its package (which
/// cannot see another package's `CARGO_BIN_EXE_…`).
pub fn binary_from_env(var: &str, what: &str) -> PathBuf {
    let binary = std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            panic!("{var} (the `{what}` binary) is not set: run the tests with `cargo xtask test`")
        });
    assert!(
        binary.is_file(),
        "{var}={} is not a file: run the tests with `cargo xtask test`, which builds it",
        binary.display()
    );
    binary
}

/// The contractor's `ebid` (`EBID_CLI`).
pub fn ebid_from_env() -> PathBuf {
    binary_from_env("EBID_CLI", "ebid")
}

/// The organization's `ebid-server` (`EBID_SERVER_BIN`).
pub fn server_from_env() -> PathBuf {
    binary_from_env("EBID_SERVER_BIN", "ebid-server")
}

/// The developer's card tool `ebid-vcard` (`EBID_VCARD_BIN`).
pub fn vcard_tool_from_env() -> PathBuf {
    binary_from_env("EBID_VCARD_BIN", "ebid-vcard")
}

pub struct ServerProcess {
    child: Child,
    url: String,
}

impl ServerProcess {
    /// Starts `server` on `data` (seeded from the demo set `demo_set` when empty, trusting its CAs) on a free
    /// loopback port, and returns once it listens.
    pub fn start(server: &Path, data: &Path, demo_set: &Path) -> Self {
        Self::start_on(server, "127.0.0.1:0", data, demo_set)
    }

    /// The same on a given address, e.g. the one a killed server had, so that clients find it again.
    pub fn start_on(server: &Path, listen: &str, data: &Path, demo_set: &Path) -> Self {
        let set = ebid_democa::DemoSet::load(demo_set).expect("the demo set loads");
        Self::start_with(server, listen, data, set.server_args())
    }

    /// `server` on `data` at `listen` with `args` besides (no CA trusted unless they name one).
    pub fn start_with<A: AsRef<std::ffi::OsStr>>(
        server: &Path,
        listen: &str,
        data: &Path,
        args: impl IntoIterator<Item = A>,
    ) -> Self {
        let mut child = Command::new(server)
            .args(["--listen", listen, "--data"])
            .arg(data)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("ebid-server starts");
        let stdout = child.stdout.take().expect("its stdout");
        let mut lines = BufReader::new(stdout).lines();
        let url = loop {
            let line = lines
                .next()
                .expect("ebid-server prints its address before it ends")
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
