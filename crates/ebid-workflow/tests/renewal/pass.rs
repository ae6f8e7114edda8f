//! ICカード更新 at several 調達機関 in one pass, against the real server on 127.0.0.1 (SQLite in a temporary
//! folder, seeded from the demo set plus registrations of the test's own) with the demo's virtual cards
//! in-process: one VERIFY on each JPKI card for every place, a place's refusal kept to that place (and
//! renewed alone once its cause is gone), PIV's PIN asked again before each place, a wrong PIN stopping
//! the step with nothing logged in.

use ebid_card::{CardError, PinStatus, Profile};
use ebid_history::{AttemptFilter, History, Outcome};
use ebid_protocol::{CertificateStatus, RefusalCode, RegistrationDetails, RegistrationState};
use ebid_server::{AdminArgs, AdminCommand};
use ebid_workflow::pass::{
    PassError, PassPlace, PassStep, PlaceStatus, RenewalPass, candidate_places,
};
use ebid_workflow::registering::Registering;
use ebid_workflow::{
    Renewal, RenewalError, fetch_place, fetch_server_clock, messages, read_card, registration_info,
};

use crate::support::{CATEGORY, Demo, ORGANIZATION};

const NAGASAKI_CITY: &str = "nagasaki-city";
const SASEBO: &str = "sasebo-city";
/// 長崎一郎設計事務所, whose holder's マイナンバーカード (`jpki`) the demo registers at 長崎県 only.
const ICHIRO_VENDOR: &str = "4210000789";

/// 長崎一郎設計事務所 listed at `organization` too: with its user (the `jpki` card) or without.
fn list_ichiro_at(seed: &mut serde_json::Value, organization: &str, with_user: bool) {
    let companies = seed["companies"].as_array_mut().expect("companies");
    let mut company = companies
        .iter()
        .find(|c| c["vendor_number"] == ICHIRO_VENDOR && c["organization"] == ORGANIZATION)
        .expect("長崎一郎設計事務所 at 長崎県")
        .clone();
    company["organization"] = organization.into();
    if !with_user {
        company["users"] = serde_json::json!([]);
    }
    companies.push(company);
}

async fn places(demo: &Demo, organizations: &[&str]) -> Vec<PassPlace> {
    let mut places = Vec::new();
    for organization in organizations {
        places.push(PassPlace {
            organization: (*organization).to_owned(),
            category: CATEGORY.to_owned(),
            names: fetch_place(&demo.client(), organization, CATEGORY)
                .await
                .unwrap(),
        });
    }
    places
}

fn fingerprint(demo: &Demo, card: &str) -> String {
    let (mut opened, _) = demo.card(card);
    opened.verify_pin(&demo.pin(card)).unwrap();
    let der = opened.signing_certificate().unwrap();
    ebid_cert::parse_certificate(&der)
        .unwrap()
        .facts()
        .fingerprint_sha256
        .clone()
}

/// 登録利用者一覧 at `organization`, read with the new card: its certificate active there.
async fn assert_registered(demo: &Demo, organization: &str, card: &str) {
    let client = demo.client();
    let clock = fetch_server_clock(&client).await.unwrap();
    let (mut opened, _) = demo.card(card);
    let (menu, info) = registration_info(
        &client,
        organization,
        CATEGORY,
        &clock,
        opened.as_mut(),
        &demo.pin(card),
    )
    .await
    .unwrap_or_else(|error| panic!("{organization}: {error}"));
    assert_eq!(
        menu.user.certificate.serial,
        demo.serial(card),
        "{organization}"
    );
    let listed = info
        .users
        .iter()
        .flat_map(|user| &user.certificates)
        .find(|c| c.serial == demo.serial(card))
        .expect("the new card is listed");
    assert_eq!(listed.status, CertificateStatus::Active, "{organization}");
}

