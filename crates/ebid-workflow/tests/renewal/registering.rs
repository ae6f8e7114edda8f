//! 登録 (新規登録) and 変更 through the workflow, against the real server on 127.0.0.1 seeded from the demo set,
//! with the demo's virtual cards in-process: a lapsed holder's new card registers and waits for approval
//! (仮登録), details typed wrong are named before the card is touched, and 変更 answers with 登録者情報 as it
//! now stands.

use crate::support::{CATEGORY, Demo, ORGANIZATION};
use ebid_protocol::{
    Contact, FormField, RefusalCode, RegistrationChange, RegistrationDetails, RegistrationState,
};
use ebid_workflow::registering::Registering;
use ebid_workflow::{RenewalError, read_card};

/// The demo organization that holds 新規登録 for its administrator's approval, where Taro's card lapsed.
const SASEBO: &str = "sasebo-city";

fn contact() -> Contact {
    Contact {
        department: "工務部".into(),
        name: "長崎 花子".into(),
        address: "長崎県長崎市尾上町3番1号".into(),
        phone: "095-000-0124".into(),
        email: "hanako@doboku.example.jp".into(),
    }
}

fn details() -> RegistrationDetails {
    RegistrationDetails {
        vendor_number: "4210000123".into(),
        company_name: "株式会社長崎土木".into(),
        contact: contact(),
        operator: "長崎 花子".into(),
    }
}

#[tokio::test]
async fn a_lapsed_holder_registers_a_new_card_which_waits_for_approval() {
    let demo = Demo::start().await;
    let mut registering = Registering::new(demo.client(), SASEBO, CATEGORY);
    registering.fetch_server_time().await.unwrap();

    let (mut card, log) = demo.card("replacement");
    registering
        .check_card(&read_card(card.as_mut()).unwrap())
        .unwrap();
    let receipt = registering
        .register(card.as_mut(), &demo.pin("replacement"), &details())
        .await
        .unwrap();
    assert_eq!(receipt.state, RegistrationState::Pending);
    assert_eq!(receipt.serial, demo.serial("replacement"));
    assert_eq!(
        receipt.replaced_serial.as_deref(),
        Some(demo.serial("expired").as_str())
    );
    assert_eq!(receipt.holder, "長崎 太郎");
    assert_eq!((log.pin_verifies(), log.signatures()), (1, 1));

    // Until approved, the card logs in nowhere there: the refusal says why.
    let mut renewal = ebid_workflow::Renewal::new(demo.client(), SASEBO, CATEGORY);
    renewal.fetch_server_time().await.unwrap();
    let (mut card, _) = demo.card("replacement");
    let error = renewal
        .login_current(card.as_mut(), &demo.pin("replacement"))
        .await
        .unwrap_err();
    assert_eq!(
        error.refusal_code(),
        Some(RefusalCode::RegistrationPending),
        "{error:?}"
    );

    // Applying twice is refused as already registered (pending counts).
    let (mut card, _) = demo.card("replacement");
    let error = registering
        .register(card.as_mut(), &demo.pin("replacement"), &details())
        .await
        .unwrap_err();
    assert_eq!(
        error.refusal_code(),
        Some(RefusalCode::CardAlreadyRegistered)
    );
}

#[tokio::test]
async fn details_typed_wrong_are_named_before_the_card_is_touched() {
    let demo = Demo::start().await;
    let mut registering = Registering::new(demo.client(), SASEBO, CATEGORY);
    let mut typed = details();
    typed.contact.name = " ".into();
    typed.contact.email = "hanako@doboku".into();
    let (mut card, log) = demo.card("replacement");
    let opened = log.commands();
    let error = registering
        .register(card.as_mut(), &demo.pin("replacement"), &typed)
        .await
        .unwrap_err();
    let RenewalError::Form(problems) = &error else {
        panic!("{error:?}")
    };
    let fields: Vec<FormField> = problems.iter().map(|p| p.field).collect();
    assert_eq!(fields, [FormField::ContactName, FormField::ContactEmail]);
    assert!(
        error.to_string().contains("連絡先氏名を入力してください。"),
        "{error}"
    );
    assert_eq!(log.commands(), opened, "the card was not touched");

    // An expired card is refused before its PIN, by the server's clock.
    registering.fetch_server_time().await.unwrap();
    let (mut expired, expired_log) = demo.card("expired");
    let error = registering
        .register(expired.as_mut(), &demo.pin("expired"), &details())
        .await
        .unwrap_err();
    assert_eq!(
        error.refusal_code(),
        Some(RefusalCode::CertificateExpired),
        "{error:?}"
    );
    assert_eq!(expired_log.pin_verifies(), 0);
}

#[tokio::test]
async fn a_change_is_answered_with_the_registration_as_it_now_stands() {
    let demo = Demo::start().await;
    let mut renewal = demo.renewal();
    renewal.fetch_server_time().await.unwrap();
    let (mut current, _) = demo.card("current");
    renewal
        .login_current(current.as_mut(), &demo.pin("current"))
        .await
        .unwrap();
    let change = RegistrationChange {
        company_address: "長崎県長崎市出島町1番1号".into(),
        representative: "長崎 太郎".into(),
        phone: "095-000-0123".into(),
        contact: contact(),
        operator: "長崎 花子".into(),
    };

    let mut wrong = change.clone();
    wrong.phone = "095-000".into();
    let error = renewal.change_registration(&wrong).await.unwrap_err();
    assert!(
        matches!(&error, RenewalError::Form(p) if p[0].field == FormField::Phone),
        "{error:?}"
    );
    assert_eq!(
        renewal
            .registration_info_now()
            .await
            .unwrap()
            .company
            .address,
        "長崎県長崎市尾上町3番1号",
        "nothing was sent"
    );

    let info = renewal.change_registration(&change).await.unwrap();
    assert_eq!(info.organization, ORGANIZATION);
    assert_eq!(info.company.address, "長崎県長崎市出島町1番1号");
    assert_eq!(
        renewal
            .registration_info_now()
            .await
            .unwrap()
            .company
            .address,
        "長崎県長崎市出島町1番1号"
    );
    renewal.end().await.unwrap();
}
