//! Validity periods as shifts from the generation time, in calendar years and days.
//!
//! Calendar years rather than 365-day blocks, because the rules the cards exercise are calendar rules: "just
//! under five years" (the legal cap on a certificate's term) must stay under five calendar years in a leap
//! period too.

use time::{Duration, OffsetDateTime};

/// A point in time given as `now` plus some calendar years plus some days (either may be negative).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shift {
    pub years: i32,
    pub days: i64,
}

impl Shift {
    pub const fn days(days: i64) -> Self {
        Self { years: 0, days }
    }

    pub const fn years_days(years: i32, days: i64) -> Self {
        Self { years, days }
    }

    /// The moment this shift names. 29 February moves to 28 February in a year that has none, as a
    /// certificate authority's "same day N years later" does.
    pub fn from(self, now: OffsetDateTime) -> Result<OffsetDateTime, time::error::ComponentRange> {
        let year = now.year() + self.years;
        let moved = match now.replace_year(year) {
            Ok(moved) => moved,
            Err(_) => now.replace_day(28)?.replace_year(year)?,
        };
        Ok(moved + Duration::days(self.days))
    }
}

/// When a certificate starts and stops being valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Validity {
    pub not_before: Shift,
    pub not_after: Shift,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn years_are_calendar_years() {
        let now = datetime!(2026-03-01 09:00 UTC);
        let shift = Shift::years_days(4, 355);
        assert_eq!(shift.from(now).unwrap(), datetime!(2031-02-19 09:00 UTC));
        assert!(shift.from(now).unwrap() < Shift::years_days(5, 0).from(now).unwrap());
    }

    #[test]
    fn leap_day_moves_to_28_february() {
        let now = datetime!(2028-02-29 12:00 UTC);
        assert_eq!(
            Shift::years_days(-4, -340).from(now).unwrap(),
            datetime!(2024-02-29 12:00 UTC) - Duration::days(340)
        );
        assert_eq!(
            Shift::years_days(1, 0).from(now).unwrap(),
            datetime!(2029-02-28 12:00 UTC)
        );
    }

    #[test]
    fn days_alone() {
        let now = datetime!(2026-05-01 00:00 UTC);
        assert_eq!(
            Shift::days(-10).from(now).unwrap(),
            datetime!(2026-04-21 00:00 UTC)
        );
    }
}
