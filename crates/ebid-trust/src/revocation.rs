//! How the store's CRLs are applied by webpki.

use webpki::{
    CertRevocationList, ExpirationPolicy, RevocationCheckDepth, RevocationOptions,
    RevocationOptionsBuilder, UnknownStatusPolicy,
};

/// The revocation options for `crls`, `None` when the store has none. `unknown` says what webpki does with a
/// certificate no CRL covers: `Deny` for the usual check, `Allow` when the store then looks for itself which
/// CA lacked a CRL and whether the operator exempted it (webpki cannot exempt one CA).
pub(crate) fn options<'a>(
    crls: &'a [&'a CertRevocationList<'a>],
    unknown: UnknownStatusPolicy,
) -> Option<RevocationOptions<'a>> {
    let builder = RevocationOptionsBuilder::new(crls).ok()?;
    Some(
        builder
            // Every certificate of the path, intermediates too: a revoked sub-CA revokes its cards.
            .with_depth(RevocationCheckDepth::Chain)
            .with_status_policy(unknown)
            // webpki ignores nextUpdate unless told: a stale CRL must not vouch for anyone (fail closed).
            .with_expiration_policy(ExpirationPolicy::Enforce)
            .build(),
    )
}
