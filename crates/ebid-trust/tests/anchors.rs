//! Trust anchors are checked where webpki does not look: that they are CAs and their validity, at load (a
//! clear error for the operator) and at the server's time of each validation.

mod support;

use std::path::PathBuf;

use ebid_protocol::RefusalCode;
use ebid_trust::{TrustError, TrustFiles, TrustStore};
use time::Duration;

use support::{card_params, certificate, crl, demo, demo_files, issue, now, root};

fn load_error(cas: Vec<PathBuf>) -> TrustError {
    let files = TrustFiles {
        cas,
        ..demo_files(demo())
    };
    match TrustStore::load(&files, now()) {
        Ok(_) => panic!("the store should be refused"),
        Err(error) => error,
    }
}

#[test]
fn a_card_named_as_a_trusted_ca_is_refused_at_load() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("replacement.der");
    std::fs::write(&path, certificate("replacement")).expect("write");
    let error = load_error(vec![demo().ca.demo_root.der.clone(), path]);
    assert!(
        matches!(&error, TrustError::BadCaCertificate(message) if message.contains("is not a CA certificate") && message.contains("株式会社")),
        "{error:?}"
    );
}

#[test]
fn a_self_signed_certificate_without_the_ca_flag_is_refused_at_load() {
    let not_ca = root(
        "ebid CAではない",
        now() - Duration::days(1),
        now() + Duration::days(365),
        false,
    );
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("not-ca.pem");
    std::fs::write(&path, not_ca.pem()).expect("write");
    let error = load_error(vec![path]);
    assert!(
        matches!(&error, TrustError::BadCaCertificate(message) if message.contains("CN=ebid CAではない") && message.contains("cA=true")),
        "{error:?}"
    );
    assert_eq!(error.refusal_code(), RefusalCode::ServerError);
}

#[test]
fn a_ca_expired_when_the_store_loads_is_refused_with_its_date() {
    let expired = root(
        "ebid 期限切れ認証局",
        now() - Duration::days(400),
        now() - Duration::days(2),
        true,
    );
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("expired.der");
    std::fs::write(&path, expired.der()).expect("write");
    let error = load_error(vec![demo().ca.demo_root.der.clone(), path]);
    let expected_date = (now() - Duration::days(2))
        .format(&time::format_description::well_known::Rfc3339)
        .expect("format");
    assert!(
        matches!(&error, TrustError::BadCaCertificate(message) if message.contains("ebid 期限切れ認証局") && message.contains(&format!("expired on {expected_date}"))),
        "{error:?}"
    );
}

#[test]
fn a_card_of_a_ca_that_expires_while_the_server_runs_is_refused_for_that() {
    let ca_end = now() + Duration::days(10);
    let ca = root(
        "ebid まもなく期限切れ認証局",
        now() - Duration::days(400),
        ca_end,
        true,
    );
    let card = issue(&card_params(31), &ca);
    let store = TrustStore::new(
        vec![
            ca.der().to_vec(),
            std::fs::read(&demo().ca.demo_root.der).expect("root"),
        ],
        vec![crl(&ca, &[]).der().to_vec()],
        now(),
    )
    .expect("a CA valid at load");
    let before = store.validate(card.der(), ca_end);
    assert!(before.is_ok(), "the CA's last second: {before:?}");
    let after = store.validate(card.der(), ca_end + Duration::seconds(1));
    assert!(
        matches!(&after, Err(TrustError::IssuerExpired(message)) if message.contains("ebid まもなく期限切れ認証局")),
        "{after:?}"
    );
    assert_eq!(
        after.err().map(|error| error.refusal_code()),
        Some(RefusalCode::IssuerExpired)
    );
    // Other CAs' cards are not concerned: the demo root's card is refused only for the demo root's own CRL,
    // which this store does not hold.
    let other = store.validate(&certificate("replacement"), ca_end + Duration::seconds(1));
    assert!(
        matches!(other, Err(TrustError::RevocationUnavailable(_))),
        "{other:?}"
    );
}

#[test]
fn a_card_of_an_unknown_ca_stays_unknown_when_a_trusted_ca_has_expired() {
    let ca_end = now() + Duration::days(10);
    let ca = root(
        "ebid まもなく期限切れ認証局",
        now() - Duration::days(400),
        ca_end,
        true,
    );
    let store = TrustStore::new(
        vec![ca.der().to_vec()],
        vec![crl(&ca, &[]).der().to_vec()],
        now(),
    )
    .expect("store");
    let result = store.validate(&certificate("untrusted"), ca_end + Duration::days(1));
    assert!(
        matches!(result, Err(TrustError::UntrustedIssuer)),
        "{result:?}"
    );
}

#[test]
fn a_ca_not_valid_yet_vouches_for_nothing_until_it_starts() {
    let start = now() + Duration::days(5);
    let ca = root(
        "ebid 未来の認証局",
        start,
        now() + Duration::days(3650),
        true,
    );
    let mut params = card_params(32);
    params.not_before = now() - Duration::days(1);
    let card = issue(&params, &ca);
    let store = TrustStore::new(
        vec![ca.der().to_vec()],
        vec![crl(&ca, &[]).der().to_vec()],
        now(),
    )
    .expect("a CA that starts later loads");
    let early = store.validate(card.der(), now());
    assert!(
        matches!(early, Err(TrustError::UntrustedIssuer)),
        "{early:?}"
    );
    let later = store.validate(card.der(), start + Duration::days(1));
    assert!(later.is_ok(), "{later:?}");
}
