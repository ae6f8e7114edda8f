//! Where the TEST-ONLY key pair is, for the tests of this and other crates. It signs nothing shipped: its
//! password sits beside it in the repository. An organization makes its own with `ebid-server release keygen`.

use std::path::PathBuf;

/// The TEST-ONLY key's files.
#[derive(Debug, Clone)]
pub struct TestKeyPaths {
    /// The secret key file (`crates/ebid-release/tests/keys/TEST-ONLY-release.key`).
    pub secret_key: PathBuf,
    /// The public key file, the text the app's `plugins.updater.pubkey` would carry.
    pub public_key: PathBuf,
    /// A file holding the secret key's password (no trailing line break).
    pub password: PathBuf,
}

/// The TEST-ONLY key pair's files, inside this crate's folder of the workspace.
pub fn paths() -> TestKeyPaths {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/keys");
    TestKeyPaths {
        secret_key: dir.join("TEST-ONLY-release.key"),
        public_key: dir.join("TEST-ONLY-release.pub"),
        password: dir.join("TEST-ONLY-release.password"),
    }
}
