//! The facts read from certificates rcgen makes, one string type and one source at a time.

mod support;

use ebid_cert::{CertError, KeyUsage, PublicKeyAlgorithm, parse_certificate};
use rcgen::string::{BmpString, Ia5String, TeletexString, UniversalString};
use rcgen::{DnType, DnValue, KeyUsagePurpose, SanType, SerialNumber};
use sha2::{Digest, Sha256};
use support::*;
use time::macros::datetime;

const JPKI_NAME: [u64; 8] = [1, 2, 392, 200149, 8, 5, 5, 1];
const JPKI_ADDRESS: [u64; 8] = [1, 2, 392, 200149, 8, 5, 5, 5];

fn facts_of(der: &[u8]) -> ebid_cert::Facts {
    parse_certificate(der).expect("parses").facts().clone()
}

#[test]
fn utf8_kanji_subject() {
    let mut params = leaf();
    params.distinguished_name = kanji_dn();
    let facts = facts_of(&issue(&params));
    assert_eq!(facts.company.as_deref(), Some("株式会社長崎土木"));
    assert_eq!(facts.holder.as_deref(), Some("長崎　太郎"));
    assert_eq!(facts.address.as_deref(), Some("長崎県長崎市江戸町2-13"));
    assert_eq!(facts.issuer, "テスト認証局株式会社");
}

#[test]
fn printable_romaji_subject_gives_way_to_kanji_directory_name() {
    let mut params = leaf();
    params.distinguished_name = romaji_subject();
    params
        .custom_extensions
        .push(san(&[directory_name(&kanji_dn())]));
    let facts = facts_of(&issue(&params));
    assert_eq!(facts.company.as_deref(), Some("株式会社長崎土木"));
    assert_eq!(facts.holder.as_deref(), Some("長崎　太郎"));
    assert_eq!(facts.address.as_deref(), Some("長崎県長崎市江戸町2-13"));
}

#[test]
fn printable_romaji_subject_alone() {
    let mut params = leaf();
    params.distinguished_name = romaji_subject();
    let facts = facts_of(&issue(&params));
    assert_eq!(facts.company.as_deref(), Some("Nagasaki Doboku Co., Ltd."));
    assert_eq!(facts.holder.as_deref(), Some("Taro Nagasaki"));
    assert_eq!(facts.address.as_deref(), Some("Nagasaki-kenNagasaki-shi"));
}

#[test]
fn each_field_falls_back_to_the_subject_on_its_own() {
    // The directoryName names the company and holder but gives no address.
    let partial = dn(vec![
        (DnType::OrganizationName, utf8("株式会社長崎土木")),
        (DnType::CommonName, utf8("長崎太郎")),
    ]);
    let mut params = leaf();
    params.distinguished_name = romaji_subject();
    params
        .custom_extensions
        .push(san(&[directory_name(&partial)]));
    let facts = facts_of(&issue(&params));
    assert_eq!(facts.company.as_deref(), Some("株式会社長崎土木"));
    assert_eq!(facts.holder.as_deref(), Some("長崎太郎"));
    assert_eq!(facts.address.as_deref(), Some("Nagasaki-kenNagasaki-shi"));
}

#[test]
fn bmp_string_kanji() {
    let bmp = |text: &str| DnValue::BmpString(BmpString::try_from(text).expect("BMP"));
    let mut params = leaf();
    params.distinguished_name = dn(vec![
        (DnType::StateOrProvinceName, bmp("長崎県")),
        (DnType::LocalityName, bmp("佐世保市")),
        (DnType::OrganizationName, bmp("鹿島建設工業株式会社")),
        (DnType::CommonName, bmp("佐世保　花子")),
    ]);
    let facts = facts_of(&issue(&params));
    assert_eq!(facts.company.as_deref(), Some("鹿島建設工業株式会社"));
    assert_eq!(facts.holder.as_deref(), Some("佐世保　花子"));
    assert_eq!(facts.address.as_deref(), Some("長崎県佐世保市"));
}

