//! Refusals: every rule the server enforces has its own code, a Japanese message the user understands,
//! and the next step (新規登録, 変更, retry, login again).

use serde::{Deserialize, Serialize};

/// Why the server said no. Stable: the UI and scripts match on these.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalCode {
    /// The card used to log in has expired: only 新規登録 is possible.
    CurrentCardExpired,
    /// The card used to log in is not (or no longer) registered at this organization.
    CurrentCardNotRegistered,
    /// The certificate does not chain to a CA this organization trusts.
    UntrustedIssuer,
    /// The (new) certificate has expired at the server's time.
    CertificateExpired,
    /// The (new) certificate is not valid yet at the server's time.
    CertificateNotYetValid,
    /// The certificate is on its CA's revocation list.
    CertificateRevoked,
    /// The certificate chains to a trusted CA whose own certificate has expired at the server's time.
    IssuerExpired,
    /// The server cannot tell whether the certificate is revoked: it holds no usable CRL of its CA, and the
    /// operator has not exempted that CA from the check. The operator's log says which CA.
    RevocationUnavailable,
    /// The server's CRL of the certificate's CA is past its nextUpdate, even after reading its file again:
    /// no login of that CA's cards until the operator puts a current CRL in place.
    RevocationListOutOfDate,
    /// The certificate's key usage does not allow signatures.
    NoSigningKeyUsage,
    /// The new card is already registered (here, for this or another user).
    NewCardAlreadyRegistered,
    /// The new card does not stay valid longer than the current one.
    NewCardNotNewer,
    /// The new card names another company: 変更 or 新規登録, not 更新.
    CompanyDiffers,
    /// The new card names another holder: 変更 or 新規登録, not 更新.
    HolderDiffers,
    /// The new card names no company, and the registration is a corporation's (法人): a personal card cannot
    /// carry it.
    NewCardCompanyMissing,
    /// The new card names no holder (取得者氏名).
    NewCardHolderMissing,
    /// The signature over the challenge does not verify with the certificate.
    BadSignature,
    /// The challenge's time ran out.
    ChallengeExpired,
    /// The challenge was already used.
    ChallengeReplayed,
    /// The challenge was issued for another organization, category or purpose, or does not exist.
    ChallengeMismatch,
    /// The session was idle too long.
    SessionExpired,
    /// The session was ended (logout, completed renewal) or never existed.
    SessionEnded,
    /// The certificate cannot be read.
    BadCertificate,
    /// The card's registration (新規登録) awaits the organization's approval: 仮登録.
    RegistrationPending,
    /// 新規登録: no company with this 業者番号 in the organization's list of qualified companies.
    VendorNotFound,
    /// 新規登録: the 商号又は名称 typed is not that company's in the organization's list.
    CompanyNameMismatch,
    /// 新規登録: the card names a company other than the one registering.
    CardCompanyDiffers,
    /// 新規登録: this card is already registered at this organization (or awaits approval there).
    CardAlreadyRegistered,
    /// 新規登録: the card's holder is registered with another card that is still valid: that is
    /// ICカード更新, not 新規登録.
    HolderAlreadyRegistered,
    /// 登録 or 変更: a required detail is empty, or a telephone number or e-mail address is not one.
    FormIncomplete,
    /// No such organization or category.
    UnknownOrganization,
    /// No such renewal in this session.
    RenewalNotFound,
    /// The request is malformed.
    BadRequest,
    /// The request is larger than this route takes.
    RequestTooLarge,
    /// The request did not arrive in time.
    RequestTimeout,
    /// No such route: a client of another protocol version, or a stranger.
    UnknownRoute,
    /// The route exists, not with this method.
    MethodNotAllowed,
    /// Too many requests from this client, or from everyone at once: answered with `Retry-After`.
    RateLimited,
    /// The server cannot write (disk full, database file damaged or locked); nothing was changed.
    StorageUnavailable,
    /// The server failed; nothing was changed.
    ServerError,
}

/// What the user should do next.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NextStep {
    /// 新規登録 with the new card.
    NewRegistration,
    /// 変更 (registration change), or 新規登録.
    Change,
    /// Try the same step again.
    Retry,
    /// Log in again with the current card.
    Login,
    /// Ask the card's issuer (CA).
    ContactIssuer,
    /// ICカード更新 instead.
    Renew,
    /// Correct what was typed and send it again.
    Correct,
}

