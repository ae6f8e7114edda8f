//! The generated demo set, checked with parsers and tools the demo CA did not write: x509-parser, the `rsa`
//! and `p256` crates, and OpenSSL when it is installed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use ebid_democa::{CardProfile, DemoCard, DemoSet, PinKind};
use ebid_vcard::spec::{CardSpec, KeySlot};
use time::{Duration, OffsetDateTime};
use x509_parser::der_parser::asn1_rs::{Any, FromDer, Utf8String};
use x509_parser::extensions::GeneralName;
use x509_parser::prelude::{ASN1Time, X509Certificate, X509Name};
use x509_parser::x509::ReasonCode;

/// One set for the whole test binary: generating takes seconds (RSA keys), and every test only reads it.
/// It lives under cargo's per-package scratch directory rather than in a `TempDir`, which a static would never
/// drop: `cargo clean` removes it.
fn demo() -> &'static DemoSet {
    static SET: OnceLock<DemoSet> = OnceLock::new();
    SET.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("ebid-democa-{}", std::process::id()));
        // A PID can come round again; start from an empty directory.
        let _ = std::fs::remove_dir_all(&dir);
        // Whole seconds: certificates keep no fractions, and the checks compare exact moments.
        let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
        let started = Instant::now();
        let set = ebid_democa::generate(&dir, now).expect("generate the demo set");
        println!(
            "demo set generated in {:.2?} into {}",
            started.elapsed(),
            dir.display()
        );
        set
    })
}

fn now() -> OffsetDateTime {
    demo().generated_at
}

fn card(name: &str) -> &'static DemoCard {
    demo()
        .card(name)
        .unwrap_or_else(|| panic!("no card {name} in the set"))
}

fn spec(name: &str) -> CardSpec {
    card(name).load_spec().expect("card file")
}

/// The slot holding the certificate the workflow signs with.
fn signing_slot(spec: &CardSpec) -> &KeySlot {
    match spec {
        CardSpec::Piv(piv) => &piv.slot_9c,
        CardSpec::Jpki(jpki) => &jpki.sign,
    }
}

fn all_slots(spec: &CardSpec) -> Vec<&KeySlot> {
    match spec {
        CardSpec::Piv(piv) => vec![&piv.slot_9c, &piv.slot_9a],
        CardSpec::Jpki(jpki) => vec![&jpki.sign, &jpki.auth],
    }
}

fn parse(der: &[u8]) -> X509Certificate<'_> {
    let (rest, certificate) = x509_parser::parse_x509_certificate(der).expect("certificate parses");
    assert!(rest.is_empty(), "trailing bytes after the certificate");
    certificate
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The issuing CA each card should chain to.
fn expected_ca_file(name: &str) -> &'static Path {
    let ca = &demo().ca;
    match name {
        "untrusted" => &ca.untrusted_root.der,
        "jpki" | "jpki-replacement" => &ca.demo_jpki_root.der,
        _ => &ca.demo_root.der,
    }
}

/// (attribute OID, ASN.1 tag, text) of each attribute, in order.
fn attributes(name: &X509Name<'_>) -> Vec<(String, u32, String)> {
    name.iter_attributes()
        .map(|attribute| {
            let value = attribute.attr_value();
            (
                attribute.attr_type().to_id_string(),
                value.tag().0,
                String::from_utf8(value.data.to_vec()).expect("UTF-8 or ASCII string"),
            )
        })
        .collect()
}

const PRINTABLE: u32 = 19;
const UTF8: u32 = 12;

fn years_from(moment: OffsetDateTime, years: i32) -> OffsetDateTime {
    moment.replace_year(moment.year() + years).unwrap()
}

