//! The schedule of one card: which notice is due now, and when the next one falls.
//!
//! The rules, in one place:
//! - Days are JST calendar days at the server's time: the expiry's date in Japan minus today's, so 0 on the
//!   day of expiry and, once the instant of expiry has passed (at the server's time), at most -1.
//! - A threshold of `n` days is crossed from 00:00 JST on the date `n` days before the expiry's date.
//! - At most ONE notice is due: the most urgent milestone crossed (the expiry itself, else the smallest
//!   threshold crossed), unless it, or a more urgent one, was delivered already. After the PC was off through
//!   several thresholds the holder gets one notice, and the ones slept through are settled with it
//!   ([`Due::settles`]) so that they never come late.
//! - A delivered milestone is never due again, whatever the clocks do afterwards.

use time::{Date, Duration, OffsetDateTime};

use crate::clock::Clock;
use crate::jst::{jst_date, jst_midnight};
use crate::notice::{self, Notice};
use crate::thresholds::Thresholds;

/// One reminder of a card, delivered at most once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Milestone {
    /// The threshold of this many days before expiry.
    DaysBefore(u32),
    /// The card has expired: 新規登録 is needed.
    Expired,
}

impl Milestone {
    /// Lower is more urgent: the expiry first, then the nearer thresholds.
    fn urgency(self) -> u32 {
        match self {
            Self::Expired => 0,
            Self::DaysBefore(days) => days,
        }
    }

    /// The milestone as a store keeps it: the threshold's days, 0 for the expiry (thresholds are ≥ 1).
    pub fn to_stored(self) -> u32 {
        self.urgency()
    }

    /// The inverse of [`Milestone::to_stored`].
    pub fn from_stored(stored: u32) -> Self {
        match stored {
            0 => Self::Expired,
            days => Self::DaysBefore(days),
        }
    }
}

/// What the schedule says about one card now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// 証明書有効期限: the expiry's date in Japan.
    pub expiry_date: Date,
    /// JST calendar days left: 0 on the day of expiry, negative once expired.
    pub days_left: i64,
    /// Past the instant of expiry at the server's time: the standing 「新規登録が必要です」 state.
    pub expired: bool,
    /// The one notice to deliver now, if any.
    pub due: Option<Due>,
    /// The next milestone that will fall due if nothing else is delivered; none once the expiry is known.
    pub next: Option<Upcoming>,
}

/// The notice due now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub milestone: Milestone,
    /// Every milestone to mark delivered once the notice is shown: this one and those crossed but never
    /// shown (the PC was off). Marking them all is what makes a catch-up a single notice.
    pub settles: Vec<Milestone>,
}

/// When the next milestone falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Upcoming {
    pub milestone: Milestone,
    /// Its date in Japan (the day a threshold is crossed, or the day the card expires).
    pub date: Date,
    /// When the PC's clock will read that moment (server time corrected by the offset): when to check again.
    pub pc_time: OffsetDateTime,
}

/// The schedule of the card expiring at `expiry` (its notAfter), given what was `delivered` for it already.
pub fn assess(
    expiry: OffsetDateTime,
    clock: Clock,
    thresholds: &Thresholds,
    delivered: &[Milestone],
) -> Assessment {
    let now = clock.server_now();
    let expiry_date = jst_date(expiry);
    let calendar_days = (expiry_date - jst_date(now)).whole_days();
    let expired = now > expiry;
    let days_left = if expired {
        calendar_days.min(-1)
    } else {
        calendar_days
    };
    // Delivering a milestone settles it and every less urgent one.
    let settled = |milestone: Milestone| {
        delivered
            .iter()
            .any(|done| done.urgency() <= milestone.urgency())
    };
    let crossed = |days: &&u32| expired || i64::from(**days) >= days_left;

    let most_urgent = if expired {
        Some(Milestone::Expired)
    } else {
        // Thresholds are descending: the last crossed is the nearest.
        thresholds
            .days()
            .iter()
            .rfind(crossed)
            .map(|&days| Milestone::DaysBefore(days))
    };
    let due = most_urgent
        .filter(|&milestone| !settled(milestone))
        .map(|milestone| Due {
            milestone,
            // Most urgent first: the due one, then those slept through.
            settles: expired
                .then_some(Milestone::Expired)
                .into_iter()
                .chain(
                    thresholds
                        .days()
                        .iter()
                        .rev()
                        .filter(crossed)
                        .map(|&days| Milestone::DaysBefore(days)),
                )
                .filter(|candidate| !delivered.contains(candidate))
                .collect(),
        });

    let next = if expired {
        None
    } else {
        upcoming(expiry, expiry_date, days_left, clock, thresholds, settled)
    };

    Assessment {
        expiry_date,
        days_left,
        expired,
        due,
        next,
    }
}

