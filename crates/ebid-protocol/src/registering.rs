//! What 登録 (新規登録) and 変更 take and give: the details an organization asks of a registered user
//! beyond the card, the application a card signs for, and the change a logged-in user makes.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::messages::{CardProof, Company, RegistrationInfo};

/// 連絡先: whom the organization contacts about this user's bids and card (the ICカード利用部署).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// 連絡先名称（部署名等）.
    pub department: String,
    /// 連絡先氏名.
    pub name: String,
    /// 連絡先住所.
    pub address: String,
    /// 連絡先電話番号.
    pub phone: String,
    /// 連絡先E-mail.
    pub email: String,
}

/// 新規登録: a card's proof over a [`crate::Purpose::Registration`] challenge (no session: the card is not
/// registered yet, or its registration lapsed) and what the organization asks beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationApplication {
    pub proof: CardProof,
    #[serde(flatten)]
    pub details: RegistrationDetails,
}

/// What 新規登録 asks beside the card, as the user types it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationDetails {
    /// 業者番号, as the organization's list of qualified companies (入札参加資格者名簿) has it.
    pub vendor_number: String,
    /// 商号又は名称, which must be that company's in the list.
    pub company_name: String,
    pub contact: Contact,
    /// 担当者: who applies (the PIN dialog's field), recorded with the application.
    pub operator: String,
}

/// Where a registration stands.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationState {
    /// 登録完了: the card logs in now.
    Active,
    /// 仮登録: the organization's administrator must approve it before the card logs in.
    Pending,
}

/// The server's answer to a [`RegistrationApplication`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationReceipt {
    /// The application's id, which the administrator approves (`ebid-server admin approve`).
    pub application_id: String,
    pub organization: String,
    pub category: String,
    pub state: RegistrationState,
    /// 取得者氏名, from the card.
    pub holder: String,
    /// The registered card's 証明書シリアル番号.
    pub serial: String,
    /// 再登録: the lapsed card of the same holder this registration replaces, if any.
    pub replaced_serial: Option<String>,
    /// 業者概要 of the company the user is registered under.
    pub company: Company,
    #[serde(with = "time::serde::rfc3339")]
    pub applied_at: OffsetDateTime,
}

/// 変更: what a logged-in user may change of the registration. The company's name (商号) and the card's
/// holder are not here: a new name is the organization's to record (after its 変更届), and another holder
/// registers with their own card (新規登録).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationChange {
    /// 企業住所.
    pub company_address: String,
    /// 代表者氏名.
    pub representative: String,
    /// 電話番号.
    pub phone: String,
    /// The logged-in user's 連絡先.
    pub contact: Contact,
    /// 担当者: who made the change, recorded with it.
    pub operator: String,
}

/// The answer to a [`RegistrationChange`]: 登録者情報 as it now stands, for 「変更内容を確認してください」.
pub type ChangeResult = RegistrationInfo;

/// 【更新】's body: who commits (the 担当者 typed on the current card's PIN dialog), recorded with the renewal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewalCommit {
    pub operator: String,
}
