//! Whether an artifact already carries its OS code signature, checked before the update signature is made.
//!
//! Authenticode (Windows) and notarization (macOS) rewrite the file they sign. A minisign signature made over
//! the unsigned file matches nothing a client downloads afterwards, and every installed app refuses the
//! update: the classic way a Tauri release breaks its updater. So `publish` looks for the OS signature first:
//! a Windows `.exe` must hold an Authenticode certificate table (the PE optional header's data directory 4),
//! an `.msi` the `\u{5}DigitalSignature` stream, a macOS `.app.tar.gz` the bundle's
//! `Contents/_CodeSignature/CodeResources`. This only sees that a signature is there; Windows and macOS judge
//! it when the app installs.

use std::io::Cursor;
use std::path::{Component, Path};

/// What was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OsSignature {
    /// A PE executable with an Authenticode certificate table.
    Authenticode,
    /// An MSI with its digital signature stream.
    MsiDigitalSignature,
    /// A gzipped tar of a macOS `.app` holding its code signature's resources.
    MacCodeSignature,
    /// A kind of file that has no OS signature of its own here (Linux's AppImage, .deb, .rpm, …).
    NotApplicable,
}

/// Why an artifact that should carry an OS signature does not, or could not be read as its kind.
#[derive(Debug, thiserror::Error)]
pub enum OsSignatureError {
    #[error("{0} is not a Windows executable (PE) as its name says")]
    NotPe(String),
    #[error("{0} has no Authenticode signature (its certificate table is empty)")]
    UnsignedPe(String),
    #[error("{0} is not an MSI (an OLE compound file) as its name says: {1}")]
    NotMsi(String, String),
    #[error("{0} has no Authenticode signature (no \\u{{5}}DigitalSignature stream)")]
    UnsignedMsi(String),
    #[error("{0} is not a gzipped tar of a macOS .app: {1}")]
    NotAppArchive(String, String),
    #[error("{0} holds no signed .app (no NAME.app/Contents/_CodeSignature/CodeResources)")]
    UnsignedApp(String),
}

/// The size of one data directory entry (virtual address, size) of a PE optional header.
const DATA_DIRECTORY_ENTRY: usize = 8;
/// The data directory entry of the certificate table (IMAGE_DIRECTORY_ENTRY_SECURITY).
const CERTIFICATE_TABLE: usize = 4;
/// The smallest certificate table: one WIN_CERTIFICATE header.
const WIN_CERTIFICATE_HEADER: u32 = 8;

/// Checks the OS signature of `bytes`, the artifact `file_name`; its kind is told by its name.
pub fn check_os_signature(file_name: &str, bytes: &[u8]) -> Result<OsSignature, OsSignatureError> {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".exe") {
        check_pe(file_name, bytes).map(|()| OsSignature::Authenticode)
    } else if lower.ends_with(".msi") {
        check_msi(file_name, bytes).map(|()| OsSignature::MsiDigitalSignature)
    } else if lower.ends_with(".app.tar.gz") {
        check_app_archive(file_name, bytes).map(|()| OsSignature::MacCodeSignature)
    } else {
        Ok(OsSignature::NotApplicable)
    }
}

/// The PE headers, read by hand: DOS header → `PE\0\0` → COFF header → optional header (PE32 or PE32+) →
/// data directory 4, whose "virtual address" is a file offset; non-empty and inside the file when signed.
fn check_pe(name: &str, bytes: &[u8]) -> Result<(), OsSignatureError> {
    let not_pe = || OsSignatureError::NotPe(name.to_owned());
    if bytes.get(..2) != Some(b"MZ") {
        return Err(not_pe());
    }
    let pe = u32_at(bytes, 0x3c).ok_or_else(not_pe)? as usize;
    if bytes.get(pe..pe + 4) != Some(b"PE\0\0") {
        return Err(not_pe());
    }
    let coff = pe + 4;
    let optional_size = usize::from(u16_at(bytes, coff + 16).ok_or_else(not_pe)?);
    let optional = coff + 20;
    let (count_at, directories_at) = match u16_at(bytes, optional).ok_or_else(not_pe)? {
        0x10b => (92, 96),
        0x20b => (108, 112),
        _ => return Err(not_pe()),
    };
    let count = u32_at(bytes, optional + count_at).ok_or_else(not_pe)? as usize;
    let entry = directories_at + CERTIFICATE_TABLE * DATA_DIRECTORY_ENTRY;
    if count <= CERTIFICATE_TABLE || entry + DATA_DIRECTORY_ENTRY > optional_size {
        return Err(OsSignatureError::UnsignedPe(name.to_owned()));
    }
    let offset = u32_at(bytes, optional + entry).ok_or_else(not_pe)?;
    let size = u32_at(bytes, optional + entry + 4).ok_or_else(not_pe)?;
    let inside = u64::from(offset) + u64::from(size) <= bytes.len() as u64;
    if offset == 0 || size < WIN_CERTIFICATE_HEADER || !inside {
        return Err(OsSignatureError::UnsignedPe(name.to_owned()));
    }
    Ok(())
}

