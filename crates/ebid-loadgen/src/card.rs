//! A load user's cards, signing in-process as a PIV card's ECDSA slot does.

use anyhow::Context as _;
use ebid_democa::LoadPair;
use ebid_protocol::{CardProof, Challenge, SignatureAlgorithm};
use p256::ecdsa::signature::hazmat::PrehashSigner as _;
use p256::ecdsa::{Signature, SigningKey};
use p256::pkcs8::DecodePrivateKey as _;

/// A certificate and its P-256 key.
pub struct Card {
    certificate: Vec<u8>,
    key: SigningKey,
}

/// A load user: the card registered for them, and the one that renews it.
pub struct LoadUser {
    pub current: Card,
    pub replacement: Card,
}

impl LoadUser {
    pub fn from_pair(pair: &LoadPair) -> anyhow::Result<Self> {
        Ok(Self {
            current: Card::new(&pair.current.certificate, &pair.current.private_key_pkcs8)?,
            replacement: Card::new(
                &pair.replacement.certificate,
                &pair.replacement.private_key_pkcs8,
            )?,
        })
    }
}

impl Card {
    fn new(certificate: &[u8], pkcs8: &[u8]) -> anyhow::Result<Self> {
        Ok(Self {
            certificate: certificate.to_vec(),
            key: SigningKey::from_pkcs8_der(pkcs8).context("a load card's P-256 key")?,
        })
    }

    /// The card's answer to `challenge`: ECDSA over the challenge's SHA-256 digest, DER-encoded.
    pub fn prove(&self, challenge: &Challenge) -> anyhow::Result<CardProof> {
        let signature: Signature = self
            .key
            .sign_prehash(&challenge.digest())
            .context("signing the challenge")?;
        Ok(CardProof {
            challenge_id: challenge.id.clone(),
            certificate: self.certificate.clone(),
            signature: signature.to_der().as_bytes().to_vec(),
            algorithm: SignatureAlgorithm::EcdsaP256Sha256,
        })
    }
}
