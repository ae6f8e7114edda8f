//! The renewal as a state machine: one method a transition, each valid in one stage only. A step that fails
//! leaves the stage as it was (a wrong PIN, a lost answer), except that a lost session goes back to the
//! current card's login.

use std::cell::RefCell;

use ebid_card::{Pin, SigningCard};
use ebid_cert::Certificate;
use ebid_client::{Client, ClientError, SessionToken};
use ebid_history::{AttemptStart, History, HistoryError};
use ebid_protocol::{
    Menu, Purpose, Refusal, RefusalCode, RegistrationChange, RegistrationInfo, RenewalCommit,
    RenewalConfirmation, RenewalResult,
};
use time::OffsetDateTime;

use crate::card_step::{CardReading, CertificateCheck, Unlock, check_before_pin, verify_and_sign};
use crate::checks::{expired_at, fingerprint, not_the_same};
use crate::commit::{CommitPolicy, CommitResend};
use crate::logged::Failure;
use crate::record::{NOT_REGISTERED_TRUST, Recorder};
use crate::session::{self, Session, Target};
use crate::{RenewalError, ServerClock, fetch_server_clock};

/// Where a renewal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Nothing asked yet: the server's time comes first (the manual's 『年月日時分』).
    New,
    /// The server's time is known: the current card may log in.
    TimeKnown,
    /// Logged in with the current card (利用者登録メニュー): the new card may prove itself.
    LoggedIn,
    /// 電子証明書更新確認 is shown: 【更新】 or 【戻る】.
    Confirming,
    /// 更新完了. 登録者情報 may be asked with the new card.
    Committed,
    /// The session is over.
    Ended,
}

impl Stage {
    /// Whether the renewal is under way: logged in with the current card, or its confirmation shown. An app
    /// update waits until it is not (restarting would end the server session and lose the proof of the new
    /// card); before the login and after 更新完了 nothing is lost.
    pub fn under_way(self) -> bool {
        matches!(self, Stage::LoggedIn | Stage::Confirming)
    }
}

enum State {
    New,
    TimeKnown,
    LoggedIn(Session),
    Confirming(Box<Pending>),
    Committed {
        session: Session,
        result: RenewalResult,
    },
    Ended,
}

/// A renewal shown on 電子証明書更新確認, waiting for 【更新】 or 【戻る】.
struct Pending {
    session: Session,
    new: Certificate,
    confirmation: RenewalConfirmation,
}

/// 担当者: the name typed ([`Renewal::set_operator`]), else the logged-in card's holder, else nothing.
fn operator_or(typed: &str, holder: Option<&str>) -> Option<String> {
    Some(typed)
        .filter(|typed| !typed.is_empty())
        .or(holder)
        .map(str::to_owned)
}

/// What a card that is not the registered one is known to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    /// The new card of this renewal.
    NewCard,
    /// A card the server said is not registered here (in this renewal, or recently: the history).
    NotRegistered,
    /// The card this renewal (or an earlier one, as the history says) replaced here.
    Replaced,
}

/// One ICカード更新 at one organization and category.
pub struct Renewal {
    client: Client,
    organization: String,
    category: String,
    clock: Option<ServerClock>,
    /// The registered card: the one that logged in, and after 更新 the new one.
    registered: Option<Certificate>,
    /// Other cards met in this renewal, by certificate fingerprint.
    others: Vec<(String, Known)>,
    commit_policy: CommitPolicy,
    state: State,
    /// The local history this renewal records into, when it was given one.
    record: Option<Recorder>,
    /// 担当者 as typed on the current card's PIN dialog; empty when nobody typed one.
    operator: String,
}

impl Renewal {
    pub fn new(
        client: Client,
        organization: impl Into<String>,
        category: impl Into<String>,
    ) -> Self {
        Self {
            client,
            organization: organization.into(),
            category: category.into(),
            clock: None,
            registered: None,
            others: Vec::new(),
            commit_policy: CommitPolicy::DEFAULT,
            state: State::New,
            record: None,
            operator: String::new(),
        }
    }