fn check_msi(name: &str, bytes: &[u8]) -> Result<(), OsSignatureError> {
    let file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| OsSignatureError::NotMsi(name.to_owned(), e.to_string()))?;
    if file.is_stream("/\u{5}DigitalSignature") {
        Ok(())
    } else {
        Err(OsSignatureError::UnsignedMsi(name.to_owned()))
    }
}

fn check_app_archive(name: &str, bytes: &[u8]) -> Result<(), OsSignatureError> {
    let bad = |e: std::io::Error| OsSignatureError::NotAppArchive(name.to_owned(), e.to_string());
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    for entry in archive.entries().map_err(bad)? {
        let entry = entry.map_err(bad)?;
        if is_code_resources(&entry.path().map_err(bad)?) {
            return Ok(());
        }
    }
    Err(OsSignatureError::UnsignedApp(name.to_owned()))
}

/// `NAME.app/Contents/_CodeSignature/CodeResources`, the bundle at the archive's top (as the Tauri bundler
/// packs it), a leading `./` allowed.
fn is_code_resources(path: &Path) -> bool {
    let parts: Vec<_> = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    matches!(
        parts.as_slice(),
        [app, contents, signature, resources]
            if app.ends_with(".app")
                && contents == "Contents"
                && signature == "_CodeSignature"
                && resources == "CodeResources"
    )
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn a_signed_exe_msi_and_app_archive_pass() {
        let checks = [
            (
                "ebid_1.0.0_x64-setup.exe",
                fixtures::pe(true),
                OsSignature::Authenticode,
            ),
            (
                "ebid_1.0.0_x64_ja-JP.msi",
                fixtures::msi(true),
                OsSignature::MsiDigitalSignature,
            ),
            (
                "ebid.app.tar.gz",
                fixtures::app_tar_gz(true),
                OsSignature::MacCodeSignature,
            ),
        ];
        for (name, bytes, found) in checks {
            assert_eq!(check_os_signature(name, &bytes).unwrap(), found, "{name}");
        }
    }

    #[test]
    fn unsigned_ones_are_refused() {
        assert!(matches!(
            check_os_signature("a-setup.exe", &fixtures::pe(false)),
            Err(OsSignatureError::UnsignedPe(_))
        ));
        assert!(matches!(
            check_os_signature("a.msi", &fixtures::msi(false)),
            Err(OsSignatureError::UnsignedMsi(_))
        ));
        assert!(matches!(
            check_os_signature("a.app.tar.gz", &fixtures::app_tar_gz(false)),
            Err(OsSignatureError::UnsignedApp(_))
        ));
    }

    #[test]
    fn a_file_that_is_not_its_kind_is_refused() {
        assert!(matches!(
            check_os_signature("a.exe", b"#!/bin/sh"),
            Err(OsSignatureError::NotPe(_))
        ));
        assert!(matches!(
            check_os_signature("a.msi", &fixtures::pe(true)),
            Err(OsSignatureError::NotMsi(..))
        ));
        assert!(matches!(
            check_os_signature("a.app.tar.gz", b"plain"),
            Err(OsSignatureError::NotAppArchive(..))
        ));
        // A certificate table pointing past the file's end is no signature.
        let mut truncated = fixtures::pe(true);
        truncated.truncate(truncated.len() - 4);
        assert!(matches!(
            check_os_signature("a.exe", &truncated),
            Err(OsSignatureError::UnsignedPe(_))
        ));
    }

    #[test]
    fn linux_artifacts_have_no_os_signature() {
        for name in [
            "ebid_1.0.0_amd64.AppImage",
            "ebid_1.0.0_amd64.deb",
            "ebid-1.0.0.x86_64.rpm",
        ] {
            assert_eq!(
                check_os_signature(name, b"anything").unwrap(),
                OsSignature::NotApplicable
            );
        }
    }
}
