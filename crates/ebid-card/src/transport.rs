//! The transport seam: something that carries one command APDU to a card and brings back its answer.
//!
//! Above it, [`crate::channel::Channel`] handles what every card does the same way (61xx, 6Cxx, chaining,
//! extended length); below it sit PC/SC ([`crate::pcsc_backend`]) and cards living in this process
//! ([`InProcess`]), such as the project's virtual cards in unit tests.

use crate::error::TransportError;

/// One exchange of bytes with a card, as a reader does it: no retries, no interpretation.
pub trait Transport {
    /// Sends one command APDU and returns the response APDU (data and the two status bytes).
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError>;

    /// Whether the reader and card take extended-length APDUs (Lc/Le over 255/256).
    fn extended_length(&self) -> bool;
}

/// A card that answers APDUs inside this process (a virtual card in a unit test).
pub trait InProcessCard: Send {
    /// Answers one command APDU; `None` when the card has left the reader.
    fn respond(&mut self, command: &[u8]) -> Option<Vec<u8>>;
}

/// The transport to an [`InProcessCard`]: the PC/SC stack left out, everything above it the same.
#[derive(Debug)]
pub struct InProcess<C> {
    card: C,
    extended_length: bool,
}

impl<C: InProcessCard> InProcess<C> {
    pub fn new(card: C, extended_length: bool) -> Self {
        Self {
            card,
            extended_length,
        }
    }
}

impl<C: InProcessCard> Transport for InProcess<C> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.card
            .respond(command)
            .ok_or(TransportError::CardRemoved)
    }

    fn extended_length(&self) -> bool {
        self.extended_length
    }
}
