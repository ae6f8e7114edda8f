//! The one writer: every change a request makes runs here, on one connection, and the changes that arrive
//! together are committed together (group commit).
//!
//! SQLite lets one connection write at a time, and with `synchronous=FULL` every COMMIT waits for the disk.
//! Requests that each began their own transaction queued behind SQLite's busy handler (its back-off grows to
//! 100 ms) and paid one flush each. Here they queue in a channel instead: the writer takes every job waiting
//! (up to [`MAX_BATCH`]), runs each inside its own SAVEPOINT in one `BEGIN IMMEDIATE` transaction, and COMMITs
//! once. A job's answer is delivered only after that COMMIT has returned, so nothing is ever answered that a
//! power cut could take back; a job whose work failed has its savepoint rolled back and leaves nothing, while
//! the others in the batch go on. If the COMMIT fails (the disk full, say), every job of the batch is told so
//! and nothing of the batch remains.
//!
//! Jobs in a batch run one after another, each seeing the writes of those before it: the same as if each had
//! had a transaction of its own, in the order they arrived.

use std::panic::AssertUnwindSafe;

use futures_util::FutureExt as _;
use futures_util::future::BoxFuture;
use sqlx::SqliteConnection;
use tokio::sync::{mpsc, oneshot};

/// Jobs committed together at most: enough to amortise a flush, few enough that one batch stays short.
const MAX_BATCH: usize = 256;

/// Jobs waiting at most; past it a request waits for room (back-pressure, not memory).
const QUEUE: usize = 4096;

/// What a job asks: run on the writer's connection, inside a transaction, and say whether its writes stay.
pub(crate) type Work<R> =
    Box<dyn for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Kept<R>> + Send>;

/// A job's result, and whether its writes stay (`Keep`) or are rolled back (`Discard`, for a failure).
pub(crate) enum Kept<R> {
    Keep(R),
    Discard(R),
}

/// Why a job's answer cannot be given.
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum WriteError {
    /// The batch's transaction could not begin or commit; nothing of it remains. `storage` when the storage
    /// is at fault (see [`super::is_storage_fault`]).
    #[error("the write transaction failed: {message}")]
    Transaction { message: String, storage: bool },
    /// The job panicked (its savepoint was rolled back), or the writer has stopped.
    #[error("the writer lost the job")]
    Lost,
}

impl From<&sqlx::Error> for WriteError {
    fn from(error: &sqlx::Error) -> Self {
        Self::Transaction {
            message: error.to_string(),
            storage: super::is_storage_fault(error),
        }
    }
}

/// A job once run: whether its writes stay, and how to hand over its answer once the batch's fate is known.
struct Ran {
    keep: bool,
    deliver: Box<dyn FnOnce(Result<(), WriteError>) + Send>,
}

/// A job's work, its result type erased.
type RunJob = Box<dyn for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Ran> + Send>;

/// A job: its work, and how to tell its requester it could not run at all.
struct Job {
    run: RunJob,
    fail: Box<dyn FnOnce(WriteError) + Send>,
}

/// The handle requests send their work to.
#[derive(Debug, Clone)]
pub(crate) struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer on `connection`; it runs until every handle is dropped.
    pub fn spawn(connection: SqliteConnection) -> (Self, tokio::task::JoinHandle<()>) {
        let (jobs, queue) = mpsc::channel(QUEUE);
        let task = tokio::spawn(run(connection, queue));
        (Self { jobs }, task)
    }

    /// Runs `work` in the next batch and answers once that batch is committed.
    pub async fn write<R: Send + 'static>(&self, work: Work<R>) -> Result<R, WriteError> {
        let (answer, answered) = oneshot::channel::<Result<R, WriteError>>();
        // Whichever happens, the run's delivery or the failure to run, takes the one sender. The requester may
        // have gone (its client hung up): nothing to tell then.
        let answer = std::sync::Arc::new(std::sync::Mutex::new(Some(answer)));
        let send = |answer: &std::sync::Mutex<Option<oneshot::Sender<Result<R, WriteError>>>>,
                    value: Result<R, WriteError>| {
            if let Some(sender) = answer.lock().ok().and_then(|mut slot| slot.take()) {
                let _ = sender.send(value);
            }
        };
        let on_failure = std::sync::Arc::clone(&answer);
        let job = Job {
            run: Box::new(move |connection| {
                Box::pin(async move {
                    let (keep, result) = match work(connection).await {
                        Kept::Keep(result) => (true, result),
                        Kept::Discard(result) => (false, result),
                    };
                    Ran {
                        keep,
                        deliver: Box::new(move |batch: Result<(), WriteError>| {
                            send(&answer, batch.map(|()| result));
                        }),
                    }
                })
            }),
            fail: Box::new(move |error| send(&on_failure, Err(error))),
        };
        self.jobs.send(job).await.map_err(|_| WriteError::Lost)?;
        answered.await.map_err(|_| WriteError::Lost)?
    }
}

