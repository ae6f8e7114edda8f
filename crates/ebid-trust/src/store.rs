//! The CAs the organization trusts and their CRLs, and the validation of a card's certificate against them.

use rustls_pki_types::{CertificateDer, TrustAnchor};
use time::OffsetDateTime;
use webpki::{CertRevocationList, EndEntityCert, OwnedCertRevocationList, RevocationOptions};

use crate::clock::unix_time;
use crate::usage::{DeferredEku, key_usage_allows_signing};
use crate::{TrustError, ValidatedCertificate, names, read, revocation};

/// Trust anchors (CA certificates) and CRLs, owned: built once when the server starts, shared by every request.
#[derive(Debug)]
pub struct TrustStore {
    anchors: Vec<TrustAnchor<'static>>,
    crls: Vec<CertRevocationList<'static>>,
    cas_without_crl: Vec<String>,
}

/// [`TrustStore::validate`]'s intermediates: none.
const NO_INTERMEDIATES: &[&[u8]] = &[];

impl TrustStore {
    /// A store trusting the CAs `ca_certificates_der` (DER), with the CRLs `crls_der` (DER) of any of them
    /// or of intermediates. Refused: no CA at all, a CA certificate webpki cannot take as an anchor, an
    /// unreadable CRL, and two CRLs of the same CA and scope (webpki would consult whichever comes first, so
    /// a stale one could hide a fresh one).
    pub fn new(
        ca_certificates_der: Vec<Vec<u8>>,
        crls_der: Vec<Vec<u8>>,
    ) -> Result<Self, TrustError> {
        if ca_certificates_der.is_empty() {
            return Err(TrustError::NoCaCertificate);
        }
        let mut anchors = Vec::with_capacity(ca_certificates_der.len());
        let mut ca_names = Vec::with_capacity(ca_certificates_der.len());
        for der in &ca_certificates_der {
            let certificate = CertificateDer::from(der.as_slice());
            let anchor = webpki::anchor_from_trusted_cert(&certificate)
                .map_err(|error| TrustError::BadCaCertificate(error.to_string()))?;
            anchors.push(anchor.to_owned());
            ca_names.push(names::certificate_subject(der).ok_or_else(|| {
                TrustError::BadCaCertificate("x509-parser cannot read its subject".into())
            })?);
        }
        let crls = crls_der
            .iter()
            .map(|der| {
                OwnedCertRevocationList::from_der(der)
                    .map(CertRevocationList::from)
                    .map_err(|error| TrustError::CrlUnusable(error.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        refuse_rival_crls(&crls, &crls_der)?;
        let cas_without_crl = anchors
            .iter()
            .zip(ca_names)
            .filter(|(anchor, _)| {
                !crls
                    .iter()
                    .any(|crl| crl.issuer() == anchor.subject.as_ref())
            })
            .map(|(_, name)| name)
            .collect();
        Ok(Self {
            anchors,
            crls,
            cas_without_crl,
        })
    }

    /// The trusted CAs (by subject) for which the store holds no CRL: their certificates are accepted without
    /// a revocation check. The server says so when it starts, so that a missing CRL is a decision, not an
    /// oversight.
    pub fn cas_without_crl(&self) -> &[String] {
        &self.cas_without_crl
    }

    /// Whether the certificate a card presents (DER, or PEM; padding after it ignored) may be relied on at the
    /// server's `now`: see the crate documentation for the checks and their order.
    pub fn validate(
        &self,
        certificate_der: &[u8],
        now: OffsetDateTime,
    ) -> Result<ValidatedCertificate, TrustError> {
        self.validate_with_intermediates(certificate_der, NO_INTERMEDIATES, now)
    }

    /// [`TrustStore::validate`] for a certificate whose CA is not itself trusted but chains to a trusted CA
    /// through `intermediates_der` (DER; in any order, unused ones ignored). The intermediates are checked as
    /// the certificate is: validity, revocation (when the store has their issuer's CRL) and usage.
    pub fn validate_with_intermediates(
        &self,
        certificate_der: &[u8],
        intermediates_der: &[impl AsRef<[u8]>],
        now: OffsetDateTime,
    ) -> Result<ValidatedCertificate, TrustError> {
        let certificate = read::certificate(certificate_der)?;
        let der = CertificateDer::from(certificate.der());
        let end_entity = read::end_entity(&der)?;
        let intermediates: Vec<CertificateDer<'_>> = intermediates_der
            .iter()
            .map(|der| CertificateDer::from(der.as_ref()))
            .collect();
        let crls: Vec<&CertRevocationList<'_>> = self.crls.iter().collect();

        let usage = DeferredEku::default();
        let verdict = self.verify_path(
            &end_entity,
            &intermediates,
            now,
            &usage,
            revocation::options(&crls),
        );
        if let Err(error @ (TrustError::Expired | TrustError::NotYetValid)) = verdict {
            // webpki judges the validity period before it looks for the issuer. Dates no trusted CA vouches
            // for are not what the user should hear: look for the chain alone, at a moment the certificate
            // claims to be valid, and name an unknown issuer first.
            let claimed_valid = certificate.facts().not_before;
            let chain_only = DeferredEku::default();
            self.verify_path(
                &end_entity,
                &intermediates,
                claimed_valid,
                &chain_only,
                None,
            )?;
            return Err(error);
        }
        verdict?;
        if usage.refused() || !key_usage_allows_signing(certificate.facts()) {
            return Err(TrustError::NoSigningKeyUsage);
        }
        Ok(ValidatedCertificate::new(certificate))
    }

    /// One path validation by webpki at `at`. Every signature algorithm webpki offers with ring is accepted
    /// for CA signatures: all are sound, and the CAs, not the server, choose.
    fn verify_path(
        &self,
        end_entity: &EndEntityCert<'_>,
        intermediates: &[CertificateDer<'_>],
        at: OffsetDateTime,
        usage: &DeferredEku,
        revocation: Option<RevocationOptions<'_>>,
    ) -> Result<(), TrustError> {
        end_entity
            .verify_for_usage(
                webpki::ALL_VERIFICATION_ALGS,
                &self.anchors,
                intermediates,
                unix_time(at),
                usage,
                revocation,
                None,
            )
            .map(drop)
            .map_err(TrustError::from_webpki)
    }
}

/// Refuses two CRLs that webpki would both take as authoritative for the same certificates: same issuer, same
/// issuing distribution point (none, usually).
fn refuse_rival_crls(crls: &[CertRevocationList<'_>], ders: &[Vec<u8>]) -> Result<(), TrustError> {
    for (index, crl) in crls.iter().enumerate() {
        let rival = crls[..index].iter().any(|earlier| {
            earlier.issuer() == crl.issuer()
                && earlier.issuing_distribution_point() == crl.issuing_distribution_point()
        });
        if rival {
            let issuer = ders
                .get(index)
                .and_then(|der| names::crl_issuer(der))
                .unwrap_or_else(|| "one CA".into());
            return Err(TrustError::CrlUnusable(format!(
                "two CRLs of {issuer}; keep only the newest"
            )));
        }
    }
    Ok(())
}
