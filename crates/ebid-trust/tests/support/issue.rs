//! Certificates, CAs and CRLs made for a test: cards issued by the demo root's own key (or a forger's), sub-CAs
//! and CRLs, with rcgen.

use ebid_trust::TrustStore;
use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationList,
    CertificateRevocationListParams, CertifiedIssuer, DistinguishedName, DnType, IsCa, Issuer,
    KeyIdMethod, KeyPair, KeyUsagePurpose, PKCS_RSA_SHA256, RevocationReason, RevokedCertParams,
    SerialNumber,
};
use rustls_pki_types::PrivatePkcs8KeyDer;
use time::{Duration, OffsetDateTime};

use super::{demo, now, read, signing_slot, spec};

/// The demo root, able to sign: its certificate and the private key the demo set keeps beside it.
pub fn demo_root() -> Issuer<'static, KeyPair> {
    let key = read(&demo().ca.demo_root_key);
    let key = KeyPair::from_pkcs8_der_and_sign_algo(
        &PrivatePkcs8KeyDer::from(key.as_slice()),
        &PKCS_RSA_SHA256,
    )
    .expect("demo root key");
    Issuer::from_ca_cert_der(&read(&demo().ca.demo_root.der).into(), key)
        .expect("demo root certificate")
}

/// Another RSA key (the `untrusted` card's) writing the demo root's name as issuer: what a forger would do.
pub fn demo_root_impostor() -> Issuer<'static, KeyPair> {
    let key = signing_slot(&spec("untrusted")).private_key_pkcs8.clone();
    let key = KeyPair::from_pkcs8_der_and_sign_algo(
        &PrivatePkcs8KeyDer::from(key.as_slice()),
        &PKCS_RSA_SHA256,
    )
    .expect("card key");
    Issuer::from_ca_cert_der(&read(&demo().ca.demo_root.der).into(), key)
        .expect("demo root certificate")
}

/// A forger with a P-256 key: an ECDSA signature the demo root's RSA key cannot have made.
pub fn demo_root_ec_impostor() -> Issuer<'static, KeyPair> {
    Issuer::from_ca_cert_der(
        &read(&demo().ca.demo_root.der).into(),
        KeyPair::generate().expect("key"),
    )
    .expect("demo root certificate")
}

/// A card certificate like the demo set's: valid from yesterday for a year, signing usage, no EKU.
pub fn card_params(serial: u8) -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(DnType::CountryName, "JP");
    name.push(DnType::OrganizationName, "株式会社長崎土木");
    name.push(DnType::CommonName, "長崎 太郎");
    params.distinguished_name = name;
    params.serial_number = Some(SerialNumber::from_slice(&[0x5e, serial]));
    params.not_before = now() - Duration::days(1);
    params.not_after = now() + Duration::days(365);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::ContentCommitment,
    ];
    params.is_ca = IsCa::ExplicitNoCa;
    params
}

/// Issues `params` for a fresh P-256 key (quick to make; the CA's signature is what the checks look at).
pub fn issue(params: &CertificateParams, issuer: &Issuer<'_, KeyPair>) -> rcgen::Certificate {
    let key = KeyPair::generate().expect("key");
    params.signed_by(&key, issuer).expect("sign certificate")
}

/// A CRL of `issuer`, current for 30 days from `now()`, listing `serials`.
pub fn crl(issuer: &Issuer<'_, KeyPair>, serials: &[&[u8]]) -> CertificateRevocationList {
    crl_from(issuer, serials, now() - Duration::hours(1))
}

/// A CRL of `issuer`, current for 30 days from `this_update`, listing `serials`.
pub fn crl_from(
    issuer: &Issuer<'_, KeyPair>,
    serials: &[&[u8]],
    this_update: OffsetDateTime,
) -> CertificateRevocationList {
    CertificateRevocationListParams {
        this_update,
        next_update: this_update + Duration::days(30),
        crl_number: SerialNumber::from(this_update.unix_timestamp().unsigned_abs()),
        issuing_distribution_point: None,
        revoked_certs: serials
            .iter()
            .map(|serial| RevokedCertParams {
                serial_number: SerialNumber::from_slice(serial),
                revocation_time: this_update - Duration::hours(1),
                reason_code: Some(RevocationReason::KeyCompromise),
                invalidity_date: None,
            })
            .collect(),
        key_identifier_method: KeyIdMethod::Sha256,
    }
    .signed_by(issuer)
    .expect("sign CRL")
}

/// Trusts the demo root and the demo JPKI CA, with `crl` instead of the demo root's CRL.
pub fn store_with_crl(crl: &CertificateRevocationList) -> TrustStore {
    store_with_crls(&[crl])
}

/// Trusts the demo root and the demo JPKI CA, with the JPKI CA's CRL and `crls` (in memory).
pub fn store_with_crls(crls: &[&CertificateRevocationList]) -> TrustStore {
    let mut ders: Vec<Vec<u8>> = crls.iter().map(|crl| crl.der().to_vec()).collect();
    ders.push(read(&demo().ca.demo_jpki_root_crl.der));
    TrustStore::new(
        vec![
            read(&demo().ca.demo_root.der),
            read(&demo().ca.demo_jpki_root.der),
        ],
        ders,
        now(),
    )
    .expect("trust store")
}

/// A sub-CA of the demo root, valid over `not_before..not_after`.
pub fn sub_ca(
    serial: u8,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(DnType::CountryName, "JP");
    name.push(DnType::CommonName, format!("ebid デモ中間認証局 {serial}"));
    params.distinguished_name = name;
    params.serial_number = Some(SerialNumber::from_slice(&[0x1c, serial]));
    params.not_before = not_before;
    params.not_after = not_after;
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    CertifiedIssuer::signed_by(params, KeyPair::generate().expect("key"), &demo_root())
        .expect("sign sub-CA")
}

/// A self-signed root with its own P-256 key, valid over `not_before..not_after`; `is_ca` false makes the
/// certificate an operator could name as a CA by mistake.
pub fn root(
    name: &str,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    is_ca: bool,
) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::default();
    let mut subject = DistinguishedName::new();
    subject.push(DnType::CountryName, "JP");
    subject.push(DnType::CommonName, name);
    params.distinguished_name = subject;
    params.not_before = not_before;
    params.not_after = not_after;
    if is_ca {
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    } else {
        params.is_ca = IsCa::ExplicitNoCa;
    }
    CertifiedIssuer::self_signed(params, KeyPair::generate().expect("key")).expect("self-sign")
}

/// Writes `bytes` to `path` as an operator should replace a trust file: beside it, then renamed over it.
pub fn replace_file(path: &std::path::Path, bytes: &[u8]) {
    let staged = path.with_extension("staged");
    std::fs::write(&staged, bytes).expect("write the new file");
    std::fs::rename(&staged, path).expect("move it into place");
}
