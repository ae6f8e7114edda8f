//! A card as screen 0 and the PIN dialogs show it: who holds it, until when, and the PIN tries left.

use ebid_card::{PinStatus, Profile};
use ebid_workflow::CardReading;
use ebid_workflow::messages::pin_label;
use serde::Serialize;
use time::OffsetDateTime;
use ts_rs::TS;

/// What a card shows without a PIN try being spent.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CardView {
    /// The PC/SC reader it is in.
    pub reader: String,
    pub profile: CardProfile,
    /// ICカード取得者氏名; null for a JPKI card (read only after its password).
    pub holder: Option<String>,
    /// ICカード企業名称.
    pub company: Option<String>,
    /// 証明書シリアル番号.
    pub serial: Option<String>,
    /// 証明書有効期限, YYYY/MM/DD in JST.
    pub not_after_jst: Option<String>,
    /// Whole days to expiry at the server's time (the PC's before the server answered); negative once
    /// expired.
    pub days_left: Option<i32>,
    pub expired: bool,
    /// Tries left of the signing PIN; null when the card does not tell.
    pub tries_left: Option<u8>,
    pub pin_blocked: bool,
    /// "PIN番号", or "署名用パスワード" for JPKI.
    pub pin_label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CardProfile {
    Piv,
    Jpki,
    Pkcs11,
}

/// A reader and the card in it, if any (screen 0).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReaderSlot {
    pub reader: String,
    pub card: Option<CardView>,
    /// Why the card in it could not be read, in Japanese.
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Overview {
    pub readers: Vec<ReaderSlot>,
    /// None until a server is configured.
    pub server_url: Option<String>,
    /// Whether days left were counted by the server's clock (else by this PC's, the server not having
    /// answered yet).
    pub by_server_clock: bool,
}

/// The card in `reader` as read before its PIN, its expiry counted at `now`.
pub fn card_view(reader: &str, reading: &CardReading, now: OffsetDateTime) -> CardView {
    let facts = reading.certificate.as_ref().map(|c| c.facts());
    let days_left = facts.map(|f| {
        i32::try_from(f.days_until_expiry(now)).unwrap_or(if f.not_after < now {
            i32::MIN
        } else {
            i32::MAX
        })
    });
    CardView {
        reader: reader.to_owned(),
        profile: match reading.profile {
            Profile::Piv => CardProfile::Piv,
            Profile::Jpki => CardProfile::Jpki,
            Profile::Pkcs11 => CardProfile::Pkcs11,
        },
        holder: facts.and_then(|f| f.holder.clone()),
        company: facts.and_then(|f| f.company.clone()),
        serial: facts.map(|f| f.serial.clone()),
        not_after_jst: facts.map(|f| f.not_after_jst()),
        days_left,
        expired: facts.is_some_and(|f| f.not_after < now),
        tries_left: match reading.pin {
            PinStatus::TriesLeft(n) => Some(n),
            PinStatus::Blocked => Some(0),
            PinStatus::Verified | PinStatus::TriesUnknown { .. } => None,
        },
        pin_blocked: reading.pin == PinStatus::Blocked,
        pin_label: pin_label(reading.profile).to_owned(),
    }
}
