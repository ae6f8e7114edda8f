//! `ebid card list` and `ebid card show`: the cards in the readers, through PC/SC.

use anyhow::{Context, anyhow};
use ebid_card::{CardError, Pcsc, PinStatus};
use serde::Serialize;
use time::OffsetDateTime;

use ebid_workflow::messages;

use crate::narration::Narration;
use crate::{card_slot, facts_view, pin_prompt};

#[derive(Serialize)]
struct ListedReader {
    index: usize,
    reader: String,
    card: bool,
    /// "JPKI", "PIV", or null when no card is in or it speaks neither.
    profile: Option<&'static str>,
    atr: Option<String>,
}

pub fn list(json: bool) -> anyhow::Result<()> {
    let pcsc = Pcsc::establish().map_err(|e| anyhow!(messages::transport_error(&e)))?;
    let readers = pcsc
        .readers()
        .map_err(|e| anyhow!(messages::transport_error(&e)))?;
    let listed: Vec<ListedReader> = readers
        .iter()
        .enumerate()
        .map(|(index, reader)| ListedReader {
            index,
            reader: reader.name.clone(),
            card: reader.card_atr.is_some(),
            profile: reader
                .card_atr
                .as_ref()
                .and_then(|_| profile_of(&pcsc, &reader.name)),
            atr: reader.card_atr.as_deref().map(hex),
        })
        .collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&listed)?);
        return Ok(());
    }
    if listed.is_empty() {
        println!("ICカードリーダーが接続されていません。");
    }
    for reader in &listed {
        let card = match (reader.card, reader.profile) {
            (false, _) => "カードなし".to_owned(),
            (true, Some(profile)) => format!("カードあり ({profile})"),
            (true, None) => "カードあり (読み取れないカード)".to_owned(),
        };
        println!("{}: {}  {}", reader.index, reader.reader, card);
    }
    Ok(())
}

/// The profile of the card in a reader; `None` when it cannot be opened (in use, or neither JPKI nor PIV).
fn profile_of(pcsc: &Pcsc, reader: &str) -> Option<&'static str> {
    let mut card = pcsc.connect(reader).ok()?;
    let transaction = card.transaction().ok()?;
    ebid_card::open(transaction)
        .ok()
        .map(|card| card.profile().name())
}

#[derive(Serialize)]
struct ShownCard<'a> {
    reader: &'a str,
    profile: &'static str,
    #[serde(flatten)]
    facts: &'a ebid_cert::Facts,
    days_to_expiry: i64,
    /// Tries left of the signing PIN when the command started; null when blocked.
    pin_tries_left: Option<u8>,
    pin_blocked: bool,
}

pub fn show(
    reader: Option<&str>,
    json: bool,
    pin_stdin: bool,
    count_apdus: bool,
) -> anyhow::Result<()> {
    let pcsc = Pcsc::establish().map_err(|e| anyhow!(messages::transport_error(&e)))?;
    let chosen = card_slot::choose(&pcsc, reader)?;
    let mut connection = pcsc
        .connect(&chosen)
        .map_err(|e| anyhow!(messages::transport_error(&e)))?;
    let transaction = connection
        .transaction()
        .map_err(|e| anyhow!(messages::transport_error(&e)))?;
    let mut card = ebid_card::open(transaction).map_err(|e| anyhow!(messages::card_error(&e)))?;
    let card_error = |e: CardError| anyhow!(messages::card_error(&e));

    let status = card.pin_status().map_err(card_error)?;
    if card.certificate_needs_pin() {
        let pin = pin_prompt::ask(messages::pin_label(card.profile()), status, pin_stdin)?;
        card.verify_pin(&pin).map_err(card_error)?;
    }
    let der = card.signing_certificate().map_err(card_error)?;
    if count_apdus {
        eprintln!("APDUs: {}", card.apdus_sent());
    }
    let certificate =
        ebid_cert::parse_certificate(&der).context("ICカードの証明書を読み取れません")?;
    let facts = certificate.facts();
    let days_to_expiry = facts.days_until_expiry(OffsetDateTime::now_utc());
    let (pin_tries_left, pin_blocked) = match status {
        PinStatus::TriesLeft(n) => (Some(n), false),
        PinStatus::Verified | PinStatus::TriesUnknown { .. } => (None, false),
        PinStatus::Blocked => (None, true),
    };
    if json {
        let shown = ShownCard {
            reader: &chosen,
            profile: card.profile().name(),
            facts,
            days_to_expiry,
            pin_tries_left,
            pin_blocked,
        };
        println!("{}", serde_json::to_string_pretty(&shown)?);
    } else {
        println!("ICカードリーダー      : {}", chosen);
        println!("カードの種類          : {}", card.profile().name());
        facts_view::print(facts, Narration::Stdout);
        println!(
            "有効期限まで          : {}",
            facts_view::days_phrase(days_to_expiry)
        );
        println!(
            "PIN番号の残り回数     : {}",
            match status {
                PinStatus::TriesLeft(n) => format!("{n}回"),
                PinStatus::Verified => "確認済み".to_owned(),
                PinStatus::Blocked => "ロック中".to_owned(),
                PinStatus::TriesUnknown { low: false } => "不明".to_owned(),
                PinStatus::TriesUnknown { low: true } => "不明（間違いあり）".to_owned(),
            }
        );
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}
