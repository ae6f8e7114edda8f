//! The e-bidding registration server: the organization's side of ICカード更新. It holds organizations,
//! companies (業者), registered users (登録利用者) and their certificates, and decides: card login by
//! challenge-response, the new card's proof of possession, and 【更新】 in one transaction.
//!
//! The wire contract is `ebid_protocol`; trust decisions (chain, validity, CRL, key usage, signature) are
//! `ebid_trust`'s, always at this server's [`Clock`]. Every refusal is `code.http_status()` with
//! `Refusal::from(code)` as JSON.
//!
//! ```no_run
//! # async fn demo(trust: ebid_trust::TrustStore) -> ebid_server::Result<()> {
//! use ebid_server::{ServerConfig, open};
//! let config = ServerConfig::new("127.0.0.1:7878".parse().unwrap(), "ebid-server.sqlite3".into(), trust);
//! let server = open(config).await?;
//! let listener = tokio::net::TcpListener::bind(server.listen_address()).await?;
//! server.serve(listener, async { let _ = tokio::signal::ctrl_c().await; }).await
//! # }
//! ```

mod access_log;
mod admin;
mod audited;
mod auth;
mod challenge_store;
mod clock;
mod config;
mod db;
mod error;
mod extract;
mod feed;
mod form;
mod listener;
mod logging;
mod maintenance;
mod proof;
mod random;
mod rate_limit;
mod refused_logins;
mod registering;
mod registrations;
mod release;
mod renewal;
mod request_timeout;
mod routes;
mod run;
mod seed;
mod server;
mod state;
mod tls;
mod views;

pub use admin::{AdminArgs, AdminCommand, AdminError, admin};
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{
    DEFAULT_CHALLENGE_TTL, DEFAULT_SESSION_IDLE_TIMEOUT, DEFAULT_SESSION_MAX_LIFETIME,
    DEFAULT_SWEEP_INTERVAL, Limits, RateLimit, ServerConfig, TlsFiles,
};
pub use db::Database;
pub use error::{Error, Result};
pub use logging::LogFormat;
pub use maintenance::{COUNT_RETENTION, Maintenance, Swept};
pub use registrations::seed_registrations;
pub use release::{PASSWORD_ENV, ReleaseArgs, ReleaseCommand, ReleaseError, release};
pub use run::{DATABASE_FILE, Running, ServeArgs, run, start};
pub use seed::{Seed, SeedError, Seeded, import_seed};
pub use server::{Server, open};
