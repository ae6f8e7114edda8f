//! Hostile input for certificate parsing: a certificate comes from a card, a file or a client of the server,
//! so whatever its bytes, `parse_certificate` and the facts never panic. What parses is self-consistent,
//! every string type decodes to exactly its text or to a typed error, and the name comparisons keep the
//! properties a clerk's reading has.
//!
//! Seeds are certificates rcgen makes in every shape the facts come from; mutations of them reach far past
//! the first SEQUENCE, where random bytes alone stop. Bounded by default (proptest's 256 cases a property);
//! `cargo xtask fuzz` runs many more through `PROPTEST_CASES`.

mod support;

use std::sync::OnceLock;

use base64::Engine as _;
use ebid_cert::company_name::{normalize, same_company};
use ebid_cert::holder_name::holder_equal;
use ebid_cert::{CertError, Facts, KeyUsage, PublicKeyAlgorithm, parse_certificate};
use proptest::prelude::*;
use proptest::sample::Index;
use rcgen::string::{BmpString, UniversalString};
use rcgen::{DnType, DnValue, KeyUsagePurpose, SanType};
use support::*;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const JPKI_NAME: [u64; 8] = [1, 2, 392, 200149, 8, 5, 5, 1];
const JPKI_ADDRESS: [u64; 8] = [1, 2, 392, 200149, 8, 5, 5, 5];

/// Parses `bytes`; when that succeeds, checks that the certificate agrees with itself.
fn parse_and_check(bytes: &[u8]) -> Result<Facts, CertError> {
    let certificate = parse_certificate(bytes)?;
    if bytes.first() == Some(&0x30) {
        assert!(
            bytes.starts_with(certificate.der()),
            "the DER kept is the front of the input"
        );
    }
    assert_eq!(
        parse_certificate(certificate.der()).as_ref(),
        Ok(&certificate),
        "the DER kept parses to the same certificate"
    );
    let facts = certificate.facts().clone();
    assert!(
        facts
            .serial
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)),
        "{}",
        facts.serial
    );
    assert_eq!(facts.fingerprint_sha256.len(), 64);
    let date = facts.not_after_jst();
    assert!(
        date.len() == 10
            && date.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 {
                b == b'/'
            } else {
                b.is_ascii_digit()
            }),
        "{date}"
    );
    assert_eq!(facts.days_until_expiry(facts.not_after), 0);
    if let Some(later) = facts.not_after.checked_add(Duration::SECOND) {
        assert!(facts.days_until_expiry(later) < 0);
    }
    assert_eq!(
        facts.is_valid_at(facts.not_after),
        facts.not_before <= facts.not_after
    );
    serde_json::to_string(&facts).expect("the facts of a parsed certificate serialize");
    Ok(facts)
}

/// One certificate of every shape the facts come from.
fn seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut kanji = leaf();
        kanji.distinguished_name = kanji_dn();
        kanji.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::ContentCommitment,
        ];

        let mut directory_name_san = leaf();
        directory_name_san.distinguished_name = romaji_subject();
        directory_name_san
            .custom_extensions
            .push(san(&[directory_name(&kanji_dn())]));

        let mut jpki = leaf();
        jpki.distinguished_name = dn(vec![(DnType::CommonName, utf8("202504010000123456A"))]);
        jpki.subject_alt_names = vec![
            SanType::OtherName((JPKI_NAME.to_vec(), "長崎　太郎".into())),
            SanType::OtherName((JPKI_ADDRESS.to_vec(), "長崎県長崎市江戸町２番１３号".into())),
        ];

        let mut wide = leaf();
        wide.distinguished_name = dn(vec![
            (
                DnType::OrganizationName,
                DnValue::BmpString(BmpString::try_from("鹿島建設工業株式会社").expect("BMP")),
            ),
            (
                DnType::CommonName,
                DnValue::UniversalString(UniversalString::try_from("佐世保　花子").expect("UCS-4")),
            ),
        ]);

        // RFC 5280 §4.1.2.5: a certificate without a well-defined expiry says 99991231235959Z.
        let mut no_expiry = leaf();
        no_expiry.distinguished_name = kanji_dn();
        no_expiry.not_after = datetime!(9999-12-31 23:59:59 UTC);

        let mut seeds: Vec<Vec<u8>> = [kanji, directory_name_san, jpki, wide, no_expiry]
            .iter()
            .map(issue)
            .collect();
        seeds.push(realistic_rsa_2048().der().to_vec());
        seeds
    })
}

