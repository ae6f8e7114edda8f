//! The PIN: typed by the user, checked against the card's format before anything is sent (so a typo in
//! the format never costs a try), kept in a buffer that is wiped when dropped, and never printed.

use zeroize::Zeroizing;

use crate::error::CardError;
use crate::status::StatusWord;

/// A PIN or password as the user typed it.
pub struct Pin(Zeroizing<Vec<u8>>);

impl Pin {
    /// Takes the typed text; the caller's buffer should itself be a `Zeroizing<String>`.
    pub fn new(typed: &str) -> Self {
        Self(Zeroizing::new(
            typed.trim_end_matches(['\r', '\n']).as_bytes().to_vec(),
        ))
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(…)")
    }
}

/// The format a card's PIN must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinFormat {
    /// JPKI signing password: 6 to 16 upper-case letters and digits. Lower-case letters are taken as
    /// upper-case, as the JPKI client software does, since the card only knows upper-case.
    JpkiSigning,
    /// JPKI authentication PIN: 4 digits.
    JpkiAuthentication,
    /// PIV application PIN: 6 to 8 digits, padded with FF to 8 bytes on the wire.
    Piv,
    /// A PKCS#11 token's user PIN: as typed, its length within the token's `ulMinPinLen..=ulMaxPinLen`
    /// (what the module checks itself is its own business; this only spares a try on a length it refuses).
    Token { min_len: usize, max_len: usize },
}

impl PinFormat {
    /// The bytes VERIFY (or C_Login) carries, or why the PIN cannot be the card's.
    pub fn encode(self, pin: &Pin) -> Result<Zeroizing<Vec<u8>>, CardError> {
        let typed = pin.bytes();
        match self {
            Self::JpkiSigning => {
                if !(6..=16).contains(&typed.len()) {
                    return Err(CardError::PinFormat("6〜16文字 / 6 to 16 characters"));
                }
                if !typed.iter().all(u8::is_ascii_alphanumeric) {
                    return Err(CardError::PinFormat(
                        "英大文字と数字 / letters and digits only",
                    ));
                }
                Ok(Zeroizing::new(typed.to_ascii_uppercase()))
            }
            Self::JpkiAuthentication => {
                if typed.len() != 4 || !typed.iter().all(u8::is_ascii_digit) {
                    return Err(CardError::PinFormat("数字4桁 / 4 digits"));
                }
                Ok(Zeroizing::new(typed.to_vec()))
            }
            Self::Piv => {
                if !(6..=8).contains(&typed.len()) || !typed.iter().all(u8::is_ascii_digit) {
                    return Err(CardError::PinFormat("数字6〜8桁 / 6 to 8 digits"));
                }
                let mut padded = Zeroizing::new(vec![0xFF; 8]);
                padded[..typed.len()].copy_from_slice(typed);
                Ok(padded)
            }
            Self::Token { min_len, max_len } => {
                if !(min_len..=max_len).contains(&typed.len()) {
                    return Err(CardError::PinFormat(
                        "ICカードの定める桁数 / the length the card requires",
                    ));
                }
                Ok(Zeroizing::new(typed.to_vec()))
            }
        }
    }
}

/// What the card says of its PIN without a try being spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinStatus {
    /// This many tries left before the card locks.
    TriesLeft(u8),
    /// Already verified in this card session (PIV answers 9000 to an empty VERIFY then).
    Verified,
    /// Locked: only the issuer can unblock it.
    Blocked,
    /// The card does not tell how many tries are left (a PKCS#11 token only has flags). `low` when it says
    /// a wrong PIN was entered since the last right one (`CKF_USER_PIN_COUNT_LOW`).
    TriesUnknown { low: bool },
}

/// Reads an empty VERIFY's answer: tries left, without spending one.
pub(crate) fn pin_status_from(status: StatusWord) -> Result<PinStatus, CardError> {
    match status {
        StatusWord::Success => Ok(PinStatus::Verified),
        // A locked PIN is 63C0 or 6983 on most cards, 6984 on some.
        StatusWord::TriesLeft(0)
        | StatusWord::AuthenticationBlocked
        | StatusWord::ReferenceDataUnusable => Ok(PinStatus::Blocked),
        StatusWord::TriesLeft(n) => Ok(PinStatus::TriesLeft(n)),
        status => Err(CardError::from_status("VERIFY (tries left)", status)),
    }
}

/// Reads a VERIFY's answer: `63C0` after a wrong entry means that entry locked the card.
pub(crate) fn verify_result(status: StatusWord) -> Result<(), CardError> {
    match status {
        StatusWord::Success => Ok(()),
        StatusWord::TriesLeft(0) => Err(CardError::PinBlocked),
        status => Err(CardError::from_status("VERIFY", status)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpki_signing_password_is_upper_cased_and_checked() {
        assert_eq!(
            &**PinFormat::JpkiSigning.encode(&Pin::new("abc123")).unwrap(),
            b"ABC123"
        );
        assert!(PinFormat::JpkiSigning.encode(&Pin::new("ABC12")).is_err());
        assert!(PinFormat::JpkiSigning.encode(&Pin::new("ABC-123")).is_err());
        assert!(
            PinFormat::JpkiSigning
                .encode(&Pin::new(&"A".repeat(17)))
                .is_err()
        );
    }

    #[test]
    fn piv_pin_is_padded_with_ff() {
        assert_eq!(
            &**PinFormat::Piv.encode(&Pin::new("123456\n")).unwrap(),
            b"123456\xFF\xFF"
        );
        assert!(PinFormat::Piv.encode(&Pin::new("12345")).is_err());
        assert!(PinFormat::Piv.encode(&Pin::new("12345a")).is_err());
    }

    #[test]
    fn jpki_authentication_pin_is_four_digits() {
        assert!(
            PinFormat::JpkiAuthentication
                .encode(&Pin::new("1234"))
                .is_ok()
        );
        assert!(
            PinFormat::JpkiAuthentication
                .encode(&Pin::new("12345"))
                .is_err()
        );
    }

    #[test]
    fn token_pin_is_taken_as_typed_within_the_token_lengths() {
        let format = PinFormat::Token {
            min_len: 4,
            max_len: 8,
        };
        assert_eq!(&**format.encode(&Pin::new("abc1\n")).unwrap(), b"abc1");
        assert!(format.encode(&Pin::new("abc")).is_err());
        assert!(format.encode(&Pin::new("123456789")).is_err());
    }

    #[test]
    fn debug_hides_the_pin() {
        assert!(!format!("{:?}", Pin::new("123456")).contains("123"));
    }

    #[test]
    fn empty_verify_answers() {
        assert_eq!(
            pin_status_from(StatusWord::TriesLeft(5)).unwrap(),
            PinStatus::TriesLeft(5)
        );
        assert_eq!(
            pin_status_from(StatusWord::TriesLeft(0)).unwrap(),
            PinStatus::Blocked
        );
        assert_eq!(
            pin_status_from(StatusWord::AuthenticationBlocked).unwrap(),
            PinStatus::Blocked
        );
        assert!(matches!(
            verify_result(StatusWord::TriesLeft(0)),
            Err(CardError::PinBlocked)
        ));
        assert!(matches!(
            verify_result(StatusWord::TriesLeft(3)),
            Err(CardError::WrongPin { tries_left: 3 })
        ));
    }
}
