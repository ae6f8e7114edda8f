//! The update key pair, in the files `tauri signer generate` writes: the secret key file is base64 of a
//! password-protected (scrypt) minisign secret key file, the public key base64 of a minisign public key
//! file, which is exactly the text the app's `tauri.conf.json` takes as `plugins.updater.pubkey`.

use std::fmt;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use minisign::{KeyPair, PublicKey, SecretKey, SecretKeyBox};

use crate::KeyError;

/// The untrusted comment of a generated secret key file (minisign's own comment line).
const SECRET_KEY_COMMENT: &str = "ebid update signing key (encrypted)";

/// A key pair just made: the texts to write into the key files.
pub struct GeneratedKeys {
    /// The secret key file's text (base64 of the encrypted minisign key file, as `tauri signer` writes it).
    pub secret_key_file: String,
    pub public_key: PublicKeyText,
}

/// A public key as the app's configuration takes it: base64 of a minisign public key file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKeyText(String);

impl PublicKeyText {
    /// Reads the text of an `.pub` file (surrounding white space ignored) and checks it decodes.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let text = text.trim();
        let decoded = STANDARD
            .decode(text)
            .map_err(|e| KeyError::NotAPublicKey(e.to_string()))?;
        let file =
            String::from_utf8(decoded).map_err(|e| KeyError::NotAPublicKey(e.to_string()))?;
        minisign_verify::PublicKey::decode(&file)
            .map_err(|e| KeyError::NotAPublicKey(e.to_string()))?;
        Ok(Self(text.to_owned()))
    }

    /// Reads an `.pub` file.
    pub fn read(path: &Path) -> Result<Self, KeyError> {
        Self::parse(&read_text(path)?)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn of(public: &PublicKey) -> Result<Self, KeyError> {
        let file = public.to_box().map_err(minisign_error)?.into_string();
        Ok(Self(STANDARD.encode(file)))
    }
}

impl fmt::Display for PublicKeyText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Makes a key pair whose secret key is encrypted with `password` (never empty: the secret key is what every
/// installed app trusts).
pub fn generate(password: &str) -> Result<GeneratedKeys, KeyError> {
    if password.is_empty() {
        return Err(KeyError::EmptyPassword);
    }
    let KeyPair { pk, sk } =
        KeyPair::generate_encrypted_keypair(Some(password.to_owned())).map_err(minisign_error)?;
    let secret_box = sk
        .to_box(Some(SECRET_KEY_COMMENT))
        .map_err(minisign_error)?
        .into_string();
    Ok(GeneratedKeys {
        secret_key_file: STANDARD.encode(secret_box),
        public_key: PublicKeyText::of(&pk)?,
    })
}

/// An opened secret key, with the public key it belongs to.
pub struct SigningKey {
    pub(crate) secret: SecretKey,
    pub(crate) public: PublicKey,
    public_text: PublicKeyText,
}

impl SigningKey {
    /// Opens a secret key file with its password. Takes the file as `ebid-server release keygen` and
    /// `tauri signer generate` write it (base64) or a plain minisign key file.
    pub fn read(path: &Path, password: &str) -> Result<Self, KeyError> {
        Self::from_file_text(&read_text(path)?, password)
    }

    /// Opens a secret key file's text with its password.
    pub fn from_file_text(text: &str, password: &str) -> Result<Self, KeyError> {
        if password.is_empty() {
            return Err(KeyError::EmptyPassword);
        }
        let text = text.trim();
        let key_file = if text.starts_with("untrusted comment:") {
            text.to_owned()
        } else {
            STANDARD
                .decode(text)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or_else(|| KeyError::NotASecretKey("the file".into()))?
        };
        if !key_file.starts_with("untrusted comment:") {
            return Err(KeyError::NotASecretKey("the file".into()));
        }
        let secret = SecretKeyBox::from_string(&key_file)
            .and_then(|b| b.into_secret_key(Some(password.to_owned())))
            .map_err(|e| KeyError::Decrypt(e.to_string()))?;
        let public = PublicKey::from_secret_key(&secret).map_err(minisign_error)?;
        let public_text = PublicKeyText::of(&public)?;
        Ok(Self {
            secret,
            public,
            public_text,
        })
    }

    /// The public key the app must carry for this key's signatures.
    pub fn public_key(&self) -> &PublicKeyText {
        &self.public_text
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the secret key's bytes.
        f.debug_struct("SigningKey")
            .field("public", &self.public_text)
            .finish_non_exhaustive()
    }
}

fn read_text(path: &Path) -> Result<String, KeyError> {
    std::fs::read_to_string(path).map_err(|source| KeyError::Read {
        path: path.to_owned(),
        source,
    })
}

fn minisign_error(error: minisign::PError) -> KeyError {
    KeyError::Minisign(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_key;

    fn test_password() -> String {
        std::fs::read_to_string(test_key::paths().password).expect("the TEST-ONLY password")
    }

    #[test]
    fn the_test_key_opens_with_its_password_and_matches_its_public_key() {
        let paths = test_key::paths();
        let key = SigningKey::read(&paths.secret_key, &test_password()).expect("the test key");
        assert_eq!(
            key.public_key(),
            &PublicKeyText::read(&paths.public_key).unwrap()
        );
    }

    #[test]
    fn a_wrong_or_empty_password_opens_nothing() {
        let paths = test_key::paths();
        assert!(matches!(
            SigningKey::read(&paths.secret_key, "not the password"),
            Err(KeyError::Decrypt(_))
        ));
        assert!(matches!(
            SigningKey::read(&paths.secret_key, ""),
            Err(KeyError::EmptyPassword)
        ));
    }

    #[test]
    fn a_generated_key_is_encrypted_and_needs_a_password() {
        assert!(matches!(generate(""), Err(KeyError::EmptyPassword)));
        let keys = generate("correct horse").expect("a key pair");
        let key =
            SigningKey::from_file_text(&keys.secret_key_file, "correct horse").expect("opens");
        assert_eq!(key.public_key(), &keys.public_key);
        assert!(SigningKey::from_file_text(&keys.secret_key_file, "battery staple").is_err());
        // The public key's text is what the plugin decodes: base64 of a minisign public key file.
        assert_eq!(
            PublicKeyText::parse(keys.public_key.as_str()).unwrap(),
            keys.public_key
        );
    }

    #[test]
    fn a_public_key_file_that_is_not_one_is_refused() {
        assert!(PublicKeyText::parse("not base64!").is_err());
        assert!(PublicKeyText::parse("aGVsbG8=").is_err());
    }
}
