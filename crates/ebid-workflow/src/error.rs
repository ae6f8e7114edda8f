//! Every way a step can end short of success. Refusals — the server's, or the workflow's own explanation of
//! a rule before the server is asked — carry the rule, the Japanese message and the next step.

use ebid_card::CardError;
use ebid_cert::CertError;
use ebid_client::ClientError;
use ebid_protocol::{FieldProblem, NextStep, Refusal, RefusalCode};

use crate::{ChallengeProblem, PlaceError, Stage};

#[derive(Debug, thiserror::Error)]
pub enum RenewalError {
    /// A rule says no: the server's answer, or the same rule checked here first (an expired current card).
    #[error("{0}")]
    Refused(Refusal),
    /// 【更新】 is blocked: the confirmation listed these broken rules.
    #[error("{}", violations_text(.0))]
    Violations(Vec<Refusal>),
    /// The card offered as the new card is the current card.
    #[error("同じICカードです。新しく取得したICカードを挿入してください。")]
    SameCard,
    /// At a current-card step, the reader holds the new card of this renewal.
    #[error(
        "新しく取得したICカードが挿入されています。現在使用しているICカードに挿し替えてください。"
    )]
    NewCardInReader,
    /// At a current-card step, the reader holds a card other than the one logged in with.
    #[error("ログインしたICカードと異なります。現在使用しているICカードを挿入してください。")]
    NotTheCurrentCard,
    /// No reader holds a card that could be the current one.
    #[error(
        "ICカードが挿入されていません。現在使用しているICカードをICカードリーダーに挿入してください。"
    )]
    NoCurrentCard,
    /// The 調達機関 or category asked for is not one the server lists.
    #[error(transparent)]
    Place(#[from] PlaceError),
    /// After 更新, the reader holds the card that was replaced.
    #[error("更新前のICカードです。新しいICカードを挿入してください。")]
    OldCardInReader,
    /// The card logging in is not registered here: perhaps it is the new card, put in too early.
    #[error(
        "{}新しく取得したICカードを挿入している場合は、現在使用しているICカードに挿し替えてください。",
        .refusal.message
    )]
    NotRegistered {
        refusal: Refusal,
        /// The card's certificate fingerprint, so that the same card is named before its PIN next time.
        fingerprint: String,
    },
    /// The server handed out a challenge other than the one asked for (another server's origin, another
    /// organization…): the card was not asked to sign it, nor given the PIN.
    #[error(
        "サーバから受け取った署名用のデータが、要求した内容と異なります（{0}）。ICカードでは署名していません。接続先のサーバのURLが正しいか確認してください。"
    )]
    UntrustedChallenge(ChallengeProblem),
    /// The card said no or could not be reached (wrong PIN with its tries left, blocked, pulled out).
    #[error(transparent)]
    Card(#[from] CardError),
    #[error("ICカードの証明書を読み取れません。（{0}）")]
    Certificate(#[from] CertError),
    /// The server could not be asked, or its answer was lost (then the state is unchanged: try again).
    #[error(transparent)]
    Client(ClientError),
    /// 登録 or 変更: details typed wrong, each named; nothing was sent and the card was not touched.
    #[error("{}", form_text(.0))]
    Form(Vec<FieldProblem>),
    /// A step called out of order: a bug of the caller, reported instead of acted on.
    #[error("この操作は今は行えません（{call}、現在の段階: {stage:?}）。")]
    WrongState { call: &'static str, stage: Stage },
}

impl From<ClientError> for RenewalError {
    fn from(error: ClientError) -> Self {
        match error {
            ClientError::Refused(refusal) => Self::Refused(refusal),
            other => Self::Client(other),
        }
    }
}

impl RenewalError {
    /// What the user should do next, where something can be said.
    pub fn next_step(&self) -> Option<NextStep> {
        match self {
            Self::Refused(refusal) | Self::NotRegistered { refusal, .. } => refusal.next_step,
            Self::Violations(violations) => violations.iter().find_map(|v| v.next_step),
            Self::SameCard
            | Self::NewCardInReader
            | Self::NotTheCurrentCard
            | Self::OldCardInReader
            | Self::NoCurrentCard
            | Self::Card(CardError::WrongPin { .. } | CardError::WrongPinTriesUnknown) => {
                Some(NextStep::Retry)
            }
            Self::Form(_) => Some(NextStep::Correct),
            Self::Client(error) if error.is_retryable() => Some(NextStep::Retry),
            Self::Card(_)
            | Self::Certificate(_)
            | Self::Client(_)
            | Self::UntrustedChallenge(_)
            | Self::Place(_)
            | Self::WrongState { .. } => None,
        }
    }

    /// The rule's code, when a rule refused.
    pub fn refusal_code(&self) -> Option<RefusalCode> {
        match self {
            Self::Refused(refusal) | Self::NotRegistered { refusal, .. } => Some(refusal.code),
            Self::Violations(violations) => violations.first().map(|v| v.code),
            _ => None,
        }
    }

    /// Whether the session is gone and the current card must log in again.
    pub(crate) fn session_lost(&self) -> bool {
        matches!(
            self.refusal_code(),
            Some(RefusalCode::SessionExpired | RefusalCode::SessionEnded)
        )
    }
}

fn form_text(problems: &[FieldProblem]) -> String {
    let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
    format!("入力内容を確認してください。{}", messages.join(" "))
}

fn violations_text(violations: &[Refusal]) -> String {
    let messages: Vec<&str> = violations.iter().map(|v| v.message.as_str()).collect();
    format!("更新できません。{}", messages.join(" "))
}

/// The words of each next step, as the screens and the CLI say them.
pub fn next_step_ja(step: NextStep) -> &'static str {
    match step {
        NextStep::NewRegistration => "新規登録処理を行ってください。",
        NextStep::Change => "変更（または新規登録）処理を行ってください。",
        NextStep::Retry => "もう一度お試しください。",
        NextStep::Login => "もう一度ログインしてください。",
        NextStep::ContactIssuer => "ICカードの発行元（認証局）にお問い合わせください。",
        NextStep::Renew => "ICカード更新処理を行ってください。",
        NextStep::Correct => "入力内容を確認して、もう一度送信してください。",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expired_current_card_leads_to_new_registration() {
        let error = RenewalError::Refused(RefusalCode::CurrentCardExpired.into());
        assert_eq!(error.next_step(), Some(NextStep::NewRegistration));
        assert_eq!(
            next_step_ja(NextStep::NewRegistration),
            "新規登録処理を行ってください。"
        );
        assert!(error.to_string().contains("新規登録処理を行ってください"));
    }

    #[test]
    fn a_refused_login_suggests_the_swap() {
        let error = RenewalError::NotRegistered {
            refusal: RefusalCode::CurrentCardNotRegistered.into(),
            fingerprint: "AB".into(),
        };
        let text = error.to_string();
        assert!(
            text.starts_with("このICカードは、この調達機関に登録されていません。"),
            "{text}"
        );
        assert!(text.contains("挿し替えてください"), "{text}");
    }

    #[test]
    fn network_failures_are_retried_refusals_are_explained() {
        let lost: RenewalError = ClientError::Interrupted("cut".into()).into();
        assert_eq!(lost.next_step(), Some(NextStep::Retry));
        let refused: RenewalError = ClientError::Refused(RefusalCode::SessionExpired.into()).into();
        assert!(refused.session_lost());
        assert_eq!(refused.next_step(), Some(NextStep::Login));
        let wrong_pin = RenewalError::Card(CardError::WrongPin { tries_left: 2 });
        assert_eq!(wrong_pin.next_step(), Some(NextStep::Retry));
    }
}
