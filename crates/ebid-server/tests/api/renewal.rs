//! ICカード更新 from login to 登録者情報, as the manual walks it.

use ebid_protocol::{CertificateStatus, MenuItem, RefusalCode};

use crate::support::{CITY, PREF, TestServer, audit, card, refused_logins};

#[tokio::test]
async fn the_current_card_is_replaced_by_the_new_one() {
    let server = TestServer::start().await;
    let (current, replacement) = (card("current"), card("replacement"));

    // Login with the current card at 長崎県 → 利用者登録メニュー.
    let login = server.login("current", PREF).await.expect("login");
    let token = login.session_token;
    assert_eq!(login.idle_timeout_seconds, 600);
    let menu = server.menu(&token).await.expect("menu");
    assert_eq!(menu, login.menu);
    assert_eq!(menu.organization, PREF);
    assert_eq!(menu.company.name, "株式会社長崎土木");
    assert_eq!(menu.user.holder, "長崎 太郎");
    assert_eq!(menu.user.certificate.serial, current.serial());
    assert_eq!(
        menu.items,
        [MenuItem::Register, MenuItem::Change, MenuItem::Renew]
    );

    // The new card's proof → 電子証明書更新確認.
    let confirmation = server
        .renewal_proof(&token, PREF, "replacement")
        .await
        .expect("proof");
    assert_eq!(confirmation.violations, [], "{confirmation:#?}");
    for column in [&confirmation.current, &confirmation.new] {
        assert_eq!(column.company_name, "株式会社長崎土木");
        assert_eq!(column.company_address, "長崎県長崎市尾上町3番1号");
    }
    let (now_facts, new_facts) = (current.facts(), replacement.facts());
    assert_eq!(
        confirmation.current.card_company.as_deref(),
        Some("株式会社長崎土木")
    );
    // 株式会社 長崎土木 on the card is the same company as 株式会社長崎土木 registered.
    assert_eq!(
        confirmation.new.card_company.as_deref(),
        Some("株式会社 長崎土木")
    );
    for (column, facts) in [
        (&confirmation.current, &now_facts),
        (&confirmation.new, &new_facts),
    ] {
        assert_eq!(column.card_holder.as_deref(), Some("長崎 太郎"));
        assert_eq!(column.card_address, facts.address);
        assert_eq!(column.serial, facts.serial);
        assert_eq!(column.issuer, facts.issuer);
        assert_eq!(column.not_after, facts.not_after);
        assert_eq!(column.not_after_jst, facts.not_after_jst());
    }

    // 【更新】 → 更新完了.
    let result = server
        .commit(&token, &confirmation.renewal_id)
        .await
        .expect("commit");
    assert_eq!(result.renewal_id, confirmation.renewal_id);
    assert_eq!(result.organization, PREF);
    assert_eq!(result.old_serial, current.serial());
    assert_eq!(result.new_serial, replacement.serial());
    assert_eq!(result.committed_at, server.clock_now());

    // The old card's session ended with the renewal; the old card is not registered here any more.
    assert_eq!(
        server.menu(&token).await.unwrap_err().code,
        RefusalCode::SessionEnded
    );
    assert_eq!(
        server.login("current", PREF).await.unwrap_err().code,
        RefusalCode::CurrentCardNotRegistered
    );
    // Registration is per organization: 長崎市 still knows the current card.
    server.logged_in("current", CITY).await;

    // (備考) Logged in with the new card, 登録者情報 shows the change.
    let token = server.logged_in("replacement", PREF).await;
    let info = server.registration(&token).await.expect("登録者情報");
    assert_eq!(info.organization, PREF);
    assert_eq!(info.company.vendor_number, "4210000123");
    assert_eq!(info.company.representative, "長崎 太郎");
    let [user] = info.users.as_slice() else {
        panic!("one registered user: {info:#?}");
    };
    assert_eq!(user.holder, "長崎 太郎");
    let listed: Vec<_> = user
        .certificates
        .iter()
        .map(|entry| (entry.serial.clone(), entry.status))
        .collect();
    assert_eq!(
        listed,
        [
            (replacement.serial(), CertificateStatus::Active),
            (current.serial(), CertificateStatus::Superseded),
        ]
    );
    assert_eq!(
        user.certificates[0].registered_at,
        result.committed_at.replace_nanosecond(0).unwrap()
    );
    assert_eq!(
        user.certificates[0].not_after_jst,
        new_facts.not_after_jst()
    );

    let entries = audit(&server.db().await).await;
    let actions: Vec<_> = entries
        .iter()
        .map(|(action, outcome, _)| format!("{action} {outcome}"))
        .collect();
    assert_eq!(
        actions,
        [
            "login ok",
            "renewal_proof ok",
            "renewal_commit ok",
            "login ok",
            "login ok",
        ]
    );
    assert_eq!(entries[2].2.as_deref(), Some(replacement.serial().as_str()));
    // The old card's refused login is counted, not written as an entry of its own.
    server.maintenance.sweep().await.expect("sweep");
    assert_eq!(
        refused_logins(&server.db().await).await,
        [(PREF.to_owned(), "current_card_not_registered".to_owned(), 1)]
    );
}

