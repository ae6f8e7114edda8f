//! The services tests and the demo need: `pcscd` with vsmartcard's vpcd readers.
//!
//! vpcd listens for software cards on ports 35963 ("Virtual PCD 00 00") and 35964 ("Virtual PCD 00 01") of
//! every address: it has no setting for the address, and anyone who can connect puts a card into the
//! machine's readers. So the readers exist only while the tests, the bench and the demo run: the pcscd
//! started here reads a reader configuration of its own (`pcscd --config`, written into the xtask folder),
//! and `cargo xtask setup` removes the one Debian's package installs for every pcscd.

use std::env;
use std::fs::{self, File};
use std::io::BufRead as _;
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::process::{ChildGuard, POLL};

/// The first vpcd reader's port ("Virtual PCD 00 00").
pub const VPCD_PORT: u16 = 35963;
/// vsmartcard-vpcd's driver, where Debian's package puts it.
const VPCD_DRIVER: &str = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";
/// How long pcscd may take to become ready.
const READY_LIMIT: Duration = Duration::from_secs(15);
const PID_FILE: &str = "/run/pcscd/pcscd.pid";
/// Where pcscd listens for its clients (libpcsclite honours the same variable).
const DEFAULT_CLIENT_SOCKET: &str = "/run/pcscd/pcscd.comm";

/// A ready pcscd: either one we started (stopped when this is dropped) or one that was already
/// running (left alone).
#[derive(Debug)]
pub struct Pcscd {
    ours: Option<ChildGuard>,
}

impl Pcscd {
    /// Starts pcscd (or reuses a running one) and waits until its vpcd readers are listening.
    /// `log_dir` receives `pcscd.log`.
    pub fn start(log_dir: &Path) -> Result<Self> {
        if let Some(pid) = running_pcscd() {
            println!(
                "    pcscd is already running (pid {pid}): reusing it, and leaving it running"
            );
            wait_ready(None, None).with_context(|| {
                format!(
                    "the running pcscd (pid {pid}) has no virtual readers: stop it (`sudo systemctl stop \
                     pcscd.socket pcscd` where the system started it), so that one with them is started"
                )
            })?;
            return Ok(Self { ours: None });
        }

        fs::create_dir_all(log_dir).with_context(|| format!("creating {}", log_dir.display()))?;
        let log_path = log_dir.join("pcscd.log");
        let log =
            File::create(&log_path).with_context(|| format!("creating {}", log_path.display()))?;
        let mut cmd = Command::new("pcscd");
        cmd.arg("--foreground")
            .arg("--config")
            .arg(reader_config(log_dir)?);
        if env::var_os("EBID_PCSCD_DEBUG").is_some_and(|v| !v.is_empty()) {
            cmd.arg("--debug");
        }
        cmd.stdin(Stdio::null())
            .stdout(log.try_clone().context("duplicating the log file handle")?)
            .stderr(log);
        let child = cmd
            .spawn()
            .context("could not start pcscd (is it installed? try `cargo xtask setup`)")?;
        let mut guard = ChildGuard::new(child, "pcscd");
        println!(
            "    pcscd started (pid {}), log: {}",
            guard.id(),
            log_path.display()
        );
        // On error the guard is dropped here and stops pcscd.
        wait_ready(Some(&mut guard), Some(&log_path))?;
        Ok(Self { ours: Some(guard) })
    }
}

impl Drop for Pcscd {
    fn drop(&mut self) {
        if let Some(mut guard) = self.ours.take() {
            let pid = guard.id();
            match guard.stop() {
                Ok(status) => println!("==> pcscd stopped (pid {pid}, {status})"),
                Err(e) => eprintln!("==> could not stop pcscd (pid {pid}): {e:#}"),
            }
        }
    }
}

/// Writes the reader configuration of the pcscd started here: vpcd's two readers, from port 35963
/// (0x8C7B), as in Debian's `/etc/reader.conf.d/vpcd`; `DEVICENAME /dev/null` makes vpcd listen.
fn reader_config(log_dir: &Path) -> Result<PathBuf> {
    if !Path::new(VPCD_DRIVER).is_file() {
        bail!("{VPCD_DRIVER} is missing: is vsmartcard-vpcd installed? try `cargo xtask setup`");
    }
    let dir = log_dir.join("reader.conf.d");
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let file = dir.join("vpcd");
    let config = format!(
        "FRIENDLYNAME \"Virtual PCD\"\nDEVICENAME   /dev/null:{VPCD_PORT:#X}\nLIBPATH      {VPCD_DRIVER}\n\
         CHANNELID    {VPCD_PORT:#X}\n"
    );
    fs::write(&file, config).with_context(|| format!("writing {}", file.display()))?;
    Ok(dir)
}