#[test]
fn has_the_planned_cards_and_files() {
    let set = demo();
    let names: Vec<&str> = set.cards.iter().map(|card| card.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "current",
            "replacement",
            "expired",
            "other-company",
            "other-holder",
            "untrusted",
            "revoked",
            "not-yet-valid",
            "no-signing-usage",
            "shorter",
            "jpki",
            "jpki-replacement",
        ]
    );
    let ca_dir = set.dir.join("ca");
    for file in [
        "demo-root.der",
        "demo-root.pem",
        "demo-root.key.der",
        "demo-root.crl.der",
        "demo-root.crl.pem",
        "demo-jpki-root.der",
        "demo-jpki-root.pem",
        "demo-jpki-root.key.der",
        "demo-jpki-root.crl.der",
        "demo-jpki-root.crl.pem",
        "untrusted-root.der",
        "untrusted-root.pem",
    ] {
        assert!(ca_dir.join(file).is_file(), "missing ca/{file}");
    }
    for card in &set.cards {
        assert_eq!(
            card.file,
            set.dir.join("cards").join(format!("{}.json", card.name))
        );
        assert!(card.file.is_file());
        assert!(!card.description_ja.is_empty() && !card.description_en.is_empty());
    }
}

#[test]
fn manifest_and_card_files_round_trip() {
    let set = demo();
    assert_eq!(&DemoSet::load(&set.dir).expect("manifest loads"), set);
    for card in &set.cards {
        let text = read(&card.file);
        let spec: CardSpec = serde_json::from_slice(&text).expect("card file is a CardSpec");
        let again: serde_json::Value = serde_json::to_value(&spec).unwrap();
        assert_eq!(
            again,
            serde_json::from_slice::<serde_json::Value>(&text).unwrap()
        );
        let profile = match spec {
            CardSpec::Piv(_) => CardProfile::Piv,
            CardSpec::Jpki(_) => CardProfile::Jpki,
        };
        assert_eq!(profile, card.profile, "{}", card.name);
    }
    // The manifest's paths are relative, so the set can move.
    let manifest = String::from_utf8(read(&set.dir.join("manifest.json"))).unwrap();
    assert!(!manifest.contains(set.dir.to_str().unwrap()));
}

#[test]
fn pins_in_manifest_match_the_cards() {
    let expected = [
        ("current", "123456"),
        ("replacement", "654321"),
        ("expired", "111111"),
        ("other-company", "222222"),
        ("other-holder", "888888"),
        ("untrusted", "333333"),
        ("revoked", "444444"),
        ("not-yet-valid", "555555"),
        ("no-signing-usage", "666666"),
        ("shorter", "777777"),
    ];
    for (name, pin) in expected {
        assert_eq!(card(name).pin(PinKind::Piv), Some(pin));
        let CardSpec::Piv(piv) = spec(name) else {
            panic!("{name} is not PIV")
        };
        assert_eq!(
            (
                piv.pin.value.as_str(),
                piv.pin.max_tries,
                piv.pin.tries_left
            ),
            (pin, 3, 3)
        );
        assert_eq!(piv.card_uuid.len(), 16);
    }
    for (name, password, pin) in [
        ("jpki", "ABC123", "1234"),
        ("jpki-replacement", "XYZ789", "5678"),
    ] {
        assert_eq!(card(name).pin(PinKind::JpkiSign), Some(password));
        assert_eq!(card(name).pin(PinKind::JpkiAuth), Some(pin));
        let CardSpec::Jpki(jpki) = spec(name) else {
            panic!("{name} is not JPKI")
        };
        assert_eq!(
            (
                jpki.sign_pin.value.as_str(),
                jpki.sign_pin.max_tries,
                jpki.sign_pin.tries_left
            ),
            (password, 5, 5)
        );
        assert_eq!(
            (
                jpki.auth_pin.value.as_str(),
                jpki.auth_pin.max_tries,
                jpki.auth_pin.tries_left
            ),
            (pin, 3, 3)
        );
        let jpki_ca = read(&demo().ca.demo_jpki_root.der);
        assert_eq!(jpki.sign_ca_certificate, jpki_ca);
        assert_eq!(jpki.auth_ca_certificate, jpki_ca);
    }
}