#[tokio::test]
async fn a_jpki_card_is_renewed_at_three_places_with_one_verify_on_each_card() {
    let demo = Demo::start_seeded(|seed| {
        list_ichiro_at(seed, NAGASAKI_CITY, true);
        list_ichiro_at(seed, SASEBO, true);
    })
    .await;
    // The places come from what the history knows of the card, as the servers answered.
    let dir = tempfile::tempdir().unwrap();
    let history = History::open(&dir.path().join("history.sqlite"))
        .await
        .unwrap();
    // The history learns where the card is registered from the servers' answers: here, earlier logins.
    for organization in [SASEBO, ORGANIZATION, NAGASAKI_CITY] {
        let mut earlier =
            Renewal::new(demo.client(), organization, CATEGORY).with_history(history.clone());
        earlier.fetch_server_time().await.unwrap();
        let (mut card, _) = demo.card("jpki");
        earlier
            .login_current(card.as_mut(), &demo.pin("jpki"))
            .await
            .unwrap();
        earlier.end().await.unwrap();
    }
    let current = fingerprint(&demo, "jpki");
    let places = candidate_places(&demo.client(), &history, &current)
        .await
        .unwrap();
    let names: Vec<String> = places.iter().map(messages::place_name).collect();
    assert_eq!(
        names,
        [
            "長崎県（工事・業務）",
            "長崎市（工事・業務）",
            "佐世保市（工事・業務）"
        ]
    );

    let mut pass = RenewalPass::new(demo.client(), places).with_history(history.clone());
    pass.set_operator("長崎 一郎");
    pass.fetch_server_time().await.unwrap();

    let (mut old, old_log) = demo.card("jpki");
    let step = pass
        .login_current(old.as_mut(), &demo.pin("jpki"))
        .await
        .unwrap();
    assert_eq!(step, PassStep::Done);
    assert_eq!(
        (old_log.pin_verifies(), old_log.signatures()),
        (1, 3),
        "one VERIFY, a signature a place"
    );
    assert!(
        pass.outcomes()
            .iter()
            .all(|o| matches!(o.status, PlaceStatus::LoggedIn))
    );

    let (mut new, new_log) = demo.card("jpki-replacement");
    let step = pass
        .prove_new_card(new.as_mut(), &demo.pin("jpki-replacement"))
        .await
        .unwrap();
    assert_eq!(step, PassStep::Done);
    assert_eq!((new_log.pin_verifies(), new_log.signatures()), (1, 3));
    let confirmations = pass.confirmations();
    assert_eq!(confirmations.len(), 3);
    for (place, confirmation) in &confirmations {
        assert!(
            confirmation.violations.is_empty(),
            "{}: {:?}",
            place.organization,
            confirmation.violations
        );
        assert_eq!(confirmation.new.serial, demo.serial("jpki-replacement"));
    }

    let committed = pass.commit().await.unwrap();
    let organizations: Vec<&str> = committed
        .iter()
        .map(|outcome| match outcome.status {
            PlaceStatus::Committed(result) => result.organization.as_str(),
            other => panic!("{}: {other:?}", outcome.place.organization),
        })
        .collect();
    assert_eq!(organizations, [ORGANIZATION, NAGASAKI_CITY, SASEBO]);
    assert!(
        committed[0]
            .summary()
            .starts_with("長崎県（工事・業務）: 更新が完了しました"),
        "{}",
        committed[0].summary()
    );
    pass.end().await.unwrap();
    assert!(pass.history_problem().is_none());

    for organization in [ORGANIZATION, NAGASAKI_CITY, SASEBO] {
        assert_registered(&demo, organization, "jpki-replacement").await;
    }
    // Each place its own attempt in the history, each committed.
    let attempts = history.attempts(&AttemptFilter::default()).await.unwrap();
    // (The earlier logins' attempts were cancelled.)
    let mut recorded: Vec<(&str, &Outcome)> = attempts
        .iter()
        .filter(|a| a.outcome != Outcome::Cancelled)
        .map(|a| (a.start.organization.as_str(), &a.outcome))
        .collect();
    recorded.sort_by_key(|(organization, _)| *organization);
    assert_eq!(
        recorded,
        [
            (NAGASAKI_CITY, &Outcome::Committed),
            (ORGANIZATION, &Outcome::Committed),
            (SASEBO, &Outcome::Committed)
        ]
    );
}

