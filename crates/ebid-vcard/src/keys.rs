//! The private keys on a card and the three operations the profiles need from them: PKCS#1 v1.5 signing with
//! the card doing the padding (JPKI), the raw RSA private-key operation on a block the host padded (PIV
//! algorithm 07), and ECDSA over a hash the host computed (PIV algorithm 11).

use p256::ecdsa::SigningKey;
use p256::ecdsa::signature::hazmat::PrehashSigner;
use p256::pkcs8::DecodePrivateKey as _;
use rsa::traits::PublicKeyParts as _;
use rsa::{BoxedUint, Pkcs1v15Sign, PrivateKey};

use crate::error::VcardError;

/// RSA-2048: the JPKI keys and the project's company-card keys (cards.md).
const RSA_BITS: usize = 2048;
/// Bytes in an RSA-2048 block or signature.
pub(crate) const RSA_BYTES: usize = RSA_BITS / 8;
/// Bytes in a P-256 scalar: the hash length ECDSA works on.
const P256_BYTES: usize = 32;

/// A card's private key.
pub(crate) enum CardKey {
    Rsa2048(Box<PrivateKey>),
    P256(SigningKey),
}

impl std::fmt::Debug for CardKey {
    // The key itself stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Rsa2048(_) => "CardKey::Rsa2048",
            Self::P256(_) => "CardKey::P256",
        })
    }
}

impl CardKey {
    /// Reads a PKCS#8 private key; the algorithm is whatever the PKCS#8 says.
    pub fn from_pkcs8(der: &[u8], slot: &'static str) -> Result<Self, VcardError> {
        if let Ok(key) = PrivateKey::from_pkcs8_der(der) {
            if key.n().bit_width() as usize == RSA_BITS {
                return Ok(Self::Rsa2048(Box::new(key)));
            }
        } else if let Ok(key) = SigningKey::from_pkcs8_der(der) {
            return Ok(Self::P256(key));
        }
        Err(VcardError::UnsupportedKey { slot })
    }

    /// EMSA-PKCS1-v1_5 padding around `digest_info` and the RSA signature over it: what JPKI's COMPUTE
    /// DIGITAL SIGNATURE does with the DER DigestInfo the host sends. `None` for an EC key or data too long
    /// to pad (more than 245 bytes).
    pub fn sign_pkcs1_v15(&self, digest_info: &[u8]) -> Option<Vec<u8>> {
        let Self::Rsa2048(key) = self else {
            return None;
        };
        key.sign(Pkcs1v15Sign::new_unprefixed(), digest_info).ok()
    }

    /// `block^d mod n`, left-padded to 256 bytes: PIV GENERAL AUTHENTICATE with an RSA key, where the host has
    /// already padded (NIST SP 800-73-4 Part 2 §3.2.4). `None` for an EC key, a block of the wrong size or a
    /// block not below the modulus.
    pub fn raw_rsa(&self, block: &[u8]) -> Option<Vec<u8>> {
        let Self::Rsa2048(key) = self else {
            return None;
        };
        if block.len() != RSA_BYTES {
            return None;
        }
        let c = BoxedUint::from_be_slice(block, key.n().as_ref().bits_precision()).ok()?;
        // Blinded with fresh randomness, and checked by re-encrypting (a CRT fault would leak the key).
        let m = rsa::hazmat::rsa_decrypt_and_check(key.as_ref(), Some(&mut getrandom::SysRng), &c)
            .ok()?;
        let bytes = m.to_be_bytes();
        let start = bytes.len().checked_sub(RSA_BYTES)?;
        // The leading bytes above 2048 bits are zero (m < n).
        bytes
            .get(..start)?
            .iter()
            .all(|&b| b == 0)
            .then(|| bytes[start..].to_vec())
    }

    /// An ECDSA signature over `hash`, DER-encoded as PIV returns it. Shorter hashes are taken as the integer
    /// they spell (left-padded), longer ones are cut to the leftmost 256 bits (FIPS 186-5 §6.4.1), as the
    /// card's ECDSA primitive does. `None` for an RSA key or an empty hash.
    pub fn sign_ecdsa(&self, hash: &[u8]) -> Option<Vec<u8>> {
        let Self::P256(key) = self else { return None };
        if hash.is_empty() {
            return None;
        }
        let mut prehash = [0u8; P256_BYTES];
        let take = hash.len().min(P256_BYTES);
        prehash[P256_BYTES - take..].copy_from_slice(&hash[..take]);
        let signature: p256::ecdsa::Signature = key.sign_prehash(&prehash).ok()?;
        Some(signature.to_der().as_bytes().to_vec())
    }

    pub fn is_rsa(&self) -> bool {
        matches!(self, Self::Rsa2048(_))
    }
}
