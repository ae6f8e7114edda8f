//! Certificates made for a test with rcgen: cards, sub-CAs and roots issued by the demo root's own key (or
//! their own), CRLs, and proofs signed with the certificates' P-256 keys.

use ebid_protocol::{CardProof, Challenge, SignatureAlgorithm};
use p256::ecdsa::SigningKey;
use p256::ecdsa::signature::hazmat::PrehashSigner as _;
use p256::pkcs8::DecodePrivateKey as _;
use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationList,
    CertificateRevocationListParams, CertifiedIssuer, DistinguishedName, DnType, IsCa, Issuer,
    KeyIdMethod, KeyPair, KeyUsagePurpose, PKCS_RSA_SHA256, RevocationReason, RevokedCertParams,
    SerialNumber,
};
use rustls_pki_types::PrivatePkcs8KeyDer;
use time::{Duration, OffsetDateTime};

use super::{card, demo_set};

/// A certificate made here and the P-256 key it certifies.
pub struct IssuedCard {
    pub certificate: Vec<u8>,
    key: SigningKey,
}

impl IssuedCard {
    fn new(certificate: &[u8], key: &KeyPair) -> Self {
        Self {
            certificate: certificate.to_vec(),
            key: SigningKey::from_pkcs8_der(&key.serialize_der()).expect("P-256 key"),
        }
    }

    /// The answer to `challenge`, as a PIV card gives it: ECDSA P-256 over the digest, DER-encoded.
    pub fn prove(&self, challenge: &Challenge) -> CardProof {
        let signature: p256::ecdsa::Signature =
            self.key.sign_prehash(&challenge.digest()).expect("sign");
        CardProof {
            challenge_id: challenge.id.clone(),
            certificate: self.certificate.clone(),
            signature: signature.to_der().as_bytes().to_vec(),
            algorithm: SignatureAlgorithm::EcdsaP256Sha256,
        }
    }
}

/// The demo root, able to sign with the key the demo set keeps beside it.
pub fn demo_root() -> Issuer<'static, KeyPair> {
    let ca = &demo_set().ca;
    let key = std::fs::read(&ca.demo_root_key).expect("demo root key");
    let key = KeyPair::from_pkcs8_der_and_sign_algo(
        &PrivatePkcs8KeyDer::from(key.as_slice()),
        &PKCS_RSA_SHA256,
    )
    .expect("demo root key");
    let root = std::fs::read(&ca.demo_root.der).expect("demo root");
    Issuer::from_ca_cert_der(&root.into(), key).expect("demo root certificate")
}

/// A new card for 長崎 太郎 of the demo company, as `current` names them: valid from a day before the demo set
/// was made for four years (longer than `current`), signing key usage, no extendedKeyUsage.
pub fn new_card_params(serial: u8) -> CertificateParams {
    let facts = card("current").facts();
    let mut params = CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(DnType::CountryName, "JP");
    name.push(
        DnType::OrganizationName,
        facts.company.expect("the current card names its company"),
    );
    name.push(
        DnType::CommonName,
        facts.holder.expect("the current card names its holder"),
    );
    params.distinguished_name = name;
    params.serial_number = Some(SerialNumber::from_slice(&[0x7e, serial]));
    let generated = demo_set().generated_at;
    params.not_before = generated - Duration::days(1);
    params.not_after = generated + Duration::days(4 * 365);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::ContentCommitment,
    ];
    params.is_ca = IsCa::ExplicitNoCa;
    params
}

/// `params` certified by `issuer` for a fresh P-256 key.
pub fn issue(params: &CertificateParams, issuer: &Issuer<'_, KeyPair>) -> IssuedCard {
    let key = KeyPair::generate().expect("key");
    let certificate = params.signed_by(&key, issuer).expect("sign certificate");
    IssuedCard::new(certificate.der(), &key)
}

/// `params` made a CA (sub-CA of `issuer`, or self-signed without one) for a fresh P-256 key: the CA that can
/// sign, and the same certificate as a card that proves with the CA's key.
pub fn ca(
    mut params: CertificateParams,
    issuer: Option<&Issuer<'_, KeyPair>>,
) -> (CertifiedIssuer<'static, KeyPair>, IssuedCard) {
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let key = KeyPair::generate().expect("key");
    let pkcs8 = key.serialize_der();
    let ca = match issuer {
        Some(issuer) => CertifiedIssuer::signed_by(params, key, issuer),
        None => CertifiedIssuer::self_signed(params, key),
    }
    .expect("sign CA");
    let as_card = IssuedCard {
        certificate: ca.der().to_vec(),
        key: SigningKey::from_pkcs8_der(&pkcs8).expect("P-256 key"),
    };
    (ca, as_card)
}

/// A CA's distinguished name and validity, to make with [`ca`].
pub fn ca_params(
    name: &str,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
) -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut subject = DistinguishedName::new();
    subject.push(DnType::CountryName, "JP");
    subject.push(DnType::CommonName, name);
    params.distinguished_name = subject;
    params.not_before = not_before;
    params.not_after = not_after;
    params
}

/// A CRL of `issuer` listing `serials`, current for 30 days from `this_update`.
pub fn crl(
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

/// Writes `bytes` to `path` as an operator should replace a trust file: beside it, then renamed over it.
pub fn replace_file(path: &std::path::Path, bytes: &[u8]) {
    let staged = path.with_extension("staged");
    std::fs::write(&staged, bytes).expect("write the new file");
    std::fs::rename(&staged, path).expect("move it into place");
}
