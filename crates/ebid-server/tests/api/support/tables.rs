//! The registration tables as rows of text: a refusal must leave them exactly as they were.

use sqlx::SqlitePool;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tables {
    pub companies: Vec<String>,
    pub users: Vec<String>,
    pub certificates: Vec<String>,
    pub applications: Vec<String>,
}

impl Tables {
    pub async fn read(db: &SqlitePool) -> Self {
        Self {
            companies: rows(
                db,
                "SELECT id || '|' || organization_id || '|' || vendor_number || '|' || name || '|' ||
                        address || '|' || representative || '|' || phone
                 FROM companies ORDER BY id",
            )
            .await,
            users: rows(
                db,
                "SELECT id || '|' || company_id || '|' || organization_id || '|' || category_id || '|' ||
                        holder || '|' || contact_department || '|' || contact_name || '|' ||
                        contact_address || '|' || contact_phone || '|' || contact_email
                 FROM registered_users ORDER BY id",
            )
            .await,
            certificates: rows(
                db,
                "SELECT id || '|' || user_id || '|' || organization_id || '|' || hex(der) || '|' ||
                        serial || '|' || issuer || '|' || fingerprint || '|' || not_before || '|' ||
                        not_after || '|' || status || '|' || registered_at || '|' ||
                        coalesce(superseded_at, '-')
                 FROM certificates ORDER BY id",
            )
            .await,
            applications: rows(
                db,
                "SELECT id || '|' || organization_id || '|' || fingerprint || '|' || state || '|' ||
                        coalesce(decided_at, '-') || '|' || coalesce(certificate_id, '-')
                 FROM registration_applications ORDER BY id",
            )
            .await,
        }
    }
}

async fn rows(db: &SqlitePool, sql: &'static str) -> Vec<String> {
    sqlx::query_scalar(sql)
        .fetch_all(db)
        .await
        .expect("table rows")
}

/// The refused logins' counts as `organization code count`, once swept into the database.
pub async fn refused_logins(db: &SqlitePool) -> Vec<(String, String, i64)> {
    sqlx::query_as(
        "SELECT organization_id, code, count FROM login_refusals ORDER BY organization_id, code",
    )
    .fetch_all(db)
    .await
    .expect("login refusal counts")
}

/// Audit entries as `action outcome` in the order written, with their serial.
pub async fn audit(db: &SqlitePool) -> Vec<(String, String, Option<String>)> {
    sqlx::query_as("SELECT action, outcome, serial FROM audit_log ORDER BY at, rowid")
        .fetch_all(db)
        .await
        .expect("audit rows")
}