#[tokio::test]
async fn a_sole_proprietor_renews_a_my_number_card() {
    let server = TestServer::start().await;
    let token = server.logged_in("jpki", PREF).await;
    let confirmation = server
        .renewal_proof(&token, PREF, "jpki-replacement")
        .await
        .expect("proof");
    // JPKI names no company: nothing to compare, nothing to show.
    assert_eq!(confirmation.violations, []);
    assert_eq!(confirmation.new.card_company, None);
    assert_eq!(confirmation.new.card_holder.as_deref(), Some("長崎 一郎"));
    assert_eq!(confirmation.new.company_name, "長崎一郎設計事務所");
    server
        .commit(&token, &confirmation.renewal_id)
        .await
        .expect("commit");
    server.logged_in("jpki-replacement", PREF).await;
}

#[tokio::test]
async fn a_repeated_commit_answers_the_same_result_and_changes_nothing() {
    let server = TestServer::start().await;
    let token = server.logged_in("current", PREF).await;
    let confirmation = server
        .renewal_proof(&token, PREF, "replacement")
        .await
        .expect("proof");
    let first = server
        .commit(&token, &confirmation.renewal_id)
        .await
        .expect("commit");
    let after_first = server.tables().await;

    // The response was lost; the client asks again, later.
    server.clock.advance(std::time::Duration::from_secs(30));
    let again = server
        .commit(&token, &confirmation.renewal_id)
        .await
        .expect("repeated commit");
    assert_eq!(again, first);
    assert_eq!(server.tables().await, after_first);
    let commits = audit(&server.db().await)
        .await
        .into_iter()
        .filter(|(action, _, _)| action == "renewal_commit")
        .count();
    assert_eq!(commits, 1);

    // Only to the session that made it: another session is told there is no such renewal.
    let other = server.logged_in("current", CITY).await;
    assert_eq!(
        server
            .commit(&other, &confirmation.renewal_id)
            .await
            .unwrap_err()
            .code,
        RefusalCode::RenewalNotFound
    );
}

/// Two commits at once of one renewal (a client's repeat racing its first try): one change, one audit entry,
/// the same answer to both.
#[tokio::test]
async fn one_renewal_committed_twice_at_once_changes_the_registration_once() {
    let server = TestServer::start().await;
    let token = server.logged_in("current", PREF).await;
    let confirmation = server
        .renewal_proof(&token, PREF, "replacement")
        .await
        .expect("proof");
    let before = server.tables().await;
    let (first, second) = tokio::join!(
        server.commit(&token, &confirmation.renewal_id),
        server.commit(&token, &confirmation.renewal_id),
    );
    assert_eq!(first.expect("first"), second.expect("second"));
    assert_eq!(
        server.tables().await.certificates.len(),
        before.certificates.len() + 1
    );
    let commits = audit(&server.db().await)
        .await
        .into_iter()
        .filter(|(action, _, _)| action == "renewal_commit")
        .count();
    assert_eq!(commits, 1);
}

/// Two sessions of one card each prove the same new card and commit at once: one moves the registration, the
/// other is refused (its session ended by the first, or the card found registered or the current card
/// superseded inside the writer), and nothing is written twice.
#[tokio::test]
async fn two_sessions_committing_one_new_card_at_once_register_it_once() {
    let server = TestServer::start().await;
    let one = server.logged_in("current", PREF).await;
    let two = server.logged_in("current", PREF).await;
    let first = server
        .renewal_proof(&one, PREF, "replacement")
        .await
        .expect("first proof");
    let second = server
        .renewal_proof(&two, PREF, "replacement")
        .await
        .expect("second proof");
    let before = server.tables().await;
    let (a, b) = tokio::join!(
        server.commit(&one, &first.renewal_id),
        server.commit(&two, &second.renewal_id),
    );
    let refused = match (a, b) {
        (Ok(_), Err(refused)) | (Err(refused), Ok(_)) => refused.code,
        other => panic!("exactly one commit must win: {other:?}"),
    };
    assert!(
        [
            RefusalCode::SessionEnded,
            RefusalCode::NewCardAlreadyRegistered,
            RefusalCode::CurrentCardNotRegistered,
        ]
        .contains(&refused),
        "{refused:?}"
    );
    assert_eq!(
        server.tables().await.certificates.len(),
        before.certificates.len() + 1
    );
    server.logged_in("replacement", PREF).await;
}

#[tokio::test]
async fn the_server_serves_its_time_and_organizations() {
    let server = TestServer::start().await;
    let time = server.time().await;
    assert_eq!(time.server_time, server.clock_now());
    assert_eq!(time.protocol_version, ebid_protocol::VERSION);
    let organizations = server.organizations().await;
    let names: Vec<_> = organizations
        .iter()
        .map(|org| (org.id.as_str(), org.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("nagasaki-pref", "長崎県"),
            ("nagasaki-city", "長崎市"),
            ("sasebo-city", "佐世保市"),
        ]
    );
    for organization in &organizations {
        let categories: Vec<_> = organization
            .categories
            .iter()
            .map(|category| (category.id.as_str(), category.name.as_str()))
            .collect();
        assert_eq!(
            categories,
            [("construction", "工事・業務"), ("goods", "物品・役務")]
        );
    }
}
