//! A PIV card application (NIST SP 800-73-4 Part 2), with what OpenSC 0.23's `card-piv.c` and
//! `pkcs15-piv.c` ask of it:
//! - matching: GET DATA of the Discovery Object (`5C 01 7E`) first, then SELECT of the PIV AID expecting the
//!   application property template (tag 61 with the PIX in 4F); then the CCC, Key History (`6A82` is fine:
//!   no retired keys) and Discovery again; the PIN usage policy in the Discovery Object picks the PIN;
//! - binding: the CHUID for the serial number (FASC-N agency 9999 → the GUID), then the certificate objects
//!   of 9A, 9C, 9D, 9E (`6A82` for those absent); the PUK's and PIN's tries by empty VERIFY;
//! - signing: GENERAL AUTHENTICATE `7C { 82 00, 81 <data> }`, sent with command chaining when longer than 255
//!   bytes, read back with GET RESPONSE; 9C is "PIN always", so OpenSC VERIFYs right before each 9C signature.

use crate::command::Command;
use crate::error::VcardError;
use crate::keys::CardKey;
use crate::link::{Applet, Link};
use crate::pin::{Check, PinCounter};
use crate::piv_objects::{self, ALG_P256, ALG_RSA_2048, DataObjects};
use crate::spec::PivSpec;
use crate::sw::{self, Reply};
use crate::tlv::{self, encode};

/// A T=1 ATR (TD1 81: T=1, TD2 31: TA3 IFSC 254, TB3 BWI 4 CWI 5) whose historical bytes name the card.
/// No driver earlier in OpenSC's list claims it, and nothing in it makes `card-piv.c` take the card for a
/// YubiKey (which would bring vendor commands the card does not have).
pub const ATR: [u8; 15] = atr(*b"ebid-PIV");
/// The PIV application PIN's key reference; 00 (global PIN) and 81 (PUK) are not on this card.
const PIN_REFERENCE: u8 = 0x80;
/// VERIFY's PIN block: the PIN (6 to 8 digits) padded with FF to 8 bytes.
const PIN_BLOCK: usize = 8;
const PIN_LENGTHS: std::ops::RangeInclusive<usize> = 6..=8;
const PAD: u8 = 0xFF;

const fn atr(historical: [u8; 8]) -> [u8; 15] {
    let mut atr = [
        0x3B, 0x88, 0x81, 0x31, 0xFE, 0x45, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];
    let mut i = 0;
    while i < 8 {
        atr[6 + i] = historical[i];
        i += 1;
    }
    // TCK: everything from T0 on XORs to zero.
    let mut tck = 0;
    let mut j = 1;
    while j < 14 {
        tck ^= atr[j];
        j += 1;
    }
    atr[14] = tck;
    atr
}

/// The key slots this card has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// PIV Authentication: the PIN once per session.
    Authentication,
    /// Digital Signature: "PIN always", a VERIFY right before every use (Part 1 §3.2, Table 4b).
    Signature,
}

/// What the card forgets at reset.
#[derive(Debug, Clone, Default)]
pub(crate) struct Session {
    selected: bool,
    verified: bool,
    /// Set by a successful VERIFY, spent by one 9C signature.
    signature_allowed: bool,
}

#[derive(Debug)]
pub(crate) struct PivApplet {
    spec: PivSpec,
    pin: PinCounter,
    key_9a: CardKey,
    key_9c: CardKey,
    objects: DataObjects,
    session: Session,
}

/// The PIV PIN: 6 to 8 digits.
fn pin_format(pin: &[u8]) -> bool {
    PIN_LENGTHS.contains(&pin.len()) && pin.iter().all(u8::is_ascii_digit)
}

impl PivApplet {
    fn from_spec(spec: PivSpec) -> Result<Self, VcardError> {
        Ok(Self {
            pin: PinCounter::from_spec(&spec.pin, "PIV", pin_format)?,
            key_9a: CardKey::from_pkcs8(&spec.slot_9a.private_key_pkcs8, "PIV 9A")?,
            key_9c: CardKey::from_pkcs8(&spec.slot_9c.private_key_pkcs8, "PIV 9C")?,
            objects: DataObjects::build(&spec)?,
            session: Session::default(),
            spec,
        })
    }

    fn select(&mut self, command: &Command) -> Reply {
        if command.p1 != 0x04 || command.p2 != 0x00 {
            return sw::WRONG_P1P2.into();
        }
        if !piv_objects::is_piv_aid(&command.data) {
            // Another application: not here, and the PIV application stays as it was.
            return sw::NOT_FOUND.into();
        }
        // Selecting it again while selected keeps the PIN status; OpenSC reselects when unsure of the state.
        if !self.session.selected {
            self.session = Session {
                selected: true,
                ..Session::default()
            };
        }
        Reply::ok(piv_objects::application_property_template())
    }

