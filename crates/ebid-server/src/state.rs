//! What every request handler shares.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ebid_protocol::Origin;
use ebid_trust::TrustStore;
use time::OffsetDateTime;

use crate::challenge_store::ChallengeStore;
use crate::clock::Clock;
use crate::db::Database;
use crate::rate_limit::Limiter;
use crate::refused_logins::RefusedLogins;

pub(crate) struct AppState {
    pub db: Database,
    pub trust: TrustStore,
    /// This server's public origin: named by every challenge issued, and the one signatures are checked over.
    pub origin: Origin,
    pub clock: Arc<dyn Clock>,
    pub session_idle_timeout: Duration,
    pub session_max_lifetime: Duration,
    pub challenge_ttl: Duration,
    pub request_timeout: Duration,
    pub challenges: ChallengeStore,
    pub refused_logins: RefusedLogins,
    pub limiter: Limiter,
    /// The published releases' files (`releases/` in the data folder).
    pub releases: PathBuf,
}

impl AppState {
    /// The server's time, read once per request so that every check in it agrees.
    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }
}

pub(crate) type SharedState = Arc<AppState>;
