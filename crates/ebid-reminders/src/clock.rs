//! "Now" for the schedule: the PC's clock corrected by the server's offset last measured, because the
//! server's clock is the one that decides whether a card has expired, and a PC's clock may be days off.

use time::{Duration, OffsetDateTime};

/// The PC's clock and how far the server's clock was from it when last measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pc_now: OffsetDateTime,
    server_offset: Duration,
}

impl Clock {
    /// `server_offset` is server − PC: positive when the server's clock is ahead of the PC's.
    pub fn new(pc_now: OffsetDateTime, server_offset: Duration) -> Self {
        Self {
            pc_now,
            server_offset,
        }
    }

    /// The PC's clock as read.
    pub fn pc_now(&self) -> OffsetDateTime {
        self.pc_now
    }

    /// The offset given to [`Clock::new`].
    pub fn server_offset(&self) -> Duration {
        self.server_offset
    }

    /// The server's time now, as well as the PC can tell. Saturates at the ends of `time`'s range instead of
    /// panicking on a nonsensical offset.
    pub fn server_now(&self) -> OffsetDateTime {
        self.pc_now.saturating_add(self.server_offset)
    }

    /// When the PC's clock will read the server's instant `server_at` (for a timer that wakes the check).
    pub fn pc_time_of(&self, server_at: OffsetDateTime) -> OffsetDateTime {
        server_at.saturating_sub(self.server_offset)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn the_offset_moves_now_both_ways_and_back() {
        let pc = datetime!(2027-03-30 15:00 UTC);
        let ahead = Clock::new(pc, Duration::hours(2));
        assert_eq!(ahead.server_now(), datetime!(2027-03-30 17:00 UTC));
        assert_eq!(ahead.pc_time_of(ahead.server_now()), pc);
        let behind = Clock::new(pc, -Duration::minutes(5));
        assert_eq!(behind.server_now(), datetime!(2027-03-30 14:55 UTC));
    }
}