    fn get_data(&self, command: &Command) -> Reply {
        if command.p1 != 0x3F || command.p2 != 0xFF {
            return sw::WRONG_P1P2.into();
        }
        let Some(tag) = tlv::read_only(&command.data, 0x5C) else {
            return sw::WRONG_DATA.into();
        };
        let object = match tag {
            [0x7E] => &self.objects.discovery,
            [0x5F, 0xC1, 0x02] => &self.objects.chuid,
            [0x5F, 0xC1, 0x07] => &self.objects.ccc,
            [0x5F, 0xC1, 0x05] => &self.objects.certificate_9a,
            [0x5F, 0xC1, 0x0A] => &self.objects.certificate_9c,
            // Every other object of Part 1 Table 3 (key history, 9D/9E certificates, biometrics, ...).
            [0x5F, 0xC1, _] | [_] => return sw::NOT_FOUND.into(),
            _ => return sw::WRONG_DATA.into(),
        };
        Reply::ok(object.clone())
    }

    fn verify(&mut self, command: &Command) -> Reply {
        match (command.p1, command.p2) {
            (0x00, PIN_REFERENCE) => {}
            // P1 FF: forget the verification (Part 2 §3.2.1).
            (0xFF, PIN_REFERENCE) if command.data.is_empty() => {
                self.session.verified = false;
                self.session.signature_allowed = false;
                return sw::SUCCESS.into();
            }
            (0xFF, PIN_REFERENCE) => return sw::WRONG_LENGTH.into(),
            (0x00 | 0xFF, _) => return sw::REFERENCE_NOT_FOUND.into(),
            _ => return sw::WRONG_P1P2.into(),
        }
        // Blocked: 6983, to an entry and to the question alike (Part 2 §3.2.1).
        if self.pin.is_blocked() {
            return sw::PIN_BLOCKED.into();
        }
        // No data: 9000 if verified already, else the tries left; nothing is spent.
        if command.data.is_empty() {
            return if self.session.verified {
                sw::SUCCESS
            } else {
                sw::tries_left(self.pin.tries_left())
            }
            .into();
        }
        // Not a PIN block at all: refused before anything is compared, so it costs no try.
        let Some(entry) = unpad(&command.data) else {
            return sw::WRONG_DATA.into();
        };
        match self.pin.check(entry) {
            Check::Correct => {
                self.session.verified = true;
                self.session.signature_allowed = true;
                sw::SUCCESS.into()
            }
            Check::Wrong(left) => {
                self.session.verified = false;
                self.session.signature_allowed = false;
                sw::tries_left(left).into()
            }
            Check::Blocked => sw::PIN_BLOCKED.into(),
        }
    }

    fn general_authenticate(&mut self, command: &Command) -> Reply {
        let (slot, key) = match command.p2 {
            0x9A => (Slot::Authentication, &self.key_9a),
            0x9C => (Slot::Signature, &self.key_9c),
            // 9B (management key), 9D, 9E and the retired keys are not on this card.
            _ => return sw::REFERENCE_NOT_FOUND.into(),
        };
        let algorithm = if key.is_rsa() { ALG_RSA_2048 } else { ALG_P256 };
        if command.p1 != algorithm {
            return sw::WRONG_P1P2.into();
        }
        let allowed = match slot {
            Slot::Authentication => self.session.verified,
            Slot::Signature => self.session.verified && self.session.signature_allowed,
        };
        if !allowed {
            return sw::SECURITY_NOT_SATISFIED.into();
        }
        let Some(challenge) = signature_request(&command.data) else {
            return sw::WRONG_DATA.into();
        };
        let signature = if key.is_rsa() {
            key.raw_rsa(challenge)
        } else {
            key.sign_ecdsa(challenge)
        };
        let Some(signature) = signature else {
            return sw::WRONG_DATA.into();
        };
        if slot == Slot::Signature {
            self.session.signature_allowed = false;
        }
        Reply::ok(encode(&[0x7C], &encode(&[0x82], &signature)))
    }
}

/// The PIN inside an 8-byte VERIFY block: 6 to 8 digits, then only FF. `None` for anything else.
fn unpad(block: &[u8]) -> Option<&[u8]> {
    if block.len() != PIN_BLOCK {
        return None;
    }
    let len = block.iter().position(|&b| b == PAD).unwrap_or(PIN_BLOCK);
    let (pin, padding) = block.split_at(len);
    (pin_format(pin) && padding.iter().all(|&b| b == PAD)).then_some(pin)
}

