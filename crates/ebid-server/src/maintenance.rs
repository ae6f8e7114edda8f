//! The sweeper: what keeps the server's memory and database from growing with time and with strangers.
//! Every [`crate::ServerConfig::sweep_interval`] (and once more when the server stops) it drops expired
//! challenges, writes the refused logins' counts, deletes sessions that can serve no request any more, drops
//! counts older than [`COUNT_RETENTION`], and forgets idle clients of the rate limits.

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use crate::db::writer::Kept;
use crate::db::{login_refusals, sessions};
use crate::state::{AppState, SharedState};

/// Dead sessions deleted per transaction, so that a sweep never holds the writer for long.
const SESSION_BATCH: u32 = 500;

/// How long refused-login counts are kept.
pub const COUNT_RETENTION: Duration = Duration::from_secs(90 * 24 * 60 * 60);

/// What one sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    pub challenges: usize,
    pub sessions: u64,
    pub refused_logins_written: u64,
}

/// A handle on the server's sweeper, for running a sweep now (tests, and the stop).
#[derive(Clone)]
pub struct Maintenance {
    state: SharedState,
}

impl Maintenance {
    pub(crate) fn new(state: SharedState) -> Self {
        Self { state }
    }

    /// One sweep at the server's time now.
    pub async fn sweep(&self) -> crate::Result<Swept> {
        sweep(&self.state, self.state.now()).await
    }

    /// Sweeps every `interval` until dropped (the task is aborted when the server stops).
    pub(crate) fn spawn(&self, interval: Duration) -> tokio::task::JoinHandle<()> {
        let state = Arc::clone(&self.state);
        tokio::spawn(async move {
            // The first sweep one interval after the start, not at once: a server just opened has nothing to
            // sweep, and a test driving the clock by hand sweeps when it chooses.
            let mut ticks =
                tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                if let Err(error) = sweep(&state, state.now()).await {
                    tracing::warn!("sweep failed, tried again next time: {error}");
                }
            }
        })
    }
}

async fn sweep(state: &AppState, now: OffsetDateTime) -> crate::Result<Swept> {
    let mut swept = Swept {
        challenges: state.challenges.prune(now),
        ..Swept::default()
    };
    state.limiter.prune();

    let counts = state.refused_logins.take();
    if !counts.is_empty() {
        let total = counts.values().sum();
        let restore = counts.clone();
        let written = write(state, move |conn| {
            Box::pin(async move {
                for ((organization, code), count) in &counts {
                    login_refusals::add(conn, now, organization, *code, *count).await?;
                }
                Ok(())
            })
        })
        .await;
        if let Err(error) = written {
            state.refused_logins.restore(restore);
            return Err(error);
        }
        swept.refused_logins_written = total;
    }

    let idle_before = now - state.session_idle_timeout;
    let opened_before = now - state.session_max_lifetime;
    loop {
        let deleted = write(state, move |conn| {
            Box::pin(sessions::prune(
                conn,
                idle_before,
                opened_before,
                SESSION_BATCH,
            ))
        })
        .await?;
        swept.sessions += deleted;
        if deleted < u64::from(SESSION_BATCH) {
            break;
        }
    }
    let counts_before = now - COUNT_RETENTION;
    write(state, move |conn| {
        Box::pin(login_refusals::prune(conn, counts_before))
    })
    .await?;
    if swept != Swept::default() {
        tracing::debug!(?swept, "swept");
    }
    Ok(swept)
}

/// One job of the sweeper's on the writer, in the next batch.
async fn write<T, W>(state: &AppState, work: W) -> crate::Result<T>
where
    T: Send + 'static,
    W: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T, sqlx::Error>>
        + Send
        + 'static,
{
    let result = state
        .db
        .writer()
        .write(Box::new(move |conn| {
            Box::pin(async move {
                match work(conn).await {
                    Ok(value) => Kept::Keep(Ok(value)),
                    Err(error) => Kept::Discard(Err(error)),
                }
            })
        }))
        .await
        .map_err(|error| crate::Error::Write(error.to_string()))?;
    Ok(result?)
}
