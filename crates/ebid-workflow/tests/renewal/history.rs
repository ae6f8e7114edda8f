//! The renewal's entries in the local history, against the real server on 127.0.0.1 and a real SQLite file
//! in a temporary folder, with the demo set's virtual cards in-process: what is recorded as it happens,
//! what the history refuses before a PIN, and that a failing history never fails the renewal.

use crate::support::{CATEGORY, Demo, ORGANIZATION};
use ebid_history::{AttemptFilter, Finish, History, Outcome};
use ebid_reminders::Thresholds;
use ebid_workflow::reminders::{settle, standings};
use ebid_workflow::{RenewalError, read_card};
use time::{Duration, OffsetDateTime};

async fn history(dir: &tempfile::TempDir) -> History {
    History::open(&dir.path().join("history.sqlite"))
        .await
        .expect("the history opens")
}

fn steps(attempt: &ebid_history::Attempt) -> Vec<(&str, &str)> {
    attempt
        .steps
        .iter()
        .map(|step| (step.step.as_str(), step.outcome_code.as_str()))
        .collect()
}

#[tokio::test]
async fn a_committed_renewal_leaves_its_cards_registrations_attempt_and_steps() {
    let demo = Demo::start().await;
    let dir = tempfile::tempdir().unwrap();
    let history = history(&dir).await;
    let mut renewal = demo.renewal().with_history(history.clone());
    renewal.fetch_server_time().await.unwrap();

    let (mut current, _) = demo.card("current");
    renewal
        .check_card(&read_card(current.as_mut()).unwrap())
        .await
        .unwrap();
    renewal
        .login_current(current.as_mut(), &demo.pin("current"))
        .await
        .unwrap();
    let (mut new, _) = demo.card("replacement");
    renewal
        .prove_new_card(new.as_mut(), &demo.pin("replacement"))
        .await
        .unwrap();
    renewal.back().unwrap();
    renewal
        .prove_new_card(new.as_mut(), &demo.pin("replacement"))
        .await
        .unwrap();
    let result = renewal.commit().await.unwrap();
    // The old card after 更新 is refused before its PIN, and the step says so.
    let (mut old, _) = demo.card("current");
    let refused = renewal
        .registration_info(old.as_mut(), &demo.pin("current"))
        .await
        .unwrap_err();
    assert!(
        matches!(refused, RenewalError::OldCardInReader),
        "{refused:?}"
    );
    renewal
        .registration_info(new.as_mut(), &demo.pin("replacement"))
        .await
        .unwrap();
    renewal.end().await.unwrap();
    assert!(renewal.history_problem().is_none());
    drop(renewal);
    history.close().await;

    // Read back from the file by another handle, as `ebid history` would.
    let history = self::history(&dir).await;
    let attempts = history.attempts(&AttemptFilter::default()).await.unwrap();
    assert_eq!(attempts.len(), 1);
    let attempt = &attempts[0];
    assert_eq!(attempt.outcome, Outcome::Committed);
    assert_eq!(attempt.start.organization, ORGANIZATION);
    assert_eq!(attempt.start.category, CATEGORY);
    assert_eq!(attempt.start.holder.as_deref(), Some("長崎 太郎"));
    assert_eq!(attempt.start.old_serial, result.old_serial);
    assert_eq!(
        attempt.new_serial.as_deref(),
        Some(result.new_serial.as_str())
    );
    assert_eq!(
        steps(attempt),
        [
            ("login", "ok"),
            ("new_card_proof", "ok"),
            ("back", "ok"),
            ("new_card_proof", "ok"),
            ("commit", "ok"),
            ("registration_info", "old_card_in_reader"),
            ("registration_info", "ok"),
        ]
    );

    let cards = history.cards().await.unwrap();
    let old = cards
        .iter()
        .find(|card| card.facts.serial == result.old_serial)
        .expect("the old card was seen");
    let new = cards
        .iter()
        .find(|card| card.facts.serial == result.new_serial)
        .expect("the new card was seen");
    assert_eq!(
        old.replaced.as_ref().map(|replaced| replaced.by.as_str()),
        Some(new.facts.fingerprint.as_str())
    );
    assert_eq!(new.replaced, None);
    assert_eq!(new.facts.holder.as_deref(), Some("長崎 太郎"));
    for (card, registered) in [(old, Some(false)), (new, Some(true))] {
        assert_eq!(
            history
                .is_registered(&card.facts.fingerprint, ORGANIZATION, CATEGORY)
                .await
                .unwrap(),
            registered
        );
    }
    let offset = history.clock_offset().await.unwrap().expect("measured");
    assert!(offset.abs() < Duration::minutes(1), "{offset}");

    // The replaced card has no standing for the reminders; the new one does, and settles once.
    let standings = standings(&history, OffsetDateTime::now_utc(), &Thresholds::default())
        .await
        .unwrap();
    assert_eq!(
        standings
            .iter()
            .map(|standing| standing.card.facts.serial.as_str())
            .filter(|serial| *serial == result.old_serial)
            .count(),
        0
    );
    let standing = standings
        .iter()
        .find(|standing| standing.card.facts.serial == result.new_serial)
        .expect("the new card stands");
    assert!(standing.status().body.contains("長崎 太郎"));
    assert!(
        standing.registrations.iter().any(
            |registration| registration.organization == ORGANIZATION && registration.registered
        )
    );
    settle(&history, standing, OffsetDateTime::now_utc())
        .await
        .unwrap();
    let again = ebid_workflow::reminders::standings(
        &history,
        OffsetDateTime::now_utc(),
        &Thresholds::default(),
    )
    .await
    .unwrap();
    assert!(again.iter().all(|standing| standing.notice().is_none()));
}

