//! The server's clock: the only clock that counts (the manual: 表示される時刻は…電子入札サーバの時刻).
//!
//! Every validity check, challenge expiry and session timeout reads it, so that a test can move time with a
//! [`ManualClock`] instead of waiting.

use std::sync::Mutex;

use time::OffsetDateTime;

/// Where the server reads the time.
pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

/// The operating system's clock, in UTC.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// A clock that stands still until it is set or advanced: for tests of expiry without waiting.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<OffsetDateTime>,
}

impl ManualClock {
    pub fn new(now: OffsetDateTime) -> Self {
        Self {
            now: Mutex::new(now),
        }
    }

    pub fn set(&self, now: OffsetDateTime) {
        *self.lock() = now;
    }

    pub fn advance(&self, by: std::time::Duration) {
        let mut now = self.lock();
        *now += by;
    }

    /// The guarded time. A panic while holding the lock cannot leave a half-written `OffsetDateTime`, so a
    /// poisoned lock still holds a good value.
    fn lock(&self) -> std::sync::MutexGuard<'_, OffsetDateTime> {
        self.now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self.lock()
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let clock = ManualClock::new(datetime!(2027-03-31 15:00 UTC));
        assert_eq!(clock.now(), datetime!(2027-03-31 15:00 UTC));
        clock.advance(std::time::Duration::from_secs(11 * 60));
        assert_eq!(clock.now(), datetime!(2027-03-31 15:11 UTC));
        clock.set(datetime!(2020-01-01 00:00 UTC));
        assert_eq!(clock.now(), datetime!(2020-01-01 00:00 UTC));
    }
}
