//! Timestamps in the database: unix seconds, UTC (portable to PostgreSQL's BIGINT, and ordered as numbers).

use anyhow::Context as _;
use time::OffsetDateTime;

pub(crate) fn to_db(at: OffsetDateTime) -> i64 {
    at.unix_timestamp()
}

pub(crate) fn from_db(seconds: i64) -> anyhow::Result<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(seconds)
        .with_context(|| format!("timestamp {seconds} out of range"))
}
