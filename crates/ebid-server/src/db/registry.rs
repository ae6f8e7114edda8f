//! The registration itself: companies (業者), registered users (登録利用者) and their certificates.

use anyhow::{anyhow, bail};
use ebid_cert::Certificate;
use ebid_protocol::{CertificateStatus, Company, CompanyKind, Contact};
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use super::time::to_db;
use crate::error::Result;
use crate::random;

/// A registered user.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct UserRow {
    pub id: i64,
    pub company_id: i64,
    pub category_id: String,
    pub holder: String,
}

/// A certificate of a registered user.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct CertificateRow {
    pub id: i64,
    pub user_id: i64,
    pub der: Vec<u8>,
    pub serial: String,
    pub issuer: String,
    pub status: String,
    pub not_after: i64,
    pub registered_at: i64,
}

impl CertificateRow {
    pub fn status(&self) -> anyhow::Result<CertificateStatus> {
        match self.status.as_str() {
            ACTIVE => Ok(CertificateStatus::Active),
            SUPERSEDED => Ok(CertificateStatus::Superseded),
            other => bail!("unknown certificate status {other:?} in the database"),
        }
    }
}

const ACTIVE: &str = "active";
const SUPERSEDED: &str = "superseded";

const CERTIFICATE_COLUMNS: &str =
    "id, user_id, der, serial, issuer, status, not_after, registered_at";

/// The active certificate with this fingerprint at this organization: the card a login may use.
pub(crate) async fn active_certificate_by_fingerprint(
    conn: &mut SqliteConnection,
    organization: &str,
    fingerprint: &str,
) -> Result<Option<CertificateRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {CERTIFICATE_COLUMNS} FROM certificates
         WHERE organization_id = $1 AND fingerprint = $2 AND status = 'active'"
    )))
    .bind(organization)
    .bind(fingerprint)
    .fetch_optional(conn)
    .await
}

/// Whether a certificate with this fingerprint was ever registered at this organization, for anyone.
pub(crate) async fn fingerprint_registered(
    conn: &mut SqliteConnection,
    organization: &str,
    fingerprint: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM certificates WHERE organization_id = $1 AND fingerprint = $2",
    )
    .bind(organization)
    .bind(fingerprint)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

pub(crate) async fn certificate(
    conn: &mut SqliteConnection,
    id: i64,
) -> Result<Option<CertificateRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Every certificate the user has had, newest first.
pub(crate) async fn certificates_of_user(
    conn: &mut SqliteConnection,
    user_id: i64,
) -> Result<Vec<CertificateRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE user_id = $1
         ORDER BY registered_at DESC, not_after DESC, id"
    )))
    .bind(user_id)
    .fetch_all(conn)
    .await
}

/// The user's active certificate, if any.
pub(crate) async fn active_certificate_of_user(
    conn: &mut SqliteConnection,
    user_id: i64,
) -> Result<Option<CertificateRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE user_id = $1 AND status = 'active'"
    )))
    .bind(user_id)
    .fetch_optional(conn)
    .await
}

pub(crate) async fn user(
    conn: &mut SqliteConnection,
    id: i64,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, company_id, category_id, holder FROM registered_users WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The company's users in one category, in the order they were registered.
pub(crate) async fn users_of_company(
    conn: &mut SqliteConnection,
    company_id: i64,
    category: &str,
) -> Result<Vec<UserRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.company_id, u.category_id, u.holder FROM registered_users u
         WHERE u.company_id = $1 AND u.category_id = $2
         ORDER BY (SELECT MIN(c.registered_at) FROM certificates c WHERE c.user_id = u.id), u.id",
    )
    .bind(company_id)
    .bind(category)
    .fetch_all(conn)
    .await
}

pub(crate) async fn company(
    conn: &mut SqliteConnection,
    id: i64,
) -> anyhow::Result<Option<Company>> {
    let row: Option<CompanyColumns> = sqlx::query_as(
        "SELECT vendor_number, name, address, representative, phone, kind FROM companies WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    company_of_row(id, row)
}

/// The company with this 業者番号 at this organization (in its list of qualified companies), with its id.
pub(crate) async fn company_by_vendor_number(
    conn: &mut SqliteConnection,
    organization: &str,
    vendor_number: &str,
) -> anyhow::Result<Option<(i64, Company)>> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM companies WHERE organization_id = $1 AND vendor_number = $2",
    )
    .bind(organization)
    .bind(vendor_number)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(id) = id else {
        return Ok(None);
    };
    Ok(company(conn, id).await?.map(|company| (id, company)))
}

