//! Opening the server and serving it, over plain HTTP on loopback or HTTPS anywhere.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum_server::tls_rustls::RustlsConfig;
use ebid_protocol::Origin;
use tokio::net::TcpListener;

use crate::config::ServerConfig;
use crate::db::Database;
use crate::error::{Error, Result};
use crate::state::{AppState, SharedState};
use crate::{routes, tls};

/// How long HTTPS connections may finish their requests after shutdown was asked for.
const HTTPS_GRACE: Duration = Duration::from_secs(10);

/// An opened server: its database migrated, its trust store and TLS configuration loaded.
pub struct Server {
    state: SharedState,
    tls: Option<RustlsConfig>,
    listen: SocketAddr,
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
    Ok(Server {
        state: Arc::new(AppState {
            db,
            trust: config.trust,
            origin,
            clock: config.clock,
            session_idle_timeout: config.session_idle_timeout,
            challenge_ttl: config.challenge_ttl,
        }),
        tls,
        listen: config.listen,
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

    /// Serves on `listener` until `shutdown` completes, then lets requests in progress finish and closes the
    /// database.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<()> {
        check_transport(listener.local_addr()?, self.tls.is_some())?;
        let router = self.router();
        match self.tls {
            None => {
                axum::serve(listener, router)
                    .with_graceful_shutdown(shutdown)
                    .await?;
            }
            Some(tls) => {
                let handle = axum_server::Handle::new();
                let stopper = handle.clone();
                tokio::spawn(async move {
                    shutdown.await;
                    stopper.graceful_shutdown(Some(HTTPS_GRACE));
                });
                axum_server::from_tcp_rustls(listener.into_std()?, tls)?
                    .handle(handle)
                    .serve(router.into_make_service())
                    .await?;
            }
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
