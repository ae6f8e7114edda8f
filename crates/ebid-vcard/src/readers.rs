//! The virtual cards of a demo set in vpcd's readers: insert, remove and swap by name, with each card's
//! PIN counters written back to its file when it leaves a reader (a real card keeps them too).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ebid_card::Pcsc;
use serde::{Deserialize, Serialize};

use crate::card::VirtualCard;
use crate::spec::CardSpec;
use crate::vpcd::{self, Behaviour, Inserted};

/// vpcd as Debian configures it offers two readers.
pub const READERS: u8 = 2;

/// How long pcscd may take to notice a card come or go. It polls vpcd a few times a second, but when a
/// program left the card in a transaction (the app window closed mid-read, a card pulled while in use),
/// pcscd's reset of the card fails on vpcd and its power-down afterwards holds the reader for about ten
/// seconds (seen in pcscd's debug log): a card put in then is noticed only after that.
const PCSCD_NOTICE: Duration = Duration::from_secs(30);
/// A card put in while another program watches the reader is sometimes never taken up by vpcd (seen in the
/// app's end-to-end tests, about one swap in ten: pcscd logs nothing of it). Past this, it is put in again,
/// as a user pushes a card that did not click; the second time vpcd takes it.
const INSERT_NOTICE: Duration = Duration::from_secs(8);

#[derive(Debug, thiserror::Error)]
pub enum ReadersError {
    #[error("no reader {0}: vpcd has readers 0 and 1")]
    NoSuchReader(u8),
    #[error("reader {reader} already holds card {card}")]
    Occupied { reader: u8, card: String },
    #[error("reader {0} is empty")]
    Empty(u8),
    #[error("card {card} is already in reader {reader}")]
    AlreadyIn { card: String, reader: u8 },
    #[error("card file {path}: {source}")]
    CardFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("card file {path}: {source}")]
    CardFormat {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("card {0}: {1}")]
    Card(String, String),
    #[error("cannot reach vpcd reader {reader} (is pcscd running with vsmartcard-vpcd?): {source}")]
    Vpcd { reader: u8, source: std::io::Error },
    #[error("pcscd did not see the change in reader {0} in time")]
    NotNoticed(u8),
    #[error("smart card service: {0}")]
    Pcsc(#[from] ebid_card::TransportError),
}

/// What is in each reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReaderStatus {
    pub reader: u8,
    pub name: String,
    pub card: Option<String>,
    /// Command APDUs the card in the reader has answered since it went in.
    pub apdus: u64,
}

/// The cards of one demo set and the readers they sit in.
#[derive(Debug)]
pub struct Readers {
    cards_dir: PathBuf,
    slots: Vec<Option<(String, Inserted)>>,
}

impl Readers {
    /// The cards of the demo set in `set_dir` (its `cards/NAME.json` files).
    pub fn new(set_dir: &Path) -> Self {
        Self {
            cards_dir: set_dir.join("cards"),
            slots: (0..READERS).map(|_| None).collect(),
        }
    }

    pub fn status(&self) -> Vec<ReaderStatus> {
        self.slots
            .iter()
            .enumerate()
            .map(|(reader, slot)| ReaderStatus {
                reader: reader as u8,
                name: vpcd::reader_name(reader as u8),
                card: slot.as_ref().map(|(name, _)| name.clone()),
                apdus: slot
                    .as_ref()
                    .map_or(0, |(_, inserted)| inserted.apdus_answered()),
            })
            .collect()
    }

    /// Puts card `name` into `reader` and returns once pcscd sees it there.
    pub fn insert(
        &mut self,
        reader: u8,
        name: &str,
        behaviour: Behaviour,
    ) -> Result<(), ReadersError> {
        let slot_index = usize::from(reader);
        match self.slots.get(slot_index) {
            None => return Err(ReadersError::NoSuchReader(reader)),
            Some(Some((card, _))) => {
                return Err(ReadersError::Occupied {
                    reader,
                    card: card.clone(),
                });
            }
            Some(None) => {}
        }
        if let Some(other) = self
            .status()
            .into_iter()
            .find(|s| s.card.as_deref() == Some(name))
        {
            return Err(ReadersError::AlreadyIn {
                card: name.to_owned(),
                reader: other.reader,
            });
        }
        let card = self.load(name)?;
        let inserted = Inserted::insert(reader, card, behaviour)
            .map_err(|source| ReadersError::Vpcd { reader, source })?;
        self.slots[slot_index] = Some((name.to_owned(), inserted));
        match wait_for_pcscd(reader, true, INSERT_NOTICE) {
            Err(ReadersError::NotNoticed(_)) => self.insert_again(reader, behaviour),
            seen => seen,
        }
    }

