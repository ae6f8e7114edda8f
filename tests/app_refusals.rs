//! What the app window does when the renewal cannot go on: an expired current card is guided to 新規登録,
//! a card pulled mid-step changes nothing on the server, and 【利用者登録処理】 waits for the server's time.

use ebid_tests::app_flow::{AppWorld, CURRENT_PIN, REPLACEMENT_PIN};
use ebid_tests::listed;
use ebid_vcard::vpcd::Behaviour;

/// PIV GENERAL AUTHENTICATE: the card signs the server's challenge.
const INS_GENERAL_AUTHENTICATE: u8 = 0x87;

#[tokio::test]
async fn an_expired_current_card_is_guided_to_new_registration() {
    let Some(world) = AppWorld::start(&[(0, "expired")]).await else {
        return;
    };
    world.to_menu().await;
    let window = &world.window;
    window.click_button("ICカード更新").await;
    window.wait_screen("confirm-current").await;
    window.click_button("OK").await;
    let (code, refusal, text) = window.alert().await;
    assert_eq!(code.as_deref(), Some("refused"));
    assert_eq!(refusal.as_deref(), Some("current_card_expired"));
    assert!(text.contains("新規登録"), "{text}");
    window.screenshot("05-expired-card").await;
    window.click_button("新規登録").await;
    window.wait_screen("register").await;
    // 新規登録's form: the lapsed card in the reader cannot register.
    window
        .wait_text("main", |t| t.contains("有効期限切れ: 登録できません"))
        .await;
    assert!(!window.button_enabled("登録").await);
    window.screenshot("04-register").await;
    world.finish().await;
}

#[tokio::test]
async fn a_card_pulled_while_signing_is_reported_and_nothing_changes_on_the_server() {
    let Some(mut world) = AppWorld::start(&[(0, "current")]).await else {
        return;
    };
    // The new card waits in the second reader and leaves it while it signs.
    world.put_in_behaving(
        1,
        "replacement",
        Behaviour {
            pull_on_instruction: Some(INS_GENERAL_AUTHENTICATE),
        },
    );
    world.to_current_pin().await;
    world.enter_pin(CURRENT_PIN).await;
    // Two readers: no swap, the new card's PIN dialog comes at once.
    world.window.wait_screen("prove-new-card").await;
    world.enter_pin(REPLACEMENT_PIN).await;
    let (code, _, text) = world.window.alert().await;
    assert_eq!(code.as_deref(), Some("card_removed"), "{text}");
    assert!(text.contains("ICカードが抜かれました"), "{text}");
    world.window.screenshot("08-card-pulled").await;
    world.window.wait_screen("prove-new-card").await;

    let registered = world.server_registration(0, CURRENT_PIN);
    let current = listed(&registered, &world.serial("current")).expect("the current card");
    assert!(current.ends_with("使用中"), "{registered}");
    assert!(
        listed(&registered, &world.serial("replacement")).is_none(),
        "{registered}"
    );
    world.finish().await;
}

#[tokio::test]
async fn the_registration_button_waits_for_the_servers_time() {
    let Some(mut world) = AppWorld::start(&[(0, "current")]).await else {
        return;
    };
    world.to_system_select().await;
    // The server goes away before 利用者登録 opens: no time can arrive.
    let address = world.kill_server();
    world.window.click_button("利用者登録").await;
    world.window.wait_screen("registration").await;
    let (code, _, _) = world.window.alert().await;
    assert_eq!(code.as_deref(), Some("server_unreachable"));
    assert!(!world.window.button_enabled("利用者登録処理").await);
    world.window.screenshot("03-no-server-time").await;

    // Back on the same address: once the time is shown, the button is enabled.
    world.restart_server(&address);
    world.window.click_button("もう一度").await;
    // Clicking waits for the button to be enabled, and fails if it never is.
    world.window.click_button("利用者登録処理").await;
    world.window.wait_screen("menu").await;
    world.finish().await;
}
