//! The one error every command returns: a stable `code` the screens switch on, the Japanese message the
//! user reads, and the next step (an expired card → 新規登録).

use ebid_card::{CardError, TransportError};
use ebid_client::ClientError;
use ebid_config::ConfigError;
use ebid_history::HistoryError;
use ebid_protocol::{FieldProblem, RefusalCode};
use ebid_workflow::RenewalError;
use ebid_workflow::messages::{card_error, transport_error};
use ebid_workflow::pass::PassError;
use ebid_workflow::readers::WaitError;
use serde::Serialize;
use ts_rs::TS;

use crate::desktop::DesktopError;
use crate::paper::PaperError;
use crate::views::NextStepView;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    WrongPin,
    PinBlocked,
    PinFormat,
    NoReader,
    NoCard,
    CardRemoved,
    CardUnreadable,
    ReaderGone,
    SameCard,
    NewCardInReader,
    NotTheCurrentCard,
    OldCardInReader,
    /// The server handed out a challenge for another server or organization: the card did not sign it.
    UntrustedChallenge,
    Refused,
    Violations,
    ServerUnreachable,
    AnswerLost,
    WaitCancelled,
    WaitTimedOut,
    /// No registration server configured yet: the 接続先設定 screen asks for one.
    ServerNotConfigured,
    /// A configuration file unreadable, malformed or unwritable (the message names it).
    Configuration,
    /// The local history cannot be read or written (the message names the file and what to do); the
    /// renewal itself is not affected.
    History,
    /// The desktop refused a setting (starting at login).
    Desktop,
    /// A paper (PDF) could not be written: no Japanese font, the folder not writable (the message says).
    Paper,
    /// 登録 or 変更: details typed wrong, each named in `problems`; nothing was sent.
    Form,
    /// まとめて更新: at a later 調達機関 the reader held another new card than the first one proved.
    NotTheNewCard,
    /// An app update waits: a renewal is under way, and restarting would end its session.
    RenewalUnderWay,
    /// アプリの更新: the feed could not be asked.
    UpdateUnreachable,
    /// アプリの更新: the download does not match its signature.
    UpdateTampered,
    /// アプリの更新: signed with another key than the app trusts.
    UpdateWrongKey,
    /// アプリの更新: signed for another version than the feed announced, or for none.
    UpdateVersionMismatch,
    /// アプリの更新: the feed offered a version not newer than the running one.
    UpdateDowngrade,
    /// アプリの更新: the installer failed (or nothing was downloaded); the running version stays.
    UpdateInstallFailed,
    WrongState,
    Internal,
}

/// Every command's error: a stable code, the Japanese message, and what to do next.
#[derive(Debug, Clone, Serialize, TS, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct AppError {
    pub code: ErrorCode,
    /// The rule's code when the server (or the workflow, first) refused, e.g. "current_card_expired".
    pub refusal: Option<RefusalCode>,
    pub message: String,
    pub next_step: Option<NextStepView>,
    /// After a wrong PIN.
    pub tries_left: Option<u8>,
    /// With [`ErrorCode::Form`]: each field typed wrong, for the form to show beside it.
    pub problems: Vec<FieldProblem>,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            refusal: None,
            message: message.into(),
            next_step: None,
            tries_left: None,
            problems: Vec::new(),
        }
    }

    /// A command that needs the server, before any is configured.
    pub fn server_not_configured() -> Self {
        Self::new(
            ErrorCode::ServerNotConfigured,
            "接続先のサーバが設定されていません。接続先設定で、サーバのアドレスを入力してください。",
        )
    }

    /// A failure of the app itself (a thread gone, a file unwritable), which no user action caused.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }
}

impl From<PaperError> for AppError {
    fn from(error: PaperError) -> Self {
        Self::new(ErrorCode::Paper, error.to_string())
    }
}

impl From<RenewalError> for AppError {
    fn from(error: RenewalError) -> Self {
        Self::from(&error)
    }
}

