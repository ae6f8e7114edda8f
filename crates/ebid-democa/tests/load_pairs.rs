//! The load pairs, checked with parsers the demo CA did not write: x509-parser for the certificates and their
//! signature by the demo root, the `p256` crate for the keys.

use std::collections::HashSet;

use ebid_democa::{LOAD_COMPANY, LoadPair, load_holder};
use ebid_vcard::spec::KeySlot;
use p256::pkcs8::{DecodePrivateKey as _, EncodePublicKey as _};
use time::{Duration, OffsetDateTime};
use x509_parser::prelude::X509Certificate;

const PAIRS: usize = 5;

fn parse(der: &[u8]) -> X509Certificate<'_> {
    let (rest, certificate) = x509_parser::parse_x509_certificate(der).expect("certificate parses");
    assert!(rest.is_empty(), "trailing bytes after the certificate");
    certificate
}

fn text<'a>(
    mut values: impl Iterator<Item = &'a x509_parser::x509::AttributeTypeAndValue<'a>>,
) -> String {
    values
        .next()
        .and_then(|value| value.as_str().ok())
        .expect("attribute")
        .to_owned()
}

/// The same day `years` calendar years away; 29 February moves to 28 February, as the demo CA's does.
fn years_from(now: OffsetDateTime, years: i32) -> OffsetDateTime {
    let year = now.year() + years;
    now.replace_year(year)
        .or_else(|_| now.replace_day(28).and_then(|day| day.replace_year(year)))
        .expect("date in range")
}

/// Checks one card of `pair` and returns its serial.
fn check_card(
    slot: &KeySlot,
    pair: &LoadPair,
    root: &X509Certificate<'_>,
    validity: (OffsetDateTime, OffsetDateTime),
) -> Vec<u8> {
    let certificate = parse(&slot.certificate);
    assert_eq!(certificate.issuer(), root.subject());
    certificate
        .verify_signature(Some(root.public_key()))
        .expect("signed by the demo root");
    assert_eq!(
        text(certificate.subject().iter_organization()),
        LOAD_COMPANY
    );
    assert_eq!(text(certificate.subject().iter_common_name()), pair.holder);
    let period = certificate.validity();
    assert_eq!(
        (
            period.not_before.to_datetime(),
            period.not_after.to_datetime()
        ),
        validity
    );
    let usage = certificate
        .key_usage()
        .expect("one key usage")
        .expect("key usage")
        .value;
    assert!(usage.digital_signature() && usage.non_repudiation());

    let key = p256::SecretKey::from_pkcs8_der(&slot.private_key_pkcs8).expect("P-256 PKCS#8");
    let spki = key.public_key().to_public_key_der().expect("SPKI");
    assert_eq!(spki.as_bytes(), certificate.public_key().raw, "key matches");
    certificate.raw_serial().to_vec()
}

#[test]
fn load_pairs_are_current_and_replacement_cards_from_the_demo_root() {
    let dir = tempfile::tempdir().expect("temporary folder");
    // Whole seconds: certificates keep no fractions, and the checks compare exact moments.
    let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let set = ebid_democa::generate(dir.path(), now).expect("demo set");
    let root_der = std::fs::read(&set.ca.demo_root.der).expect("demo root");
    let root = parse(&root_der);

    let pairs = set.issue_load_pairs(PAIRS, now).expect("load pairs");
    assert_eq!(pairs.len(), PAIRS);
    let a_year_ago = years_from(now, -1);
    let in_four_years = years_from(now, 4);
    let mut serials = HashSet::new();
    for (index, pair) in pairs.iter().enumerate() {
        assert_eq!(pair.holder, load_holder(index));
        let current = (a_year_ago, now + Duration::days(30));
        let replacement = (now - Duration::days(1), in_four_years);
        serials.insert(check_card(&pair.current, pair, &root, current));
        serials.insert(check_card(&pair.replacement, pair, &root, replacement));
        assert_ne!(
            pair.current.private_key_pkcs8,
            pair.replacement.private_key_pkcs8
        );
    }
    assert_eq!(
        serials.len(),
        2 * PAIRS,
        "every certificate has its own serial"
    );
    assert!(set.issue_load_pairs(0, now).expect("no pairs").is_empty());
}
