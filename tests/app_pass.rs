//! まとめてICカード更新 in the real app window, against the real server: 長崎 太郎's card is registered at 長崎県
//! and 長崎市, and waits for 佐世保市's approval there (仮登録, applied for with `ebid register`). Renewed at the
//! three in one pass, 長崎県 and 長崎市 are done once and 佐世保市 is refused without hiding them; approved by
//! its administrator, 佐世保市 is renewed alone. His cards are PIV: 9C asks its PIN before every signature, so
//! the pass asks it again for each place (a JPKI card would not: the workflow's tests count its VERIFYs).

use ebid_tests::app_flow::{AppWorld, CURRENT_PIN, REPLACEMENT_PIN};

#[tokio::test]
async fn three_organizations_in_one_pass_one_refusing_then_renewed_alone() {
    let Some(world) = AppWorld::start(&[(0, "current"), (1, "replacement")]).await else {
        return;
    };
    let receipt = world.ebid(
        "register",
        &[
            "--organization",
            "sasebo-city",
            "--category",
            "construction",
            "--reader",
            "0",
            "--pin-stdin",
            "--json",
            "--vendor-number",
            "4210000123",
            "--company-name",
            "株式会社長崎土木",
            "--contact-name",
            "長崎 太郎",
            "--address",
            "長崎県長崎市尾上町3番1号",
            "--phone",
            "095-000-0124",
            "--email",
            "taro@nagasaki-doboku.example",
        ],
        &format!("{CURRENT_PIN}\n"),
    );
    let receipt: serde_json::Value = serde_json::from_str(&receipt).expect("the receipt's JSON");
    assert_eq!(receipt["state"], "pending", "{receipt:#}");
    let application = receipt["application_id"]
        .as_str()
        .expect("its 受付番号")
        .to_owned();

    // Screen 1: the three ticked, then 【まとめてICカード更新】.
    let clicks_before = world.window.clicks();
    world.window.click_button("電子入札 ログイン").await;
    world.window.wait_screen("organizations").await;
    for place in [
        "長崎県（工事・業務）",
        "長崎市（工事・業務）",
        "佐世保市（工事・業務）",
    ] {
        world.window.click_label(place).await;
    }
    world.window.click_button("まとめてICカード更新").await;
    world.window.wait_screen("confirm-current").await;
    world.window.click_button("OK").await;
    world.window.wait_screen("login-current").await;

    // The current card's PIN, asked again before each later place (PIV's 9C).
    world.enter_pin(CURRENT_PIN).await;
    for next in ["長崎市（工事・業務）", "佐世保市（工事・業務）"] {
        world
            .window
            .wait_text("main", |t| {
                t.contains(&format!("次の調達機関（{next}）の手続きのため"))
            })
            .await;
        world.enter_pin(CURRENT_PIN).await;
    }
    // 佐世保市 refused the login; the two others go on, the new card in the second reader.
    world.window.wait_screen("prove-new-card").await;
    world.enter_pin(REPLACEMENT_PIN).await;
    world
        .window
        .wait_text("main", |t| {
            t.contains("次の調達機関（長崎市（工事・業務））の手続きのため")
        })
        .await;
    world.enter_pin(REPLACEMENT_PIN).await;
    world.window.wait_screen("pass").await;
    let sasebo = world
        .window
        .text_of("[data-organization=sasebo-city]")
        .await;
    assert!(sasebo.contains("仮登録中"), "{sasebo}");
    world.window.screenshot("20-pass-confirmation").await;

    // 【更新】 once, for both.
    world.window.click_button("更新").await;
    for organization in ["nagasaki-pref", "nagasaki-city"] {
        let place = world
            .window
            .wait_text(&format!("[data-organization={organization}]"), |t| {
                t.contains("更新が完了しました")
            })
            .await;
        assert!(place.contains(&world.serial("replacement")), "{place}");
    }
    let sasebo = world
        .window
        .text_of("[data-organization=sasebo-city]")
        .await;
    assert!(sasebo.contains("更新できませんでした"), "{sasebo}");
    world.window.screenshot("21-pass-done").await;
    let clicks = world.window.clicks() - clicks_before;
    println!(
        "まとめてICカード更新 at three organizations, one refusing: {clicks} clicks, 5 PIN entries (PIV)"
    );

    // Approved by 佐世保市's administrator, it is renewed alone from its own screen 3.
    world.server_admin(&["approve", &application]);
    world.window.click_button("佐世保市で個別に更新").await;
    world.window.wait_screen("registration").await;
    world
        .window
        .wait_text("main", |t| t.contains("佐世保市電子入札サーバの時刻"))
        .await;
    world.window.click_button("利用者登録処理").await;
    world.window.wait_screen("menu").await;
    world.window.click_button("ICカード更新").await;
    world.window.wait_screen("confirm-current").await;
    world.window.click_button("OK").await;
    world.window.wait_screen("login-current").await;
    world.enter_pin(CURRENT_PIN).await;
    world.window.wait_screen("prove-new-card").await;
    world.enter_pin(REPLACEMENT_PIN).await;
    world.window.wait_screen("confirmation").await;
    world.window.click_button("更新").await;
    world.window.wait_screen("done").await;

    // Each organization renewed exactly once, as the local history recorded it.
    let history = world.history_via_cli();
    for organization in ["nagasaki-pref", "nagasaki-city", "sasebo-city"] {
        let committed = history["attempts"]
            .as_array()
            .expect("attempts")
            .iter()
            .filter(|a| a["organization"] == organization && a["outcome"] == "committed")
            .count();
        assert_eq!(committed, 1, "{organization}: {history:#}");
    }
    world.finish().await;
}
