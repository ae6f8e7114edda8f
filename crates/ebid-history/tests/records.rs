//! What the store keeps, read back from a real file, across a close and a reopen.

mod support;

use ebid_history::{AttemptFilter, Finish, History, HistoryError, Outcome, app_data_path};
use ebid_reminders::{Clock, Milestone, Thresholds, assess};
use support::{card, start};
use time::Duration;
use time::macros::datetime;

#[tokio::test]
async fn a_card_seen_keeps_its_facts_and_first_and_last_sighting() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let history = History::open(&path).await.unwrap();
    let facts = card("AA01");
    history
        .record_card_seen(&facts, datetime!(2026-05-02 10:00 UTC))
        .await
        .unwrap();
    history
        .record_card_seen(&facts, datetime!(2026-05-01 10:00 UTC))
        .await
        .unwrap();
    history
        .record_card_seen(&facts, datetime!(2026-06-01 10:00 UTC))
        .await
        .unwrap();
    history.close().await;

    let cards = History::open(&path).await.unwrap().cards().await.unwrap();
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0].facts, facts);
    assert_eq!(cards[0].first_seen, datetime!(2026-05-01 10:00 UTC));
    assert_eq!(cards[0].last_seen, datetime!(2026-06-01 10:00 UTC));
}

#[tokio::test]
async fn registration_is_unknown_until_a_server_answered_and_the_newest_answer_counts() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(&dir.path().join("history.sqlite"))
        .await
        .unwrap();
    let facts = card("AA02");
    let refused = history
        .record_registration(
            &facts.fingerprint,
            "nagasaki-pref",
            "construction",
            true,
            datetime!(2026-05-01 0:00 UTC),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(refused, HistoryError::UnknownCard(ref fingerprint) if fingerprint == "AA02"),
        "{refused}"
    );

    history
        .record_card_seen(&facts, datetime!(2026-05-01 0:00 UTC))
        .await
        .unwrap();
    assert_eq!(
        history
            .is_registered("AA02", "nagasaki-pref", "construction")
            .await
            .unwrap(),
        None
    );
    history
        .record_registration(
            "AA02",
            "nagasaki-pref",
            "construction",
            true,
            datetime!(2026-05-02 0:00 UTC),
        )
        .await
        .unwrap();
    history
        .record_registration(
            "AA02",
            "nagasaki-city",
            "goods",
            false,
            datetime!(2026-05-02 0:00 UTC),
        )
        .await
        .unwrap();
    // An older answer arriving late does not overwrite a newer one.
    history
        .record_registration(
            "AA02",
            "nagasaki-pref",
            "construction",
            false,
            datetime!(2026-05-01 12:00 UTC),
        )
        .await
        .unwrap();
    assert_eq!(
        history
            .is_registered("AA02", "nagasaki-pref", "construction")
            .await
            .unwrap(),
        Some(true)
    );
    assert_eq!(
        history
            .is_registered("AA02", "nagasaki-city", "goods")
            .await
            .unwrap(),
        Some(false)
    );
    assert_eq!(
        history
            .is_registered("AA02", "nagasaki-city", "construction")
            .await
            .unwrap(),
        None
    );
    let registrations = history.registrations("AA02").await.unwrap();
    assert_eq!(
        registrations
            .iter()
            .map(|r| (r.organization.as_str(), r.registered))
            .collect::<Vec<_>>(),
        [("nagasaki-city", false), ("nagasaki-pref", true)]
    );
}