#[test]
fn roots_are_self_signed_cas() {
    let ca = &demo().ca;
    for (path, common_name) in [
        (&ca.demo_root.der, Some("ebid デモ認証局")),
        (&ca.demo_jpki_root.der, None),
        (&ca.untrusted_root.der, Some("信頼されていない認証局")),
    ] {
        let der = read(path);
        let root = parse(&der);
        root.verify_signature(None).expect("self-signed");
        assert_eq!(root.subject(), root.issuer());
        assert!(root.is_ca());
        let usage = root.key_usage().unwrap().expect("key usage").value;
        assert!(usage.key_cert_sign() && usage.crl_sign());
        assert!(root.validity().is_valid_at(ASN1Time::new(now())));
        let cn = root
            .subject()
            .iter_common_name()
            .next()
            .map(|cn| cn.as_str().unwrap());
        assert_eq!(cn, common_name);
        let pem = String::from_utf8(read(&path.with_extension("pem"))).unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    }
}

#[test]
fn every_certificate_is_signed_by_its_ca_and_no_other() {
    let ca = &demo().ca;
    let roots: Vec<Vec<u8>> = [
        &ca.demo_root.der,
        &ca.demo_jpki_root.der,
        &ca.untrusted_root.der,
    ]
    .into_iter()
    .map(|path| read(path))
    .collect();
    for card in &demo().cards {
        let expected = read(expected_ca_file(&card.name));
        let spec = card.load_spec().unwrap();
        for slot in all_slots(&spec) {
            let certificate = parse(&slot.certificate);
            for root_der in &roots {
                let root = parse(root_der);
                let verified = certificate.verify_signature(Some(root.public_key()));
                if *root_der == expected {
                    verified.unwrap_or_else(|e| panic!("{}: not signed by its CA: {e}", card.name));
                    assert_eq!(certificate.issuer(), root.subject(), "{}", card.name);
                } else {
                    assert!(
                        verified.is_err(),
                        "{}: verifies under a foreign root",
                        card.name
                    );
                }
            }
            assert!(!certificate.is_ca(), "{}", card.name);
        }
    }
}

#[test]
fn validity_windows_are_relative_to_now() {
    let now = now();
    let validity = |name: &str| {
        let spec = spec(name);
        let certificate = parse(&signing_slot(&spec).certificate);
        let validity = certificate.validity();
        (
            validity.not_before.to_datetime(),
            validity.not_after.to_datetime(),
        )
    };
    let day = Duration::days(1);

    let (current_from, current_until) = validity("current");
    assert_eq!(current_from, years_from(now, -4) - 340 * day);
    assert_eq!(current_until, now + 20 * day);

    let (from, until) = validity("replacement");
    assert_eq!(from, now - 9 * day);
    assert_eq!(until, years_from(now, 4) + 355 * day);
    assert!(until < years_from(from, 5), "a term is under five years");
    assert!(until > current_until);

    let (_, until) = validity("expired");
    assert_eq!(until, now - 10 * day);

    let (from, _) = validity("not-yet-valid");
    assert_eq!(from, now + 30 * day);

    let (from, until) = validity("shorter");
    assert!(from < now);
    assert_eq!(until, now + 10 * day);
    assert!(until <= current_until);

    for name in ["other-company", "untrusted", "revoked", "no-signing-usage"] {
        let (from, until) = validity(name);
        assert!(from <= now && now < until, "{name} is valid now");
        assert!(until > current_until, "{name} outlasts the current card");
        assert!(until < years_from(from, 5), "{name}: under five years");
    }
    for name in ["other-company", "no-signing-usage"] {
        let (from, until) = validity(name);
        assert_eq!(until, years_from(from, 4), "{name}: four years");
    }

    let (from, until) = validity("jpki");
    assert!(from < now);
    assert_eq!(until, now + 60 * day);
    let (from, until) = validity("jpki-replacement");
    assert!(from <= now);
    assert_eq!(until, years_from(now, 5) - day);

    // The other slot of each card has the same window as the signing one.
    for card in &demo().cards {
        let spec = card.load_spec().unwrap();
        let windows: Vec<_> = all_slots(&spec)
            .into_iter()
            .map(|slot| {
                let certificate = parse(&slot.certificate);
                let validity = certificate.validity();
                (
                    validity.not_before.to_datetime(),
                    validity.not_after.to_datetime(),
                )
            })
            .collect();
        assert_eq!(windows[0], windows[1], "{}", card.name);
    }
}

