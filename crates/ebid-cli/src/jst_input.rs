//! Days and times typed on the command line, in Japan's time as the manual's screens show them.

use anyhow::anyhow;
use ebid_reminders::jst_midnight;
use time::macros::{format_description, offset};
use time::{Date, OffsetDateTime, PrimitiveDateTime};

/// `YYYY-MM-DD`: that day's 00:00 in Japan.
pub fn day(text: &str) -> anyhow::Result<OffsetDateTime> {
    let date = Date::parse(text, format_description!("[year]-[month]-[day]")).map_err(|_| {
        anyhow!("日付 {text:?} が読めません。YYYY-MM-DD の形で指定してください（例: 2027-03-01）。")
    })?;
    Ok(jst_midnight(date))
}

/// `YYYY-MM-DD` (00:00) or `YYYY-MM-DDTHH:MM`, in Japan.
pub fn day_or_minute(text: &str) -> anyhow::Result<OffsetDateTime> {
    if !text.contains('T') {
        return day(text);
    }
    PrimitiveDateTime::parse(text, format_description!("[year]-[month]-[day]T[hour]:[minute]"))
        .map(|at| at.assume_offset(offset!(+9)))
        .map_err(|_| {
            anyhow!("日時 {text:?} が読めません。YYYY-MM-DD か YYYY-MM-DDTHH:MM（日本時間）の形で指定してください（例: 2027-03-01T09:00）。")
        })
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn days_and_minutes_are_japan_time() {
        assert_eq!(day("2027-03-01").unwrap(), datetime!(2027-02-28 15:00 UTC));
        assert_eq!(
            day_or_minute("2027-03-01T09:30").unwrap(),
            datetime!(2027-03-01 00:30 UTC)
        );
        assert_eq!(
            day_or_minute("2027-03-01").unwrap(),
            day("2027-03-01").unwrap()
        );
        assert!(day("2027/03/01").is_err());
        assert!(day_or_minute("2027-03-01T9").is_err());
    }
}
