//! How the store's CRLs are applied.

use webpki::{
    CertRevocationList, ExpirationPolicy, RevocationCheckDepth, RevocationOptions,
    RevocationOptionsBuilder, UnknownStatusPolicy,
};

/// The revocation options for `crls`, `None` when the store has none.
pub(crate) fn options<'a>(crls: &'a [&'a CertRevocationList<'a>]) -> Option<RevocationOptions<'a>> {
    let builder = RevocationOptionsBuilder::new(crls).ok()?;
    Some(
        builder
            // Every certificate of the path, intermediates too: a revoked sub-CA revokes its cards.
            .with_depth(RevocationCheckDepth::Chain)
            // A CA without a CRL in the store is not checked (the crate's revocation policy): the demo JPKI CA
            // publishes none, and which CRLs to load is the operator's choice.
            .with_status_policy(UnknownStatusPolicy::Allow)
            // webpki ignores nextUpdate unless told: a stale CRL must not vouch for anyone (fail closed).
            .with_expiration_policy(ExpirationPolicy::Enforce)
            .build(),
    )
}
