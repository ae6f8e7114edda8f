//! The renewal against the real server on 127.0.0.1 (SQLite in a temporary folder, seeded from the demo set)
//! with the demo set's virtual cards in-process.

// A module of this test binary, not one of its own: it shares the support code, all of which it would not use.
#[path = "renewal/history.rs"]
mod history;
#[path = "renewal/hostile_server.rs"]
mod hostile_server;
#[path = "renewal/pass.rs"]
mod pass;
#[path = "renewal/registering.rs"]
mod registering;
mod support;

use std::time::Duration;

use ebid_card::{CardError, Pin, PinStatus};
use ebid_client::ClientError;
use ebid_protocol::{CertificateStatus, NextStep, RefusalCode, RenewalResult};
use ebid_workflow::{CommitPolicy, Renewal, RenewalError, Stage, jst_minutes, read_card};
use support::proxy::CuttingProxy;
use support::{CATEGORY, Demo, ORGANIZATION};

#[tokio::test]
async fn a_full_renewal_then_the_registration_with_the_new_card() {
    let demo = Demo::start().await;
    let mut renewal = demo.renewal();
    assert_eq!(renewal.stage(), Stage::New);

    let clock = renewal.fetch_server_time().await.unwrap();
    assert!(!clock.pc_clock_is_off(), "{:?}", clock.skew());
    assert_eq!(
        jst_minutes(clock.now()).len(),
        "2011年04月22日 14時33分".len()
    );
    assert_eq!(renewal.stage(), Stage::TimeKnown);

    let (mut current, current_log) = demo.card("current");
    let reading = read_card(current.as_mut()).unwrap();
    assert_eq!(reading.pin, PinStatus::TriesLeft(3));
    renewal.check_card(&reading).await.unwrap();
    let menu = renewal
        .login_current(current.as_mut(), &demo.pin("current"))
        .await
        .unwrap();
    assert_eq!(menu.company.name, "株式会社長崎土木");
    assert_eq!(menu.user.certificate.serial, demo.serial("current"));
    assert_eq!(renewal.stage(), Stage::LoggedIn);
    assert_eq!(current_log.pin_verifies(), 1);

    let (mut new, new_log) = demo.card("replacement");
    renewal
        .check_card(&read_card(new.as_mut()).unwrap())
        .await
        .unwrap();
    let confirmation = renewal
        .prove_new_card(new.as_mut(), &demo.pin("replacement"))
        .await
        .unwrap();
    assert!(
        confirmation.violations.is_empty(),
        "{:?}",
        confirmation.violations
    );
    assert_eq!(confirmation.current.serial, demo.serial("current"));
    assert_eq!(confirmation.new.serial, demo.serial("replacement"));
    assert_eq!(confirmation.new.company_name, "株式会社長崎土木");
    assert_eq!(new_log.pin_verifies(), 1);
    assert_eq!(renewal.stage(), Stage::Confirming);

    let result = renewal.commit().await.unwrap();
    assert_eq!(result.old_serial, demo.serial("current"));
    assert_eq!(result.new_serial, demo.serial("replacement"));
    assert_eq!(renewal.stage(), Stage::Committed);
    assert_eq!(renewal.result(), Some(&result));

    // 登録者情報 is the new card's: the old one is named before its PIN.
    let (mut old, old_log) = demo.card("current");
    let error = renewal
        .registration_info(old.as_mut(), &demo.pin("current"))
        .await
        .unwrap_err();
    assert!(matches!(error, RenewalError::OldCardInReader), "{error:?}");
    assert_eq!(old_log.pin_verifies(), 0);
    let (mut new_again, _) = demo.card("replacement");
    let info = renewal
        .registration_info(new_again.as_mut(), &demo.pin("replacement"))
        .await
        .unwrap();
    assert_history(&info, &demo, &result);
    renewal.end().await.unwrap();
    assert_eq!(renewal.stage(), Stage::Ended);

    // The old card is done here: the server refuses it, and 登録者情報 is the new card's.
    let mut after = demo.renewal();
    after.fetch_server_time().await.unwrap();
    let (mut old, _) = demo.card("current");
    let refused = after
        .login_current(old.as_mut(), &demo.pin("current"))
        .await
        .unwrap_err();
    assert_eq!(
        refused.refusal_code(),
        Some(RefusalCode::CurrentCardNotRegistered)
    );
}

