//! `ebid remind --check` and `ebid history` over a history file written by the store itself (a real SQLite
//! file in the test's folder), with the thresholds of the test's own configuration files.

mod support;

use std::process::{Command, Output};

use ebid_history::{CardFacts, History};
use ebid_reminders::Milestone;
use support::ConfigDir;
use time::OffsetDateTime;
use time::macros::datetime;

/// 2027/03/31 23:59:59 in Japan.
const EXPIRY: OffsetDateTime = datetime!(2027-03-31 14:59:59 UTC);

fn card(fingerprint: &str, holder: &str, not_after: OffsetDateTime) -> CardFacts {
    CardFacts {
        fingerprint: fingerprint.to_owned(),
        serial: format!("SERIAL-{fingerprint}"),
        issuer: "日本電子認証株式会社".to_owned(),
        holder: Some(holder.to_owned()),
        company: Some("株式会社長崎建設".to_owned()),
        not_after,
    }
}

/// The history file at `config.history` with these cards, `delivered` marked for the first.
fn seeded(config: &ConfigDir, cards: &[CardFacts], delivered: &[Milestone]) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let history = History::open(&config.history).await.unwrap();
        for card in cards {
            history
                .record_card_seen(card, datetime!(2025-01-01 0:00 UTC))
                .await
                .unwrap();
        }
        history
            .mark_delivered(
                &cards[0].fingerprint,
                delivered,
                datetime!(2025-01-01 0:00 UTC),
            )
            .await
            .unwrap();
        history.close().await;
    });
}

