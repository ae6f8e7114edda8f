//! The seam between a card and the workflow: what the renewal needs of any signing card.
//!
//! JPKI and PIV implement it over APDUs; the PKCS#11 backend (crate `ebid-pkcs11`, the accredited CAs' middleware)
//! implements the same trait over a PKCS#11 session, and nothing above this trait changes.

use crate::channel::Channel;
use crate::error::CardError;
use crate::pin::{Pin, PinFormat, PinStatus};
use crate::transport::Transport;
use crate::{jpki::Jpki, piv::Piv};

/// The card protocols this project speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Profile {
    /// マイナンバーカード, public personal authentication service: the signing AP.
    Jpki,
    /// NIST SP 800-73-4 PIV, the public standard for company-style cards and tokens.
    Piv,
    /// A token reached through a PKCS#11 module: the accredited CAs' middleware (crate `ebid-pkcs11`).
    Pkcs11,
}

impl Profile {
    pub fn name(self) -> &'static str {
        match self {
            Self::Jpki => "JPKI",
            Self::Piv => "PIV",
            Self::Pkcs11 => "PKCS#11",
        }
    }
}

/// How a signature was made, so the verifier knows how to check it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RsaPkcs1Sha256,
    /// ECDSA P-256 with SHA-256; the signature is the DER `Ecdsa-Sig-Value`.
    EcdsaP256Sha256,
}

/// A signature from the card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub algorithm: SignatureAlgorithm,
    pub bytes: Vec<u8>,
}

/// What the renewal needs of a signing card, whatever its protocol.
pub trait SigningCard {
    fn profile(&self) -> Profile;

    /// The format the signing PIN must have; checked before anything is sent to the card.
    fn pin_format(&self) -> PinFormat;

    /// Whether the signing certificate can only be read after the PIN is verified (JPKI).
    fn certificate_needs_pin(&self) -> bool;

    /// The tries left of the signing PIN, asked so that no try is spent.
    fn pin_status(&mut self) -> Result<PinStatus, CardError>;

    /// VERIFY of the signing PIN. A wrong PIN spends one try: call only with what the user typed.
    fn verify_pin(&mut self, pin: &Pin) -> Result<(), CardError>;

    /// The DER of the signing certificate.
    fn signing_certificate(&mut self) -> Result<Vec<u8>, CardError>;

    /// Whether every signature needs a VERIFY of its own, right before it. When it does not, the card stays
    /// verified for the rest of its session after one VERIFY and signs again without the PIN (ICカード更新 at
    /// several 調達機関 with one PIN entry); when it does, the PIN must be asked again for each signature:
    /// the caller asks the user, it never keeps the PIN to send it again.
    fn verify_before_each_signature(&self) -> bool;

    /// Signs a SHA-256 digest with the signing key (after [`Self::verify_pin`]).
    fn sign_sha256(&mut self, digest: &[u8; 32]) -> Result<Signature, CardError>;

    /// How many APDUs this card session has sent so far.
    fn apdus_sent(&self) -> usize;
}

/// Finds out which protocol the card speaks by selecting each application — never by ATR, since the same
/// chip carries different applications — and opens it.
pub fn open<'t, T: Transport + 't>(transport: T) -> Result<Box<dyn SigningCard + 't>, CardError> {
    let channel = Channel::new(transport);
    let channel = match Jpki::select(channel)? {
        Ok(jpki) => return Ok(Box::new(jpki)),
        Err(channel) => channel,
    };
    match Piv::select(channel)? {
        Ok(piv) => Ok(Box::new(piv)),
        Err(_) => Err(CardError::UnsupportedCard),
    }
}

/// The DER `DigestInfo` of a SHA-256 digest (RFC 8017, 9.2 note 1).
pub fn sha256_digest_info(digest: &[u8; 32]) -> Vec<u8> {
    const PREFIX: [u8; 19] = [
        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x20,
    ];
    [&PREFIX[..], &digest[..]].concat()
}
