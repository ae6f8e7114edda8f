//! 更新履歴: every renewal begun on this PC, step by step, filtered by 調達機関, period and outcome.

use ebid_history::{Attempt, Outcome, OutcomeFilter, Step};
use ebid_workflow::jst_minutes;
use ebid_workflow::messages::{attempt_outcome, attempt_outcome_kind, renewal_step};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The screen's filters; each one left empty selects everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HistoryQuery {
    pub organization: Option<String>,
    /// Begun on or after this JST date, YYYY-MM-DD.
    pub since: Option<String>,
    pub outcome: Option<OutcomeKind>,
}

/// How an attempt ended, for the filter and the row's colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    Committed,
    Refused,
    Cancelled,
    InProgress,
    Interrupted,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HistoryView {
    /// The newest first.
    pub attempts: Vec<AttemptView>,
    /// Every 調達機関 in the history, for the filter's list.
    pub organizations: Vec<String>,
    /// The outcome filter's choices, in words.
    pub outcome_choices: Vec<OutcomeChoice>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutcomeChoice {
    pub kind: OutcomeKind,
    pub label: String,
}

/// Every outcome, in the order a user looks for them, with the words the rows use.
pub fn outcome_choices() -> Vec<OutcomeChoice> {
    [
        (OutcomeKind::Committed, Outcome::Committed),
        (OutcomeKind::Interrupted, Outcome::Interrupted),
        (
            OutcomeKind::Refused,
            Outcome::Refused {
                code: String::new(),
            },
        ),
        (OutcomeKind::Cancelled, Outcome::Cancelled),
    ]
    .into_iter()
    .map(|(kind, outcome)| OutcomeChoice {
        kind,
        label: attempt_outcome_kind(&outcome).to_owned(),
    })
    .collect()
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttemptView {
    pub id: i64,
    /// When it began, in JST.
    pub started_at: String,
    pub organization: String,
    pub category: String,
    /// 担当者.
    pub holder: Option<String>,
    pub old_serial: String,
    pub new_serial: Option<String>,
    pub outcome: OutcomeKind,
    /// The outcome in words (更新完了, 中断, 拒否（code） …).
    pub outcome_label: String,
    /// The refusal's code, when refused.
    pub outcome_code: Option<String>,
    pub steps: Vec<StepView>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StepView {
    pub at: String,
    /// The step in words (現在のICカードでログイン …).
    pub step: String,
    /// `ok`, or the refusal's code.
    pub outcome_code: String,
}

pub fn attempt_view(attempt: &Attempt) -> AttemptView {
    let (outcome, outcome_code) = match &attempt.outcome {
        Outcome::Committed => (OutcomeKind::Committed, None),
        Outcome::Refused { code } => (OutcomeKind::Refused, Some(code.clone())),
        Outcome::Cancelled => (OutcomeKind::Cancelled, None),
        Outcome::InProgress => (OutcomeKind::InProgress, None),
        Outcome::Interrupted => (OutcomeKind::Interrupted, None),
    };
    AttemptView {
        id: attempt.id.get(),
        started_at: jst_minutes(attempt.started_at),
        organization: attempt.start.organization.clone(),
        category: attempt.start.category.clone(),
        holder: attempt.start.holder.clone(),
        old_serial: attempt.start.old_serial.clone(),
        new_serial: attempt.new_serial.clone(),
        outcome,
        outcome_label: attempt_outcome(&attempt.outcome),
        outcome_code,
        steps: attempt.steps.iter().map(step_view).collect(),
    }
}

fn step_view(step: &Step) -> StepView {
    StepView {
        at: jst_minutes(step.at),
        step: renewal_step(&step.step).to_owned(),
        outcome_code: step.outcome_code.clone(),
    }
}

impl OutcomeKind {
    /// The history's filter for this kind: an attempt in progress elsewhere and one interrupted look the
    /// same in the file (unfinished).
    pub fn filter(self) -> OutcomeFilter {
        match self {
            Self::Committed => OutcomeFilter::Committed,
            Self::Refused => OutcomeFilter::Refused,
            Self::Cancelled => OutcomeFilter::Cancelled,
            Self::InProgress | Self::Interrupted => OutcomeFilter::Unfinished,
        }
    }
}