#[test]
fn revoked_serial_is_on_the_crl() {
    let set = demo();
    let der = read(&set.ca.demo_root_crl.der);
    let (_, crl) = x509_parser::parse_x509_crl(&der).expect("CRL parses");
    let root_der = read(&set.ca.demo_root.der);
    let root = parse(&root_der);
    crl.verify_signature(root.public_key())
        .expect("CRL signed by the demo root");
    assert_eq!(crl.issuer(), root.subject());
    assert_eq!(crl.last_update().to_datetime(), now());
    assert_eq!(
        crl.next_update().unwrap().to_datetime(),
        now() + Duration::days(30)
    );

    let revoked: Vec<_> = crl.iter_revoked_certificates().collect();
    assert_eq!(revoked.len(), 1);
    let revoked_spec = spec("revoked");
    let revoked_certificate = parse(&signing_slot(&revoked_spec).certificate);
    assert_eq!(revoked[0].raw_serial(), revoked_certificate.raw_serial());
    assert_eq!(
        revoked[0].raw_serial(),
        card("revoked").signing_serial.as_bytes()
    );
    assert_eq!(
        revoked[0].reason_code().map(|(_, reason)| reason),
        Some(ReasonCode::KeyCompromise)
    );

    let flagged: Vec<_> = set
        .cards
        .iter()
        .filter(|card| card.revoked)
        .map(|card| card.name.as_str())
        .collect();
    assert_eq!(flagged, ["revoked"]);
    let pem = String::from_utf8(read(&set.ca.demo_root_crl.pem)).unwrap();
    assert!(pem.starts_with("-----BEGIN X509 CRL-----"));
}

#[test]
fn the_jpki_ca_has_a_crl_of_its_own_listing_no_card() {
    let set = demo();
    let der = read(&set.ca.demo_jpki_root_crl.der);
    let (_, crl) = x509_parser::parse_x509_crl(&der).expect("CRL parses");
    let jpki_der = read(&set.ca.demo_jpki_root.der);
    let jpki = parse(&jpki_der);
    crl.verify_signature(jpki.public_key())
        .expect("CRL signed by the demo JPKI CA");
    assert_eq!(crl.issuer(), jpki.subject());
    assert_eq!(
        crl.next_update().unwrap().to_datetime(),
        now() + Duration::days(30)
    );
    assert_eq!(crl.iter_revoked_certificates().count(), 0);
    let pem = String::from_utf8(read(&set.ca.demo_jpki_root_crl.pem)).unwrap();
    assert!(pem.starts_with("-----BEGIN X509 CRL-----"));
}

#[test]
fn serials_are_random_positive_16_bytes_and_unique() {
    let mut serials = Vec::new();
    for card in &demo().cards {
        let spec = card.load_spec().unwrap();
        let signing = parse(&signing_slot(&spec).certificate);
        assert_eq!(
            signing.raw_serial(),
            card.signing_serial.as_bytes(),
            "{}",
            card.name
        );
        for slot in all_slots(&spec) {
            serials.push(parse(&slot.certificate).raw_serial().to_vec());
        }
    }
    let ca = &demo().ca;
    for path in [
        &ca.demo_root.der,
        &ca.demo_jpki_root.der,
        &ca.untrusted_root.der,
    ] {
        serials.push(parse(&read(path)).raw_serial().to_vec());
    }
    for serial in &serials {
        assert_eq!(serial.len(), 16);
        assert_eq!(serial[0] & 0x80, 0, "positive");
    }
    let count = serials.len();
    serials.sort();
    serials.dedup();
    assert_eq!(serials.len(), count, "serials are unique");
}

