//! Why a card file cannot become a virtual card.

/// A card file the emulator refuses: loading it would give a card no real card resembles.
#[derive(Debug, thiserror::Error)]
pub enum VcardError {
    #[error(
        "the {slot} key is neither an RSA-2048 nor a P-256 PKCS#8 private key the card can use"
    )]
    UnsupportedKey { slot: &'static str },
    #[error("the {slot} certificate is not a DER X.509 certificate")]
    BadCertificate { slot: &'static str },
    #[error("the {which} PIN cannot be on the card: {reason}")]
    BadPin { which: &'static str, reason: String },
    #[error("the card UUID must be 16 bytes, not {0}")]
    BadCardUuid(usize),
}
