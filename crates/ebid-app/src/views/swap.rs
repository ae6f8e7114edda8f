//! What happens while the app waits for the new card (screen 7), sent as the event `swap-progress`.

use ebid_workflow::messages::{swap_event, swap_look};
use ebid_workflow::readers::SwapEvent;
use ebid_workflow::swap_glance::SwapLook;
use serde::Serialize;
use ts_rs::TS;

/// While waiting for the new card: what happened (the wait's channel), or what 【OK】 found.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SwapProgress {
    pub kind: SwapProgressKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SwapProgressKind {
    CardRemoved,
    SameCard,
    Unreadable,
    /// 【OK】: a new card is in; the wait takes it.
    NewCardIn,
    /// 【OK】: the logged-in card is still in its reader.
    CurrentCardStillIn,
    /// 【OK】: no card in the logged-in card's reader.
    NoCard,
}

impl From<SwapEvent> for SwapProgress {
    fn from(event: SwapEvent) -> Self {
        let kind = match event {
            SwapEvent::CardRemoved => SwapProgressKind::CardRemoved,
            SwapEvent::SameCard => SwapProgressKind::SameCard,
            SwapEvent::Unreadable(_) => SwapProgressKind::Unreadable,
        };
        Self {
            kind,
            message: swap_event(&event),
        }
    }
}

impl From<SwapLook> for SwapProgress {
    fn from(look: SwapLook) -> Self {
        let kind = match look {
            SwapLook::NewCardIn => SwapProgressKind::NewCardIn,
            SwapLook::CurrentCardStillIn => SwapProgressKind::CurrentCardStillIn,
            SwapLook::NoCard => SwapProgressKind::NoCard,
            SwapLook::Unreadable(_) => SwapProgressKind::Unreadable,
        };
        Self {
            kind,
            message: swap_look(&look),
        }
    }
}
