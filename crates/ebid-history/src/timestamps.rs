//! Timestamps in the file: unix seconds, UTC (ordered as numbers, as in the server's database).

use time::OffsetDateTime;

use crate::error::HistoryError;
use crate::store::History;

pub(crate) fn to_db(at: OffsetDateTime) -> i64 {
    at.unix_timestamp()
}

impl History {
    pub(crate) fn time_read(&self, seconds: i64) -> Result<OffsetDateTime, HistoryError> {
        OffsetDateTime::from_unix_timestamp(seconds).map_err(|_| HistoryError::Unreadable {
            path: self.path.clone(),
            what: format!("timestamp {seconds}"),
        })
    }
}