    /// 担当者: who carries out this renewal, as typed on the current card's PIN dialog. Recorded with the
    /// attempt in the history and sent with 【更新】, where the server records it with the renewal. When
    /// nobody typed one, the current card's holder stands for it.
    pub fn set_operator(&mut self, operator: &str) {
        self.operator = operator.trim().to_owned();
    }

    /// Records this renewal into `history` as it happens (see the crate's documentation), and lets the
    /// history refuse, before its PIN, a card a server recently said is not registered here or that a
    /// renewal replaced here ([`NOT_REGISTERED_TRUST`]). Without it nothing is recorded. The history never
    /// fails the renewal: see [`Renewal::history_problem`].
    pub fn with_history(mut self, history: History) -> Self {
        self.record = Some(Recorder::new(history));
        self
    }

    /// The first failure of the history in this renewal, for a screen to show its message once. Every
    /// failure is logged (a warning); the renewal went on without the entry.
    pub fn history_problem(&self) -> Option<&HistoryError> {
        self.record.as_ref().and_then(Recorder::problem)
    }

    /// Another [`CommitPolicy`] than the default (a test's pause of zero).
    pub fn with_commit_policy(mut self, policy: CommitPolicy) -> Self {
        self.commit_policy = policy;
        self
    }

    pub fn stage(&self) -> Stage {
        match self.state {
            State::New => Stage::New,
            State::TimeKnown => Stage::TimeKnown,
            State::LoggedIn(_) => Stage::LoggedIn,
            State::Confirming(_) => Stage::Confirming,
            State::Committed { .. } => Stage::Committed,
            State::Ended => Stage::Ended,
        }
    }

    /// Asks the server's time (and the PC clock's skew from it). The first call opens the renewal; later
    /// ones refresh the clock the screens show.
    pub async fn fetch_server_time(&mut self) -> Result<ServerClock, RenewalError> {
        if matches!(self.state, State::Ended) {
            return Err(self.wrong_state("fetch_server_time"));
        }
        let clock = fetch_server_clock(&self.client).await?;
        tracing::debug!(skew = %clock.skew(), "server time fetched");
        self.clock = Some(clock);
        self.recall_cards(&clock).await;
        if matches!(self.state, State::New) {
            self.state = State::TimeKnown;
        }
        Ok(clock)
    }

    /// The clock offset into the history, and what it knows of cards here: those a server recently said
    /// are not registered, and those replaced, to refuse before their PIN.
    async fn recall_cards(&mut self, clock: &ServerClock) {
        let Some(record) = &self.record else { return };
        record
            .clock_offset(self.client.origin().as_str(), clock.skew())
            .await;
        let since = OffsetDateTime::now_utc() - NOT_REGISTERED_TRUST;
        let known = record
            .history()
            .unregistered(&self.organization, &self.category, since)
            .await;
        for card in record.kept("registrations", known).unwrap_or_default() {
            // What this renewal learnt itself is newer than the file.
            if self.known_fingerprint(&card.fingerprint).is_none() {
                let what = if card.replaced {
                    Known::Replaced
                } else {
                    Known::NotRegistered
                };
                self.remember(&card.fingerprint, what);
            }
        }
    }

    /// After 【戻る】 on 電子証明書更新確認 (logged in): the card in the reader must be the one that logged in,
    /// not the new card nor another. A card whose certificate is not free to read (JPKI before its PIN)
    /// cannot be told apart here and passes, as at the swap.
    pub fn check_logged_in(&self, reading: &CardReading) -> Result<(), RenewalError> {
        if !matches!(self.state, State::LoggedIn(_)) {
            return Err(self.wrong_state("check_logged_in"));
        }
        let Some(certificate) = &reading.certificate else {
            return Ok(());
        };
        match (self.known(certificate), &self.registered) {
            (Some(Known::NewCard), _) => Err(RenewalError::NewCardInReader),
            (_, Some(registered)) if fingerprint(registered) == fingerprint(certificate) => Ok(()),
            _ => Err(RenewalError::NotTheCurrentCard),
        }
    }

