//! Challenges: stored when issued, marked used by the one attempt that presents them. The origin they name
//! is the server's own, a constant of its configuration, and not stored: [`find`] is given it.

use anyhow::anyhow;
use ebid_protocol::{Challenge, Origin, Purpose};
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use super::time::{from_db, to_db};

/// A challenge as stored: what was issued, whose session it belongs to, whether it was used.
#[derive(Debug)]
pub(crate) struct StoredChallenge {
    pub challenge: Challenge,
    pub session_id: Option<String>,
    pub used: bool,
}

pub(crate) async fn insert(
    conn: &mut SqliteConnection,
    challenge: &Challenge,
    session_id: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO challenges
             (id, organization_id, category_id, purpose, nonce, session_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&challenge.id)
    .bind(&challenge.organization)
    .bind(&challenge.category)
    .bind(challenge.purpose.as_str())
    .bind(&challenge.nonce)
    .bind(session_id)
    .bind(to_db(now))
    .bind(to_db(challenge.expires_at))
    .execute(conn)
    .await?;
    Ok(())
}

type Row = (
    String,
    String,
    String,
    String,
    Vec<u8>,
    Option<String>,
    i64,
    Option<i64>,
);

pub(crate) async fn find(
    conn: &mut SqliteConnection,
    id: &str,
    origin: &Origin,
) -> anyhow::Result<Option<StoredChallenge>> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, organization_id, category_id, purpose, nonce, session_id, expires_at, used_at
         FROM challenges WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    let Some((id, organization, category, purpose, nonce, session_id, expires_at, used_at)) = row
    else {
        return Ok(None);
    };
    Ok(Some(StoredChallenge {
        challenge: Challenge {
            id,
            origin: origin.clone(),
            organization,
            category,
            purpose: purpose_from_db(&purpose)?,
            nonce,
            expires_at: from_db(expires_at)?,
        },
        session_id,
        used: used_at.is_some(),
    }))
}

/// Marks the challenge used; false when it already was (another attempt got there first).
pub(crate) async fn mark_used(
    conn: &mut SqliteConnection,
    id: &str,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE challenges SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
        .bind(to_db(now))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

fn purpose_from_db(text: &str) -> anyhow::Result<Purpose> {
    [Purpose::Login, Purpose::RenewalNewCard]
        .into_iter()
        .find(|purpose| purpose.as_str() == text)
        .ok_or_else(|| anyhow!("unknown challenge purpose {text:?} in the database"))
}
