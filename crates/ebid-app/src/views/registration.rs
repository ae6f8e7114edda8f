//! 更新完了, and 登録者情報 (「業者概要」 and 「登録利用者一覧」) after it.

use ebid_protocol::{CertificateEntry, CertificateStatus, RegistrationInfo, RenewalResult};
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatusView {
    Active,
    Superseded,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CertificateRow {
    pub serial: String,
    pub issuer: String,
    pub not_after_jst: String,
    pub status: CertificateStatusView,
    /// 使用中 / 更新済み（使用不可）.
    pub status_text: String,
    pub registered_at: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UserRow {
    pub holder: String,
    pub certificates: Vec<CertificateRow>,
}

/// 業者概要.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CompanyView {
    pub vendor_number: String,
    pub name: String,
    pub address: String,
    pub representative: String,
    pub phone: String,
}

/// 登録者情報: 業者概要 and 登録利用者一覧.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InfoView {
    pub organization_name: String,
    pub company: CompanyView,
    pub users: Vec<UserRow>,
}

pub fn result_view(result: &RenewalResult, organization_name: &str) -> ResultView {
    ResultView {
        organization_name: organization_name.to_owned(),
        old_serial: result.old_serial.clone(),
        new_serial: result.new_serial.clone(),
        committed_at: jst_minutes(result.committed_at),
    }
}

pub fn info_view(info: &RegistrationInfo, organization_name: &str) -> InfoView {
    let company = &info.company;
    InfoView {
        organization_name: organization_name.to_owned(),
        company: CompanyView {
            vendor_number: company.vendor_number.clone(),
            name: company.name.clone(),
            address: company.address.clone(),
            representative: company.representative.clone(),
            phone: company.phone.clone(),
        },
        users: info
            .users
            .iter()
            .map(|user| UserRow {
                holder: user.holder.clone(),
                certificates: user.certificates.iter().map(certificate_row).collect(),
            })
            .collect(),
    }
}

fn certificate_row(entry: &CertificateEntry) -> CertificateRow {
    CertificateRow {
        serial: entry.serial.clone(),
        issuer: entry.issuer.clone(),
        not_after_jst: entry.not_after_jst.clone(),
        status: match entry.status {
            CertificateStatus::Active => CertificateStatusView::Active,
            CertificateStatus::Superseded => CertificateStatusView::Superseded,
        },
        status_text: certificate_status(entry.status).to_owned(),
        registered_at: jst_minutes(entry.registered_at),
    }
}