    /// 変更 while logged in: the registration's details as `change` has them (each checked first, nothing
    /// sent while one is wrong), answered with 登録者情報 as it now stands, for 「変更内容を確認してください」.
    pub async fn change_registration(
        &mut self,
        change: &RegistrationChange,
    ) -> Result<RegistrationInfo, RenewalError> {
        let State::LoggedIn(session) = &self.state else {
            return Err(self.wrong_state("change_registration"));
        };
        let problems = change.problems();
        if !problems.is_empty() {
            return Err(RenewalError::Form(problems));
        }
        let token = session.token.clone();
        tracing::info!(organization = %self.organization, "変更: sent");
        let info = self
            .client
            .change_registration(&token, change)
            .await
            .map_err(RenewalError::from);
        self.session_result(info)
    }

    /// 変更's form as things stand: 業者概要 and the logged-in user's 連絡先 as registered now (asked afresh
    /// over the session, so an earlier 変更 shows), and 担当者 as typed, else the logged-in card's holder
    /// (as for 【更新】). The user edits it and sends it back whole ([`Renewal::change_registration`]): the
    /// server replaces the changeable fields with it.
    pub async fn change_form(&mut self) -> Result<RegistrationChange, RenewalError> {
        let State::LoggedIn(session) = &self.state else {
            return Err(self.wrong_state("change_form"));
        };
        let user = session.menu.user.id;
        let operator =
            operator_or(&self.operator, Some(&session.menu.user.holder)).unwrap_or_default();
        let info = self.registration_info_now().await?;
        let contact = info
            .users
            .into_iter()
            .find(|listed| listed.id == user)
            .map(|listed| listed.contact)
            .unwrap_or_default();
        Ok(RegistrationChange {
            company_address: info.company.address,
            representative: info.company.representative,
            phone: info.company.phone,
            contact,
            operator,
        })
    }

    /// 登録者情報 at any time while logged in (利用者登録メニュー's 【登録者情報】), over the session: no card
    /// and no PIN. After 更新 the server has ended that session: [`Renewal::registration_info`] logs in
    /// with the new card instead.
    pub async fn registration_info_now(&mut self) -> Result<RegistrationInfo, RenewalError> {
        let State::LoggedIn(session) = &self.state else {
            return Err(self.wrong_state("registration_info_now"));
        };
        let token = session.token.clone();
        let info = self
            .client
            .registration(&token)
            .await
            .map_err(RenewalError::from);
        if let Some(record) = &mut self.record {
            record
                .step("registration_info", info.as_ref().map(|_| ()))
                .await;
        }
        self.session_result(info)
    }

    /// The checks the next card step makes before its PIN, for a screen to run on the card in the reader
    /// before it asks for the PIN: at the current card's login, that it is not the new card (nor another
    /// card than the one logged in before), not a card the history knows is not registered here or was
    /// replaced here, and has not expired at the server's time; at the new card's proof, that it is not
    /// the current card; after 更新, that it is the new card. A card whose certificate was read is recorded
    /// in the history as seen.
    pub async fn check_card(&self, reading: &CardReading) -> Result<(), RenewalError> {
        let check: fn(&Self, &Certificate) -> Result<(), RenewalError> = match &self.state {
            State::TimeKnown => Self::check_current,
            State::LoggedIn(_) => Self::check_new,
            State::Committed { .. } => Self::check_registered,
            State::New | State::Confirming(_) | State::Ended => {
                return Err(self.wrong_state("check_card"));
            }
        };
        if let (Some(record), Some(certificate)) = (&self.record, &reading.certificate) {
            record.card_seen(certificate).await;
        }
        match &reading.certificate {
            Some(certificate) => check(self, certificate),
            // Nothing to check before the PIN: the step checks after VERIFY.
            None => Ok(()),
        }
    }

    /// Logs in with the current card (利用者登録メニュー). Valid once the server's time is known.
    pub async fn login_current(
        &mut self,
        card: &mut dyn SigningCard,
        pin: &Pin,
    ) -> Result<Menu, RenewalError> {
        self.login_unlocking(card, &mut Unlock::Pin(pin)).await
    }

