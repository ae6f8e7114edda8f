//! The certificate revocation lists of the two CAs the demo server trusts: the demo root and the demo JPKI CA.

use std::fs;
use std::path::Path;

use rcgen::{
    CertificateRevocationList, CertificateRevocationListParams, Issuer, KeyIdMethod, KeyPair,
    RevocationReason, RevokedCertParams, SerialNumber,
};
use time::{Duration, OffsetDateTime};

use crate::{DemoCaError, DemoSet, DerPem, keys};

/// How long a CRL is current: a demo run within a month of generating (or re-issuing) meets a fresh CRL.
const LIFETIME: Duration = Duration::days(30);

/// How long before the demo set was generated the revoked card was revoked. Fixed relative to generation
/// so that a re-issued CRL states the same revocation as the first one.
const REVOKED_BEFORE_GENERATION: Duration = Duration::days(1);

/// A CRL of `ca` listing `revoked` (key compromise), current from `this_update` for [`LIFETIME`].
pub(crate) fn issue(
    ca: &Issuer<'_, KeyPair>,
    revoked: &[SerialNumber],
    generated_at: OffsetDateTime,
    this_update: OffsetDateTime,
) -> Result<CertificateRevocationList, rcgen::Error> {
    let params = CertificateRevocationListParams {
        this_update,
        next_update: this_update + LIFETIME,
        // The CRL number must grow with each CRL; seconds since the epoch do, without keeping a counter.
        crl_number: SerialNumber::from(this_update.unix_timestamp().unsigned_abs()),
        issuing_distribution_point: None,
        revoked_certs: revoked
            .iter()
            .map(|serial| RevokedCertParams {
                serial_number: serial.clone(),
                revocation_time: generated_at - REVOKED_BEFORE_GENERATION,
                reason_code: Some(RevocationReason::KeyCompromise),
                invalidity_date: None,
            })
            .collect(),
        key_identifier_method: KeyIdMethod::Sha256,
    };
    params.signed_by(ca)
}

impl DemoSet {
    /// Signs new CRLs of the demo root (listing the same revoked card) and of the demo JPKI CA (listing none),
    /// current from `this_update` for 30 days, and writes them over `DIR/ca/demo-root.crl.{der,pem}` and
    /// `DIR/ca/demo-jpki-root.crl.{der,pem}`: a demo run more than a month after generating the set then still
    /// meets current CRLs, and a test can make stale ones.
    pub fn reissue_crl(&self, this_update: OffsetDateTime) -> Result<(), DemoCaError> {
        let revoked: Vec<SerialNumber> = self
            .cards
            .iter()
            .filter(|card| card.revoked)
            .map(|card| SerialNumber::from_slice(card.signing_serial.as_bytes()))
            .collect();
        let ca = &self.ca;
        self.reissue_one(
            &ca.demo_root.der,
            &ca.demo_root_key,
            &ca.demo_root_crl,
            &revoked,
            this_update,
        )?;
        self.reissue_one(
            &ca.demo_jpki_root.der,
            &ca.demo_jpki_root_key,
            &ca.demo_jpki_root_crl,
            &[],
            this_update,
        )
    }

    /// One CA's new CRL, signed with the key saved beside its certificate.
    fn reissue_one(
        &self,
        certificate: &Path,
        key: &Path,
        crl_files: &DerPem,
        revoked: &[SerialNumber],
        this_update: OffsetDateTime,
    ) -> Result<(), DemoCaError> {
        let read = |path: &Path| fs::read(path).map_err(DemoCaError::io(path));
        let key = keys::rsa_from_pkcs8(&read(key)?)?;
        let issuer = Issuer::from_ca_cert_der(&read(certificate)?.into(), key)?;
        let crl = issue(&issuer, revoked, self.generated_at, this_update)?;
        crate::write_crl(crl_files, &crl)
    }
}
