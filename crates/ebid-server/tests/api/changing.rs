//! 変更 (the company's address, representative and telephone, the user's 連絡先) and 担当者, who is recorded
//! with each change and each 【更新】.

use ebid_protocol::{Contact, RefusalCode, RegistrationChange};
use sqlx::SqlitePool;

use crate::support::{CITY, PREF, TestServer, refused};

/// What is wrong, and how it is typed wrong.
type Spoiler = (&'static str, fn(&mut RegistrationChange));

fn change() -> RegistrationChange {
    RegistrationChange {
        company_address: "長崎県長崎市元船町5番1号".into(),
        representative: "長崎 一太郎".into(),
        phone: "095-000-0130".into(),
        contact: Contact {
            department: "土木部 積算課".into(),
            name: "長崎 三郎".into(),
            address: "長崎県長崎市元船町5番1号".into(),
            phone: "095-000-0131".into(),
            email: "sekisan@nagasaki-doboku.example".into(),
        },
        operator: "長崎 三郎".into(),
    }
}

/// The 担当者 of each audit entry of `action`, in the order written.
async fn operators(db: &SqlitePool, action: &str) -> Vec<Option<String>> {
    sqlx::query_scalar("SELECT operator FROM audit_log WHERE action = $1 ORDER BY at, rowid")
        .bind(action)
        .fetch_all(db)
        .await
        .expect("audit operators")
}

#[tokio::test]
async fn a_change_is_what_registration_info_then_shows() {
    let server = TestServer::start().await;
    let token = server.logged_in("current", PREF).await;
    let answered = server.change(&token, &change()).await.expect("changed");
    let info = server.registration(&token).await.expect("登録者情報");
    assert_eq!(answered, info);
    assert_eq!(info.company.address, change().company_address);
    assert_eq!(info.company.representative, change().representative);
    assert_eq!(info.company.phone, change().phone);
    assert_eq!(
        info.company.name, "株式会社長崎土木",
        "the 商号 is not 変更's"
    );
    let taro = info
        .users
        .iter()
        .find(|user| user.holder == "長崎 太郎")
        .expect("長崎 太郎");
    assert_eq!(taro.contact, change().contact);
    assert_eq!(
        server.menu(&token).await.expect("menu").user.contact,
        change().contact
    );
    assert_eq!(
        operators(&server.db().await, "registration_change").await,
        [Some("長崎 三郎".to_owned())]
    );

    // 長崎市 registered the company on its own: its 業者概要 is unchanged.
    let city = server.logged_in("current", CITY).await;
    let city_info = server.registration(&city).await.expect("登録者情報");
    assert_eq!(city_info.company.address, "長崎県長崎市尾上町3番1号");
}

#[tokio::test]
async fn an_invalid_change_changes_nothing() {
    let server = TestServer::start().await;
    let token = server.logged_in("current", PREF).await;
    let spoilers: [Spoiler; 4] = [
        ("an empty 企業住所", |c| c.company_address.clear()),
        ("a 電話番号 with letters", |c| {
            c.phone = "095-abc".into()
        }),
        ("an e-mail address without a dotted domain", |c| {
            c.contact.email = "sekisan@nagasaki".into()
        }),
        ("a line break in 連絡先氏名", |c| {
            c.contact.name = "長崎\n花子".into()
        }),
    ];
    for (what, spoil) in spoilers {
        let mut typed = change();
        spoil(&mut typed);
        let before = server.tables().await;
        let refusal = server.change(&token, &typed).await.expect_err(what);
        assert_eq!(refusal.code, RefusalCode::FormIncomplete, "{what}");
        assert_eq!(
            server.tables().await,
            before,
            "{what} changed the registration"
        );
    }
    assert_eq!(
        server
            .registration(&token)
            .await
            .expect("登録者情報")
            .company
            .address,
        "長崎県長崎市尾上町3番1号"
    );
    // Without a session, no change.
    refused(
        &server,
        RefusalCode::SessionEnded,
        server.change("no-session", &change()),
    )
    .await;
}

#[tokio::test]
async fn the_operator_is_recorded_with_the_renewal_and_kept_by_a_repeat() {
    let server = TestServer::start().await;
    let token = server.logged_in("current", PREF).await;
    let confirmation = server
        .renewal_proof(&token, PREF, "replacement")
        .await
        .expect("proof");
    let result = server
        .commit_by(&token, &confirmation.renewal_id, "山田 一郎")
        .await
        .expect("committed");
    let again = server
        .commit_by(&token, &confirmation.renewal_id, "別の 担当者")
        .await
        .expect("a repeat answers the stored result");
    assert_eq!(again, result);

    let db = server.db().await;
    let stored: Option<String> = sqlx::query_scalar("SELECT operator FROM renewals WHERE id = $1")
        .bind(&confirmation.renewal_id)
        .fetch_one(&db)
        .await
        .expect("the renewal");
    assert_eq!(stored.as_deref(), Some("山田 一郎"));
    assert_eq!(
        operators(&db, "renewal_commit").await,
        [Some("山田 一郎".to_owned())]
    );
}

#[tokio::test]
async fn a_commit_without_its_body_or_with_a_long_operator_is_refused() {
    let server = TestServer::start().await;
    let token = server.logged_in("current", PREF).await;
    let confirmation = server
        .renewal_proof(&token, PREF, "replacement")
        .await
        .expect("proof");
    let path = ebid_protocol::routes::renewal_commit(&confirmation.renewal_id);
    refused(
        &server,
        RefusalCode::BadRequest,
        server.send::<ebid_protocol::RenewalResult>(server.request(
            reqwest::Method::POST,
            &path,
            Some(&token),
        )),
    )
    .await;
    refused(
        &server,
        RefusalCode::FormIncomplete,
        server.commit_by(&token, &confirmation.renewal_id, &"長".repeat(101)),
    )
    .await;
    server
        .commit(&token, &confirmation.renewal_id)
        .await
        .expect("then committed");
}