    /// [`Renewal::login_current`], the card unlocked as `unlock` says: a pass over several places logs in
    /// at the next one with the card still verified. `unlock` tells the pass whether the PIN was spent.
    pub(crate) async fn login_unlocking(
        &mut self,
        card: &mut dyn SigningCard,
        unlock: &mut Unlock<'_>,
    ) -> Result<Menu, RenewalError> {
        if !matches!(self.state, State::TimeKnown) {
            return Err(self.wrong_state("login_current"));
        }
        tracing::info!(organization = %self.organization, category = %self.category, "logging in with the current card");
        let seen = RefCell::new(None);
        let outcome = session::login(
            self.target("login_current")?,
            card,
            unlock,
            &|certificate| {
                seen.replace(Some(certificate.clone()));
                self.check_current(certificate)
            },
        )
        .await;
        self.record_login(seen.into_inner(), &outcome).await;
        match outcome {
            Ok(session) => {
                let facts = session.certificate.facts();
                tracing::info!(serial = %facts.serial, fingerprint = %facts.fingerprint_sha256, "logged in with the current card");
                let menu = session.menu.clone();
                self.registered = Some(session.certificate.clone());
                self.state = State::LoggedIn(session);
                Ok(menu)
            }
            Err(error) => {
                tracing::info!(failure = %Failure(&error), "the current card's login failed");
                // Put in again at this step, the card is named before its PIN.
                if let RenewalError::NotRegistered { fingerprint, .. } = &error {
                    self.remember(fingerprint, Known::NotRegistered);
                }
                Err(error)
            }
        }
    }

    /// The current card's login into the history: the card seen, the server's answer about it, the attempt
    /// (begun at the first login) and its `login` step.
    async fn record_login(
        &mut self,
        seen: Option<Certificate>,
        outcome: &Result<Session, RenewalError>,
    ) {
        let Some(record) = &mut self.record else {
            return;
        };
        if let Some(certificate) = &seen {
            record.card_seen(certificate).await;
        }
        let fingerprint = seen.as_ref().map(|c| c.facts().fingerprint_sha256.clone());
        match (outcome, &fingerprint) {
            (Ok(session), _) => {
                let facts = session.certificate.facts();
                record
                    .registration(
                        &facts.fingerprint_sha256,
                        &self.organization,
                        &self.category,
                        true,
                    )
                    .await;
                record
                    .start(AttemptStart {
                        organization: self.organization.clone(),
                        category: self.category.clone(),
                        holder: operator_or(&self.operator, facts.holder.as_deref()),
                        old_fingerprint: facts.fingerprint_sha256.clone(),
                        old_serial: facts.serial.clone(),
                    })
                    .await;
            }
            (Err(RenewalError::NotRegistered { .. }), Some(fingerprint)) => {
                record
                    .registration(fingerprint, &self.organization, &self.category, false)
                    .await;
            }
            (Err(_), _) => {}
        }
        record.step("login", outcome.as_ref().map(|_| ())).await;
    }

    /// The new card proves possession inside the session; the server answers with 電子証明書更新確認 and the
    /// rules 【更新】 would break. Valid when logged in.
    pub async fn prove_new_card(
        &mut self,
        card: &mut dyn SigningCard,
        pin: &Pin,
    ) -> Result<RenewalConfirmation, RenewalError> {
        self.prove_unlocking(card, &mut Unlock::Pin(pin)).await
    }

    /// [`Renewal::prove_new_card`], the card unlocked as `unlock` says (see [`Renewal::login_unlocking`]).
    pub(crate) async fn prove_unlocking(
        &mut self,
        card: &mut dyn SigningCard,
        unlock: &mut Unlock<'_>,
    ) -> Result<RenewalConfirmation, RenewalError> {
        let State::LoggedIn(session) = &self.state else {
            return Err(self.wrong_state("prove_new_card"));
        };
        let token = session.token.clone();
        let Some(current) = self.registered.clone() else {
            return Err(self.wrong_state("prove_new_card"));
        };
        let seen = RefCell::new(None);
        let check = |certificate: &Certificate| {
            seen.replace(Some(certificate.clone()));
            not_the_same(certificate, &current)
        };
        tracing::info!("the new card proves itself");
        let outcome = self.prove(card, unlock, &token, &check).await;
        self.record_proof(seen.into_inner(), &outcome).await;
        let (confirmation, new) = match outcome {
            Ok(proved) => proved,
            Err(error) => {
                tracing::info!(failure = %Failure(&error), "the new card's proof failed");
                return Err(error);
            }
        };
        tracing::info!(
            serial = %new.facts().serial,
            fingerprint = %new.facts().fingerprint_sha256,
            violations = confirmation.violations.len(),
            "the new card proved itself: 電子証明書更新確認"
        );
        self.remember(fingerprint(&new), Known::NewCard);
        if let State::LoggedIn(session) = std::mem::replace(&mut self.state, State::TimeKnown) {
            self.state = State::Confirming(Box::new(Pending {
                session,
                new,
                confirmation: confirmation.clone(),
            }));
        }
        Ok(confirmation)
    }

