//! The card's signature over the server's challenge.

use ebid_protocol::SignatureAlgorithm;
use rustls_pki_types::{CertificateDer, SignatureVerificationAlgorithm};

use crate::{TrustError, read};

/// Verifies `signature` over `message` with the certificate's public key. The certificate is read as
/// [`crate::TrustStore::validate`] reads it; whether it may be trusted is that function's question, not this one's.
///
/// RSA signatures are PKCS#1 v1.5 with SHA-256 from a key of 2048 to 8192 bits; ECDSA signatures are P-256
/// with SHA-256, DER-encoded (`Ecdsa-Sig-Value`, as PIV cards return them). A signature that fails, or that
/// does not fit the key or the algorithm, is [`TrustError::BadSignature`].
pub fn verify_signature(
    certificate_der: &[u8],
    message: &[u8],
    signature: &[u8],
    algorithm: SignatureAlgorithm,
) -> Result<(), TrustError> {
    let certificate = read::certificate(certificate_der)?;
    let der = CertificateDer::from(certificate.der());
    read::end_entity(&der)?
        .verify_signature(webpki_algorithm(algorithm), message, signature)
        .map_err(|_| TrustError::BadSignature)
}

fn webpki_algorithm(algorithm: SignatureAlgorithm) -> &'static dyn SignatureVerificationAlgorithm {
    match algorithm {
        SignatureAlgorithm::RsaPkcs1Sha256 => webpki::aws_lc_rs::RSA_PKCS1_2048_8192_SHA256,
        SignatureAlgorithm::EcdsaP256Sha256 => webpki::aws_lc_rs::ECDSA_P256_SHA256,
    }
}
