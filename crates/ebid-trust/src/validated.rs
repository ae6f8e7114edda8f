//! A certificate that passed [`crate::TrustStore::validate`], with the facts the server needs next.

use ebid_cert::{Certificate, Facts};

/// A card certificate the server may rely on at the time it was validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatedCertificate {
    certificate: Certificate,
}

impl ValidatedCertificate {
    pub(crate) fn new(certificate: Certificate) -> Self {
        Self { certificate }
    }

    /// Exactly the certificate's DER, without padding or PEM armour: what the server stores and compares.
    pub fn der(&self) -> &[u8] {
        self.certificate.der()
    }

    /// Company, holder, address, serial, issuer, validity, SHA-256 fingerprint and key usage.
    pub fn facts(&self) -> &Facts {
        self.certificate.facts()
    }
}