    /// The new card's proof into the history: the card seen, the attempt's new card, and the
    /// `new_card_proof` step, refused with the first broken rule when 【更新】 is blocked.
    async fn record_proof(
        &mut self,
        seen: Option<Certificate>,
        outcome: &Result<(RenewalConfirmation, Certificate), RenewalError>,
    ) {
        let Some(record) = &mut self.record else {
            return;
        };
        if let Some(certificate) = &seen {
            record.card_seen(certificate).await;
        }
        match outcome {
            Ok((confirmation, new)) => {
                record.new_card(new).await;
                match confirmation.violations.first() {
                    None => record.step("new_card_proof", Ok(())).await,
                    Some(violation) => {
                        let blocked = RenewalError::Refused(violation.clone());
                        record.step("new_card_proof", Err(&blocked)).await;
                    }
                }
            }
            Err(error) => record.step("new_card_proof", Err(error)).await,
        }
    }

    /// The new card's challenge, checks, signature and proof, inside the session `token` opened.
    async fn prove(
        &mut self,
        card: &mut dyn SigningCard,
        unlock: &mut Unlock<'_>,
        token: &SessionToken,
        check: CertificateCheck<'_>,
    ) -> Result<(RenewalConfirmation, Certificate), RenewalError> {
        let challenge = self
            .target("prove_new_card")?
            .challenge(Purpose::RenewalNewCard, Some(token))
            .await;
        let challenge = self.session_result(challenge)?;
        let reading = check_before_pin(card, check)?;
        let (proof, new) = verify_and_sign(card, unlock, reading, &challenge, check)?;
        let confirmation = self
            .client
            .renewal_proof(token, &proof)
            .await
            .map_err(RenewalError::from);
        Ok((self.session_result(confirmation)?, new))
    }

    /// 【戻る】 from 電子証明書更新確認: back to the menu, nothing committed.
    pub fn back(&mut self) -> Result<(), RenewalError> {
        if !matches!(self.state, State::Confirming(_)) {
            return Err(self.wrong_state("back"));
        }
        if let State::Confirming(pending) = std::mem::replace(&mut self.state, State::TimeKnown) {
            self.state = State::LoggedIn(pending.session);
        }
        tracing::info!("【戻る】: back to the menu, nothing committed");
        if let Some(record) = &mut self.record {
            record.step_later("back");
        }
        Ok(())
    }

    /// 【更新】, sent again by [`CommitPolicy`] while its outcome is open. Refused here when the confirmation
    /// listed broken rules. When every attempt was lost ([`ebid_client::ClientError::Interrupted`]) or the
    /// server could not be reached, the stage stays [`Stage::Confirming`] and pressing 【更新】 again is safe:
    /// the server's commit is idempotent.
    pub async fn commit(&mut self) -> Result<RenewalResult, RenewalError> {
        self.commit_reporting(|_| {}).await
    }

