//! One demo set for the whole test run. RSA key generation is the slow part, so the set is kept in the
//! target folder and made anew when it is older than a few hours (validity periods are relative to the
//! time it was generated, and the tests that use the system clock need them current).

use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use ebid_democa::DemoSet;
use ebid_server::{Seed, ServeArgs};
use ebid_trust::{TrustFiles, TrustStore};
use time::{Duration, OffsetDateTime};

const KEEP_FOR: Duration = Duration::hours(6);

pub fn demo_set() -> &'static DemoSet {
    static SET: OnceLock<DemoSet> = OnceLock::new();
    SET.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
        // Named after the seed file's format: the target folder is shared by every checkout, and a set an
        // older demo CA wrote (no approval organization, no 連絡先) must not be taken for this one's.
        let dir = root.join("ebid-server-demo-set.seed-3");
        if let Ok(set) = DemoSet::load(&dir)
            && OffsetDateTime::now_utc() - set.generated_at < KEEP_FOR
            && set.registrations_file().is_file()
        {
            return set;
        }
        // Generated beside, then moved into place: a run that stops half-way leaves no half set.
        let staging = tempfile::Builder::new()
            .prefix("ebid-server-demo-set.staging.")
            .tempdir_in(root)
            .expect("staging folder")
            .keep();
        ebid_democa::generate(&staging, OffsetDateTime::now_utc()).expect("demo set");
        let _ = fs::remove_dir_all(&dir);
        if fs::rename(&staging, &dir).is_err() {
            // Another test process put its set there first; use that one.
            let _ = fs::remove_dir_all(&staging);
        }
        DemoSet::load(&dir).expect("demo set loads")
    })
}

/// What the demo server trusts: the demo root and the demo JPKI CA, with their CRLs.
pub fn demo_trust() -> TrustStore {
    TrustStore::load(&demo_trust_files(demo_set()), demo_set().generated_at)
        .expect("demo trust store")
}

/// The files of [`demo_trust`] in `set` (a copy, for a test that changes them).
pub fn demo_trust_files(set: &DemoSet) -> TrustFiles {
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

/// The demo's registrations, as `--seed` reads them.
pub fn demo_seed() -> Seed {
    Seed::load(&demo_set().registrations_file()).expect("the demo seed file loads")
}

/// `ebid-server` on a free loopback port with its data in `data`, as the demo runs it on `set`: seeded from
/// the set's registrations, trusting the demo CAs with their CRLs.
pub fn demo_serve_args(set: &DemoSet, data: &Path) -> ServeArgs {
    let trust = demo_trust_files(set);
    ServeArgs {
        listen: "127.0.0.1:0".parse().expect("address"),
        seed: Some(set.registrations_file()),
        trust_ca: trust.cas,
        crl: trust.crls,
        ..ServeArgs::new(data.to_path_buf())
    }
}

/// A copy of the demo set in `into`, for a test that changes its files.
pub fn copy_demo_set(into: &Path) -> DemoSet {
    copy_dir(&demo_set().dir, into);
    DemoSet::load(into).expect("copied demo set loads")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy file");
        }
    }
}
