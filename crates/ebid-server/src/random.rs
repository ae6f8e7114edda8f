//! Unguessable values from the operating system's random source: session tokens, challenge nonces, ids.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::error::Error;

/// Bytes of a session token and a challenge nonce: 256 bits, beyond guessing.
const SECRET_BYTES: usize = 32;
/// Bytes of a text id (challenge, session, renewal): 128 bits, so that ids cannot be enumerated either.
const ID_BYTES: usize = 16;

fn bytes<const N: usize>() -> Result<[u8; N], Error> {
    let mut out = [0; N];
    getrandom::fill(&mut out).map_err(Error::Random)?;
    Ok(out)
}

/// A challenge nonce.
pub(crate) fn nonce() -> Result<Vec<u8>, Error> {
    Ok(bytes::<SECRET_BYTES>()?.to_vec())
}

/// A session token as the client holds it; the server keeps only [`token_hash`].
pub(crate) fn session_token() -> Result<String, Error> {
    Ok(URL_SAFE_NO_PAD.encode(bytes::<SECRET_BYTES>()?))
}

/// SHA-256 of a token, lower-case hex: what the sessions table stores and looks up.
pub(crate) fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A text id for challenges, sessions and renewals (never typed by anyone).
pub(crate) fn text_id() -> Result<String, Error> {
    Ok(URL_SAFE_NO_PAD.encode(bytes::<ID_BYTES>()?))
}

/// A 新規登録's 受付番号: 128 bits as a text id, in upper-case hex, because people read it out and pass it on
/// a command line (`ebid-server admin approve ID`), where a base64url id's leading `-` reads as an option.
pub(crate) fn application_id() -> Result<String, Error> {
    Ok(bytes::<ID_BYTES>()?
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect())
}

/// A row id for companies, users, certificates and audit entries: random (no coordination between servers on
/// one PostgreSQL), positive, and below 2^53 so that JavaScript reads it exactly.
pub(crate) fn row_id() -> Result<i64, Error> {
    let value = u64::from_be_bytes(bytes::<8>()?) >> 11;
    // Below 2^53, so the conversion cannot fail; never 0, which reads as "unset" too easily.
    Ok(i64::try_from(value.max(1)).unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_positive_and_javascript_safe() {
        for _ in 0..1000 {
            let id = row_id().expect("random");
            assert!((1..1 << 53).contains(&id), "{id}");
        }
    }

    #[test]
    fn tokens_differ_and_hash_to_hex() {
        let (a, b) = (session_token().unwrap(), session_token().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        let hash = token_hash(&a);
        assert_eq!(hash.len(), 64);
        assert!(
            hash.bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_eq!(text_id().unwrap().len(), 22);
    }

    #[test]
    fn application_ids_are_upper_case_hex_that_no_command_line_reads_as_an_option() {
        let (a, b) = (application_id().unwrap(), application_id().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase())
        );
    }
}
