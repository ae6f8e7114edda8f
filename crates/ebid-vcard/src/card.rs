//! The virtual card as the reader sees it: an ATR at power-on, then one response APDU for each command APDU.

use crate::error::VcardError;
use crate::jpki::JpkiCard;
use crate::piv::PivCard;
use crate::spec::CardSpec;

/// A virtual card of either profile.
#[derive(Debug)]
pub enum VirtualCard {
    Jpki(JpkiCard),
    Piv(PivCard),
}

impl VirtualCard {
    /// Loads a card file; refuses one that no real card could be (see [`VcardError`]).
    pub fn from_spec(spec: CardSpec) -> Result<Self, VcardError> {
        Ok(match spec {
            CardSpec::Jpki(spec) => Self::Jpki(JpkiCard::from_spec(spec)?),
            CardSpec::Piv(spec) => Self::Piv(PivCard::from_spec(spec)?),
        })
    }

    /// The ATR the card answers at power-on.
    pub fn atr(&self) -> &[u8] {
        match self {
            Self::Jpki(card) => card.atr(),
            Self::Piv(card) => card.atr(),
        }
    }

    /// A cold or warm reset: the selected application and file, verified PINs, half-sent chains and unfetched
    /// answers are gone; PIN retry counters stay, as they live in the card's non-volatile memory.
    pub fn power_on(&mut self) {
        match self {
            Self::Jpki(card) => card.power_on(),
            Self::Piv(card) => card.power_on(),
        }
    }

    /// One command APDU in, one response APDU (data and SW1 SW2) out. Any input gets an answer.
    pub fn respond(&mut self, command: &[u8]) -> Vec<u8> {
        match self {
            Self::Jpki(card) => card.respond(command),
            Self::Piv(card) => card.respond(command),
        }
    }

    /// The card file as it stands now, PIN retry counters included, to be saved back to disk.
    pub fn spec(&self) -> CardSpec {
        match self {
            Self::Jpki(card) => CardSpec::Jpki(card.spec()),
            Self::Piv(card) => CardSpec::Piv(card.spec()),
        }
    }
}

impl ebid_card::transport::InProcessCard for VirtualCard {
    fn respond(&mut self, command: &[u8]) -> Option<Vec<u8>> {
        Some(VirtualCard::respond(self, command))
    }
}
