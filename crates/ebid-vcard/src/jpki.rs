//! マイナンバーカード's JPKI AP, as OpenSC's `card-jpki.c`/`pkcs15-jpki.c` and the public JPKI readers talk
//! to it (cards.md has the bytes).
//!
//! What OpenSC 0.23 relies on, read from its source:
//! - it matches the card by the ATR `3B E0 00 FF 81 31 FE 45 14` (or, failing that, by selecting the AP);
//! - every SELECT is `00 A4 0x 0C` (P1 04 for the AP, 02 for an EF; P2 0C: no FCI back);
//! - on bind it reads four bytes of each certificate EF (`0x0A`, `0x01`, `0x0B`, `0x02`) to size it from the DER
//!   header, and asks both PINs for their tries left with an empty VERIFY after selecting `00 18` / `00 1B`;
//!   anything but `63Cx` there fails the whole bind;
//! - it logs in with the PIN EF selected, then selects the key EF (`00 1A` / `00 17`) and sends COMPUTE DIGITAL
//!   SIGNATURE: so a verified PIN must outlive EF selection inside the AP.

use crate::command::Command;
use crate::error::VcardError;
use crate::keys::CardKey;
use crate::link::{Applet, Link};
use crate::pin::{Check, PinCounter};
use crate::spec::JpkiSpec;
use crate::sw::{self, Reply};
use crate::tlv;

/// The ATR OpenSC's JPKI driver knows the card by (`card-jpki.c`, `jpki_atrs`): T=1 only.
pub const ATR: [u8; 9] = [0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14];
/// The JPKI AP's DF name.
const AID: [u8; 10] = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
/// What a READ BINARY or a VERIFY without Le asks for: as much as a short answer holds.
const DEFAULT_NE: usize = 256;

/// The EFs of the AP (`jpki.h`, cards.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ef {
    SignCertificate,
    SignCaCertificate,
    AuthCertificate,
    AuthCaCertificate,
    AuthKey,
    AuthPin,
    SignKey,
    SignPin,
}

impl Ef {
    fn from_id(id: &[u8]) -> Option<Self> {
        Some(match id {
            [0x00, 0x01] => Self::SignCertificate,
            [0x00, 0x02] => Self::SignCaCertificate,
            [0x00, 0x0A] => Self::AuthCertificate,
            [0x00, 0x0B] => Self::AuthCaCertificate,
            [0x00, 0x17] => Self::AuthKey,
            [0x00, 0x18] => Self::AuthPin,
            [0x00, 0x1A] => Self::SignKey,
            [0x00, 0x1B] => Self::SignPin,
            _ => return None,
        })
    }
}

/// Which of the AP's two sides a PIN or key belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Sign,
    Auth,
}

/// What the card forgets at reset.
#[derive(Debug, Clone, Default)]
pub(crate) struct Session {
    ap_selected: bool,
    current: Option<Ef>,
    sign_verified: bool,
    auth_verified: bool,
}

impl Session {
    fn verified(&mut self, side: Side) -> &mut bool {
        match side {
            Side::Sign => &mut self.sign_verified,
            Side::Auth => &mut self.auth_verified,
        }
    }
}

/// How a PIN of the AP may look.
#[derive(Debug)]
struct PinRule {
    lengths: std::ops::RangeInclusive<usize>,
    allowed: fn(&u8) -> bool,
}

impl PinRule {
    fn accepts(&self, pin: &[u8]) -> bool {
        self.lengths.contains(&pin.len()) && pin.iter().all(self.allowed)
    }
}

/// The signing password: 6 to 16 upper-case letters and digits.
const SIGN_PIN: PinRule = PinRule {
    lengths: 6..=16,
    allowed: |b| b.is_ascii_uppercase() || b.is_ascii_digit(),
};
/// The authentication PIN: 4 digits.
const AUTH_PIN: PinRule = PinRule {
    lengths: 4..=4,
    allowed: u8::is_ascii_digit,
};

#[derive(Debug)]
pub(crate) struct JpkiApplet {
    spec: JpkiSpec,
    sign_pin: PinCounter,
    auth_pin: PinCounter,
    sign_key: CardKey,
    auth_key: CardKey,
    session: Session,
}

