//! 利用者登録メニュー's 【登録】 and 【変更】 in the real app window, against the real server: 長崎 太郎's card
//! registered at 佐世保市 has lapsed, so he registers his new card there; 佐世保市 holds it as 仮登録 until its
//! administrator approves it (`ebid-server admin approve`); then his new card logs in and he changes his
//! 連絡先. Details typed wrong are named beside their fields before anything is sent.

use ebid_tests::app_flow::{AppWorld, REPLACEMENT_PIN};

#[tokio::test]
async fn a_lapsed_cards_holder_registers_anew_is_approved_and_changes_his_contact() {
    let Some(mut world) = AppWorld::start(&[(0, "expired")]).await else {
        return;
    };
    let expired = world.serial("expired");
    let replacement = world.serial("replacement");

    // 【登録】 at 佐世保市: the lapsed card in the reader cannot register.
    world.to_menu_at("佐世保市").await;
    world.window.click_button("登録").await;
    world.window.wait_screen("register").await;
    world
        .window
        .wait_text("main", |t| t.contains("有効期限切れ: 登録できません"))
        .await;
    assert!(
        !world.window.button_enabled("登録").await,
        "no card that can register is in: 【登録】 is off"
    );

    // The new card in its place; the form typed with a wrong 連絡先電話番号, named beside its field, and no
    // PIN asked for.
    world.put_in(0, "replacement");
    world.window.click_button("再読み込み").await;
    world
        .window
        .wait_text("main", |t| !t.contains("登録できません"))
        .await;
    world.window.fill("vendor_number", "4210000123").await;
    world.window.fill("company_name", "株式会社長崎土木").await;
    world.window.fill("contact_department", "工務部").await;
    world.window.fill("contact_name", "長崎 太郎").await;
    world
        .window
        .fill("contact_address", "長崎県佐世保市八幡町1番10号")
        .await;
    world.window.fill("contact_phone", "0956-12").await;
    world
        .window
        .fill("contact_email", "taro@nagasaki-doboku.example")
        .await;
    world.window.fill("operator", "長崎 花子").await;
    world.window.click_button("登録").await;
    let problem = world
        .window
        .wait_text("[data-field=contact_phone]", |t| !t.is_empty())
        .await;
    assert!(problem.contains("連絡先電話番号"), "{problem}");
    world.window.screenshot("16-register-problem").await;
    let screen = world.window.text_of("main").await;
    assert!(
        !screen.contains("登録するICカードのPIN番号"),
        "no PIN asked while a detail is wrong: {screen}"
    );

    // Corrected: the PIN, then 仮登録 with the lapsed card it replaces.
    world.window.fill("contact_phone", "0956-24-1111").await;
    world.window.click_button("登録").await;
    world.enter_pin(REPLACEMENT_PIN).await;
    let receipt = world
        .window
        .wait_text("[data-testid=receipt]", |t| t.contains("仮登録"))
        .await;
    assert!(
        receipt.contains("承認")
            && receipt.contains("佐世保市")
            && receipt.contains(&replacement)
            && receipt.contains(&expired),
        "{receipt}"
    );
    world.window.screenshot("17-register-pending").await;
    let application = world.window.text_of("[data-testid=application-id]").await;
    assert!(
        world.server_admin(&["pending"]).contains(&application),
        "the administrator sees application {application} waiting"
    );

    // Before the approval the new card cannot log in there.
    world.window.click_button("閉じる").await;
    world.window.wait_screen("menu").await;
    world.window.click_button("変更").await;
    world.window.wait_screen("confirm-current").await;
    world.window.click_button("OK").await;
    world.window.wait_screen("login-current").await;
    world.enter_pin(REPLACEMENT_PIN).await;
    let refused = world
        .window
        .wait_text("[data-refusal=registration_pending]", |t| !t.is_empty())
        .await;
    assert!(refused.contains("仮登録中"), "{refused}");
    world.window.click_button("キャンセル").await;
    world.window.wait_screen("home").await;

    // Approved by 佐世保市's administrator: the new card logs in, and 【変更】 starts from what was registered.
    world.server_admin(&["approve", &application]);
    world.to_menu_at("佐世保市").await;
    world.window.click_button("変更").await;
    world.window.wait_screen("confirm-current").await;
    world.window.click_button("OK").await;
    world.window.wait_screen("login-current").await;
    world.enter_pin(REPLACEMENT_PIN).await;
    world.window.wait_screen("change").await;

    // A wrong 電話番号 is named; corrected, the change is sent and 登録者情報 shows it.
    world.window.fill("phone", "12").await;
    world.window.fill("contact_phone", "0956-24-2222").await;
    world.window.fill("contact_department", "工事部").await;
    world.window.click_button("変更").await;
    let problem = world
        .window
        .wait_text("[data-field=phone]", |t| !t.is_empty())
        .await;
    assert!(problem.contains("電話番号"), "{problem}");
    world.window.screenshot("18-change-problem").await;
    world.window.fill("phone", "0956-24-0000").await;
    world.window.click_button("変更").await;
    world.window.wait_screen("info").await;
    let contacts = world
        .window
        .wait_text("[data-testid=contacts]", |t| t.contains("0956-24-2222"))
        .await;
    assert!(
        contacts.contains("工事部")
            && contacts.contains("長崎県佐世保市八幡町1番10号")
            && contacts.contains("taro@nagasaki-doboku.example"),
        "the change kept what it did not touch: {contacts}"
    );
    let info = world.window.text_of("main").await;
    assert!(
        info.contains("0956-24-0000") && info.contains("変更内容を確認してください"),
        "{info}"
    );
    world.window.screenshot("19-info-after-change").await;
    world.window.click_button("閉じる").await;
    world.window.wait_screen("menu").await;
    world.finish().await;
}