/// One change to a certificate's bytes.
#[derive(Debug, Clone)]
enum Mutation {
    Flip(Index, u8),
    Set(Index, u8),
    Insert(Index, Vec<u8>),
    Delete(Index, usize),
    Truncate(Index),
    /// Copies a run of the certificate over another place in it (DER headers land on DER contents).
    Splice {
        from: Index,
        to: Index,
        len: usize,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), 1..=255u8).prop_map(|(at, bits)| Mutation::Flip(at, bits)),
        (any::<Index>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Set(at, byte)),
        (any::<Index>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        (any::<Index>(), 1..16usize).prop_map(|(at, len)| Mutation::Delete(at, len)),
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), any::<Index>(), 1..64usize).prop_map(|(from, to, len)| Mutation::Splice {
            from,
            to,
            len
        }),
    ]
}

fn apply(der: &mut Vec<u8>, mutation: &Mutation) {
    if der.is_empty() {
        return;
    }
    let len = der.len();
    match mutation {
        Mutation::Flip(at, bits) => der[at.index(len)] ^= bits,
        Mutation::Set(at, byte) => der[at.index(len)] = *byte,
        Mutation::Insert(at, bytes) => {
            let at = at.index(len + 1);
            der.splice(at..at, bytes.iter().copied());
        }
        Mutation::Delete(at, n) => {
            let at = at.index(len);
            der.drain(at..(at + n).min(len));
        }
        Mutation::Truncate(at) => der.truncate(at.index(len)),
        Mutation::Splice { from, to, len: n } => {
            let from = from.index(len);
            let to = to.index(len);
            let n = (*n).min(len - from).min(len - to);
            let run = der[from..from + n].to_vec();
            der[to..to + n].copy_from_slice(&run);
        }
    }
}

/// A seed certificate with one to four mutations.
fn mutated_certificate() -> impl Strategy<Value = Vec<u8>> {
    (any::<Index>(), prop::collection::vec(mutation(), 1..=4)).prop_map(|(seed, mutations)| {
        let mut der = seed.get(seeds()).clone();
        for mutation in &mutations {
            apply(&mut der, mutation);
        }
        der
    })
}

fn pem(label: &str, contents: &[u8]) -> Vec<u8> {
    let body = base64::engine::general_purpose::STANDARD.encode(contents);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|line| std::str::from_utf8(line).expect("base64 is ASCII"))
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
    .into_bytes()
}

/// The string types of X.509 names, by their universal tag.
const STRING_TAGS: &[u8] = &[0x0C, 0x12, 0x13, 0x14, 0x16, 0x1A, 0x1C, 0x1E];

/// What a name attribute of string type `tag` holding `bytes` says, by the rules of each type; `None` when
/// the bytes are not valid for the type (or the tag is no string type).
fn expected_text(tag: u8, bytes: &[u8]) -> Option<String> {
    let ascii = || {
        bytes
            .is_ascii()
            .then(|| bytes.iter().map(|&b| char::from(b)).collect())
    };
    match tag {
        0x0C => String::from_utf8(bytes.to_vec()).ok(),
        0x12 | 0x13 | 0x16 | 0x1A => ascii(),
        0x14 => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        0x1E if bytes.len().is_multiple_of(2) => char::decode_utf16(
            bytes
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]])),
        )
        .collect::<Result<String, _>>()
        .ok(),
        0x1C if bytes.len().is_multiple_of(4) => bytes
            .chunks_exact(4)
            .map(|q| char::from_u32(u32::from_be_bytes([q[0], q[1], q[2], q[3]])))
            .collect(),
        _ => None,
    }
}

/// Where a placeholder string sits in a certificate, and which fact it becomes.
#[derive(Debug, Clone, Copy)]
enum Place {
    SubjectCommonName,
    SubjectOrganization,
    DirectoryNameCommonName,
    JpkiName,
}

/// A certificate with `placeholder` (an ASCII string, PrintableString or UTF8String) at `place` and no other
/// source for that fact.
fn with_placeholder(place: Place, placeholder: &str) -> Vec<u8> {
    let mut params = leaf();
    match place {
        Place::SubjectCommonName => {
            params.distinguished_name = dn(vec![(DnType::CommonName, utf8(placeholder))]);
        }
        Place::SubjectOrganization => {
            params.distinguished_name = dn(vec![(
                DnType::OrganizationName,
                DnValue::PrintableString(placeholder.try_into().expect("printable")),
            )]);
        }
        Place::DirectoryNameCommonName => {
            params.distinguished_name =
                dn(vec![(DnType::OrganizationName, utf8("Nagasaki Doboku"))]);
            params
                .custom_extensions
                .push(san(&[directory_name(&dn(vec![(
                    DnType::CommonName,
                    utf8(placeholder),
                )]))]));
        }
        Place::JpkiName => {
            params.subject_alt_names =
                vec![SanType::OtherName((JPKI_NAME.to_vec(), placeholder.into()))];
        }
    }
    issue(&params)
}