impl RefusalCode {
    /// The message the user reads, in the words of the manual where it has them.
    pub fn message_ja(self) -> &'static str {
        match self {
            Self::CurrentCardExpired => {
                "現在使用しているICカードが有効期限を過ぎています。新規登録処理を行ってください。"
            }
            Self::CurrentCardNotRegistered => "このICカードは、この調達機関に登録されていません。",
            Self::UntrustedIssuer => {
                "このICカードの証明書は、電子入札で使用できる認証局が発行したものではありません。"
            }
            Self::CertificateExpired => "新しいICカードの証明書は有効期限を過ぎています。",
            Self::CertificateNotYetValid => {
                "新しいICカードの証明書は、まだ有効期間が始まっていません。"
            }
            Self::CertificateRevoked => {
                "このICカードの証明書は失効しています。認証局にお問い合わせください。"
            }
            Self::IssuerExpired => {
                "このICカードを発行した認証局の証明書が有効期限を過ぎているため、このICカードは使用できません。"
            }
            Self::RevocationUnavailable => {
                "このICカードの証明書が失効していないことを、サーバで確認できません。時間をおいて、もう一度お試しください。解決しない場合は、調達機関にお問い合わせください。"
            }
            Self::RevocationListOutOfDate => {
                "サーバの証明書失効情報が更新されていないため、ICカードを確認できません。時間をおいて、もう一度お試しください。"
            }
            Self::NoSigningKeyUsage => "このICカードの証明書は署名に使用できません。",
            Self::NewCardAlreadyRegistered => "新しいICカードは既に登録されています。",
            Self::NewCardNotNewer => {
                "新しいICカードの有効期限が、現在使用しているICカードより後ではありません。"
            }
            Self::CompanyDiffers => {
                "新しいICカードの企業名称が登録内容と異なります。ICカード更新ではなく、変更または新規登録を行ってください。"
            }
            Self::HolderDiffers => {
                "新しいICカードの取得者氏名が登録内容と異なります。ICカード更新ではなく、変更または新規登録を行ってください。"
            }
            Self::NewCardCompanyMissing => {
                "新しいICカードの証明書に企業名称が記載されていません。法人として登録されているため、企業名称の入った（法人用の）ICカードで更新してください。"
            }
            Self::NewCardHolderMissing => {
                "新しいICカードの証明書に取得者氏名が記載されていません。認証局にお問い合わせください。"
            }
            Self::BadSignature => "ICカードの署名を確認できませんでした。もう一度お試しください。",
            Self::ChallengeExpired => "時間が経ちすぎました。もう一度お試しください。",
            Self::ChallengeReplayed => {
                "この操作は既に使われています。もう一度最初からお試しください。"
            }
            Self::ChallengeMismatch => {
                "この調達機関に対する操作ではありません。もう一度お試しください。"
            }
            Self::SessionExpired => {
                "一定時間操作がなかったため、ログインが切れました。もう一度ログインしてください。"
            }
            Self::SessionEnded => "ログインが終了しています。もう一度ログインしてください。",
            Self::BadCertificate => "ICカードの証明書を読み取れません。",
            Self::RegistrationPending => {
                "このICカードは仮登録中です。調達機関の承認後にご利用いただけます。"
            }
            Self::VendorNotFound => {
                "入力された業者番号は、この調達機関の入札参加資格者名簿にありません。業者番号を確認してください。"
            }
            Self::CompanyNameMismatch => {
                "入力された商号又は名称が、入札参加資格者名簿の登録内容と一致しません。"
            }
            Self::CardCompanyDiffers => {
                "ICカードの企業名称が、登録する業者の商号又は名称と異なります。御社のICカードか確認してください。"
            }
            Self::CardAlreadyRegistered => {
                "このICカードは、この調達機関に既に登録されています（承認待ちを含みます）。"
            }
            Self::HolderAlreadyRegistered => {
                "このICカードの取得者は、有効期限内の別のICカードで登録されています。新規登録ではなく、ICカード更新を行ってください。"
            }
            Self::FormIncomplete => {
                "入力内容に不足または誤りがあります。入力欄を確認してください。"
            }
            Self::UnknownOrganization => "指定の調達機関が見つかりません。",
            Self::RenewalNotFound => {
                "この更新の手続きが見つかりません。もう一度最初からお試しください。"
            }
            Self::BadRequest => "要求の形式が正しくありません。",
            Self::RequestTooLarge => "要求が大きすぎるため、受け付けられません。",
            Self::RequestTimeout => {
                "要求の受信に時間がかかりすぎました。通信状況を確認して、もう一度お試しください。"
            }
            Self::UnknownRoute | Self::MethodNotAllowed => {
                "この操作はサーバにありません。お使いのソフトウェアのバージョンを確認してください。"
            }
            Self::RateLimited => {
                "ただいまアクセスが集中しています。しばらく待ってから、もう一度お試しください。"
            }
            Self::StorageUnavailable => {
                "サーバが登録内容を保存できない状態です。登録内容は変更されていません。時間をおいてお試しください。"
            }
            Self::ServerError => {
                "サーバで問題が発生しました。登録内容は変更されていません。時間をおいてお試しください。"
            }
        }
    }

    pub fn next_step(self) -> Option<NextStep> {
        match self {
            Self::CurrentCardExpired | Self::CurrentCardNotRegistered => {
                Some(NextStep::NewRegistration)
            }
            Self::CompanyDiffers | Self::HolderDiffers => Some(NextStep::Change),
            Self::HolderAlreadyRegistered => Some(NextStep::Renew),
            Self::VendorNotFound | Self::CompanyNameMismatch | Self::FormIncomplete => {
                Some(NextStep::Correct)
            }
            Self::CertificateRevoked
            | Self::UntrustedIssuer
            | Self::IssuerExpired
            | Self::NewCardHolderMissing => Some(NextStep::ContactIssuer),
            Self::SessionExpired | Self::SessionEnded => Some(NextStep::Login),
            Self::BadSignature
            | Self::ChallengeExpired
            | Self::ChallengeReplayed
            | Self::ChallengeMismatch
            | Self::RenewalNotFound
            | Self::RequestTimeout
            | Self::RateLimited
            | Self::StorageUnavailable
            | Self::RevocationUnavailable
            | Self::RevocationListOutOfDate
            | Self::ServerError => Some(NextStep::Retry),
            Self::CertificateExpired
            | Self::CertificateNotYetValid
            | Self::NoSigningKeyUsage
            | Self::NewCardAlreadyRegistered
            | Self::NewCardNotNewer
            | Self::BadCertificate
            | Self::NewCardCompanyMissing
            | Self::RegistrationPending
            | Self::CardCompanyDiffers
            | Self::CardAlreadyRegistered
            | Self::UnknownOrganization
            | Self::BadRequest
            | Self::RequestTooLarge
            | Self::UnknownRoute
            | Self::MethodNotAllowed => None,
        }
    }

    /// The HTTP status the server answers this refusal with.
    pub fn http_status(self) -> u16 {
        match self {
            Self::SessionExpired | Self::SessionEnded => 401,
            Self::UnknownOrganization | Self::RenewalNotFound | Self::UnknownRoute => 404,
            Self::MethodNotAllowed => 405,
            Self::RequestTimeout => 408,
            Self::RequestTooLarge => 413,
            Self::RateLimited => 429,
            Self::StorageUnavailable => 503,
            Self::BadRequest | Self::BadCertificate => 400,
            Self::ServerError => 500,
            // The server's revocation data, not the card, is missing or old: the service is unavailable for
            // that CA's cards until the operator acts, and clients may try again later.
            Self::RevocationUnavailable | Self::RevocationListOutOfDate => 503,
            Self::ChallengeReplayed
            | Self::NewCardAlreadyRegistered
            | Self::CardAlreadyRegistered
            | Self::HolderAlreadyRegistered => 409,
            Self::FormIncomplete => 422,
            _ => 403,
        }
    }
}