#[tokio::test]
async fn a_card_the_history_knows_is_not_registered_or_replaced_is_refused_before_its_pin() {
    let demo = Demo::start().await;
    let dir = tempfile::tempdir().unwrap();
    let history = history(&dir).await;

    // A first renewal learns from the server that the new card is not registered (put in too early).
    let mut first = demo.renewal().with_history(history.clone());
    first.fetch_server_time().await.unwrap();
    let (mut early, _) = demo.card("replacement");
    let refused = first
        .login_current(early.as_mut(), &demo.pin("replacement"))
        .await
        .unwrap_err();
    assert!(
        matches!(refused, RenewalError::NotRegistered { .. }),
        "{refused:?}"
    );
    first.end().await.unwrap();
    drop(first);

    // A later renewal names it before its PIN, from the history alone.
    let mut later = demo.renewal().with_history(history.clone());
    later.fetch_server_time().await.unwrap();
    let (mut early, log) = demo.card("replacement");
    let reading = read_card(early.as_mut()).unwrap();
    let refused = later.check_card(&reading).await.unwrap_err();
    assert!(
        matches!(refused, RenewalError::NotRegistered { .. }),
        "{refused:?}"
    );
    // The step itself refuses it too, still without a VERIFY.
    let refused = later
        .login_current(early.as_mut(), &demo.pin("replacement"))
        .await
        .unwrap_err();
    assert!(
        matches!(refused, RenewalError::NotRegistered { .. }),
        "{refused:?}"
    );
    assert_eq!(log.pin_verifies(), 0, "no PIN try spent");
    // Elsewhere the history says nothing: the server is asked.
    let mut elsewhere = ebid_workflow::Renewal::new(demo.client(), "sasebo-city", CATEGORY)
        .with_history(history.clone());
    elsewhere.fetch_server_time().await.unwrap();
    elsewhere.check_card(&reading).await.unwrap();

    // An answer older than the trust window is asked again.
    let fingerprint = reading.fingerprint().unwrap().to_owned();
    history
        .record_registration(
            &fingerprint,
            ORGANIZATION,
            CATEGORY,
            false,
            OffsetDateTime::now_utc() - ebid_workflow::NOT_REGISTERED_TRUST - Duration::days(1),
        )
        .await
        .unwrap();
    let mut stale = demo.renewal().with_history(history.clone());
    stale.fetch_server_time().await.unwrap();
    // The newest answer counts: the stale one does not replace the recent refusal…
    assert!(stale.check_card(&reading).await.is_err());
    // …but in a fresh file, only a stale answer is no reason to refuse.
    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh = self::history(&fresh_dir).await;
    let (mut card, _) = demo.card("replacement");
    let facts = ebid_cert::parse_certificate(&card.signing_certificate().unwrap()).unwrap();
    fresh
        .record_card_seen(&card_facts(&facts), OffsetDateTime::now_utc())
        .await
        .unwrap();
    fresh
        .record_registration(
            &fingerprint,
            ORGANIZATION,
            CATEGORY,
            false,
            OffsetDateTime::now_utc() - ebid_workflow::NOT_REGISTERED_TRUST - Duration::days(1),
        )
        .await
        .unwrap();
    let mut asks = demo.renewal().with_history(fresh);
    asks.fetch_server_time().await.unwrap();
    asks.check_card(&read_card(card.as_mut()).unwrap())
        .await
        .unwrap();

    // A card a renewal replaced here is the old card, whatever the age of the answer.
    let (mut current, _) = demo.card("current");
    let old = ebid_cert::parse_certificate(&current.signing_certificate().unwrap()).unwrap();
    let old_facts = card_facts(&old);
    history
        .record_card_seen(&old_facts, OffsetDateTime::now_utc())
        .await
        .unwrap();
    let long_ago = OffsetDateTime::now_utc() - Duration::days(400);
    history
        .record_registration(
            &old_facts.fingerprint,
            ORGANIZATION,
            CATEGORY,
            false,
            long_ago,
        )
        .await
        .unwrap();
    history
        .mark_replaced(&old_facts.fingerprint, &fingerprint, long_ago)
        .await
        .unwrap();
    let mut after = demo.renewal().with_history(history.clone());
    after.fetch_server_time().await.unwrap();
    let refused = after
        .check_card(&read_card(current.as_mut()).unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(refused, RenewalError::OldCardInReader),
        "{refused:?}"
    );
}