/// Placeholders of a length every string type can hold (a multiple of four) and of one none of the
/// two-byte and four-byte types can.
const PLACEHOLDERS: [&str; 2] = ["PLACEHOLDER1", "PLACEHOLDER-15X"];

fn placeholder_seeds() -> &'static [(Place, usize, Vec<u8>)] {
    static SEEDS: OnceLock<Vec<(Place, usize, Vec<u8>)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut seeds = Vec::new();
        for place in [
            Place::SubjectCommonName,
            Place::SubjectOrganization,
            Place::DirectoryNameCommonName,
            Place::JpkiName,
        ] {
            for placeholder in PLACEHOLDERS {
                let der = with_placeholder(place, placeholder);
                let found: Vec<usize> = der
                    .windows(placeholder.len())
                    .enumerate()
                    .filter(|(_, w)| *w == placeholder.as_bytes())
                    .map(|(i, _)| i)
                    .collect();
                assert_eq!(found.len(), 1, "the placeholder occurs once");
                seeds.push((place, found[0], der));
            }
        }
        seeds
    })
}

/// The fact `place` feeds.
fn fact(facts: &Facts, place: Place) -> Option<&str> {
    match place {
        Place::SubjectOrganization => facts.company.as_deref(),
        _ => facts.holder.as_deref(),
    }
}

/// A string of letters, digits, kana, kanji, widths, marks and every kind of space.
fn name_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<char>(),
        prop::sample::select(vec![
            ' ', '\u{3000}', '\t', '\u{a0}', '\u{2002}', '株', '有', '(', ')', '（', '）', '㈱',
            '㈲', '会', '社', 'ｶ', 'ﾞ', 'ﾟ', 'ガ', 'Ａ', 'a', 'e', '\u{301}', '\u{308}', '¨', '´',
            '長', '崎', '髙', '高', '1', '１',
        ]),
    ];
    prop::collection::vec(piece, 0..16).prop_map(|chars| chars.into_iter().collect())
}

