//! What the store checks about a CA certificate it is given, which webpki does not: that it is a CA at all
//! (basicConstraints cA=true), and its validity period, which webpki never reads from a trust anchor.

use rustls_pki_types::{CertificateDer, TrustAnchor};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::TrustError;

/// A CA certificate as the store keeps it: webpki's view (subject and key) with the CA's readable name and
/// its validity period.
#[derive(Debug)]
pub(crate) struct CaCertificate {
    /// Subject, key and name constraints, as webpki takes a trust anchor.
    pub anchor: TrustAnchor<'static>,
    /// The full SubjectPublicKeyInfo, the form webpki gives for an intermediate of a path.
    pub spki: Vec<u8>,
    /// `C=JP, O=..., CN=...`, for the operator's messages.
    pub name: String,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
}

impl CaCertificate {
    /// Reads `der` as a CA certificate: X.509 that webpki can take as an anchor, with basicConstraints cA=true.
    /// A card's certificate named as a CA by mistake is refused here, not trusted to issue cards.
    pub fn read(der: &[u8]) -> Result<Self, TrustError> {
        let bad = TrustError::BadCaCertificate;
        let (_, certificate) = x509_parser::parse_x509_certificate(der)
            .map_err(|error| bad(format!("not an X.509 certificate: {error}")))?;
        let name = certificate.subject().to_string();
        let is_ca = certificate
            .basic_constraints()
            .map_err(|error| bad(format!("{name}: unreadable basicConstraints: {error}")))?
            .is_some_and(|constraints| constraints.value.ca);
        if !is_ca {
            return Err(bad(format!(
                "{name} is not a CA certificate (its basicConstraints do not say cA=true)"
            )));
        }
        let anchor = webpki::anchor_from_trusted_cert(&CertificateDer::from(der))
            .map_err(|error| bad(format!("{name}: {error}")))?
            .to_owned();
        let spki = webpki::spki_for_anchor(&anchor).as_ref().to_vec();
        let validity = certificate.validity();
        Ok(Self {
            anchor,
            spki,
            name,
            not_before: validity.not_before.to_datetime(),
            not_after: validity.not_after.to_datetime(),
        })
    }

    /// Refuses a CA that has already expired at `now`: it could vouch for no card, so configuring it is a
    /// mistake the operator should hear about when the server starts.
    pub fn refuse_expired(self, now: OffsetDateTime) -> Result<Self, TrustError> {
        if self.expired_at(now) {
            return Err(TrustError::BadCaCertificate(format!(
                "{} expired on {}",
                self.name,
                rfc3339(self.not_after)
            )));
        }
        Ok(self)
    }

    /// After its notAfter, as webpki judges a certificate: notAfter itself is still valid.
    pub fn expired_at(&self, at: OffsetDateTime) -> bool {
        at > self.not_after
    }

    pub fn valid_at(&self, at: OffsetDateTime) -> bool {
        self.not_before <= at && !self.expired_at(at)
    }

    /// Whether this is the CA of `subject` (webpki's form, without the outer SEQUENCE) and `spki` (full): the
    /// same name with the same key.
    pub fn is(&self, subject: &[u8], spki: &[u8]) -> bool {
        self.anchor.subject.as_ref() == subject && self.spki == spki
    }
}

/// `2026-04-01T00:00:00Z`, for the operator's messages.
pub(crate) fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_else(|_| at.to_string())
}