fn card_facts(certificate: &ebid_cert::Certificate) -> ebid_history::CardFacts {
    let facts = certificate.facts();
    ebid_history::CardFacts {
        fingerprint: facts.fingerprint_sha256.clone(),
        serial: facts.serial.clone(),
        issuer: facts.issuer.clone(),
        holder: facts.holder.clone(),
        company: facts.company.clone(),
        not_after: facts.not_after,
    }
}

#[tokio::test]
async fn a_refusal_that_ends_the_renewal_and_a_choice_to_go_back_are_told_apart() {
    let demo = Demo::start().await;
    let dir = tempfile::tempdir().unwrap();
    let history = history(&dir).await;

    // 【戻る】 and the end: cancelled.
    let mut renewal = demo.renewal().with_history(history.clone());
    renewal.fetch_server_time().await.unwrap();
    let (mut current, _) = demo.card("current");
    renewal
        .login_current(current.as_mut(), &demo.pin("current"))
        .await
        .unwrap();
    let (mut new, _) = demo.card("replacement");
    renewal
        .prove_new_card(new.as_mut(), &demo.pin("replacement"))
        .await
        .unwrap();
    renewal.back().unwrap();
    renewal.end().await.unwrap();

    // A new card with another holder: the confirmation's rule ends it, refused with that rule's code.
    let mut renewal = demo.renewal().with_history(history.clone());
    renewal.fetch_server_time().await.unwrap();
    let (mut current, _) = demo.card("current");
    renewal
        .login_current(current.as_mut(), &demo.pin("current"))
        .await
        .unwrap();
    let (mut other, _) = demo.card("other-holder");
    let confirmation = renewal
        .prove_new_card(other.as_mut(), &demo.pin("other-holder"))
        .await
        .unwrap();
    assert!(!confirmation.violations.is_empty());
    assert!(matches!(
        renewal.commit().await,
        Err(RenewalError::Violations(_))
    ));
    renewal.back().unwrap();
    renewal.end().await.unwrap();

    // Dropped without its end: interrupted, never done.
    let mut dropped = demo.renewal().with_history(history.clone());
    dropped.fetch_server_time().await.unwrap();
    let (mut current, _) = demo.card("current");
    dropped
        .login_current(current.as_mut(), &demo.pin("current"))
        .await
        .unwrap();
    drop(dropped);

    let attempts = history.attempts(&AttemptFilter::default()).await.unwrap();
    let outcomes: Vec<&Outcome> = attempts.iter().map(|attempt| &attempt.outcome).collect();
    let violation = confirmation.violations[0].code;
    let code = serde_json::to_value(violation).unwrap();
    assert_eq!(
        outcomes,
        [
            &Outcome::Interrupted,
            &Outcome::Refused {
                code: code.as_str().unwrap().to_owned()
            },
            &Outcome::Cancelled,
        ],
        "the newest first"
    );
    assert_eq!(
        steps(&attempts[1]),
        [
            ("login", "ok"),
            ("new_card_proof", code.as_str().unwrap()),
            ("back", "ok"),
        ]
    );
    // Finishing again changes nothing (the first outcome stays).
    history
        .finish_attempt(
            attempts[0].id,
            &Finish::Committed,
            OffsetDateTime::now_utc(),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_history_that_fails_never_fails_the_renewal_and_says_so_once() {
    let demo = Demo::start().await;
    let dir = tempfile::tempdir().unwrap();
    let history = history(&dir).await;
    // Closed under the renewal: every write fails from now on.
    history.close().await;

    let mut renewal = demo.renewal().with_history(history);
    renewal.fetch_server_time().await.unwrap();
    let (mut current, _) = demo.card("current");
    renewal
        .check_card(&read_card(current.as_mut()).unwrap())
        .await
        .unwrap();
    renewal
        .login_current(current.as_mut(), &demo.pin("current"))
        .await
        .unwrap();
    let (mut new, _) = demo.card("replacement");
    renewal
        .prove_new_card(new.as_mut(), &demo.pin("replacement"))
        .await
        .unwrap();
    let result = renewal.commit().await.unwrap();
    assert_eq!(result.new_serial, demo.serial("replacement"));
    renewal.end().await.unwrap();
    let problem = renewal.history_problem().expect("the failure is kept");
    assert!(problem.to_string().contains("履歴ファイル"), "{problem}");
}