#[test]
fn teletex_string_is_read_as_latin1() {
    let teletex = |text: &str| DnValue::TeletexString(TeletexString::try_from(text).expect("T61"));
    let mut params = leaf();
    params.distinguished_name = dn(vec![
        (DnType::OrganizationName, teletex("Cafe Mueller GmbH")),
        (DnType::CommonName, teletex("Jose Garcia")),
    ]);
    let mut der = issue(&params);
    // rcgen writes 7-bit TeletexStrings only: put the accented Latin-1 bytes in by hand.
    patch(&mut der, b"Cafe M", b"Caf\xe9 M");
    patch(&mut der, b"Jose Garcia", b"Jos\xe9 Garc\xeda");
    let facts = facts_of(&der);
    assert_eq!(facts.company.as_deref(), Some("Café Mueller GmbH"));
    assert_eq!(facts.holder.as_deref(), Some("José García"));
}

#[test]
fn ia5_string() {
    let ia5 = |text: &str| DnValue::Ia5String(Ia5String::try_from(text).expect("IA5"));
    let mut params = leaf();
    params.distinguished_name = dn(vec![
        (DnType::OrganizationName, ia5("Nagasaki Doboku K.K.")),
        (DnType::CommonName, ia5("taro@nagasaki-doboku.example")),
        (street(), ia5("2-13 Edo-machi")),
    ]);
    let facts = facts_of(&issue(&params));
    assert_eq!(facts.company.as_deref(), Some("Nagasaki Doboku K.K."));
    assert_eq!(
        facts.holder.as_deref(),
        Some("taro@nagasaki-doboku.example")
    );
    assert_eq!(facts.address.as_deref(), Some("2-13 Edo-machi"));
}

#[test]
fn universal_string() {
    let ucs4 =
        |text: &str| DnValue::UniversalString(UniversalString::try_from(text).expect("UCS-4"));
    let mut params = leaf();
    params.distinguished_name = dn(vec![
        (DnType::OrganizationName, ucs4("𠮷田建設株式会社")),
        (DnType::CommonName, ucs4("𠮷田　一郎")),
        (DnType::LocalityName, ucs4("長崎市")),
    ]);
    let facts = facts_of(&issue(&params));
    assert_eq!(facts.company.as_deref(), Some("𠮷田建設株式会社"));
    assert_eq!(facts.holder.as_deref(), Some("𠮷田　一郎"));
    assert_eq!(facts.address.as_deref(), Some("長崎市"));
}

#[test]
fn jpki_other_names_give_holder_and_address_and_no_company() {
    let printable = |text: &str| DnValue::PrintableString(text.try_into().expect("printable"));
    let mut params = leaf();
    // A JPKI subject: romaji place names and a CN that is a number, not the holder's name.
    params.distinguished_name = dn(vec![
        (DnType::CountryName, printable("JP")),
        (DnType::LocalityName, printable("Nagasaki-ken")),
        (DnType::LocalityName, printable("Nagasaki-shi")),
        (DnType::CommonName, printable("202504010000123456A")),
    ]);
    params.subject_alt_names = vec![
        SanType::OtherName((JPKI_NAME.to_vec(), "長崎　太郎".into())),
        SanType::OtherName((JPKI_ADDRESS.to_vec(), "長崎県長崎市江戸町２番１３号".into())),
    ];
    let facts = facts_of(&issue(&params));
    assert_eq!(facts.company, None);
    assert_eq!(facts.holder.as_deref(), Some("長崎　太郎"));
    assert_eq!(
        facts.address.as_deref(),
        Some("長崎県長崎市江戸町２番１３号")
    );
}

#[test]
fn jpki_without_an_address_takes_none_from_the_subject() {
    let mut params = leaf();
    params.distinguished_name = dn(vec![
        (DnType::LocalityName, utf8("Nagasaki-shi")),
        (DnType::CommonName, utf8("202504010000123456A")),
    ]);
    params.subject_alt_names = vec![SanType::OtherName((JPKI_NAME.to_vec(), "長崎太郎".into()))];
    let facts = facts_of(&issue(&params));
    assert_eq!(facts.holder.as_deref(), Some("長崎太郎"));
    assert_eq!(facts.address, None);
    assert_eq!(facts.company, None);
}