/// 登録利用者一覧: the new certificate active, the old one kept as superseded, nothing twice.
fn assert_history(info: &ebid_protocol::RegistrationInfo, demo: &Demo, result: &RenewalResult) {
    let user = info
        .users
        .iter()
        .find(|user| user.holder == "長崎 太郎")
        .expect("the holder is listed");
    let serials: Vec<(&str, CertificateStatus)> = user
        .certificates
        .iter()
        .map(|c| (c.serial.as_str(), c.status))
        .collect();
    assert_eq!(
        serials,
        vec![
            (
                demo.serial("replacement").as_str(),
                CertificateStatus::Active
            ),
            (
                demo.serial("current").as_str(),
                CertificateStatus::Superseded
            ),
        ]
    );
    assert_eq!(result.organization, ORGANIZATION);
}

#[tokio::test]
async fn the_same_card_twice_is_refused_before_its_pin() {
    let demo = Demo::start().await;
    let mut renewal = demo.renewal();
    renewal.fetch_server_time().await.unwrap();
    let (mut current, log) = demo.card("current");
    renewal
        .login_current(current.as_mut(), &demo.pin("current"))
        .await
        .unwrap();

    let reading = read_card(current.as_mut()).unwrap();
    assert!(matches!(
        renewal.check_card(&reading).await,
        Err(RenewalError::SameCard)
    ));
    let error = renewal
        .prove_new_card(current.as_mut(), &demo.pin("current"))
        .await
        .unwrap_err();
    assert!(matches!(error, RenewalError::SameCard), "{error:?}");
    assert_eq!(
        error.to_string(),
        "同じICカードです。新しく取得したICカードを挿入してください。"
    );
    assert_eq!(error.next_step(), Some(NextStep::Retry));
    assert_eq!(log.pin_verifies(), 1, "only the login's VERIFY");
    assert_eq!(renewal.stage(), Stage::LoggedIn);
}

#[tokio::test]
async fn the_same_jpki_card_twice_is_refused_after_verify_before_signing() {
    let demo = Demo::start().await;
    let mut renewal = demo.renewal();
    renewal.fetch_server_time().await.unwrap();
    let (mut jpki, log) = demo.card("jpki");
    let reading = read_card(jpki.as_mut()).unwrap();
    assert!(
        reading.certificate.is_none(),
        "JPKI shows its certificate only after the PIN"
    );
    assert_eq!(reading.pin, PinStatus::TriesLeft(5));
    let menu = renewal
        .login_current(jpki.as_mut(), &demo.pin("jpki"))
        .await
        .unwrap();
    assert_eq!(menu.user.holder, "長崎 一郎");
    let signatures = log.signatures();

    let error = renewal
        .prove_new_card(jpki.as_mut(), &demo.pin("jpki"))
        .await
        .unwrap_err();
    assert!(matches!(error, RenewalError::SameCard), "{error:?}");
    assert_eq!(log.signatures(), signatures, "the same card never signs");

    let (mut renewed, _) = demo.card("jpki-replacement");
    let confirmation = renewal
        .prove_new_card(renewed.as_mut(), &demo.pin("jpki-replacement"))
        .await
        .unwrap();
    assert!(
        confirmation.violations.is_empty(),
        "{:?}",
        confirmation.violations
    );
    assert_eq!(confirmation.new.card_company, None);
    let result = renewal.commit().await.unwrap();
    assert_eq!(result.new_serial, demo.serial("jpki-replacement"));
}

