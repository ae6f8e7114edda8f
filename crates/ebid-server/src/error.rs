//! Errors: what a request is refused with (a [`RefusalCode`] on the wire, as `{code, message, next_step}`),
//! and what opening or running the server can fail with.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ebid_protocol::{Refusal, RefusalCode};

use crate::db::writer::WriteError;

/// Why opening, seeding or serving failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The file is there but SQLite cannot use it: garbage, another program's file, or damaged.
    #[error(
        "{path} is damaged or is not an ebid server database ({source}): restore it from a backup, or move it away to start with an empty one"
    )]
    DatabaseDamaged { path: PathBuf, source: sqlx::Error },
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Card certificates and session tokens must not cross a network in clear.
    #[error(
        "plain HTTP is served on a loopback address only, not on {0}: give a TLS certificate and key"
    )]
    PlainHttpOffLoopback(SocketAddr),
    #[error("TLS: {0}")]
    Tls(String),
    /// The public origin cannot be derived from the listen address.
    #[error("public origin: {0}")]
    Origin(#[from] ebid_protocol::OriginError),
    #[error("cannot read {path}: {source}")]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("network: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Seed(#[from] crate::seed::SeedError),
    #[error("{0}")]
    Write(String),
    #[error("the operating system's random source failed: {0}")]
    Random(getrandom::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How a request ends when it does not succeed.
#[derive(Debug)]
pub(crate) enum ApiError {
    /// A rule said no: the client is told which, in Japanese.
    Refused(RefusalCode),
    /// The server failed. The client sees `server_error` only; the cause goes to the server's log.
    Internal(anyhow::Error),
}

impl From<RefusalCode> for ApiError {
    fn from(code: RefusalCode) -> Self {
        Self::Refused(code)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        Self::Internal(error.into())
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(error: anyhow::Error) -> Self {
        Self::Internal(error)
    }
}

impl From<WriteError> for ApiError {
    fn from(error: WriteError) -> Self {
        Self::Internal(error.into())
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        Self::Internal(error.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let code = match self {
            Self::Refused(code) => code,
            Self::Internal(error) if storage_fault(&error) => {
                tracing::error!("the database cannot be written or read: {error:#}");
                RefusalCode::StorageUnavailable
            }
            Self::Internal(error) => {
                tracing::error!("internal error: {error:#}");
                RefusalCode::ServerError
            }
        };
        refusal_response(code)
    }
}

/// Whether `error` comes from the storage ([`crate::db::is_storage_fault`]), directly or as the failed
/// transaction of the writer's batch. The transaction it interrupted was rolled back, so the user hears that
/// nothing changed and may try again later.
fn storage_fault(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        if let Some(WriteError::Transaction { storage, .. }) = cause.downcast_ref::<WriteError>() {
            return *storage;
        }
        let sqlx_error = cause.downcast_ref::<sqlx::Error>().or_else(|| {
            cause.downcast_ref::<Error>().and_then(|error| match error {
                Error::Database(inner) => Some(inner),
                _ => None,
            })
        });
        sqlx_error.is_some_and(crate::db::is_storage_fault)
    })
}

/// `code.http_status()` with `Refusal::from(code)` as JSON. The code also rides along as a response
/// extension, for the access log.
pub(crate) fn refusal_response(code: RefusalCode) -> Response {
    let status =
        StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, Json(Refusal::from(code))).into_response();
    response.extensions_mut().insert(code);
    response
}
