//! Signing an artifact, and checking a signature exactly as tauri-plugin-updater 2.14 does
//! (`verify_signature`): base64 of the signature file, minisign-verify's prehashed check with the app's
//! public key, then the trusted comment's `version:` equal to the announced version.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::keys::{PublicKeyText, SigningKey};

/// The untrusted comment of a signature (it is not covered by the signature; informative only).
const SIGNATURE_COMMENT: &str = "signature from ebid update signing key";

/// Why signing failed or a signature does not hold.
#[derive(Debug, thiserror::Error)]
pub enum SignatureError {
    #[error(
        "a file name in a signature's trusted comment must not hold a tab or a line break: {0:?}"
    )]
    BadFileName(String),
    #[error(
        "a version in a signature's trusted comment must not hold a tab or a line break: {0:?}"
    )]
    BadVersion(String),
    #[error("signing failed: {0}")]
    Sign(String),
    #[error("the signature is not base64 of a minisign signature file: {0}")]
    Encoding(String),
    #[error("the signature does not verify with this public key: {0}")]
    Invalid(String),
    #[error("the signature names no version in its trusted comment (the app requires one)")]
    NoSignedVersion,
    #[error("the signature was made for version {signed}, not {announced}")]
    VersionMismatch { signed: String, announced: String },
}

impl SigningKey {
    /// Signs `bytes`, the artifact `file_name` of release `version`: the `.sig` file's text, base64, as the
    /// feed's `signature` carries it. The trusted comment is `timestamp:…\tfile:…\tversion:…`, as the Tauri
    /// CLI writes it. The signature is checked with [`verify`] before it is returned.
    pub fn sign(
        &self,
        bytes: &[u8],
        file_name: &str,
        version: &str,
    ) -> Result<String, SignatureError> {
        if file_name.contains(['\t', '\n', '\r']) {
            return Err(SignatureError::BadFileName(file_name.to_owned()));
        }
        if version.is_empty() || version.contains(['\t', '\n', '\r']) {
            return Err(SignatureError::BadVersion(version.to_owned()));
        }
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        let trusted = format!("timestamp:{timestamp}\tfile:{file_name}\tversion:{version}");
        let signature = minisign::sign(
            Some(&self.public),
            &self.secret,
            bytes,
            Some(&trusted),
            Some(SIGNATURE_COMMENT),
        )
        .map_err(|e| SignatureError::Sign(e.to_string()))?;
        let encoded = STANDARD.encode(signature.into_string());
        verify(bytes, &encoded, self.public_key(), version)?;
        Ok(encoded)
    }
}

/// Checks `signature` (base64 of a `.sig` file) over `bytes` with `public_key` and that it was made for
/// `version`, as the app does with `requireSignedVersion`.
pub fn verify(
    bytes: &[u8],
    signature: &str,
    public_key: &PublicKeyText,
    version: &str,
) -> Result<(), SignatureError> {
    let key_file = decode_text(public_key.as_str())?;
    let key = minisign_verify::PublicKey::decode(&key_file)
        .map_err(|e| SignatureError::Encoding(e.to_string()))?;
    let signature_file = decode_text(signature)?;
    let signature = minisign_verify::Signature::decode(&signature_file)
        .map_err(|e| SignatureError::Encoding(e.to_string()))?;
    key.verify(bytes, &signature, true)
        .map_err(|e| SignatureError::Invalid(e.to_string()))?;
    // Read only once verified: the global signature covers the trusted comment.
    let signed =
        signed_version(signature.trusted_comment()).ok_or(SignatureError::NoSignedVersion)?;
    if signed == version {
        Ok(())
    } else {
        Err(SignatureError::VersionMismatch {
            signed: signed.to_owned(),
            announced: version.to_owned(),
        })
    }
}

/// The `version:` field of a trusted comment (tab-separated `key:value` pairs), as the plugin reads it.
pub fn signed_version(trusted_comment: &str) -> Option<&str> {
    trusted_comment
        .split('\t')
        .find_map(|field| field.strip_prefix("version:"))
}

fn decode_text(base64: &str) -> Result<String, SignatureError> {
    let bytes = STANDARD
        .decode(base64.trim())
        .map_err(|e| SignatureError::Encoding(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| SignatureError::Encoding(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_key;

    fn test_key() -> SigningKey {
        let paths = test_key::paths();
        let password = std::fs::read_to_string(&paths.password).unwrap();
        SigningKey::read(&paths.secret_key, &password).unwrap()
    }

    #[test]
    fn a_signature_names_the_file_and_version_and_verifies_as_the_plugin_checks() {
        let key = test_key();
        let bytes = b"an installer's bytes";
        let signature = key
            .sign(bytes, "ebid_1.2.0_x64-setup.exe", "1.2.0")
            .unwrap();
        verify(bytes, &signature, key.public_key(), "1.2.0").unwrap();

        // As the plugin reads it: base64 → minisign signature file, prehashed, its trusted comment signed.
        let file = String::from_utf8(STANDARD.decode(&signature).unwrap()).unwrap();
        let parsed = minisign_verify::Signature::decode(&file).unwrap();
        let comment = parsed.trusted_comment();
        assert!(comment.starts_with("timestamp:"), "{comment}");
        assert!(
            comment.contains("\tfile:ebid_1.2.0_x64-setup.exe\t"),
            "{comment}"
        );
        assert_eq!(signed_version(comment), Some("1.2.0"));
    }

    #[test]
    fn other_bytes_another_version_or_another_key_do_not_verify() {
        let key = test_key();
        let signature = key.sign(b"release", "ebid.AppImage", "2.0.0").unwrap();
        assert!(matches!(
            verify(b"releasE", &signature, key.public_key(), "2.0.0"),
            Err(SignatureError::Invalid(_))
        ));
        assert!(matches!(
            verify(b"release", &signature, key.public_key(), "2.0.1"),
            Err(SignatureError::VersionMismatch { .. })
        ));
        let other = crate::generate("another key").unwrap().public_key;
        assert!(matches!(
            verify(b"release", &signature, &other, "2.0.0"),
            Err(SignatureError::Invalid(_))
        ));
    }

    #[test]
    fn a_tab_in_the_comment_fields_is_refused() {
        let key = test_key();
        assert!(key.sign(b"x", "a\tb", "1.0.0").is_err());
        assert!(key.sign(b"x", "a", "1.0.0\tversion:9.9.9").is_err());
    }
}
