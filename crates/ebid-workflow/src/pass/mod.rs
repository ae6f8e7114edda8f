//! ICカード更新 at several 調達機関 in one pass: a card registered at 長崎県, 長崎市 and 佐世保市 on the same
//! server is renewed at each with the same two PIN entries, one for the current card and one for the new.
//!
//! Each place is an ordinary [`Renewal`] (its own session, challenges and history attempt); the pass drives
//! them step by step over the same cards. A card whose signing key stays verified after one VERIFY (JPKI)
//! signs at every place after the first without a VERIFY; the PIN is never kept, nor sent twice. A card
//! whose key wants a VERIFY before every signature (PIV's 9C, "PIN always",
//! [`ebid_card::SigningCard::verify_before_each_signature`]) makes the step stop with
//! [`PassStep::PinAgain`] before the next place: the caller asks the user again and calls the same step with
//! what they type. A card that turns out not to be verified any more (reset) is said the same way: the
//! workflow never VERIFYs on its own.
//!
//! One place's refusal (not registered there, waiting for approval, the network failing there) is that
//! place's outcome ([`PlaceStatus::Refused`]): it neither undoes nor hides the others, and the step goes on
//! with the next place. A wrong PIN or a card error stops the step ([`PassError`]); the places done stay
//! done, and the step called again goes on with the places not done yet. 【更新】 commits every confirmed
//! place, each on its own; a place that failed can be renewed alone later with an ordinary [`Renewal`]: the
//! pass ends its session as soon as it fails.

mod outcome;
mod places;

use ebid_card::{CardError, Pin, SigningCard};
use ebid_cert::Certificate;
use ebid_client::Client;
use ebid_history::{History, HistoryError};
use ebid_protocol::RenewalConfirmation;

use crate::card_step::Unlock;
use crate::checks::fingerprint;
use crate::logged::Failure;
use crate::{CommitResend, Renewal, RenewalError, ServerClock, Stage};

pub use outcome::{PassError, PassStep, PlaceOutcome, PlaceStatus};
pub use places::{PassPlace, candidate_places, candidates};

/// One place, its renewal, and where it stands.
struct Entry {
    place: PassPlace,
    renewal: Renewal,
    status: PlaceStatus,
}

/// The card steps of a pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CardStep {
    Login,
    NewCardProof,
}

/// ICカード更新 at several places of one server with the same cards.
pub struct RenewalPass {
    entries: Vec<Entry>,
    /// The current card that logged in first: every later place logs in with that card only.
    current: Option<Certificate>,
    /// The new card the first place confirmed: every later place proves the same one.
    new: Option<Certificate>,
}

impl RenewalPass {
    /// A pass over `places`, in that order (see [`candidate_places`]), all on `client`'s server.
    pub fn new(client: Client, places: Vec<PassPlace>) -> Self {
        let entries = places
            .into_iter()
            .map(|place| Entry {
                renewal: Renewal::new(client.clone(), &place.organization, &place.category),
                place,
                status: PlaceStatus::Waiting,
            })
            .collect();
        Self {
            entries,
            current: None,
            new: None,
        }
    }

    /// Each place's renewal records into `history` as an ordinary renewal does: an attempt of its own.
    pub fn with_history(mut self, history: History) -> Self {
        self.entries = self
            .entries
            .into_iter()
            .map(|mut entry| {
                entry.renewal = entry.renewal.with_history(history.clone());
                entry
            })
            .collect();
        self
    }

    /// 担当者, for every place ([`Renewal::set_operator`]).
    pub fn set_operator(&mut self, operator: &str) {
        for entry in &mut self.entries {
            entry.renewal.set_operator(operator);
        }
    }

    /// The server's time, asked for every place still in the pass (each renewal opens with it, and learns
    /// from the history what it knows of cards at its place). The first failure is returned: the server is
    /// the same for every place.
    pub async fn fetch_server_time(&mut self) -> Result<ServerClock, PassError> {
        let mut clock = None;
        for entry in &mut self.entries {
            if entry.renewal.stage() != Stage::Ended {
                clock = Some(entry.renewal.fetch_server_time().await?);
            }
        }
        clock.ok_or(PassError::WrongState("fetch_server_time"))
    }

    /// The current card logs in at every place not logged in yet, `pin` verified once (see the module's
    /// documentation for [`PassStep::PinAgain`] and the errors).
    pub async fn login_current(
        &mut self,
        card: &mut dyn SigningCard,
        pin: &Pin,
    ) -> Result<PassStep, PassError> {
        if self.entries.iter().any(|e| past_login(&e.status)) {
            return Err(PassError::WrongState("login_current"));
        }
        self.card_step(CardStep::Login, card, pin).await
    }