#[test]
fn private_keys_match_their_certificates() {
    // p256 and rsa share one pkcs8 crate, so these traits serve both.
    use p256::pkcs8::{DecodePrivateKey as _, EncodePublicKey as _};

    let rsa_spki = |pkcs8: &[u8]| {
        let key = rsa::PrivateKey::from_pkcs8_der(pkcs8).expect("RSA PKCS#8");
        assert_eq!(rsa::traits::PublicKeyParts::size(&key), 256, "RSA-2048");
        key.to_public_key()
            .to_public_key_der()
            .unwrap()
            .as_bytes()
            .to_vec()
    };
    let ec_spki = |pkcs8: &[u8]| {
        let key = p256::SecretKey::from_pkcs8_der(pkcs8).expect("P-256 PKCS#8");
        key.public_key()
            .to_public_key_der()
            .unwrap()
            .as_bytes()
            .to_vec()
    };
    for card in &demo().cards {
        let spec = card.load_spec().unwrap();
        let slots: Vec<(&KeySlot, bool)> = match &spec {
            CardSpec::Piv(piv) => vec![(&piv.slot_9c, true), (&piv.slot_9a, false)],
            CardSpec::Jpki(jpki) => vec![(&jpki.sign, true), (&jpki.auth, true)],
        };
        for (slot, is_rsa) in slots {
            let certificate = parse(&slot.certificate);
            let from_key = if is_rsa {
                rsa_spki(&slot.private_key_pkcs8)
            } else {
                ec_spki(&slot.private_key_pkcs8)
            };
            assert_eq!(from_key, certificate.public_key().raw, "{}", card.name);
        }
    }
    let root_key = read(&demo().ca.demo_root_key);
    assert_eq!(
        rsa_spki(&root_key),
        parse(&read(&demo().ca.demo_root.der)).public_key().raw
    );
}

#[test]
fn current_card_names_the_company_in_romaji_and_kanji() {
    let spec = spec("current");
    let certificate = parse(&signing_slot(&spec).certificate);
    assert_eq!(
        attributes(certificate.subject()),
        [
            ("2.5.4.6".into(), PRINTABLE, "JP".into()),
            (
                "2.5.4.10".into(),
                PRINTABLE,
                "Nagasaki Doboku Co., Ltd.".into()
            ),
            ("2.5.4.3".into(), PRINTABLE, "Taro Nagasaki".into()),
        ]
    );
    let alt_name = certificate
        .subject_alternative_name()
        .unwrap()
        .expect("subjectAltName");
    assert!(!alt_name.critical);
    let [GeneralName::DirectoryName(kanji)] = alt_name.value.general_names.as_slice() else {
        panic!(
            "one directoryName expected, got {:?}",
            alt_name.value.general_names
        )
    };
    assert_eq!(
        attributes(kanji),
        [
            ("2.5.4.6".into(), PRINTABLE, "JP".into()),
            ("2.5.4.8".into(), UTF8, "長崎県".into()),
            ("2.5.4.7".into(), UTF8, "長崎市尾上町3番1号".into()),
            ("2.5.4.10".into(), UTF8, "株式会社長崎土木".into()),
            ("2.5.4.3".into(), UTF8, "長崎 太郎".into()),
        ]
    );
    let usage = certificate.key_usage().unwrap().expect("key usage");
    assert!(usage.critical);
    assert!(usage.value.digital_signature() && usage.value.non_repudiation());
    assert!(!usage.value.key_encipherment());

    let CardSpec::Piv(piv) = &spec else {
        panic!("PIV")
    };
    let authentication = parse(&piv.slot_9a.certificate);
    assert_eq!(authentication.subject(), certificate.subject());
    assert_eq!(
        authentication
            .public_key()
            .algorithm
            .algorithm
            .to_id_string(),
        "1.2.840.10045.2.1",
        "9A holds an EC key"
    );
    let usage = authentication
        .key_usage()
        .unwrap()
        .expect("key usage")
        .value;
    assert!(usage.digital_signature() && !usage.non_repudiation());
}