/// A refusal as it travels: the code, its Japanese message and the next step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub code: RefusalCode,
    pub message: String,
    pub next_step: Option<NextStep>,
}

impl From<RefusalCode> for Refusal {
    fn from(code: RefusalCode) -> Self {
        Self {
            code,
            message: code.message_ja().to_owned(),
            next_step: code.next_step(),
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Refusal {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_form_is_snake_case_with_japanese_message() {
        let refusal = Refusal::from(RefusalCode::CurrentCardExpired);
        let json = serde_json::to_string(&refusal).unwrap();
        assert!(
            json.starts_with(
                r#"{"code":"current_card_expired","message":"現在使用しているICカードが"#
            ),
            "{json}"
        );
        assert!(
            json.ends_with(r#""next_step":"new_registration"}"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Refusal>(&json).unwrap(), refusal);
    }

    #[test]
    fn company_and_holder_changes_lead_to_change() {
        assert_eq!(
            RefusalCode::CompanyDiffers.next_step(),
            Some(NextStep::Change)
        );
        assert_eq!(
            RefusalCode::HolderDiffers.next_step(),
            Some(NextStep::Change)
        );
        assert_eq!(RefusalCode::SessionExpired.http_status(), 401);
    }

    #[test]
    fn registration_refusals_say_what_to_do_instead() {
        assert_eq!(
            RefusalCode::HolderAlreadyRegistered.next_step(),
            Some(NextStep::Renew)
        );
        assert_eq!(
            RefusalCode::VendorNotFound.next_step(),
            Some(NextStep::Correct)
        );
        assert_eq!(RefusalCode::FormIncomplete.http_status(), 422);
        assert_eq!(RefusalCode::CardAlreadyRegistered.http_status(), 409);
        let json = serde_json::to_string(&RefusalCode::RegistrationPending).unwrap();
        assert_eq!(json, r#""registration_pending""#);
        assert!(
            RefusalCode::RegistrationPending
                .message_ja()
                .contains("仮登録")
        );
    }

    #[test]
    fn missing_or_old_revocation_data_is_the_servers_and_worth_a_retry() {
        for code in [
            RefusalCode::RevocationUnavailable,
            RefusalCode::RevocationListOutOfDate,
        ] {
            assert_eq!(code.http_status(), 503, "{code:?}");
            assert_eq!(code.next_step(), Some(NextStep::Retry), "{code:?}");
        }
        let json = serde_json::to_string(&RefusalCode::RevocationListOutOfDate).unwrap();
        assert_eq!(json, r#""revocation_list_out_of_date""#);
        assert_eq!(
            RefusalCode::IssuerExpired.next_step(),
            Some(NextStep::ContactIssuer)
        );
    }
}
