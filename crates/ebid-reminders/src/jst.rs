//! Calendar days in Japan: Japan Standard Time has no daylight saving, so it is a fixed UTC+9.

use time::macros::offset;
use time::{Date, OffsetDateTime, UtcOffset};

pub(crate) const JST: UtcOffset = offset!(+9);

/// The calendar date in Japan at `at`.
///
/// RFC 5280's "no well-defined expiration date", 9999-12-31 23:59:59 UTC, is already 10000-01-01 in Japan,
/// past the last date `time` holds: any instant past 9999-12-31 15:00 UTC is given that last date, which is
/// what such a certificate means (the same rule as `ebid-cert`'s 証明書有効期限).
pub fn jst_date(at: OffsetDateTime) -> Date {
    at.checked_to_offset(JST)
        .map_or(Date::MAX, |jst| jst.date())
}

/// `YYYY/MM/DD`, the way the screens write 証明書有効期限.
pub fn jst_date_string(date: Date) -> String {
    format!(
        "{:04}/{:02}/{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// 00:00 in Japan on `date`.
pub fn jst_midnight(date: Date) -> OffsetDateTime {
    date.midnight().assume_offset(JST)
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn the_japanese_date_changes_at_15_00_utc() {
        assert_eq!(
            jst_date(datetime!(2027-03-31 14:59:59 UTC)),
            date!(2027 - 03 - 31)
        );
        assert_eq!(
            jst_date(datetime!(2027-03-31 15:00:00 UTC)),
            date!(2027 - 04 - 01)
        );
    }

    #[test]
    fn no_expiry_is_the_last_date() {
        assert_eq!(jst_date(datetime!(9999-12-31 23:59:59 UTC)), Date::MAX);
    }

    #[test]
    fn dates_are_written_with_slashes_and_zeros() {
        assert_eq!(jst_date_string(date!(2028 - 02 - 29)), "2028/02/29");
        assert_eq!(
            jst_midnight(date!(2028 - 02 - 29)),
            datetime!(2028-02-28 15:00 UTC)
        );
    }
}
