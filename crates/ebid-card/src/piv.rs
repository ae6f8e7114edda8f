//! The PIV card application (NIST SP 800-73-4): certificates by GET DATA, VERIFY of the application PIN,
//! and GENERAL AUTHENTICATE with the slot's key.

use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;

use crate::apdu::{Command, EXTENDED_MAX_LE, SHORT_MAX_LE};
use crate::channel::Channel;
use crate::error::CardError;
use crate::pin::{Pin, PinFormat, PinStatus, pin_status_from, verify_result};
use crate::profile::{Profile, Signature, SignatureAlgorithm, SigningCard, sha256_digest_info};
use crate::tlv;
use crate::transport::Transport;

const AID: [u8; 9] = [0xA0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00];
/// Key reference of the PIV application PIN.
const PIN_REFERENCE: u8 = 0x80;

/// The key slots this project uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// 9A, PIV Authentication.
    Authentication,
    /// 9C, Digital Signature: the one that signs for the renewal.
    Signature,
}

impl Slot {
    fn key_reference(self) -> u8 {
        match self {
            Self::Authentication => 0x9A,
            Self::Signature => 0x9C,
        }
    }

    /// The BER-TLV tag of the slot's certificate object.
    fn certificate_object(self) -> [u8; 3] {
        match self {
            Self::Authentication => [0x5F, 0xC1, 0x05],
            Self::Signature => [0x5F, 0xC1, 0x0A],
        }
    }
}

/// A card whose PIV application is selected.
#[derive(Debug)]
pub struct Piv<T> {
    channel: Channel<T>,
    /// Certificates read in this card session, so that signing does not read them again.
    certificates: Vec<(Slot, Vec<u8>)>,
}

impl<T: Transport> Piv<T> {
    /// Selects the application; gives the channel back when the card has none.
    pub fn select(mut channel: Channel<T>) -> Result<Result<Self, Channel<T>>, CardError> {
        let select = Command::new(0x00, 0xA4, 0x04, 0x00)
            .with_data(AID)
            .with_le(SHORT_MAX_LE);
        let response = channel.transmit(&select)?;
        Ok(if response.status.is_success() {
            Ok(Self {
                channel,
                certificates: Vec::new(),
            })
        } else {
            Err(channel)
        })
    }

    /// The DER certificate of a slot.
    pub fn certificate(&mut self, slot: Slot) -> Result<Vec<u8>, CardError> {
        if let Some((_, der)) = self.certificates.iter().find(|(s, _)| *s == slot) {
            return Ok(der.clone());
        }
        let object = slot.certificate_object();
        let get_data = Command::new(0x00, 0xCB, 0x3F, 0xFF)
            .with_data([&[0x5C, 0x03][..], &object[..]].concat())
            .with_le(EXTENDED_MAX_LE);
        let response = self.channel.transmit(&get_data)?;
        if response.status == crate::status::StatusWord::FileNotFound {
            return Err(CardError::Missing("certificate in that slot"));
        }
        if !response.status.is_success() {
            return Err(CardError::from_status("GET DATA", response.status));
        }
        let container = tlv::find(&response.data, 0x53).ok_or(CardError::Malformed("GET DATA"))?;
        // CertInfo bit 0 set means the certificate is gzip-compressed, which no card this project meets does.
        if tlv::find(container, 0x71)
            .is_some_and(|info| info.first().is_some_and(|b| b & 0x01 != 0))
        {
            return Err(CardError::Malformed("GET DATA (compressed certificate)"));
        }
        let certificate = tlv::find(container, 0x70)
            .ok_or(CardError::Malformed("GET DATA"))?
            .to_vec();
        self.certificates.push((slot, certificate.clone()));
        Ok(certificate)
    }

