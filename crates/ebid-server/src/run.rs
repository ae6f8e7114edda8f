//! `ebid server`: the server as a process, from command-line arguments.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, anyhow};
use ebid_democa::DemoSet;
use ebid_protocol::Origin;
use ebid_trust::TrustStore;
use time::OffsetDateTime;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::clock::{Clock, SystemClock};
use crate::config::{ServerConfig, TlsFiles};
use crate::seed::{Seeded, seed_demo};
use crate::server::open;

/// The database file inside `--data`.
pub const DATABASE_FILE: &str = "ebid-server.sqlite3";

/// The arguments of `ebid server`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Folder of the server's database [default: ebid-server in the user's data folder].
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Address to listen on; plain HTTP only on a loopback address.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7878")]
    pub listen: SocketAddr,
    /// The URL clients are given for this server (behind a reverse proxy: the proxy's); every challenge
    /// names its origin, scheme://host[:port], and a card's signature counts for that origin only
    /// [default: http(s)://ADDR, the listen address].
    #[arg(long, value_name = "URL", value_parser = Origin::of_base_url)]
    pub public_url: Option<Origin>,
    /// Seed the demo registration from this demo set into an empty database, and trust its CAs and CRL.
    #[arg(long, value_name = "DIR")]
    pub demo_set: Option<PathBuf>,
    /// Trust this CA certificate (DER or PEM); repeatable.
    #[arg(long = "trust-ca", value_name = "FILE")]
    pub trust_ca: Vec<PathBuf>,
    /// Check revocation against this CRL (DER or PEM); repeatable.
    #[arg(long = "crl", value_name = "FILE")]
    pub crl: Vec<PathBuf>,
    /// Serve HTTPS with this certificate chain (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

impl ServeArgs {
    /// Defaults for everything but the data folder.
    pub fn new(data: PathBuf) -> Self {
        Self {
            data: Some(data),
            listen: SocketAddr::from(([127, 0, 0, 1], 7878)),
            public_url: None,
            demo_set: None,
            trust_ca: Vec::new(),
            crl: Vec::new(),
            tls_cert: None,
            tls_key: None,
        }
    }
}

/// Runs the server until SIGTERM or Ctrl-C. Prints `listening on http://127.0.0.1:PORT` (or `https://…`) on
/// standard output once it accepts connections. Every change is committed before it is answered, so a
/// process killed at any moment loses no answered change and leaves no half-done one.
pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let running = start(args, Arc::new(SystemClock)).await?;
    println!("listening on {}", running.url());
    running.until(shutdown_signal()).await
}

/// A server started by [`start`].
pub struct Running {
    address: SocketAddr,
    scheme: &'static str,
    origin: Origin,
    stop: oneshot::Sender<()>,
    task: JoinHandle<crate::Result<()>>,
}

/// Opens the server as `ebid server` would (with `clock` for its time) and starts serving in the background.
pub async fn start(args: ServeArgs, clock: Arc<dyn Clock>) -> anyhow::Result<Running> {
    let data = match args.data {
        Some(data) => data,
        None => dirs::data_dir()
            .ok_or_else(|| anyhow!("no data folder for this user: give --data DIR"))?
            .join("ebid-server"),
    };
    let demo_set = args
        .demo_set
        .as_deref()
        .map(DemoSet::load)
        .transpose()
        .context("loading the demo set")?;

    let mut cas = Vec::new();
    let mut crls = Vec::new();
    if let Some(set) = &demo_set {
        refresh_demo_crl(set, clock.now())?;
        cas.extend([
            set.ca.demo_root.der.clone(),
            set.ca.demo_jpki_root.der.clone(),
        ]);
        crls.push(set.ca.demo_root_crl.der.clone());
    }
    cas.extend(args.trust_ca);
    crls.extend(args.crl);
    let trust = TrustStore::from_files(&cas, &crls).context("loading the trusted CAs and CRLs")?;
    for ca in trust.cas_without_crl() {
        eprintln!(
            "ebid-server: no CRL for {ca}: its certificates are accepted without a revocation check"
        );
    }

    let tls = match (args.tls_cert, args.tls_key) {
        (Some(cert_pem), Some(key_pem)) => Some(TlsFiles { cert_pem, key_pem }),
        _ => None,
    };
    // Bound first, so that with port 0 the default origin names the port actually listened on.
    let listener = TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    let address = listener.local_addr()?;
    let origin_given = args.public_url.is_some();
    let server = open(ServerConfig {
        tls,
        clock,
        public_origin: args.public_url,
        ..ServerConfig::new(address, data.join(DATABASE_FILE), trust)
    })
    .await?;
    if !origin_given && address.ip().is_unspecified() {
        eprintln!(
            "ebid-server: no --public-url: challenges name {}, which no client reaches, and clients refuse them",
            server.origin()
        );
    }
    if let Some(set) = &demo_set
        && seed_demo(server.database(), set).await? == Seeded::Seeded
    {
        eprintln!(
            "ebid-server: seeded the demo registration from {}",
            set.dir.display()
        );
    }

    let scheme = server.scheme();
    let origin = server.origin().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(server.serve(listener, async {
        // A dropped sender stops the server too.
        let _ = stopped.await;
    }));
    Ok(Running {
        address,
        scheme,
        origin,
        stop,
        task,
    })
}

impl Running {
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// `http://127.0.0.1:7878`: the base URL clients use.
    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.address)
    }

    /// The origin its challenges name (`--public-url`'s, or the listen address's).
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// Stops accepting, lets requests in progress finish, closes the database.
    pub async fn stop(self) -> anyhow::Result<()> {
        self.until(std::future::ready(())).await
    }

    /// Serves until `signal`, then stops; returns early if serving fails.
    async fn until(mut self, signal: impl Future<Output = ()>) -> anyhow::Result<()> {
        tokio::select! {
            () = signal => {
                // The server may have stopped on its own already; the task says how.
                let _ = self.stop.send(());
                Ok(self.task.await??)
            }
            served = &mut self.task => Ok(served??),
        }
    }
}

/// The demo root's CRL must be current or every demo card is refused: a demo set older than the CRL's
/// lifetime gets a fresh one, signed with the demo root's key, before the trust store loads it.
fn refresh_demo_crl(set: &DemoSet, now: OffsetDateTime) -> anyhow::Result<()> {
    let path = &set.ca.demo_root_crl.der;
    if crl_next_update(path)?.is_none_or(|next_update| now >= next_update) {
        set.reissue_crl(now).context("re-issuing the demo CRL")?;
        eprintln!("ebid-server: re-issued the demo CRL, it had passed its nextUpdate");
    }
    Ok(())
}

fn crl_next_update(path: &Path) -> anyhow::Result<Option<OffsetDateTime>> {
    let der = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let (_, crl) = x509_parser::parse_x509_crl(&der)
        .map_err(|error| anyhow!("{}: {error}", path.display()))?;
    Ok(crl.next_update().map(|at| at.to_datetime()))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        // Without a Ctrl-C handler the process still stops on SIGTERM below.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
