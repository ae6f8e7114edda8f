//! Sessions opened by a card login.

use sqlx::SqliteConnection;
use time::OffsetDateTime;

use super::time::to_db;

/// A session as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct SessionRow {
    pub id: String,
    pub organization_id: String,
    pub category_id: String,
    pub user_id: i64,
    pub certificate_id: i64,
    pub last_seen_at: i64,
    pub ended_at: Option<i64>,
}

/// Why a session ended.
#[derive(Debug, Clone, Copy)]
pub(crate) enum EndReason {
    Logout,
    /// 更新 completed: the old card's session ends with it (the manual: close every browser).
    Renewed,
}

impl EndReason {
    fn as_str(self) -> &'static str {
        match self {
            Self::Logout => "logout",
            Self::Renewed => "renewed",
        }
    }
}

pub(crate) struct NewSession<'a> {
    pub id: &'a str,
    pub token_hash: &'a str,
    pub organization_id: &'a str,
    pub category_id: &'a str,
    pub user_id: i64,
    pub certificate_id: i64,
}

pub(crate) async fn insert(
    conn: &mut SqliteConnection,
    session: &NewSession<'_>,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (id, token_hash, organization_id, category_id, user_id, certificate_id,
                               created_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(session.id)
    .bind(session.token_hash)
    .bind(session.organization_id)
    .bind(session.category_id)
    .bind(session.user_id)
    .bind(session.certificate_id)
    .bind(to_db(now))
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn find_by_token_hash(
    conn: &mut SqliteConnection,
    token_hash: &str,
) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, organization_id, category_id, user_id, certificate_id, last_seen_at, ended_at
         FROM sessions WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await
}

/// Records activity: the idle timeout counts from here.
pub(crate) async fn touch(
    conn: &mut SqliteConnection,
    id: &str,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2 AND ended_at IS NULL")
        .bind(to_db(now))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn end(
    conn: &mut SqliteConnection,
    id: &str,
    now: OffsetDateTime,
    reason: EndReason,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sessions SET ended_at = $1, end_reason = $2 WHERE id = $3 AND ended_at IS NULL",
    )
    .bind(to_db(now))
    .bind(reason.as_str())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}
