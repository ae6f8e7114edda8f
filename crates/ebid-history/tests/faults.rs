//! A damaged or locked file gives a clear message, and nothing is lost: the damaged file is left exactly as
//! it was, and a locked one works again once the other program lets go.

mod support;

use std::time::Duration;

use ebid_history::{History, HistoryError};
use sqlx::Connection as _;
use support::{card, plain_connection};
use time::macros::datetime;

/// Long enough that a lock is not mistaken for a free file, short enough that the tests do not dawdle.
const SHORT_BUSY_TIMEOUT: Duration = Duration::from_millis(200);

#[tokio::test]
async fn a_file_that_is_not_a_database_is_named_damaged_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let garbage: Vec<u8> = (0..16_384u32)
        .map(|index| (index * 7919 % 251) as u8)
        .collect();
    std::fs::write(&path, &garbage).unwrap();

    let refused = History::open(&path).await.unwrap_err();
    assert!(
        matches!(refused, HistoryError::Damaged { .. }),
        "{refused:?}"
    );
    let message = refused.to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("壊れているか"), "{message}");
    assert!(!refused.is_transient());
    assert_eq!(
        std::fs::read(&path).unwrap(),
        garbage,
        "the file is not overwritten"
    );
    // Still refused the second time: nothing was "repaired" by the first try.
    assert!(matches!(
        History::open(&path).await,
        Err(HistoryError::Damaged { .. })
    ));
}

#[tokio::test]
async fn a_file_locked_by_another_program_at_open_is_named_busy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    // Another program made the file (rollback journal, SQLite's default) and holds it exclusively.
    let mut holder = plain_connection(&path).await;
    sqlx::raw_sql("CREATE TABLE other (x); BEGIN EXCLUSIVE; INSERT INTO other VALUES (1);")
        .execute(&mut holder)
        .await
        .unwrap();

    let refused = History::open_with_busy_timeout(&path, SHORT_BUSY_TIMEOUT)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, HistoryError::Locked { .. }),
        "{refused:?}"
    );
    assert!(refused.is_transient());
    assert!(
        refused.to_string().contains("他のプログラムが使用中"),
        "{refused}"
    );

    sqlx::raw_sql("COMMIT").execute(&mut holder).await.unwrap();
    holder.close().await.unwrap();
    let history = History::open_with_busy_timeout(&path, SHORT_BUSY_TIMEOUT)
        .await
        .unwrap();
    history
        .record_card_seen(&card("CC01"), datetime!(2026-05-01 0:00 UTC))
        .await
        .unwrap();
    let mut other = plain_connection(&path).await;
    let kept: i64 = sqlx::query_scalar("SELECT x FROM other")
        .fetch_one(&mut other)
        .await
        .unwrap();
    assert_eq!(kept, 1, "the other program's data is untouched");
}

#[tokio::test]
async fn a_write_while_another_program_writes_is_named_busy_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let history = History::open_with_busy_timeout(&path, SHORT_BUSY_TIMEOUT)
        .await
        .unwrap();
    history
        .record_card_seen(&card("CC02"), datetime!(2026-05-01 0:00 UTC))
        .await
        .unwrap();

    let mut holder = plain_connection(&path).await;
    sqlx::raw_sql(
        "BEGIN IMMEDIATE; UPDATE cards SET last_seen = last_seen + 1 WHERE fingerprint = 'CC02';",
    )
    .execute(&mut holder)
    .await
    .unwrap();

    let refused = history
        .record_card_seen(&card("CC03"), datetime!(2026-05-02 0:00 UTC))
        .await
        .unwrap_err();
    assert!(
        matches!(refused, HistoryError::Locked { .. }),
        "{refused:?}"
    );
    // Reading goes on meanwhile (WAL).
    assert_eq!(history.cards().await.unwrap().len(), 1);

    sqlx::raw_sql("COMMIT").execute(&mut holder).await.unwrap();
    history
        .record_card_seen(&card("CC03"), datetime!(2026-05-02 0:00 UTC))
        .await
        .unwrap();
    let cards = history.cards().await.unwrap();
    assert_eq!(
        cards
            .iter()
            .map(|card| card.facts.fingerprint.as_str())
            .collect::<Vec<_>>(),
        ["CC02", "CC03"]
    );
    assert_eq!(
        cards[0].last_seen,
        datetime!(2026-05-01 0:00:01 UTC),
        "the other program's write kept"
    );
}