impl JpkiApplet {
    fn from_spec(spec: JpkiSpec) -> Result<Self, VcardError> {
        let rsa_key = |der: &[u8], slot| match CardKey::from_pkcs8(der, slot)? {
            // JPKI keys are RSA-2048 (OpenSC registers only that algorithm for the card).
            key if key.is_rsa() => Ok(key),
            _ => Err(VcardError::UnsupportedKey { slot }),
        };
        for (certificate, slot) in [
            (&spec.sign.certificate, "signing"),
            (&spec.sign_ca_certificate, "signing CA"),
            (&spec.auth.certificate, "authentication"),
            (&spec.auth_ca_certificate, "authentication CA"),
        ] {
            tlv::read_only(certificate, 0x30).ok_or(VcardError::BadCertificate { slot })?;
        }
        Ok(Self {
            sign_pin: PinCounter::from_spec(&spec.sign_pin, "JPKI signing", |pin| {
                SIGN_PIN.accepts(pin)
            })?,
            auth_pin: PinCounter::from_spec(&spec.auth_pin, "JPKI authentication", |pin| {
                AUTH_PIN.accepts(pin)
            })?,
            sign_key: rsa_key(&spec.sign.private_key_pkcs8, "JPKI signing")?,
            auth_key: rsa_key(&spec.auth.private_key_pkcs8, "JPKI authentication")?,
            session: Session::default(),
            spec,
        })
    }

    fn select(&mut self, command: &Command) -> Reply {
        if command.data.is_empty() {
            return sw::WRONG_LENGTH.into();
        }
        match (command.p1, command.p2) {
            (0x04, 0x0C) if command.data[..] == AID => {
                // Selecting the AP again leaves its PIN status alone; only the current EF is gone.
                if !self.session.ap_selected {
                    self.session = Session {
                        ap_selected: true,
                        ..Session::default()
                    };
                }
                self.session.current = None;
                sw::SUCCESS.into()
            }
            (0x04, 0x0C) => sw::NOT_FOUND.into(),
            (0x02, 0x0C) if self.session.ap_selected => match Ef::from_id(&command.data) {
                Some(ef) => {
                    self.session.current = Some(ef);
                    sw::SUCCESS.into()
                }
                None if command.data.len() != 2 => sw::WRONG_LENGTH.into(),
                None => sw::NOT_FOUND.into(),
            },
            (0x02, 0x0C) => sw::NOT_FOUND.into(),
            _ => sw::WRONG_P1P2.into(),
        }
    }

    fn read_binary(&self, command: &Command) -> Reply {
        // b8 of P1 set: a short EF identifier, which this card does not offer.
        if command.p1 & 0x80 != 0 {
            return sw::WRONG_P1P2.into();
        }
        if !command.data.is_empty() {
            return sw::WRONG_LENGTH.into();
        }
        let contents = match self.session.current {
            None => return sw::NO_CURRENT_EF.into(),
            Some(Ef::SignCertificate) if !self.session.sign_verified => {
                return sw::SECURITY_NOT_SATISFIED.into();
            }
            Some(Ef::SignCertificate) => &self.spec.sign.certificate,
            Some(Ef::SignCaCertificate) => &self.spec.sign_ca_certificate,
            Some(Ef::AuthCertificate) => &self.spec.auth.certificate,
            Some(Ef::AuthCaCertificate) => &self.spec.auth_ca_certificate,
            Some(Ef::AuthKey | Ef::AuthPin | Ef::SignKey | Ef::SignPin) => {
                return sw::INCOMPATIBLE_FILE.into();
            }
        };
        let offset = usize::from(u16::from_be_bytes([command.p1, command.p2]));
        if offset >= contents.len() {
            return sw::OFFSET_OUTSIDE_FILE.into();
        }
        let ne = command.ne.unwrap_or(DEFAULT_NE);
        let end = contents.len().min(offset + ne);
        let sw = if end - offset < ne {
            sw::END_OF_FILE
        } else {
            sw::SUCCESS
        };
        Reply {
            data: contents[offset..end].to_vec(),
            sw,
        }
    }