#[test]
fn missing_names_are_none() {
    let facts = facts_of(&issue(&leaf()));
    assert_eq!(
        (facts.company, facts.holder, facts.address),
        (None, None, None)
    );
}

#[test]
fn invalid_string_bytes_are_a_typed_error() {
    let mut params = leaf();
    params.distinguished_name = dn(vec![(
        DnType::OrganizationName,
        DnValue::BmpString(BmpString::try_from("長崎土木").expect("BMP")),
    )]);
    let mut der = issue(&params);
    // 長崎土木 in UTF-16BE, made into lone surrogates.
    patch(
        &mut der,
        &[0x95, 0x77, 0x5d, 0x0e, 0x57, 0x1f, 0x67, 0x28],
        &[[0xd8, 0x00]; 4].concat(),
    );
    let expected = CertError::BadString {
        attribute: "O".to_owned(),
        string_type: "BMPString",
    };
    assert_eq!(parse_certificate(&der), Err(expected));

    let mut params = leaf();
    params.distinguished_name = dn(vec![(DnType::CommonName, utf8("PLACEHOLDER"))]);
    let mut der = issue(&params);
    patch(&mut der, b"PLACEHOLDER", &[0xff; 11]);
    let error = parse_certificate(&der).expect_err("invalid UTF-8");
    assert_eq!(error.code(), "bad_string");
    assert_eq!(error.to_string(), "CN is not a valid UTF8String");
}

#[test]
fn unreadable_directory_name_is_an_error_not_a_fallback() {
    let mut params = leaf();
    params.distinguished_name = romaji_subject();
    // [4] around an INTEGER where a Name belongs.
    params
        .custom_extensions
        .push(san(&[tlv(0xa4, &[0x02, 0x01, 0x00])]));
    assert_eq!(
        parse_certificate(&issue(&params)),
        Err(CertError::BadExtension("subjectAltName"))
    );
}

#[test]
fn invalid_jpki_name_is_a_typed_error() {
    let mut params = leaf();
    params.subject_alt_names = vec![SanType::OtherName((
        JPKI_NAME.to_vec(),
        "PLACEHOLDER".into(),
    ))];
    let mut der = issue(&params);
    patch(&mut der, b"PLACEHOLDER", &[0xc3; 11]);
    assert_eq!(
        parse_certificate(&der),
        Err(CertError::BadString {
            attribute: "1.2.392.200149.8.5.5.1".to_owned(),
            string_type: "UTF8String",
        })
    );
}

#[test]
fn serial_is_upper_hex_without_the_der_sign_byte() {
    let mut params = leaf();
    params.serial_number = Some(SerialNumber::from_slice(&[0x80, 0x0a, 0xbc, 0xde]));
    let der = issue(&params);
    // DER writes a 00 before a first byte ≥ 0x80 so the INTEGER stays positive.
    assert!(
        der.windows(7)
            .any(|w| w == [0x02, 0x05, 0x00, 0x80, 0x0a, 0xbc, 0xde])
    );
    assert_eq!(facts_of(&der).serial, "800ABCDE");

    params.serial_number = Some(SerialNumber::from_slice(&[0x01, 0x02]));
    assert_eq!(facts_of(&issue(&params)).serial, "0102");
}

#[test]
fn not_after_jst_crosses_the_date_line() {
    let mut params = leaf();
    params.not_after = datetime!(2027-03-31 15:30:00 UTC);
    let facts = facts_of(&issue(&params));
    assert_eq!(facts.not_after, datetime!(2027-03-31 15:30:00 UTC));
    assert_eq!(facts.not_after_jst(), "2027/04/01");

    params.not_after = datetime!(2027-03-31 14:59:59 UTC);
    assert_eq!(facts_of(&issue(&params)).not_after_jst(), "2027/03/31");
}

