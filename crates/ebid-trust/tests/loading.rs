//! Building the store from the demo set's files: the whole `ca/` folder, PEM or DER files one by one, and the
//! mistakes an operator can make with them.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use ebid_trust::{TrustError, TrustFiles, TrustStore};
use time::Duration;

use support::{certificate, copy_of_demo, demo, demo_files, now, read, store};

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
fn the_configured_store_has_a_crl_of_each_ca() {
    assert_eq!(store().cas_without_crl(), Vec::<String>::new());
    assert_eq!(store().cas_without_revocation_check(), Vec::<String>::new());
}

/// A verdict's variant name, without the operator's detail.
fn kind(result: Result<(), String>) -> Result<(), String> {
    result.map_err(|debug| debug.split('(').next().unwrap_or_default().to_owned())
}

#[test]
fn a_folder_trusts_every_ca_in_it_and_refuses_the_cards_of_the_one_without_a_crl() {
    let folder = TrustStore::from_dir(&ca_dir(), now()).expect("load the demo ca folder");
    assert_eq!(verdict(&folder, "replacement"), Ok(()));
    assert_eq!(verdict(&folder, "jpki"), Ok(()));
    assert_eq!(
        kind(verdict(&folder, "untrusted")),
        Err("RevocationUnavailable".into())
    );
    assert_eq!(verdict(&folder, "revoked"), Err("Revoked".into()));
    let unchecked = folder.cas_without_crl();
    assert_eq!(unchecked.len(), 1, "{unchecked:?}");
    assert!(unchecked[0].contains("O=Untrusted demo"), "{unchecked:?}");
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
    let folder = TrustStore::from_dir(&ca, now()).expect("load the PEM folder");
    assert_eq!(verdict(&folder, "replacement"), Ok(()));
    assert_eq!(verdict(&folder, "jpki-replacement"), Ok(()));
    assert_eq!(verdict(&folder, "revoked"), Err("Revoked".into()));
    assert_eq!(folder.cas_without_crl().len(), 1);
}

#[test]
fn pem_files_named_one_by_one_load_the_same() {
    let ca = &demo().ca;
    let files = TrustFiles {
        cas: vec![ca.demo_root.pem.clone(), ca.demo_jpki_root.pem.clone()],
        crls: vec![
            ca.demo_root_crl.pem.clone(),
            ca.demo_jpki_root_crl.pem.clone(),
        ],
        ..TrustFiles::default()
    };
    let pem = TrustStore::load(&files, now()).expect("load PEM files");
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
    let files = TrustFiles {
        cas: vec![bundle],
        ..demo_files(demo())
    };
    let bundled = TrustStore::load(&files, now()).expect("load the bundle");
    assert_eq!(verdict(&bundled, "replacement"), Ok(()));
    assert_eq!(verdict(&bundled, "jpki"), Ok(()));
}

fn load_error(cas: &[PathBuf], crls: &[PathBuf]) -> TrustError {
    let files = TrustFiles {
        cas: cas.to_vec(),
        crls: crls.to_vec(),
        ..TrustFiles::default()
    };
    match TrustStore::load(&files, now()) {
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
    let error = TrustStore::new(Vec::new(), vec![read(&demo().ca.demo_root_crl.der)], now())
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
    let error = TrustStore::from_dir(missing, now()).expect_err("a missing folder must fail");
    assert!(
        matches!(&error, TrustError::Io { path, .. } if path == missing),
        "{error:?}"
    );
}
