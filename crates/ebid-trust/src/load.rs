//! Building a [`TrustStore`] from files: a trust folder, or the files the operator names one by one.

use std::fs;
use std::path::{Path, PathBuf};

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use time::OffsetDateTime;

use crate::crls::CrlFile;
use crate::{TrustError, TrustStore};

/// The files of a trust store, as `ebid-server` names them. Each file is DER (one object) or PEM (one or
/// more `CERTIFICATE`, or `X509 CRL`, blocks).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustFiles {
    /// The CAs the organization trusts (trust anchors): CA certificates, valid when loaded.
    pub cas: Vec<PathBuf>,
    /// CRLs of those CAs or of intermediates; read again when the file changes.
    pub crls: Vec<PathBuf>,
    /// Intermediate CA certificates that card chains may pass through.
    pub intermediates: Vec<PathBuf>,
    /// CA certificates (trusted or intermediate) whose cards are accepted without a revocation check, as
    /// the operator decided: without a CRL of theirs, their cards would be refused.
    pub no_revocation_check: Vec<PathBuf>,
}

/// What a file in a trust folder holds, by its name.
#[derive(Debug, PartialEq, Eq)]
enum FileKind {
    CaCertificate,
    Crl,
    Other,
}

impl TrustStore {
    /// Loads the files at the server's `now` (see [`TrustStore::new`] for what is refused).
    pub fn load(files: &TrustFiles, now: OffsetDateTime) -> Result<Self, TrustError> {
        let certificates = |paths: &[PathBuf]| {
            read_all::<CertificateDer<'static>>(paths, TrustError::BadCaCertificate)
        };
        let crl_files = files
            .crls
            .iter()
            .map(|path| CrlFile::read(path))
            .collect::<Result<Vec<_>, _>>()?;
        Self::build(
            certificates(&files.cas)?,
            certificates(&files.intermediates)?,
            certificates(&files.no_revocation_check)?,
            crl_files,
            now,
        )
    }

    /// Trusts every CA certificate in `dir` and loads every CRL there, by file name:
    ///
    /// - `*.crl.der`, `*.crl.pem`: a CRL;
    /// - `*.key.der`, `*.key.pem`: a private key, skipped (the demo set keeps its root's key there);
    /// - any other `*.der`, `*.pem`: a CA certificate;
    /// - anything else (`manifest.json`, `README`): skipped.
    ///
    /// When one object is there as both `NAME.der` and `NAME.pem`, as the demo set writes it, the DER is read.
    /// Every CA in the folder is trusted: for the demo set's `ca/` that includes `untrusted-root`, so a server
    /// that must not trust it names its files with [`TrustStore::load`].
    pub fn from_dir(dir: &Path, now: OffsetDateTime) -> Result<Self, TrustError> {
        let io = |source| TrustError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut paths = fs::read_dir(dir)
            .map_err(io)?
            .map(|entry| entry.map(|entry| entry.path()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(io)?;
        // Sorted, so that the store and its messages do not depend on the file system's order.
        paths.sort();
        paths.retain(|path| path.is_file() && !is_pem_twin_of_der(path));
        let of_kind = |kind: FileKind| {
            paths
                .iter()
                .filter(|path| file_kind(path) == kind)
                .cloned()
                .collect::<Vec<_>>()
        };
        let files = TrustFiles {
            cas: of_kind(FileKind::CaCertificate),
            crls: of_kind(FileKind::Crl),
            ..TrustFiles::default()
        };
        Self::load(&files, now)
    }
}

fn file_kind(path: &Path) -> FileKind {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy())
        .unwrap_or_default();
    let has = |suffixes: [&str; 2]| suffixes.iter().any(|suffix| name.ends_with(suffix));
    if has([".crl.der", ".crl.pem"]) {
        FileKind::Crl
    } else if has([".key.der", ".key.pem"]) {
        FileKind::Other
    } else if has([".der", ".pem"]) {
        FileKind::CaCertificate
    } else {
        FileKind::Other
    }
}

/// `NAME.pem` beside `NAME.der`: the same object twice.
fn is_pem_twin_of_der(path: &Path) -> bool {
    path.extension().is_some_and(|extension| extension == "pem")
        && path.with_extension("der").is_file()
}

/// Every object in every file of `paths`, as DER; `bad` words a file that holds none.
fn read_all<T>(paths: &[PathBuf], bad: fn(String) -> TrustError) -> Result<Vec<Vec<u8>>, TrustError>
where
    T: PemObject + AsRef<[u8]>,
{
    let mut objects = Vec::new();
    for path in paths {
        objects.extend(read_objects::<T>(path, bad)?);
    }
    Ok(objects)
}

/// Every object in the file at `path`, as DER; `bad` words a file that holds none.
pub(crate) fn read_objects<T>(
    path: &Path,
    bad: fn(String) -> TrustError,
) -> Result<Vec<Vec<u8>>, TrustError>
where
    T: PemObject + AsRef<[u8]>,
{
    let bytes = fs::read(path).map_err(|source| TrustError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if !is_pem(&bytes) {
        return Ok(vec![bytes]);
    }
    let from_pem = T::pem_slice_iter(&bytes)
        .map(|object| object.map(|object| object.as_ref().to_vec()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| bad(format!("{}: {error}", path.display())))?;
    if from_pem.is_empty() {
        return Err(bad(format!(
            "{}: no PEM block of the expected kind",
            path.display()
        )));
    }
    Ok(from_pem)
}

/// PEM is text with a `-----BEGIN` line; DER never contains one.
fn is_pem(bytes: &[u8]) -> bool {
    bytes
        .windows(b"-----BEGIN".len())
        .any(|window| window == b"-----BEGIN")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_folder_files_are_told_apart_by_name() {
        let kind = |name: &str| file_kind(Path::new(name));
        assert_eq!(kind("ca/demo-root.der"), FileKind::CaCertificate);
        assert_eq!(kind("ca/demo-jpki-root.pem"), FileKind::CaCertificate);
        assert_eq!(kind("ca/demo-root.crl.der"), FileKind::Crl);
        assert_eq!(kind("ca/demo-root.crl.pem"), FileKind::Crl);
        assert_eq!(kind("ca/demo-root.key.der"), FileKind::Other);
        assert_eq!(kind("manifest.json"), FileKind::Other);
        assert_eq!(kind("README"), FileKind::Other);
    }

    #[test]
    fn pem_is_recognised_by_its_armour() {
        assert!(is_pem(b"-----BEGIN CERTIFICATE-----\nMII=\n"));
        assert!(is_pem(b"subject=CN=x\n-----BEGIN X509 CRL-----\n"));
        assert!(!is_pem(&[0x30, 0x82, 0x01, 0x0a]));
    }
}
