//! The server's clock as the screens show it. Certificate validity is judged by the server's time, so the
//! user is warned when the PC's clock says otherwise (the manual: 表示される時刻は…サーバの時刻).

use std::time::Instant;

use ebid_client::{Client, ClientError};
use time::macros::offset;
use time::{Duration, OffsetDateTime, UtcOffset};

use crate::RenewalError;

/// Beyond this difference between the PC's clock and the server's, the user is warned: a certificate
/// may look valid on the PC and be expired for the server.
pub const CLOCK_SKEW_WARNING: Duration = Duration::minutes(3);

const JST: UtcOffset = offset!(+9);

/// The server's time as last fetched, and how far the PC's clock is from it.
#[derive(Debug, Clone, Copy)]
pub struct ServerClock {
    server_time: OffsetDateTime,
    received: Instant,
    skew: Duration,
}

impl ServerClock {
    /// `server_time` as answered to a request sent at `sent` and answered at `answered` (PC clock): the
    /// server read its clock about halfway between.
    pub(crate) fn measured(
        server_time: OffsetDateTime,
        sent: OffsetDateTime,
        answered: OffsetDateTime,
        received: Instant,
    ) -> Self {
        let midpoint = sent + (answered - sent) / 2;
        Self {
            server_time,
            received,
            skew: server_time - midpoint,
        }
    }

    /// The server's time now: as served, plus the time elapsed on this PC's monotonic clock since (which
    /// does not jump when the PC's clock is set).
    pub fn now(&self) -> OffsetDateTime {
        let elapsed = Duration::try_from(self.received.elapsed()).unwrap_or(Duration::MAX);
        self.server_time.saturating_add(elapsed)
    }

    /// Server time minus PC time: positive when the PC's clock is behind.
    pub fn skew(&self) -> Duration {
        self.skew
    }

    /// Whether the PC's clock differs from the server's by more than [`CLOCK_SKEW_WARNING`].
    pub fn pc_clock_is_off(&self) -> bool {
        self.skew.abs() > CLOCK_SKEW_WARNING
    }
}

/// Asks the server for its time.
pub async fn fetch_server_clock(client: &Client) -> Result<ServerClock, RenewalError> {
    let sent = OffsetDateTime::now_utc();
    let answer = client.server_time().await?;
    if answer.protocol_version != ebid_protocol::VERSION {
        return Err(RenewalError::Client(ClientError::Protocol(format!(
            "サーバのプロトコル版 {} に、このプログラム（版 {}）は対応していません",
            answer.protocol_version,
            ebid_protocol::VERSION
        ))));
    }
    Ok(ServerClock::measured(
        answer.server_time,
        sent,
        OffsetDateTime::now_utc(),
        Instant::now(),
    ))
}

/// 『年月日時分』 as the manual's top bar shows it, in JST: `2011年04月22日 14時33分`.
pub fn jst_minutes(at: OffsetDateTime) -> String {
    let at = at.to_offset(JST);
    format!(
        "{:04}年{:02}月{:02}日 {:02}時{:02}分",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute()
    )
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn the_top_bar_shows_japan_time_to_the_minute() {
        assert_eq!(
            jst_minutes(datetime!(2011-04-22 05:33:59 UTC)),
            "2011年04月22日 14時33分"
        );
        assert_eq!(
            jst_minutes(datetime!(2026-12-31 15:00 UTC)),
            "2027年01月01日 00時00分"
        );
    }

    #[test]
    fn skew_is_measured_from_the_middle_of_the_exchange() {
        let sent = datetime!(2026-04-22 05:00:00 UTC);
        let answered = datetime!(2026-04-22 05:00:02 UTC);
        let clock = ServerClock::measured(
            datetime!(2026-04-22 05:10:01 UTC),
            sent,
            answered,
            Instant::now(),
        );
        assert_eq!(clock.skew(), Duration::minutes(10));
        assert!(clock.pc_clock_is_off());

        let close = ServerClock::measured(sent - Duration::minutes(2), sent, sent, Instant::now());
        assert_eq!(close.skew(), Duration::minutes(-2));
        assert!(!close.pc_clock_is_off());
    }

    #[test]
    fn now_runs_on_from_the_served_time() {
        let served = datetime!(2026-04-22 05:00 UTC);
        let clock = ServerClock::measured(served, served, served, Instant::now());
        assert!(clock.now() >= served);
        assert!(clock.now() < served + Duration::minutes(1));
    }
}
