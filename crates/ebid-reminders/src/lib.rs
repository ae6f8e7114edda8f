//! Expiry reminders, decided without I/O: given a card's notAfter, the PC's clock with the server's offset
//! last measured, the configured thresholds and what was already delivered for that card, [`assess`] says
//! how many JST calendar days are left, which ONE notice is due now, when the next one falls, and whether the
//! card has expired (「新規登録が必要です」).
//!
//! ```
//! use ebid_reminders::{Clock, Milestone, Thresholds, assess};
//! use time::Duration;
//! use time::macros::datetime;
//!
//! let expiry = datetime!(2027-03-31 14:59:59 UTC); // 2027/03/31 23:59:59 in Japan
//! let clock = Clock::new(datetime!(2027-03-01 09:00 +9), Duration::ZERO);
//! let assessment = assess(expiry, clock, &Thresholds::default(), &[]);
//! assert_eq!(assessment.days_left, 30);
//! assert_eq!(assessment.due.as_ref().map(|due| due.milestone), Some(Milestone::DaysBefore(30)));
//! ```
//!
//! The store (`ebid-history`) keeps the delivered milestones, so that each is shown once per card across
//! restarts; the app and `ebid remind --check` deliver the notice and then mark [`Due::settles`] delivered.

mod clock;
mod jst;
mod notice;
mod schedule;
mod thresholds;

pub use clock::Clock;
pub use jst::{jst_date, jst_date_string, jst_midnight};
pub use notice::{EXPIRED_STATE, Notice, milestone_label};
pub use schedule::{Assessment, Due, Milestone, Upcoming, assess};
pub use thresholds::{MAX_DAYS, Thresholds, ThresholdsError};
