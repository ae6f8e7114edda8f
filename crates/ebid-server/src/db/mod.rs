//! The database: one SQLite file through sqlx, its migrations, and one module a table group.
//!
//! Durability: WAL with `synchronous=FULL`, so that a transaction that has returned from COMMIT survives a
//! SIGKILL or a power cut, and one that has not leaves no trace. Every change a request makes happens in one
//! transaction begun with [`Database::begin_write`].

pub(crate) mod applications;
pub(crate) mod audit;
pub(crate) mod login_refusals;
pub(crate) mod organizations;
pub(crate) mod registry;
pub(crate) mod releases;
pub(crate) mod renewals;
pub(crate) mod sessions;
pub(crate) mod time;
pub(crate) mod writer;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::Connection as _;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};

use tokio::task::JoinHandle;

use crate::error::{Error, Result};
use writer::Writer;

/// How long a request waits for another's write transaction before failing with `server_error`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections of the read pool.
const READ_CONNECTIONS: u32 = 32;

/// The server's database: a pool of connections for reading, and [`Writer`], the one that writes.
#[derive(Debug, Clone)]
pub struct Database {
    pool: SqlitePool,
    writer: Writer,
    writer_task: Arc<Mutex<Option<JoinHandle<()>>>>,
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
            // Readers do not block one another in WAL mode: enough connections that requests at 64 clients
            // do not queue for one (the writer's is taken out of the pool below).
            .max_connections(READ_CONNECTIONS)
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
        // Its own connection, not one of the pool's: the writer holds it for the server's lifetime.
        let connection = pool.acquire().await?.detach();
        let (writer, writer_task) = Writer::spawn(connection);
        Ok(Self {
            pool,
            writer,
            writer_task: Arc::new(Mutex::new(Some(writer_task))),
        })
    }

    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Where every change a request makes is written (see [`writer`]).
    pub(crate) fn writer(&self) -> &Writer {
        &self.writer
    }

    /// A transaction that takes the write lock at once. SQLite's default (deferred) transaction would take it
    /// at the first write and fail then if another connection wrote since this one read, which busy_timeout
    /// cannot wait out. (On PostgreSQL this is a plain `BEGIN`: its row locks do the same job.)
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.pool.begin_with("BEGIN IMMEDIATE").await
    }

    /// Lets the writer finish the jobs it has, waits for the pool's connections to finish, and closes the file
    /// cleanly.
    pub async fn close(&self) {
        let task = self
            .writer_task
            .lock()
            .ok()
            .and_then(|mut task| task.take());
        if let Some(task) = task {
            // Called once the server has stopped serving and swept for the last time: no job is in flight, and
            // the handles still held (clones of this database) would keep the writer waiting for ever.
            task.abort();
            let _ = task.await;
        }
        self.pool.close().await;
    }
}

/// Whether `error` comes from the storage rather than from the request or a bug: the disk full, the file
/// damaged, unreadable, read-only or locked by another program past the busy timeout.
pub(crate) fn is_storage_fault(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_) => true,
        sqlx::Error::Database(database) => database
            .code()
            .and_then(|code| code.parse::<i32>().ok())
            .is_some_and(|code| SQLITE_STORAGE_FAULTS.contains(&(code & 0xff))),
        _ => false,
    }
}

/// SQLite's primary result codes of a storage fault: BUSY, LOCKED, READONLY, IOERR, CORRUPT, FULL, CANTOPEN,
/// NOTADB (an extended code carries its primary one in the low byte).
const SQLITE_STORAGE_FAULTS: [i32; 8] = [5, 6, 8, 10, 11, 13, 14, 26];

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
