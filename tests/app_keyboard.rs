//! ICカード更新 in the real app window with the keyboard alone: each screen puts the focus where the next
//! step is, Enter takes it, and the PIN fields take the typing. Two readers, so no swap.

use ebid_tests::app_flow::{AppWorld, CURRENT_PIN, REPLACEMENT_PIN};

#[tokio::test]
async fn a_whole_renewal_with_the_keyboard_alone() {
    let Some(world) = AppWorld::start(&[(0, "current"), (1, "replacement")]).await else {
        return;
    };
    let window = &world.window;
    window.enter_on_focused_button("電子入札 ログイン").await;
    window.wait_screen("organizations").await;
    window.enter_on_focused_button("◎工事・業務").await;
    window.wait_screen("system-select").await;
    window.enter_on_focused_button("利用者登録").await;
    window.wait_screen("registration").await;
    // The focus comes to 【利用者登録処理】 once the server's time has arrived.
    window.enter_on_focused_button("利用者登録処理").await;
    window.wait_screen("menu").await;
    window.enter_on_focused_button("ICカード更新").await;
    window.wait_screen("confirm-current").await;
    window.enter_on_focused_button("OK").await;
    window.wait_screen("login-current").await;
    window.type_into_focused("pin", CURRENT_PIN).await;
    window.wait_screen("prove-new-card").await;
    window.type_into_focused("pin", REPLACEMENT_PIN).await;
    window.wait_screen("confirmation").await;
    window.enter_on_focused_button("更新").await;
    window.wait_screen("done").await;
    window.wait_text("main", |t| t.contains("更新完了")).await;
    world.finish().await;
}
