//! 【OK】 on 新しいICカードが…挿入されていることを確認して while the wait runs: the user says the new card is
//! in, and the dialog answers with what the readers hold now. The wait itself blocks the thread that owns
//! the renewal, so the glance is a handle of its own, taken when the wait starts, with its own connection
//! to the service.

use ebid_card::{Pcsc, TransportError};

use crate::RenewalError;
use crate::readers::identify;

/// What the readers hold now, as the swap dialog's 【OK】 finds them.
#[derive(Debug)]
pub enum SwapLook {
    /// A card other than the logged-in one is in: the wait takes it by itself.
    NewCardIn,
    /// The logged-in card is still in its reader.
    CurrentCardStillIn,
    /// The logged-in card's reader is empty, and no other reader holds a new card.
    NoCard,
    /// A card is in that could not be read.
    Unreadable(RenewalError),
}

/// Looks at the readers on behalf of a running wait for the new card.
#[derive(Clone)]
pub struct SwapGlance {
    pcsc: Pcsc,
    current_reader: String,
    /// The logged-in card's certificate fingerprint.
    current: String,
}

impl SwapGlance {
    pub(crate) fn new(pcsc: &Pcsc, current_reader: &str, current: &str) -> Self {
        Self {
            pcsc: pcsc.clone(),
            current_reader: current_reader.to_owned(),
            current: current.to_owned(),
        }
    }

    /// What the readers hold now. A card whose certificate is not free to read (JPKI before its PIN)
    /// counts as the new one, as at the wait.
    pub fn look(&self) -> Result<SwapLook, TransportError> {
        let mut current_reader_empty = true;
        for reader in self.pcsc.readers()? {
            if reader.card_atr.is_none() {
                continue;
            }
            let is_current_reader = reader.name == self.current_reader;
            current_reader_empty &= !is_current_reader;
            match identify(&self.pcsc, &reader.name) {
                Ok(reading) if reading.fingerprint() == Some(self.current.as_str()) => {
                    if is_current_reader {
                        return Ok(SwapLook::CurrentCardStillIn);
                    }
                }
                Ok(_) => return Ok(SwapLook::NewCardIn),
                Err(error) if is_current_reader => return Ok(SwapLook::Unreadable(error)),
                Err(_) => {}
            }
        }
        Ok(if current_reader_empty {
            SwapLook::NoCard
        } else {
            SwapLook::CurrentCardStillIn
        })
    }
}