impl From<&RenewalError> for AppError {
    fn from(error: &RenewalError) -> Self {
        let next_step = error.next_step().map(NextStepView::from);
        let mut app = match error {
            RenewalError::Card(card) => Self::from(card),
            RenewalError::Certificate(_) => Self::new(ErrorCode::CardUnreadable, error.to_string()),
            RenewalError::Refused(refusal) | RenewalError::NotRegistered { refusal, .. } => Self {
                refusal: Some(refusal.code),
                ..Self::new(ErrorCode::Refused, error.to_string())
            },
            RenewalError::Violations(violations) => Self {
                refusal: violations.first().map(|v| v.code),
                ..Self::new(ErrorCode::Violations, error.to_string())
            },
            RenewalError::SameCard => Self::new(ErrorCode::SameCard, error.to_string()),
            RenewalError::NewCardInReader => {
                Self::new(ErrorCode::NewCardInReader, error.to_string())
            }
            RenewalError::NotTheCurrentCard => {
                Self::new(ErrorCode::NotTheCurrentCard, error.to_string())
            }
            RenewalError::OldCardInReader => {
                Self::new(ErrorCode::OldCardInReader, error.to_string())
            }
            RenewalError::UntrustedChallenge(_) => {
                Self::new(ErrorCode::UntrustedChallenge, error.to_string())
            }
            RenewalError::NoCurrentCard => Self::new(ErrorCode::NoCard, error.to_string()),
            RenewalError::Place(_) => Self::new(ErrorCode::WrongState, error.to_string()),
            RenewalError::Client(client) => Self::from(client),
            RenewalError::WrongState { .. } => Self::new(ErrorCode::WrongState, error.to_string()),
            RenewalError::Form(problems) => Self {
                problems: problems.clone(),
                ..Self::new(ErrorCode::Form, error.to_string())
            },
        };
        app.next_step = next_step.or(app.next_step);
        app
    }
}

impl From<PassError> for AppError {
    fn from(error: PassError) -> Self {
        match error {
            PassError::Renewal(error) => Self::from(&error),
            PassError::NotTheNewCard => Self::new(ErrorCode::NotTheNewCard, error.to_string()),
            PassError::WrongState(_) => Self::new(ErrorCode::WrongState, error.to_string()),
        }
    }
}

impl From<&CardError> for AppError {
    fn from(error: &CardError) -> Self {
        let message = card_error(error);
        match error {
            CardError::WrongPin { tries_left } => Self {
                tries_left: Some(*tries_left),
                ..Self::new(ErrorCode::WrongPin, message)
            },
            // A PKCS#11 token that keeps no count: a wrong PIN all the same, the tries unknown.
            CardError::WrongPinTriesUnknown => Self::new(ErrorCode::WrongPin, message),
            CardError::PinBlocked => Self::new(ErrorCode::PinBlocked, message),
            CardError::PinFormat(_) => Self::new(ErrorCode::PinFormat, message),
            CardError::Transport(transport) => Self::from(transport),
            _ => Self::new(ErrorCode::CardUnreadable, message),
        }
    }
}

impl From<&TransportError> for AppError {
    fn from(error: &TransportError) -> Self {
        let code = match error {
            TransportError::CardRemoved | TransportError::CardReset => ErrorCode::CardRemoved,
            TransportError::NoCard => ErrorCode::NoCard,
            TransportError::ReaderGone => ErrorCode::ReaderGone,
            TransportError::NoReaders | TransportError::NoService => ErrorCode::NoReader,
            _ => ErrorCode::CardUnreadable,
        };
        Self::new(code, transport_error(error))
    }
}

impl From<TransportError> for AppError {
    fn from(error: TransportError) -> Self {
        Self::from(&error)
    }
}

impl From<&ClientError> for AppError {
    fn from(error: &ClientError) -> Self {
        let code = match error {
            ClientError::Interrupted(_) => ErrorCode::AnswerLost,
            ClientError::Refused(_) => ErrorCode::Refused,
            ClientError::Unreachable(_)
            | ClientError::Tls(_)
            | ClientError::Protocol(_)
            | ClientError::Setup(_) => ErrorCode::ServerUnreachable,
        };
        Self::new(code, error.to_string())
    }
}

