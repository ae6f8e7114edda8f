//! まとめて更新: ICカード更新 at several 調達機関 with the same two cards, each place's state as the screens
//! show it (its 電子証明書更新確認, its 更新完了, or why it was refused and what to do).

use ebid_workflow::messages::place_summary;
use ebid_workflow::pass::{PlaceOutcome, PlaceStatus};
use serde::Serialize;
use ts_rs::TS;

use super::{ConfirmationView, ResultView, confirmation_view, result_view};
use crate::error::AppError;

/// Where one place of the pass stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PassPlaceState {
    Waiting,
    LoggedIn,
    Refused,
    Confirming,
    Committed,
    CommitFailed,
}

/// One place of the pass.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PassPlaceView {
    /// The server's ids, to renew this place alone.
    pub organization: String,
    pub category: String,
    pub organization_name: String,
    pub category_name: String,
    pub state: PassPlaceState,
    /// One line: the place and what happened there.
    pub summary: String,
    /// Why this place was refused or its 【更新】 failed, with the next step.
    pub error: Option<AppError>,
    pub confirmation: Option<ConfirmationView>,
    pub result: Option<ResultView>,
}

/// The pass after a step.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PassView {
    pub places: Vec<PassPlaceView>,
    /// The card's PIN is needed again before the next place: the PIN dialog's words.
    pub pin_again: Option<String>,
    /// Why the renewals could not be (fully) recorded in the local history, said once.
    pub history_problem: Option<String>,
}

pub fn pass_place_view(outcome: &PlaceOutcome<'_>) -> PassPlaceView {
    let place = outcome.place;
    let state = match outcome.status {
        PlaceStatus::Waiting => PassPlaceState::Waiting,
        PlaceStatus::LoggedIn => PassPlaceState::LoggedIn,
        PlaceStatus::Refused(_) => PassPlaceState::Refused,
        PlaceStatus::Confirming(_) => PassPlaceState::Confirming,
        PlaceStatus::Committed(_) => PassPlaceState::Committed,
        PlaceStatus::CommitFailed(_) => PassPlaceState::CommitFailed,
    };
    PassPlaceView {
        organization: place.organization.clone(),
        category: place.category.clone(),
        organization_name: place.names.organization.clone(),
        category_name: place.names.category.clone(),
        state,
        summary: place_summary(place, outcome.status),
        error: outcome.status.error().map(AppError::from),
        confirmation: match outcome.status {
            PlaceStatus::Confirming(confirmation) => Some(confirmation_view(confirmation)),
            _ => None,
        },
        result: match outcome.status {
            PlaceStatus::Committed(result) => {
                Some(result_view(result, &place.names.organization, None))
            }
            _ => None,
        },
    }
}
