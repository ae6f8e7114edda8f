//! The desktop app's update signatures, made the way tauri-plugin-updater checks them, and the OS
//! code-signing check that must come first.
//!
//! The plugin downloads an artifact and verifies, with the public key built into the app
//! (`plugins.updater.pubkey`: base64 of a minisign public key file), the feed's `signature` (base64 of a
//! minisign signature file): a prehashed Ed25519 signature of the exact bytes, whose trusted comment names
//! the version (`version:X`, required by the app's `requireSignedVersion`). [`keys`] makes and reads the key
//! pair, [`signing`] signs and checks a signature as the app will, [`os_signature`] refuses a Windows or macOS
//! artifact that is not code-signed yet: Authenticode and notarization change the file, so a minisign
//! signature made before them matches bytes no client ever downloads. No database, no HTTP: the server's
//! `ebid-server release` commands drive this crate.

#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod keys;
pub mod os_signature;
pub mod signing;
pub mod test_key;

pub use keys::{GeneratedKeys, PublicKeyText, SigningKey, generate};
pub use os_signature::{OsSignature, OsSignatureError, check_os_signature};
pub use signing::{SignatureError, signed_version, verify};

/// Why a key could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the secret key's password must not be empty")]
    EmptyPassword,
    #[error("cannot read {path}: {source}")]
    Read {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{0} is not a password-protected minisign secret key (as `ebid-server release keygen` writes)"
    )]
    NotASecretKey(String),
    #[error("the secret key could not be opened: wrong password, or a damaged key file ({0})")]
    Decrypt(String),
    #[error("the public key is not a minisign public key (base64 of its file's text): {0}")]
    NotAPublicKey(String),
    #[error("minisign: {0}")]
    Minisign(String),
}
