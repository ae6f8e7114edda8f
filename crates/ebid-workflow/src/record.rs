//! The renewal's entries in the local history (`ebid-history`), written as they happen: the cards seen,
//! the servers' answers about where each is registered, the attempt and each of its steps, the server's
//! clock offset.
//!
//! The history serves the user; the renewal does not need it. A write that fails is logged (a warning that
//! names the error's kind, never a PIN, a token or a certificate), the first failure is kept for the
//! screens to show once ([`crate::Renewal::history_problem`]), and the renewal goes on.

use std::sync::OnceLock;

use ebid_cert::Certificate;
use ebid_history::{AttemptId, AttemptStart, CardFacts, Finish, History, HistoryError};
use time::{Duration, OffsetDateTime};

use crate::RenewalError;

/// How long a server's "not registered here" is trusted to refuse that card before its PIN: a card the
/// organization registers afterwards (新規登録 at its office) is asked about again after a month. A card
/// replaced by a renewal is refused where it was replaced for good: no server takes an old card back.
pub const NOT_REGISTERED_TRUST: Duration = Duration::days(30);

/// The history of one renewal, and how the renewal stands in it.
pub(crate) struct Recorder {
    history: History,
    attempt: Option<AttemptId>,
    /// Steps that happened in a method that cannot wait for the file (【戻る】), written at the next write.
    pending: Vec<(&'static str, String, OffsetDateTime)>,
    /// The code of the last refusal since the last step forward: how an attempt ended short of 【更新】.
    refusal: Option<String>,
    /// A 【更新】 was sent and every answer was lost: the server may have committed it.
    commit_open: bool,
    finished: bool,
    problem: OnceLock<HistoryError>,
}

/// The facts the history keeps of a card: never the certificate itself.
pub(crate) fn card_facts(certificate: &Certificate) -> CardFacts {
    let facts = certificate.facts();
    CardFacts {
        fingerprint: facts.fingerprint_sha256.clone(),
        serial: facts.serial.clone(),
        issuer: facts.issuer.clone(),
        holder: facts.holder.clone(),
        company: facts.company.clone(),
        not_after: facts.not_after,
    }
}

/// A step's outcome as the history stores it: the refusal's code (`current_card_expired` …), else the kind of
/// failure (`wrong_pin`, `unreachable` …). Plain codes only: never an error's text, which may quote a
/// server's answer.
pub(crate) fn outcome_code(error: &RenewalError) -> String {
    use ebid_card::CardError;
    if let Some(code) = error.refusal_code() {
        return serde_json::to_value(code)
            .ok()
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_else(|| "refused".to_owned());
    }
    let kind = match error {
        RenewalError::SameCard => "same_card",
        RenewalError::NewCardInReader => "new_card_in_reader",
        RenewalError::NotTheCurrentCard => "not_the_current_card",
        RenewalError::NoCurrentCard => "no_current_card",
        RenewalError::OldCardInReader => "old_card_in_reader",
        RenewalError::Place(_) => "place",
        RenewalError::UntrustedChallenge(_) => "untrusted_challenge",
        RenewalError::Card(CardError::WrongPin { .. } | CardError::WrongPinTriesUnknown) => {
            "wrong_pin"
        }
        RenewalError::Card(CardError::PinBlocked) => "pin_blocked",
        RenewalError::Card(CardError::PinFormat(_)) => "pin_format",
        RenewalError::Card(CardError::Transport(_)) => "card_transport",
        RenewalError::Card(_) => "card",
        RenewalError::Certificate(_) => "certificate",
        RenewalError::Client(client) => client.kind(),
        RenewalError::WrongState { .. } => "wrong_state",
        RenewalError::Form(_) => "form",
        RenewalError::Refused(_)
        | RenewalError::NotRegistered { .. }
        | RenewalError::Violations(_) => "refused",
    };
    kind.to_owned()
}

const OK: &str = "ok";

impl Recorder {
    pub(crate) fn new(history: History) -> Self {
        Self {
            history,
            attempt: None,
            pending: Vec::new(),
            refusal: None,
            commit_open: false,
            finished: false,
            problem: OnceLock::new(),
        }
    }

    pub(crate) fn history(&self) -> &History {
        &self.history
    }

    pub(crate) fn problem(&self) -> Option<&HistoryError> {
        self.problem.get()
    }

    /// Passes a write's outcome on as an option: a failure is logged and the first kept.
    pub(crate) fn kept<T>(
        &self,
        what: &'static str,
        outcome: Result<T, HistoryError>,
    ) -> Option<T> {
        match outcome {
            Ok(value) => Some(value),
            Err(error) => {
                // The error's text names the file and SQLite's reason: nothing of the card or the session.
                tracing::warn!(what, %error, "the history could not be written; the renewal goes on without it");
                let _ = self.problem.set(error);
                None
            }
        }
    }

    pub(crate) async fn card_seen(&self, certificate: &Certificate) {
        let outcome = self
            .history
            .record_card_seen(&card_facts(certificate), OffsetDateTime::now_utc())
            .await;
        self.kept("card seen", outcome);
    }

    pub(crate) async fn registration(
        &self,
        fingerprint: &str,
        organization: &str,
        category: &str,
        registered: bool,
    ) {
        let outcome = self
            .history
            .record_registration(
                fingerprint,
                organization,
                category,
                registered,
                OffsetDateTime::now_utc(),
            )
            .await;
        self.kept("registration", outcome);
    }

