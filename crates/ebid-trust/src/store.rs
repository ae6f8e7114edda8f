//! The CAs the organization trusts, the intermediates and CRLs it keeps, and the validation of a card's
//! certificate against them.

use rustls_pki_types::{CertificateDer, TrustAnchor};
use time::OffsetDateTime;
use webpki::{EndEntityCert, RevocationOptions, UnknownStatusPolicy, VerifiedPath};

use crate::anchors::Anchors;
use crate::ca::{CaCertificate, rfc3339};
use crate::clock::unix_time;
use crate::crls::{CrlFile, CrlSnapshot, Crls};
use crate::usage::{DeferredEku, key_usage_allows_signing};
use crate::{TrustError, ValidatedCertificate, names, read, revocation};

/// Trust anchors (CA certificates), intermediates, the CAs exempted from the revocation check, and CRLs:
/// built once when the server starts and shared by every request (it is `Sync`; the CRLs inside are re-read
/// when their files change, see the crate's revocation policy).
#[derive(Debug)]
pub struct TrustStore {
    anchors: Anchors,
    /// The operator's intermediates, offered to every path; the same certificates read as CAs, for messages.
    intermediates: Vec<CertificateDer<'static>>,
    intermediate_cas: Vec<CaCertificate>,
    /// CAs whose certificates need no CRL: the operator's explicit exemptions.
    unchecked: Vec<CaCertificate>,
    crls: Crls,
}

/// [`TrustStore::validate`]'s intermediates from the card: none.
const NO_INTERMEDIATES: &[&[u8]] = &[];

impl TrustStore {
    /// A store trusting the CAs `ca_certificates_der` (DER), with the CRLs `crls_der` (DER) of any of them or
    /// of intermediates, held in memory (never re-read). Refused: no CA at all; a CA certificate that is not
    /// a CA (basicConstraints cA=true), has expired at `now` or that webpki cannot take as an anchor; an
    /// unreadable CRL; two CRLs of the same CA and scope (webpki would consult whichever comes first, so a
    /// stale one could hide a fresh one). A CRL already past its nextUpdate is accepted, and logged: it
    /// refuses its CA's cards until a current one is in place.
    pub fn new(
        ca_certificates_der: Vec<Vec<u8>>,
        crls_der: Vec<Vec<u8>>,
        now: OffsetDateTime,
    ) -> Result<Self, TrustError> {
        let crls = CrlFile::in_memory(&crls_der)?;
        Self::build(ca_certificates_der, Vec::new(), Vec::new(), vec![crls], now)
    }

    /// The store of [`TrustStore::new`] and [`TrustStore::load`]: intermediates are checked as the CAs are
    /// (a CA, not expired at `now`); exempted CAs only need to be CA certificates.
    pub(crate) fn build(
        ca_certificates_der: Vec<Vec<u8>>,
        intermediates_der: Vec<Vec<u8>>,
        unchecked_der: Vec<Vec<u8>>,
        crl_files: Vec<CrlFile>,
        now: OffsetDateTime,
    ) -> Result<Self, TrustError> {
        if ca_certificates_der.is_empty() {
            return Err(TrustError::NoCaCertificate);
        }
        let current_cas = |ders: &[Vec<u8>]| {
            ders.iter()
                .map(|der| CaCertificate::read(der)?.refuse_expired(now))
                .collect::<Result<Vec<_>, _>>()
        };
        let anchors = current_cas(&ca_certificates_der)?;
        let intermediate_cas = current_cas(&intermediates_der)?;
        let unchecked = unchecked_der
            .iter()
            .map(|der| CaCertificate::read(der))
            .collect::<Result<Vec<_>, _>>()?;
        let crls = CrlSnapshot::new(crl_files)?;

        for ca in anchors.iter().chain(&intermediate_cas) {
            if now < ca.not_before {
                tracing::warn!(
                    ca = %ca.name,
                    not_before = %rfc3339(ca.not_before),
                    "this CA is not valid yet: its cards are refused until then"
                );
            }
        }
        for crl in crls.crls().filter(|crl| crl.out_of_date_at(now)) {
            tracing::warn!(
                issuer = %crl.issuer,
                next_update = %rfc3339(crl.next_update),
                "this CRL is past its nextUpdate: its CA's cards are refused until a current one is in place"
            );
        }
        Ok(Self {
            anchors: Anchors::new(anchors),
            intermediates: intermediates_der
                .into_iter()
                .map(CertificateDer::from)
                .collect(),
            intermediate_cas,
            unchecked,
            crls: Crls::new(crls),
        })
    }

