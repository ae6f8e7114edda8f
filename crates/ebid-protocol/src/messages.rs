//! What each route takes and gives.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::challenge::Purpose;
use crate::refusal::Refusal;
use crate::registering::Contact;
use crate::wire::base64_bytes;

/// The server's clock, the only one that counts (the manual's 『年月日時分』).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerTime {
    #[serde(with = "time::serde::rfc3339")]
    pub server_time: OffsetDateTime,
    pub protocol_version: u32,
}

/// A procurement organization (調達機関) and its categories.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    pub id: String,
    /// 「長崎県」.
    pub name: String,
    pub categories: Vec<Category>,
}

/// 工事・業務, 物品・役務.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: String,
    pub name: String,
}

/// Asks for a challenge to sign. A [`Purpose::RenewalNewCard`] challenge needs the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeRequest {
    pub organization: String,
    pub category: String,
    pub purpose: Purpose,
}

/// How the card signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureAlgorithm {
    RsaPkcs1Sha256,
    EcdsaP256Sha256,
}

/// A card's answer to a challenge: its certificate and its signature over
/// [`crate::Challenge::to_be_signed`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardProof {
    pub challenge_id: String,
    #[serde(with = "base64_bytes")]
    pub certificate: Vec<u8>,
    #[serde(with = "base64_bytes")]
    pub signature: Vec<u8>,
    pub algorithm: SignatureAlgorithm,
}

/// A session opened by a card login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    pub session_token: String,
    /// The session ends after this long without a request (about 10 minutes, as in the real system).
    pub idle_timeout_seconds: u64,
    pub menu: Menu,
}

/// 利用者登録メニュー: who is logged in and what they may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Menu {
    pub organization: String,
    pub category: String,
    pub company: Company,
    pub user: RegisteredUser,
    /// 【登録】 【変更】 【ICカード更新】, in the manual's order.
    pub items: Vec<MenuItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MenuItem {
    /// 登録 (新規登録).
    Register,
    /// 変更.
    Change,
    /// ICカード更新.
    Renew,
}

/// 業者概要: the company as the organization registered it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    /// 業者番号.
    pub vendor_number: String,
    /// 企業名称.
    pub name: String,
    /// 企業住所.
    pub address: String,
    /// 代表者氏名.
    pub representative: String,
    /// 電話番号.
    pub phone: String,
    /// 法人 or 個人事業主: whether a card must name the company.
    pub kind: CompanyKind,
}

/// Whether a company is registered as a corporation (法人) or a sole proprietor (個人事業主). It decides, not
/// the card, whether a new card must name the company: a corporation's card always does, while a sole
/// proprietor may renew with a personal card (a マイナンバーカード's signing certificate names no company).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompanyKind {
    /// 法人.
    Corporate,
    /// 個人事業主.
    SoleProprietor,
}

impl CompanyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Corporate => "corporate",
            Self::SoleProprietor => "sole_proprietor",
        }
    }

    /// The inverse of [`CompanyKind::as_str`].
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Corporate, Self::SoleProprietor]
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }
}

/// A registered user (登録利用者) and the certificate they log in with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredUser {
    pub id: i64,
    /// 取得者氏名 as registered.
    pub holder: String,
    pub certificate: CertificateEntry,
    /// 連絡先 as registered, which 変更 starts from (empty fields for a user registered without one).
    #[serde(default)]
    pub contact: Contact,
}

/// One certificate of a registered user, as 登録利用者一覧 lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateEntry {
    /// 証明書シリアル番号 (upper-case hex).
    pub serial: String,
    /// 証明書発行者.
    pub issuer: String,
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    /// 証明書有効期限 as the screens write it, `YYYY/MM/DD` in JST.
    pub not_after_jst: String,
    pub status: CertificateStatus,
    #[serde(with = "time::serde::rfc3339")]
    pub registered_at: OffsetDateTime,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    /// The card this user logs in with.
    Active,
    /// Replaced by 更新; kept in the history, refused at login.
    Superseded,
}

/// One column of 電子証明書更新確認.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardColumn {
    /// 企業名称, from the registration.
    pub company_name: String,
    /// 企業住所, from the registration.
    pub company_address: String,
    /// ICカード企業名称, from the certificate (JPKI has none).
    pub card_company: Option<String>,
    /// ICカード取得者氏名.
    pub card_holder: Option<String>,
    /// ICカード取得者住所.
    pub card_address: Option<String>,
    /// 証明書シリアル番号.
    pub serial: String,
    /// 証明書発行者.
    pub issuer: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    /// 証明書有効期限, `YYYY/MM/DD` in JST.
    pub not_after_jst: String,
}

/// The answer to the new card's proof: both columns of 電子証明書更新確認 and every rule 【更新】 would
/// break. With any violation, the commit is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewalConfirmation {
    pub renewal_id: String,
    /// 現在使用しているICカード.
    pub current: CardColumn,
    /// 新規に使用するICカード.
    pub new: CardColumn,
    pub violations: Vec<Refusal>,
}

/// 更新完了.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewalResult {
    pub renewal_id: String,
    pub organization: String,
    pub old_serial: String,
    pub new_serial: String,
    #[serde(with = "time::serde::rfc3339")]
    pub committed_at: OffsetDateTime,
}

/// 登録者情報: 業者概要 and 登録利用者一覧.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationInfo {
    pub organization: String,
    pub company: Company,
    pub users: Vec<RegisteredUserListing>,
}

/// One line of 登録利用者一覧: a user and every certificate they have had, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredUserListing {
    pub id: i64,
    pub holder: String,
    pub certificates: Vec<CertificateEntry>,
    /// 連絡先 as registered.
    #[serde(default)]
    pub contact: Contact,
}
