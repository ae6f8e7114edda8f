//! Status words the virtual cards answer with (ISO/IEC 7816-4 §5.6, NIST SP 800-73-4 Part 2 §3), and the
//! answer an application hands back before the link layer cuts it into response APDUs.

/// `9000`: done.
pub(crate) const SUCCESS: u16 = 0x9000;
/// `6282`: READ BINARY reached the end of the file before Ne bytes.
pub(crate) const END_OF_FILE: u16 = 0x6282;
/// `6700`: wrong length (malformed APDU, Lc the command cannot take, an extended APDU refused).
pub(crate) const WRONG_LENGTH: u16 = 0x6700;
/// `6884`: command chaining is not supported (JPKI).
pub(crate) const CHAINING_NOT_SUPPORTED: u16 = 0x6884;
/// `6981`: the command does not fit the selected file (READ BINARY of a key or PIN EF).
pub(crate) const INCOMPATIBLE_FILE: u16 = 0x6981;
/// `6982`: security status not satisfied: the PIN was not verified.
pub(crate) const SECURITY_NOT_SATISFIED: u16 = 0x6982;
/// `6983`: authentication method blocked: no tries left.
pub(crate) const PIN_BLOCKED: u16 = 0x6983;
/// `6985`: conditions of use not satisfied (GET RESPONSE with nothing waiting).
pub(crate) const CONDITIONS_NOT_SATISFIED: u16 = 0x6985;
/// `6986`: command not allowed: no current EF of the kind the command needs.
pub(crate) const NO_CURRENT_EF: u16 = 0x6986;
/// `6A80`: incorrect data field.
pub(crate) const WRONG_DATA: u16 = 0x6A80;
/// `6A82`: file, application or data object not found.
pub(crate) const NOT_FOUND: u16 = 0x6A82;
/// `6A86`: incorrect P1 P2.
pub(crate) const WRONG_P1P2: u16 = 0x6A86;
/// `6A88`: referenced data (a key or PIN reference) not found.
pub(crate) const REFERENCE_NOT_FOUND: u16 = 0x6A88;
/// `6B00`: offset outside the EF.
pub(crate) const OFFSET_OUTSIDE_FILE: u16 = 0x6B00;
/// `6D00`: instruction not supported.
pub(crate) const INS_NOT_SUPPORTED: u16 = 0x6D00;
/// `6E00`: class not supported.
pub(crate) const CLA_NOT_SUPPORTED: u16 = 0x6E00;

/// `63Cx`: a PIN check failed or was asked for; x tries are left (four bits, so at most 15).
pub(crate) fn tries_left(left: u8) -> u16 {
    0x63C0 | u16::from(left.min(0x0F))
}

/// `61xx`: xx more bytes wait for GET RESPONSE; 00 stands for 256 or more.
pub(crate) fn more_data(remaining: usize) -> u16 {
    0x6100 | (remaining.min(256) % 256) as u16
}

/// `6Cxx`: wrong Le; resend with Le = xx (00 stands for 256).
pub(crate) fn wrong_le(exact: usize) -> u16 {
    0x6C00 | (exact.min(256) % 256) as u16
}

/// What an application answers to one command, before the link layer fits it to Ne and the quirks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reply {
    pub data: Vec<u8>,
    pub sw: u16,
}

impl Reply {
    pub fn ok(data: Vec<u8>) -> Self {
        Self { data, sw: SUCCESS }
    }

    pub fn status(sw: u16) -> Self {
        Self {
            data: Vec::new(),
            sw,
        }
    }
}

impl From<u16> for Reply {
    fn from(sw: u16) -> Self {
        Self::status(sw)
    }
}
