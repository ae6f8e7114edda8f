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
    pub created_at: i64,
    pub last_seen_at: i64,
    pub ended_at: Option<i64>,
}

/// A session and whether the certificate that opened it is still the user's active one.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct SessionLookup {
    #[sqlx(flatten)]
    pub session: SessionRow,
    pub certificate_active: bool,
}

/// Why a session ended.
#[derive(Debug, Clone, Copy)]
pub(crate) enum EndReason {
    Logout,
    /// 更新 completed: the old card's session ends with it (the manual: close every browser).
    Renewed,
    /// Another session of the same card completed a renewal: a superseded card speaks for nobody.
    Superseded,
}

impl EndReason {
    fn as_str(self) -> &'static str {
        match self {
            Self::Logout => "logout",
            Self::Renewed => "renewed",
            Self::Superseded => "superseded",
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
) -> Result<Option<SessionLookup>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.organization_id, s.category_id, s.user_id, s.certificate_id, s.created_at,
                s.last_seen_at, s.ended_at, c.status = 'active' AS certificate_active
         FROM sessions s JOIN certificates c ON c.id = s.certificate_id
         WHERE s.token_hash = $1",
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

/// A renewal made in session `renewed_in` supersedes the certificate `certificate_id`: that session ends as
/// [`EndReason::Renewed`], every other still open with the certificate (another window, another PC) as
/// [`EndReason::Superseded`]. One statement: it runs on the writer.
pub(crate) async fn end_for_renewal(
    conn: &mut SqliteConnection,
    renewed_in: &str,
    certificate_id: i64,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sessions
         SET ended_at = $1, end_reason = CASE WHEN id = $2 THEN $3 ELSE $4 END
         WHERE certificate_id = $5 AND ended_at IS NULL",
    )
    .bind(to_db(now))
    .bind(renewed_in)
    .bind(EndReason::Renewed.as_str())
    .bind(EndReason::Superseded.as_str())
    .bind(certificate_id)
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

/// Deletes up to `batch` sessions that can serve no request any more (ended, idle since before
/// `idle_before`, or opened before `opened_before`), with the renewals they proved but never committed. A
/// session with a committed renewal stays: the renewal's history names it, and a lost commit answer is given
/// again to its token. How many sessions went.
pub(crate) async fn prune(
    conn: &mut SqliteConnection,
    idle_before: OffsetDateTime,
    opened_before: OffsetDateTime,
    batch: u32,
) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "DELETE FROM renewals WHERE committed_at IS NULL AND session_id IN
             (SELECT s.id FROM sessions s
              WHERE s.ended_at IS NOT NULL OR s.last_seen_at < $1 OR s.created_at < $2
              LIMIT $3)",
    )
    .bind(to_db(idle_before))
    .bind(to_db(opened_before))
    .bind(batch)
    .execute(&mut *conn)
    .await?;
    let done = sqlx::query(
        "DELETE FROM sessions WHERE id IN
             (SELECT s.id FROM sessions s
              WHERE (s.ended_at IS NOT NULL OR s.last_seen_at < $1 OR s.created_at < $2)
                AND NOT EXISTS (SELECT 1 FROM renewals r WHERE r.session_id = s.id)
              LIMIT $3)",
    )
    .bind(to_db(idle_before))
    .bind(to_db(opened_before))
    .bind(batch)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}
