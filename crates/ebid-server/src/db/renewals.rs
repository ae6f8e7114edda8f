//! Renewals: the new card's proof and confirmation, then at most one commit.

use anyhow::Context as _;
use ebid_protocol::{RefusalCode, RenewalConfirmation, RenewalResult};
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use super::time::to_db;

/// A renewal as stored.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct RenewalRow {
    pub id: String,
    pub session_id: String,
    pub new_certificate_der: Vec<u8>,
    /// The session's token hash, to answer a repeated commit only to the session that made it.
    pub token_hash: String,
    result: Option<String>,
}

impl RenewalRow {
    /// The stored result, once committed.
    pub fn result(&self) -> anyhow::Result<Option<RenewalResult>> {
        self.result
            .as_deref()
            .map(|json| serde_json::from_str(json).context("stored renewal result"))
            .transpose()
    }
}

pub(crate) struct NewRenewal<'a> {
    pub session_id: &'a str,
    pub user_id: i64,
    pub old_certificate_id: i64,
    pub new_certificate_der: &'a [u8],
    pub confirmation: &'a RenewalConfirmation,
    pub violations: &'a [RefusalCode],
}

pub(crate) async fn insert(
    conn: &mut SqliteConnection,
    renewal: &NewRenewal<'_>,
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO renewals (id, session_id, user_id, old_certificate_id, new_certificate_der,
                               confirmation, violations, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&renewal.confirmation.renewal_id)
    .bind(renewal.session_id)
    .bind(renewal.user_id)
    .bind(renewal.old_certificate_id)
    .bind(renewal.new_certificate_der)
    .bind(serde_json::to_string(renewal.confirmation)?)
    .bind(serde_json::to_string(renewal.violations)?)
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn find(
    conn: &mut SqliteConnection,
    id: &str,
) -> Result<Option<RenewalRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.session_id, r.new_certificate_der, s.token_hash, r.result
         FROM renewals r JOIN sessions s ON s.id = r.session_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Marks the renewal committed with its result and who committed it (担当者); false when it already was.
pub(crate) async fn mark_committed(
    conn: &mut SqliteConnection,
    result: &RenewalResult,
    new_certificate_id: i64,
    operator: &str,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE renewals SET committed_at = $1, new_certificate_id = $2, result = $3, operator = $4
         WHERE id = $5 AND committed_at IS NULL",
    )
    .bind(to_db(result.committed_at))
    .bind(new_certificate_id)
    .bind(serde_json::to_string(result)?)
    .bind(operator)
    .bind(&result.renewal_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
