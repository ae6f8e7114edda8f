//! The server's clock, as webpki reads time.

use std::time::Duration;

use rustls_pki_types::UnixTime;
use time::OffsetDateTime;

/// `at` in webpki's terms: whole seconds since 1970, the resolution certificates and CRLs have. A fraction of
/// a second is dropped. A moment before 1970, earlier than any date webpki reads from a certificate, becomes
/// 1970: it is still before every certificate's validity.
pub(crate) fn unix_time(at: OffsetDateTime) -> UnixTime {
    let seconds = u64::try_from(at.unix_timestamp()).unwrap_or(0);
    UnixTime::since_unix_epoch(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn whole_seconds_since_1970() {
        let at = datetime!(2026-04-01 00:00:01.999 UTC);
        assert_eq!(unix_time(at).as_secs(), 1_775_001_601);
    }

    #[test]
    fn offsets_count_as_the_same_instant() {
        assert_eq!(
            unix_time(datetime!(2026-04-01 09:00 +09:00)),
            unix_time(datetime!(2026-04-01 00:00 UTC))
        );
    }

    #[test]
    fn before_1970_is_1970() {
        assert_eq!(unix_time(datetime!(1969-12-31 23:59 UTC)).as_secs(), 0);
    }
}
