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

pub(crate) async fn insert(
    conn: &mut SqliteConnection,
    id: &str,
    name: &str,
    position: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO organizations (id, name, position) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(name)
        .bind(position)
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
