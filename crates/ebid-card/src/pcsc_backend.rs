//! The PC/SC backend: readers, cards and transactions through the platform's smart card service
//! (pcsc-lite's pcscd on Linux, WinSCard on Windows, CryptoTokenKit's PC/SC layer on macOS).

use std::ffi::{CStr, CString};
use std::time::Duration;

use pcsc::{Context, Protocols, Scope, ShareMode, State};

use crate::error::TransportError;
use crate::monitor::ReaderMonitor;
use crate::transport::Transport;

/// A connection to the smart card service.
#[derive(Clone)]
pub struct Pcsc {
    context: Context,
}

/// A reader and what is in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderInfo {
    pub name: String,
    /// The ATR of the card in the reader, if one is in.
    pub card_atr: Option<Vec<u8>>,
    /// Another program holds the card exclusively.
    pub exclusive: bool,
}

impl Pcsc {
    pub fn establish() -> Result<Self, TransportError> {
        Ok(Self {
            context: Context::establish(Scope::User)?,
        })
    }

    /// The readers the service knows, in its order, with the card each holds.
    pub fn readers(&self) -> Result<Vec<ReaderInfo>, TransportError> {
        let names = match self.context.list_readers_owned() {
            Ok(names) => names,
            Err(pcsc::Error::NoReadersAvailable) => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        let mut states: Vec<pcsc::ReaderState> = names
            .into_iter()
            .map(|name| pcsc::ReaderState::new(name, State::UNAWARE))
            .collect();
        // With every state UNAWARE the call returns at once with the present state of each reader.
        self.context
            .get_status_change(Some(Duration::ZERO), &mut states)?;
        Ok(states.iter().map(reader_info).collect())
    }

    /// Connects to the card in a reader, shared with other programs as the desktop expects.
    pub fn connect(&self, reader: &str) -> Result<PcscCard, TransportError> {
        let name = CString::new(reader).map_err(|_| TransportError::ReaderGone)?;
        let card = self
            .context
            .connect(&name, ShareMode::Shared, Protocols::ANY)
            .inspect_err(|error| tracing::debug!(reader, %error, "cannot connect to the card"))?;
        tracing::debug!(reader, "connected to the card");
        Ok(PcscCard {
            card,
            reader: name,
            context: self.context.clone(),
        })
    }

    /// Watches every reader for cards coming and going, and for readers plugged in or out.
    pub fn monitor(&self) -> Result<ReaderMonitor, TransportError> {
        ReaderMonitor::new(self.context.clone())
    }
}

pub(crate) fn reader_info(state: &pcsc::ReaderState) -> ReaderInfo {
    let event = state.event_state();
    ReaderInfo {
        name: state.name().to_string_lossy().into_owned(),
        card_atr: event.contains(State::PRESENT).then(|| state.atr().to_vec()),
        exclusive: event.contains(State::EXCLUSIVE),
    }
}

/// A card connected through PC/SC.
pub struct PcscCard {
    card: pcsc::Card,
    reader: CString,
    context: Context,
}

impl PcscCard {
    /// Opens a transaction: no other program's APDU lands between ours until it ends.
    pub fn transaction(&mut self) -> Result<PcscTransaction<'_>, TransportError> {
        Ok(PcscTransaction {
            transaction: self.card.transaction()?,
            reader: &self.reader,
            context: &self.context,
            buffer: vec![0; pcsc::MAX_BUFFER_SIZE_EXTENDED],
        })
    }
}

/// A transaction on a PC/SC card; the [`Transport`] the profiles talk over.
pub struct PcscTransaction<'card> {
    transaction: pcsc::Transaction<'card>,
    reader: &'card CStr,
    context: &'card Context,
    buffer: Vec<u8>,
}

impl std::fmt::Debug for PcscTransaction<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PcscTransaction")
    }
}

impl Transport for PcscTransaction<'_> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let failure = match self.transaction.transmit(command, &mut self.buffer) {
            Ok(answer) if answer.len() >= 2 => return Ok(answer.to_vec()),
            Ok(_) => TransportError::ShortResponse,
            Err(e) => TransportError::from(e),
        };
        // A reader whose card was pulled mid-command may report a broken exchange before it reports the
        // card gone; ask the service which it was, so the user is told to reinsert rather than that the card
        // is faulty.
        Err(match failure {
            TransportError::ShortResponse | TransportError::Pcsc(_)
                if card_left(self.context, self.reader) =>
            {
                TransportError::CardRemoved
            }
            other => other,
        })
    }

    /// Tried first; a card or reader that refuses answers 6700 and the channel falls back to short APDUs.
    fn extended_length(&self) -> bool {
        true
    }
}

/// Whether the card left `reader`: now, or within one polling period of the service.
fn card_left(context: &Context, reader: &CStr) -> bool {
    /// pcsc-lite polls readers without card events a few times a second; this bounds the wait for it.
    const NOTICE: Duration = Duration::from_secs(2);
    let mut state = [pcsc::ReaderState::new(reader.to_owned(), State::UNAWARE)];
    if context
        .get_status_change(Some(Duration::ZERO), &mut state)
        .is_err()
    {
        return false;
    }
    if !state[0].event_state().contains(State::PRESENT) {
        return true;
    }
    state[0].sync_current_state();
    match context.get_status_change(Some(NOTICE), &mut state) {
        Ok(()) => !state[0].event_state().contains(State::PRESENT),
        Err(_) => false,
    }
}

/// The reader name as the service spells it.
pub(crate) fn reader_name(name: &CStr) -> String {
    name.to_string_lossy().into_owned()
}
