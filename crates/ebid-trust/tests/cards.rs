//! Every card of the demo set, validated as the server validates it, and how the server's clock and the age of
//! its CRL decide.

mod support;

use ebid_protocol::RefusalCode;
use ebid_trust::TrustError;
use ebid_vcard::spec::CardSpec;
use time::Duration;

use support::{card, certificate, copy_of_demo, demo, now, spec, store, store_of};

/// What the trust checks make of each demo card when the set is new. Cards the server refuses for other
/// reasons (another company, another holder, a shorter term) carry trusted certificates.
const VERDICTS: &[(&str, Result<(), RefusalCode>)] = &[
    ("current", Ok(())),
    ("replacement", Ok(())),
    ("jpki", Ok(())),
    ("jpki-replacement", Ok(())),
    ("other-company", Ok(())),
    ("other-holder", Ok(())),
    ("shorter", Ok(())),
    ("expired", Err(RefusalCode::CertificateExpired)),
    ("not-yet-valid", Err(RefusalCode::CertificateNotYetValid)),
    ("untrusted", Err(RefusalCode::UntrustedIssuer)),
    ("revoked", Err(RefusalCode::CertificateRevoked)),
    ("no-signing-usage", Err(RefusalCode::NoSigningKeyUsage)),
];

#[test]
fn every_demo_card_gets_the_verdict_it_was_made_for() {
    for card in &demo().cards {
        assert!(
            VERDICTS.iter().any(|(name, _)| *name == card.name),
            "the demo set has a new card {}: say what the trust checks make of it",
            card.name
        );
    }
    let wrong: Vec<String> = VERDICTS
        .iter()
        .filter_map(|(name, expected)| {
            let result = store().validate(&certificate(name), now());
            let verdict = result.as_ref().map(drop).map_err(TrustError::refusal_code);
            (verdict != *expected).then(|| format!("{name}: expected {expected:?}, got {result:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_validated_certificate_carries_the_facts_the_server_needs_next() {
    let replacement = store()
        .validate(&certificate("replacement"), now())
        .expect("replacement validates");
    assert_eq!(replacement.der(), certificate("replacement"));
    let facts = replacement.facts();
    assert_eq!(facts.serial, card("replacement").signing_serial.to_string());
    assert_eq!(facts.company.as_deref(), Some("株式会社 長崎土木"));
    assert_eq!(facts.holder.as_deref(), Some("長崎 太郎"));
    assert_eq!(facts.fingerprint_sha256.len(), 64);

    // JPKI names its holder in otherNames, behind a serial-like subject; webpki leaves those alone.
    let jpki = store()
        .validate(&certificate("jpki"), now())
        .expect("jpki validates");
    assert_eq!(jpki.facts().holder.as_deref(), Some("長崎 一郎"));
    assert_eq!(jpki.facts().company, None);
}

#[test]
fn the_kanji_directory_name_in_subject_alt_name_is_accepted() {
    // `current` has a romanised subject and its kanji names in a SAN directoryName.
    let current = store()
        .validate(&certificate("current"), now())
        .expect("current validates");
    assert_eq!(current.facts().company.as_deref(), Some("株式会社長崎土木"));
}

#[test]
fn the_piv_authentication_certificate_with_digital_signature_only_validates() {
    let CardSpec::Piv(piv) = spec("current") else {
        panic!("current is a PIV card");
    };
    let result = store().validate(&piv.slot_9a.certificate, now());
    assert!(result.is_ok(), "{result:?}");
}

#[test]
fn the_server_clock_decides_when_the_current_card_expires() {
    let current = certificate("current");
    let before = store().validate(&current, now() + Duration::days(19));
    assert!(before.is_ok(), "{before:?}");
    let after = store().validate(&current, now() + Duration::days(21));
    assert!(matches!(after, Err(TrustError::Expired)), "{after:?}");
}

#[test]
fn the_server_clock_decides_when_a_new_card_starts() {
    // `replacement` starts 9 days before the set was made: a server whose clock is 10 days behind refuses it.
    let early = store().validate(&certificate("replacement"), now() - Duration::days(10));
    assert!(matches!(early, Err(TrustError::NotYetValid)), "{early:?}");
}

#[test]
fn a_crl_is_usable_until_its_next_update_and_not_at_it() {
    // The demo CRL is current for 30 days from the set's `now`; webpki counts nextUpdate itself as too late.
    let next_update = now() + Duration::days(30);
    let replacement = certificate("replacement");
    let last_second = store().validate(&replacement, next_update - Duration::seconds(1));
    assert!(last_second.is_ok(), "{last_second:?}");
    let at = store().validate(&replacement, next_update);
    assert!(matches!(at, Err(TrustError::CrlOutOfDate(_))), "{at:?}");
}

#[test]
fn a_month_later_the_stale_crls_refuse_every_card_as_out_of_date_naming_the_crl() {
    let later = now() + Duration::days(31);
    let replacement = store().validate(&certificate("replacement"), later);
    assert!(
        matches!(&replacement, Err(TrustError::CrlOutOfDate(message)) if message.contains("O=ebid demo") && message.contains("demo-root.crl.der")),
        "{replacement:?}"
    );
    assert_eq!(
        replacement.err().map(|error| error.refusal_code()),
        Some(RefusalCode::RevocationListOutOfDate)
    );
    let jpki = store().validate(&certificate("jpki-replacement"), later);
    assert!(
        matches!(&jpki, Err(TrustError::CrlOutOfDate(message)) if message.contains("O=JPKI")),
        "{jpki:?}"
    );
}

#[test]
fn a_crl_reissued_in_the_past_is_stale_now_even_for_the_revoked_card() {
    let (_copy, set) = copy_of_demo();
    set.reissue_crl(now() - Duration::days(31))
        .expect("reissue the CRL");
    let stale = store_of(&set);
    for name in ["replacement", "revoked", "current"] {
        let result = stale.validate(&certificate(name), now());
        assert!(
            matches!(result, Err(TrustError::CrlOutOfDate(_))),
            "{name}: {result:?}"
        );
    }
}

#[test]
fn with_a_fresh_crl_a_month_later_the_cards_meet_their_dates() {
    let (_copy, set) = copy_of_demo();
    set.reissue_crl(now() + Duration::days(25))
        .expect("reissue the CRL");
    let refreshed = store_of(&set);
    let later = now() + Duration::days(31);
    let verdict = |name: &str| {
        refreshed
            .validate(&certificate(name), later)
            .map(drop)
            .map_err(|error| error.refusal_code())
    };
    assert_eq!(verdict("replacement"), Ok(()));
    // It started 30 days after the set was made.
    assert_eq!(verdict("not-yet-valid"), Ok(()));
    assert_eq!(verdict("current"), Err(RefusalCode::CertificateExpired));
    assert_eq!(verdict("shorter"), Err(RefusalCode::CertificateExpired));
    assert_eq!(verdict("revoked"), Err(RefusalCode::CertificateRevoked));
}