    /// [`Renewal::commit`], telling `on_resend` before each repeat so that the screen can say so.
    pub async fn commit_reporting(
        &mut self,
        mut on_resend: impl FnMut(CommitResend<'_>),
    ) -> Result<RenewalResult, RenewalError> {
        let State::Confirming(pending) = &self.state else {
            return Err(self.wrong_state("commit"));
        };
        let violations = &pending.confirmation.violations;
        if !violations.is_empty() {
            return Err(RenewalError::Violations(violations.clone()));
        }
        let token = pending.session.token.clone();
        let commit = RenewalCommit {
            operator: operator_or(
                &self.operator,
                pending.session.certificate.facts().holder.as_deref(),
            )
            .unwrap_or_default(),
        };
        // The idempotency key: every attempt names the same renewal, so the server commits it once.
        let renewal_id = pending.confirmation.renewal_id.clone();
        let policy = self.commit_policy;
        let mut attempt = 1;
        let mut answer_lost = false;
        let committed = loop {
            tracing::info!(attempt, "【更新】: commit sent");
            let outcome = self
                .client
                .commit_renewal(&token, &renewal_id, &commit)
                .await
                .map_err(RenewalError::from);
            answer_lost |= matches!(
                &outcome,
                Err(RenewalError::Client(ClientError::Interrupted(_)))
            );
            if let Some(record) = &mut self.record {
                record.step("commit", outcome.as_ref().map(|_| ())).await;
            }
            match outcome {
                Err(cause) if attempt < policy.attempts && CommitPolicy::retries(&cause) => {
                    tracing::info!(attempt, failure = %Failure(&cause), pause = ?policy.pause, "the commit's outcome is open: sending it again");
                    attempt += 1;
                    on_resend(CommitResend {
                        attempt,
                        cause: &cause,
                    });
                    tokio::time::sleep(policy.pause).await;
                }
                outcome => break outcome,
            }
        };
        let result = match self.session_result(committed) {
            Ok(result) => result,
            Err(error) => {
                tracing::info!(attempt, failure = %Failure(&error), "the commit failed");
                if let Some(record) = &mut self.record {
                    // Lost answers and then no answer at all: the server may have committed.
                    record.commit_open(answer_lost && matches!(error, RenewalError::Client(_)));
                }
                return Err(error);
            }
        };
        tracing::info!(
            attempt,
            old_serial = %result.old_serial,
            new_serial = %result.new_serial,
            "renewal committed: 更新完了"
        );
        if let State::Confirming(pending) = std::mem::replace(&mut self.state, State::TimeKnown) {
            let Pending { session, new, .. } = *pending;
            if let Some(old) = self.registered.replace(new.clone()) {
                self.remember(fingerprint(&old), Known::Replaced);
                if let Some(record) = &mut self.record {
                    record
                        .committed(&old, &new, &self.organization, &self.category)
                        .await;
                }
            }
            self.state = State::Committed {
                session,
                result: result.clone(),
            };
        }
        Ok(result)
    }

    /// 登録者情報 after 更新, logged in with the new card (which the card in the reader must be).
    pub async fn registration_info(
        &mut self,
        card: &mut dyn SigningCard,
        pin: &Pin,
    ) -> Result<RegistrationInfo, RenewalError> {
        if !matches!(self.state, State::Committed { .. }) {
            return Err(self.wrong_state("registration_info"));
        }
        let target = self.target("registration_info")?;
        let seen = RefCell::new(None);
        let outcome = session::registration_with(target, card, pin, &|certificate| {
            seen.replace(Some(certificate.clone()));
            self.check_registered(certificate)
        })
        .await;
        if let Some(record) = &mut self.record {
            if let Some(certificate) = seen.into_inner() {
                record.card_seen(&certificate).await;
            }
            record
                .step("registration_info", outcome.as_ref().map(|_| ()))
                .await;
        }
        let (_, info) = outcome?;
        Ok(info)
    }

    /// Ends the session (the manual: close every browser). After 更新 the server has already ended it.
    /// With a history, the attempt is finished first (refused, or cancelled before 【更新】; left
    /// unfinished when 【更新】's outcome is unknown), so that a failed logout cannot leave it open. A
    /// renewal dropped without `end` reads as interrupted.
    pub async fn end(&mut self) -> Result<(), RenewalError> {
        if let Some(record) = &mut self.record {
            record.end().await;
        }
        let state = std::mem::replace(&mut self.state, State::Ended);
        tracing::debug!("ending the renewal's session");
        match state {
            State::LoggedIn(session) | State::Committed { session, .. } => {
                session::logout(&self.client, &session.token).await
            }
            State::Confirming(pending) => {
                session::logout(&self.client, &pending.session.token).await
            }
            State::New | State::TimeKnown | State::Ended => Ok(()),
        }
    }

    /// The registered card's certificate: the one logged in with, and after 更新 the new one.
    pub fn registered_card(&self) -> Option<&Certificate> {
        self.registered.as_ref()
    }

    /// The new card proved on 電子証明書更新確認, while it is shown.
    pub(crate) fn proved_card(&self) -> Option<&Certificate> {
        match &self.state {
            State::Confirming(pending) => Some(&pending.new),
            _ => None,
        }
    }

    /// Before the login: only `certificate`'s card may log in (a pass logs in everywhere with the card that
    /// logged in first); another is refused as [`RenewalError::NotTheCurrentCard`] before it signs.
    pub(crate) fn expect_current(&mut self, certificate: &Certificate) {
        if matches!(self.state, State::New | State::TimeKnown) {
            self.registered = Some(certificate.clone());
        }
    }

    /// 電子証明書更新確認 while it is shown (before 【更新】 or 【戻る】).
    pub fn confirmation(&self) -> Option<&RenewalConfirmation> {
        match &self.state {
            State::Confirming(pending) => Some(&pending.confirmation),
            _ => None,
        }
    }

    /// 担当者 as typed ([`Renewal::set_operator`]), if anyone typed one.
    pub fn operator(&self) -> Option<&str> {
        Some(self.operator.as_str()).filter(|typed| !typed.is_empty())
    }

    /// The result of 更新, once committed.
    pub fn result(&self) -> Option<&RenewalResult> {
        match &self.state {
            State::Committed { result, .. } => Some(result),
            _ => None,
        }
    }

    /// Where `call`'s card step goes; the server's time is known from the first step on.
    fn target(&self, call: &'static str) -> Result<Target<'_>, RenewalError> {
        let Some(clock) = &self.clock else {
            return Err(self.wrong_state(call));
        };
        Ok(Target {
            client: &self.client,
            organization: &self.organization,
            category: &self.category,
            clock,
        })
    }

    fn check_current(&self, certificate: &Certificate) -> Result<(), RenewalError> {
        match self.known(certificate) {
            Some(Known::NewCard) => return Err(RenewalError::NewCardInReader),
            Some(Known::NotRegistered) => {
                return Err(RenewalError::NotRegistered {
                    refusal: Refusal::from(RefusalCode::CurrentCardNotRegistered),
                    fingerprint: fingerprint(certificate).to_owned(),
                });
            }
            Some(Known::Replaced) => return Err(RenewalError::OldCardInReader),
            None => {}
        }
        if let Some(registered) = &self.registered
            && fingerprint(registered) != fingerprint(certificate)
        {
            return Err(RenewalError::NotTheCurrentCard);
        }
        match &self.clock {
            Some(clock) => expired_at(certificate, clock.now()),
            None => Err(self.wrong_state("login_current")),
        }
    }

    fn check_new(&self, certificate: &Certificate) -> Result<(), RenewalError> {
        match &self.registered {
            Some(current) => not_the_same(certificate, current),
            None => Err(self.wrong_state("prove_new_card")),
        }
    }

    fn check_registered(&self, certificate: &Certificate) -> Result<(), RenewalError> {
        match (&self.registered, self.known(certificate)) {
            (_, Some(Known::Replaced)) => Err(RenewalError::OldCardInReader),
            (Some(registered), _) if fingerprint(registered) == fingerprint(certificate) => Ok(()),
            _ => Err(RenewalError::NotTheCurrentCard),
        }
    }

    fn known(&self, certificate: &Certificate) -> Option<Known> {
        self.known_fingerprint(fingerprint(certificate))
    }

    fn known_fingerprint(&self, wanted: &str) -> Option<Known> {
        self.others
            .iter()
            .find(|(known, _)| known == wanted)
            .map(|(_, what)| *what)
    }

    fn remember(&mut self, fingerprint: &str, what: Known) {
        self.others.retain(|(known, _)| known != fingerprint);
        self.others.push((fingerprint.to_owned(), what));
    }

    /// Passes a server answer on; a lost session sends the renewal back to the current card's login.
    fn session_result<T>(&mut self, result: Result<T, RenewalError>) -> Result<T, RenewalError> {
        if let Err(error) = &result
            && error.session_lost()
        {
            self.state = State::TimeKnown;
        }
        result
    }

    fn wrong_state(&self, call: &'static str) -> RenewalError {
        RenewalError::WrongState {
            call,
            stage: self.stage(),
        }
    }
}