#[test]
fn days_until_expiry_and_validity() {
    let facts = facts_of(&issue(&leaf())); // 2025-04-01 00:00 JST to 2027-03-31 23:59:59 JST
    assert_eq!(facts.days_until_expiry(datetime!(2027-03-01 12:00 +9)), 30);
    assert_eq!(facts.days_until_expiry(datetime!(2027-03-31 09:00 +9)), 0);
    assert_eq!(facts.days_until_expiry(datetime!(2027-04-01 00:00 +9)), -1);
    assert_eq!(facts.days_until_expiry(datetime!(2027-04-10 12:00 +9)), -10);

    assert!(!facts.is_valid_at(datetime!(2025-03-31 23:59:59 +9)));
    assert!(facts.is_valid_at(datetime!(2025-04-01 00:00:00 +9)));
    assert!(facts.is_valid_at(datetime!(2027-03-31 23:59:59 +9)));
    assert!(!facts.is_valid_at(datetime!(2027-04-01 00:00:00 +9)));
}

#[test]
fn pem_and_der_give_the_same_certificate() {
    let certificate = certificate_by(&leaf(), test_ca_dn());
    let der = certificate.der().to_vec();
    let pem = format!(
        "Subject: test\r\n{}",
        certificate.pem().replace('\n', "\r\n")
    );
    let from_pem = parse_certificate(pem.as_bytes()).expect("PEM parses");
    let from_der = parse_certificate(&der).expect("DER parses");
    assert_eq!(from_pem, from_der);
    assert_eq!(from_pem.der(), der.as_slice());
}

#[test]
fn pem_with_a_key_before_the_certificate() {
    let certificate = certificate_by(&leaf(), test_ca_dn());
    let der = certificate.der().to_vec();
    let pem = format!(
        "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n{}",
        certificate.pem()
    );
    assert_eq!(
        parse_certificate(pem.as_bytes()).expect("parses").der(),
        der.as_slice()
    );
}

#[test]
fn bytes_after_the_der_are_dropped() {
    let der = issue(&leaf());
    let padded = [der.as_slice(), &[0xff; 37]].concat();
    let certificate = parse_certificate(&padded).expect("parses");
    assert_eq!(certificate.der(), der.as_slice());
    assert_eq!(
        certificate.facts().fingerprint_sha256,
        facts_of(&der).fingerprint_sha256
    );
}