/// The pid of a pcscd that is already running, if any: `pgrep -x pcscd`, or the pid file.
/// Zombies (exited, not yet reaped) do not count.
fn running_pcscd() -> Option<u32> {
    let pgrep = Command::new("pgrep")
        .args(["-x", "pcscd"])
        .stderr(Stdio::null())
        .output();
    if let Ok(out) = pgrep
        && let Some(pid) = String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .filter_map(|p| p.parse().ok())
            .find(|&pid| is_live_pcscd(pid))
    {
        return Some(pid);
    }
    let pid: u32 = fs::read_to_string(PID_FILE).ok()?.trim().parse().ok()?;
    is_live_pcscd(pid).then_some(pid)
}

/// Whether the process exists, is called pcscd, and is not a zombie.
fn is_live_pcscd(pid: u32) -> bool {
    // /proc/<pid>/stat is "<pid> (<comm>) <state> ...".
    let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
        return false;
    };
    let comm = &stat[open + 1..close];
    let state = stat[close + 1..].split_whitespace().next().unwrap_or("");
    comm == "pcscd" && !matches!(state, "Z" | "X")
}

fn client_socket() -> PathBuf {
    env::var_os("PCSCLITE_CSOCK_NAME")
        .filter(|v| !v.is_empty())
        .map_or_else(|| PathBuf::from(DEFAULT_CLIENT_SOCKET), PathBuf::from)
}

/// Polls (bounded) until vpcd's first reader accepts a TCP connection and pcscd's client socket
/// accepts one too. Each probe connection is closed at once: vpcd sees a card inserted and
/// removed, pcscd a client that leaves; both are harmless.
///
/// pcscd loads the reader drivers before it opens its client socket, so both are checked.
fn wait_ready(mut child: Option<&mut ChildGuard>, log: Option<&Path>) -> Result<()> {
    let start = Instant::now();
    let vpcd = SocketAddr::from((Ipv4Addr::LOCALHOST, VPCD_PORT));
    let socket = client_socket();
    let mut vpcd_up = false;
    loop {
        if let Some(child) = child.as_deref_mut()
            && let Some(status) = child.try_wait()?
        {
            bail!(
                "pcscd exited before it was ready ({status}){}",
                log_tail(log)
            );
        }
        if !vpcd_up {
            vpcd_up = TcpStream::connect_timeout(&vpcd, Duration::from_millis(200)).is_ok();
        }
        if vpcd_up && UnixStream::connect(&socket).is_ok() {
            println!(
                "    pcscd ready: vpcd listening on {vpcd}, clients on {} ({:.1} s)",
                socket.display(),
                start.elapsed().as_secs_f64()
            );
            return Ok(());
        }
        if start.elapsed() >= READY_LIMIT {
            let missing = if vpcd_up {
                format!("{} does not accept connections", socket.display())
            } else {
                format!("vpcd is not listening on {vpcd}")
            };
            bail!(
                "pcscd not ready after {} s: {missing}{}",
                READY_LIMIT.as_secs(),
                log_tail(log)
            );
        }
        thread::sleep(POLL);
    }
}

/// The last lines of the log, to put in an error message.
pub fn log_tail(log: Option<&Path>) -> String {
    let Some(log) = log else {
        return String::new();
    };
    let text = fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let tail = lines[lines.len().saturating_sub(20)..].join("\n    ");
    format!("\n  last lines of {}:\n    {tail}", log.display())
}

/// `ebid-vcard serve --set <dir>`: plugs the set's software cards into vpcd and takes commands on
/// `<dir>/vcard.sock`. Stopped when dropped.
#[derive(Debug)]
pub struct VcardServe {
    guard: ChildGuard,
}

