//! Registering many users of one company at once, with the certificates they log in with: the seed of load
//! runs, whose synthetic users (`ebid_democa::DemoSet::issue_load_pairs`) need no demo card files.

use anyhow::{Context as _, bail};
use ebid_protocol::Company;

use crate::db::{Database, organizations, registry};

/// Registers `company` at `organization` with, in `category`, one user for each `(holder, certificate DER)`
/// of `users`, that certificate being the user's active one, registered as of its notBefore (as a seed file's
/// users are). All in one transaction: on any failure (an unknown category, a company already registered there
/// under its vendor number, an unreadable certificate, a certificate registered at the organization already)
/// nothing is written.
pub async fn seed_registrations(
    db: &Database,
    organization: &str,
    category: &str,
    company: &Company,
    users: &[(&str, &[u8])],
) -> anyhow::Result<()> {
    let mut tx = db.begin_write().await?;
    if !organizations::category_exists(&mut tx, organization, category).await? {
        bail!("no category {category:?} at organization {organization:?}");
    }
    let company_id = registry::insert_company(&mut tx, organization, company)
        .await
        .with_context(|| format!("registering {} at {organization}", company.name))?;
    for &(holder, der) in users {
        let certificate = ebid_cert::parse_certificate(der)
            .with_context(|| format!("the certificate of {holder}"))?;
        let user_id =
            registry::insert_user(&mut tx, company_id, organization, category, holder).await?;
        let registered_at = certificate.facts().not_before;
        registry::insert_certificate(&mut tx, user_id, organization, &certificate, registered_at)
            .await
            .with_context(|| format!("registering the certificate of {holder}"))?;
    }
    tx.commit().await?;
    Ok(())
}
