//! What a server is opened with.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ebid_protocol::Origin;
use ebid_trust::TrustStore;

use crate::clock::{Clock, SystemClock};

/// A session ends after this long without a request, as in the real system.
pub const DEFAULT_SESSION_IDLE_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// A challenge must be signed and returned within this time: long enough to type a PIN and swap a card.
pub const DEFAULT_CHALLENGE_TTL: Duration = Duration::from_secs(2 * 60);

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
    /// The CAs and CRLs the organization trusts.
    pub trust: TrustStore,
    /// Serve HTTPS with this certificate and key.
    pub tls: Option<TlsFiles>,
    pub session_idle_timeout: Duration,
    pub challenge_ttl: Duration,
    /// The server's clock; every validity, challenge and session check reads it.
    pub clock: Arc<dyn Clock>,
}

impl ServerConfig {
    /// A plain-HTTP configuration with the default timeouts and the system clock.
    pub fn new(listen: SocketAddr, database: PathBuf, trust: TrustStore) -> Self {
        Self {
            listen,
            public_origin: None,
            database,
            trust,
            tls: None,
            session_idle_timeout: DEFAULT_SESSION_IDLE_TIMEOUT,
            challenge_ttl: DEFAULT_CHALLENGE_TTL,
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
