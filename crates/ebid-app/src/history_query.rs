//! 更新履歴's query: the screen's filters read into the history's, the attempts made views.

use ebid_history::{AttemptFilter, History};
use ebid_reminders::jst_midnight;
use time::Date;
use time::macros::format_description;

use crate::error::AppError;
use crate::views::{HistoryQuery, HistoryView, OutcomeKind, attempt_view, outcome_choices};

/// The attempts the screen's filters select, the newest first, and every organization for its list.
pub async fn history_view(
    history: &History,
    query: &HistoryQuery,
) -> Result<HistoryView, AppError> {
    let since = query
        .since
        .as_deref()
        .filter(|since| !since.is_empty())
        .map(parse_date)
        .transpose()?;
    let attempts = history
        .attempts(&AttemptFilter {
            organization: query.organization.clone().filter(|o| !o.is_empty()),
            since: since.map(jst_midnight),
            outcome: query.outcome.map(OutcomeKind::filter),
            limit: None,
        })
        .await?;
    let mut organizations: Vec<String> = history
        .attempts(&AttemptFilter::default())
        .await?
        .into_iter()
        .map(|attempt| attempt.start.organization)
        .collect();
    organizations.sort();
    organizations.dedup();
    Ok(HistoryView {
        attempts: attempts.iter().map(attempt_view).collect(),
        organizations,
        outcome_choices: outcome_choices(),
    })
}

/// A date input's value (YYYY-MM-DD).
fn parse_date(text: &str) -> Result<Date, AppError> {
    // The screen's date input always sends this form: anything else is the app's own fault.
    Date::parse(text, format_description!("[year]-[month]-[day]")).map_err(|_| {
        AppError::internal(format!(
            "内部エラー: 日付 {text} を読み取れません（YYYY-MM-DD の形で指定してください）。"
        ))
    })
}
