//! The cards this PC has read, and what the reminders need of each.

use std::collections::HashMap;

use ebid_reminders::Milestone;
use sqlx::Row as _;
use sqlx::sqlite::SqliteRow;
use time::OffsetDateTime;

use crate::error::{HistoryError, Result};
use crate::store::History;
use crate::timestamps::to_db;

/// What is kept of a card: its certificate's facts (as `ebid-cert` reads them), nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardFacts {
    /// SHA-256 of the whole certificate, upper-case hex: the card's identity here.
    pub fingerprint: String,
    pub serial: String,
    pub issuer: String,
    pub holder: Option<String>,
    pub company: Option<String>,
    pub not_after: OffsetDateTime,
}

/// A card as the history knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRecord {
    pub facts: CardFacts,
    pub first_seen: OffsetDateTime,
    pub last_seen: OffsetDateTime,
    /// The reminders delivered for it, for `ebid_reminders::assess`.
    pub delivered: Vec<Milestone>,
    /// Set once a committed renewal replaced it: 更新済み, no more reminders.
    pub replaced: Option<Replacement>,
}

/// The renewal that replaced a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    /// The new card's fingerprint.
    pub by: String,
    pub at: OffsetDateTime,
}

impl History {
    /// Remembers that the card was read at `at`: added the first time, its last sighting moved on after.
    pub async fn record_card_seen(&self, card: &CardFacts, at: OffsetDateTime) -> Result<()> {
        sqlx::query(
            "INSERT INTO cards (fingerprint, serial, issuer, holder, company, not_after, first_seen, last_seen)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
             ON CONFLICT (fingerprint) DO UPDATE SET
                 first_seen = min(first_seen, excluded.first_seen),
                 last_seen = max(last_seen, excluded.last_seen)",
        )
        .bind(&card.fingerprint)
        .bind(&card.serial)
        .bind(&card.issuer)
        .bind(&card.holder)
        .bind(&card.company)
        .bind(to_db(card.not_after))
        .bind(to_db(at))
        .execute(&self.pool)
        .await
        .map_err(|error| self.fault(error))?;
        Ok(())
    }

    /// Marks `old` replaced by `new` (a committed renewal) at `at`. The first replacement stays: marking
    /// again (a commit answered twice) changes nothing.
    pub async fn mark_replaced(&self, old: &str, new: &str, at: OffsetDateTime) -> Result<()> {
        let updated = sqlx::query(
            "UPDATE cards SET replaced_by = COALESCE(replaced_by, ?2), replaced_at = COALESCE(replaced_at, ?3)
             WHERE fingerprint = ?1",
        )
        .bind(old)
        .bind(new)
        .bind(to_db(at))
        .execute(&self.pool)
        .await
        .map_err(|error| self.fault(error))?;
        if updated.rows_affected() == 0 {
            return Err(HistoryError::UnknownCard(old.to_owned()));
        }
        Ok(())
    }

    /// Every card seen, the soonest to expire first, each with its delivered reminders.
    pub async fn cards(&self) -> Result<Vec<CardRecord>> {
        let mut delivered: HashMap<String, Vec<Milestone>> = HashMap::new();
        let rows = sqlx::query("SELECT fingerprint, milestone FROM reminder_deliveries")
            .fetch_all(&self.pool)
            .await
            .map_err(|error| self.fault(error))?;
        for row in rows {
            delivered
                .entry(row.get("fingerprint"))
                .or_default()
                .push(Milestone::from_stored(row.get("milestone")));
        }
        let rows = sqlx::query(
            "SELECT fingerprint, serial, issuer, holder, company, not_after, first_seen, last_seen,
                    replaced_by, replaced_at
             FROM cards ORDER BY not_after, fingerprint",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(|error| self.fault(error))?;
        rows.into_iter()
            .map(|row| {
                let fingerprint: String = row.get("fingerprint");
                Ok(CardRecord {
                    delivered: delivered.remove(&fingerprint).unwrap_or_default(),
                    facts: CardFacts {
                        fingerprint,
                        serial: row.get("serial"),
                        issuer: row.get("issuer"),
                        holder: row.get("holder"),
                        company: row.get("company"),
                        not_after: self.time_read(row.get("not_after"))?,
                    },
                    first_seen: self.time_read(row.get("first_seen"))?,
                    last_seen: self.time_read(row.get("last_seen"))?,
                    replaced: self.replacement(&row)?,
                })
            })
            .collect()
    }

    fn replacement(&self, row: &SqliteRow) -> Result<Option<Replacement>> {
        let by: Option<String> = row.get("replaced_by");
        let at: Option<i64> = row.get("replaced_at");
        match (by, at) {
            (Some(by), Some(at)) => Ok(Some(Replacement {
                by,
                at: self.time_read(at)?,
            })),
            _ => Ok(None),
        }
    }
}
