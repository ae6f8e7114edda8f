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

use std::ffi::OsString;
use std::path::PathBuf;

pub use attempts::{
    Attempt, AttemptFilter, AttemptId, AttemptStart, Finish, Outcome, OutcomeFilter, Step,
};
pub use cards::{CardFacts, CardRecord, Replacement};
pub use error::{HistoryError, Result};
pub use registrations::{Registration, Unregistered};
pub use store::{BUSY_TIMEOUT, History, migrator};

/// The variable naming another history file than the OS's: a portable install, and the tests (the app and
/// `ebid` started with the same value share one file).
pub const PATH_VARIABLE: &str = "EBID_HISTORY";

/// Where the history lives: the file `EBID_HISTORY` names, else [`app_data_path`]. `None` when neither
/// names a place.
pub fn default_path() -> Option<PathBuf> {
    path_from(std::env::var_os(PATH_VARIABLE))
}

/// `ebid/history.sqlite` in the OS's app-data folder (`~/.local/share` on Linux, `~/Library/Application
/// Support` on macOS, `%APPDATA%` on Windows). `None` when the OS names no such folder (no home directory).
pub fn app_data_path() -> Option<PathBuf> {
    dirs::data_dir().map(|folder| folder.join("ebid").join("history.sqlite"))
}

/// An empty variable counts as unset, as `EBID_MACHINE_CONFIG` does.
fn path_from(variable: Option<OsString>) -> Option<PathBuf> {
    variable
        .filter(|path| !path.is_empty())
        .map(PathBuf::from)
        .or_else(app_data_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variable_names_the_file_and_an_empty_one_is_unset() {
        assert_eq!(
            path_from(Some(OsString::from("/tmp/other/history.sqlite"))),
            Some(PathBuf::from("/tmp/other/history.sqlite"))
        );
        assert_eq!(path_from(Some(OsString::new())), app_data_path());
        assert_eq!(path_from(None), app_data_path());
    }
}