/// The farthest threshold not yet crossed nor settled, else the expiry itself.
fn upcoming(
    expiry: OffsetDateTime,
    expiry_date: Date,
    days_left: i64,
    clock: Clock,
    thresholds: &Thresholds,
    settled: impl Fn(Milestone) -> bool,
) -> Option<Upcoming> {
    let threshold = thresholds
        .days()
        .iter()
        .map(|&days| Milestone::DaysBefore(days))
        .filter(|milestone| i64::from(milestone.urgency()) < days_left && !settled(*milestone))
        .find_map(|milestone| {
            let date = expiry_date.checked_sub(Duration::days(milestone.urgency().into()))?;
            Some(Upcoming {
                milestone,
                date,
                pc_time: clock.pc_time_of(jst_midnight(date)),
            })
        });
    threshold.or_else(|| {
        // Expired from the first second past notAfter (certificate times are whole seconds).
        let expired_at = expiry.saturating_add(Duration::SECOND);
        (!settled(Milestone::Expired)).then(|| Upcoming {
            milestone: Milestone::Expired,
            date: jst_date(expired_at),
            pc_time: clock.pc_time_of(expired_at),
        })
    })
}

impl Assessment {
    /// The text of the notice due now; `holder` (the card's ICカード取得者氏名) tells cards apart when a PC
    /// has several.
    pub fn notice(&self, holder: Option<&str>) -> Option<Notice> {
        self.due.as_ref().map(|due| match due.milestone {
            Milestone::Expired => notice::expired(self.expiry_date, holder),
            Milestone::DaysBefore(_) => {
                notice::before_expiry(self.days_left, self.expiry_date, holder)
            }
        })
    }

    /// What the app shows for the card whether or not a notice is due: the standing expired state once the
    /// card has expired, else the days left.
    pub fn status(&self, holder: Option<&str>) -> Notice {
        if self.expired {
            notice::expired(self.expiry_date, holder)
        } else {
            notice::before_expiry(self.days_left, self.expiry_date, holder)
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    const EXPIRY: OffsetDateTime = datetime!(2027-03-31 14:59:59 UTC);

    fn at(pc_now: OffsetDateTime, delivered: &[Milestone]) -> Assessment {
        assess(
            EXPIRY,
            Clock::new(pc_now, Duration::ZERO),
            &Thresholds::default(),
            delivered,
        )
    }

    #[test]
    fn nothing_is_due_before_the_first_threshold() {
        let assessment = at(datetime!(2026-12-31 23:59:59 +9), &[]);
        assert_eq!(assessment.days_left, 90);
        // 2026-12-31 is 90 days before 2027-03-31: crossed at 00:00 on that date.
        assert_eq!(
            assessment.due.map(|due| due.milestone),
            Some(Milestone::DaysBefore(90))
        );
        let before = at(datetime!(2026-12-30 23:59:59 +9), &[]);
        assert_eq!(before.days_left, 91);
        assert_eq!(before.due, None);
        let next = before.next.unwrap();
        assert_eq!(next.milestone, Milestone::DaysBefore(90));
        assert_eq!(next.pc_time, datetime!(2026-12-31 00:00 +9));
    }

    #[test]
    fn a_pc_off_for_weeks_gets_one_notice_settling_the_ones_it_missed() {
        let assessment = at(
            datetime!(2027-03-26 10:00 +9),
            &[Milestone::DaysBefore(90), Milestone::DaysBefore(60)],
        );
        assert_eq!(assessment.days_left, 5);
        let due = assessment.due.unwrap();
        assert_eq!(due.milestone, Milestone::DaysBefore(7));
        assert_eq!(
            due.settles,
            [7, 14, 30].map(Milestone::DaysBefore).to_vec(),
            "the due one first, then those slept through"
        );
        assert_eq!(assessment.next.unwrap().milestone, Milestone::DaysBefore(3));
    }

    #[test]
    fn after_expiry_the_standing_state_and_one_expiry_notice() {
        let assessment = at(datetime!(2027-04-01 00:00 +9), &[Milestone::DaysBefore(1)]);
        assert!(assessment.expired);
        assert_eq!(assessment.days_left, -1);
        assert_eq!(
            assessment.due.as_ref().unwrap().milestone,
            Milestone::Expired
        );
        assert_eq!(assessment.next, None);
        assert!(assessment.status(None).body.contains("新規登録が必要です"));
        let later = at(datetime!(2027-05-01 00:00 +9), &[Milestone::Expired]);
        assert_eq!(later.due, None);
        assert!(later.expired);
    }

    #[test]
    fn a_delivered_nearer_threshold_silences_farther_ones_when_the_clock_goes_back() {
        let assessment = at(datetime!(2027-03-20 10:00 +9), &[Milestone::DaysBefore(7)]);
        assert_eq!(assessment.days_left, 11);
        assert_eq!(assessment.due, None);
        assert_eq!(assessment.next.unwrap().milestone, Milestone::DaysBefore(3));
    }

    #[test]
    fn milestones_are_stored_as_days_with_zero_for_the_expiry() {
        for milestone in [
            Milestone::Expired,
            Milestone::DaysBefore(1),
            Milestone::DaysBefore(90),
        ] {
            assert_eq!(Milestone::from_stored(milestone.to_stored()), milestone);
        }
        assert_eq!(Milestone::Expired.to_stored(), 0);
    }
}
