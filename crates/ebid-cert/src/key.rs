//! The key facts: what the key may be used for, and what kind of key it is.

use serde::Serialize;
use x509_parser::certificate::X509Certificate;
use x509_parser::oid_registry::{OID_EC_P256, OID_KEY_TYPE_EC_PUBLIC_KEY, OID_PKCS1_RSAENCRYPTION};
use x509_parser::public_key::PublicKey;
use x509_parser::x509::SubjectPublicKeyInfo;

use crate::CertError;

/// The two keyUsage bits a signing certificate is judged by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KeyUsage {
    pub digital_signature: bool,
    /// Also named contentCommitment; the accredited CAs set it on signing certificates.
    pub non_repudiation: bool,
}

/// The subject's public key. JSON: `{"type":"rsa","bits":2048}`, `{"type":"ec_p256"}`,
/// `{"type":"other","oid":"1.3.101.112"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PublicKeyAlgorithm {
    Rsa {
        bits: usize,
    },
    EcP256,
    /// Any other algorithm or curve, by the SubjectPublicKeyInfo algorithm OID.
    Other {
        oid: String,
    },
}

/// `None` when the certificate has no keyUsage extension.
pub(crate) fn key_usage(x509: &X509Certificate<'_>) -> Result<Option<KeyUsage>, CertError> {
    let extension = x509
        .key_usage()
        .map_err(|_| CertError::BadExtension("keyUsage"))?;
    Ok(extension.map(|extension| KeyUsage {
        digital_signature: extension.value.digital_signature(),
        non_repudiation: extension.value.non_repudiation(),
    }))
}

pub(crate) fn algorithm(spki: &SubjectPublicKeyInfo<'_>) -> Result<PublicKeyAlgorithm, CertError> {
    let oid = &spki.algorithm.algorithm;
    if *oid == OID_PKCS1_RSAENCRYPTION {
        return match spki.parsed() {
            Ok(PublicKey::RSA(rsa)) => Ok(PublicKeyAlgorithm::Rsa {
                bits: modulus_bits(rsa.modulus),
            }),
            _ => Err(CertError::BadDer("malformed RSA public key".to_owned())),
        };
    }
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.as_oid().ok());
    if *oid == OID_KEY_TYPE_EC_PUBLIC_KEY && curve == Some(OID_EC_P256) {
        return Ok(PublicKeyAlgorithm::EcP256);
    }
    Ok(PublicKeyAlgorithm::Other {
        oid: oid.to_id_string(),
    })
}

/// The modulus length in bits, counted here because x509-parser's `key_size` assumes a leading zero byte
/// and is wrong for a modulus encoded without one.
fn modulus_bits(modulus: &[u8]) -> usize {
    let significant = modulus
        .iter()
        .position(|&b| b != 0)
        .map_or(&[][..], |i| &modulus[i..]);
    match significant.first() {
        Some(first) => significant.len() * 8 - first.leading_zeros() as usize,
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modulus_bits_ignores_leading_zeros() {
        let mut modulus = vec![0x00, 0xc1];
        modulus.extend([0xab; 255]);
        assert_eq!(modulus_bits(&modulus), 2048);
        assert_eq!(modulus_bits(&modulus[1..]), 2048);
        assert_eq!(modulus_bits(&[0x00, 0x01, 0x00]), 9);
        assert_eq!(modulus_bits(&[0x00]), 0);
        assert_eq!(modulus_bits(&[]), 0);
    }
}
