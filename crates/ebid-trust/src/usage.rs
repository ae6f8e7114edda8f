//! What the certificate's key may be used for: the card signs the server's challenge to log in.

use std::cell::Cell;

use ebid_cert::Facts;
use webpki::{ExtendedKeyUsageValidator, KeyPurposeIdIter, KeyUsage};

/// webpki's clientAuth policy (an extendedKeyUsage, where present, must list clientAuth; without the extension,
/// as on the demo certificates, every purpose is allowed), judged but not enforced
/// during path building: webpki checks it before the issuer and the CRL, and a revoked or unknown-issuer
/// certificate must be refused as such (see the crate's order of checks), so the verdict is kept for the
/// usage step.
///
/// When webpki tries several paths, a refusal met on an abandoned one is kept too: that can only refuse,
/// never accept, and needs two candidate intermediates of one name, which no card chain has.
#[derive(Debug, Default)]
pub(crate) struct DeferredEku {
    refused: Cell<bool>,
}

impl DeferredEku {
    /// Whether a certificate of the path has an extendedKeyUsage without clientAuth.
    pub fn refused(&self) -> bool {
        self.refused.get()
    }
}

impl ExtendedKeyUsageValidator for DeferredEku {
    fn validate(&self, purposes: KeyPurposeIdIter<'_, '_>) -> Result<(), webpki::Error> {
        match KeyUsage::client_auth().validate(purposes) {
            Err(webpki::Error::RequiredEkuNotFoundContext(_)) => {
                self.refused.set(true);
                Ok(())
            }
            // A malformed extension is no verdict on the purpose: the certificate is unreadable.
            verdict => verdict,
        }
    }
}

/// Whether keyUsage lets the key sign: digitalSignature or nonRepudiation (contentCommitment), the bits the
/// accredited CAs and JPKI set on signing certificates. Without keyUsage nothing is restricted (RFC 5280
/// §4.2.1.3 leaves the extension optional).
pub(crate) fn key_usage_allows_signing(facts: &Facts) -> bool {
    facts
        .key_usage
        .is_none_or(|usage| usage.digital_signature || usage.non_repudiation)
}