impl From<ClientError> for AppError {
    fn from(error: ClientError) -> Self {
        // A refusal carries its rule and next step: the workflow's mapping keeps them.
        Self::from(RenewalError::from(error))
    }
}

impl From<ConfigError> for AppError {
    fn from(error: ConfigError) -> Self {
        Self::new(ErrorCode::Configuration, error.to_string())
    }
}

impl From<HistoryError> for AppError {
    fn from(error: HistoryError) -> Self {
        Self::new(ErrorCode::History, error.to_string())
    }
}

impl From<DesktopError> for AppError {
    fn from(error: DesktopError) -> Self {
        Self::new(ErrorCode::Desktop, error.to_string())
    }
}

impl From<WaitError> for AppError {
    fn from(error: WaitError) -> Self {
        match error {
            WaitError::Transport(transport) => Self::from(&transport),
            WaitError::TimedOut => Self::new(ErrorCode::WaitTimedOut, error.to_string()),
            WaitError::Cancelled => Self::new(ErrorCode::WaitCancelled, error.to_string()),
            WaitError::ReaderGone => Self::new(ErrorCode::ReaderGone, error.to_string()),
            WaitError::NotLoggedIn => Self::new(ErrorCode::WrongState, error.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use ebid_protocol::NextStep;

    use super::*;

    #[test]
    fn an_expired_current_card_is_refused_with_new_registration_next() {
        let error = AppError::from(RenewalError::Refused(
            RefusalCode::CurrentCardExpired.into(),
        ));
        assert_eq!(error.code, ErrorCode::Refused);
        assert_eq!(error.refusal, Some(RefusalCode::CurrentCardExpired));
        assert_eq!(
            serde_json::to_value(&error).unwrap()["refusal"],
            "current_card_expired"
        );
        let next = error.next_step.expect("a next step");
        assert_eq!(next.kind, NextStep::NewRegistration);
        assert_eq!(next.text, "新規登録処理を行ってください。");
    }

    #[test]
    fn a_wrong_pin_carries_the_tries_left() {
        let error = AppError::from(RenewalError::Card(CardError::WrongPin { tries_left: 2 }));
        assert_eq!(error.code, ErrorCode::WrongPin);
        let untold = AppError::from(RenewalError::Card(CardError::WrongPinTriesUnknown));
        assert_eq!(
            (untold.code, untold.tries_left),
            (ErrorCode::WrongPin, None)
        );
        assert_eq!(error.tries_left, Some(2));
        assert!(error.message.contains("残り2回"), "{}", error.message);
        assert_eq!(error.next_step.map(|n| n.kind), Some(NextStep::Retry));
    }

    #[test]
    fn a_card_pulled_out_and_a_lost_answer_have_their_own_codes() {
        let pulled = AppError::from(RenewalError::Card(CardError::Transport(
            TransportError::CardRemoved,
        )));
        assert_eq!(pulled.code, ErrorCode::CardRemoved);
        let lost = AppError::from(ClientError::Interrupted("reset".into()));
        assert_eq!(lost.code, ErrorCode::AnswerLost);
        assert_eq!(lost.next_step.map(|n| n.kind), Some(NextStep::Retry));
    }

    #[test]
    fn a_challenge_for_another_organization_has_its_own_code() {
        let error = AppError::from(RenewalError::UntrustedChallenge(
            ebid_workflow::ChallengeProblem::Organization {
                asked: "nagasaki-pref".into(),
                got: "sasebo-city".into(),
            },
        ));
        assert_eq!(error.code, ErrorCode::UntrustedChallenge);
        assert_eq!(error.refusal, None);
        assert!(
            error
                .message
                .contains("調達機関が nagasaki-pref ではなく sasebo-city です"),
            "{}",
            error.message
        );
        assert!(error.message.contains("ICカードでは署名していません"));
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json["code"], "untrusted_challenge");
    }

    #[test]
    fn the_error_serializes_with_the_fields_the_screens_read() {
        let error = AppError::from(RenewalError::SameCard);
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json["code"], "same_card");
        assert_eq!(json["nextStep"]["kind"], "retry");
        assert!(json["triesLeft"].is_null());
    }
}