/// `text` with `spaces` put in at the given places.
fn with_spaces(text: &str, spaces: &[(Index, char)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for (at, space) in spaces {
        let at = at.index(chars.len() + 1);
        chars.insert(at, *space);
    }
    chars.into_iter().collect()
}

fn space() -> impl Strategy<Value = char> {
    prop::sample::select(vec![' ', '\u{3000}', '\t', '\n', '\u{a0}', '\u{2003}'])
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_and_check(&bytes);
        let mut der = vec![0x30];
        der.extend(&bytes);
        let _ = parse_and_check(&der);
    }

    #[test]
    fn mutated_certificates_never_panic(der in mutated_certificate()) {
        let _ = parse_and_check(&der);
    }

    #[test]
    fn mutated_certificates_in_pem_never_panic(
        der in mutated_certificate(),
        label in prop::sample::select(vec!["CERTIFICATE", "PRIVATE KEY", "X509 CRL", ""]),
        before in prop::collection::vec(any::<u8>(), 0..32),
        after in prop::collection::vec(any::<u8>(), 0..32),
        cut in any::<Index>(),
    ) {
        let armoured = [&before[..], &pem(label, &der), &after[..]].concat();
        let _ = parse_and_check(&armoured);
        let _ = parse_and_check(&armoured[..cut.index(armoured.len() + 1)]);
    }

    #[test]
    fn unchanged_seeds_parse(seed in any::<Index>()) {
        let der = seed.get(seeds());
        prop_assert!(parse_and_check(der).is_ok());
        let mut padded = der.clone();
        padded.extend([0u8; 300]);
        prop_assert_eq!(parse_and_check(&padded), parse_and_check(der));
    }

    /// Every string type gives exactly its text, trimmed (blank is absent), or a typed error.
    #[test]
    fn each_string_type_decodes_to_its_text_or_a_typed_error(
        seed in any::<Index>(),
        // Any one-byte tag (low five bits 11111 start a longer tag, which moves every byte after it).
        tag in prop_oneof![
            prop::sample::select(STRING_TAGS),
            any::<u8>().prop_filter("a one-byte tag", |tag| tag & 0x1F != 0x1F),
        ],
        content in prop::collection::vec(
            prop_oneof![any::<u8>(), 0x20..0x7Fu8, Just(0u8), Just(b' ')], 16),
    ) {
        let (place, at, der) = seed.get(placeholder_seeds());
        let len = der[at - 1] as usize;
        let mut der = der.clone();
        der[at - 2] = tag;
        der[*at..at + len].copy_from_slice(&content[..len]);
        let result = parse_and_check(&der);
        match expected_text(tag, &content[..len]) {
            Some(text) => {
                let facts = result.expect("a valid string parses");
                // Zero-width and bidi controls never leave a certificate (`ebid_cert::invisible`).
                let text = ebid_cert::invisible::strip_invisible(&text);
                let text = text.trim();
                prop_assert_eq!(fact(&facts, *place), (!text.is_empty()).then_some(text));
            }
            None => prop_assert!(result.is_err(), "{:?}", result),
        }
    }

    /// The expiry date shown exists for every instant a certificate can hold, and the days left say
    /// "expired" exactly when it is.
    #[test]
    fn expiry_in_jst_for_every_instant(
        not_after in (-377_705_116_800i64..=253_402_300_799).prop_map(|s| {
            OffsetDateTime::from_unix_timestamp(s).expect("in time's range")
        }),
        step in -1_000_000_000i64..=1_000_000_000,
    ) {
        let facts = Facts {
            company: None,
            holder: None,
            address: None,
            serial: "01".into(),
            issuer: "CA".into(),
            not_before: not_after,
            not_after,
            fingerprint_sha256: "00".repeat(32),
            key_usage: Some(KeyUsage { digital_signature: true, non_repudiation: true }),
            public_key: PublicKeyAlgorithm::EcP256,
        };
        let _ = facts.not_after_jst();
        if let Some(now) = not_after.checked_add(Duration::seconds(step)) {
            let days = facts.days_until_expiry(now);
            prop_assert_eq!(days < 0, now > not_after, "{} days at {}", days, now);
        }
    }

    #[test]
    fn company_names_normalize_to_a_fixed_point(name in name_text()) {
        let once = normalize(&name);
        prop_assert_eq!(normalize(&once), once.clone());
        prop_assert!(same_company(&name, &once));
    }

    #[test]
    fn spaces_never_make_a_name_differ(
        name in name_text(),
        spaces in prop::collection::vec((any::<Index>(), space()), 1..4),
    ) {
        let spaced = with_spaces(&name, &spaces);
        prop_assert!(same_company(&name, &spaced), "{:?} / {:?}", name, spaced);
        prop_assert!(holder_equal(&name, &spaced), "{:?} / {:?}", name, spaced);
    }

    #[test]
    fn name_comparisons_are_symmetric(a in name_text(), b in name_text()) {
        prop_assert_eq!(same_company(&a, &b), same_company(&b, &a));
        prop_assert_eq!(holder_equal(&a, &b), holder_equal(&b, &a));
        prop_assert!(same_company(&a, &a) && holder_equal(&a, &a));
    }

    /// Every written form of the legal-entity mark in front is the same company, whatever follows it.
    #[test]
    fn the_mark_in_front_is_one_name_in_every_form(
        rest in name_text(),
        form in prop::sample::select(vec!["株式会社", "㈱", "(株)", "（株）", "( 株 )"]),
    ) {
        let (written_out, abbreviated) = (format!("株式会社{rest}"), format!("{form}{rest}"));
        prop_assert!(same_company(&written_out, &abbreviated), "{:?} / {:?}", written_out, abbreviated);
    }
}

/// RFC 5280's "no well-defined expiration date", 9999-12-31 23:59:59 UTC, is already 10000-01-01 in Japan,
/// past the last date `time` can hold: the JST date used to panic there. It shows the last date instead.
#[test]
fn a_certificate_without_expiry_shows_the_last_date() {
    let mut params = leaf();
    params.not_after = datetime!(9999-12-31 23:59:59 UTC);
    let facts = parse_and_check(&issue(&params)).expect("parses");
    assert_eq!(facts.not_after_jst(), "9999/12/31");
    assert!(facts.days_until_expiry(datetime!(2026-04-01 00:00 UTC)) > 2_900_000);
    assert!(facts.is_valid_at(datetime!(2026-04-01 00:00 UTC)));
}

/// Found by `company_names_normalize_to_a_fixed_point` and `spaces_never_make_a_name_differ`: a space
/// between a letter and its combining mark (typed, or the one NFKC writes for 「¨」) kept them from
/// composing, so the normalized form was not canonical and a space changed the comparison.
#[test]
fn a_space_between_a_letter_and_its_mark_does_not_count() {
    assert_eq!(normalize(&normalize("U¨")), normalize("U¨"));
    assert!(same_company("ｶ ﾞ", "ガ"));
    assert!(holder_equal("a¨\u{ff9e}¡", " a¨ \u{ff9e}¡"));
}