    /// The new card proves itself at every place logged in, `pin` verified once: each answers with its
    /// 電子証明書更新確認 ([`RenewalPass::confirmations`]). Valid once no place waits for the login.
    pub async fn prove_new_card(
        &mut self,
        card: &mut dyn SigningCard,
        pin: &Pin,
    ) -> Result<PassStep, PassError> {
        let unready =
            |status: &PlaceStatus| matches!(status, PlaceStatus::Waiting) || committing(status);
        if self.entries.iter().any(|e| unready(&e.status)) {
            return Err(PassError::WrongState("prove_new_card"));
        }
        self.card_step(CardStep::NewCardProof, card, pin).await
    }

    /// `step` at each place waiting for it, in order, the PIN spent by the first VERIFY.
    async fn card_step(
        &mut self,
        step: CardStep,
        card: &mut dyn SigningCard,
        pin: &Pin,
    ) -> Result<PassStep, PassError> {
        let mut unlock = Unlock::Pin(pin);
        for index in 0..self.entries.len() {
            let waiting = match step {
                CardStep::Login => PlaceStatus::is_waiting,
                CardStep::NewCardProof => PlaceStatus::is_logged_in,
            };
            if !waiting(&self.entries[index].status) {
                continue;
            }
            let verified_before = matches!(unlock, Unlock::StillVerified);
            if verified_before && card.verify_before_each_signature() {
                return Ok(self.pin_again(index));
            }
            let outcome = match step {
                CardStep::Login => self.login_at(index, card, &mut unlock).await,
                CardStep::NewCardProof => self.prove_at(index, card, &mut unlock).await,
            };
            match outcome {
                Ok(()) => {}
                Err(PassError::Renewal(RenewalError::Card(CardError::PinNotVerified)))
                    if verified_before =>
                {
                    tracing::info!("the card is no longer verified: its PIN is needed again");
                    return Ok(self.pin_again(index));
                }
                Err(PassError::Renewal(error)) if !stops_the_step(&error) => {
                    self.refuse(index, error).await;
                }
                Err(error) => return Err(error),
            }
        }
        Ok(PassStep::Done)
    }

    fn pin_again(&self, index: usize) -> PassStep {
        PassStep::PinAgain {
            next: self.entries[index].place.clone(),
        }
    }

    async fn login_at(
        &mut self,
        index: usize,
        card: &mut dyn SigningCard,
        unlock: &mut Unlock<'_>,
    ) -> Result<(), PassError> {
        let entry = &mut self.entries[index];
        if let Some(current) = &self.current {
            entry.renewal.expect_current(current);
        }
        entry.renewal.login_unlocking(card, unlock).await?;
        entry.status = PlaceStatus::LoggedIn;
        if self.current.is_none() {
            self.current = entry.renewal.registered_card().cloned();
        }
        Ok(())
    }

    async fn prove_at(
        &mut self,
        index: usize,
        card: &mut dyn SigningCard,
        unlock: &mut Unlock<'_>,
    ) -> Result<(), PassError> {
        let entry = &mut self.entries[index];
        let confirmation = entry.renewal.prove_unlocking(card, unlock).await?;
        match (&self.new, entry.renewal.proved_card()) {
            (Some(first), Some(this)) if fingerprint(first) != fingerprint(this) => {
                entry.renewal.back()?;
                return Err(PassError::NotTheNewCard);
            }
            (None, this) => self.new = this.cloned(),
            _ => {}
        }
        entry.status = PlaceStatus::Confirming(Box::new(confirmation));
        Ok(())
    }

    /// `error` is place `index`'s outcome; its session is ended, so that it can be renewed alone.
    async fn refuse(&mut self, index: usize, error: RenewalError) {
        let entry = &mut self.entries[index];
        tracing::info!(organization = %entry.place.organization, failure = %Failure(&error), "refused at this place: the pass goes on without it");
        end_quietly(&mut entry.renewal).await;
        entry.status = PlaceStatus::Refused(error);
    }

    /// The first place still in the pass: its renewal's checks of the cards in the readers stand for every
    /// place, as the same two cards go to each (the current card's search before its PIN, the new card's
    /// wait, which must tell the card that logged in from the new one).
    pub fn lead(&self) -> Option<&Renewal> {
        self.entries
            .iter()
            .find(|entry| {
                !matches!(
                    entry.status,
                    PlaceStatus::Refused(_) | PlaceStatus::CommitFailed(_)
                )
            })
            .map(|entry| &entry.renewal)
    }

    /// 電子証明書更新確認 of each place showing it.
    pub fn confirmations(&self) -> Vec<(&PassPlace, &RenewalConfirmation)> {
        self.entries
            .iter()
            .filter_map(|entry| match &entry.status {
                PlaceStatus::Confirming(confirmation) => Some((&entry.place, &**confirmation)),
                _ => None,
            })
            .collect()
    }

