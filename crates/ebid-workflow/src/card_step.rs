//! One card's part in a step: what it shows before the PIN, then one VERIFY with the PIN the user typed,
//! the certificate, and the signature over the server's challenge.

use ebid_card::{CardError, Pin, PinStatus, Profile, SigningCard};
use ebid_cert::Certificate;
use ebid_protocol::{CardProof, SignatureAlgorithm};

use crate::RenewalError;
use crate::challenge::CheckedChallenge;

/// What a card shows without a PIN try being spent.
#[derive(Debug, Clone)]
pub struct CardReading {
    pub profile: Profile,
    /// Tries left of the signing PIN, to show before asking for it.
    pub pin: PinStatus,
    /// The signing certificate, when the card gives it without the PIN; `None` for JPKI, whose signing
    /// certificate is read only after the signing password is verified. Such a card cannot be told apart
    /// from another before its PIN: the workflow checks it after VERIFY, before it signs.
    pub certificate: Option<Certificate>,
}

impl CardReading {
    /// SHA-256 of the certificate (upper-case hex), when it could be read.
    pub fn fingerprint(&self) -> Option<&str> {
        self.certificate
            .as_ref()
            .map(|c| c.facts().fingerprint_sha256.as_str())
    }
}

/// Reads what the card shows before the PIN: its profile, the tries left (an empty VERIFY, which spends
/// none) and, where free to read, its certificate.
pub fn read_card(card: &mut dyn SigningCard) -> Result<CardReading, RenewalError> {
    let pin = card.pin_status()?;
    let certificate = if card.certificate_needs_pin() {
        None
    } else {
        Some(ebid_cert::parse_certificate(&card.signing_certificate()?)?)
    };
    let reading = CardReading {
        profile: card.profile(),
        pin,
        certificate,
    };
    tracing::debug!(
        profile = ?reading.profile,
        pin_status = ?reading.pin,
        fingerprint = reading.fingerprint(),
        "card read before its PIN"
    );
    Ok(reading)
}

/// A rule about the card's certificate, checked before the PIN where the card allows, else after VERIFY
/// and before signing: a card that breaks it never signs.
pub(crate) type CertificateCheck<'a> = &'a dyn Fn(&Certificate) -> Result<(), RenewalError>;

/// The checks that need no PIN, on the card in the reader now.
pub(crate) fn check_before_pin(
    card: &mut dyn SigningCard,
    check: CertificateCheck<'_>,
) -> Result<CardReading, RenewalError> {
    let reading = read_card(card)?;
    if reading.pin == PinStatus::Blocked {
        return Err(CardError::PinBlocked.into());
    }
    if let Some(certificate) = &reading.certificate {
        check(certificate)?;
    }
    Ok(reading)
}

/// How a card step unlocks the signing key. A PIN typed by the user is spent by one VERIFY, whatever its
/// answer: after a successful one the step holds [`Unlock::StillVerified`], so that a pass over several
/// 調達機関 signs at the next one without sending the PIN again (where the card allows it: see
/// [`SigningCard::verify_before_each_signature`]).
#[derive(Clone, Copy)]
pub(crate) enum Unlock<'a> {
    /// VERIFY with the PIN the user typed for this step.
    Pin(&'a Pin),
    /// No VERIFY: the card was verified by an earlier step of the same pass. A card that turns out not to
    /// be (reset, or a key that wants a VERIFY before each signature) answers
    /// [`CardError::PinNotVerified`]; the PIN is then the user's to type again, never the workflow's to
    /// resend.
    StillVerified,
}

/// VERIFY with the PIN `unlock` holds (once: a wrong PIN is returned with the tries left, never retried),
/// the certificate, the check, and the signature over `challenge` (a checked one: nothing else is signed).
pub(crate) fn verify_and_sign(
    card: &mut dyn SigningCard,
    unlock: &mut Unlock<'_>,
    reading: CardReading,
    challenge: &CheckedChallenge,
    check: CertificateCheck<'_>,
) -> Result<(CardProof, Certificate), RenewalError> {
    match *unlock {
        Unlock::Pin(pin) => {
            card.verify_pin(pin)?;
            *unlock = Unlock::StillVerified;
            tracing::debug!("PIN accepted by the card");
        }
        // Signing would be refused: say so without asking the card.
        Unlock::StillVerified if card.verify_before_each_signature() => {
            return Err(CardError::PinNotVerified.into());
        }
        Unlock::StillVerified => tracing::debug!("the card is still verified: no VERIFY"),
    }
    let certificate = match reading.certificate {
        Some(certificate) => certificate,
        None => {
            let certificate = ebid_cert::parse_certificate(&card.signing_certificate()?)?;
            check(&certificate)?;
            certificate
        }
    };
    let signature = card.sign_sha256(&challenge.get().digest())?;
    tracing::debug!(serial = %certificate.facts().serial, algorithm = ?signature.algorithm, "challenge signed by the card");
    let proof = CardProof {
        challenge_id: challenge.get().id.clone(),
        certificate: certificate.der().to_vec(),
        signature: signature.bytes,
        algorithm: wire_algorithm(signature.algorithm),
    };
    Ok((proof, certificate))
}

/// The card crate names how it signed; the protocol names it for the server: the same two algorithms.
fn wire_algorithm(algorithm: ebid_card::SignatureAlgorithm) -> SignatureAlgorithm {
    match algorithm {
        ebid_card::SignatureAlgorithm::RsaPkcs1Sha256 => SignatureAlgorithm::RsaPkcs1Sha256,
        ebid_card::SignatureAlgorithm::EcdsaP256Sha256 => SignatureAlgorithm::EcdsaP256Sha256,
    }
}
