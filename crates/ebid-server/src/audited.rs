//! One request's changes in one transaction, with its audit entry in the same transaction.
//!
//! What a refusal keeps: the refused attempt's audit entry, and the challenge it used (a challenge allows one
//! attempt, so that a refused signature cannot be tried again against it). Handlers refuse before they write
//! anything else, so committing after a refusal keeps exactly that. An internal error rolls everything back,
//! the audit entry included.

use sqlx::SqliteConnection;
use time::OffsetDateTime;

use crate::db::audit::{self, Action, Subject};
use crate::error::ApiError;
use crate::state::AppState;

/// Runs `work` in one write transaction and records its outcome under `action`.
///
/// `work` fills in the audit entry's [`Subject`] as it learns it (organization, serial, …), and sets
/// [`Audit::skip`] when the request only repeats one already recorded.
pub(crate) async fn transaction<T>(
    state: &AppState,
    action: Action,
    now: OffsetDateTime,
    work: impl AsyncFnOnce(&mut SqliteConnection, &mut Audit) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let mut tx = state.db.begin_write().await?;
    let mut audit = Audit::default();
    let result = work(&mut tx, &mut audit).await;
    let outcome = match &result {
        Ok(_) => None,
        Err(ApiError::Refused(code)) => Some(*code),
        // Dropping the transaction rolls it back.
        Err(ApiError::Internal(_)) => return result,
    };
    if !audit.skip {
        audit::record(&mut tx, now, action, &audit.subject, outcome).await?;
    }
    tx.commit().await?;
    result
}

/// The audit entry a transaction will write.
#[derive(Debug, Default)]
pub(crate) struct Audit {
    pub subject: Subject,
    /// Set when the request turned out to repeat one already recorded (a commit answered again): no new entry.
    pub skip: bool,
}
