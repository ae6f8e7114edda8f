//! `ebid-server`: the server as a process, from command-line arguments.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context as _, anyhow};
use ebid_protocol::Origin;
use ebid_trust::{TrustFiles, TrustStore};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::clock::{Clock, SystemClock};
use crate::config::{Limits, RateLimit, ServerConfig, TlsFiles};
use crate::logging::{self, LogFormat};
use crate::seed::{Seed, Seeded, import_seed};
use crate::server::open;

/// The database file inside `--data`.
pub const DATABASE_FILE: &str = "ebid-server.sqlite3";

/// The arguments of `ebid-server`.
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
    /// Load the registrations of this seed file (JSON: organizations, categories, companies, their users
    /// and certificate files) into an empty database; checked whole before the server starts.
    #[arg(long, value_name = "FILE")]
    pub seed: Option<PathBuf>,
    /// Trust this CA certificate (DER or PEM); repeatable.
    #[arg(long = "trust-ca", value_name = "FILE")]
    pub trust_ca: Vec<PathBuf>,
    /// Check revocation against this CRL (DER or PEM), read again when the file changes; repeatable.
    #[arg(long = "crl", value_name = "FILE")]
    pub crl: Vec<PathBuf>,
    /// An intermediate CA certificate (DER or PEM) that cards may chain through; repeatable.
    #[arg(long = "intermediate", value_name = "FILE")]
    pub intermediate: Vec<PathBuf>,
    /// Accept this CA's cards without a revocation check when no CRL of it is given (DER or PEM);
    /// repeatable. Without a CRL or this, the CA's cards are refused.
    #[arg(long = "no-revocation-check", value_name = "CA-FILE")]
    pub no_revocation_check: Vec<PathBuf>,
    /// Serve HTTPS with this certificate chain (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Requests a second each client (IPv4 address, IPv6 /64) may make, twice that in a burst; 0: no limit.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub rate_per_client: u32,
    /// Requests a second the whole server takes, twice that in a burst; 0: no limit.
    #[arg(long, value_name = "N", default_value_t = 5_000)]
    pub rate_global: u32,
    /// Connections open at once; more wait in the listen queue.
    #[arg(long, value_name = "N", default_value_t = 1_024)]
    pub max_connections: usize,
    /// How the log on standard error is written.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

impl ServeArgs {
    /// Defaults for everything but the data folder.
    pub fn new(data: PathBuf) -> Self {
        Self {
            data: Some(data),
            listen: SocketAddr::from(([127, 0, 0, 1], 7878)),
            public_url: None,
            seed: None,
            trust_ca: Vec::new(),
            crl: Vec::new(),
            intermediate: Vec::new(),
            no_revocation_check: Vec::new(),
            tls_cert: None,
            tls_key: None,
            rate_per_client: 20,
            rate_global: 5_000,
            max_connections: 1_024,
            log_format: LogFormat::Text,
        }
    }
}

/// Runs the server until SIGTERM or Ctrl-C. Prints `listening on http://127.0.0.1:PORT` (or `https://…`) on
/// standard output once it accepts connections. Every change is committed before it is answered, so a
/// process killed at any moment loses no answered change and leaves no half-done one.
pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    logging::init(args.log_format);
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

/// Opens the server as `ebid-server` would (with `clock` for its time) and starts serving in the background.
pub async fn start(args: ServeArgs, clock: Arc<dyn Clock>) -> anyhow::Result<Running> {
    let data = match args.data {
        Some(data) => data,
        None => dirs::data_dir()
            .ok_or_else(|| anyhow!("no data folder for this user: give --data DIR"))?
            .join("ebid-server"),
    };
    // Read and checked before anything else, so that a mistake in it stops the start with its reason.
    let seed = args.seed.as_deref().map(Seed::load).transpose()?;

    let files = TrustFiles {
        cas: args.trust_ca,
        crls: args.crl,
        intermediates: args.intermediate,
        no_revocation_check: args.no_revocation_check,
    };
    let trust = TrustStore::load(&files, clock.now())
        .context("loading the trusted CAs, intermediates and CRLs")?;
    for ca in trust.cas_without_revocation_check() {
        tracing::warn!(
            %ca,
            "--no-revocation-check: without a CRL of this CA, its cards are accepted without a revocation check"
        );
    }
    for ca in trust.cas_without_crl() {
        tracing::warn!(
            %ca,
            "no CRL of this CA: its cards are refused (revocation_unavailable) until a --crl of it is given, \
             or it is named with --no-revocation-check"
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
    let limits = Limits {
        per_client: RateLimit::per_second(args.rate_per_client),
        global: RateLimit::per_second(args.rate_global),
        max_connections: args.max_connections,
        ..Limits::default()
    };
    let server = open(ServerConfig {
        tls,
        clock,
        limits,
        public_origin: args.public_url,
        ..ServerConfig::new(address, data.join(DATABASE_FILE), trust)
    })
    .await?;
    if !origin_given && address.ip().is_unspecified() {
        tracing::warn!(
            origin = %server.origin(),
            "no --public-url: challenges name an origin no client reaches, and clients refuse them"
        );
    }
    if let Some(seed) = &seed {
        match import_seed(server.database(), seed).await? {
            Seeded::Seeded => tracing::info!(
                users = seed.users(),
                "imported the registrations of {}",
                seed.path().display()
            ),
            Seeded::AlreadyHadData => tracing::info!(
                "the database holds registrations already: {} was not imported",
                seed.path().display()
            ),
        }
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
