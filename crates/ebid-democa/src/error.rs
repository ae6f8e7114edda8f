//! What can go wrong while generating or loading a demo set.

use std::path::PathBuf;

/// An error of the demo CA. None of these is expected on a working machine: each names the step that failed
/// so that a broken environment (full disk, no OS random source) is obvious from the message alone.
#[derive(Debug, thiserror::Error)]
pub enum DemoCaError {
    #[error("cannot write or read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the OS random generator failed: {0}")]
    Random(#[from] getrandom::Error),
    #[error("RSA key generation failed: {0}")]
    RsaKey(#[from] rsa::Error),
    #[error("PKCS#8 encoding of an RSA key failed: {0}")]
    Pkcs8(#[from] rsa::pkcs8::Error),
    #[error("certificate or CRL generation failed: {0}")]
    Certificate(#[from] rcgen::Error),
    #[error("{path} is not a valid demo set file: {source}")]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("the demo registrations name card {0}, which the demo set does not have")]
    MissingCard(String),
    #[error("a validity period is out of range: {0}")]
    Date(#[from] time::error::ComponentRange),
}

impl DemoCaError {
    /// Wraps an I/O error with the path it concerns; `std::io::Error` alone does not say which file.
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { path, source }
    }
}
