//! Building the store from the demo set's files: the whole `ca/` folder, PEM or DER files one by one, and the
//! mistakes an operator can make with them.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use ebid_trust::{TrustError, TrustStore};
use time::Duration;

use support::{certificate, copy_of_demo, demo, now, read, store};

fn ca_dir() -> PathBuf {
    demo().dir.join("ca")
}

fn verdict(store: &TrustStore, name: &str) -> Result<(), String> {
    store
        .validate(&certificate(name), now())
        .map(drop)
        .map_err(|error| format!("{error:?}"))
}

#[test]
fn the_configured_store_checks_the_demo_root_against_its_crl_and_not_the_jpki_ca() {
    let unchecked = store().cas_without_crl();
    assert_eq!(unchecked.len(), 1, "{unchecked:?}");
    assert!(unchecked[0].contains("O=JPKI"), "{unchecked:?}");
}

#[test]
fn a_folder_trusts_every_ca_in_it_including_the_untrusted_root() {
    let folder = TrustStore::from_dir(&ca_dir()).expect("load the demo ca folder");
    assert_eq!(verdict(&folder, "replacement"), Ok(()));
    assert_eq!(verdict(&folder, "jpki"), Ok(()));
    assert_eq!(verdict(&folder, "untrusted"), Ok(()));
    assert_eq!(verdict(&folder, "revoked"), Err("Revoked".into()));
    let unchecked = folder.cas_without_crl();
    assert_eq!(unchecked.len(), 2, "{unchecked:?}");
    assert!(
        unchecked.iter().any(|name| name.contains("O=JPKI")),
        "{unchecked:?}"
    );
    assert!(
        unchecked
            .iter()
            .any(|name| name.contains("O=Untrusted demo")),
        "{unchecked:?}"
    );
}

#[test]
fn a_pem_only_folder_loads_the_same() {
    let (copy, _set) = copy_of_demo();
    let ca = copy.path().join("ca");
    for entry in fs::read_dir(&ca).expect("read the copy") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|extension| extension == "der") {
            fs::remove_file(&path).expect("remove DER file");
        }
    }
    let folder = TrustStore::from_dir(&ca).expect("load the PEM folder");
    assert_eq!(verdict(&folder, "replacement"), Ok(()));
    assert_eq!(verdict(&folder, "revoked"), Err("Revoked".into()));
    assert_eq!(folder.cas_without_crl().len(), 2);
}

#[test]
fn pem_files_named_one_by_one_load_the_same() {
    let ca = &demo().ca;
    let pem = TrustStore::from_files(
        &[ca.demo_root.pem.clone(), ca.demo_jpki_root.pem.clone()],
        std::slice::from_ref(&ca.demo_root_crl.pem),
    )
    .expect("load PEM files");
    assert_eq!(verdict(&pem, "current"), Ok(()));
    assert_eq!(verdict(&pem, "jpki-replacement"), Ok(()));
    assert_eq!(verdict(&pem, "untrusted"), Err("UntrustedIssuer".into()));
    assert_eq!(verdict(&pem, "revoked"), Err("Revoked".into()));
}

#[test]
fn several_certificates_in_one_pem_file_are_all_trusted() {
    let ca = &demo().ca;
    let dir = tempfile::tempdir().expect("temporary directory");
    let bundle = dir.path().join("bundle.pem");
    let mut text = read(&ca.demo_root.pem);
    text.extend(read(&ca.demo_jpki_root.pem));
    fs::write(&bundle, text).expect("write bundle");
    let bundled = TrustStore::from_files(&[bundle], std::slice::from_ref(&ca.demo_root_crl.der))
        .expect("load the bundle");
    assert_eq!(verdict(&bundled, "replacement"), Ok(()));
    assert_eq!(verdict(&bundled, "jpki"), Ok(()));
}

fn load_error(cas: &[PathBuf], crls: &[PathBuf]) -> TrustError {
    match TrustStore::from_files(cas, crls) {
        Ok(_) => panic!("loading {cas:?} and {crls:?} should fail"),
        Err(error) => error,
    }
}

#[test]
fn a_missing_file_is_named() {
    let missing = ca_dir().join("no-such-root.der");
    let error = load_error(std::slice::from_ref(&missing), &[]);
    assert!(
        matches!(&error, TrustError::Io { path, .. } if path == &missing),
        "{error:?}"
    );
    assert!(error.to_string().contains("no-such-root.der"), "{error}");
}

#[test]
fn a_key_or_a_crl_is_no_ca_certificate_and_a_certificate_is_no_crl() {
    let ca = &demo().ca;
    for not_a_ca in [
        &ca.demo_root_key,
        &ca.demo_root_crl.der,
        &ca.demo_root_crl.pem,
    ] {
        let error = load_error(std::slice::from_ref(not_a_ca), &[]);
        assert!(
            matches!(error, TrustError::BadCaCertificate(_)),
            "{}: {error:?}",
            not_a_ca.display()
        );
    }
    let root = ca.demo_root.der.clone();
    for not_a_crl in [&ca.demo_root.der, &ca.demo_root.pem] {
        let error = load_error(std::slice::from_ref(&root), std::slice::from_ref(not_a_crl));
        assert!(
            matches!(error, TrustError::CrlUnusable(_)),
            "{}: {error:?}",
            not_a_crl.display()
        );
    }
}

#[test]
fn a_store_without_a_ca_is_refused() {
    let error = TrustStore::new(Vec::new(), vec![read(&demo().ca.demo_root_crl.der)])
        .expect_err("no CA must fail");
    assert!(matches!(error, TrustError::NoCaCertificate), "{error:?}");
}

#[test]
fn two_crls_of_one_ca_are_refused_rather_than_one_picked() {
    let (_copy, set) = copy_of_demo();
    set.reissue_crl(now() - Duration::days(31))
        .expect("reissue the CRL");
    let root = demo().ca.demo_root.der.clone();
    let fresh = demo().ca.demo_root_crl.der.clone();
    let stale = set.ca.demo_root_crl.der.clone();
    let error = load_error(&[root], &[stale, fresh]);
    assert!(
        matches!(&error, TrustError::CrlUnusable(message) if message.contains("O=ebid demo")),
        "{error:?}"
    );
}

#[test]
fn a_folder_that_is_not_there_is_named() {
    let missing = Path::new("/nonexistent/ebid-trust");
    let error = TrustStore::from_dir(missing).expect_err("a missing folder must fail");
    assert!(
        matches!(&error, TrustError::Io { path, .. } if path == missing),
        "{error:?}"
    );
}
