//! What a pass says: where each place stands, whether a step is done everywhere or the card's PIN is needed
//! again, and why a step stopped.

use ebid_protocol::{RefusalCode, RenewalConfirmation, RenewalResult};

use super::PassPlace;
use crate::{RenewalError, messages};

/// Where one place of a pass stands.
#[derive(Debug)]
pub enum PlaceStatus {
    /// The current card has not logged in here yet.
    Waiting,
    /// Logged in with the current card (利用者登録メニュー): the new card proves itself next.
    LoggedIn,
    /// Refused here, at the login or at the new card's proof (a rule, the server, the network): the pass
    /// went on without this place, whose session is ended, so that an ordinary renewal can try it alone.
    Refused(RenewalError),
    /// 電子証明書更新確認 of this place: 【更新】 or 【戻る】.
    Confirming(Box<RenewalConfirmation>),
    /// 更新完了 here.
    Committed(RenewalResult),
    /// 【更新】 failed here. When its outcome is open (the answer lost, the server unreachable) the place is
    /// still on 電子証明書更新確認 and 【更新】 may be pressed again ([`super::RenewalPass::commit`]); else its
    /// session is ended and an ordinary renewal can try it alone.
    CommitFailed(RenewalError),
}

impl PlaceStatus {
    /// The error that ended this place's part, if one did.
    pub fn error(&self) -> Option<&RenewalError> {
        match self {
            Self::Refused(error) | Self::CommitFailed(error) => Some(error),
            _ => None,
        }
    }

    /// The rule's code, when a rule refused here (`registration_pending`, `current_card_not_registered`…).
    pub fn refusal_code(&self) -> Option<RefusalCode> {
        self.error().and_then(RenewalError::refusal_code)
    }
}

/// One place and where it stands.
#[derive(Debug, Clone, Copy)]
pub struct PlaceOutcome<'a> {
    pub place: &'a PassPlace,
    pub status: &'a PlaceStatus,
}

impl PlaceOutcome<'_> {
    /// One line for the user: the place and what happened there.
    pub fn summary(&self) -> String {
        messages::place_summary(self.place, self.status)
    }
}

/// How a card step of the pass ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PassStep {
    /// Every place still in the pass has done the step (some may have been refused: see the outcomes).
    Done,
    /// The card needs its PIN again before it signs for `next` (PIV asks for it before every signature; a
    /// card reset since its VERIFY forgot it). Ask the user, showing the tries left, and call the same step
    /// again with what they type: the places done so far stay done.
    PinAgain { next: PassPlace },
}

/// Why a step of the pass stopped. The places done before it stay done; the same step called again goes on
/// with the places not done yet.
#[derive(Debug, thiserror::Error)]
pub enum PassError {
    /// A wrong PIN (with its tries left), the card pulled, the reader gone, the wrong card in the reader…:
    /// about the card or the reader, so every place would meet it.
    #[error(transparent)]
    Renewal(#[from] RenewalError),
    /// At a later place, the reader held a new card other than the one the first place confirmed: that place
    /// went back to its menu (nothing committed).
    #[error("{}", messages::NOT_THE_NEW_CARD)]
    NotTheNewCard,
    /// A step called out of order: a bug of the caller, reported instead of acted on.
    #[error("この操作は今は行えません（{0}）。")]
    WrongState(&'static str),
}
