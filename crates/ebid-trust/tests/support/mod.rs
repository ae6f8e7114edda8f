//! The demo set every test binary validates against, and what the tests read from it.

// Each test binary uses its own share of these helpers.
#![allow(dead_code)]

mod issue;

// Not every test binary issues certificates of its own.
#[allow(unused_imports)]
pub use issue::*;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ebid_democa::{DemoCard, DemoSet};
use ebid_trust::{TrustFiles, TrustStore};
use ebid_vcard::spec::{CardSpec, KeySlot};
use time::OffsetDateTime;

/// One set for the whole test binary: generating takes seconds (RSA keys), and the tests only read it (a test
/// that changes the CRL works on a copy, [`copy_of_demo`]). Under cargo's per-package scratch directory, which
/// `cargo clean` removes, rather than in a `TempDir` that a static would never drop.
pub fn demo() -> &'static DemoSet {
    static SET: OnceLock<DemoSet> = OnceLock::new();
    SET.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "ebid-trust-{}-{}",
            env!("CARGO_CRATE_NAME"),
            std::process::id()
        ));
        // A PID can come round again; start from an empty directory.
        let _ = fs::remove_dir_all(&dir);
        // Whole seconds: certificates keep no fractions, and some tests aim at exact moments.
        let now = OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .expect("zero nanoseconds");
        ebid_democa::generate(&dir, now).expect("generate the demo set")
    })
}

/// The moment the demo set was made for: the server's "now" in these tests.
pub fn now() -> OffsetDateTime {
    demo().generated_at
}

pub fn card(name: &str) -> &'static DemoCard {
    demo()
        .card(name)
        .unwrap_or_else(|| panic!("no card {name} in the demo set"))
}

pub fn spec(name: &str) -> CardSpec {
    card(name).load_spec().expect("card file")
}

/// The slot the workflow signs with: PIV 9C, JPKI's signing side.
pub fn signing_slot(spec: &CardSpec) -> &KeySlot {
    match spec {
        CardSpec::Piv(piv) => &piv.slot_9c,
        CardSpec::Jpki(jpki) => &jpki.sign,
    }
}

/// The certificate of the card's signing slot, DER.
pub fn certificate(name: &str) -> Vec<u8> {
    signing_slot(&spec(name)).certificate.clone()
}

pub fn read(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap_or_else(|error| panic!("read {}: {error}", path.display()))
}

/// The server's configuration in these tests: trust the demo root and the demo JPKI CA, with their CRLs;
/// not the untrusted root.
pub fn demo_files(set: &DemoSet) -> TrustFiles {
    TrustFiles {
        cas: vec![
            set.ca.demo_root.der.clone(),
            set.ca.demo_jpki_root.der.clone(),
        ],
        crls: vec![
            set.ca.demo_root_crl.der.clone(),
            set.ca.demo_jpki_root_crl.der.clone(),
        ],
        ..TrustFiles::default()
    }
}

pub fn store_of(set: &DemoSet) -> TrustStore {
    TrustStore::load(&demo_files(set), set.generated_at).expect("the demo trust store")
}

pub fn store() -> &'static TrustStore {
    static STORE: OnceLock<TrustStore> = OnceLock::new();
    STORE.get_or_init(|| store_of(demo()))
}

/// A copy of the demo set's files in a fresh directory, loaded, for a test that re-issues the CRL.
pub fn copy_of_demo() -> (tempfile::TempDir, DemoSet) {
    let copy = tempfile::tempdir().expect("temporary directory");
    copy_dir(&demo().dir, copy.path());
    let set = DemoSet::load(copy.path()).expect("load the copied demo set");
    (copy, set)
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create directory");
    for entry in fs::read_dir(from).expect("read directory") {
        let path = entry.expect("directory entry").path();
        let target = to.join(path.file_name().expect("file name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).expect("copy file");
        }
    }
}
