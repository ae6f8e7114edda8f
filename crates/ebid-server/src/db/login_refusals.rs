//! Refused logins, counted per hour, organization and refusal code.

use ebid_protocol::RefusalCode;
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use super::audit::code_name;
use super::time::to_db;

/// The start of the hour `at` falls in, as the table keeps it.
pub(crate) fn hour_of(at: OffsetDateTime) -> i64 {
    let seconds = to_db(at);
    seconds - seconds.rem_euclid(3600)
}

/// Adds `count` refusals with `code` at `organization` ('' for none) to the hour of `at`.
pub(crate) async fn add(
    conn: &mut SqliteConnection,
    at: OffsetDateTime,
    organization: &str,
    code: RefusalCode,
    count: u64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO login_refusals (hour, organization_id, code, count) VALUES ($1, $2, $3, $4)
         ON CONFLICT (hour, organization_id, code) DO UPDATE SET count = login_refusals.count + excluded.count",
    )
    .bind(hour_of(at))
    .bind(organization)
    .bind(code_name(code))
    .bind(i64::try_from(count).unwrap_or(i64::MAX))
    .execute(conn)
    .await?;
    Ok(())
}

/// Drops the counts of hours before `before`; how many rows went.
pub(crate) async fn prune(
    conn: &mut SqliteConnection,
    before: OffsetDateTime,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM login_refusals WHERE hour < $1")
        .bind(to_db(before))
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
