//! Certificates made with rcgen for the tests and the benchmark, and the DER rcgen cannot write.
//!
//! rcgen 0.14 has no subjectAltName directoryName and writes only 7-bit TeletexStrings, so a directoryName
//! SAN is encoded here by hand, and a Latin-1 TeletexString is made by patching an ASCII placeholder of the
//! same length in rcgen's output (the signature no longer verifies, which ebid-cert does not check).

#![allow(dead_code)] // Each test binary and the benchmark use a different part of this module.

use rcgen::{
    Certificate, CertificateParams, CustomExtension, DistinguishedName, DnType, DnValue, Issuer,
    KeyPair, PKCS_RSA_SHA256,
};
use rsa::pkcs8::EncodePrivateKey;
use time::macros::datetime;
use x509_parser::prelude::FromDer;
use x509_parser::x509::X509Name;

/// streetAddress, 2.5.4.9: rcgen has no `DnType` for it.
pub fn street() -> DnType {
    DnType::CustomDnType(vec![2, 5, 4, 9])
}

pub fn dn(entries: Vec<(DnType, DnValue)>) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    for (ty, value) in entries {
        dn.push(ty, value);
    }
    dn
}

pub fn utf8(text: &str) -> DnValue {
    DnValue::Utf8String(text.to_owned())
}

/// The issuer of every test certificate unless a test says otherwise.
pub fn test_ca_dn() -> DistinguishedName {
    dn(vec![
        (
            DnType::CountryName,
            DnValue::PrintableString("JP".try_into().expect("printable")),
        ),
        (DnType::OrganizationName, utf8("テスト認証局株式会社")),
        (DnType::CommonName, utf8("Test CA for ebid")),
    ])
}

/// Parameters of a leaf certificate valid 2025-04-01 to 2027-03-31 23:59:59 JST, subject empty.
pub fn leaf() -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = DistinguishedName::new();
    params.not_before = datetime!(2025-04-01 00:00:00 +9);
    params.not_after = datetime!(2027-03-31 23:59:59 +9);
    params
}

/// `params` for a fresh ECDSA P-256 key, issued by a CA named `issuer_dn` with another P-256 key.
pub fn certificate_by(params: &CertificateParams, issuer_dn: DistinguishedName) -> Certificate {
    let mut ca = CertificateParams::default();
    ca.distinguished_name = issuer_dn;
    let issuer = Issuer::new(ca, KeyPair::generate().expect("CA key"));
    let key = KeyPair::generate().expect("leaf key");
    params.signed_by(&key, &issuer).expect("rcgen signs")
}

pub fn issue_by(params: &CertificateParams, issuer_dn: DistinguishedName) -> Vec<u8> {
    certificate_by(params, issuer_dn).der().to_vec()
}

pub fn issue(params: &CertificateParams) -> Vec<u8> {
    issue_by(params, test_ca_dn())
}

/// A certificate of the size the accredited CAs issue: RSA-2048 subject key, signed RSA-SHA256 by an
/// RSA-2048 CA, with a romaji subject and a kanji directoryName.
pub fn realistic_rsa_2048() -> Certificate {
    let rsa_key = || {
        let key = rsa::PrivateKey::new(&mut getrandom::SysRng, 2048).expect("RSA-2048 key");
        let pkcs8 = key.to_pkcs8_der().expect("PKCS#8");
        KeyPair::from_pkcs8_der_and_sign_algo(&pkcs8.as_bytes().into(), &PKCS_RSA_SHA256)
            .expect("RSA key")
    };
    let mut ca = CertificateParams::default();
    ca.distinguished_name = test_ca_dn();
    let issuer = Issuer::new(ca, rsa_key());

    let mut params = leaf();
    params.distinguished_name = romaji_subject();
    params
        .custom_extensions
        .push(san(&[directory_name(&kanji_dn())]));
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::DigitalSignature,
        rcgen::KeyUsagePurpose::ContentCommitment,
    ];
    params.serial_number = Some(rcgen::SerialNumber::from_slice(&[
        0x9a, 0x31, 0x07, 0x5e, 0x22, 0x10, 0xc4, 0x01,
    ]));
    params.signed_by(&rsa_key(), &issuer).expect("rcgen signs")
}

/// A company certificate's subject in romaji, all PrintableString.
pub fn romaji_subject() -> DistinguishedName {
    let printable = |text: &str| DnValue::PrintableString(text.try_into().expect("printable"));
    dn(vec![
        (DnType::CountryName, printable("JP")),
        (DnType::StateOrProvinceName, printable("Nagasaki-ken")),
        (DnType::LocalityName, printable("Nagasaki-shi")),
        (
            DnType::OrganizationName,
            printable("Nagasaki Doboku Co., Ltd."),
        ),
        (DnType::CommonName, printable("Taro Nagasaki")),
    ])
}

/// The same company and holder in kanji, as UTF8String.
pub fn kanji_dn() -> DistinguishedName {
    dn(vec![
        (
            DnType::CountryName,
            DnValue::PrintableString("JP".try_into().expect("printable")),
        ),
        (DnType::StateOrProvinceName, utf8("長崎県")),
        (DnType::LocalityName, utf8("長崎市")),
        (street(), utf8("江戸町2-13")),
        (DnType::OrganizationName, utf8("株式会社長崎土木")),
        (DnType::CommonName, utf8("長崎　太郎")),
    ])
}

/// The DER of a Name, taken from a throwaway certificate rcgen writes with it as subject.
pub fn name_der(name: &DistinguishedName) -> Vec<u8> {
    let mut params = leaf();
    params.distinguished_name = name.clone();
    let cert = issue(&params);
    let (_, parsed) = x509_parser::parse_x509_certificate(&cert).expect("rcgen output parses");
    let raw = parsed.subject().as_raw();
    let (rest, _) = X509Name::from_der(raw).expect("a Name");
    assert!(rest.is_empty());
    raw.to_vec()
}

/// GeneralName `directoryName [4] EXPLICIT Name`.
pub fn directory_name(name: &DistinguishedName) -> Vec<u8> {
    tlv(0xa4, &name_der(name))
}

/// A subjectAltName extension of the given GeneralNames, in order.
pub fn san(general_names: &[Vec<u8>]) -> CustomExtension {
    CustomExtension::from_oid_content(&[2, 5, 29, 17], tlv(0x30, &general_names.concat()))
}

/// One DER TLV with a definite length.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend(content);
    out
}

/// Replaces the one occurrence of `from` in `der` with `to`, of the same length so no DER length changes.
pub fn patch(der: &mut [u8], from: &[u8], to: &[u8]) {
    assert_eq!(from.len(), to.len(), "a patch keeps lengths");
    let found: Vec<usize> = der
        .windows(from.len())
        .enumerate()
        .filter(|(_, w)| *w == from)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(found.len(), 1, "the placeholder occurs exactly once");
    der[found[0]..found[0] + from.len()].copy_from_slice(to);
}
