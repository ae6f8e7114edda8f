//! What a server is opened with.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use ebid_protocol::Origin;
use ebid_trust::TrustStore;

use crate::clock::{Clock, SystemClock};

/// A session ends after this long without a request, as in the real system.
pub const DEFAULT_SESSION_IDLE_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// A session ends this long after its login however busy it is, so that a token copied from a machine does
/// not stay good for as long as someone keeps using it.
pub const DEFAULT_SESSION_MAX_LIFETIME: Duration = Duration::from_secs(60 * 60);

/// A challenge must be signed and returned within this time: long enough to type a PIN and swap a card.
pub const DEFAULT_CHALLENGE_TTL: Duration = Duration::from_secs(2 * 60);

/// How often the sweeper drops expired challenges and dead sessions, writes the refused logins' counts and
/// forgets idle clients of the rate limits.
pub const DEFAULT_SWEEP_INTERVAL: Duration = Duration::from_secs(30);

/// A rate: `per_second` requests a second on average, up to `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub per_second: NonZeroU32,
    pub burst: NonZeroU32,
}

impl RateLimit {
    /// `per_second` a second with a burst of twice that; `None` for 0, which means no limit.
    pub fn per_second(per_second: u32) -> Option<Self> {
        let per_second = NonZeroU32::new(per_second)?;
        Some(Self {
            per_second,
            burst: per_second.saturating_add(per_second.get()),
        })
    }
}

/// What keeps one client, or everyone at once, from taking the server down. The defaults suit one
/// organization's server facing the internet directly.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Each client (IPv4 address, IPv6 /64). A contractor's whole renewal is about a dozen requests.
    pub per_client: Option<RateLimit>,
    /// Everyone together: past this the server answers 429 rather than queue work it cannot finish.
    pub global: Option<RateLimit>,
    /// Connections open at once; past it new ones wait in the listen queue.
    pub max_connections: usize,
    /// A client must send a request's headers within this time (and, between requests, the next ones):
    /// a connection that trickles bytes or stays silent is closed.
    pub header_read_timeout: Duration,
    /// A request must be answered (its body read included) within this time.
    pub request_timeout: Duration,
    /// Challenges outstanding at once (two minutes each).
    pub max_challenges: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_client: RateLimit::per_second(20),
            global: RateLimit::per_second(5_000),
            max_connections: 1_024,
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_challenges: 100_000,
        }
    }
}

/// Everything [`crate::open`] needs.
pub struct ServerConfig {
    /// Where [`crate::run`] binds. Plain HTTP is refused unless this is a loopback address.
    pub listen: SocketAddr,
    /// The origin clients reach this server at, which every challenge names and every signature must be
    /// made over. `None`: `http(s)://` + `listen`, right when clients connect to the listen address itself;
    /// behind a reverse proxy, or when clients use a host name, give the public one.
    pub public_origin: Option<Origin>,
    /// The SQLite file; created with its folder when missing.
    pub database: PathBuf,
    /// The folder of the app's published releases (`ebid-server release publish` writes there).
    pub releases: PathBuf,
    /// The CAs, intermediates and CRLs the organization trusts; the CRLs are re-read while the server runs.
    pub trust: TrustStore,
    /// Serve HTTPS with this certificate and key.
    pub tls: Option<TlsFiles>,
    pub session_idle_timeout: Duration,
    pub session_max_lifetime: Duration,
    pub challenge_ttl: Duration,
    pub limits: Limits,
    pub sweep_interval: Duration,
    /// The server's clock; every validity, challenge and session check reads it.
    pub clock: Arc<dyn Clock>,
}

impl ServerConfig {
    /// A plain-HTTP configuration with the default timeouts and the system clock.
    /// The releases' folder is `releases` beside the database, as in a data folder.
    pub fn new(listen: SocketAddr, database: PathBuf, trust: TrustStore) -> Self {
        let releases = database
            .parent()
            .unwrap_or(Path::new("."))
            .join(crate::release::RELEASES_DIR);
        Self {
            listen,
            public_origin: None,
            database,
            releases,
            trust,
            tls: None,
            session_idle_timeout: DEFAULT_SESSION_IDLE_TIMEOUT,
            session_max_lifetime: DEFAULT_SESSION_MAX_LIFETIME,
            challenge_ttl: DEFAULT_CHALLENGE_TTL,
            limits: Limits::default(),
            sweep_interval: DEFAULT_SWEEP_INTERVAL,
            clock: Arc::new(SystemClock),
        }
    }
}

/// The server's TLS certificate chain and private key, PEM files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub cert_pem: PathBuf,
    pub key_pem: PathBuf,
}
