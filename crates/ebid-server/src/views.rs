//! The protocol's views of stored rows: 利用者登録メニュー, 登録者情報, and the columns of 電子証明書更新確認.

use anyhow::{Context as _, anyhow};
use ebid_cert::Facts;
use ebid_protocol::{
    CardColumn, CertificateEntry, Company, Menu, MenuItem, RegisteredUser, RegisteredUserListing,
    RegistrationInfo,
};
use sqlx::SqliteConnection;

use crate::db::registry::{self, CertificateRow, UserRow};
use crate::db::sessions::SessionRow;
use crate::db::time::from_db;

/// 【登録】 【変更】 【ICカード更新】, in the manual's order.
const MENU_ITEMS: [MenuItem; 3] = [MenuItem::Register, MenuItem::Change, MenuItem::Renew];

/// 利用者登録メニュー for the session's user.
pub(crate) async fn menu(
    conn: &mut SqliteConnection,
    session: &SessionRow,
) -> anyhow::Result<Menu> {
    let user = user(conn, session.user_id).await?;
    let certificate = registry::certificate(conn, session.certificate_id)
        .await?
        .ok_or_else(|| anyhow!("session {} names a missing certificate", session.id))?;
    Ok(Menu {
        organization: session.organization_id.clone(),
        category: session.category_id.clone(),
        company: company(conn, user.company_id).await?,
        user: RegisteredUser {
            id: user.id,
            holder: user.holder,
            certificate: certificate_entry(&certificate)?,
            contact: registry::contact(conn, user.id).await?,
        },
        items: MENU_ITEMS.to_vec(),
    })
}

/// 登録者情報: 業者概要, and 登録利用者一覧 of the session's category with every certificate, newest first, and
/// each user's 連絡先.
pub(crate) async fn registration(
    conn: &mut SqliteConnection,
    session: &SessionRow,
) -> anyhow::Result<RegistrationInfo> {
    let user = user(conn, session.user_id).await?;
    let company = company(conn, user.company_id).await?;
    let mut users = Vec::new();
    for user in registry::users_of_company(conn, user.company_id, &session.category_id).await? {
        let certificates = registry::certificates_of_user(conn, user.id)
            .await?
            .iter()
            .map(certificate_entry)
            .collect::<anyhow::Result<_>>()?;
        users.push(RegisteredUserListing {
            id: user.id,
            holder: user.holder,
            certificates,
            contact: registry::contact(conn, user.id).await?,
        });
    }
    Ok(RegistrationInfo {
        organization: session.organization_id.clone(),
        company,
        users,
    })
}

/// One line of a certificate list. The dates come from the certificate itself, 証明書有効期限 in JST as
/// `ebid-cert` writes it for every screen.
pub(crate) fn certificate_entry(row: &CertificateRow) -> anyhow::Result<CertificateEntry> {
    let certificate = ebid_cert::parse_certificate(&row.der)
        .with_context(|| format!("stored certificate {}", row.id))?;
    let facts = certificate.facts();
    Ok(CertificateEntry {
        serial: row.serial.clone(),
        issuer: row.issuer.clone(),
        not_after: facts.not_after,
        not_after_jst: facts.not_after_jst(),
        status: row.status()?,
        registered_at: from_db(row.registered_at)?,
    })
}

/// A column of 電子証明書更新確認: 企業名称/企業住所 from the registration, the ICカード… fields from the card.
pub(crate) fn card_column(company: &Company, facts: &Facts) -> CardColumn {
    CardColumn {
        company_name: company.name.clone(),
        company_address: company.address.clone(),
        card_company: facts.company.clone(),
        card_holder: facts.holder.clone(),
        card_address: facts.address.clone(),
        serial: facts.serial.clone(),
        issuer: facts.issuer.clone(),
        not_after: facts.not_after,
        not_after_jst: facts.not_after_jst(),
    }
}

pub(crate) async fn user(conn: &mut SqliteConnection, id: i64) -> anyhow::Result<UserRow> {
    registry::user(conn, id)
        .await?
        .ok_or_else(|| anyhow!("registered user {id} is missing"))
}

pub(crate) async fn company(conn: &mut SqliteConnection, id: i64) -> anyhow::Result<Company> {
    registry::company(conn, id)
        .await?
        .ok_or_else(|| anyhow!("company {id} is missing"))
}