#[tokio::test]
async fn a_place_that_refuses_is_its_own_outcome_and_renews_alone_once_its_cause_is_gone() {
    let demo = Demo::start_seeded(|seed| {
        list_ichiro_at(seed, NAGASAKI_CITY, true);
        list_ichiro_at(seed, SASEBO, false);
    })
    .await;
    // 佐世保市 holds 新規登録 for its administrator: the card waits there (仮登録).
    let mut registering = Registering::new(demo.client(), SASEBO, CATEGORY);
    registering.fetch_server_time().await.unwrap();
    let (mut card, _) = demo.card("jpki");
    let info = demo_details();
    let receipt = registering
        .register(card.as_mut(), &demo.pin("jpki"), &info)
        .await
        .unwrap();
    assert_eq!(receipt.state, RegistrationState::Pending);

    let mut pass = RenewalPass::new(
        demo.client(),
        places(&demo, &[ORGANIZATION, SASEBO, NAGASAKI_CITY]).await,
    );
    pass.fetch_server_time().await.unwrap();
    let (mut old, old_log) = demo.card("jpki");
    assert_eq!(
        pass.login_current(old.as_mut(), &demo.pin("jpki"))
            .await
            .unwrap(),
        PassStep::Done
    );
    assert_eq!(old_log.pin_verifies(), 1);
    let statuses: Vec<Option<RefusalCode>> = pass
        .outcomes()
        .iter()
        .map(|o| o.status.refusal_code())
        .collect();
    assert_eq!(
        statuses,
        [None, Some(RefusalCode::RegistrationPending), None]
    );
    let refused = pass.outcomes()[1].summary();
    assert!(
        refused.starts_with("佐世保市（工事・業務）: 更新できませんでした。"),
        "{refused}"
    );

    let (mut new, new_log) = demo.card("jpki-replacement");
    assert_eq!(
        pass.prove_new_card(new.as_mut(), &demo.pin("jpki-replacement"))
            .await
            .unwrap(),
        PassStep::Done
    );
    assert_eq!((new_log.pin_verifies(), new_log.signatures()), (1, 2));
    let committed = pass.commit().await.unwrap();
    assert_eq!(committed.len(), 2, "only the confirmed places are sent");
    assert!(
        committed
            .iter()
            .all(|o| matches!(o.status, PlaceStatus::Committed(_)))
    );
    let outcomes = pass.outcomes();
    assert!(
        matches!(outcomes[1].status, PlaceStatus::Refused(e) if e.refusal_code() == Some(RefusalCode::RegistrationPending))
    );
    pass.end().await.unwrap();
    for organization in [ORGANIZATION, NAGASAKI_CITY] {
        assert_registered(&demo, organization, "jpki-replacement").await;
    }

    // The administrator approves; then 佐世保市 alone, with an ordinary renewal.
    ebid_server::admin(AdminArgs {
        command: AdminCommand::Approve {
            database: demo.database(),
            application: receipt.application_id.clone(),
        },
    })
    .await
    .unwrap();
    let mut alone = Renewal::new(demo.client(), SASEBO, CATEGORY);
    alone.fetch_server_time().await.unwrap();
    let (mut old, _) = demo.card("jpki");
    alone
        .login_current(old.as_mut(), &demo.pin("jpki"))
        .await
        .unwrap();
    let (mut new, _) = demo.card("jpki-replacement");
    alone
        .prove_new_card(new.as_mut(), &demo.pin("jpki-replacement"))
        .await
        .unwrap();
    let result = alone.commit().await.unwrap();
    assert_eq!(result.new_serial, demo.serial("jpki-replacement"));
    alone.end().await.unwrap();
    assert_registered(&demo, SASEBO, "jpki-replacement").await;
}

fn demo_details() -> RegistrationDetails {
    RegistrationDetails {
        vendor_number: ICHIRO_VENDOR.into(),
        company_name: "長崎一郎設計事務所".into(),
        contact: ebid_protocol::Contact {
            department: "設計事務所".into(),
            name: "長崎 一郎".into(),
            address: "長崎県長崎市江戸町2番13号".into(),
            phone: "095-000-0789".into(),
            email: "ichiro@nagasaki-sekkei.example".into(),
        },
        operator: "長崎 一郎".into(),
    }
}

