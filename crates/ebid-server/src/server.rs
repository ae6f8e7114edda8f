//! Opening the server and serving it, over plain HTTP on loopback or HTTPS anywhere.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use ebid_protocol::Origin;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::challenge_store::ChallengeStore;
use crate::config::{Limits, ServerConfig};
use crate::db::Database;
use crate::error::{Error, Result};
use crate::maintenance::Maintenance;
use crate::rate_limit::Limiter;
use crate::refused_logins::RefusedLogins;
use crate::state::{AppState, SharedState};
use crate::{listener, routes, tls};

/// An opened server: its database migrated, its trust store and TLS configuration loaded.
pub struct Server {
    state: SharedState,
    tls: Option<TlsAcceptor>,
    listen: SocketAddr,
    limits: Limits,
    sweep_interval: std::time::Duration,
}

/// Opens the database (creating and migrating it) and checks the configuration. Plain HTTP is refused unless
/// `listen` is a loopback address: card certificates and session tokens do not cross a network in clear.
pub async fn open(config: ServerConfig) -> Result<Server> {
    check_transport(config.listen, config.tls.is_some())?;
    let tls = config.tls.as_ref().map(tls::load).transpose()?;
    let origin = match config.public_origin {
        Some(origin) => origin,
        None => Origin::of_address(tls.is_some(), config.listen)?,
    };
    let db = Database::open(&config.database).await?;
    let limits = config.limits;
    Ok(Server {
        state: Arc::new(AppState {
            db,
            trust: config.trust,
            origin,
            clock: config.clock,
            session_idle_timeout: config.session_idle_timeout,
            session_max_lifetime: config.session_max_lifetime,
            challenge_ttl: config.challenge_ttl,
            request_timeout: limits.request_timeout,
            challenges: ChallengeStore::new(limits.max_challenges),
            refused_logins: RefusedLogins::default(),
            limiter: Limiter::new(limits.per_client, limits.global),
            releases: config.releases,
        }),
        tls,
        listen: config.listen,
        limits,
        sweep_interval: config.sweep_interval,
    })
}

impl Server {
    /// The routes of the protocol, for serving or for driving in-process.
    pub fn router(&self) -> Router {
        routes::router(Arc::clone(&self.state))
    }

    pub fn database(&self) -> &Database {
        &self.state.db
    }

    /// The sweeper of this server, to sweep now rather than at its next tick.
    pub fn maintenance(&self) -> Maintenance {
        Maintenance::new(Arc::clone(&self.state))
    }

    /// The address the configuration asks to listen on.
    pub fn listen_address(&self) -> SocketAddr {
        self.listen
    }

    /// The origin every challenge names: the configured public one, or the listen address's.
    pub fn origin(&self) -> &Origin {
        &self.state.origin
    }

    /// `https` or `http`.
    pub fn scheme(&self) -> &'static str {
        if self.tls.is_some() { "https" } else { "http" }
    }

    /// Serves on `listener` until `shutdown` completes, then lets requests in progress finish, sweeps once
    /// more (so that the refused logins counted since the last sweep are written) and closes the database.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<()> {
        check_transport(listener.local_addr()?, self.tls.is_some())?;
        let maintenance = self.maintenance();
        let sweeper = maintenance.spawn(self.sweep_interval);
        listener::serve(listener, self.router(), self.tls, &self.limits, shutdown).await;
        sweeper.abort();
        if let Err(error) = maintenance.sweep().await {
            tracing::warn!("the last sweep failed: {error}");
        }
        self.state.db.close().await;
        Ok(())
    }
}

fn check_transport(address: SocketAddr, tls: bool) -> Result<()> {
    if tls || address.ip().is_loopback() {
        Ok(())
    } else {
        Err(Error::PlainHttpOffLoopback(address))
    }
}
