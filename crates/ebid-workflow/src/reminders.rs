//! The cards' standing for the reminders, for the app's dashboard and notifications and for `ebid remind
//! --check` alike: every card the history has seen and no renewal replaced, assessed by `ebid-reminders`
//! at the server's time as last measured.

use ebid_cert::Certificate;
use ebid_history::{CardRecord, History, HistoryError, Registration};
use ebid_reminders::{Assessment, Clock, Notice, Thresholds, assess};
use time::{Duration, OffsetDateTime};

use crate::record::card_facts;

/// One card and what the schedule says of it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardStanding {
    pub card: CardRecord,
    /// Where the servers said it is (or is not) registered.
    pub registrations: Vec<Registration>,
    pub assessment: Assessment,
}

impl CardStanding {
    /// The notice due now, if any (to deliver, then [`settle`]).
    pub fn notice(&self) -> Option<Notice> {
        self.assessment.notice(self.holder())
    }

    /// What to show for the card whether or not a notice is due: the days left, or 「新規登録が必要です」.
    pub fn status(&self) -> Notice {
        self.assessment.status(self.holder())
    }

    fn holder(&self) -> Option<&str> {
        self.card.facts.holder.as_deref()
    }
}

/// Every card seen and not replaced, soonest expiry first, assessed at `pc_now` corrected by the history's
/// last clock offset (none measured yet: the PC's clock is trusted).
pub async fn standings(
    history: &History,
    pc_now: OffsetDateTime,
    thresholds: &Thresholds,
) -> Result<Vec<CardStanding>, HistoryError> {
    let offset = history.clock_offset().await?.unwrap_or(Duration::ZERO);
    let clock = Clock::new(pc_now, offset);
    let mut standings = Vec::new();
    // `cards()` is ordered by expiry already.
    for card in history.cards().await? {
        if card.replaced.is_some() {
            continue;
        }
        let registrations = history.registrations(&card.facts.fingerprint).await?;
        let assessment = assess(card.facts.not_after, clock, thresholds, &card.delivered);
        standings.push(CardStanding {
            card,
            registrations,
            assessment,
        });
    }
    Ok(standings)
}

/// Remembers a card read outside a renewal (the app's home screen reads every reader), so that its
/// reminders come even if it is never renewed here.
pub async fn remember_card(
    history: &History,
    certificate: &Certificate,
    at: OffsetDateTime,
) -> Result<(), HistoryError> {
    history.record_card_seen(&card_facts(certificate), at).await
}

/// Marks the standing's due notice (and the milestones it settles) delivered at `at`; nothing when none
/// is due. Idempotent: a notice marked twice is recorded once.
pub async fn settle(
    history: &History,
    standing: &CardStanding,
    at: OffsetDateTime,
) -> Result<(), HistoryError> {
    let Some(due) = &standing.assessment.due else {
        return Ok(());
    };
    history
        .mark_delivered(&standing.card.facts.fingerprint, &due.settles, at)
        .await
}