    /// Signs a SHA-256 digest with a slot's key, whose algorithm is read from the slot's certificate.
    pub fn sign_with(&mut self, slot: Slot, digest: &[u8; 32]) -> Result<Signature, CardError> {
        let certificate = self.certificate(slot)?;
        let (algorithm_id, challenge, algorithm) = match key_of(&certificate)? {
            KeyKind::Rsa { modulus_bytes } => (
                0x07,
                pkcs1_v15_block(&sha256_digest_info(digest), modulus_bytes)?,
                SignatureAlgorithm::RsaPkcs1Sha256,
            ),
            KeyKind::P256 => (0x11, digest.to_vec(), SignatureAlgorithm::EcdsaP256Sha256),
        };
        // Dynamic authentication template: an empty response (82) and the challenge (81) to sign.
        let template = tlv::encode(
            0x7C,
            &[vec![0x82, 0x00], tlv::encode(0x81, &challenge)].concat(),
        );
        let authenticate = Command::new(0x00, 0x87, algorithm_id, slot.key_reference())
            .with_data(template)
            .with_le(SHORT_MAX_LE);
        let answer = self
            .channel
            .transmit_ok(&authenticate, "GENERAL AUTHENTICATE")?;
        let bytes = tlv::find(&answer, 0x7C)
            .and_then(|inner| tlv::find(inner, 0x82))
            .ok_or(CardError::Malformed("GENERAL AUTHENTICATE"))?;
        Ok(Signature {
            algorithm,
            bytes: bytes.to_vec(),
        })
    }
}

impl<T: Transport> SigningCard for Piv<T> {
    fn profile(&self) -> Profile {
        Profile::Piv
    }

    fn pin_format(&self) -> PinFormat {
        PinFormat::Piv
    }

    fn certificate_needs_pin(&self) -> bool {
        false
    }

    fn pin_status(&mut self) -> Result<PinStatus, CardError> {
        let response = self
            .channel
            .transmit(&Command::new(0x00, 0x20, 0x00, PIN_REFERENCE))?;
        pin_status_from(response.status)
    }

    fn verify_pin(&mut self, pin: &Pin) -> Result<(), CardError> {
        let encoded = PinFormat::Piv.encode(pin)?;
        let verify = Command::new(0x00, 0x20, 0x00, PIN_REFERENCE).with_data(encoded.to_vec());
        verify_result(self.channel.transmit(&verify)?.status)
    }

    /// The Digital Signature key (9C) is "PIN always" (SP 800-73-4 Part 1, 3.2): the card lets one signature
    /// through per VERIFY, whatever the PIN's state for the other keys.
    fn verify_before_each_signature(&self) -> bool {
        true
    }

    fn signing_certificate(&mut self) -> Result<Vec<u8>, CardError> {
        self.certificate(Slot::Signature)
    }

    fn sign_sha256(&mut self, digest: &[u8; 32]) -> Result<Signature, CardError> {
        self.sign_with(Slot::Signature, digest)
    }

    fn apdus_sent(&self) -> usize {
        self.channel.apdus_sent()
    }
}

enum KeyKind {
    Rsa { modulus_bytes: usize },
    P256,
}

fn key_of(certificate: &[u8]) -> Result<KeyKind, CardError> {
    let (_, parsed) =
        X509Certificate::from_der(certificate).map_err(|_| CardError::Malformed("certificate"))?;
    match parsed.public_key().parsed() {
        Ok(PublicKey::RSA(rsa)) => Ok(KeyKind::Rsa {
            modulus_bytes: rsa.key_size().div_ceil(8),
        }),
        Ok(PublicKey::EC(point)) if point.key_size() == 256 => Ok(KeyKind::P256),
        _ => Err(CardError::Missing("RSA or P-256 key")),
    }
}

/// EMSA-PKCS1-v1_5 (RFC 8017, 9.2): PIV cards do raw RSA, so the host pads.
fn pkcs1_v15_block(digest_info: &[u8], modulus_bytes: usize) -> Result<Vec<u8>, CardError> {
    let padding = modulus_bytes
        .checked_sub(digest_info.len() + 3)
        .filter(|n| *n >= 8);
    let padding = padding.ok_or(CardError::Missing("RSA key long enough for SHA-256"))?;
    Ok([
        &[0x00, 0x01][..],
        &vec![0xFF; padding],
        &[0x00],
        digest_info,
    ]
    .concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkcs1_block_has_the_rfc_layout() {
        let info = sha256_digest_info(&[7; 32]);
        let block = pkcs1_v15_block(&info, 256).unwrap();
        assert_eq!(block.len(), 256);
        assert_eq!(&block[..2], &[0x00, 0x01]);
        assert!(block[2..256 - info.len() - 1].iter().all(|b| *b == 0xFF));
        assert_eq!(block[256 - info.len() - 1], 0x00);
        assert_eq!(&block[256 - info.len()..], info.as_slice());
        assert!(pkcs1_v15_block(&info, 60).is_err());
    }
}