    pub(crate) async fn clock_offset(&self, server: &str, offset: Duration) {
        let outcome = self
            .history
            .record_clock_offset(server, offset, OffsetDateTime::now_utc())
            .await;
        self.kept("clock offset", outcome);
    }

    /// The attempt, begun when the current card has logged in (once: a second login after a lost session
    /// is a step of the same attempt).
    pub(crate) async fn start(&mut self, start: AttemptStart) {
        if self.attempt.is_some() || self.finished {
            return;
        }
        let outcome = self
            .history
            .start_attempt(&start, OffsetDateTime::now_utc())
            .await;
        self.attempt = self.kept("attempt start", outcome);
    }

    /// One step of the open attempt (none before the current card logged in). `Err` codes that are refusals
    /// are remembered as how the attempt ends if nothing else follows.
    pub(crate) async fn step(&mut self, step: &'static str, outcome: Result<(), &RenewalError>) {
        let code = match outcome {
            Ok(()) => OK.to_owned(),
            Err(error) => outcome_code(error),
        };
        self.step_code(
            step,
            code,
            outcome.err().and_then(RenewalError::refusal_code).is_some(),
        )
        .await;
    }

    /// [`Recorder::step`] with its code given: `refusal` says whether it ends the attempt as refused.
    pub(crate) async fn step_code(&mut self, step: &'static str, code: String, refusal: bool) {
        if refusal {
            self.refusal = Some(code.clone());
        } else if code == OK && step != "back" {
            self.refusal = None;
        }
        self.pending.push((step, code, OffsetDateTime::now_utc()));
        self.flush().await;
    }

    /// A step recorded without waiting (【戻る】 is not async): written with the next write, or at the end.
    pub(crate) fn step_later(&mut self, step: &'static str) {
        if self.attempt.is_some() {
            self.pending
                .push((step, OK.to_owned(), OffsetDateTime::now_utc()));
        }
    }

    async fn flush(&mut self) {
        let Some(attempt) = self.attempt else {
            self.pending.clear();
            return;
        };
        for (step, code, at) in std::mem::take(&mut self.pending) {
            let outcome = self.history.record_step(attempt, step, &code, at).await;
            self.kept("step", outcome);
        }
    }

    pub(crate) async fn new_card(&self, certificate: &Certificate) {
        let Some(attempt) = self.attempt else { return };
        let facts = certificate.facts();
        let outcome = self
            .history
            .record_new_card(attempt, &facts.fingerprint_sha256, &facts.serial)
            .await;
        self.kept("new card", outcome);
    }

    /// Whether a 【更新】 sent is open (every answer lost) or settled.
    pub(crate) fn commit_open(&mut self, open: bool) {
        self.commit_open = open;
    }

    /// 更新完了: the new card registered, the old one not and replaced, the attempt committed.
    pub(crate) async fn committed(
        &mut self,
        old: &Certificate,
        new: &Certificate,
        organization: &str,
        category: &str,
    ) {
        let (old, new) = (
            &old.facts().fingerprint_sha256,
            &new.facts().fingerprint_sha256,
        );
        self.registration(new, organization, category, true).await;
        self.registration(old, organization, category, false).await;
        let replaced = self
            .history
            .mark_replaced(old, new, OffsetDateTime::now_utc())
            .await;
        self.kept("replaced card", replaced);
        self.commit_open = false;
        self.finish(Finish::Committed).await;
    }

    /// The renewal is over: the pending steps written and the attempt finished as it stands: refused (the
    /// last refusal since a step forward), cancelled, or left unfinished when 【更新】's outcome is unknown
    /// (the history must never say "not done" of what the server may have done).
    pub(crate) async fn end(&mut self) {
        self.flush().await;
        if self.commit_open {
            if let Some(attempt) = self.attempt {
                self.history.leave_unfinished(attempt);
            }
            self.finished = true;
            return;
        }
        let finish = match self.refusal.take() {
            Some(code) => Finish::Refused { code },
            None => Finish::Cancelled,
        };
        self.finish(finish).await;
    }

    async fn finish(&mut self, finish: Finish) {
        if self.finished {
            return;
        }
        self.finished = true;
        let Some(attempt) = self.attempt else { return };
        let outcome = self
            .history
            .finish_attempt(attempt, &finish, OffsetDateTime::now_utc())
            .await;
        self.kept("attempt finish", outcome);
    }
}

impl Drop for Recorder {
    /// A renewal dropped without [`crate::Renewal::end`] cannot wait for the file: its attempt reads as
    /// interrupted, as after a crash, which is all that can be said of it.
    fn drop(&mut self) {
        if let (Some(attempt), false) = (self.attempt, self.finished) {
            tracing::info!(
                attempt = attempt.get(),
                "renewal dropped without its end: the attempt reads as interrupted"
            );
            self.history.leave_unfinished(attempt);
        }
    }
}

#[cfg(test)]
mod tests {
    use ebid_client::ClientError;
    use ebid_protocol::RefusalCode;

    use super::*;

    #[test]
    fn codes_are_the_refusals_wire_names_or_the_failures_kind() {
        let expired = RenewalError::Refused(RefusalCode::CurrentCardExpired.into());
        assert_eq!(outcome_code(&expired), "current_card_expired");
        let lost: RenewalError = ClientError::Interrupted("the server said: secret".into()).into();
        assert_eq!(outcome_code(&lost), "interrupted");
        assert_eq!(outcome_code(&RenewalError::SameCard), "same_card");
        assert_eq!(
            outcome_code(&RenewalError::Card(ebid_card::CardError::WrongPin {
                tries_left: 2
            })),
            "wrong_pin"
        );
    }
}
