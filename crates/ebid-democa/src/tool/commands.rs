//! `ebid-vcard …`: the demo CA's virtual cards in vpcd's readers.

use std::path::Path;

use anyhow::{Context, bail};
use ebid_democa::DemoSet;
use ebid_vcard::control::{self, Reply, Request};
use time::OffsetDateTime;

pub fn generate(out: &Path) -> anyhow::Result<()> {
    let set = ebid_democa::generate(out, OffsetDateTime::now_utc())
        .context("デモ用カードを作れません")?;
    println!("デモ用の認証局とICカードを {} に作りました:", out.display());
    for card in &set.cards {
        println!("  {:<18} {}", card.name, card.description_ja);
    }
    println!(
        "サーバー用の登録データ: {}（ebid-server --seed）",
        set.registrations_file().display()
    );
    Ok(())
}

/// New CRLs of the demo CAs, current from now for 30 days: a set older than its CRLs is usable again.
pub fn crls(set: &Path) -> anyhow::Result<()> {
    let set = DemoSet::load(set).context("デモ用カードのセットを読めません")?;
    set.reissue_crl(OffsetDateTime::now_utc())
        .context("失効リストを発行できません")?;
    println!("デモ認証局の失効リストを発行し直しました（30日有効）。");
    Ok(())
}

pub fn serve(set: &Path) -> anyhow::Result<()> {
    control::serve(set, |socket| {
        println!("仮想ICカードを待機中です（{}）。`ebid-vcard insert` で挿入、`ebid-vcard stop` で終了します。", socket.display());
    })
    .context("仮想ICカードのサーバを起動できません")
}

pub fn insert(set: &Path, reader: u8, card: &str) -> anyhow::Result<()> {
    request(
        set,
        &Request::Insert {
            reader,
            card: card.to_owned(),
            pull_on_instruction: None,
        },
    )
}

pub fn remove(set: &Path, reader: u8) -> anyhow::Result<()> {
    request(set, &Request::Remove { reader })
}

pub fn swap(set: &Path, reader: u8, card: &str) -> anyhow::Result<()> {
    request(
        set,
        &Request::Swap {
            reader,
            card: card.to_owned(),
        },
    )
}

pub fn status(set: &Path) -> anyhow::Result<()> {
    request(set, &Request::Status)
}

pub fn stop(set: &Path) -> anyhow::Result<()> {
    request(set, &Request::Stop)
}

fn request(set: &Path, request: &Request) -> anyhow::Result<()> {
    let Reply { error, readers } = control::send(set, request)?;
    for reader in &readers {
        match &reader.card {
            Some(card) => println!(
                "{}: {}  {card}  (APDU {}件)",
                reader.reader, reader.name, reader.apdus
            ),
            None => println!("{}: {}  (空)", reader.reader, reader.name),
        }
    }
    if let Some(error) = error {
        bail!(error);
    }
    Ok(())
}