#[tokio::test]
async fn a_piv_card_is_asked_its_pin_again_before_each_place() {
    let demo = Demo::start().await;
    let mut pass = RenewalPass::new(
        demo.client(),
        places(&demo, &[ORGANIZATION, NAGASAKI_CITY]).await,
    );
    pass.fetch_server_time().await.unwrap();

    let (mut current, log) = demo.card("current");
    let step = pass
        .login_current(current.as_mut(), &demo.pin("current"))
        .await
        .unwrap();
    let PassStep::PinAgain { next } = step else {
        panic!("{step:?}")
    };
    assert_eq!(next.organization, NAGASAKI_CITY);
    assert_eq!(
        messages::pin_again(Profile::Piv, &next),
        "このICカードは署名のたびにPIN番号の入力が必要です。次の調達機関（長崎市（工事・業務））の手続きのため、もう一度PIN番号を入力してください。"
    );
    assert_eq!(
        (log.pin_verifies(), log.signatures()),
        (1, 1),
        "no signature without its VERIFY"
    );
    let statuses: Vec<bool> = pass
        .outcomes()
        .iter()
        .map(|o| matches!(o.status, PlaceStatus::LoggedIn))
        .collect();
    assert_eq!(statuses, [true, false]);
    // Before the PIN again, the new card cannot prove itself: the login step is not done.
    let (mut new, new_log) = demo.card("replacement");
    assert!(matches!(
        pass.prove_new_card(new.as_mut(), &demo.pin("replacement"))
            .await,
        Err(PassError::WrongState("prove_new_card"))
    ));
    assert_eq!(new_log.pin_verifies(), 0);

    let step = pass
        .login_current(current.as_mut(), &demo.pin("current"))
        .await
        .unwrap();
    assert_eq!(step, PassStep::Done);
    assert_eq!((log.pin_verifies(), log.signatures()), (2, 2));

    let step = pass
        .prove_new_card(new.as_mut(), &demo.pin("replacement"))
        .await
        .unwrap();
    assert!(
        matches!(&step, PassStep::PinAgain { next } if next.organization == NAGASAKI_CITY),
        "{step:?}"
    );
    assert_eq!((new_log.pin_verifies(), new_log.signatures()), (1, 1));
    let step = pass
        .prove_new_card(new.as_mut(), &demo.pin("replacement"))
        .await
        .unwrap();
    assert_eq!(step, PassStep::Done);
    assert_eq!((new_log.pin_verifies(), new_log.signatures()), (2, 2));

    let committed = pass.commit().await.unwrap();
    assert_eq!(committed.len(), 2);
    for outcome in &committed {
        let PlaceStatus::Committed(result) = outcome.status else {
            panic!("{:?}", outcome.status)
        };
        assert_eq!(result.new_serial, demo.serial("replacement"));
    }
    pass.end().await.unwrap();
    for organization in [ORGANIZATION, NAGASAKI_CITY] {
        assert_registered(&demo, organization, "replacement").await;
    }
}

#[tokio::test]
async fn a_wrong_pin_at_the_first_place_stops_the_step_with_nothing_logged_in() {
    let demo = Demo::start().await;
    let mut pass = RenewalPass::new(
        demo.client(),
        places(&demo, &[ORGANIZATION, NAGASAKI_CITY]).await,
    );
    pass.fetch_server_time().await.unwrap();
    let (mut current, log) = demo.card("current");

    let error = pass
        .login_current(current.as_mut(), &ebid_card::Pin::new("999999"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            PassError::Renewal(RenewalError::Card(CardError::WrongPin { tries_left: 2 }))
        ),
        "{error:?}"
    );
    assert_eq!(
        messages::pass_error(&error),
        "PIN番号が違います。残り2回です。"
    );
    assert_eq!((log.pin_verifies(), log.signatures()), (1, 0));
    assert!(
        pass.outcomes()
            .iter()
            .all(|o| matches!(o.status, PlaceStatus::Waiting))
    );
    assert_eq!(
        read_card(current.as_mut()).unwrap().pin,
        PinStatus::TriesLeft(2)
    );

    // Typed again, the step goes on from the first place.
    let step = pass
        .login_current(current.as_mut(), &demo.pin("current"))
        .await
        .unwrap();
    assert!(matches!(step, PassStep::PinAgain { .. }), "{step:?}");
    assert_eq!(log.pin_verifies(), 2);
    pass.end().await.unwrap();
}
