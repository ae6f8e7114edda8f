//! The manual's screens as the manual has them, in the real app window: the header names the 調達機関
//! chosen (the manual's bar names 長崎県 because its user chose 長崎県), 入札情報サービス is there, the menu
//! states the manual's two conditions for ICカード更新, 登録者情報 opens at any time after the login with
//! 「変更内容を確認してください」, the swap dialog's 【OK】 says what the readers hold, and after 【戻る】 on
//! 電子証明書更新確認 【ICカード更新】 starts again at the current card's check.

use ebid_tests::app_flow::{AppWorld, CURRENT_PIN, REPLACEMENT_PIN};

#[tokio::test]
async fn the_screens_follow_the_manual_at_the_organization_chosen() {
    let Some(mut world) = AppWorld::start(&[(0, "current")]).await else {
        return;
    };

    // 0: days left counted by the server's clock once the header's clock has answered.
    world
        .window
        .wait_text("main", |t| {
            t.contains("長崎 太郎") && !t.contains("このPCの時計で数えています")
        })
        .await;
    assert_eq!(
        world
            .window
            .text_of("[data-testid=header-organization]")
            .await,
        "",
        "no 調達機関 is chosen yet"
    );
    world.window.click_button("入札情報サービス").await;
    world
        .window
        .wait_text("main", |t| {
            t.contains("調達機関のホームページからブラウザで")
        })
        .await;

    // 1 → 3 at 長崎市: the header and the 注意 name it.
    world.window.click_button("電子入札 ログイン").await;
    world.window.wait_screen("organizations").await;
    world.window.click_label("長崎市").await;
    world.window.click_button("◎工事・業務").await;
    world.window.wait_screen("system-select").await;
    assert_eq!(
        world
            .window
            .text_of("[data-testid=header-organization]")
            .await,
        "長崎市"
    );
    world.window.click_button("利用者登録").await;
    world.window.wait_screen("registration").await;
    world
        .window
        .wait_text("main", |t| t.contains("長崎市電子入札サーバの時刻"))
        .await;
    world.window.click_button("利用者登録処理").await;
    world.window.wait_screen("menu").await;
    let conditions = world
        .window
        .text_of("[data-testid=renewal-conditions]")
        .await;
    assert!(
        conditions.contains("有効期限内で、ICカードの内容に変更がない場合")
            && conditions.contains("2枚が必要になります"),
        "{conditions}"
    );

    // 5 → 7: logged in with the current card, which is still in its reader when 【OK】 is pressed.
    world.window.click_button("ICカード更新").await;
    world.window.wait_screen("confirm-current").await;
    world.window.click_button("OK").await;
    world.window.wait_screen("login-current").await;
    world.window.fill("operator", "諫早 次郎").await;
    world.enter_pin(CURRENT_PIN).await;
    world.window.wait_screen("wait-new-card").await;
    world.window.click_button("OK").await;
    world
        .window
        .wait_text("[data-testid=swap-status]", |t| {
            t.contains("現在使用しているICカードが挿入されたままです")
        })
        .await;

    // 登録者情報 at any time after the login, over the session: no PIN asked.
    world.window.click_button("キャンセル").await;
    world.window.wait_screen("menu").await;
    world.window.click_button("登録者情報").await;
    world.window.wait_screen("info").await;
    let info = world
        .window
        .wait_text("main", |t| t.contains("登録利用者一覧"))
        .await;
    assert!(
        info.contains("変更内容を確認してください")
            && info.contains("株式会社長崎土木")
            && info.contains("長崎 太郎"),
        "{info}"
    );
    world.window.click_button("閉じる").await;
    world.window.wait_screen("menu").await;

    // 【ICカード更新】 again: the current card's check first; logged in already, so the swap follows.
    world.window.click_button("ICカード更新").await;
    world.window.wait_screen("confirm-current").await;
    world.window.click_button("OK").await;
    world.window.wait_screen("wait-new-card").await;
    world.put_in(0, "replacement");
    world.window.wait_screen("prove-new-card").await;
    world.enter_pin(REPLACEMENT_PIN).await;
    world.window.wait_screen("confirmation").await;
    world.window.click_button("戻る").await;
    world.window.wait_screen("menu").await;

    // After 【戻る】: the check again names the new card still in the reader, then takes the current one.
    world.window.click_button("ICカード更新").await;
    world.window.wait_screen("confirm-current").await;
    world.window.click_button("OK").await;
    world
        .window
        .wait_text("main", |t| {
            t.contains("新しく取得したICカードが挿入されています")
        })
        .await;
    world.put_in(0, "current");
    world.window.click_button("OK").await;
    world.window.wait_screen("wait-new-card").await;
    world.window.click_button("キャンセル").await;
    world.window.wait_screen("menu").await;
    world.finish().await;
}
