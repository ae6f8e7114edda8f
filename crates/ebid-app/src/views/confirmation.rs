//! 電子証明書更新確認: both columns, the new card's values that differ from the registration, and the rules
//! 【更新】 would break.

use ebid_protocol::{CardColumn, NextStep, Refusal, RefusalCode, RenewalConfirmation};
use ebid_workflow::sheets::CONFIRMATION_LABELS;
use ebid_workflow::{changed_fields, next_step_ja};
use serde::Serialize;
use ts_rs::TS;

/// The rows of 電子証明書更新確認, named as the fields of [`CardColumn`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
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

impl FieldKey {
    /// Every row in the manual's order: that of the paper's labels ([`CONFIRMATION_LABELS`]).
    pub const ALL: [FieldKey; 8] = [
        Self::CompanyName,
        Self::CompanyAddress,
        Self::CardCompany,
        Self::CardHolder,
        Self::CardAddress,
        Self::Serial,
        Self::Issuer,
        Self::NotAfterJst,
    ];

    /// The row's label, as the manual (and the paper) has it.
    pub fn label_ja(self) -> &'static str {
        CONFIRMATION_LABELS[self as usize]
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
/// A next step and its words.
pub struct NextStepView {
    pub kind: NextStep,
    pub text: String,
}

impl From<NextStep> for NextStepView {
    fn from(step: NextStep) -> Self {
        Self {
            kind: step,
            text: next_step_ja(step).to_owned(),
        }
    }
}

/// A rule that refused, as the server (or the workflow, first) named it, with its next step's words.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleView {
    pub code: RefusalCode,
    pub message: String,
    pub next_step: Option<NextStepView>,
}

impl From<&Refusal> for RuleView {
    fn from(refusal: &Refusal) -> Self {
        Self {
            code: refusal.code,
            message: refusal.message.clone(),
            next_step: refusal.next_step.map(NextStepView::from),
        }
    }
}

/// 電子証明書更新確認.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmationView {
    pub current: CardColumn,
    pub new: CardColumn,
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
        current: confirmation.current.clone(),
        new: confirmation.new.clone(),
        differences,
        violations: confirmation.violations.iter().map(RuleView::from).collect(),
        can_renew: confirmation.violations.is_empty(),
    }
}
