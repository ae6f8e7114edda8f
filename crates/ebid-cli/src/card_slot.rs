//! The readers as `ebid renew` and `ebid info` use them: which card is where (read without a PIN), which
//! reader a `--reader` means, and the card shown before its PIN is asked.

use anyhow::{anyhow, bail};
use ebid_card::Pcsc;
use ebid_workflow::readers::{ReaderCard, find_cards};
use ebid_workflow::{CardReading, ServerClock};

use ebid_workflow::messages;

use crate::facts_view;
use crate::narration::Narration;

pub fn establish() -> anyhow::Result<Pcsc> {
    Pcsc::establish().map_err(|e| anyhow!(messages::transport_error(&e)))
}

/// Prints each reader holding a card and what the card is, so that the user sees which card is where.
pub fn print_overview(pcsc: &Pcsc) -> anyhow::Result<()> {
    let cards = find_cards(pcsc).map_err(|e| anyhow!(messages::transport_error(&e)))?;
    println!("ICカードリーダー:");
    if cards.is_empty() {
        println!("  （ICカードが挿入されていません）");
    }
    for ReaderCard { reader, card } in &cards {
        let what = match card {
            Ok(reading) => describe(reading),
            Err(error) => messages::renewal_error(error),
        };
        println!("  {reader}: {what}");
    }
    Ok(())
}

fn describe(reading: &CardReading) -> String {
    match &reading.certificate {
        Some(certificate) => {
            let facts = certificate.facts();
            format!(
                "{}  {}  シリアル {}  有効期限 {}",
                reading.profile.name(),
                facts.holder.as_deref().unwrap_or("—"),
                facts.serial,
                facts.not_after_jst()
            )
        }
        None => format!(
            "{}（証明書は署名用パスワードの入力後に読み取ります）",
            reading.profile.name()
        ),
    }
}

/// The reader a `--reader` argument means: its index as `ebid card list` numbers readers, or part of its
/// name; without one, the first reader holding a card.
pub fn choose(pcsc: &Pcsc, wanted: Option<&str>) -> anyhow::Result<String> {
    let readers = pcsc
        .readers()
        .map_err(|e| anyhow!(messages::transport_error(&e)))?;
    if readers.is_empty() {
        bail!("ICカードリーダーが接続されていません。");
    }
    let chosen = match wanted {
        None => readers.iter().find(|r| r.card_atr.is_some()),
        Some(wanted) => match wanted.parse::<usize>() {
            Ok(index) => readers.get(index),
            Err(_) => readers.iter().find(|r| r.name.contains(wanted)),
        },
    };
    match chosen {
        Some(reader) => Ok(reader.name.clone()),
        None if wanted.is_none() => bail!("ICカードが挿入されていません。"),
        None => {
            bail!("指定のICカードリーダーが見つかりません。`ebid card list` で確認してください。")
        }
    }
}

/// The card in `reader` as the user checks it before typing its PIN: its facts and days left, counted at
/// the server's time.
pub fn print_card(reader: &str, reading: &CardReading, clock: &ServerClock, to: Narration) {
    to.line(format_args!("ICカードリーダー      : {reader}"));
    to.line(format_args!(
        "カードの種類          : {}",
        reading.profile.name()
    ));
    match &reading.certificate {
        Some(certificate) => {
            let facts = certificate.facts();
            facts_view::print(facts, to);
            to.line(format_args!(
                "有効期限まで          : {}",
                facts_view::days_phrase(facts.days_until_expiry(clock.now()))
            ));
        }
        None => to.line(
            "（マイナンバーカードの署名用電子証明書は、署名用パスワードの入力後に読み取ります）",
        ),
    }
}
