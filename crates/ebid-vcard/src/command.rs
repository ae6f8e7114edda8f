//! Command APDUs as a card receives them (ISO/IEC 7816-3 §12.1.3, ISO/IEC 7816-4 §5.1): the four cases,
//! short and extended length, told apart by length alone.

use zeroize::Zeroizing;

use crate::sw;

/// The CLA bit that says "more of this command follows" (ISO/IEC 7816-4 §5.4.1).
pub(crate) const CLA_CHAINING: u8 = 0x10;

/// One command APDU. Its data may be a PIN, so it is wiped when dropped.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Command {
    pub cla: u8,
    pub ins: u8,
    pub p1: u8,
    pub p2: u8,
    pub data: Zeroizing<Vec<u8>>,
    /// Ne: `None` when the APDU has no Le field; 256 or 65536 where Le is written as zeros.
    pub ne: Option<usize>,
    /// Whether Lc or Le came in the extended (three-byte / two-byte) form.
    pub extended: bool,
}

impl std::fmt::Debug for Command {
    // The data is left out on purpose: it can be a PIN.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Command({:02X} {:02X} {:02X} {:02X}, {} data bytes, ne {:?}{})",
            self.cla,
            self.ins,
            self.p1,
            self.p2,
            self.data.len(),
            self.ne,
            if self.extended { ", extended" } else { "" }
        )
    }
}

impl Command {
    /// Reads one APDU off the wire. Anything that is not one of the seven well-formed encodings gets `6700`,
    /// as a card answers an APDU whose length bytes do not add up.
    pub fn parse(raw: &[u8]) -> Result<Self, u16> {
        let [cla, ins, p1, p2, body @ ..] = raw else {
            return Err(sw::WRONG_LENGTH);
        };
        let (data, ne, extended) = match body {
            // Case 1.
            [] => (&[][..], None, false),
            // Case 2 short: Le 00 is 256.
            [le] => (&[][..], Some(short_ne(*le)), false),
            // Extended: a 00 byte, then two length bytes.
            [0, hi, lo, rest @ ..] => {
                let n = usize::from(u16::from_be_bytes([*hi, *lo]));
                match rest {
                    // Case 2 extended: Le 0000 is 65536.
                    [] => (&[][..], Some(extended_ne(n)), true),
                    // Case 3 extended (Lc 0000 is not allowed).
                    _ if n > 0 && rest.len() == n => (rest, None, true),
                    // Case 4 extended.
                    _ if n > 0 && rest.len() == n + 2 => {
                        let (data, le) = rest.split_at(n);
                        let le = usize::from(u16::from_be_bytes([le[0], le[1]]));
                        (data, Some(extended_ne(le)), true)
                    }
                    _ => return Err(sw::WRONG_LENGTH),
                }
            }
            // Short, Lc non-zero.
            [lc, rest @ ..] if *lc != 0 => {
                let n = usize::from(*lc);
                if rest.len() == n {
                    (rest, None, false)
                } else if rest.len() == n + 1 {
                    (&rest[..n], Some(short_ne(rest[n])), false)
                } else {
                    return Err(sw::WRONG_LENGTH);
                }
            }
            _ => return Err(sw::WRONG_LENGTH),
        };
        Ok(Self {
            cla: *cla,
            ins: *ins,
            p1: *p1,
            p2: *p2,
            data: Zeroizing::new(data.to_vec()),
            ne,
            extended,
        })
    }

    /// Whether the CLA byte says another part of this command follows.
    pub fn is_chained(&self) -> bool {
        self.cla & CLA_CHAINING != 0
    }

    /// The CLA with the chaining bit cleared.
    pub fn base_cla(&self) -> u8 {
        self.cla & !CLA_CHAINING
    }
}

fn short_ne(le: u8) -> usize {
    if le == 0 { 256 } else { usize::from(le) }
}

fn extended_ne(le: usize) -> usize {
    if le == 0 { 65_536 } else { le }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &[u8]) -> Command {
        Command::parse(raw).expect("well-formed APDU")
    }

    #[test]
    fn reads_the_four_short_cases() {
        let c1 = parse(&[0x00, 0x20, 0x00, 0x80]);
        assert_eq!((c1.data.len(), c1.ne, c1.extended), (0, None, false));

        let c2 = parse(&[0x00, 0xB0, 0x00, 0x00, 0x00]);
        assert_eq!((c2.data.len(), c2.ne), (0, Some(256)));

        let c3 = parse(&[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x1B]);
        assert_eq!((&c3.data[..], c3.ne), (&[0x00, 0x1B][..], None));

        let c4 = parse(&[0x80, 0x2A, 0x00, 0x80, 0x01, 0xAA, 0x00]);
        assert_eq!(
            (c4.cla, &c4.data[..], c4.ne),
            (0x80, &[0xAA][..], Some(256))
        );
    }

    #[test]
    fn reads_the_extended_cases() {
        let c2 = parse(&[0x00, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x00]);
        assert_eq!((c2.ne, c2.extended), (Some(65_536), true));

        let c2 = parse(&[0x00, 0xB0, 0x00, 0x00, 0x00, 0x05, 0xDC]);
        assert_eq!(c2.ne, Some(1500));

        let mut raw = vec![0x00, 0x87, 0x07, 0x9C, 0x00, 0x01, 0x00];
        raw.extend([0x5A; 256]);
        let c3 = parse(&raw);
        assert_eq!((c3.data.len(), c3.ne, c3.extended), (256, None, true));

        raw.extend([0x00, 0x00]);
        let c4 = parse(&raw);
        assert_eq!((c4.data.len(), c4.ne), (256, Some(65_536)));
    }

    #[test]
    fn refuses_lengths_that_do_not_add_up() {
        for raw in [
            &[][..],
            &[0x00, 0xA4, 0x04],
            // Lc says 3, two bytes follow.
            &[0x00, 0xA4, 0x04, 0x00, 0x03, 0xA0, 0x00],
            // Lc says 1, three bytes follow.
            &[0x00, 0xA4, 0x04, 0x00, 0x01, 0xA0, 0x00, 0x00],
            // A lone 00 byte and one more: neither short nor extended.
            &[0x00, 0xB0, 0x00, 0x00, 0x00, 0x01],
            // Extended Lc 0000.
            &[0x00, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01],
            // Extended Lc 2, one byte follows.
            &[0x00, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01],
        ] {
            assert_eq!(Command::parse(raw), Err(sw::WRONG_LENGTH), "{raw:02X?}");
        }
    }

    #[test]
    fn the_chaining_bit_is_read_from_cla() {
        let c = parse(&[0x10, 0x87, 0x07, 0x9C, 0x01, 0x00]);
        assert!(c.is_chained());
        assert_eq!(c.base_cla(), 0x00);
    }

    #[test]
    fn debug_output_leaves_the_data_out() {
        let c = parse(&[0x00, 0x20, 0x00, 0x80, 0x04, b'1', b'2', b'3', b'4']);
        let text = format!("{c:?}");
        assert!(!text.contains("31"), "{text}");
        assert!(text.contains("4 data bytes"), "{text}");
    }
}
