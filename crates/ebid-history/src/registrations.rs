//! Where each card is registered, as the servers answered: lets the renewal know, before any PIN, that the
//! card it is about to use was refused at this 調達機関 last time, so that no PIN try is spent on it.

use sqlx::Row as _;
use time::OffsetDateTime;

use crate::error::Result;
use crate::store::History;
use crate::timestamps::to_db;

/// One answer of one server about one card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub organization: String,
    pub category: String,
    pub registered: bool,
    pub answered_at: OffsetDateTime,
}

/// A card a server said is not registered at an organization and category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unregistered {
    pub fingerprint: String,
    /// A committed renewal replaced it (here or elsewhere): the old card, which no server takes back.
    pub replaced: bool,
}

impl History {
    /// Remembers the server's answer: the card is (or is not) registered at `organization` for `category`.
    /// The latest answer replaces an older one.
    pub async fn record_registration(
        &self,
        fingerprint: &str,
        organization: &str,
        category: &str,
        registered: bool,
        at: OffsetDateTime,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO registrations (fingerprint, organization, category, registered, answered_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (fingerprint, organization, category) DO UPDATE SET
                 registered = excluded.registered, answered_at = excluded.answered_at
             WHERE excluded.answered_at >= registrations.answered_at",
        )
        .bind(fingerprint)
        .bind(organization)
        .bind(category)
        .bind(registered)
        .bind(to_db(at))
        .execute(&self.pool)
        .await
        .map_err(|error| self.fault_for_card(fingerprint, error))?;
        Ok(())
    }

    /// Whether the card is registered at `organization` for `category` as last answered; `None` when no
    /// server ever said (ask the server: unknown is not "no").
    pub async fn is_registered(
        &self,
        fingerprint: &str,
        organization: &str,
        category: &str,
    ) -> Result<Option<bool>> {
        sqlx::query_scalar(
            "SELECT registered FROM registrations
             WHERE fingerprint = ?1 AND organization = ?2 AND category = ?3",
        )
        .bind(fingerprint)
        .bind(organization)
        .bind(category)
        .fetch_optional(&self.pool)
        .await
        .map_err(|error| self.fault(error))
    }

    /// Every answer about the card, by organization and category.
    pub async fn registrations(&self, fingerprint: &str) -> Result<Vec<Registration>> {
        let rows = sqlx::query(
            "SELECT organization, category, registered, answered_at FROM registrations
             WHERE fingerprint = ?1 ORDER BY organization, category",
        )
        .bind(fingerprint)
        .fetch_all(&self.pool)
        .await
        .map_err(|error| self.fault(error))?;
        rows.into_iter()
            .map(|row| {
                Ok(Registration {
                    organization: row.get("organization"),
                    category: row.get("category"),
                    registered: row.get("registered"),
                    answered_at: self.time_read(row.get("answered_at"))?,
                })
            })
            .collect()
    }

    /// The cards refused at `organization` for `category` that the renewal should refuse before their PIN:
    /// answered "not registered" at or after `answered_since` (an older answer may have changed since:
    /// ask the server again), or replaced by a renewal (whose old card is never registered again).
    pub async fn unregistered(
        &self,
        organization: &str,
        category: &str,
        answered_since: OffsetDateTime,
    ) -> Result<Vec<Unregistered>> {
        let rows = sqlx::query(
            "SELECT registrations.fingerprint, cards.replaced_by IS NOT NULL AS replaced
             FROM registrations JOIN cards ON cards.fingerprint = registrations.fingerprint
             WHERE organization = ?1 AND category = ?2 AND NOT registered
               AND (answered_at >= ?3 OR cards.replaced_by IS NOT NULL)
             ORDER BY registrations.fingerprint",
        )
        .bind(organization)
        .bind(category)
        .bind(to_db(answered_since))
        .fetch_all(&self.pool)
        .await
        .map_err(|error| self.fault(error))?;
        Ok(rows
            .into_iter()
            .map(|row| Unregistered {
                fingerprint: row.get("fingerprint"),
                replaced: row.get("replaced"),
            })
            .collect())
    }
}
