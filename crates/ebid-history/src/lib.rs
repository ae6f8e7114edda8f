//! The contractor's local history, one SQLite file: the cards this PC has read (their certificate's facts
//! and fingerprint only, never a key, a PIN or the certificate), where each is registered as the servers
//! answered, every renewal attempt step by step as it happens, the reminders delivered, and the server's
//! clock offset last measured.
//!
//! The file's place is the caller's choice; [`default_path`] is the OS's app-data folder. Opening creates
//! the file and its folder and brings the schema up to date (`migrations/`).
//!
//! # Running without history
//!
//! Nothing here is needed to renew a card: [`History::open`] and every call return a [`HistoryError`] whose
//! text tells the user what to do (a damaged file is left untouched, a busy one may be tried again), and the
//! caller keeps an `Option<History>`: it shows the message once, goes on with `None`, and skips recording.
//! The renewal then spends no PIN try it would not spend anyway: [`History::is_registered`] answering
//! nothing is the same as "unknown".
//!
//! # An interrupted renewal
//!
//! Each step is committed as it happens (WAL, `synchronous=FULL`), and an attempt has an outcome only once
//! [`History::finish_attempt`] ran. One without, that this handle did not start, reads as
//! [`Outcome::Interrupted`]: the process was killed, the PC lost power, or the app crashed. (Another process
//! still running its renewal at that moment also shows it so, until it finishes.)

mod attempts;
mod cards;
mod codes;
mod error;
mod registrations;
mod reminders;
mod store;
mod timestamps;

use std::path::PathBuf;

pub use attempts::{Attempt, AttemptFilter, AttemptId, AttemptStart, Finish, Outcome, Step};
pub use cards::{CardFacts, CardRecord};
pub use error::{HistoryError, Result};
pub use registrations::Registration;
pub use store::{BUSY_TIMEOUT, History, migrator};

/// Where the history lives by default: `ebid/history.sqlite` in the OS's app-data folder
/// (`~/.local/share` on Linux, `~/Library/Application Support` on macOS, `%APPDATA%` on Windows). `None`
/// when the OS names no such folder (no home directory).
pub fn default_path() -> Option<PathBuf> {
    dirs::data_dir().map(|folder| folder.join("ebid").join("history.sqlite"))
}
