//! The cards this PC has read, and what the reminders need of each.

use std::collections::HashMap;

use ebid_reminders::Milestone;
use sqlx::Row as _;
use time::OffsetDateTime;

use crate::error::Result;
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
            "SELECT fingerprint, serial, issuer, holder, company, not_after, first_seen, last_seen
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
                })
            })
            .collect()
    }
}