#[tokio::test]
async fn each_reminder_is_delivered_once_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let facts = card("AA03");
    let thresholds = Thresholds::default();
    // The PC was off from before the 90-day threshold until 20 days before expiry.
    let clock = Clock::new(datetime!(2027-03-11 09:00 +9), Duration::ZERO);

    let check = |history: History| {
        let thresholds = thresholds.clone();
        async move {
            let card = &history.cards().await.unwrap()[0];
            let due = assess(card.facts.not_after, clock, &thresholds, &card.delivered).due;
            if let Some(due) = &due {
                history
                    .mark_delivered(
                        &card.facts.fingerprint,
                        &due.settles,
                        datetime!(2027-03-11 00:00 UTC),
                    )
                    .await
                    .unwrap();
            }
            history.close().await;
            due.map(|due| due.milestone)
        }
    };

    let history = History::open(&path).await.unwrap();
    history
        .record_card_seen(&facts, datetime!(2026-01-01 0:00 UTC))
        .await
        .unwrap();
    assert_eq!(
        check(history).await,
        Some(Milestone::DaysBefore(30)),
        "one notice for the catch-up"
    );
    assert_eq!(
        check(History::open(&path).await.unwrap()).await,
        None,
        "not again after a restart"
    );
    let history = History::open(&path).await.unwrap();
    assert_eq!(
        history.delivered("AA03").await.unwrap(),
        [90, 60, 30].map(Milestone::DaysBefore)
    );
    // Marking again (two processes showed the same notice) keeps one delivery.
    history
        .mark_delivered(
            "AA03",
            &[Milestone::DaysBefore(30)],
            datetime!(2027-03-12 0:00 UTC),
        )
        .await
        .unwrap();
    assert_eq!(history.delivered("AA03").await.unwrap().len(), 3);
    let unknown = history
        .mark_delivered(
            "FFFF",
            &[Milestone::Expired],
            datetime!(2027-03-12 0:00 UTC),
        )
        .await;
    assert!(matches!(unknown, Err(HistoryError::UnknownCard(_))));
}

#[tokio::test]
async fn the_last_measured_clock_offset_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let history = History::open(&path).await.unwrap();
    assert_eq!(history.clock_offset().await.unwrap(), None);
    history
        .record_clock_offset(
            "https://a.example",
            Duration::milliseconds(-90_500),
            datetime!(2026-05-01 0:00 UTC),
        )
        .await
        .unwrap();
    history
        .record_clock_offset(
            "https://b.example",
            Duration::seconds(3),
            datetime!(2026-04-01 0:00 UTC),
        )
        .await
        .unwrap();
    history.close().await;
    let history = History::open(&path).await.unwrap();
    assert_eq!(
        history.clock_offset().await.unwrap(),
        Some(Duration::milliseconds(-90_500))
    );
    history
        .record_clock_offset(
            "https://b.example",
            Duration::seconds(3),
            datetime!(2026-06-01 0:00 UTC),
        )
        .await
        .unwrap();
    assert_eq!(
        history.clock_offset().await.unwrap(),
        Some(Duration::seconds(3))
    );
}