/// The data to sign in a dynamic authentication template asking for a signature: `7C { 81 <data>, 82 00 }`
/// in either order and nothing else (a witness 80 or an ECDH point 85 is another operation).
fn signature_request(data: &[u8]) -> Option<&[u8]> {
    let fields = tlv::read_all(tlv::read_only(data, 0x7C)?)?;
    let mut challenge = None;
    let mut response_asked = false;
    for field in fields {
        match (field.tag, field.value) {
            (0x81, value) if challenge.is_none() && !value.is_empty() => challenge = Some(value),
            (0x82, []) if !response_asked => response_asked = true,
            _ => return None,
        }
    }
    challenge.filter(|_| response_asked)
}

impl Applet for PivApplet {
    type Session = Session;

    fn session(&self) -> &Session {
        &self.session
    }

    fn restore(&mut self, session: Session) {
        self.session = session;
    }

    fn accepts_chaining(&self) -> bool {
        true
    }

    fn process(&mut self, command: &Command) -> Reply {
        if command.cla != 0x00 {
            return sw::CLA_NOT_SUPPORTED.into();
        }
        if command.ins == 0xA4 {
            return self.select(command);
        }
        // Until the PIV application is selected nothing on the card knows these instructions.
        if !self.session.selected {
            return sw::INS_NOT_SUPPORTED.into();
        }
        match command.ins {
            0xCB => self.get_data(command),
            0x20 => self.verify(command),
            0x87 => self.general_authenticate(command),
            _ => sw::INS_NOT_SUPPORTED.into(),
        }
    }
}

/// A virtual PIV card.
#[derive(Debug)]
pub struct PivCard {
    applet: PivApplet,
    link: Link,
}

impl PivCard {
    pub fn from_spec(spec: PivSpec) -> Result<Self, VcardError> {
        let link = Link::new(spec.quirks.clone());
        Ok(Self {
            applet: PivApplet::from_spec(spec)?,
            link,
        })
    }

    pub fn atr(&self) -> &[u8] {
        &ATR
    }

    pub fn power_on(&mut self) {
        self.applet.session = Session::default();
        self.link.reset();
    }

    pub fn respond(&mut self, command: &[u8]) -> Vec<u8> {
        self.link.exchange(&mut self.applet, command)
    }

    pub fn spec(&self) -> PivSpec {
        PivSpec {
            pin: self.applet.pin.to_spec(),
            ..self.applet.spec.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_atr_checksum_holds_and_offers_t1_only() {
        assert_eq!(ATR[1..].iter().fold(0, |acc, b| acc ^ b), 0);
        // TD1 and TD2 both name protocol 1.
        assert_eq!((ATR[2] & 0x0F, ATR[3] & 0x0F), (1, 1));
    }

    #[test]
    fn unpads_well_formed_pin_blocks_only() {
        assert_eq!(unpad(b"123456\xFF\xFF"), Some(&b"123456"[..]));
        assert_eq!(unpad(b"12345678"), Some(&b"12345678"[..]));
        for block in [
            &b"1234\xFF\xFF\xFF\xFF"[..],
            b"123456\xFF1",
            b"12a456\xFF\xFF",
            b"123456\xFF",
            b"123456\xFF\xFF\xFF",
        ] {
            assert_eq!(unpad(block), None, "{block:02X?}");
        }
    }

    #[test]
    fn reads_the_signature_request_in_either_order() {
        assert_eq!(
            signature_request(&[0x7C, 0x05, 0x82, 0x00, 0x81, 0x01, 0xAA]),
            Some(&[0xAA][..])
        );
        assert_eq!(
            signature_request(&[0x7C, 0x05, 0x81, 0x01, 0xAA, 0x82, 0x00]),
            Some(&[0xAA][..])
        );
        for data in [
            &[0x7C, 0x03, 0x81, 0x01, 0xAA][..],
            &[0x7C, 0x02, 0x82, 0x00],
            &[0x7C, 0x04, 0x82, 0x00, 0x81, 0x00],
            &[0x7C, 0x07, 0x82, 0x00, 0x81, 0x01, 0xAA, 0x80, 0x00],
            &[0x7C, 0x05, 0x82, 0x00, 0x85, 0x01, 0xAA],
            &[0x7D, 0x05, 0x82, 0x00, 0x81, 0x01, 0xAA],
            &[0x7C, 0x05, 0x82, 0x00, 0x81, 0x01, 0xAA, 0x00],
        ] {
            assert_eq!(signature_request(data), None, "{data:02X?}");
        }
    }
}
