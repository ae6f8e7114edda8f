//! `ebid cert show FILE`: the facts of a certificate file, as a user exporting one from a CA would check it.

use std::path::Path;

use anyhow::Context;
use serde::Serialize;
use time::OffsetDateTime;

use crate::facts_view;
use crate::narration::Narration;

#[derive(Serialize)]
struct ShownCertificate<'a> {
    #[serde(flatten)]
    facts: &'a ebid_cert::Facts,
    days_to_expiry: i64,
}

pub fn show(file: &Path, json: bool) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("{} を読めません", file.display()))?;
    let certificate = ebid_cert::parse_certificate(&bytes)
        .with_context(|| format!("{} は証明書として読み取れません", file.display()))?;
    let facts = certificate.facts();
    let days_to_expiry = facts.days_until_expiry(OffsetDateTime::now_utc());
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&ShownCertificate {
                facts,
                days_to_expiry
            })?
        );
    } else {
        facts_view::print(facts, Narration::Stdout);
        println!(
            "有効期限まで          : {}",
            facts_view::days_phrase(days_to_expiry)
        );
    }
    Ok(())
}
