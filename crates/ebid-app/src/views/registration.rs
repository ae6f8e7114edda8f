//! 更新完了, and 登録者情報 (「業者概要」 and 「登録利用者一覧」) after it.

use ebid_protocol::{
    CertificateEntry, CertificateStatus, Company, Contact, RegistrationInfo, RenewalResult,
};
use ebid_workflow::jst_minutes;
use ebid_workflow::messages::certificate_status;
use serde::Serialize;
use ts_rs::TS;

/// 更新完了.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResultView {
    pub organization_name: String,
    pub old_serial: String,
    pub new_serial: String,
    /// "2011年04月22日 14時33分".
    pub committed_at: String,
    /// Why this renewal could not be (fully) recorded in the local history, said once; the renewal itself
    /// is done.
    pub history_problem: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CertificateRow {
    pub serial: String,
    pub issuer: String,
    pub not_after_jst: String,
    pub status: CertificateStatus,
    /// 使用中 / 更新済み（使用不可）.
    pub status_text: String,
    pub registered_at: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UserRow {
    pub holder: String,
    pub certificates: Vec<CertificateRow>,
    /// 連絡先 as registered (what 変更 changes).
    pub contact: Contact,
}

/// 登録者情報: 業者概要 and 登録利用者一覧.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InfoView {
    pub organization_name: String,
    /// 業者概要.
    pub company: Company,
    pub users: Vec<UserRow>,
}

pub fn result_view(
    result: &RenewalResult,
    organization_name: &str,
    history_problem: Option<String>,
) -> ResultView {
    ResultView {
        organization_name: organization_name.to_owned(),
        old_serial: result.old_serial.clone(),
        new_serial: result.new_serial.clone(),
        committed_at: jst_minutes(result.committed_at),
        history_problem,
    }
}

pub fn info_view(info: &RegistrationInfo, organization_name: &str) -> InfoView {
    InfoView {
        organization_name: organization_name.to_owned(),
        company: info.company.clone(),
        users: info
            .users
            .iter()
            .map(|user| UserRow {
                holder: user.holder.clone(),
                certificates: user.certificates.iter().map(certificate_row).collect(),
                contact: user.contact.clone(),
            })
            .collect(),
    }
}

fn certificate_row(entry: &CertificateEntry) -> CertificateRow {
    CertificateRow {
        serial: entry.serial.clone(),
        issuer: entry.issuer.clone(),
        not_after_jst: entry.not_after_jst.clone(),
        status: entry.status,
        status_text: certificate_status(entry.status).to_owned(),
        registered_at: jst_minutes(entry.registered_at),
    }
}
