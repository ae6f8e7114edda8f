//! 電子証明書更新確認: both columns, the new card's values that differ from the registration, and the rules
//! 【更新】 would break.

use ebid_protocol::{CardColumn, NextStep, Refusal, RenewalConfirmation};
use ebid_workflow::{changed_fields, next_step_ja};
use serde::Serialize;
use ts_rs::TS;

/// The rows of 電子証明書更新確認, named as the columns' fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum FieldKey {
    CompanyName,
    CompanyAddress,
    CardCompany,
    CardHolder,
    CardAddress,
    Serial,
    Issuer,
    NotAfterJst,
}

/// One column of 電子証明書更新確認.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ColumnView {
    pub company_name: String,
    pub company_address: String,
    pub card_company: Option<String>,
    pub card_holder: Option<String>,
    pub card_address: Option<String>,
    pub serial: String,
    pub issuer: String,
    pub not_after_jst: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NextStepKind {
    NewRegistration,
    Change,
    Retry,
    Login,
    ContactIssuer,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NextStepView {
    pub kind: NextStepKind,
    pub text: String,
}

impl From<NextStep> for NextStepView {
    fn from(step: NextStep) -> Self {
        Self {
            kind: match step {
                NextStep::NewRegistration => NextStepKind::NewRegistration,
                NextStep::Change => NextStepKind::Change,
                NextStep::Retry => NextStepKind::Retry,
                NextStep::Login => NextStepKind::Login,
                NextStep::ContactIssuer => NextStepKind::ContactIssuer,
            },
            text: next_step_ja(step).to_owned(),
        }
    }
}

/// A rule that refused, as the server (or the workflow, first) named it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleView {
    pub code: String,
    pub message: String,
    pub next_step: Option<NextStepView>,
}

impl From<&Refusal> for RuleView {
    fn from(refusal: &Refusal) -> Self {
        Self {
            code: refusal_code_name(refusal),
            message: refusal.message.clone(),
            next_step: refusal.next_step.map(NextStepView::from),
        }
    }
}

/// The rule's wire name (e.g. `current_card_expired`), the same string the server sends.
pub(crate) fn refusal_code_name(refusal: &Refusal) -> String {
    match serde_json::to_value(refusal.code) {
        Ok(serde_json::Value::String(name)) => name,
        // The code is a unit enum serialized as its name; anything else would be a protocol change.
        _ => format!("{:?}", refusal.code),
    }
}

/// 電子証明書更新確認.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmationView {
    pub current: ColumnView,
    pub new: ColumnView,
    /// Fields of the new column that differ from the registration: highlight them.
    pub differences: Vec<FieldKey>,
    /// Rules 【更新】 would break; with any, 【更新】 is blocked.
    pub violations: Vec<RuleView>,
    pub can_renew: bool,
}

pub fn confirmation_view(confirmation: &RenewalConfirmation) -> ConfirmationView {
    let changed = changed_fields(confirmation);
    let differences = [
        (changed.card_company, FieldKey::CardCompany),
        (changed.card_holder, FieldKey::CardHolder),
        (changed.card_address, FieldKey::CardAddress),
        (changed.issuer, FieldKey::Issuer),
    ]
    .into_iter()
    .filter_map(|(differs, key)| differs.then_some(key))
    .collect();
    ConfirmationView {
        current: column_view(&confirmation.current),
        new: column_view(&confirmation.new),
        differences,
        violations: confirmation.violations.iter().map(RuleView::from).collect(),
        can_renew: confirmation.violations.is_empty(),
    }
}

fn column_view(column: &CardColumn) -> ColumnView {
    ColumnView {
        company_name: column.company_name.clone(),
        company_address: column.company_address.clone(),
        card_company: column.card_company.clone(),
        card_holder: column.card_holder.clone(),
        card_address: column.card_address.clone(),
        serial: column.serial.clone(),
        issuer: column.issuer.clone(),
        not_after_jst: column.not_after_jst.clone(),
    }
}
