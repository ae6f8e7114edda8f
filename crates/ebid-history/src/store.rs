//! Opening the file: WAL with `synchronous=FULL` (a step that returned survives a killed process or a power
//! cut), foreign keys on, a busy timeout for when the app and the CLI both write, and the migrations.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use sqlx::Connection as _;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::error::{self, HistoryError, Result};

/// How long a statement waits for another program's write before failing with [`HistoryError::Locked`].
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A desktop's history is written by one app at a time: a few connections are plenty.
const CONNECTIONS: u32 = 4;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// The migrations this build applies, in order (the tests build every earlier schema from them).
pub fn migrator() -> &'static Migrator {
    &MIGRATOR
}

/// The open history file.
#[derive(Debug, Clone)]
pub struct History {
    pub(crate) pool: SqlitePool,
    pub(crate) path: PathBuf,
    /// Attempts this handle started and has not finished: in progress, not interrupted.
    running: Arc<Mutex<HashSet<i64>>>,
}

impl History {
    /// Opens (creating it and its folder if missing) the history at `path` and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self> {
        Self::open_with_busy_timeout(path, BUSY_TIMEOUT).await
    }

    /// [`History::open`], waiting at most `busy_timeout` for another program's lock on each statement.
    pub async fn open_with_busy_timeout(path: &Path, busy_timeout: Duration) -> Result<Self> {
        if let Some(folder) = path
            .parent()
            .filter(|folder| !folder.as_os_str().is_empty())
        {
            std::fs::create_dir_all(folder).map_err(|source| HistoryError::Folder {
                path: folder.to_path_buf(),
                source,
            })?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(busy_timeout);
        let pool = SqlitePoolOptions::new()
            .max_connections(CONNECTIONS)
            // A failed COMMIT can leave SQLite's transaction open on its connection: close such a connection
            // (which rolls it back) rather than hand it to the next call.
            .after_release(|connection, _| {
                Box::pin(async move { Ok(!connection.is_in_transaction()) })
            })
            .connect_with(options)
            .await
            .map_err(|source| error::classify(path, source))?;
        if let Err(source) = MIGRATOR.run(&pool).await {
            pool.close().await;
            return Err(error::migration(path, source));
        }
        Ok(Self {
            pool,
            path: path.to_path_buf(),
            running: Arc::default(),
        })
    }

    /// The file this history is kept in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Waits for the calls in flight and closes the file cleanly.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// A failed statement as the user's error.
    pub(crate) fn fault(&self, source: sqlx::Error) -> HistoryError {
        error::classify(&self.path, source)
    }

    /// A foreign-key refusal names a card never recorded with `record_card_seen`; anything else is the
    /// storage's fault.
    pub(crate) fn fault_for_card(&self, fingerprint: &str, source: sqlx::Error) -> HistoryError {
        match &source {
            sqlx::Error::Database(database) if database.is_foreign_key_violation() => {
                HistoryError::UnknownCard(fingerprint.to_owned())
            }
            _ => self.fault(source),
        }
    }

    /// The set of attempts in progress in this handle. A poisoned lock still holds a usable set: a panic
    /// elsewhere cannot make a running attempt read as interrupted.
    pub(crate) fn running(&self) -> MutexGuard<'_, HashSet<i64>> {
        self.running
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