fn ebid(config: &ConfigDir, args: &[&str]) -> (Output, String, String) {
    let output = config
        .apply(&mut Command::new(env!("CARGO_BIN_EXE_ebid")))
        .args(args)
        .output()
        .expect("ebid runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output, stdout, stderr)
}

fn check_at(config: &ConfigDir, at: &str) -> String {
    let (output, stdout, stderr) = ebid(config, &["remind", "--check", "--at", at]);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    stdout
}

#[test]
fn what_is_due_at_a_time_in_japan_and_nothing_when_nothing_is() {
    let config = ConfigDir::new(None, None);
    seeded(
        &config,
        &[card("AA", "山田 太郎", EXPIRY)],
        &[Milestone::DaysBefore(90)],
    );

    // 2027/03/01 is 30 days before: the 30-day notice, catching up 60 (90 was delivered).
    let due = check_at(&config, "2027-03-01");
    assert!(due.contains("ICカードの有効期限が近づいています"), "{due}");
    assert!(
        due.contains("ICカード（山田 太郎）の有効期限まであと30日です（2027/03/31）"),
        "{due}"
    );
    // The day before the 30 days, 31 left: 60 is due (90 delivered).
    let earlier = check_at(&config, "2027-02-28T23:59");
    assert!(earlier.contains("あと31日"), "{earlier}");
    // Read only: the same check again says the same.
    assert_eq!(check_at(&config, "2027-03-01"), due);

    let (output, json, _) = ebid(
        &config,
        &["remind", "--check", "--at", "2027-03-01T09:00", "--json"],
    );
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(json["at"], "2027-03-01T00:00:00Z");
    assert_eq!(
        json["thresholds"],
        serde_json::json!([90, 60, 30, 14, 7, 3, 1])
    );
    let shown = &json["cards"][0];
    assert_eq!(shown["fingerprint"], "AA");
    assert_eq!(shown["holder"], "山田 太郎");
    assert_eq!(shown["expiry_date"], "2027/03/31");
    assert_eq!(shown["days_left"], 30);
    assert_eq!(shown["expired"], false);
    assert_eq!(shown["due"]["milestone"], 30);
    assert_eq!(shown["due"]["settles"], serde_json::json!([30, 60]));
    assert!(shown["due"]["body"].as_str().unwrap().contains("あと30日"));
    assert_eq!(shown["next"]["milestone"], 14);
    assert_eq!(shown["next"]["date"], "2027/03/17");
    assert!(
        shown["status"]["body"]
            .as_str()
            .unwrap()
            .contains("あと30日")
    );

    // Before the first threshold: nothing is said at all.
    let config = ConfigDir::new(None, None);
    seeded(&config, &[card("BB", "山田 太郎", EXPIRY)], &[]);
    assert_eq!(check_at(&config, "2026-12-30T23:59"), "");
}

#[test]
fn an_expired_card_needs_new_registration_and_a_replaced_one_is_not_reminded() {
    let config = ConfigDir::new(None, None);
    seeded(
        &config,
        &[
            card("OLD", "長崎 花子", datetime!(2025-06-30 14:59:59 UTC)),
            card("GONE", "佐世保 次郎", datetime!(2025-06-30 14:59:59 UTC)),
            card("NEW", "山田 太郎", EXPIRY),
        ],
        &[],
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let history = History::open(&config.history).await.unwrap();
        history
            .mark_replaced("GONE", "NEW", datetime!(2025-06-01 0:00 UTC))
            .await
            .unwrap();
        history.close().await;
    });
    let said = check_at(&config, "2025-07-01");
    assert!(said.contains("ICカードの有効期限が切れています"), "{said}");
    assert!(said.contains("長崎 花子"), "{said}");
    assert!(said.contains("新規登録が必要です"), "{said}");
    assert!(!said.contains("佐世保 次郎"), "the replaced card: {said}");

    let (_, json, _) = ebid(
        &config,
        &["remind", "--check", "--at", "2025-07-01", "--json"],
    );
    let json: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let fingerprints: Vec<&str> = json["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|card| card["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(
        fingerprints,
        ["OLD", "NEW"],
        "soonest expiry first, replaced left out"
    );
    assert_eq!(json["cards"][0]["expired"], true);
    assert_eq!(json["cards"][0]["due"]["milestone"], 0);

    // `ebid history` still lists every card, the replaced one as 更新済み.
    let (output, text, _) = ebid(&config, &["history"]);
    assert!(output.status.success());
    assert!(text.contains("更新済み"), "{text}");
    assert!(text.contains("期限切れ（新規登録が必要です）"), "{text}");
}

#[test]
fn the_administrators_thresholds_decide_and_a_wrong_list_is_named() {
    let config = ConfigDir::new(Some("[reminders]\ndays = [45]\n"), None);
    seeded(&config, &[card("CC", "山田 太郎", EXPIRY)], &[]);
    // 45 days before 2027/03/31 is 2027/02/14; the default 60 would already be due on 2027/02/10.
    assert_eq!(check_at(&config, "2027-02-10"), "");
    assert!(check_at(&config, "2027-02-14").contains("あと45日"));
    let (_, shown, _) = ebid(&config, &["config", "show", "--json"]);
    let shown: serde_json::Value = serde_json::from_str(&shown).expect("JSON");
    assert_eq!(shown["settings"]["reminders.days"]["value"], "[45]");
    assert_eq!(shown["settings"]["reminders.days"]["from"], "machine");

    let wrong = ConfigDir::new(None, Some("[reminders]\ndays = [7, 0]\n"));
    let (output, _, stderr) = ebid(&wrong, &["remind", "--check"]);
    assert!(!output.status.success());
    assert!(stderr.contains("0 は指定できません"), "{stderr}");
}

#[test]
fn no_history_yet_is_nothing_to_say_and_makes_no_file() {
    let config = ConfigDir::new(None, None);
    assert_eq!(check_at(&config, "2027-03-01"), "");
    let (output, text, _) = ebid(&config, &["history"]);
    assert!(output.status.success());
    assert!(text.contains("（記録はありません）"), "{text}");
    let (_, json, _) = ebid(&config, &["history", "--json"]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&json).unwrap(),
        serde_json::json!({ "attempts": [], "cards": [] })
    );
    assert!(!config.history.exists(), "reading made no file");
    let (output, _, stderr) = ebid(&config, &["remind", "--check", "--at", "2027/03/01"]);
    assert!(!output.status.success());
    assert!(stderr.contains("YYYY-MM-DD"), "{stderr}");
}
