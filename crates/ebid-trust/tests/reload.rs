//! The store re-reads a CRL file that changed, or whose CRL has passed its nextUpdate, without being built
//! again; an unusable file keeps the last good CRL until that one is out of date too.

mod support;

use ebid_trust::{TrustError, TrustStore};
use time::Duration;

use support::{
    card, certificate, copy_of_demo, crl, crl_from, demo_files, demo_root, now, replace_file,
};

fn serial(name: &str) -> Vec<u8> {
    card(name).signing_serial.as_bytes().to_vec()
}

#[test]
fn a_crl_replaced_on_disk_revokes_a_card_at_the_next_validation() {
    let (_copy, set) = copy_of_demo();
    let store = TrustStore::load(&demo_files(&set), now()).expect("store");
    let replacement = certificate("replacement");
    assert!(store.validate(&replacement, now()).is_ok());

    let revoking = crl(&demo_root(), &[&serial("revoked"), &serial("replacement")]);
    replace_file(&set.ca.demo_root_crl.der, revoking.der());
    let result = store.validate(&replacement, now());
    assert!(matches!(result, Err(TrustError::Revoked)), "{result:?}");
}

#[test]
fn a_crl_rewritten_in_place_is_read_again_too() {
    let (_copy, set) = copy_of_demo();
    let store = TrustStore::load(&demo_files(&set), now()).expect("store");
    let current = certificate("current");
    assert!(store.validate(&current, now()).is_ok());
    // One more entry: the size changes whatever the clock's resolution.
    let revoking = crl(&demo_root(), &[&serial("revoked"), &serial("current")]);
    std::fs::write(&set.ca.demo_root_crl.der, revoking.der()).expect("rewrite");
    let result = store.validate(&current, now());
    assert!(matches!(result, Err(TrustError::Revoked)), "{result:?}");
}

#[test]
fn a_stale_crl_replaced_by_a_fresh_one_lets_cards_in_again() {
    let (_copy, set) = copy_of_demo();
    let stale = crl_from(
        &demo_root(),
        &[&serial("revoked")],
        now() - Duration::days(31),
    );
    replace_file(&set.ca.demo_root_crl.der, stale.der());
    let store = TrustStore::load(&demo_files(&set), now()).expect("a stale CRL still loads");
    let replacement = certificate("replacement");
    let refused = store.validate(&replacement, now());
    assert!(
        matches!(&refused, Err(TrustError::CrlOutOfDate(message)) if message.contains("demo-root.crl.der")),
        "{refused:?}"
    );
    // Still out of date when asked again with nothing changed on disk.
    assert!(matches!(
        store.validate(&replacement, now()),
        Err(TrustError::CrlOutOfDate(_))
    ));

    let fresh = crl_from(
        &demo_root(),
        &[&serial("revoked")],
        now() - Duration::hours(1),
    );
    replace_file(&set.ca.demo_root_crl.der, fresh.der());
    let accepted = store.validate(&replacement, now());
    assert!(accepted.is_ok(), "{accepted:?}");
    let revoked = store.validate(&certificate("revoked"), now());
    assert!(matches!(revoked, Err(TrustError::Revoked)), "{revoked:?}");
}

#[test]
fn a_crl_file_that_goes_missing_or_bad_keeps_the_last_good_crl_until_it_is_out_of_date() {
    let (_copy, set) = copy_of_demo();
    let store = TrustStore::load(&demo_files(&set), now()).expect("store");
    let replacement = certificate("replacement");
    let crl_file = &set.ca.demo_root_crl.der;

    std::fs::remove_file(crl_file).expect("remove the CRL");
    assert!(store.validate(&replacement, now()).is_ok());
    let revoked = store.validate(&certificate("revoked"), now());
    assert!(
        matches!(revoked, Err(TrustError::Revoked)),
        "the last good CRL: {revoked:?}"
    );

    replace_file(crl_file, b"not a CRL");
    assert!(store.validate(&replacement, now()).is_ok());

    // The demo root's CRL was current for 30 days from the set's `now`.
    let later = now() + Duration::days(30);
    let result = store.validate(&replacement, later);
    assert!(
        matches!(result, Err(TrustError::CrlOutOfDate(_))),
        "{result:?}"
    );
}

#[test]
fn a_crl_replaced_by_a_second_crl_of_another_files_ca_is_not_taken() {
    let (_copy, set) = copy_of_demo();
    let store = TrustStore::load(&demo_files(&set), now()).expect("store");
    // The JPKI CA's CRL file now holds a CRL of the demo root revoking `replacement`: two CRLs of one CA.
    let rival = crl(&demo_root(), &[&serial("replacement")]);
    replace_file(&set.ca.demo_jpki_root_crl.der, rival.der());
    let replacement = store.validate(&certificate("replacement"), now());
    assert!(
        replacement.is_ok(),
        "the rival is not taken: {replacement:?}"
    );
    let jpki = store.validate(&certificate("jpki-replacement"), now());
    assert!(jpki.is_ok(), "the JPKI CA's last good CRL stays: {jpki:?}");
}
