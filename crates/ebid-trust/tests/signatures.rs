//! Signatures made with the demo cards' private keys, as the cards make them, verified with their certificates.

mod support;

use ebid_protocol::SignatureAlgorithm::{self, EcdsaP256Sha256, RsaPkcs1Sha256};
use ebid_trust::{TrustError, verify_signature};
use ebid_vcard::spec::{CardSpec, KeySlot};
// One `signature` crate under both rsa and p256: this `Signer` signs with either key.
use rsa::signature::{SignatureEncoding as _, Signer as _};

use support::{signing_slot, spec};

const CHALLENGE: &[u8] = b"ebid challenge: organization=nagasaki-pref purpose=login nonce=8d1f...";

/// PKCS#1 v1.5 with SHA-256, what the JPKI card and the PIV 9C slot produce.
fn rsa_sign(slot: &KeySlot, message: &[u8]) -> Vec<u8> {
    use rsa::pkcs8::DecodePrivateKey as _;
    let key =
        rsa::pkcs1v15::SigningKey::<rsa::sha2::Sha256>::from_pkcs8_der(&slot.private_key_pkcs8)
            .expect("RSA card key");
    key.sign(message).to_vec()
}

/// ECDSA P-256 with SHA-256, DER-encoded, what the PIV 9A slot produces.
fn ecdsa_sign(slot: &KeySlot, message: &[u8]) -> p256::ecdsa::Signature {
    use p256::pkcs8::DecodePrivateKey as _;
    let key =
        p256::ecdsa::SigningKey::from_pkcs8_der(&slot.private_key_pkcs8).expect("P-256 card key");
    key.sign(message)
}

fn piv_authentication_slot(name: &str) -> KeySlot {
    match spec(name) {
        CardSpec::Piv(piv) => piv.slot_9a,
        CardSpec::Jpki(_) => panic!("{name} is not a PIV card"),
    }
}

fn assert_bad_signature(
    certificate: &[u8],
    message: &[u8],
    signature: &[u8],
    algorithm: SignatureAlgorithm,
) {
    let result = verify_signature(certificate, message, signature, algorithm);
    assert!(
        matches!(result, Err(TrustError::BadSignature)),
        "{result:?}"
    );
}

#[test]
fn rsa_signatures_of_piv_and_jpki_cards_verify() {
    for name in ["current", "replacement", "jpki", "jpki-replacement"] {
        let slot = signing_slot(&spec(name)).clone();
        let signature = rsa_sign(&slot, CHALLENGE);
        let result = verify_signature(&slot.certificate, CHALLENGE, &signature, RsaPkcs1Sha256);
        assert!(result.is_ok(), "{name}: {result:?}");
    }
}

#[test]
fn a_p256_signature_of_the_piv_authentication_slot_verifies() {
    let slot = piv_authentication_slot("current");
    let signature = ecdsa_sign(&slot, CHALLENGE).to_der();
    let result = verify_signature(
        &slot.certificate,
        CHALLENGE,
        signature.as_bytes(),
        EcdsaP256Sha256,
    );
    assert!(result.is_ok(), "{result:?}");
}

#[test]
fn a_flipped_byte_or_another_message_is_a_bad_signature() {
    let rsa_slot = signing_slot(&spec("current")).clone();
    let ec_slot = piv_authentication_slot("current");
    let cases = [
        (&rsa_slot, rsa_sign(&rsa_slot, CHALLENGE), RsaPkcs1Sha256),
        (
            &ec_slot,
            ecdsa_sign(&ec_slot, CHALLENGE).to_der().as_bytes().to_vec(),
            EcdsaP256Sha256,
        ),
    ];
    for (slot, signature, algorithm) in cases {
        for at in [0, signature.len() / 2, signature.len() - 1] {
            let mut flipped = signature.clone();
            flipped[at] ^= 0x01;
            assert_bad_signature(&slot.certificate, CHALLENGE, &flipped, algorithm);
        }
        let mut other = CHALLENGE.to_vec();
        other[0] ^= 0x20;
        assert_bad_signature(&slot.certificate, &other, &signature, algorithm);
        assert_bad_signature(&slot.certificate, CHALLENGE, &[], algorithm);
    }
}

#[test]
fn the_wrong_algorithm_is_a_bad_signature() {
    let rsa_slot = signing_slot(&spec("current")).clone();
    let rsa_signature = rsa_sign(&rsa_slot, CHALLENGE);
    assert_bad_signature(
        &rsa_slot.certificate,
        CHALLENGE,
        &rsa_signature,
        EcdsaP256Sha256,
    );

    let ec_slot = piv_authentication_slot("current");
    let ec_signature = ecdsa_sign(&ec_slot, CHALLENGE).to_der();
    assert_bad_signature(
        &ec_slot.certificate,
        CHALLENGE,
        ec_signature.as_bytes(),
        RsaPkcs1Sha256,
    );
}

#[test]
fn an_ecdsa_signature_must_be_der_not_raw_r_and_s() {
    let slot = piv_authentication_slot("current");
    let raw = ecdsa_sign(&slot, CHALLENGE).to_bytes();
    assert_bad_signature(&slot.certificate, CHALLENGE, &raw, EcdsaP256Sha256);
}

#[test]
fn another_cards_key_is_a_bad_signature() {
    let current = signing_slot(&spec("current")).clone();
    let replacement = signing_slot(&spec("replacement")).clone();
    let signature = rsa_sign(&replacement, CHALLENGE);
    assert_bad_signature(&current.certificate, CHALLENGE, &signature, RsaPkcs1Sha256);
}

#[test]
fn an_unreadable_certificate_is_a_bad_certificate_not_a_bad_signature() {
    let result = verify_signature(b"not a certificate", CHALLENGE, &[0; 256], RsaPkcs1Sha256);
    assert!(
        matches!(result, Err(TrustError::BadCertificate(_))),
        "{result:?}"
    );
}