#[test]
fn company_cards_name_the_company_in_kanji() {
    let subject = |name: &str| {
        let spec = spec(name);
        attributes(parse(&signing_slot(&spec).certificate).subject())
    };
    let company = |company: &str, holder: &str, locality: &str| {
        vec![
            ("2.5.4.6".to_string(), PRINTABLE, "JP".to_string()),
            ("2.5.4.8".into(), UTF8, "長崎県".into()),
            ("2.5.4.7".into(), UTF8, locality.into()),
            ("2.5.4.10".into(), UTF8, company.into()),
            ("2.5.4.3".into(), UTF8, holder.into()),
        ]
    };
    assert_eq!(
        subject("replacement"),
        company("株式会社 長崎土木", "長崎 太郎", "長崎市尾上町3番1号")
    );
    assert_eq!(
        subject("other-company"),
        company("有限会社佐世保建設", "佐世保 花子", "佐世保市八幡町1番10号")
    );
    for name in [
        "expired",
        "untrusted",
        "revoked",
        "not-yet-valid",
        "no-signing-usage",
        "shorter",
    ] {
        assert_eq!(
            subject(name),
            company("株式会社長崎土木", "長崎 太郎", "長崎市尾上町3番1号"),
            "{name}"
        );
    }
}

#[test]
fn key_usages_of_company_cards() {
    for card in demo()
        .cards
        .iter()
        .filter(|card| card.profile == CardProfile::Piv)
    {
        let spec = card.load_spec().unwrap();
        let certificate = parse(&signing_slot(&spec).certificate);
        let usage = certificate.key_usage().unwrap().expect("key usage").value;
        if card.name == "no-signing-usage" {
            assert!(usage.key_encipherment());
            assert!(!usage.digital_signature() && !usage.non_repudiation());
        } else {
            assert!(
                usage.digital_signature() && usage.non_repudiation(),
                "{}",
                card.name
            );
        }
    }
}

#[test]
fn jpki_cards_look_like_a_my_number_card() {
    for name in ["jpki", "jpki-replacement"] {
        let CardSpec::Jpki(jpki) = spec(name) else {
            panic!("{name} is JPKI")
        };
        let signing = parse(&jpki.sign.certificate);
        let subject = attributes(signing.subject());
        let types: Vec<&str> = subject.iter().map(|(oid, _, _)| oid.as_str()).collect();
        assert_eq!(
            types,
            ["2.5.4.6", "2.5.4.7", "2.5.4.7", "2.5.4.3"],
            "{name}"
        );
        assert_eq!(subject[1].2, "Nagasaki-ken");
        assert_eq!(subject[2].2, "Nagasaki-shi");
        assert!(
            !subject[3].2.contains("長崎"),
            "subject CN is not the person's name"
        );

        let alt_name = signing
            .subject_alternative_name()
            .unwrap()
            .expect("subjectAltName");
        let other_names: Vec<(String, String)> = alt_name
            .value
            .general_names
            .iter()
            .map(|general_name| {
                let GeneralName::OtherName(oid, value) = general_name else {
                    panic!("only otherNames expected, got {general_name:?}")
                };
                // value is `[0] EXPLICIT UTF8String`
                let (_, explicit) = Any::from_der(value).expect("[0]");
                let (_, text) = Utf8String::from_der(explicit.data).expect("UTF8String");
                (oid.to_id_string(), text.string())
            })
            .collect();
        for (oid, value) in [
            ("1.2.392.200149.8.5.5.1", "長崎 一郎"),
            ("1.2.392.200149.8.5.5.5", "長崎県長崎市江戸町2番13号"),
            ("1.2.392.200149.8.5.5.4", "19800101"),
            ("1.2.392.200149.8.5.5.3", "1"),
        ] {
            assert!(
                other_names.contains(&(oid.to_string(), value.to_string())),
                "{name}: {oid}"
            );
        }
        let usage = signing.key_usage().unwrap().expect("key usage").value;
        assert!(usage.digital_signature() && usage.non_repudiation());

        let authentication = parse(&jpki.auth.certificate);
        assert!(
            authentication.subject_alternative_name().unwrap().is_none(),
            "auth names nobody"
        );
        let auth_subject = attributes(authentication.subject());
        assert!(
            auth_subject
                .iter()
                .all(|(_, _, text)| !text.contains("長崎") && !text.contains("Nagasaki"))
        );
        let usage = authentication
            .key_usage()
            .unwrap()
            .expect("key usage")
            .value;
        assert!(usage.digital_signature() && !usage.non_repudiation());
    }
}