#[test]
fn garbage_is_an_error() {
    assert_eq!(parse_certificate(b""), Err(CertError::NotCertificate));
    assert_eq!(
        parse_certificate(b"hello, world"),
        Err(CertError::NotCertificate)
    );
    assert_eq!(
        parse_certificate(
            b"-----BEGIN PRIVATE KEY-----\nMCowBQYDK2VwAyEA\n-----END PRIVATE KEY-----\n"
        ),
        Err(CertError::NoPemCertificate)
    );
    let bad_base64 =
        parse_certificate(b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
    assert_eq!(bad_base64.map_err(|e| e.code()), Err("bad_pem"));

    let der = issue(&leaf());
    let truncated = parse_certificate(&der[..der.len() / 2]).expect_err("truncated");
    assert_eq!(truncated.code(), "bad_der");
    let not_x509 =
        parse_certificate(&[0x30, 0x03, 0x02, 0x01, 0x05]).expect_err("a SEQUENCE of one INTEGER");
    assert_eq!(not_x509.code(), "bad_der");
}

#[test]
fn issuer_prefers_a_japanese_organization_then_common_name() {
    let printable = |text: &str| DnValue::PrintableString(text.try_into().expect("printable"));
    let issuer_of = |issuer| facts_of(&issue_by(&leaf(), issuer)).issuer;

    let both_scripts = dn(vec![
        (
            DnType::OrganizationName,
            printable("Test Certification Co."),
        ),
        (DnType::OrganizationName, utf8("テスト認証株式会社")),
        (DnType::CommonName, utf8("テスト認証局 G2")),
    ]);
    assert_eq!(issuer_of(both_scripts), "テスト認証株式会社");

    let kanji_cn_only = dn(vec![
        (
            DnType::OrganizationName,
            printable("Test Certification Co."),
        ),
        (DnType::CommonName, utf8("テスト認証局 G2")),
    ]);
    assert_eq!(issuer_of(kanji_cn_only), "テスト認証局 G2");

    let romaji = dn(vec![
        (
            DnType::OrganizationName,
            printable("Japan Agency for Local Authority Information Systems"),
        ),
        (DnType::CommonName, printable("JPKI CA")),
    ]);
    assert_eq!(
        issuer_of(romaji),
        "Japan Agency for Local Authority Information Systems"
    );

    assert_eq!(
        issuer_of(dn(vec![(DnType::CommonName, printable("Demo Root"))])),
        "Demo Root"
    );
    assert_eq!(
        issuer_of(dn(vec![(
            DnType::OrganizationalUnitName,
            printable("Demo")
        )])),
        "OU=Demo"
    );
}

#[test]
fn key_usage_flags() {
    let mut params = leaf();
    assert_eq!(facts_of(&issue(&params)).key_usage, None);

    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::ContentCommitment,
    ];
    let both = KeyUsage {
        digital_signature: true,
        non_repudiation: true,
    };
    assert_eq!(facts_of(&issue(&params)).key_usage, Some(both));

    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    let signature_only = KeyUsage {
        digital_signature: true,
        non_repudiation: false,
    };
    assert_eq!(facts_of(&issue(&params)).key_usage, Some(signature_only));
}

#[test]
fn fingerprint_is_sha256_of_the_whole_der() {
    let der = issue(&leaf());
    let expected: String = Sha256::digest(&der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    assert_eq!(facts_of(&der).fingerprint_sha256, expected);
    assert_eq!(expected.len(), 64);
}

#[test]
fn public_key_algorithms() {
    assert_eq!(
        facts_of(&issue(&leaf())).public_key,
        PublicKeyAlgorithm::EcP256
    );
    assert_eq!(
        facts_of(realistic_rsa_2048().der()).public_key,
        PublicKeyAlgorithm::Rsa { bits: 2048 }
    );
}

#[test]
fn realistic_rsa_certificate_facts() {
    let facts = facts_of(realistic_rsa_2048().der());
    assert_eq!(facts.company.as_deref(), Some("株式会社長崎土木"));
    assert_eq!(facts.serial, "9A31075E2210C401");
    assert_eq!(facts.not_after_jst(), "2027/03/31");
}

#[test]
fn json_keys_and_formats_are_the_contract() {
    let mut params = leaf();
    params.distinguished_name = kanji_dn();
    params.serial_number = Some(SerialNumber::from_slice(&[0x00, 0x9f, 0x01]));
    params.not_after = datetime!(2027-03-31 15:30:00 UTC);
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    let facts = facts_of(&issue(&params));
    let json = serde_json::to_string(&facts).expect("serializes");
    let expected_start = concat!(
        r#"{"company":"株式会社長崎土木","holder":"長崎　太郎","address":"長崎県長崎市江戸町2-13","#,
        r#""serial":"9F01","issuer":"テスト認証局株式会社","not_after":"2027-03-31T15:30:00Z","#,
        r#""not_after_jst":"2027/04/01","not_before":"2025-03-31T15:00:00Z","fingerprint_sha256":""#,
    );
    assert!(json.starts_with(expected_start), "{json}");
    assert!(
        json.ends_with(r#","key_usage":{"digital_signature":true,"non_repudiation":false},"public_key":{"type":"ec_p256"}}"#),
        "{json}"
    );

    let none = serde_json::to_value(facts_of(&issue(&leaf()))).expect("serializes");
    assert!(none["company"].is_null() && none["holder"].is_null() && none["address"].is_null());
    assert!(none["key_usage"].is_null());
}
