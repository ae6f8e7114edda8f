//! The database: one SQLite file through sqlx, its migrations, and one module a table group.
//!
//! Durability: WAL with `synchronous=FULL`, so that a transaction that has returned from COMMIT survives a
//! SIGKILL or a power cut, and one that has not leaves no trace. Every change a request makes happens in one
//! transaction begun with [`Database::begin_write`].

pub(crate) mod audit;
pub(crate) mod login_refusals;
pub(crate) mod organizations;
pub(crate) mod registry;
pub(crate) mod renewals;
pub(crate) mod sessions;
pub(crate) mod time;

use std::path::Path;
use std::time::Duration;

use sqlx::Connection as _;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};

use crate::error::{Error, Result};

/// How long a request waits for another's write transaction before failing with `server_error`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The server's database.
#[derive(Debug, Clone)]
pub struct Database {
    pool: SqlitePool,
}

impl Database {
    /// Opens (creating it and its folder if missing) the SQLite file at `path` and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| Error::File {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            // A COMMIT that failed (the disk full, say) can leave SQLite's transaction open on that
            // connection, and the next request on it would fail to begin its own: such a connection is
            // closed, which rolls the transaction back, instead of going back to the pool.
            .after_release(|connection, _| {
                Box::pin(async move { Ok(!connection.is_in_transaction()) })
            })
            .connect_with(options)
            .await
            .map_err(|source| damaged(path, source))?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self { pool })
    }

    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// A transaction that takes the write lock at once. SQLite's default (deferred) transaction would take it
    /// at the first write and fail then if another connection wrote since this one read, which busy_timeout
    /// cannot wait out. (On PostgreSQL this is a plain `BEGIN`: its row locks do the same job.)
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.pool.begin_with("BEGIN IMMEDIATE").await
    }

    /// Waits for the pool's connections to finish and closes the file cleanly.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// [`Error::DatabaseDamaged`] for SQLite's CORRUPT and NOTADB (low byte of the extended code), the plain
/// database error otherwise.
fn damaged(path: &Path, source: sqlx::Error) -> Error {
    let code = match &source {
        sqlx::Error::Database(error) => error.code().and_then(|code| code.parse::<i32>().ok()),
        _ => None,
    };
    match code.map(|code| code & 0xff) {
        Some(11 | 26) => Error::DatabaseDamaged {
            path: path.to_path_buf(),
            source,
        },
        _ => Error::Database(source),
    }
}