#[test]
fn reissued_crl_lists_the_same_card_from_a_moved_set() {
    let copy = tempfile::tempdir().unwrap();
    for sub in ["ca", "cards"] {
        std::fs::create_dir(copy.path().join(sub)).unwrap();
        for entry in std::fs::read_dir(demo().dir.join(sub)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), copy.path().join(sub).join(entry.file_name())).unwrap();
        }
    }
    std::fs::copy(
        demo().dir.join("manifest.json"),
        copy.path().join("manifest.json"),
    )
    .unwrap();

    let moved = DemoSet::load(copy.path()).unwrap();
    assert!(moved.card("current").unwrap().file.starts_with(copy.path()));
    let later = now() + Duration::days(45);
    moved.reissue_crl(later).unwrap();

    let der = read(&moved.ca.demo_root_crl.der);
    let (_, crl) = x509_parser::parse_x509_crl(&der).unwrap();
    let root_der = read(&moved.ca.demo_root.der);
    crl.verify_signature(parse(&root_der).public_key())
        .expect("signed by the demo root");
    assert_eq!(crl.last_update().to_datetime(), later);
    let serials: Vec<&[u8]> = crl
        .iter_revoked_certificates()
        .map(|revoked| revoked.raw_serial())
        .collect();
    assert_eq!(serials, [card("revoked").signing_serial.as_bytes()]);
    let first_der = read(&demo().ca.demo_root_crl.der);
    let (_, first) = x509_parser::parse_x509_crl(&first_der).unwrap();
    let first_revoked = first
        .iter_revoked_certificates()
        .next()
        .unwrap()
        .revocation_date;
    assert_eq!(
        crl.iter_revoked_certificates()
            .next()
            .unwrap()
            .revocation_date,
        first_revoked
    );

    let jpki_der = read(&moved.ca.demo_jpki_root_crl.der);
    let (_, jpki_crl) = x509_parser::parse_x509_crl(&jpki_der).unwrap();
    jpki_crl
        .verify_signature(parse(&read(&moved.ca.demo_jpki_root.der)).public_key())
        .expect("signed by the demo JPKI CA");
    assert_eq!(jpki_crl.last_update().to_datetime(), later);
    assert_eq!(jpki_crl.iter_revoked_certificates().count(), 0);
}

/// OpenSSL, which nobody here wrote, must agree: `current` chains to the demo root, `untrusted` does not,
/// and `revoked` is refused once the CRL is checked.
#[test]
fn openssl_agrees() {
    if Command::new("openssl").arg("version").output().is_err() {
        println!("skipped: openssl is not on PATH");
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let pem = |name: &str| {
        let der = scratch.path().join(format!("{name}.der"));
        let spec = spec(name);
        std::fs::write(&der, &signing_slot(&spec).certificate).unwrap();
        let pem = scratch.path().join(format!("{name}.pem"));
        let converted = Command::new("openssl")
            .args(["x509", "-inform", "DER", "-in"])
            .arg(&der)
            .arg("-out")
            .arg(&pem)
            .status()
            .unwrap();
        assert!(converted.success());
        pem
    };
    let verify = |extra: &[&Path], certificate: &Path| {
        let output = Command::new("openssl")
            .arg("verify")
            .arg("-CAfile")
            .arg(&demo().ca.demo_root.pem)
            .args(extra)
            .arg(certificate)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.success(), text)
    };

    let (ok, text) = verify(&[], &pem("current"));
    assert!(ok, "openssl refuses current: {text}");
    let (ok, text) = verify(&[], &pem("untrusted"));
    assert!(!ok, "openssl accepts untrusted: {text}");

    let crl = demo().ca.demo_root_crl.pem.as_path();
    let with_crl = [Path::new("-crl_check"), Path::new("-CRLfile"), crl];
    let (ok, text) = verify(&with_crl, &pem("replacement"));
    assert!(ok, "openssl refuses replacement with the CRL: {text}");
    let (ok, text) = verify(&with_crl, &pem("revoked"));
    assert!(
        !ok && text.contains("revoked"),
        "openssl accepts revoked: {text}"
    );
}
