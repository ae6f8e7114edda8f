//! Revocation fails closed: a card whose CA has no CRL in the store is refused, unless the operator exempted
//! that CA; intermediates configured on the store chain cards without the client sending them.

mod support;

use std::path::{Path, PathBuf};

use ebid_protocol::RefusalCode;
use ebid_trust::{TrustError, TrustFiles, TrustStore};
use time::Duration;

use support::{card_params, certificate, crl, demo, demo_files, demo_root, issue, now, sub_ca};

fn load(files: &TrustFiles) -> TrustStore {
    TrustStore::load(files, now()).expect("trust store")
}

/// The demo configuration without the JPKI CA's CRL.
fn without_jpki_crl() -> TrustFiles {
    TrustFiles {
        crls: vec![demo().ca.demo_root_crl.der.clone()],
        ..demo_files(demo())
    }
}

#[test]
fn the_store_is_shared_by_request_tasks() {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<TrustStore>();
}

#[test]
fn a_card_whose_ca_has_no_crl_is_refused_naming_the_ca() {
    let store = load(&without_jpki_crl());
    let result = store.validate(&certificate("jpki-replacement"), now());
    assert!(
        matches!(&result, Err(TrustError::RevocationUnavailable(message)) if message.contains("O=JPKI")),
        "{result:?}"
    );
    assert_eq!(
        result.err().map(|error| error.refusal_code()),
        Some(RefusalCode::RevocationUnavailable)
    );
    let unchecked = store.cas_without_crl();
    assert_eq!(unchecked.len(), 1, "{unchecked:?}");
    assert!(unchecked[0].contains("O=JPKI"), "{unchecked:?}");
    // The demo root's cards are checked as before.
    assert!(store.validate(&certificate("replacement"), now()).is_ok());
}

#[test]
fn a_ca_the_operator_exempts_has_its_cards_accepted_without_a_crl() {
    let files = TrustFiles {
        no_revocation_check: vec![demo().ca.demo_jpki_root.pem.clone()],
        ..without_jpki_crl()
    };
    let store = load(&files);
    let jpki = store.validate(&certificate("jpki-replacement"), now());
    assert!(jpki.is_ok(), "{jpki:?}");
    assert_eq!(store.cas_without_crl(), Vec::<String>::new());
    let exempted = store.cas_without_revocation_check();
    assert_eq!(exempted.len(), 1, "{exempted:?}");
    assert!(exempted[0].contains("O=JPKI"), "{exempted:?}");
    // The exemption is the JPKI CA's alone: the demo root's revoked card is still refused.
    let revoked = store.validate(&certificate("revoked"), now());
    assert!(matches!(revoked, Err(TrustError::Revoked)), "{revoked:?}");
}

#[test]
fn an_exempted_ca_with_a_crl_is_still_checked_against_it() {
    let files = TrustFiles {
        no_revocation_check: vec![demo().ca.demo_root.der.clone()],
        ..demo_files(demo())
    };
    let store = load(&files);
    let revoked = store.validate(&certificate("revoked"), now());
    assert!(matches!(revoked, Err(TrustError::Revoked)), "{revoked:?}");
    let later = store.validate(&certificate("replacement"), now() + Duration::days(31));
    assert!(
        matches!(later, Err(TrustError::CrlOutOfDate(_))),
        "{later:?}"
    );
}

#[test]
fn a_store_without_any_crl_refuses_every_card_but_the_exempted_cas() {
    let none = TrustFiles {
        crls: Vec::new(),
        ..demo_files(demo())
    };
    let store = load(&none);
    for name in ["replacement", "jpki-replacement"] {
        let result = store.validate(&certificate(name), now());
        assert!(
            matches!(result, Err(TrustError::RevocationUnavailable(_))),
            "{name}: {result:?}"
        );
    }
    assert_eq!(store.cas_without_crl().len(), 2);

    let exempted = TrustFiles {
        no_revocation_check: vec![
            demo().ca.demo_root.der.clone(),
            demo().ca.demo_jpki_root.der.clone(),
        ],
        ..none
    };
    let store = load(&exempted);
    for name in ["replacement", "jpki-replacement"] {
        let result = store.validate(&certificate(name), now());
        assert!(result.is_ok(), "{name}: {result:?}");
    }
    // Without a CRL, nothing says the revoked card is revoked: that is what the exemption means.
    assert!(store.validate(&certificate("revoked"), now()).is_ok());
}

/// Writes `bytes` into `dir/name` and returns the path.
fn file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write file");
    path
}

#[test]
fn an_intermediate_configured_on_the_store_chains_cards_and_its_crl_is_needed() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let sub = sub_ca(
        21,
        now() - Duration::days(100),
        now() + Duration::days(3650),
    );
    let issued = issue(&card_params(21), &sub);
    let sub_file = file(dir.path(), "sub.pem", sub.pem().as_bytes());
    let sub_crl = file(dir.path(), "sub.crl.der", crl(&sub, &[]).der());

    // Without the intermediate, the card chains to nothing the store knows.
    let without = load(&TrustFiles {
        crls: [demo_files(demo()).crls, vec![sub_crl.clone()]].concat(),
        ..demo_files(demo())
    });
    let alone = without.validate(issued.der(), now());
    assert!(
        matches!(alone, Err(TrustError::UntrustedIssuer)),
        "{alone:?}"
    );

    // With it and its CRL, the card validates without the client sending the intermediate.
    let with = load(&TrustFiles {
        intermediates: vec![sub_file.clone()],
        crls: [demo_files(demo()).crls, vec![sub_crl]].concat(),
        ..demo_files(demo())
    });
    let chained = with.validate(issued.der(), now());
    assert!(chained.is_ok(), "{chained:?}");

    // With it but without its CRL, revocation of its cards cannot be checked.
    let no_crl = TrustFiles {
        intermediates: vec![sub_file.clone()],
        ..demo_files(demo())
    };
    let store = load(&no_crl);
    let result = store.validate(issued.der(), now());
    assert!(
        matches!(&result, Err(TrustError::RevocationUnavailable(message)) if message.contains("ebid デモ中間認証局 21")),
        "{result:?}"
    );
    let unchecked = store.cas_without_crl();
    assert!(
        unchecked == ["C=JP, CN=ebid デモ中間認証局 21"],
        "{unchecked:?}"
    );
    // Unless the operator exempts the intermediate; the demo root's CRL still covers the intermediate itself.
    let exempted = load(&TrustFiles {
        no_revocation_check: vec![sub_file],
        ..no_crl
    });
    let result = exempted.validate(issued.der(), now());
    assert!(result.is_ok(), "{result:?}");
}

#[test]
fn an_intermediate_that_is_not_a_ca_or_has_expired_is_refused_at_load() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let card = issue(&card_params(22), &demo_root());
    let not_a_ca = file(dir.path(), "card.der", card.der());
    let error = TrustStore::load(
        &TrustFiles {
            intermediates: vec![not_a_ca],
            ..demo_files(demo())
        },
        now(),
    )
    .expect_err("a card is no intermediate");
    assert!(
        matches!(&error, TrustError::BadCaCertificate(message) if message.contains("not a CA")),
        "{error:?}"
    );

    let expired = sub_ca(23, now() - Duration::days(100), now() - Duration::days(1));
    let expired = file(dir.path(), "expired.der", expired.der());
    let error = TrustStore::load(
        &TrustFiles {
            intermediates: vec![expired],
            ..demo_files(demo())
        },
        now(),
    )
    .expect_err("an expired intermediate");
    assert!(
        matches!(&error, TrustError::BadCaCertificate(message) if message.contains("expired on")),
        "{error:?}"
    );
}
