//! 【登録】's receipt: 登録完了, or 仮登録 awaiting the organization's approval, with what the user keeps.

use ebid_protocol::{RegistrationReceipt, RegistrationState};
use ebid_workflow::jst_minutes;
use ebid_workflow::messages::{registration_state, registration_state_note};
use serde::Serialize;
use ts_rs::TS;

/// The answer to 新規登録.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReceiptView {
    pub organization_name: String,
    pub state: RegistrationState,
    /// 登録完了 / 仮登録.
    pub state_text: String,
    /// What the state means and what to do next.
    pub note: String,
    /// 受付番号: what the organization's administrator approves by.
    pub application_id: String,
    pub company_name: String,
    pub holder: String,
    pub serial: String,
    /// The lapsed card this registration replaces, for a re-registration.
    pub replaced_serial: Option<String>,
    /// "2011年04月22日 14時33分".
    pub applied_at: String,
}

pub fn receipt_view(receipt: &RegistrationReceipt, organization_name: &str) -> ReceiptView {
    ReceiptView {
        organization_name: organization_name.to_owned(),
        state: receipt.state,
        state_text: registration_state(receipt.state).to_owned(),
        note: registration_state_note(receipt.state).to_owned(),
        application_id: receipt.application_id.clone(),
        company_name: receipt.company.name.clone(),
        holder: receipt.holder.clone(),
        serial: receipt.serial.clone(),
        replaced_serial: receipt.replaced_serial.clone(),
        applied_at: jst_minutes(receipt.applied_at),
    }
}
