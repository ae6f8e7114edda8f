//! Outstanding challenges, in memory: issuing one is the one thing anybody may ask without logging in, so it
//! must leave nothing lasting. A challenge lives two minutes and is used once; the store holds a bounded
//! number of them, and the sweeper drops those past their time.
//!
//! In memory, not in the database: a challenge is worth nothing after a restart (the card signs again in a
//! second), and a row per challenge made every anonymous request an fsync'd write that competed with real
//! logins for SQLite's one writer. One server process owns one database file, so one process's memory is the
//! whole truth; servers sharing a PostgreSQL database would route a client's requests to one server (sticky
//! sessions) or keep this store there.

use std::collections::HashMap;
use std::sync::Mutex;

use ebid_protocol::{Challenge, Purpose, RefusalCode};
use time::OffsetDateTime;

/// A challenge as stored: what was issued, whose session it belongs to, whether it was used.
#[derive(Debug, Clone)]
pub(crate) struct StoredChallenge {
    pub challenge: Challenge,
    pub session_id: Option<String>,
    used: bool,
}

/// What the presented challenge must have been issued for.
pub(crate) enum Expected<'a> {
    /// A login challenge, for whichever organization and category it names.
    Login,
    /// A registration challenge (新規登録), for whichever organization and category it names.
    Registration,
    /// A renewal challenge issued inside the session `session_id` of this organization and category.
    Renewal {
        session_id: &'a str,
        organization: &'a str,
        category: &'a str,
    },
}

impl Expected<'_> {
    fn admits(&self, stored: &StoredChallenge) -> bool {
        let challenge = &stored.challenge;
        match self {
            Self::Login => challenge.purpose == Purpose::Login,
            Self::Registration => challenge.purpose == Purpose::Registration,
            Self::Renewal {
                session_id,
                organization,
                category,
            } => {
                challenge.purpose == Purpose::RenewalNewCard
                    && challenge.organization == *organization
                    && challenge.category == *category
                    && stored.session_id.as_deref() == Some(*session_id)
            }
        }
    }
}

pub(crate) struct ChallengeStore {
    capacity: usize,
    challenges: Mutex<HashMap<String, StoredChallenge>>,
}

impl ChallengeStore {
    /// A store of at most `capacity` challenges. Past it, expired ones are dropped first; if none has expired
    /// a new one is refused as too many (the rate limits keep honest clients far from this).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity,
            challenges: Mutex::new(HashMap::new()),
        }
    }

    /// Keeps `challenge` until its expiry.
    pub fn insert(
        &self,
        challenge: Challenge,
        session_id: Option<String>,
        now: OffsetDateTime,
    ) -> Result<(), RefusalCode> {
        let mut challenges = self.lock();
        if challenges.len() >= self.capacity {
            challenges.retain(|_, stored| stored.challenge.expires_at > now);
            if challenges.len() >= self.capacity {
                tracing::warn!(
                    capacity = self.capacity,
                    "challenge store full: refusing new challenges"
                );
                return Err(RefusalCode::RateLimited);
            }
        }
        challenges.insert(
            challenge.id.clone(),
            StoredChallenge {
                challenge,
                session_id,
                used: false,
            },
        );
        Ok(())
    }

    /// Checks the challenge a proof names and marks it used: unknown or issued for something else →
    /// `challenge_mismatch`; used → `challenge_replayed`; past its time → `challenge_expired`. A used
    /// challenge is kept until its expiry, so that a replay is named as one.
    pub fn consume(
        &self,
        id: &str,
        expected: Expected<'_>,
        now: OffsetDateTime,
    ) -> Result<StoredChallenge, RefusalCode> {
        let mut challenges = self.lock();
        let stored = challenges
            .get_mut(id)
            .filter(|stored| expected.admits(stored))
            .ok_or(RefusalCode::ChallengeMismatch)?;
        if stored.used {
            return Err(RefusalCode::ChallengeReplayed);
        }
        if now >= stored.challenge.expires_at {
            return Err(RefusalCode::ChallengeExpired);
        }
        stored.used = true;
        Ok(stored.clone())
    }

    /// Drops every challenge past its time; how many were dropped.
    pub fn prune(&self, now: OffsetDateTime) -> usize {
        let mut challenges = self.lock();
        let before = challenges.len();
        challenges.retain(|_, stored| stored.challenge.expires_at > now);
        before - challenges.len()
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, StoredChallenge>> {
        // A panic while holding the lock leaves the map consistent (every change is one insert or one field
        // write), so a poisoned lock is used as it is.
        self.challenges
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_800_000_000 + seconds).expect("a time")
    }

    fn login_challenge(id: &str, expires: i64) -> Challenge {
        Challenge {
            id: id.into(),
            origin: ebid_protocol::Origin::parse("https://ebid.example").expect("an origin"),
            organization: "nagasaki-pref".into(),
            category: "construction".into(),
            purpose: Purpose::Login,
            nonce: vec![7; 32],
            expires_at: at(expires),
        }
    }

    #[test]
    fn a_challenge_is_used_once_and_a_replay_is_named() {
        let store = ChallengeStore::new(10);
        store
            .insert(login_challenge("a", 120), None, at(0))
            .unwrap();
        assert!(store.consume("a", Expected::Login, at(1)).is_ok());
        assert_eq!(
            store.consume("a", Expected::Login, at(2)).unwrap_err(),
            RefusalCode::ChallengeReplayed
        );
        assert_eq!(
            store.consume("b", Expected::Login, at(2)).unwrap_err(),
            RefusalCode::ChallengeMismatch
        );
    }

    #[test]
    fn an_expired_challenge_is_refused_then_pruned() {
        let store = ChallengeStore::new(10);
        store
            .insert(login_challenge("a", 120), None, at(0))
            .unwrap();
        assert_eq!(
            store.consume("a", Expected::Login, at(120)).unwrap_err(),
            RefusalCode::ChallengeExpired
        );
        assert_eq!(store.prune(at(119)), 0);
        assert_eq!(store.prune(at(120)), 1);
        assert_eq!(store.len(), 0);
    }

    #[test]
    fn a_login_challenge_does_not_prove_a_renewal() {
        let store = ChallengeStore::new(10);
        store
            .insert(login_challenge("a", 120), None, at(0))
            .unwrap();
        let renewal = Expected::Renewal {
            session_id: "s",
            organization: "nagasaki-pref",
            category: "construction",
        };
        assert_eq!(
            store.consume("a", renewal, at(1)).unwrap_err(),
            RefusalCode::ChallengeMismatch
        );
    }

    #[test]
    fn a_full_store_makes_room_from_expired_challenges_only() {
        let store = ChallengeStore::new(2);
        store.insert(login_challenge("a", 10), None, at(0)).unwrap();
        store
            .insert(login_challenge("b", 120), None, at(0))
            .unwrap();
        assert_eq!(
            store
                .insert(login_challenge("c", 120), None, at(5))
                .unwrap_err(),
            RefusalCode::RateLimited
        );
        store
            .insert(login_challenge("c", 130), None, at(10))
            .unwrap();
        assert_eq!(store.len(), 2);
    }
}
