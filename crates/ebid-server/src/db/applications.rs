//! Registration applications (新規登録): every one the rules accepted, kept with what it became. An approval
//! organization's waits here, pending, until its administrator decides.

use anyhow::bail;
use ebid_cert::Certificate;
use ebid_protocol::Contact;
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use super::time::to_db;

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ApplicationState {
    /// 仮登録: waiting for the administrator.
    Pending,
    /// Registered: the card logs in.
    Approved,
    /// Refused by the administrator: the card stays unregistered.
    Rejected,
}

impl ApplicationState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    fn parse(text: &str) -> anyhow::Result<Self> {
        Ok(match text {
            "pending" => Self::Pending,
            "approved" => Self::Approved,
            "rejected" => Self::Rejected,
            other => bail!("unknown application state {other:?} in the database"),
        })
    }
}

/// What an approved application became.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Became {
    pub user_id: i64,
    pub certificate_id: i64,
    /// The lapsed certificate it superseded (再登録).
    pub replaced_certificate_id: Option<i64>,
}

/// An application to store.
pub(crate) struct NewApplication<'a> {
    pub id: &'a str,
    pub organization: &'a str,
    pub category: &'a str,
    pub company_id: i64,
    pub holder: &'a str,
    pub certificate: &'a Certificate,
    pub contact: &'a Contact,
    pub operator: &'a str,
    pub state: ApplicationState,
    pub applied_at: OffsetDateTime,
    /// Set for an application approved as it is made.
    pub became: Option<Became>,
}

pub(crate) async fn insert(
    conn: &mut SqliteConnection,
    application: &NewApplication<'_>,
) -> Result<(), sqlx::Error> {
    let facts = application.certificate.facts();
    let contact = application.contact;
    let applied_at = to_db(application.applied_at);
    sqlx::query(
        "INSERT INTO registration_applications (id, organization_id, category_id, company_id, holder, der,
             serial, issuer, fingerprint, not_before, not_after, contact_department, contact_name,
             contact_address, contact_phone, contact_email, operator, state, applied_at, decided_at, user_id,
             certificate_id, replaced_certificate_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
                 $21, $22, $23)",
    )
    .bind(application.id)
    .bind(application.organization)
    .bind(application.category)
    .bind(application.company_id)
    .bind(application.holder)
    .bind(application.certificate.der())
    .bind(&facts.serial)
    .bind(&facts.issuer)
    .bind(&facts.fingerprint_sha256)
    .bind(to_db(facts.not_before))
    .bind(to_db(facts.not_after))
    .bind(&contact.department)
    .bind(&contact.name)
    .bind(&contact.address)
    .bind(&contact.phone)
    .bind(&contact.email)
    .bind(application.operator)
    .bind(application.state.as_str())
    .bind(applied_at)
    .bind(application.became.map(|_| applied_at))
    .bind(application.became.map(|became| became.user_id))
    .bind(application.became.map(|became| became.certificate_id))
    .bind(application.became.and_then(|became| became.replaced_certificate_id))
    .execute(conn)
    .await?;
    Ok(())
}

/// An application as stored, with its company's 業者番号 and name for the administrator's list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct ApplicationRow {
    pub id: String,
    pub organization_id: String,
    pub category_id: String,
    pub company_id: i64,
    pub vendor_number: String,
    pub company_name: String,
    pub holder: String,
    pub der: Vec<u8>,
    pub serial: String,
    pub fingerprint: String,
    pub contact_department: String,
    pub contact_name: String,
    pub contact_address: String,
    pub contact_phone: String,
    pub contact_email: String,
    pub operator: String,
    state: String,
    pub applied_at: i64,
}

impl ApplicationRow {
    pub fn state(&self) -> anyhow::Result<ApplicationState> {
        ApplicationState::parse(&self.state)
    }

    pub fn contact(&self) -> Contact {
        Contact {
            department: self.contact_department.clone(),
            name: self.contact_name.clone(),
            address: self.contact_address.clone(),
            phone: self.contact_phone.clone(),
            email: self.contact_email.clone(),
        }
    }
}

const SELECT: &str = "SELECT a.id, a.organization_id, a.category_id, a.company_id, c.vendor_number,
        c.name AS company_name, a.holder, a.der, a.serial, a.fingerprint, a.contact_department, a.contact_name,
        a.contact_address, a.contact_phone, a.contact_email, a.operator, a.state, a.applied_at
    FROM registration_applications a JOIN companies c ON c.id = a.company_id";

pub(crate) async fn find(
    conn: &mut SqliteConnection,
    id: &str,
) -> Result<Option<ApplicationRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE a.id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Every pending application, oldest first.
pub(crate) async fn pending(
    conn: &mut SqliteConnection,
) -> Result<Vec<ApplicationRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE a.state = 'pending' ORDER BY a.applied_at, a.id"
    )))
    .fetch_all(conn)
    .await
}

/// Whether a card with this fingerprint waits for approval at this organization.
pub(crate) async fn card_pending(
    conn: &mut SqliteConnection,
    organization: &str,
    fingerprint: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM registration_applications
         WHERE organization_id = $1 AND fingerprint = $2 AND state = 'pending'",
    )
    .bind(organization)
    .bind(fingerprint)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// Decides a pending application: approved with what it became, or rejected. False when it was not pending.
pub(crate) async fn decide(
    conn: &mut SqliteConnection,
    id: &str,
    decided_at: OffsetDateTime,
    became: Option<Became>,
) -> Result<bool, sqlx::Error> {
    let state = match became {
        Some(_) => ApplicationState::Approved,
        None => ApplicationState::Rejected,
    };
    let done = sqlx::query(
        "UPDATE registration_applications
         SET state = $1, decided_at = $2, user_id = $3, certificate_id = $4, replaced_certificate_id = $5
         WHERE id = $6 AND state = 'pending'",
    )
    .bind(state.as_str())
    .bind(to_db(decided_at))
    .bind(became.map(|became| became.user_id))
    .bind(became.map(|became| became.certificate_id))
    .bind(became.and_then(|became| became.replaced_certificate_id))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