    /// The trusted CAs and intermediates (by subject) of which the store holds no CRL and which the operator
    /// has not exempted: their cards are refused (fail closed). The server names them when it starts, so
    /// that the operator adds the CRL or the exemption.
    pub fn cas_without_crl(&self) -> Vec<String> {
        let crls = self.crls.snapshot();
        self.anchors
            .cas()
            .iter()
            .chain(&self.intermediate_cas)
            .filter(|ca| {
                let subject = ca.anchor.subject.as_ref();
                !crls.crls().any(|crl| crl.webpki.issuer() == subject)
                    && !self.is_unchecked(subject, &ca.spki)
            })
            .map(|ca| ca.name.clone())
            .collect()
    }

    /// The CAs (by subject) whose cards are accepted without a revocation check when the store has no CRL of
    /// theirs, as the operator decided. The server says so when it starts.
    pub fn cas_without_revocation_check(&self) -> Vec<String> {
        self.unchecked.iter().map(|ca| ca.name.clone()).collect()
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
    /// through the store's intermediates or `intermediates_der` (DER, e.g. sent by the client; in any order,
    /// unused ones ignored). The intermediates are checked as the certificate is: validity, revocation and
    /// usage.
    pub fn validate_with_intermediates(
        &self,
        certificate_der: &[u8],
        intermediates_der: &[impl AsRef<[u8]>],
        now: OffsetDateTime,
    ) -> Result<ValidatedCertificate, TrustError> {
        let certificate = read::certificate(certificate_der)?;
        let der = CertificateDer::from(certificate.der());
        let end_entity = read::end_entity(&der)?;
        let intermediates: Vec<CertificateDer<'_>> = self
            .intermediates
            .iter()
            .map(|der| CertificateDer::from(der.as_ref()))
            .chain(
                intermediates_der
                    .iter()
                    .map(|der| CertificateDer::from(der.as_ref())),
            )
            .collect();
        let anchors = self.anchors.usable_at(now);
        let crls = self.crls.current(now);
        let claimed_valid = certificate.facts().not_before;

        let usage = DeferredEku::default();
        let verdict =
            match self.check_path(&end_entity, &intermediates, &anchors, &crls, now, &usage) {
                // webpki judges the validity period before it looks for the issuer. Dates no trusted CA vouches
                // for are not what the user should hear: look for the chain alone, at a moment the certificate
                // claims to be valid, and name an unknown issuer first.
                Err(error @ (TrustError::Expired | TrustError::NotYetValid)) => self
                    .chains(&end_entity, &intermediates, &anchors, claimed_valid)
                    .and(Err(error)),
                verdict => verdict,
            };
        if let Err(TrustError::UntrustedIssuer) = verdict {
            return Err(self
                .expired_issuer(&end_entity, &intermediates, claimed_valid, now)
                .unwrap_or(TrustError::UntrustedIssuer));
        }
        verdict?;
        if usage.refused() || !key_usage_allows_signing(certificate.facts()) {
            return Err(TrustError::NoSigningKeyUsage);
        }
        Ok(ValidatedCertificate::new(certificate))
    }

    /// Chain, validity and revocation at `now`. webpki checks every certificate of the path against a CRL that
    /// covers it and refuses one that none covers; only then does the store look at the path itself, to
    /// accept certificates whose CA the operator exempted (webpki has no per-CA exemption).
    fn check_path(
        &self,
        end_entity: &EndEntityCert<'_>,
        intermediates: &[CertificateDer<'_>],
        anchors: &[TrustAnchor<'_>],
        crls: &CrlSnapshot,
        now: OffsetDateTime,
        usage: &DeferredEku,
    ) -> Result<(), TrustError> {
        let list = crls.webpki();
        let exempted = |path: &VerifiedPath<'_>| self.exempted_where_uncovered(path, crls);
        let strict = revocation::options(&list, UnknownStatusPolicy::Deny);
        let verdict = match strict {
            Some(strict) => self.verify_path(
                end_entity,
                intermediates,
                anchors,
                now,
                usage,
                Some(strict),
                |_| Ok(()),
            ),
            // No CRL at all: every CA of the path must be exempted.
            None => self.verify_path(
                end_entity,
                intermediates,
                anchors,
                now,
                usage,
                None,
                exempted,
            ),
        };
        let verdict = match verdict {
            Err(webpki::Error::UnknownRevocationStatus) => {
                let lenient = revocation::options(&list, UnknownStatusPolicy::Allow);
                self.verify_path(
                    end_entity,
                    intermediates,
                    anchors,
                    now,
                    usage,
                    lenient,
                    exempted,
                )
            }
            verdict => verdict,
        };
        match verdict {
            Ok(exemptions) => exemptions,
            Err(webpki::Error::CrlExpired { .. }) => {
                Err(TrustError::CrlOutOfDate(crls.out_of_date(now)))
            }
            Err(error) => Err(TrustError::from_webpki(error)),
        }
    }

    /// Every CA of the path that issued a certificate of it is covered by a CRL of the store or exempted
    /// by the operator; else the first one that is neither, for the operator's log.
    fn exempted_where_uncovered(
        &self,
        path: &VerifiedPath<'_>,
        crls: &CrlSnapshot,
    ) -> Result<(), TrustError> {
        let uncovered = |subject: &[u8], spki: &[u8]| {
            !crls.covers(subject) && !self.is_unchecked(subject, spki)
        };
        for issuer in path.intermediate_certificates() {
            let spki = issuer.subject_public_key_info();
            if uncovered(issuer.subject(), spki.as_ref()) {
                let name = names::certificate_subject(issuer.der().as_ref())
                    .unwrap_or_else(|| "an intermediate CA".into());
                return Err(unavailable(&name));
            }
        }
        let anchor = path.anchor();
        let spki = webpki::spki_for_anchor(anchor);
        if uncovered(anchor.subject.as_ref(), spki.as_ref()) {
            let name = self
                .anchors
                .find(anchor)
                .map_or("a trusted CA", |ca| ca.name.as_str());
            return Err(unavailable(name));
        }
        Ok(())
    }

    fn is_unchecked(&self, subject: &[u8], spki: &[u8]) -> bool {
        self.unchecked.iter().any(|ca| ca.is(subject, spki))
    }

    /// Whether the certificate chains to a usable anchor at `at`, with no revocation or usage check.
    fn chains(
        &self,
        end_entity: &EndEntityCert<'_>,
        intermediates: &[CertificateDer<'_>],
        anchors: &[TrustAnchor<'_>],
        at: OffsetDateTime,
    ) -> Result<(), TrustError> {
        self.verify_path(
            end_entity,
            intermediates,
            anchors,
            at,
            &DeferredEku::default(),
            None,
            |_| (),
        )
        .map_err(TrustError::from_webpki)
    }

    /// A certificate that chains to no usable anchor may chain to one that has expired at `now`: then it is
    /// refused for that, by name, rather than as from an unknown CA.
    fn expired_issuer(
        &self,
        end_entity: &EndEntityCert<'_>,
        intermediates: &[CertificateDer<'_>],
        claimed_valid: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Option<TrustError> {
        let expired = self.anchors.expired_at(now);
        if expired.is_empty() {
            return None;
        }
        let usage = DeferredEku::default();
        let ca = self
            .verify_path(
                end_entity,
                intermediates,
                &expired,
                claimed_valid,
                &usage,
                None,
                |path| self.anchors.find(path.anchor()),
            )
            .ok()??;
        Some(TrustError::IssuerExpired(format!(
            "{} expired on {}",
            ca.name,
            rfc3339(ca.not_after)
        )))
    }

    /// One path validation by webpki at `at`, and what `inspect` reads from the path it found. Every
    /// signature algorithm webpki offers with aws-lc-rs is accepted for CA signatures: all are sound, and the CAs,
    /// not the server, choose.
    #[allow(clippy::too_many_arguments)]
    fn verify_path<R>(
        &self,
        end_entity: &EndEntityCert<'_>,
        intermediates: &[CertificateDer<'_>],
        anchors: &[TrustAnchor<'_>],
        at: OffsetDateTime,
        usage: &DeferredEku,
        revocation: Option<RevocationOptions<'_>>,
        inspect: impl FnOnce(&VerifiedPath<'_>) -> R,
    ) -> Result<R, webpki::Error> {
        end_entity
            .verify_for_usage(
                webpki::ALL_VERIFICATION_ALGS,
                anchors,
                intermediates,
                unix_time(at),
                usage,
                revocation,
                None,
            )
            .map(|path| inspect(&path))
    }
}

fn unavailable(ca: &str) -> TrustError {
    TrustError::RevocationUnavailable(format!(
        "{ca} has no CRL in the store and is not exempted from the revocation check"
    ))
}