#[tokio::test]
async fn the_new_card_at_the_current_card_step_is_named() {
    let demo = Demo::start().await;
    let mut renewal = demo.renewal();
    renewal.fetch_server_time().await.unwrap();

    // Before anything is known of it, the server's refusal says what it may be.
    let (mut new, new_log) = demo.card("replacement");
    let error = renewal
        .login_current(new.as_mut(), &demo.pin("replacement"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, RenewalError::NotRegistered { .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("現在使用しているICカードに挿し替えてください")
    );
    assert_eq!(renewal.stage(), Stage::TimeKnown);
    // Put in again, it is named before its PIN.
    let again = read_card(new.as_mut()).unwrap();
    assert!(matches!(
        renewal.check_card(&again).await,
        Err(RenewalError::NotRegistered { .. })
    ));
    assert_eq!(new_log.pin_verifies(), 1);

    let (mut current, _) = demo.card("current");
    renewal
        .login_current(current.as_mut(), &demo.pin("current"))
        .await
        .unwrap();
    renewal
        .prove_new_card(new.as_mut(), &demo.pin("replacement"))
        .await
        .unwrap();

    // The session idles out on the confirmation screen: log in again, with the new card still in.
    demo.clock.advance(Duration::from_secs(11 * 60));
    let error = renewal.commit().await.unwrap_err();
    assert_eq!(error.refusal_code(), Some(RefusalCode::SessionExpired));
    assert_eq!(error.next_step(), Some(NextStep::Login));
    assert_eq!(renewal.stage(), Stage::TimeKnown);
    let verifies = new_log.pin_verifies();
    let in_reader = read_card(new.as_mut()).unwrap();
    assert!(matches!(
        renewal.check_card(&in_reader).await,
        Err(RenewalError::NewCardInReader)
    ));
    let error = renewal
        .login_current(new.as_mut(), &demo.pin("current"))
        .await
        .unwrap_err();
    assert!(matches!(error, RenewalError::NewCardInReader), "{error:?}");
    assert_eq!(
        new_log.pin_verifies(),
        verifies,
        "no PIN spent on the wrong card"
    );

    // Another card than the one logged in with is named too.
    let (mut other, _) = demo.card("other-company");
    let error = renewal
        .login_current(other.as_mut(), &demo.pin("other-company"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, RenewalError::NotTheCurrentCard),
        "{error:?}"
    );

    renewal
        .login_current(current.as_mut(), &demo.pin("current"))
        .await
        .unwrap();
    renewal
        .prove_new_card(new.as_mut(), &demo.pin("replacement"))
        .await
        .unwrap();
    renewal.commit().await.unwrap();
}

#[tokio::test]
async fn an_expired_current_card_is_refused_before_any_pin() {
    let demo = Demo::start().await;
    // `current` has 20 days left by the PC's clock; the server's clock, the one that counts, is 30 days on.
    demo.clock.advance(Duration::from_secs(30 * 24 * 60 * 60));
    let mut renewal = demo.renewal();
    let clock = renewal.fetch_server_time().await.unwrap();
    assert!(clock.pc_clock_is_off());

    let (mut current, log) = demo.card("current");
    let reading = read_card(current.as_mut()).unwrap();
    let refused = renewal.check_card(&reading).await.unwrap_err();
    assert_eq!(
        refused.refusal_code(),
        Some(RefusalCode::CurrentCardExpired)
    );
    assert_eq!(refused.next_step(), Some(NextStep::NewRegistration));

    let refused = renewal
        .login_current(current.as_mut(), &Pin::new("000000"))
        .await
        .unwrap_err();
    assert_eq!(
        refused.refusal_code(),
        Some(RefusalCode::CurrentCardExpired),
        "{refused:?}"
    );
    assert_eq!(log.pin_verifies(), 0);
    assert_eq!(
        read_card(current.as_mut()).unwrap().pin,
        PinStatus::TriesLeft(3)
    );
    assert_eq!(renewal.stage(), Stage::TimeKnown);

    let der = reading.certificate.as_ref().unwrap().der().to_vec();
    assert!(ebid_workflow::check_current_card(&der, time::OffsetDateTime::now_utc()).is_ok());
    assert!(ebid_workflow::check_current_card(&der, clock.now()).is_err());
}

#[tokio::test]
async fn a_wrong_pin_leaves_the_stage_and_shows_the_tries_left() {
    let demo = Demo::start().await;
    let mut renewal = demo.renewal();
    renewal.fetch_server_time().await.unwrap();
    let (mut current, log) = demo.card("current");

    let error = renewal
        .login_current(current.as_mut(), &Pin::new("000000"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            RenewalError::Card(CardError::WrongPin { tries_left: 2 })
        ),
        "{error:?}"
    );
    assert_eq!(error.next_step(), Some(NextStep::Retry));
    assert_eq!(log.pin_verifies(), 1, "one VERIFY, never retried");
    assert_eq!(renewal.stage(), Stage::TimeKnown);
    assert_eq!(
        read_card(current.as_mut()).unwrap().pin,
        PinStatus::TriesLeft(2)
    );

    // A PIN of the wrong format never reaches the card.
    let error = renewal
        .login_current(current.as_mut(), &Pin::new("12"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, RenewalError::Card(CardError::PinFormat(_))),
        "{error:?}"
    );
    assert_eq!(log.pin_verifies(), 1);

    renewal
        .login_current(current.as_mut(), &demo.pin("current"))
        .await
        .unwrap();
    let (mut new, _) = demo.card("replacement");
    let error = renewal
        .prove_new_card(new.as_mut(), &Pin::new("111111"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            RenewalError::Card(CardError::WrongPin { tries_left: 2 })
        ),
        "{error:?}"
    );
    assert_eq!(renewal.stage(), Stage::LoggedIn);
    renewal
        .prove_new_card(new.as_mut(), &demo.pin("replacement"))
        .await
        .unwrap();
}

/// Logs in through `proxy` with `current` and proves `replacement`: ready for 【更新】.
async fn confirmed_through(demo: &Demo, proxy: &CuttingProxy) -> Renewal {
    // The default policy's attempts, without its pause: what is counted is the number of POSTs.
    let policy = CommitPolicy {
        pause: Duration::ZERO,
        ..CommitPolicy::DEFAULT
    };
    let mut renewal = Renewal::new(support::client(&proxy.url()), ORGANIZATION, CATEGORY)
        .with_commit_policy(policy);
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
    renewal
}

#[tokio::test]
async fn a_commit_whose_answer_was_lost_is_sent_again_and_renews_once() {
    let proxy = CuttingProxy::bind(1).await;
    let demo = Demo::behind(&proxy).await;
    let mut renewal = confirmed_through(&demo, &proxy).await;

    // The workflow sends the commit once more by itself; the server answers what it answered the first time.
    let mut resent = Vec::new();
    let result = renewal
        .commit_reporting(|resend| resent.push(resend.attempt))
        .await
        .unwrap();
    assert_eq!(resent, [2], "one repeat, reported before it was sent");
    assert_eq!(proxy.commits_seen().await, 2);
    let lost: RenewalResult =
        serde_json::from_str(&proxy.lost_answer().await.expect("the server answered")).unwrap();
    assert_eq!(result, lost, "the same result, not a second renewal");
    let (mut new_again, _) = demo.card("replacement");
    let info = renewal
        .registration_info(new_again.as_mut(), &demo.pin("replacement"))
        .await
        .unwrap();
    assert_history(&info, &demo, &result);
}

#[tokio::test]
async fn one_commit_is_at_most_the_policys_posts_then_the_user_commits_again() {
    let attempts = CommitPolicy::DEFAULT.attempts as usize;
    let proxy = CuttingProxy::bind(attempts).await;
    let demo = Demo::behind(&proxy).await;
    let mut renewal = confirmed_through(&demo, &proxy).await;

    // Every attempt of this 【更新】 is cut: exactly the policy's POSTs reach the server, the client's own
    // transport adding none.
    let error = renewal.commit().await.unwrap_err();
    assert!(
        matches!(error, RenewalError::Client(ClientError::Interrupted(_))),
        "{error:?}"
    );
    assert_eq!(proxy.commits_seen().await, attempts);
    assert_eq!(error.next_step(), Some(NextStep::Retry));
    assert_eq!(renewal.stage(), Stage::Confirming);
    let lost: RenewalResult =
        serde_json::from_str(&proxy.lost_answer().await.expect("the server answered")).unwrap();

    // Pressed again: one more POST, answered with the same result.
    let result = renewal.commit().await.unwrap();
    assert_eq!(proxy.commits_seen().await, attempts + 1);
    assert_eq!(result, lost, "the same result, not a second renewal");
    let (mut new_again, _) = demo.card("replacement");
    let info = renewal
        .registration_info(new_again.as_mut(), &demo.pin("replacement"))
        .await
        .unwrap();
    assert_history(&info, &demo, &result);
}

#[tokio::test]
async fn broken_rules_block_the_commit_and_back_returns_to_the_menu() {
    let demo = Demo::start().await;
    let mut renewal = demo.renewal();
    renewal.fetch_server_time().await.unwrap();
    let (mut current, _) = demo.card("current");
    renewal
        .login_current(current.as_mut(), &demo.pin("current"))
        .await
        .unwrap();

    let (mut other_holder, _) = demo.card("other-holder");
    let confirmation = renewal
        .prove_new_card(other_holder.as_mut(), &demo.pin("other-holder"))
        .await
        .unwrap();
    let codes: Vec<RefusalCode> = confirmation.violations.iter().map(|v| v.code).collect();
    assert_eq!(codes, vec![RefusalCode::HolderDiffers]);
    let blocked = renewal.commit().await.unwrap_err();
    assert!(
        matches!(blocked, RenewalError::Violations(_)),
        "{blocked:?}"
    );
    assert_eq!(blocked.next_step(), Some(NextStep::Change));
    assert!(
        blocked.to_string().starts_with("更新できません。"),
        "{blocked}"
    );
    assert_eq!(renewal.stage(), Stage::Confirming);

    renewal.back().unwrap();
    assert_eq!(renewal.stage(), Stage::LoggedIn);
    let (mut new, _) = demo.card("replacement");
    renewal
        .prove_new_card(new.as_mut(), &demo.pin("replacement"))
        .await
        .unwrap();
    renewal.commit().await.unwrap();
}

#[tokio::test]
async fn steps_out_of_order_are_typed_errors() {
    let demo = Demo::start().await;
    let mut renewal = demo.renewal();
    let (mut current, log) = demo.card("current");
    let early = renewal
        .login_current(current.as_mut(), &demo.pin("current"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            early,
            RenewalError::WrongState {
                call: "login_current",
                stage: Stage::New
            }
        ),
        "{early:?}"
    );
    assert_eq!(log.pin_verifies(), 0);
    assert!(matches!(
        renewal.commit().await,
        Err(RenewalError::WrongState { .. })
    ));
    assert!(matches!(
        renewal.back(),
        Err(RenewalError::WrongState { .. })
    ));
    renewal.fetch_server_time().await.unwrap();
    renewal
        .login_current(current.as_mut(), &demo.pin("current"))
        .await
        .unwrap();
    assert!(matches!(
        renewal
            .login_current(current.as_mut(), &demo.pin("current"))
            .await,
        Err(RenewalError::WrongState { .. })
    ));
    renewal.end().await.unwrap();
    assert!(matches!(
        renewal.fetch_server_time().await,
        Err(RenewalError::WrongState { .. })
    ));
}

#[tokio::test]
async fn a_server_that_is_down_is_unreachable_and_nothing_moves() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let mut renewal = Renewal::new(
        support::client(&format!("http://127.0.0.1:{port}")),
        ORGANIZATION,
        CATEGORY,
    );
    let error = renewal.fetch_server_time().await.unwrap_err();
    assert!(
        matches!(error, RenewalError::Client(ClientError::Unreachable(_))),
        "{error:?}"
    );
    assert_eq!(renewal.stage(), Stage::New);
}

#[tokio::test]
async fn registration_info_outside_a_renewal() {
    let demo = Demo::start().await;
    let client = demo.client();
    let clock = ebid_workflow::fetch_server_clock(&client).await.unwrap();
    let (mut current, _) = demo.card("current");
    let (menu, info) = ebid_workflow::registration_info(
        &client,
        ORGANIZATION,
        CATEGORY,
        &clock,
        current.as_mut(),
        &demo.pin("current"),
    )
    .await
    .unwrap();
    assert_eq!(menu.user.holder, "長崎 太郎");
    assert_eq!(info.company.name, "株式会社長崎土木");
    assert!(info.users.iter().any(|u| {
        u.certificates
            .iter()
            .any(|c| c.serial == demo.serial("current"))
    }));
}