    /// Takes the card just put into `reader` out and puts it in again (see [`INSERT_NOTICE`]).
    fn insert_again(&mut self, reader: u8, behaviour: Behaviour) -> Result<(), ReadersError> {
        let slot = &mut self.slots[usize::from(reader)];
        let (name, inserted) = slot.take().ok_or(ReadersError::Empty(reader))?;
        let card = inserted.remove().card;
        let inserted = Inserted::insert(reader, card, behaviour)
            .map_err(|source| ReadersError::Vpcd { reader, source })?;
        *slot = Some((name, inserted));
        wait_for_pcscd(reader, true, PCSCD_NOTICE)
    }

    /// Pulls the card out of `reader`, saves its state, and returns once pcscd sees the reader empty.
    pub fn remove(&mut self, reader: u8) -> Result<String, ReadersError> {
        let slot = self
            .slots
            .get_mut(usize::from(reader))
            .ok_or(ReadersError::NoSuchReader(reader))?;
        let (name, inserted) = slot.take().ok_or(ReadersError::Empty(reader))?;
        let served = inserted.remove();
        self.save(&name, &served.card)?;
        wait_for_pcscd(reader, false, PCSCD_NOTICE)?;
        Ok(name)
    }

    /// Takes whatever card is in `reader` out (waiting until pcscd has seen it go, so the swap is never
    /// mistaken for the same card) and puts `name` in.
    pub fn swap(
        &mut self,
        reader: u8,
        name: &str,
        behaviour: Behaviour,
    ) -> Result<Option<String>, ReadersError> {
        let previous = match self.slots.get(usize::from(reader)) {
            None => return Err(ReadersError::NoSuchReader(reader)),
            Some(Some(_)) => Some(self.remove(reader)?),
            Some(None) => None,
        };
        self.insert(reader, name, behaviour)?;
        Ok(previous)
    }

    /// Removes every card, saving each one's state.
    pub fn remove_all(&mut self) -> Result<(), ReadersError> {
        for reader in 0..READERS {
            if self.slots[usize::from(reader)].is_some() {
                self.remove(reader)?;
            }
        }
        Ok(())
    }

    fn path(&self, name: &str) -> PathBuf {
        self.cards_dir.join(format!("{name}.json"))
    }

    fn load(&self, name: &str) -> Result<VirtualCard, ReadersError> {
        let path = self.path(name);
        let text = std::fs::read(&path).map_err(|source| ReadersError::CardFile {
            path: path.clone(),
            source,
        })?;
        let spec: CardSpec =
            serde_json::from_slice(&text).map_err(|source| ReadersError::CardFormat {
                path: path.clone(),
                source,
            })?;
        VirtualCard::from_spec(spec).map_err(|e| ReadersError::Card(name.to_owned(), e.to_string()))
    }

    fn save(&self, name: &str, card: &VirtualCard) -> Result<(), ReadersError> {
        let path = self.path(name);
        let text =
            serde_json::to_vec_pretty(&card.spec()).map_err(|source| ReadersError::CardFormat {
                path: path.clone(),
                source,
            })?;
        // Written aside and renamed, so that a crash never leaves half a card file.
        let partial = path.with_extension("json.partial");
        std::fs::write(&partial, text)
            .and_then(|()| std::fs::rename(&partial, &path))
            .map_err(|source| ReadersError::CardFile { path, source })
    }
}

/// Blocks until pcscd reports a card present (or absent) in vpcd reader `reader`.
fn wait_for_pcscd(reader: u8, present: bool, limit: Duration) -> Result<(), ReadersError> {
    let wanted = vpcd::reader_name(reader);
    let mut monitor = Pcsc::establish()?.monitor()?;
    let deadline = Instant::now() + limit;
    loop {
        let seen = monitor
            .readers()
            .into_iter()
            .find(|r| r.name.starts_with(&wanted));
        if seen.is_some_and(|r| r.card_atr.is_some() == present) {
            return Ok(());
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ReadersError::NotNoticed(reader));
        }
        monitor.wait(Some(left))?;
    }
}