#[tokio::test]
async fn an_attempt_is_kept_step_by_step_with_its_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let history = History::open(&path).await.unwrap();
    let old = card("AA04");
    let first = history
        .start_attempt(&start(&old), datetime!(2027-03-01 01:00 UTC))
        .await
        .unwrap();
    history
        .record_step(first, "login", "ok", datetime!(2027-03-01 01:01 UTC))
        .await
        .unwrap();
    history
        .record_step(
            first,
            "new_card_proof",
            "new_card_not_newer",
            datetime!(2027-03-01 01:02 UTC),
        )
        .await
        .unwrap();
    history
        .finish_attempt(
            first,
            &Finish::Refused {
                code: "new_card_not_newer".into(),
            },
            datetime!(2027-03-01 01:03 UTC),
        )
        .await
        .unwrap();
    let mut elsewhere = start(&old);
    elsewhere.organization = "nagasaki-city".into();
    let second = history
        .start_attempt(&elsewhere, datetime!(2027-03-02 01:00 UTC))
        .await
        .unwrap();
    history
        .record_step(second, "login", "ok", datetime!(2027-03-02 01:01 UTC))
        .await
        .unwrap();
    history
        .record_new_card(second, "BB04", "NEWSERIAL")
        .await
        .unwrap();

    let attempts = history.attempts(&AttemptFilter::default()).await.unwrap();
    assert_eq!(
        attempts.iter().map(|a| a.id).collect::<Vec<_>>(),
        [second, first],
        "newest first"
    );
    assert_eq!(attempts[0].outcome, Outcome::InProgress);
    assert_eq!(
        attempts[1].outcome,
        Outcome::Refused {
            code: "new_card_not_newer".into()
        }
    );
    assert_eq!(
        attempts[1]
            .steps
            .iter()
            .map(|s| (s.step.as_str(), s.outcome_code.as_str()))
            .collect::<Vec<_>>(),
        [("login", "ok"), ("new_card_proof", "new_card_not_newer")]
    );

    history
        .record_step(second, "commit", "ok", datetime!(2027-03-02 01:05 UTC))
        .await
        .unwrap();
    history
        .finish_attempt(second, &Finish::Committed, datetime!(2027-03-02 01:06 UTC))
        .await
        .unwrap();
    // Finishing again (a retry after an error) keeps the first outcome.
    history
        .finish_attempt(second, &Finish::Cancelled, datetime!(2027-03-02 01:07 UTC))
        .await
        .unwrap();
    history.close().await;

    let history = History::open(&path).await.unwrap();
    let city = history
        .attempts(&AttemptFilter {
            organization: Some("nagasaki-city".into()),
            ..AttemptFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(city.len(), 1);
    assert_eq!(city[0].outcome, Outcome::Committed);
    assert_eq!(city[0].finished_at, Some(datetime!(2027-03-02 01:06 UTC)));
    assert_eq!(
        (
            city[0].new_fingerprint.as_deref(),
            city[0].new_serial.as_deref()
        ),
        (Some("BB04"), Some("NEWSERIAL"))
    );
    assert_eq!(city[0].steps.len(), 2);
    let newest = history
        .attempts(&AttemptFilter {
            limit: Some(1),
            ..AttemptFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(newest.iter().map(|a| a.id).collect::<Vec<_>>(), [second]);
    let since = history
        .attempts(&AttemptFilter {
            since: Some(datetime!(2027-03-02 00:00 UTC)),
            ..AttemptFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(since.iter().map(|a| a.id).collect::<Vec<_>>(), [second]);
}

#[tokio::test]
async fn free_text_and_unknown_attempts_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(&dir.path().join("history.sqlite"))
        .await
        .unwrap();
    let attempt = history
        .start_attempt(&start(&card("AA05")), datetime!(2027-03-01 0:00 UTC))
        .await
        .unwrap();
    let free_text = history
        .record_step(
            attempt,
            "login",
            "PIN 1234 wrong",
            datetime!(2027-03-01 0:00 UTC),
        )
        .await;
    assert!(matches!(free_text, Err(HistoryError::InvalidCode(_))));
    let attempts = history.attempts(&AttemptFilter::default()).await.unwrap();
    assert!(
        attempts[0].steps.is_empty(),
        "nothing of a refused step is kept"
    );

    history
        .finish_attempt(attempt, &Finish::Cancelled, datetime!(2027-03-01 0:00 UTC))
        .await
        .unwrap();
    // An id from another file, past this file's last.
    let other_file = History::open(&dir.path().join("other.sqlite"))
        .await
        .unwrap();
    other_file
        .start_attempt(&start(&card("AA05")), datetime!(2027-03-01 0:00 UTC))
        .await
        .unwrap();
    let stranger = other_file
        .start_attempt(&start(&card("AA05")), datetime!(2027-03-01 0:00 UTC))
        .await
        .unwrap();
    assert!(matches!(
        history.record_step(stranger, "login", "ok", datetime!(2027-03-01 0:00 UTC)).await,
        Err(HistoryError::UnknownAttempt(id)) if id == stranger.get()
    ));
    assert!(matches!(
        history
            .finish_attempt(stranger, &Finish::Committed, datetime!(2027-03-01 0:00 UTC))
            .await,
        Err(HistoryError::UnknownAttempt(_))
    ));
}

#[test]
fn the_default_file_is_in_the_app_data_folder() {
    let path = app_data_path().expect("the test machine has a home");
    assert!(path.ends_with("ebid/history.sqlite"), "{}", path.display());
    assert!(path.starts_with(dirs::data_dir().unwrap()));
}

#[tokio::test]
async fn a_replaced_card_says_by_which_and_stays_refused_where_it_was_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let history = History::open(&path).await.unwrap();
    let (old, new) = (card("EE01"), card("EE02"));
    let at = datetime!(2026-05-01 0:00 UTC);
    for facts in [&old, &new] {
        history.record_card_seen(facts, at).await.unwrap();
    }
    let unknown = history.mark_replaced("NOPE", "EE02", at).await.unwrap_err();
    assert!(
        matches!(unknown, HistoryError::UnknownCard(ref fp) if fp == "NOPE"),
        "{unknown}"
    );
    history.mark_replaced("EE01", "EE02", at).await.unwrap();
    // A second mark keeps the first.
    history
        .mark_replaced("EE01", "OTHER", at + Duration::days(1))
        .await
        .unwrap();
    for (fingerprint, registered) in [("EE01", false), ("EE02", true)] {
        history
            .record_registration(fingerprint, "nagasaki-pref", "construction", registered, at)
            .await
            .unwrap();
    }
    // A card refused long ago elsewhere, and one refused just now.
    let (stale, fresh) = (card("EE03"), card("EE04"));
    for (facts, answered) in [(&stale, at - Duration::days(40)), (&fresh, at)] {
        history.record_card_seen(facts, answered).await.unwrap();
        history
            .record_registration(
                &facts.fingerprint,
                "nagasaki-pref",
                "construction",
                false,
                answered,
            )
            .await
            .unwrap();
    }
    history.close().await;

    let history = History::open(&path).await.unwrap();
    let cards = history.cards().await.unwrap();
    let replaced = |fingerprint: &str| {
        cards
            .iter()
            .find(|card| card.facts.fingerprint == fingerprint)
            .unwrap()
            .replaced
            .clone()
    };
    assert_eq!(
        replaced("EE01"),
        Some(ebid_history::Replacement {
            by: "EE02".into(),
            at
        })
    );
    assert_eq!(replaced("EE02"), None);

    let since = at - Duration::days(30);
    let refused = history
        .unregistered("nagasaki-pref", "construction", since)
        .await
        .unwrap();
    assert_eq!(
        refused,
        [
            ebid_history::Unregistered {
                fingerprint: "EE01".into(),
                replaced: true
            },
            ebid_history::Unregistered {
                fingerprint: "EE04".into(),
                replaced: false
            },
        ],
        "the stale answer is asked again, the replaced card never"
    );
    assert!(
        history
            .unregistered("sasebo-city", "construction", since)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn attempts_are_filtered_by_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let history = History::open(&path).await.unwrap();
    let facts = card("FF01");
    let at = datetime!(2026-05-01 0:00 UTC);
    history.record_card_seen(&facts, at).await.unwrap();
    let mut ids = Vec::new();
    for finish in [
        Some(Finish::Committed),
        Some(Finish::Refused {
            code: "new_card_expired".into(),
        }),
        Some(Finish::Cancelled),
        None,
    ] {
        let id = history.start_attempt(&start(&facts), at).await.unwrap();
        if let Some(finish) = finish {
            history.finish_attempt(id, &finish, at).await.unwrap();
        } else {
            history.leave_unfinished(id);
        }
        ids.push(id);
    }
    let selected = |outcome| {
        let history = history.clone();
        async move {
            history
                .attempts(&AttemptFilter {
                    outcome: Some(outcome),
                    ..AttemptFilter::default()
                })
                .await
                .unwrap()
                .into_iter()
                .map(|attempt| (attempt.id, attempt.outcome))
                .collect::<Vec<_>>()
        }
    };
    use ebid_history::OutcomeFilter;
    assert_eq!(
        selected(OutcomeFilter::Committed).await,
        [(ids[0], Outcome::Committed)]
    );
    assert_eq!(
        selected(OutcomeFilter::Refused).await,
        [(
            ids[1],
            Outcome::Refused {
                code: "new_card_expired".into()
            }
        )]
    );
    assert_eq!(
        selected(OutcomeFilter::Cancelled).await,
        [(ids[2], Outcome::Cancelled)]
    );
    assert_eq!(
        selected(OutcomeFilter::Unfinished).await,
        [(ids[3], Outcome::Interrupted)],
        "left unfinished by its handle: interrupted, not in progress"
    );
}
