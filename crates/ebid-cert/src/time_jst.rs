//! Dates as the screen shows them: Japan Standard Time, which has no daylight saving, so a fixed UTC+9.

use serde::Serializer;
use time::format_description::well_known::Rfc3339;
use time::macros::offset;
use time::{Date, OffsetDateTime, UtcOffset};

const JST: UtcOffset = offset!(+9);

/// The calendar date in Japan at `at`.
///
/// RFC 5280's "no well-defined expiration date", 9999-12-31 23:59:59 UTC, is already 10000-01-01 in Japan,
/// past the last date `time` holds (where `to_offset` panics): any instant after 9999-12-31 15:00 UTC is
/// given that last date, which is what such a certificate means.
pub(crate) fn jst_date(at: OffsetDateTime) -> Date {
    at.checked_to_offset(JST)
        .map_or(Date::MAX, |jst| jst.date())
}

/// `YYYY/MM/DD`, the way 証明書有効期限 is written on the screen.
pub(crate) fn jst_date_string(at: OffsetDateTime) -> String {
    let date = jst_date(at);
    format!(
        "{:04}/{:02}/{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Calendar days in Japan from `now` to `expiry`: 0 on the day of expiry, negative once `expiry` has passed.
///
/// On the day of expiry itself, after the instant, the calendar says 0 but the certificate is dead; the
/// count is then -1 so that its sign alone says "expired".
pub(crate) fn days_until(expiry: OffsetDateTime, now: OffsetDateTime) -> i64 {
    let days = (jst_date(expiry) - jst_date(now)).whole_days();
    if now > expiry { days.min(-1) } else { days }
}

/// RFC 3339 in UTC ("2027-03-31T15:30:00Z"), for the JSON the CLI prints.
pub(crate) fn serialize_rfc3339<S: Serializer>(
    at: &OffsetDateTime,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let text = at
        .to_offset(UtcOffset::UTC)
        .format(&Rfc3339)
        .map_err(serde::ser::Error::custom)?;
    serializer.serialize_str(&text)
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn jst_date_crosses_midnight_nine_hours_early() {
        assert_eq!(
            jst_date_string(datetime!(2027-03-31 14:59:59 UTC)),
            "2027/03/31"
        );
        assert_eq!(
            jst_date_string(datetime!(2027-03-31 15:00:00 UTC)),
            "2027/04/01"
        );
        assert_eq!(
            jst_date_string(datetime!(2027-03-31 15:30:00 UTC)),
            "2027/04/01"
        );
        assert_eq!(
            jst_date_string(datetime!(2027-04-01 00:30:00 +9)),
            "2027/04/01"
        );
    }

    #[test]
    fn the_last_instant_of_year_9999_is_on_the_last_date() {
        let no_expiry = datetime!(9999-12-31 23:59:59 UTC);
        assert_eq!(jst_date_string(no_expiry), "9999/12/31");
        assert_eq!(
            jst_date_string(datetime!(9999-12-31 14:59:59 UTC)),
            "9999/12/31"
        );
        assert_eq!(days_until(no_expiry, no_expiry), 0);
        assert_eq!(
            days_until(datetime!(2027-03-31 15:30:00 UTC), no_expiry),
            -2_911_987
        );
    }

    #[test]
    fn days_are_counted_in_jst_calendar_days() {
        let expiry = datetime!(2027-03-31 15:30:00 UTC); // 2027-04-01 00:30 JST
        assert_eq!(days_until(expiry, datetime!(2027-03-31 14:00:00 UTC)), 1); // 03-31 23:00 JST
        assert_eq!(days_until(expiry, datetime!(2027-03-31 15:00:00 UTC)), 0); // 04-01 00:00 JST
        assert_eq!(days_until(expiry, expiry), 0);
        assert_eq!(days_until(expiry, datetime!(2027-03-31 15:30:01 UTC)), -1);
        assert_eq!(days_until(expiry, datetime!(2027-04-01 14:00:00 UTC)), -1); // 04-01 23:00 JST
        assert_eq!(days_until(expiry, datetime!(2027-04-03 00:00:00 UTC)), -2);
        assert_eq!(days_until(expiry, datetime!(2026-04-01 00:00:00 +9)), 365);
    }

    #[test]
    fn rfc3339_is_utc_with_z() {
        let mut json = Vec::new();
        let mut serializer = serde_json::Serializer::new(&mut json);
        serialize_rfc3339(&datetime!(2027-04-01 00:30:00 +9), &mut serializer).expect("serializes");
        assert_eq!(json, br#""2027-03-31T15:30:00Z""#);
    }
}
