//! What the store's tests share: a card's facts, and a plain SQLite connection to the same file (another
//! program's view of it).

#![allow(dead_code)] // each test file uses its part

use std::path::Path;

use ebid_history::{AttemptStart, CardFacts};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions as _, Connection as _};
use time::macros::datetime;

pub fn card(fingerprint: &str) -> CardFacts {
    CardFacts {
        fingerprint: fingerprint.to_owned(),
        serial: format!("SERIAL-{fingerprint}"),
        issuer: "日本電子認証株式会社".to_owned(),
        holder: Some("山田 太郎".to_owned()),
        company: Some("株式会社長崎建設".to_owned()),
        not_after: datetime!(2027-03-31 14:59:59 UTC),
    }
}

pub fn start(card: &CardFacts) -> AttemptStart {
    AttemptStart {
        organization: "nagasaki-pref".to_owned(),
        category: "construction".to_owned(),
        holder: card.holder.clone(),
        old_fingerprint: card.fingerprint.clone(),
        old_serial: card.serial.clone(),
    }
}

/// Another program's connection to the file (no migrations, no pragmas of the store's).
pub async fn plain_connection(path: &Path) -> SqliteConnection {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .connect()
        .await
        .expect("a plain connection")
}

/// The schema as SQLite keeps it, for comparing two files.
pub async fn schema(path: &Path) -> Vec<(String, String, Option<String>)> {
    let mut connection = plain_connection(path).await;
    let schema = sqlx::query_as(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )
    .fetch_all(&mut connection)
    .await
    .expect("the schema reads");
    connection.close().await.expect("closes");
    schema
}
