//! What happens while the app waits for the new card (screen 7), sent as the event `swap-progress`.

use ebid_workflow::messages::renewal_error;
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
        match event {
            SwapEvent::CardRemoved => Self {
                kind: SwapProgressKind::CardRemoved,
                message: "ICカードが抜かれました。新しく取得したICカードを挿入してください。"
                    .to_owned(),
            },
            SwapEvent::SameCard => Self {
                kind: SwapProgressKind::SameCard,
                message: "同じICカードです。新しく取得したICカードを挿入してください。".to_owned(),
            },
            SwapEvent::Unreadable(error) => Self {
                kind: SwapProgressKind::Unreadable,
                message: renewal_error(&error),
            },
        }
    }
}
