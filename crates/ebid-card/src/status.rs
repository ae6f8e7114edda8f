//! ISO 7816-4 status words, as the cards this project meets use them.

use std::fmt;

/// The two trailing bytes of every response APDU, named where the card protocols give them a meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusWord {
    /// `9000`
    Success,
    /// `61xx`: xx more bytes wait, to be fetched with GET RESPONSE (00 means 256).
    MoreData(u8),
    /// `6282`: end of file reached before Le bytes were read.
    EndOfFile,
    /// `63Cx`: verification failed or asked for; x tries are left.
    TriesLeft(u8),
    /// `6700`: wrong length (also what a card without extended length answers to one).
    WrongLength,
    /// `6982`: security status not satisfied (PIN not verified).
    SecurityStatusNotSatisfied,
    /// `6983`: authentication method blocked (PIN locked).
    AuthenticationBlocked,
    /// `6984`: reference data not usable (some cards' answer for a locked PIN).
    ReferenceDataUnusable,
    /// `6985`: conditions of use not satisfied.
    ConditionsNotSatisfied,
    /// `6A82`: file or application not found.
    FileNotFound,
    /// `6A86`: incorrect P1/P2.
    IncorrectP1P2,
    /// `6B00`: wrong parameters (offset outside the file).
    OffsetOutsideFile,
    /// `6Cxx`: wrong Le; resend with Le = xx.
    WrongLe(u8),
    /// `6D00`: instruction not supported.
    InstructionNotSupported,
    /// `6E00`: class not supported.
    ClassNotSupported,
    /// Anything else.
    Other(u16),
}

impl StatusWord {
    pub fn from_bytes(sw1: u8, sw2: u8) -> Self {
        match (sw1, sw2) {
            (0x90, 0x00) => Self::Success,
            (0x61, n) => Self::MoreData(n),
            (0x62, 0x82) => Self::EndOfFile,
            (0x63, n) if n & 0xF0 == 0xC0 => Self::TriesLeft(n & 0x0F),
            (0x67, 0x00) => Self::WrongLength,
            (0x69, 0x82) => Self::SecurityStatusNotSatisfied,
            (0x69, 0x83) => Self::AuthenticationBlocked,
            (0x69, 0x84) => Self::ReferenceDataUnusable,
            (0x69, 0x85) => Self::ConditionsNotSatisfied,
            (0x6A, 0x82) => Self::FileNotFound,
            (0x6A, 0x86) => Self::IncorrectP1P2,
            (0x6B, 0x00) => Self::OffsetOutsideFile,
            (0x6C, n) => Self::WrongLe(n),
            (0x6D, 0x00) => Self::InstructionNotSupported,
            (0x6E, 0x00) => Self::ClassNotSupported,
            _ => Self::Other(u16::from_be_bytes([sw1, sw2])),
        }
    }

    pub fn to_u16(self) -> u16 {
        match self {
            Self::Success => 0x9000,
            Self::MoreData(n) => 0x6100 | u16::from(n),
            Self::EndOfFile => 0x6282,
            Self::TriesLeft(n) => 0x63C0 | u16::from(n & 0x0F),
            Self::WrongLength => 0x6700,
            Self::SecurityStatusNotSatisfied => 0x6982,
            Self::AuthenticationBlocked => 0x6983,
            Self::ReferenceDataUnusable => 0x6984,
            Self::ConditionsNotSatisfied => 0x6985,
            Self::FileNotFound => 0x6A82,
            Self::IncorrectP1P2 => 0x6A86,
            Self::OffsetOutsideFile => 0x6B00,
            Self::WrongLe(n) => 0x6C00 | u16::from(n),
            Self::InstructionNotSupported => 0x6D00,
            Self::ClassNotSupported => 0x6E00,
            Self::Other(sw) => sw,
        }
    }

    pub fn is_success(self) -> bool {
        self == Self::Success
    }
}

impl fmt::Display for StatusWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04X}", self.to_u16())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_word_round_trips() {
        for sw in [
            0x9000, 0x6110, 0x6100, 0x6282, 0x63C3, 0x63C0, 0x6700, 0x6982, 0x6983, 0x6984, 0x6985,
            0x6A82, 0x6A86, 0x6B00, 0x6C20, 0x6D00, 0x6E00, 0x6F00, 0x6A88,
        ] {
            let [sw1, sw2] = u16::to_be_bytes(sw);
            assert_eq!(StatusWord::from_bytes(sw1, sw2).to_u16(), sw, "{sw:04X}");
        }
    }

    #[test]
    fn tries_left_and_more_data_carry_their_count() {
        assert_eq!(StatusWord::from_bytes(0x63, 0xC2), StatusWord::TriesLeft(2));
        assert_eq!(StatusWord::from_bytes(0x61, 0x00), StatusWord::MoreData(0));
        assert_eq!(StatusWord::from_bytes(0x6C, 0x05), StatusWord::WrongLe(5));
        // 63 00 (no information) is not a retry counter.
        assert_eq!(
            StatusWord::from_bytes(0x63, 0x00),
            StatusWord::Other(0x6300)
        );
        assert_eq!(StatusWord::from_bytes(0x69, 0x83).to_string(), "6983");
    }
}
