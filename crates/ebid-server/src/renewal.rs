//! ICカード更新's rules: what the current card must still be, and what the new card must be to replace it.
//! The same rules run at the proof (to list every violation on the confirmation screen) and again at the
//! commit, at the server's time then.

use anyhow::{Context as _, anyhow};
use ebid_cert::company_name::same_company;
use ebid_cert::holder_name::holder_equal;
use ebid_cert::{Certificate, Facts};
use ebid_protocol::{
    CertificateStatus, Company, CompanyKind, Refusal, RefusalCode, RenewalConfirmation,
};
use ebid_trust::{TrustError, TrustStore};
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use crate::db::Database;
use crate::db::registry::{self, CertificateRow, UserRow};
use crate::db::sessions::SessionRow;
use crate::error::ApiError;
use crate::proof::{current_card_refusal, trust_refusal};
use crate::views;

/// The registration a renewal changes: the session's organization, company, user and current certificate.
pub(crate) struct Registration {
    pub organization: String,
    pub company: Company,
    pub user: UserRow,
    pub current: CertificateRow,
    pub current_certificate: Certificate,
}

impl Registration {
    /// The registration, the trust verdicts and the rules the new card breaks, read and reached before the
    /// writer's job, on the request's own task and a reading connection: path validation is the costliest
    /// check of a renewal, and the writer's one connection should only write. What they judge cannot change
    /// meanwhile (a session's certificate is fixed at login, a renewal's new certificate at its proof;
    /// companies and users are not changed by this server), with two exceptions the commit guards in the
    /// statement that supersedes the current certificate: that certificate's status, and the new card being
    /// registered by another commit in between.
    pub async fn prepare(
        db: &Database,
        trust: &TrustStore,
        session: &SessionRow,
        new: &Certificate,
        now: OffsetDateTime,
    ) -> Result<Prepared, ApiError> {
        let mut conn = db.pool().acquire().await?;
        let registration = Self::load(&mut conn, session).await?;
        let verdicts = Verdicts {
            current: trust.validate(&registration.current.der, now).map(drop),
            new: trust.validate(new.der(), now).map(drop),
        };
        let violations = registration.violations(&mut conn, &verdicts, new).await;
        Ok(Prepared {
            registration,
            verdicts,
            violations,
        })
    }

    async fn load(conn: &mut SqliteConnection, session: &SessionRow) -> anyhow::Result<Self> {
        let user = views::user(conn, session.user_id).await?;
        let company = views::company(conn, user.company_id).await?;
        let current = registry::certificate(conn, session.certificate_id)
            .await?
            .ok_or_else(|| anyhow!("session {} names a missing certificate", session.id))?;
        let current_certificate = ebid_cert::parse_certificate(&current.der)
            .with_context(|| format!("stored certificate {}", current.id))?;
        Ok(Self {
            organization: session.organization_id.clone(),
            company,
            user,
            current,
            current_certificate,
        })
    }

    /// The card the user logged in with must still be the registered one, and valid at the server's time:
    /// an expired current card cannot authorize anything (新規登録 instead).
    pub fn check_current(&self, verdicts: &Verdicts) -> Result<(), ApiError> {
        if self.current.status()? != CertificateStatus::Active {
            return Err(RefusalCode::CurrentCardNotRegistered.into());
        }
        if let Err(error) = &verdicts.current {
            return Err(current_card_refusal(error).into());
        }
        Ok(())
    }

    /// Every rule the new card breaks, most telling first: trust, then company and holder (which say 変更
    /// instead, or that the card is not the company's), then already registered, then not newer. A
    /// certificate the trust store cannot read, or revocation data the server lacks or holds out of date,
    /// refuses outright instead.
    async fn violations(
        &self,
        conn: &mut SqliteConnection,
        verdicts: &Verdicts,
        new: &Certificate,
    ) -> Result<Vec<RefusalCode>, ApiError> {
        let mut found = Vec::new();
        if let Err(error) = &verdicts.new {
            match trust_refusal(error) {
                code @ (RefusalCode::BadCertificate
                | RefusalCode::ServerError
                | RefusalCode::RevocationUnavailable
                | RefusalCode::RevocationListOutOfDate) => {
                    return Err(code.into());
                }
                code => found.push(code),
            }
        }
        let facts = new.facts();
        if let Some(code) = company_violation(&self.company, named(&facts.company)) {
            found.push(code);
        }
        match named(&facts.holder) {
            None => found.push(RefusalCode::NewCardHolderMissing),
            Some(holder) if !holder_equal(&self.user.holder, holder) => {
                found.push(RefusalCode::HolderDiffers);
            }
            Some(_) => {}
        }
        // Anywhere at this organization, for anyone, in any state: the current card itself included.
        if registry::fingerprint_registered(conn, &self.organization, &facts.fingerprint_sha256)
            .await?
        {
            found.push(RefusalCode::NewCardAlreadyRegistered);
        }
        if facts.not_after <= self.current_facts().not_after {
            found.push(RefusalCode::NewCardNotNewer);
        }
        Ok(found)
    }

