//! アプリの更新 as the screens show it: the running version, what the feed offers, the download's progress,
//! and a refusal with what to do.

use ebid_reminders::{jst_date, jst_date_string};
use serde::Serialize;
use ts_rs::TS;

use crate::error::AppError;
use crate::updates::Phase;
use crate::updates::UpdateOffer;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateView {
    pub current_version: String,
    pub state: UpdateStateView,
    /// A renewal is under way: why 【今すぐ更新】 waits for it; null when none is.
    pub renewal_under_way: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UpdateStateView {
    /// Not checked yet (no server, or the first check not answered).
    Idle,
    Checking,
    UpToDate,
    Available(OfferView),
    Downloading {
        offer: OfferView,
        #[ts(type = "number")]
        received: u64,
        #[ts(type = "number | null")]
        total: Option<u64>,
    },
    /// Downloaded and verified: installed when the renewal under way ends.
    Waiting {
        offer: OfferView,
    },
    Installing {
        offer: OfferView,
    },
    Failed {
        error: AppError,
        offer: Option<OfferView>,
    },
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct OfferView {
    pub version: String,
    pub notes: String,
    /// 公開日, as a JST date.
    pub published: Option<String>,
    /// Below the organization's minimum: installed without asking.
    pub mandatory: bool,
}

fn offer_view(offer: &UpdateOffer) -> OfferView {
    OfferView {
        version: offer.version.clone(),
        notes: offer.notes.clone(),
        published: offer.published.map(|at| jst_date_string(jst_date(at))),
        mandatory: offer.mandatory,
    }
}

pub(crate) fn update_state_view(phase: &Phase) -> UpdateStateView {
    match phase {
        Phase::Idle => UpdateStateView::Idle,
        Phase::Checking => UpdateStateView::Checking,
        Phase::UpToDate => UpdateStateView::UpToDate,
        Phase::Offered(offer) => UpdateStateView::Available(offer_view(offer)),
        Phase::Downloading {
            offer,
            received,
            total,
        } => UpdateStateView::Downloading {
            offer: offer_view(offer),
            received: *received,
            total: *total,
        },
        Phase::WaitingForRenewal(offer) => UpdateStateView::Waiting {
            offer: offer_view(offer),
        },
        Phase::Installing(offer) => UpdateStateView::Installing {
            offer: offer_view(offer),
        },
        Phase::Failed { failure, offer } => UpdateStateView::Failed {
            error: AppError::from(failure),
            offer: offer.as_ref().map(offer_view),
        },
    }
}