impl VcardServe {
    /// Starts the card server and waits until its control socket accepts connections.
    pub fn start(vcard_tool: &Path, set: &Path, log_dir: &Path) -> Result<Self> {
        let socket = set.join("vcard.sock");
        if UnixStream::connect(&socket).is_ok() {
            bail!(
                "another `ebid-vcard serve` already serves this set ({} accepts connections)",
                socket.display()
            );
        }
        fs::create_dir_all(log_dir).with_context(|| format!("creating {}", log_dir.display()))?;
        let log_path = log_dir.join("vcard-serve.log");
        let log =
            File::create(&log_path).with_context(|| format!("creating {}", log_path.display()))?;
        let child = Command::new(vcard_tool)
            .args(["serve", "--set"])
            .arg(set)
            .stdin(Stdio::null())
            .stdout(log.try_clone().context("duplicating the log file handle")?)
            .stderr(log)
            .spawn()
            .with_context(|| format!("could not start {}", vcard_tool.display()))?;
        let mut guard = ChildGuard::new(child, "ebid-vcard serve");
        println!(
            "    ebid-vcard serve started (pid {}), log: {}",
            guard.id(),
            log_path.display()
        );
        let start = Instant::now();
        loop {
            if let Some(status) = guard.try_wait()? {
                bail!(
                    "ebid-vcard serve exited before it was ready ({status}){}{}",
                    crate::process::hint(status),
                    log_tail(Some(&log_path))
                );
            }
            if UnixStream::connect(&socket).is_ok() {
                println!(
                    "    ebid-vcard serve ready on {} ({:.1} s)",
                    socket.display(),
                    start.elapsed().as_secs_f64()
                );
                return Ok(Self { guard });
            }
            if start.elapsed() >= READY_LIMIT {
                bail!(
                    "ebid-vcard serve: {} not accepting connections after {} s{}",
                    socket.display(),
                    READY_LIMIT.as_secs(),
                    log_tail(Some(&log_path))
                );
            }
            thread::sleep(POLL);
        }
    }
}

impl Drop for VcardServe {
    fn drop(&mut self) {
        let pid = self.guard.id();
        match self.guard.stop() {
            Ok(status) => println!("==> ebid-vcard serve stopped (pid {pid}, {status})"),
            Err(e) => eprintln!("==> could not stop ebid-vcard serve (pid {pid}): {e:#}"),
        }
    }
}

/// `ebid-server` on the demo set, on a free loopback port with a database of its own. Stopped when dropped.
#[derive(Debug)]
pub struct EbidServer {
    guard: ChildGuard,
    url: String,
}

impl EbidServer {
    /// Starts the server and returns once it prints the address it listens on. Its log (an access line a
    /// request) goes to `log_dir/ebid-server.log`, not between the lines of the renewal on the terminal.
    pub fn start(server: &Path, set: &Path, data: &Path, log_dir: &Path) -> Result<Self> {
        fs::create_dir_all(log_dir).with_context(|| format!("creating {}", log_dir.display()))?;
        let log_path = log_dir.join("ebid-server.log");
        let log =
            File::create(&log_path).with_context(|| format!("creating {}", log_path.display()))?;
        let mut child = Command::new(server)
            .args(["--listen", "127.0.0.1:0"])
            .args(demo_server_args(set))
            .arg("--data")
            .arg(data)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .with_context(|| format!("could not start {}", server.display()))?;
        let stdout = child.stdout.take().context("the server's output")?;
        let guard = ChildGuard::new(child, "ebid-server");
        let mut lines = std::io::BufReader::new(stdout).lines();
        let url = loop {
            match lines.next() {
                Some(line) => {
                    if let Some(url) = line
                        .context("reading the server's output")?
                        .strip_prefix("listening on ")
                    {
                        break url.trim().to_owned();
                    }
                }
                None => bail!("ebid-server ended before it listened"),
            }
        };
        // Keep reading, so that the server never blocks on a full pipe.
        thread::spawn(move || lines.for_each(drop));
        println!(
            "    ebid-server listening on {url} (pid {}), log: {}",
            guard.id(),
            log_path.display()
        );
        Ok(Self { guard, url })
    }

    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for EbidServer {
    fn drop(&mut self) {
        let pid = self.guard.id();
        match self.guard.stop() {
            Ok(status) => println!("==> ebid-server stopped (pid {pid}, {status})"),
            Err(e) => eprintln!("==> could not stop ebid-server (pid {pid}): {e:#}"),
        }
    }
}

/// The arguments that make `ebid-server` the demo's, as `ebid_democa::DemoSet::server_args` gives them: the
/// set's registrations (`--seed`), the demo root and the demo JPKI CA with their CRLs. By the set's layout
/// (`ebid-democa`'s lib.rs), since xtask links nothing of ebid.
fn demo_server_args(set: &Path) -> Vec<PathBuf> {
    let ca = set.join("ca");
    vec![
        "--seed".into(),
        set.join("registrations.json"),
        "--trust-ca".into(),
        ca.join("demo-root.der"),
        "--trust-ca".into(),
        ca.join("demo-jpki-root.der"),
        "--crl".into(),
        ca.join("demo-root.crl.der"),
        "--crl".into(),
        ca.join("demo-jpki-root.crl.der"),
    ]
}