    /// 電子証明書更新確認: both columns, and the rules 【更新】 would break.
    pub fn confirmation(
        &self,
        renewal_id: String,
        new: &Facts,
        violations: &[RefusalCode],
    ) -> RenewalConfirmation {
        RenewalConfirmation {
            renewal_id,
            current: views::card_column(&self.company, self.current_facts()),
            new: views::card_column(&self.company, new),
            violations: violations.iter().copied().map(Refusal::from).collect(),
        }
    }

    pub fn current_facts(&self) -> &Facts {
        self.current_certificate.facts()
    }
}

/// What [`Registration::prepare`] read and judged, for the writer's job to act on.
pub(crate) struct Prepared {
    pub registration: Registration,
    pub verdicts: Verdicts,
    /// Every rule the new card breaks, most telling first; a refusal outright (an unreadable certificate,
    /// revocation data missing or out of date) as the error. The job reports either, audited.
    pub violations: Result<Vec<RefusalCode>, ApiError>,
}

/// The trust store's verdicts at the server's time on a session's current certificate and on a new one.
pub(crate) struct Verdicts {
    current: Result<(), TrustError>,
    new: Result<(), TrustError>,
}

/// How a card's company stands against the registered company, when it breaks the company rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CompanyMismatch {
    /// The card names another company.
    Other,
    /// The card names none, and the registration is a corporation's.
    Missing,
}

/// The company rule, for ICカード更新 and 新規登録 alike. The registration decides whether a card must name the
/// company, never the card: a corporation's card must name it (a personal card, such as a マイナンバーカード's,
/// cannot carry a corporate registration); a sole proprietor may use a personal card, which names no
/// company. A card that names a company names the registered one (compared as a clerk would).
pub(crate) fn company_mismatch(
    registered: &Company,
    card_company: Option<&str>,
) -> Option<CompanyMismatch> {
    match (card_company, registered.kind) {
        (Some(name), _) if !same_company(&registered.name, name) => Some(CompanyMismatch::Other),
        (None, CompanyKind::Corporate) => Some(CompanyMismatch::Missing),
        _ => None,
    }
}

/// The company rule's refusals for a new card of ICカード更新.
fn company_violation(registered: &Company, card_company: Option<&str>) -> Option<RefusalCode> {
    company_mismatch(registered, card_company).map(|mismatch| match mismatch {
        CompanyMismatch::Other => RefusalCode::CompanyDiffers,
        CompanyMismatch::Missing => RefusalCode::NewCardCompanyMissing,
    })
}

/// A name the certificate gives, unless it is blank (spaces alone name nobody); without surrounding spaces.
pub(crate) fn named(name: &Option<String>) -> Option<&str> {
    name.as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registered(kind: CompanyKind) -> Company {
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
    fn the_registration_decides_whether_the_card_must_name_the_company() {
        let corporate = registered(CompanyKind::Corporate);
        let sole = registered(CompanyKind::SoleProprietor);
        assert_eq!(
            company_violation(&corporate, None),
            Some(RefusalCode::NewCardCompanyMissing)
        );
        assert_eq!(company_violation(&sole, None), None);
        for kind in [&corporate, &sole] {
            assert_eq!(company_violation(kind, Some("(株)長崎土木")), None);
            assert_eq!(
                company_violation(kind, Some("株式会社佐世保建設")),
                Some(RefusalCode::CompanyDiffers)
            );
        }
        // Hidden characters do not make another company, nor a blank name a company at all.
        assert_eq!(
            company_violation(&corporate, Some("株式会社長崎\u{200B}土木")),
            None
        );
        let blank = Some("\u{3000} ".to_owned());
        assert_eq!(named(&blank), None);
    }
}
