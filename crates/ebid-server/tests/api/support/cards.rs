//! The demo cards as the tests use them: the signing certificate and a signature with its private key, made
//! in-process (the PC/SC path is tested elsewhere).

use ebid_protocol::{CardProof, Challenge, SignatureAlgorithm};
use ebid_vcard::spec::CardSpec;
use rsa::pkcs8::DecodePrivateKey as _;
use rsa::{Pkcs1v15Sign, PrivateKey};
use sha2::Sha256;

use super::demo_set;

pub struct Card {
    pub certificate: Vec<u8>,
    key: PrivateKey,
}

/// The demo card `name`: PIV slot 9C, or JPKI's signing side.
pub fn card(name: &str) -> Card {
    let spec = demo_set()
        .card(name)
        .unwrap_or_else(|| panic!("no demo card {name}"))
        .load_spec()
        .expect("card file");
    let slot = match spec {
        CardSpec::Piv(piv) => piv.slot_9c,
        CardSpec::Jpki(jpki) => jpki.sign,
    };
    Card {
        certificate: slot.certificate,
        key: PrivateKey::from_pkcs8_der(&slot.private_key_pkcs8).expect("demo cards are RSA"),
    }
}

impl Card {
    /// The card's answer to `challenge`: PKCS#1 v1.5 over SHA-256 of the challenge's bytes.
    pub fn prove(&self, challenge: &Challenge) -> CardProof {
        let signature = self
            .key
            .sign(Pkcs1v15Sign::new::<Sha256>(), &challenge.digest())
            .expect("sign");
        CardProof {
            challenge_id: challenge.id.clone(),
            certificate: self.certificate.clone(),
            signature,
            algorithm: SignatureAlgorithm::RsaPkcs1Sha256,
        }
    }

    pub fn facts(&self) -> ebid_cert::Facts {
        ebid_cert::parse_certificate(&self.certificate)
            .expect("demo certificate")
            .facts()
            .clone()
    }

    pub fn serial(&self) -> String {
        self.facts().serial
    }
}
