//! Command and response APDUs (ISO 7816-4), short and extended length.

use zeroize::Zeroizing;

use crate::status::StatusWord;

/// Largest Nc/Ne of a short APDU.
pub const SHORT_MAX_DATA: usize = 255;
pub const SHORT_MAX_LE: usize = 256;
/// Largest Ne of an extended APDU.
pub const EXTENDED_MAX_LE: usize = 65_536;

/// A command APDU. The data may be a PIN, so every encoding of it is zeroized when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Command {
    pub cla: u8,
    pub ins: u8,
    pub p1: u8,
    pub p2: u8,
    pub data: Zeroizing<Vec<u8>>,
    /// Ne: how many response bytes are expected; `None` for no Le field.
    pub le: Option<usize>,
}

impl std::fmt::Debug for Command {
    // The data is left out on purpose: it can be a PIN.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Command({:02X} {:02X} {:02X} {:02X}, {} data bytes, le {:?})",
            self.cla,
            self.ins,
            self.p1,
            self.p2,
            self.data.len(),
            self.le
        )
    }
}

impl Command {
    pub fn new(cla: u8, ins: u8, p1: u8, p2: u8) -> Self {
        Self {
            cla,
            ins,
            p1,
            p2,
            data: Zeroizing::new(Vec::new()),
            le: None,
        }
    }

    pub fn with_data(mut self, data: impl Into<Vec<u8>>) -> Self {
        self.data = Zeroizing::new(data.into());
        self
    }

    pub fn with_le(mut self, le: usize) -> Self {
        self.le = Some(le);
        self
    }

    /// Whether this command can only be sent as an extended-length APDU.
    pub fn needs_extended(&self) -> bool {
        self.data.len() > SHORT_MAX_DATA || self.le.is_some_and(|le| le > SHORT_MAX_LE)
    }

    /// The bytes on the wire. Short form unless `extended`; the caller makes sure a short command fits.
    pub fn encode(&self, extended: bool) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(9 + self.data.len()));
        out.extend_from_slice(&[self.cla, self.ins, self.p1, self.p2]);
        let nc = self.data.len();
        if extended {
            if nc > 0 {
                // Extended Lc: a 00 byte, then two bytes of length.
                out.push(0);
                out.extend_from_slice(&(nc as u16).to_be_bytes());
                out.extend_from_slice(&self.data);
            }
            if let Some(le) = self.le {
                if nc == 0 {
                    out.push(0);
                }
                // 65536 is written as 00 00.
                out.extend_from_slice(
                    &((le.min(EXTENDED_MAX_LE) % EXTENDED_MAX_LE) as u16).to_be_bytes(),
                );
            }
        } else {
            if nc > 0 {
                out.push(nc as u8);
                out.extend_from_slice(&self.data);
            }
            if let Some(le) = self.le {
                // 256 is written as 00.
                out.push((le.min(SHORT_MAX_LE) % SHORT_MAX_LE) as u8);
            }
        }
        out
    }
}

/// A response APDU: data and status word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub data: Vec<u8>,
    pub status: StatusWord,
}

impl Response {
    /// Splits raw bytes from the reader; `None` when fewer than the two status bytes came back.
    pub fn from_bytes(mut raw: Vec<u8>) -> Option<Self> {
        if raw.len() < 2 {
            return None;
        }
        let sw2 = raw.pop()?;
        let sw1 = raw.pop()?;
        Some(Self {
            data: raw,
            status: StatusWord::from_bytes(sw1, sw2),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02X}")).collect()
    }

    #[test]
    fn short_cases() {
        let case1 = Command::new(0x00, 0x20, 0x00, 0x80);
        assert_eq!(hex(&case1.encode(false)), "00200080");
        let case2 = Command::new(0x00, 0xB0, 0x00, 0x00).with_le(256);
        assert_eq!(hex(&case2.encode(false)), "00B0000000");
        let case3 = Command::new(0x00, 0xA4, 0x02, 0x0C).with_data([0x00, 0x1B]);
        assert_eq!(hex(&case3.encode(false)), "00A4020C02001B");
        let case4 = Command::new(0x80, 0x2A, 0x00, 0x80)
            .with_data([1, 2, 3])
            .with_le(256);
        assert_eq!(hex(&case4.encode(false)), "802A00800301020300");
        assert!(!case4.needs_extended());
    }

    #[test]
    fn extended_cases() {
        let case2 = Command::new(0x00, 0xB0, 0x00, 0x00).with_le(1500);
        assert!(case2.needs_extended());
        assert_eq!(hex(&case2.encode(true)), "00B000000005DC");
        let max = Command::new(0x00, 0xB0, 0x00, 0x00).with_le(EXTENDED_MAX_LE);
        assert_eq!(hex(&max.encode(true)), "00B00000000000");
        let case4 = Command::new(0x00, 0x87, 0x07, 0x9C)
            .with_data(vec![0xAB; 300])
            .with_le(256);
        assert!(case4.needs_extended());
        let wire = case4.encode(true);
        assert_eq!(hex(&wire[..7]), "0087079C00012C");
        assert_eq!(wire.len(), 4 + 3 + 300 + 2);
        assert_eq!(hex(&wire[wire.len() - 2..]), "0100");
    }

    #[test]
    fn response_split() {
        let r = Response::from_bytes(vec![0xCA, 0xFE, 0x63, 0xC4]).unwrap();
        assert_eq!(r.data, vec![0xCA, 0xFE]);
        assert_eq!(r.status, StatusWord::TriesLeft(4));
        assert!(Response::from_bytes(vec![0x90]).is_none());
    }

    #[test]
    fn debug_never_shows_data() {
        let pin = Command::new(0x00, 0x20, 0x00, 0x80).with_data(*b"SECRET1");
        assert!(!format!("{pin:?}").contains("SECRET"));
    }
}
