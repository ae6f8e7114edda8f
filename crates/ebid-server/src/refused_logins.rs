//! Refused logins, counted in memory and added to the database by the sweeper: a stranger's failed attempt
//! costs the server no write of its own, and leaves one count among organizations × codes × hours.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use ebid_protocol::RefusalCode;

/// Counts since the last flush, by organization ('' when the attempt named no challenge of ours) and code.
#[derive(Debug, Default)]
pub(crate) struct RefusedLogins {
    counts: Mutex<HashMap<(String, RefusalCode), u64>>,
}

impl RefusedLogins {
    pub fn count(&self, organization: Option<&str>, code: RefusalCode) {
        *self
            .lock()
            .entry((organization.unwrap_or_default().to_owned(), code))
            .or_default() += 1;
    }

    /// Everything counted since the last take.
    pub fn take(&self) -> HashMap<(String, RefusalCode), u64> {
        std::mem::take(&mut *self.lock())
    }

    /// Puts back counts that could not be written, to be written with the next ones.
    pub fn restore(&self, counts: HashMap<(String, RefusalCode), u64>) {
        let mut current = self.lock();
        for (key, count) in counts {
            *current.entry(key).or_default() += count;
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<(String, RefusalCode), u64>> {
        // Every change is one addition: a poisoned map is still consistent.
        self.counts.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