    /// 【更新】 at every place on 電子証明書更新確認 (and again where an earlier 【更新】's outcome stayed
    /// open), each on its own: one failing does not stop the others. The outcomes of the places sent.
    pub async fn commit(&mut self) -> Result<Vec<PlaceOutcome<'_>>, PassError> {
        self.commit_reporting(|_, _| {}).await
    }

    /// [`RenewalPass::commit`], telling `on_resend` before a place's 【更新】 is sent again
    /// ([`Renewal::commit_reporting`]).
    pub async fn commit_reporting(
        &mut self,
        mut on_resend: impl FnMut(&PassPlace, CommitResend<'_>),
    ) -> Result<Vec<PlaceOutcome<'_>>, PassError> {
        let mut sent = Vec::new();
        for (index, entry) in self.entries.iter_mut().enumerate() {
            if entry.renewal.stage() != Stage::Confirming {
                continue;
            }
            sent.push(index);
            let place = &entry.place;
            let committed = entry
                .renewal
                .commit_reporting(|resend| on_resend(place, resend))
                .await;
            entry.status = match committed {
                Ok(result) => PlaceStatus::Committed(result),
                Err(error) => {
                    tracing::info!(organization = %entry.place.organization, failure = %Failure(&error), "【更新】 failed at this place");
                    if entry.renewal.stage() != Stage::Confirming {
                        end_quietly(&mut entry.renewal).await;
                    }
                    PlaceStatus::CommitFailed(error)
                }
            };
        }
        if sent.is_empty() {
            return Err(PassError::WrongState("commit"));
        }
        Ok(sent.into_iter().map(|index| self.outcome(index)).collect())
    }

    /// 【戻る】 on 電子証明書更新確認: every place showing it goes back to its menu, nothing committed; the new
    /// card may prove itself again (another new card too).
    pub fn back(&mut self) -> Result<(), PassError> {
        let mut went_back = false;
        for entry in &mut self.entries {
            if entry.renewal.stage() == Stage::Confirming {
                entry.renewal.back()?;
                entry.status = PlaceStatus::LoggedIn;
                went_back = true;
            }
        }
        if !went_back {
            return Err(PassError::WrongState("back"));
        }
        self.new = None;
        Ok(())
    }

    /// Every place and where it stands, in the pass's order.
    pub fn outcomes(&self) -> Vec<PlaceOutcome<'_>> {
        (0..self.entries.len()).map(|i| self.outcome(i)).collect()
    }

    fn outcome(&self, index: usize) -> PlaceOutcome<'_> {
        let entry = &self.entries[index];
        PlaceOutcome {
            place: &entry.place,
            status: &entry.status,
        }
    }

    /// The first failure of the history in any place's renewal ([`Renewal::history_problem`]).
    pub fn history_problem(&self) -> Option<&HistoryError> {
        self.entries
            .iter()
            .find_map(|entry| entry.renewal.history_problem())
    }

    /// Ends every place's renewal ([`Renewal::end`]): the sessions still open, and the history's attempts.
    /// Every place is ended; the first failure is returned.
    pub async fn end(&mut self) -> Result<(), PassError> {
        let mut first = Ok(());
        for entry in &mut self.entries {
            let ended = entry.renewal.end().await;
            if first.is_ok() {
                first = ended;
            }
        }
        Ok(first?)
    }
}

impl PlaceStatus {
    fn is_waiting(&self) -> bool {
        matches!(self, Self::Waiting)
    }

    fn is_logged_in(&self) -> bool {
        matches!(self, Self::LoggedIn)
    }
}

/// A place past the login step: the new card has proved itself there, or more.
fn past_login(status: &PlaceStatus) -> bool {
    matches!(status, PlaceStatus::Confirming(_)) || committing(status)
}

/// A place where 【更新】 was pressed.
fn committing(status: &PlaceStatus) -> bool {
    matches!(
        status,
        PlaceStatus::Committed(_) | PlaceStatus::CommitFailed(_)
    )
}

/// Whether `error` is about the card, the reader or the caller (every place would meet it: the step
/// stops), rather than about one place (its outcome: the pass goes on).
fn stops_the_step(error: &RenewalError) -> bool {
    match error {
        RenewalError::Card(_)
        | RenewalError::Certificate(_)
        | RenewalError::SameCard
        | RenewalError::NewCardInReader
        | RenewalError::NotTheCurrentCard
        | RenewalError::NoCurrentCard
        // A server handing out challenges other than those asked: no card signs anything more for it.
        | RenewalError::UntrustedChallenge(_)
        | RenewalError::Form(_)
        | RenewalError::WrongState { .. } => true,
        // The server's answer at this place, the network failing there, or the card known (by the history)
        // to be replaced or not registered there.
        RenewalError::Refused(_)
        | RenewalError::NotRegistered { .. }
        | RenewalError::OldCardInReader
        | RenewalError::Violations(_)
        | RenewalError::Client(_)
        | RenewalError::Place(_) => false,
    }
}

/// Ends a place's renewal that the pass is done with; a logout that fails only leaves the session to idle
/// out on the server.
async fn end_quietly(renewal: &mut Renewal) {
    if let Err(error) = renewal.end().await {
        tracing::info!(failure = %Failure(&error), "the place's session could not be ended: it will idle out");
    }
}
