//! 新規登録's rules, once the card has proven itself and passed the trust checks a login's card passes: the
//! company in the organization's list, the card the company's, the card new here, its holder not registered
//! with a card still valid; and what an accepted registration does (a new registered user, or 再登録 of the
//! holder whose card lapsed). Run inside the writer's transaction, by the route and by the administrator's
//! approval alike, so that what they read cannot change before they write.

use ebid_cert::Certificate;
use ebid_cert::company_name::same_company;
use ebid_cert::holder_name::holder_equal;
use ebid_protocol::{Company, Contact, RefusalCode};
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use crate::db::applications::{self, Became};
use crate::db::registry::{self, CertificateRow};
use crate::db::time::from_db;
use crate::error::ApiError;
use crate::renewal::{company_mismatch, named};

/// The company a registration is for, as the organization's list has it.
pub(crate) struct Listed {
    pub id: i64,
    pub company: Company,
}

/// The company with the typed 業者番号 in the organization's list, whose 商号又は名称 is the one typed, and
/// which the card names (a sole proprietor's card may name no company, a corporation's must).
pub(crate) async fn listed_company(
    conn: &mut SqliteConnection,
    organization: &str,
    vendor_number: &str,
    company_name: &str,
    card: &Certificate,
) -> Result<Listed, ApiError> {
    let (id, company) = registry::company_by_vendor_number(conn, organization, vendor_number)
        .await?
        .ok_or(RefusalCode::VendorNotFound)?;
    if !same_company(&company.name, company_name) {
        return Err(RefusalCode::CompanyNameMismatch.into());
    }
    if let Some(code) = card_company_violation(&company, named(&card.facts().company)) {
        return Err(code.into());
    }
    Ok(Listed { id, company })
}

/// 取得者氏名 from the card: a card that names nobody cannot be registered to anyone.
pub(crate) fn holder_of(card: &Certificate) -> Result<String, RefusalCode> {
    named(&card.facts().holder)
        .map(str::to_owned)
        .ok_or(RefusalCode::NewCardHolderMissing)
}

/// The card is neither registered at the organization (for anyone, active or superseded) nor waiting for
/// approval there.
pub(crate) async fn check_card_new(
    conn: &mut SqliteConnection,
    organization: &str,
    card: &Certificate,
) -> Result<(), ApiError> {
    let fingerprint = &card.facts().fingerprint_sha256;
    if registry::fingerprint_registered(conn, organization, fingerprint).await?
        || applications::card_pending(conn, organization, fingerprint).await?
    {
        return Err(RefusalCode::CardAlreadyRegistered.into());
    }
    Ok(())
}

/// Whom a registration registers: a new user, or the holder's registered user whose card lapsed (再登録).
pub(crate) enum Plan {
    NewUser,
    ReRegister {
        user_id: i64,
        lapsed: CertificateRow,
    },
}

impl Plan {
    /// The company's users in the category named as the card's holder: one whose active card is still valid
    /// at the server's time is registered already (ICカード更新 renews that card, not 新規登録); one whose
    /// active card has expired is registered again with the new card.
    pub async fn find(
        conn: &mut SqliteConnection,
        company_id: i64,
        category: &str,
        holder: &str,
        now: OffsetDateTime,
    ) -> Result<Self, ApiError> {
        let mut lapsed_user = None;
        for user in registry::users_of_company(conn, company_id, category).await? {
            if !holder_equal(&user.holder, holder) {
                continue;
            }
            let Some(active) = registry::active_certificate_of_user(conn, user.id).await? else {
                continue;
            };
            if from_db(active.not_after)? > now {
                return Err(RefusalCode::HolderAlreadyRegistered.into());
            }
            lapsed_user.get_or_insert((user.id, active));
        }
        Ok(match lapsed_user {
            Some((user_id, lapsed)) => Self::ReRegister { user_id, lapsed },
            None => Self::NewUser,
        })
    }

    /// The serial of the lapsed certificate a 再登録 supersedes.
    pub fn replaced_serial(&self) -> Option<String> {
        match self {
            Self::NewUser => None,
            Self::ReRegister { lapsed, .. } => Some(lapsed.serial.clone()),
        }
    }
}

/// A registration to make active: where, for whom, with which card and 連絡先.
pub(crate) struct Activation<'a> {
    pub organization: &'a str,
    pub category: &'a str,
    pub company_id: i64,
    pub holder: &'a str,
    pub card: &'a Certificate,
    pub contact: &'a Contact,
}

/// Makes the card the active certificate of the user `plan` names (a new one, or the lapsed holder's, whose
/// expired certificate is superseded and kept), with the 連絡先 given. Writes only; every rule has been
/// checked in the same transaction.
pub(crate) async fn activate(
    conn: &mut SqliteConnection,
    plan: Plan,
    activation: &Activation<'_>,
    now: OffsetDateTime,
) -> Result<Became, ApiError> {
    let fingerprint = &activation.card.facts().fingerprint_sha256;
    let (user_id, replaced_certificate_id) = match plan {
        Plan::NewUser => {
            let user_id = registry::insert_user(
                conn,
                activation.company_id,
                activation.organization,
                activation.category,
                activation.holder,
            )
            .await?;
            (user_id, None)
        }
        Plan::ReRegister { user_id, lapsed } => {
            // The card was checked new in this transaction: the guard of the statement cannot fail here.
            if !registry::supersede_for(conn, lapsed.id, activation.organization, fingerprint, now)
                .await?
            {
                return Err(anyhow::anyhow!(
                    "the lapsed certificate {} changed inside the registration's transaction",
                    lapsed.id
                )
                .into());
            }
            (user_id, Some(lapsed.id))
        }
    };
    registry::set_contact(conn, user_id, activation.contact).await?;
    let certificate_id =
        registry::insert_certificate(conn, user_id, activation.organization, activation.card, now)
            .await?;
    Ok(Became {
        user_id,
        certificate_id,
        replaced_certificate_id,
    })
}

/// The company rule of 新規登録 is ICカード更新's ([`company_mismatch`]); either way the card is not the
/// company's.
fn card_company_violation(listed: &Company, card_company: Option<&str>) -> Option<RefusalCode> {
    company_mismatch(listed, card_company).map(|_| RefusalCode::CardCompanyDiffers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ebid_protocol::CompanyKind;

    fn listed(kind: CompanyKind) -> Company {
        Company {
            vendor_number: "4210000123".into(),
            name: "株式会社長崎土木".into(),
            address: "長崎県長崎市尾上町3番1号".into(),
            representative: "長崎 太郎".into(),
            phone: "095-000-0123".into(),
            kind,
        }
    }

    #[test]
    fn a_corporation_needs_a_card_naming_it_a_sole_proprietor_does_not() {
        let corporate = listed(CompanyKind::Corporate);
        let sole = listed(CompanyKind::SoleProprietor);
        assert_eq!(
            card_company_violation(&corporate, None),
            Some(RefusalCode::CardCompanyDiffers)
        );
        assert_eq!(card_company_violation(&sole, None), None);
        for company in [&corporate, &sole] {
            assert_eq!(
                card_company_violation(company, Some("株式会社 長崎土木")),
                None
            );
            assert_eq!(
                card_company_violation(company, Some("有限会社佐世保建設")),
                Some(RefusalCode::CardCompanyDiffers)
            );
        }
    }
}
