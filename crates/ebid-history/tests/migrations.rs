//! The schema is brought up to date from an empty file and from every earlier schema, keeping what the
//! earlier one held; a file of a newer ebid is refused, not damaged.
//!
//! Every earlier schema is built from the migration list itself (`migrator()`, applied up to each version),
//! so a new migration is covered by adding it and, if it changes the shape of old rows, a seed below.

mod support;

use ebid_history::{AttemptFilter, History, HistoryError, Outcome, migrator};
use ebid_reminders::Milestone;
use sqlx::Connection as _;
use sqlx::sqlite::SqlitePoolOptions;
use support::{plain_connection, schema};
use time::macros::datetime;

/// Rows written by the schema of each version, so that what a user's file holds is shown to survive the
/// later migrations. Each seed must leave card `SEED` with one delivered reminder (90 days), one
/// registration and one unfinished attempt readable at the latest schema; from version 2 on, card `OLD`
/// replaced by `SEED`.
const SEEDS: &[(i64, &str)] = &[
    (
        1,
        "INSERT INTO cards (fingerprint, serial, issuer, holder, company, not_after, first_seen, last_seen)
         VALUES ('SEED', '01', '認証局', '山田 太郎', '株式会社長崎建設', 1806497999, 1700000000, 1700000000);
         INSERT INTO reminder_deliveries (fingerprint, milestone, delivered_at) VALUES ('SEED', 90, 1700000000);
         INSERT INTO registrations (fingerprint, organization, category, registered, answered_at)
         VALUES ('SEED', 'nagasaki-pref', 'construction', TRUE, 1700000000);
         INSERT INTO renewal_attempts (started_at, organization, category, holder, old_fingerprint, old_serial)
         VALUES (1700000000, 'nagasaki-pref', 'construction', '山田 太郎', 'SEED', '01');",
    ),
    (
        2,
        "INSERT INTO cards (fingerprint, serial, issuer, holder, company, not_after, first_seen, last_seen,
                            replaced_by, replaced_at)
         VALUES ('OLD', '00', '認証局', '山田 太郎', '株式会社長崎建設', 1706497999, 1690000000, 1700000000,
                 'SEED', 1700000000);",
    ),
];

/// The schema of a file made from nothing by this build.
async fn fresh_schema(dir: &std::path::Path) -> Vec<(String, String, Option<String>)> {
    let path = dir.join("fresh.sqlite");
    History::open(&path).await.unwrap().close().await;
    schema(&path).await
}

#[tokio::test]
async fn a_missing_or_empty_file_gets_the_whole_schema() {
    let dir = tempfile::tempdir().unwrap();
    let expected = fresh_schema(dir.path()).await;
    assert!(
        expected
            .iter()
            .any(|(_, name, _)| name == "renewal_attempts")
    );

    let missing = dir.path().join("folder/not/yet/made/history.sqlite");
    History::open(&missing).await.unwrap().close().await;
    assert_eq!(schema(&missing).await, expected);

    let empty = dir.path().join("empty.sqlite");
    std::fs::write(&empty, b"").unwrap();
    let history = History::open(&empty).await.unwrap();
    assert!(history.cards().await.unwrap().is_empty());
    history.close().await;
    assert_eq!(schema(&empty).await, expected);
}

#[tokio::test]
async fn every_earlier_schema_is_migrated_and_keeps_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let expected = fresh_schema(dir.path()).await;
    let versions: Vec<i64> = migrator()
        .iter()
        .map(|migration| migration.version)
        .collect();
    assert!(
        versions.len() >= 2,
        "0001 is an earlier schema now: {versions:?}"
    );

    // Each version as the last one applied, the latest included (a file reopened by the same build).
    for &applied in &versions {
        let path = dir.path().join(format!("at-version-{applied}.sqlite"));
        let pool = SqlitePoolOptions::new()
            .connect_with(
                sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(&path)
                    .create_if_missing(true),
            )
            .await
            .unwrap();
        migrator().run_to(applied, &pool).await.unwrap();
        for (_, seed) in SEEDS.iter().filter(|(version, _)| *version <= applied) {
            sqlx::raw_sql(*seed).execute(&pool).await.unwrap();
        }
        pool.close().await;

        let history = History::open(&path).await.unwrap();
        let cards = history.cards().await.unwrap();
        let seed = cards
            .iter()
            .find(|card| card.facts.fingerprint == "SEED")
            .unwrap_or_else(|| panic!("the seeded card survives from version {applied}"));
        assert_eq!(seed.facts.holder.as_deref(), Some("山田 太郎"));
        assert_eq!(seed.delivered, [Milestone::DaysBefore(90)]);
        assert_eq!(
            seed.replaced, None,
            "a card of version {applied} is not replaced"
        );
        let old = cards.iter().find(|card| card.facts.fingerprint == "OLD");
        if applied >= 2 {
            assert_eq!(
                old.and_then(|old| old.replaced.as_ref())
                    .map(|replaced| (replaced.by.as_str(), replaced.at.unix_timestamp())),
                Some(("SEED", 1_700_000_000))
            );
        } else {
            assert_eq!(old, None);
        }
        assert!(
            history
                .registrations("SEED")
                .await
                .unwrap()
                .iter()
                .all(|registration| registration.registered)
        );
        let attempts = history.attempts(&AttemptFilter::default()).await.unwrap();
        assert_eq!(attempts.len(), 1, "from version {applied}");
        assert_eq!(attempts[0].outcome, Outcome::Interrupted);
        // The migrated rows take the new columns' writes.
        history
            .mark_replaced("SEED", "NEWER", datetime!(2026-01-01 0:00 UTC))
            .await
            .unwrap();
        let replaced = history.cards().await.unwrap();
        let seed = replaced
            .iter()
            .find(|card| card.facts.fingerprint == "SEED")
            .unwrap();
        assert_eq!(seed.replaced.as_ref().map(|r| r.by.as_str()), Some("NEWER"));
        history.close().await;
        assert_eq!(schema(&path).await, expected, "from version {applied}");
    }
}

#[tokio::test]
async fn a_file_of_a_newer_ebid_is_refused_and_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    History::open(&path).await.unwrap().close().await;
    let newer = migrator()
        .iter()
        .map(|migration| migration.version)
        .max()
        .unwrap()
        + 1;
    let mut connection = plain_connection(&path).await;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (?1, 'from a newer ebid', TRUE, X'00', 0)",
    )
    .bind(newer)
    .execute(&mut connection)
    .await
    .unwrap();
    connection.close().await.unwrap();

    let refused = History::open(&path).await.unwrap_err();
    assert!(
        matches!(&refused, HistoryError::NewerSchema { version, .. } if *version == newer),
        "{refused:?}"
    );
    assert!(
        refused
            .to_string()
            .contains("ebid を最新の版に更新してください"),
        "{refused}"
    );
    let mut connection = plain_connection(&path).await;
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE version = ?1")
        .bind(newer)
        .fetch_one(&mut connection)
        .await
        .unwrap();
    assert_eq!(kept, 1);
}