/// 変更 of the company's 企業住所, 代表者氏名 and 電話番号.
pub(crate) async fn update_company(
    conn: &mut SqliteConnection,
    id: i64,
    address: &str,
    representative: &str,
    phone: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE companies SET address = $1, representative = $2, phone = $3 WHERE id = $4")
        .bind(address)
        .bind(representative)
        .bind(phone)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The user's 連絡先.
pub(crate) async fn contact(
    conn: &mut SqliteConnection,
    user_id: i64,
) -> Result<Contact, sqlx::Error> {
    let (department, name, address, phone, email): (String, String, String, String, String) =
        sqlx::query_as(
            "SELECT contact_department, contact_name, contact_address, contact_phone, contact_email
             FROM registered_users WHERE id = $1",
        )
        .bind(user_id)
        .fetch_one(conn)
        .await?;
    Ok(Contact {
        department,
        name,
        address,
        phone,
        email,
    })
}

/// Records the user's 連絡先 (新規登録, 再登録, 変更, a seed file's).
pub(crate) async fn set_contact(
    conn: &mut SqliteConnection,
    user_id: i64,
    contact: &Contact,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE registered_users SET contact_department = $1, contact_name = $2, contact_address = $3,
                contact_phone = $4, contact_email = $5
         WHERE id = $6",
    )
    .bind(&contact.department)
    .bind(&contact.name)
    .bind(&contact.address)
    .bind(&contact.phone)
    .bind(&contact.email)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(())
}

type CompanyColumns = (String, String, String, String, String, String);

fn company_of_row(id: i64, row: Option<CompanyColumns>) -> anyhow::Result<Option<Company>> {
    row.map(
        |(vendor_number, name, address, representative, phone, kind)| {
            Ok(Company {
                vendor_number,
                name,
                address,
                representative,
                phone,
                kind: CompanyKind::parse(&kind)
                    .ok_or_else(|| anyhow!("company {id} of unknown kind {kind:?}"))?,
            })
        },
    )
    .transpose()
}

/// Marks the active certificate superseded, unless a certificate with `new_fingerprint` is registered at the
/// organization by now; false when nothing changed (the certificate not active any more, or the new card
/// registered meanwhile). One statement, because it is on every commit's path through the one writer.
pub(crate) async fn supersede_for(
    conn: &mut SqliteConnection,
    id: i64,
    organization: &str,
    new_fingerprint: &str,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE certificates SET status = 'superseded', superseded_at = $1
         WHERE id = $2 AND status = 'active'
           AND NOT EXISTS (SELECT 1 FROM certificates WHERE organization_id = $3 AND fingerprint = $4)",
    )
    .bind(to_db(now))
    .bind(id)
    .bind(organization)
    .bind(new_fingerprint)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Registers `certificate` as the user's active one; its id.
pub(crate) async fn insert_certificate(
    conn: &mut SqliteConnection,
    user_id: i64,
    organization: &str,
    certificate: &Certificate,
    registered_at: OffsetDateTime,
) -> Result<i64> {
    let id = random::row_id()?;
    let facts = certificate.facts();
    sqlx::query(
        "INSERT INTO certificates (id, user_id, organization_id, der, serial, issuer, fingerprint,
                                   not_before, not_after, status, registered_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10)",
    )
    .bind(id)
    .bind(user_id)
    .bind(organization)
    .bind(certificate.der())
    .bind(&facts.serial)
    .bind(&facts.issuer)
    .bind(&facts.fingerprint_sha256)
    .bind(to_db(facts.not_before))
    .bind(to_db(facts.not_after))
    .bind(to_db(registered_at))
    .execute(conn)
    .await?;
    Ok(id)
}

pub(crate) async fn insert_company(
    conn: &mut SqliteConnection,
    organization: &str,
    company: &Company,
) -> Result<i64> {
    let id = random::row_id()?;
    sqlx::query(
        "INSERT INTO companies (id, organization_id, vendor_number, name, address, representative, phone,
                                kind)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(organization)
    .bind(&company.vendor_number)
    .bind(&company.name)
    .bind(&company.address)
    .bind(&company.representative)
    .bind(&company.phone)
    .bind(company.kind.as_str())
    .execute(conn)
    .await?;
    Ok(id)
}

pub(crate) async fn insert_user(
    conn: &mut SqliteConnection,
    company_id: i64,
    organization: &str,
    category: &str,
    holder: &str,
) -> Result<i64> {
    let id = random::row_id()?;
    sqlx::query(
        "INSERT INTO registered_users (id, company_id, organization_id, category_id, holder)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(company_id)
    .bind(organization)
    .bind(category)
    .bind(holder)
    .execute(conn)
    .await?;
    Ok(id)
}
