//! Reminder state: which milestones were delivered for each card (so that each is shown once, across
//! restarts), and the server's clock offset that the schedule corrects the PC's clock by.

use ebid_reminders::Milestone;
use sqlx::Row as _;
use time::{Duration, OffsetDateTime};

use crate::error::Result;
use crate::store::History;
use crate::timestamps::to_db;

impl History {
    /// The milestones delivered for one card.
    pub async fn delivered(&self, fingerprint: &str) -> Result<Vec<Milestone>> {
        let stored: Vec<u32> = sqlx::query_scalar(
            "SELECT milestone FROM reminder_deliveries WHERE fingerprint = ?1 ORDER BY milestone DESC",
        )
        .bind(fingerprint)
        .fetch_all(&self.pool)
        .await
        .map_err(|error| self.fault(error))?;
        Ok(stored.into_iter().map(Milestone::from_stored).collect())
    }

    /// Marks `milestones` (a due notice's `settles`) delivered at `at`, all or none. One already marked keeps
    /// its first delivery: marking is idempotent, so a notice shown twice by two processes is recorded once.
    pub async fn mark_delivered(
        &self,
        fingerprint: &str,
        milestones: &[Milestone],
        at: OffsetDateTime,
    ) -> Result<()> {
        let mut transaction = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(|error| self.fault(error))?;
        for milestone in milestones {
            sqlx::query(
                "INSERT INTO reminder_deliveries (fingerprint, milestone, delivered_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (fingerprint, milestone) DO NOTHING",
            )
            .bind(fingerprint)
            .bind(milestone.to_stored())
            .bind(to_db(at))
            .execute(&mut *transaction)
            .await
            .map_err(|error| self.fault_for_card(fingerprint, error))?;
        }
        transaction
            .commit()
            .await
            .map_err(|error| self.fault(error))
    }

    /// Remembers the server's clock minus the PC's, measured at `at` against `server` (its origin).
    pub async fn record_clock_offset(
        &self,
        server: &str,
        offset: Duration,
        at: OffsetDateTime,
    ) -> Result<()> {
        let milliseconds =
            i64::try_from(offset.whole_milliseconds()).unwrap_or(if offset.is_negative() {
                i64::MIN
            } else {
                i64::MAX
            });
        sqlx::query(
            "INSERT INTO server_clock (server, offset_ms, measured_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (server) DO UPDATE SET offset_ms = excluded.offset_ms, measured_at = excluded.measured_at",
        )
        .bind(server)
        .bind(milliseconds)
        .bind(to_db(at))
        .execute(&self.pool)
        .await
        .map_err(|error| self.fault(error))?;
        Ok(())
    }

    /// The clock offset measured last, at whichever server; `None` before the first measurement (the
    /// schedule then trusts the PC's clock).
    pub async fn clock_offset(&self) -> Result<Option<Duration>> {
        let row = sqlx::query(
            "SELECT offset_ms FROM server_clock ORDER BY measured_at DESC, server LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(|error| self.fault(error))?;
        Ok(row.map(|row| Duration::milliseconds(row.get("offset_ms"))))
    }
}
