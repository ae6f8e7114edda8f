//! Reader and card events from PC/SC `get_status_change`, including plug-and-play of readers.

use std::time::Duration;

use pcsc::{Context, ReaderState, State};

use crate::error::TransportError;
use crate::pcsc_backend::{ReaderInfo, reader_info, reader_name};

/// Something that happened at a reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReaderEvent {
    ReaderAdded { reader: String },
    ReaderRemoved { reader: String },
    CardInserted { reader: String, atr: Vec<u8> },
    CardRemoved { reader: String },
}

/// Watches the readers. Each [`ReaderMonitor::wait`] blocks until something changes.
pub struct ReaderMonitor {
    context: Context,
    /// The plug-and-play pseudo-reader first, then one state per reader.
    states: Vec<ReaderState>,
}

/// Wakes a monitor blocked in [`ReaderMonitor::wait`] from another thread.
#[derive(Clone)]
pub struct MonitorCanceller(Context);

impl MonitorCanceller {
    pub fn cancel(&self) -> Result<(), TransportError> {
        Ok(self.0.cancel()?)
    }
}

impl ReaderMonitor {
    pub(crate) fn new(context: Context) -> Result<Self, TransportError> {
        let mut monitor = Self {
            context,
            states: vec![ReaderState::new(pcsc::PNP_NOTIFICATION(), State::UNAWARE)],
        };
        monitor.add_new_readers()?;
        monitor.refresh()?;
        Ok(monitor)
    }

    /// The readers as last seen, with the card in each.
    pub fn readers(&self) -> Vec<ReaderInfo> {
        self.states[1..].iter().map(reader_info).collect()
    }

    pub fn canceller(&self) -> MonitorCanceller {
        MonitorCanceller(self.context.clone())
    }

    /// Blocks until at least one event happens (or `timeout` passes: then no events) and returns them.
    pub fn wait(&mut self, timeout: Option<Duration>) -> Result<Vec<ReaderEvent>, TransportError> {
        loop {
            let before: Vec<(bool, u32)> = self
                .states
                .iter()
                .map(|s| (is_present(s.event_state()), s.event_count()))
                .collect();
            for state in &mut self.states {
                state.sync_current_state();
            }
            match self.context.get_status_change(timeout, &mut self.states) {
                Err(pcsc::Error::Timeout) => return Ok(Vec::new()),
                result => result?,
            }
            let mut events = Vec::new();
            for (state, (was_present, count)) in self.states.iter().zip(before).skip(1) {
                let reader = reader_name(state.name());
                let now = state.event_state();
                if now.intersects(State::UNKNOWN | State::IGNORE) {
                    continue; // reported below as a removal of the reader
                }
                let present = is_present(now);
                let swapped = was_present && present && state.event_count() != count;
                if was_present && (!present || swapped) {
                    events.push(ReaderEvent::CardRemoved {
                        reader: reader.clone(),
                    });
                }
                if present && (!was_present || swapped) {
                    events.push(ReaderEvent::CardInserted {
                        reader,
                        atr: state.atr().to_vec(),
                    });
                }
            }
            events.extend(self.drop_gone_readers());
            if self.states[0].event_state().contains(State::CHANGED) {
                events.extend(self.add_new_readers()?);
            }
            if !events.is_empty() {
                return Ok(events);
            }
        }
    }

    /// Asks once without waiting, so that the first wait starts from the present state.
    fn refresh(&mut self) -> Result<(), TransportError> {
        match self
            .context
            .get_status_change(Some(Duration::ZERO), &mut self.states)
        {
            Ok(()) | Err(pcsc::Error::Timeout) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    fn drop_gone_readers(&mut self) -> Vec<ReaderEvent> {
        let mut events = Vec::new();
        let mut index = 1;
        while index < self.states.len() {
            if self.states[index]
                .event_state()
                .intersects(State::UNKNOWN | State::IGNORE)
            {
                let gone = self.states.remove(index);
                events.push(ReaderEvent::ReaderRemoved {
                    reader: reader_name(gone.name()),
                });
            } else {
                index += 1;
            }
        }
        events
    }

    fn add_new_readers(&mut self) -> Result<Vec<ReaderEvent>, TransportError> {
        let names = match self.context.list_readers_owned() {
            Ok(names) => names,
            Err(pcsc::Error::NoReadersAvailable) => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        let mut events = Vec::new();
        for name in names {
            if !self
                .states
                .iter()
                .skip(1)
                .any(|s| s.name() == name.as_c_str())
            {
                events.push(ReaderEvent::ReaderAdded {
                    reader: reader_name(&name),
                });
                self.states.push(ReaderState::new(name, State::UNAWARE));
            }
        }
        // A reader plugged in with a card already in reports it as inserted on the next wait.
        Ok(events)
    }
}

fn is_present(state: State) -> bool {
    state.contains(State::PRESENT) && !state.contains(State::MUTE)
}
