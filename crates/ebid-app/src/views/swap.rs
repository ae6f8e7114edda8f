//! What happens while the app waits for the new card (screen 7), sent as the event `swap-progress`.

use ebid_workflow::messages::swap_event;
use ebid_workflow::readers::SwapEvent;
use serde::Serialize;
use ts_rs::TS;

/// While waiting for the new card (event "swap-progress").
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
