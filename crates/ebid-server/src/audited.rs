//! One request's changes in one transaction, with its audit entry in the same transaction, through the writer
//! ([`crate::db::writer`]): answered once they are committed.
//!
//! What a refusal keeps: the refused attempt's audit entry. Handlers refuse before they write anything else,
//! so keeping the work's writes after a refusal keeps exactly that. An internal error rolls everything back,
//! the audit entry included.

use futures_util::future::BoxFuture;
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use crate::db::audit::{self, Action, Subject};
use crate::db::writer::Kept;
use crate::error::ApiError;
use crate::state::AppState;

/// Runs `work` in the writer's next batch and records its outcome under `action`.
///
/// `work` fills in the audit entry's [`Subject`] as it learns it (organization, serial, …), and sets
/// [`Audit::skip`] when the request only repeats one already recorded. It owns what it uses (it runs on the
/// writer's task): clone the state's `Arc` and move the request's values in.
pub(crate) async fn transaction<T, W>(
    state: &AppState,
    action: Action,
    now: OffsetDateTime,
    work: W,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    W: for<'c> FnOnce(
            &'c mut SqliteConnection,
            &'c mut Audit,
        ) -> BoxFuture<'c, Result<T, ApiError>>
        + Send
        + 'static,
{
    state
        .db
        .writer()
        .write(Box::new(move |conn| {
            Box::pin(async move {
                let mut audit = Audit::default();
                let result = work(&mut *conn, &mut audit).await;
                let outcome = match &result {
                    Ok(_) => None,
                    Err(ApiError::Refused(code)) => Some(*code),
                    Err(ApiError::Internal(_)) => return Kept::Discard(result),
                };
                if !audit.skip
                    && let Err(error) =
                        audit::record(conn, now, action, &audit.subject, outcome).await
                {
                    return Kept::Discard(Err(error.into()));
                }
                Kept::Keep(result)
            })
        }))
        .await?
}

/// The audit entry a transaction will write.
#[derive(Debug, Default)]
pub(crate) struct Audit {
    pub subject: Subject,
    /// Set when the request turned out to repeat one already recorded (a commit answered again): no new entry.
    pub skip: bool,
}
