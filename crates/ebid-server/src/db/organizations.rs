//! 調達機関 and their categories.

use ebid_protocol::{Category, Organization};
use sqlx::SqliteConnection;

/// Every organization with its categories, in display order.
pub(crate) async fn list(conn: &mut SqliteConnection) -> Result<Vec<Organization>, sqlx::Error> {
    let organizations: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM organizations ORDER BY position, id")
            .fetch_all(&mut *conn)
            .await?;
    let categories: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT organization_id, id, name FROM categories ORDER BY organization_id, position, id",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(organizations
        .into_iter()
        .map(|(id, name)| Organization {
            categories: categories
                .iter()
                .filter(|(organization, _, _)| *organization == id)
                .map(|(_, id, name)| Category {
                    id: id.clone(),
                    name: name.clone(),
                })
                .collect(),
            id,
            name,
        })
        .collect())
}

pub(crate) async fn category_exists(
    conn: &mut SqliteConnection,
    organization: &str,
    category: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM categories WHERE organization_id = $1 AND id = $2")
            .bind(organization)
            .bind(category)
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}

/// Whether any organization is stored: the demo seed runs only into an empty database.
pub(crate) async fn any(conn: &mut SqliteConnection) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM organizations LIMIT 1")
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// How an organization takes a new registration (新規登録).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RegistrationMode {
    /// Registered at once: the card logs in as soon as the application is accepted.
    #[default]
    Immediate,
    /// 仮登録: the organization's administrator approves each registration (`ebid-server admin approve`).
    Approval,
}

impl RegistrationMode {
    fn as_str(self) -> &'static str {
        match self {
            Self::Immediate => "immediate",
            Self::Approval => "approval",
        }
    }
}

/// How `organization` takes a new registration; `None` for an organization that does not exist.
pub(crate) async fn registration_mode(
    conn: &mut SqliteConnection,
    organization: &str,
) -> anyhow::Result<Option<RegistrationMode>> {
    let mode: Option<String> =
        sqlx::query_scalar("SELECT registration FROM organizations WHERE id = $1")
            .bind(organization)
            .fetch_optional(conn)
            .await?;
    mode.map(|mode| match mode.as_str() {
        "immediate" => Ok(RegistrationMode::Immediate),
        "approval" => Ok(RegistrationMode::Approval),
        other => Err(anyhow::anyhow!(
            "organization {organization} takes registrations by {other:?}, which this server does not know"
        )),
    })
    .transpose()
}

pub(crate) async fn insert(
    conn: &mut SqliteConnection,
    id: &str,
    name: &str,
    position: i64,
    registration: RegistrationMode,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO organizations (id, name, position, registration) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(name)
    .bind(position)
    .bind(registration.as_str())
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn insert_category(
    conn: &mut SqliteConnection,
    organization: &str,
    id: &str,
    name: &str,
    position: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO categories (organization_id, id, name, position) VALUES ($1, $2, $3, $4)",
    )
    .bind(organization)
    .bind(id)
    .bind(name)
    .bind(position)
    .execute(conn)
    .await?;
    Ok(())
}
