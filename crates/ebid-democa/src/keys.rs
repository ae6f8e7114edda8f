//! Key material and randomness.
//!
//! RSA keys come from the `rsa` crate because ring, rcgen's backend here, signs with RSA keys but cannot make
//! them; the PKCS#8 it exports is loaded into rcgen's `KeyPair`. P-256 keys come from rcgen directly.

use getrandom::SysRng;
use rcgen::{KeyPair, PKCS_ECDSA_P256_SHA256, PKCS_RSA_SHA256, SerialNumber};
use rsa::PrivateKey;
use rsa::pkcs8::EncodePrivateKey as _;

use crate::DemoCaError;

/// A fresh RSA-2048 key, the size every accredited CA and JPKI use, ready to sign certificates with
/// SHA-256.
pub(crate) fn rsa_2048() -> Result<KeyPair, DemoCaError> {
    let key = PrivateKey::new(&mut SysRng, 2048)?;
    let pkcs8 = key.to_pkcs8_der()?;
    Ok(KeyPair::from_pkcs8_der_and_sign_algo(
        &pkcs8.as_bytes().into(),
        &PKCS_RSA_SHA256,
    )?)
}

/// Loads an RSA key saved as PKCS#8 (a demo CA's, to sign a new CRL).
pub(crate) fn rsa_from_pkcs8(pkcs8: &[u8]) -> Result<KeyPair, DemoCaError> {
    Ok(KeyPair::from_pkcs8_der_and_sign_algo(
        &pkcs8.into(),
        &PKCS_RSA_SHA256,
    )?)
}

/// A fresh ECDSA P-256 key, as PIV's authentication slot commonly holds.
pub(crate) fn p256() -> Result<KeyPair, DemoCaError> {
    Ok(KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?)
}

pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], DemoCaError> {
    let mut bytes = [0; N];
    getrandom::fill(&mut bytes)?;
    Ok(bytes)
}

/// A random 16-byte certificate serial number. The top bit is cleared so the INTEGER is positive, and the
/// next one set so that it always takes exactly 16 bytes (no leading zero to strip): serials of one length
/// are easier to compare by eye in the demo.
pub(crate) fn serial_number() -> Result<SerialNumber, DemoCaError> {
    let mut bytes = random_bytes::<16>()?;
    bytes[0] = (bytes[0] & 0x7f) | 0x40;
    Ok(SerialNumber::from_slice(&bytes))
}

/// A random (version 4) UUID, for a PIV card's CHUID.
pub(crate) fn uuid_v4() -> Result<[u8; 16], DemoCaError> {
    let mut bytes = random_bytes::<16>()?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    Ok(bytes)
}