async fn run(mut connection: SqliteConnection, mut queue: mpsc::Receiver<Job>) {
    let mut waiting: Vec<Job> = Vec::new();
    loop {
        if waiting.is_empty() {
            match queue.recv().await {
                Some(job) => waiting.push(job),
                None => return,
            }
        }
        while waiting.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => waiting.push(job),
                Err(_) => break,
            }
        }
        let batch = std::mem::take(&mut waiting);
        waiting = commit_batch(&mut connection, batch).await;
    }
}

/// Runs `batch` in one transaction and delivers every answer. Returns the jobs not run because the
/// transaction ended under them (SQLite may end it on a full disk or an I/O error): they go into the next
/// batch.
async fn commit_batch(connection: &mut SqliteConnection, batch: Vec<Job>) -> Vec<Job> {
    if let Err(error) = execute(connection, "BEGIN IMMEDIATE").await {
        tracing::error!(%error, "cannot begin the write transaction");
        let failure = WriteError::from(&error);
        for job in batch {
            (job.fail)(failure.clone());
        }
        return Vec::new();
    }
    let mut ran: Vec<Ran> = Vec::with_capacity(batch.len());
    let mut jobs = batch.into_iter();
    let mut aborted = None;
    // Each `execute` is a round trip to SQLite's worker thread, and the writer's round trips bound the
    // server's writes: so the savepoint of one job is released and the next one's opened in one, and the last
    // one is left for COMMIT, which releases it.
    let mut open_savepoint = "SAVEPOINT job";
    for job in jobs.by_ref() {
        if let Err(error) = execute(connection, open_savepoint).await {
            (job.fail)(WriteError::from(&error));
            aborted = Some(error);
            break;
        }
        open_savepoint = "RELEASE job; SAVEPOINT job";
        let outcome = AssertUnwindSafe((job.run)(connection)).catch_unwind().await;
        let keep = matches!(&outcome, Ok(finished) if finished.keep);
        let rolled_back = if keep {
            Ok(())
        } else {
            execute(connection, "ROLLBACK TO job").await
        };
        match outcome {
            Ok(finished) => ran.push(finished),
            Err(_) => tracing::error!("a write job panicked; its changes were rolled back"),
        }
        if let Err(error) = rolled_back {
            aborted = Some(error);
            break;
        }
    }
    let committed = match aborted {
        Some(error) => Err(error),
        None => execute(connection, "COMMIT").await,
    };
    match committed {
        Ok(()) => {
            for finished in ran {
                (finished.deliver)(Ok(()));
            }
        }
        Err(error) => {
            tracing::error!(%error, "the write transaction failed; its jobs are refused");
            // Whatever is left of the transaction goes; there may be nothing left, which is fine.
            let _ = execute(connection, "ROLLBACK").await;
            let failure = WriteError::from(&error);
            for finished in ran {
                (finished.deliver)(Err(failure.clone()));
            }
        }
    }
    jobs.collect()
}

async fn execute(connection: &mut SqliteConnection, sql: &'static str) -> Result<(), sqlx::Error> {
    sqlx::raw_sql(sql).execute(connection).await.map(drop)
}

#[cfg(test)]
mod tests {
    use sqlx::Row as _;

    use super::*;
    use crate::db::Database;

    /// A job that inserts `value`, then keeps, discards, or panics.
    fn insert(value: i64, then: &'static str) -> Work<i64> {
        Box::new(move |connection| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO audit_log (id, at, action, outcome) VALUES ($1, 0, 'test', 'ok')",
                )
                .bind(value)
                .execute(&mut *connection)
                .await
                .expect("insert");
                match then {
                    "keep" => Kept::Keep(value),
                    "discard" => Kept::Discard(value),
                    _ => panic!("a job that panics"),
                }
            })
        })
    }

    #[tokio::test]
    async fn each_job_keeps_or_loses_only_its_own_writes() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let db = Database::open(&dir.path().join("writer.sqlite3"))
            .await
            .expect("the database opens");
        let writer = db.writer();
        let (kept, discarded, panicked, kept_too) = tokio::join!(
            writer.write(insert(1, "keep")),
            writer.write(insert(2, "discard")),
            writer.write(insert(3, "panic")),
            writer.write(insert(4, "keep")),
        );
        assert_eq!(kept.expect("committed"), 1);
        // A discarded job's answer is still given: its writes are what went.
        assert_eq!(discarded.expect("answered"), 2);
        assert!(matches!(panicked, Err(WriteError::Lost)));
        assert_eq!(kept_too.expect("committed"), 4);
        let ids: Vec<i64> = sqlx::query("SELECT id FROM audit_log ORDER BY id")
            .fetch_all(db.pool())
            .await
            .expect("rows")
            .iter()
            .map(|row| row.get(0))
            .collect();
        assert_eq!(ids, [1, 4]);
        db.close().await;
    }
}