    fn verify(&mut self, command: &Command) -> Reply {
        if command.p1 != 0x00 || command.p2 != 0x80 {
            return sw::WRONG_P1P2.into();
        }
        let (side, pin, rule) = match self.session.current {
            Some(Ef::SignPin) => (Side::Sign, &mut self.sign_pin, &SIGN_PIN),
            Some(Ef::AuthPin) => (Side::Auth, &mut self.auth_pin, &AUTH_PIN),
            _ => return sw::NO_CURRENT_EF.into(),
        };
        // Blocked: 6983 to an entry and to the question alike. What the real AP answers is not public (a
        // commercial JPKI emulator's documentation calls it "referenced IEF blocked", not a tries count);
        // OpenSC's JPKI bind insists on 63Cx, so it refuses a card with a blocked PIN.
        if pin.is_blocked() {
            return sw::PIN_BLOCKED.into();
        }
        // No data: the tries left, and nothing spent. The real card answers 63Cx even once verified (OpenSC
        // keeps its own logged-in flag and reads only the count from this answer).
        if command.data.is_empty() {
            return sw::tries_left(pin.tries_left()).into();
        }
        // A length the PIN cannot have is refused before anything is compared, so it costs no try. (Other
        // characters are compared, and counted, like any wrong entry.)
        if !rule.lengths.contains(&command.data.len()) {
            return sw::WRONG_LENGTH.into();
        }
        let check = pin.check(&command.data);
        let verified = self.session.verified(side);
        match check {
            Check::Correct => {
                *verified = true;
                sw::SUCCESS.into()
            }
            Check::Wrong(left) => {
                *verified = false;
                sw::tries_left(left).into()
            }
            Check::Blocked => sw::PIN_BLOCKED.into(),
        }
    }

    fn compute_signature(&self, command: &Command) -> Reply {
        if command.p1 != 0x00 || command.p2 != 0x80 {
            return sw::WRONG_P1P2.into();
        }
        let (key, verified) = match self.session.current {
            Some(Ef::SignKey) => (&self.sign_key, self.session.sign_verified),
            Some(Ef::AuthKey) => (&self.auth_key, self.session.auth_verified),
            _ => return sw::NO_CURRENT_EF.into(),
        };
        if !verified {
            return sw::SECURITY_NOT_SATISFIED.into();
        }
        if command.data.is_empty() {
            return sw::WRONG_LENGTH.into();
        }
        // The card pads whatever it is given; too long to pad is a length error.
        match key.sign_pkcs1_v15(&command.data) {
            Some(signature) => Reply::ok(signature),
            None => sw::WRONG_LENGTH.into(),
        }
    }
}

impl Applet for JpkiApplet {
    type Session = Session;

    fn session(&self) -> &Session {
        &self.session
    }

    fn restore(&mut self, session: Session) {
        self.session = session;
    }

    fn accepts_chaining(&self) -> bool {
        false
    }

    fn process(&mut self, command: &Command) -> Reply {
        match (command.cla, command.ins) {
            (0x00, 0xA4) => self.select(command),
            (0x00, 0xB0) => self.read_binary(command),
            (0x00, 0x20) => self.verify(command),
            // COMPUTE DIGITAL SIGNATURE is proprietary: CLA 80.
            (0x80, 0x2A) => self.compute_signature(command),
            (0x00 | 0x80, _) => sw::INS_NOT_SUPPORTED.into(),
            _ => sw::CLA_NOT_SUPPORTED.into(),
        }
    }
}

/// A virtual マイナンバーカード showing its JPKI AP.
#[derive(Debug)]
pub struct JpkiCard {
    applet: JpkiApplet,
    link: Link,
}

impl JpkiCard {
    pub fn from_spec(spec: JpkiSpec) -> Result<Self, VcardError> {
        let link = Link::new(spec.quirks.clone());
        Ok(Self {
            applet: JpkiApplet::from_spec(spec)?,
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

    pub fn spec(&self) -> JpkiSpec {
        JpkiSpec {
            sign_pin: self.applet.sign_pin.to_spec(),
            auth_pin: self.applet.auth_pin.to_spec(),
            ..self.applet.spec.clone()
        }
    }
}
