//! ICカード更新 in the real app window, clicked through the manual's screens: against `ebid-server` on
//! 127.0.0.1 and the virtual cards through pcscd, checked afterwards on the server with `ebid info`.
//! Every screen is photographed into `<target>/e2e-screens/` (the README shows them).

use ebid_tests::app_flow::{AppWorld, CURRENT_PIN, REPLACEMENT_PIN, is_png};
use ebid_tests::listed;

/// The text under each of two column headings in the PDF at `path`: every word `pdftotext -bbox` places at or
/// right of the first heading's left edge and left of the second's goes to the first, the rest right of the
/// second's to the second, in reading order, spaces dropped (a value wrapped in its cell reads whole).
fn pdf_columns(path: &str, headings: [&str; 2]) -> [String; 2] {
    let output = std::process::Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8", path, "-"])
        .output()
        .expect("pdftotext runs (cargo xtask setup installs poppler-utils)");
    let html = String::from_utf8_lossy(&output.stdout);
    // `<word xMin="…" yMin="…" xMax="…" yMax="…">text</word>`, one a line.
    let words: Vec<(f64, String)> = html
        .lines()
        .filter_map(|line| {
            let x = line
                .split("xMin=\"")
                .nth(1)?
                .split('"')
                .next()?
                .parse()
                .ok()?;
            let text = line.split('>').nth(1)?.split("</word").next()?;
            Some((x, text.to_owned()))
        })
        .collect();
    let left_of = |heading: &str| {
        words
            .iter()
            .find(|(_, text)| text == heading)
            .map(|(x, _)| *x)
            .unwrap_or_else(|| panic!("「{heading}」 in the PDF's words: {words:?}"))
    };
    let (first, second) = (left_of(headings[0]), left_of(headings[1]));
    let column = |from: f64, to: f64| -> String {
        words
            .iter()
            .filter(|(x, _)| (from - 1.0..to - 1.0).contains(x))
            .map(|(_, text)| text.as_str())
            .collect()
    };
    [column(first, second), column(second, f64::MAX)]
}

/// The text of the PDF at `path`, as poppler's `pdftotext` extracts it (spaces and line breaks dropped, so
/// that a value wrapped in its cell reads whole).
fn pdf_text(path: &str) -> String {
    let output = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8", path, "-"])
        .output()
        .expect("pdftotext runs (cargo xtask setup installs poppler-utils)");
    assert!(
        output.status.success(),
        "pdftotext {path}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The new card waits in a second reader, so the PIN dialogs follow each other; the swap in one reader is
/// `the_same_card_put_back_is_refused_and_the_wait_goes_on`'s.
#[tokio::test]
async fn a_full_renewal_by_clicking_through_the_screens() {
    let Some(world) = AppWorld::start(&[(0, "current"), (1, "replacement")]).await else {
        return;
    };
    let window = &world.window;

    // 0: the current card's status comes first.
    let status = window
        .wait_text("main", |text| text.contains("長崎 太郎"))
        .await;
    assert!(status.contains("あと20日"), "{status}");
    assert!(is_png(&window.screenshot("00-home").await));

    window.click_button("電子入札 ログイン").await;
    window.wait_screen("organizations").await;
    window
        .wait_text("main", |text| text.contains("長崎県"))
        .await;
    window.screenshot("01-organizations").await;

    window.click_button("◎工事・業務").await;
    window.wait_screen("system-select").await;
    assert!(!window.button_enabled("電子入札").await);
    window.screenshot("02-system-select").await;

    window.click_button("利用者登録").await;
    window.wait_screen("registration").await;
    let time = window
        .wait_text("[data-testid=server-time]", |t| !t.is_empty())
        .await;
    assert!(is_jst_minutes(&time), "the server time reads 「{time}」");
    window.screenshot("03-registration").await;

    window.click_button("利用者登録処理").await;
    window.wait_screen("menu").await;
    window.screenshot("04-menu").await;

    window.click_button("ICカード更新").await;
    window.wait_screen("confirm-current").await;
    window.screenshot("05-confirm-current-card").await;

    window.click_button("OK").await;
    window.wait_screen("login-current").await;
    let tries = window.text_of("[data-testid=tries-left]").await;
    assert_eq!(tries, "残り回数: 3回");
    window.fill("operator", "長崎 花子").await;
    window.fill("pin", CURRENT_PIN).await;
    window.screenshot("06-pin-current-card").await;
    window.click_button("OK").await;

    // Two readers: no swap, the new card's PIN dialog comes next.
    window.wait_screen("prove-new-card").await;
    window.fill("pin", REPLACEMENT_PIN).await;
    window.screenshot("08-pin-new-card").await;
    window.click_button("OK").await;

    // 9: both columns; the new card's serial on the right; nothing differs, so 【更新】 is enabled.
    window.wait_screen("confirmation").await;
    let new_serial = world.serial("replacement");
    let old_serial = world.serial("current");
    assert_eq!(
        window.text_of("[data-column=new][data-field=serial]").await,
        new_serial
    );
    assert_eq!(
        window
            .text_of("[data-column=current][data-field=serial]")
            .await,
        old_serial
    );
    assert_eq!(
        window
            .text_of("[data-column=new][data-field=company_name]")
            .await,
        "株式会社長崎土木"
    );
    assert!(window.button_enabled("更新").await);
    window.screenshot("09-confirmation").await;

    // The paper of 電子証明書更新確認: a PDF whose text holds both columns, each card's in its own.
    window.click_button("PDFで保存").await;
    let paper = window
        .wait_text("[data-testid=saved-paper]", |t| t.ends_with(".pdf"))
        .await;
    let text = pdf_text(&paper);
    for wanted in ["電子証明書更新確認", "証明書シリアル番号", "長崎花子"] {
        assert!(text.contains(wanted), "「{wanted}」 in the PDF:\n{text}");
    }
    let [current, new] = pdf_columns(
        &paper,
        ["現在使用しているICカード", "新規に使用するICカード"],
    );
    assert!(
        current.contains(&old_serial) && !current.contains(&new_serial),
        "{current}"
    );
    assert!(
        new.contains(&new_serial) && !new.contains(&old_serial),
        "{new}"
    );

    window.click_button("更新").await;
    window.wait_screen("done").await;
    let done = window.wait_text("main", |t| t.contains("更新完了")).await;
    assert!(done.contains(&new_serial), "{done}");
    assert!(done.contains("長崎 花子"), "the 担当者 is shown: {done}");
    window.screenshot("10-done").await;
    window.click_button("PDFで保存").await;
    let paper = window
        .wait_text("[data-testid=saved-paper]", |t| t.contains("更新完了"))
        .await;
    let text = pdf_text(&paper);
    assert!(
        text.contains("ICカードの更新が完了しました") && text.contains(&new_serial),
        "{text}"
    );

    // 11: 登録者情報, logged in with the new card.
    window.click_button("登録者情報").await;
    window.wait_screen("info").await;
    window.fill("pin", REPLACEMENT_PIN).await;
    window.click_button("OK").await;
    let info = window
        .wait_text("main", |t| {
            t.contains("登録利用者一覧") && t.contains("使用中")
        })
        .await;
    assert!(info.contains("業者概要"), "{info}");
    assert!(info.contains(&new_serial), "{info}");
    window.screenshot("11-registration-info").await;

    // The app's log file holds the renewal, and neither PIN typed.
    let log = window.started_as().log_text();
    let server = window
        .started_as()
        .server
        .as_deref()
        .expect("the server flag");
    assert!(
        log.contains(server),
        "the log file names the server it talked to:\n{log}"
    );
    for step in [
        "logged in with the current card",
        "renewal committed: 更新完了",
    ] {
        assert!(log.contains(step), "「{step}」 is not in the log:\n{log}");
    }
    for pin in [CURRENT_PIN, REPLACEMENT_PIN] {
        assert!(!log.contains(pin), "a PIN typed is in the log:\n{log}");
    }

    // On the server: the new card is the registered one, the old one superseded.
    let registered = world.server_registration(1, REPLACEMENT_PIN);
    let new_line = listed(&registered, &new_serial).expect("the new card is registered");
    assert!(new_line.ends_with("使用中"), "{registered}");
    let old_line = listed(&registered, &old_serial).expect("the old card is kept in the history");
    assert!(old_line.ends_with("更新済み（使用不可）"), "{registered}");

    // The local history, read by `ebid history` (another process) from the app's file: the attempt and
    // its steps, the old card replaced.
    let history = world.history_via_cli();
    let attempt = &history["attempts"][0];
    assert_eq!(attempt["outcome"], "committed", "{history:#}");
    assert_eq!(attempt["organization"], "nagasaki-pref");
    assert_eq!(attempt["old_serial"], old_serial.as_str());
    assert_eq!(attempt["new_serial"], new_serial.as_str());
    assert_eq!(
        attempt["holder"], "長崎 花子",
        "the 担当者 typed is recorded"
    );
    let steps: Vec<&str> = attempt["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|step| step["step"].as_str().expect("a step's name"))
        .collect();
    assert_eq!(
        steps[..3],
        ["login", "new_card_proof", "commit"],
        "{history:#}"
    );
    let card = |serial: &str| {
        history["cards"]
            .as_array()
            .expect("cards")
            .iter()
            .find(|card| card["serial"] == serial)
            .cloned()
            .unwrap_or_else(|| panic!("{serial} in the history: {history:#}"))
    };
    assert_eq!(
        card(&old_serial)["replaced_by"],
        card(&new_serial)["fingerprint"]
    );

    // The same in the window: 更新履歴, and the dashboard without the replaced card.
    window.click_button("閉じる").await;
    window.wait_screen("done").await;
    window.click_button("閉じる").await;
    window.wait_screen("home").await;
    window.click_button("更新履歴").await;
    window.wait_screen("history").await;
    let outcome = window
        .wait_text("[data-testid=attempt-outcome]", |t| !t.is_empty())
        .await;
    assert_eq!(outcome, "更新完了");
    window.screenshot("14-history").await;
    window.click_button("ICカードの有効期限").await;
    window.wait_screen("cards").await;
    let cards = window.wait_text("main", |t| t.contains(&new_serial)).await;
    assert!(
        !cards.contains(&old_serial),
        "the replaced card is not reminded of: {cards}"
    );
    window.click_button("通知設定").await;
    window.wait_screen("reminder-settings").await;
    window
        .wait_text("[data-screen=reminder-settings] .note", |t| {
            t.contains("90, 60, 30, 14, 7, 3, 1")
        })
        .await;
    window.screenshot("15-reminder-settings").await;
    // Days that are not numbers are refused in Japanese, nothing saved; checked ones are saved.
    window.fill("reminder-days", "30, 七").await;
    window.click_button("保存").await;
    let (code, _, text) = window.alert().await;
    assert_eq!(code.as_deref(), Some("configuration"), "{text}");
    assert!(text.contains("「七」は日数として読み取れません"), "{text}");
    let user_file = window.started_as().user_config();
    assert!(!user_file.exists(), "nothing is saved");
    window.fill("reminder-days", "7, 45").await;
    window.click_button("保存").await;
    window
        .wait_text("[data-screen=reminder-settings] .saved", |t| {
            t == "保存しました。"
        })
        .await;
    let saved = std::fs::read_to_string(&user_file).expect("the user's file");
    assert!(
        saved.contains("days = [\n    45,\n    7,\n]") || saved.contains("days = [45, 7]"),
        "{saved}"
    );
    world.finish().await;
}

#[tokio::test]
async fn a_wrong_pin_shows_the_tries_left_and_spends_only_that_try() {
    let Some(world) = AppWorld::start(&[(0, "current")]).await else {
        return;
    };
    world.to_current_pin().await;
    let window = &world.window;
    assert_eq!(
        window.text_of("[data-testid=tries-left]").await,
        "残り回数: 3回"
    );
    world.enter_pin("000000").await;
    let (code, _, text) = window.alert().await;
    assert_eq!(code.as_deref(), Some("wrong_pin"));
    assert!(text.contains("残り2回"), "{text}");
    window
        .wait_text("[data-testid=tries-left]", |t| t == "残り回数: 2回")
        .await;
    window.screenshot("06-pin-wrong").await;
    // Still the PIN dialog, and the right PIN now logs in.
    window.wait_screen("login-current").await;
    world.enter_pin(CURRENT_PIN).await;
    window.wait_screen("wait-new-card").await;
    world.finish().await;
}

#[tokio::test]
async fn the_same_card_put_back_is_refused_and_the_wait_goes_on() {
    let Some(mut world) = AppWorld::start(&[(0, "current")]).await else {
        return;
    };
    world.to_current_pin().await;
    world.enter_pin(CURRENT_PIN).await;
    world.window.wait_screen("wait-new-card").await;
    world.window.screenshot("07-swap").await;

    world.take_out(0);
    world.put_in(0, "current");
    world
        .window
        .wait_text("[data-screen='wait-new-card'] .swap[role=status]", |t| {
            t.contains("同じICカードです")
        })
        .await;
    world.window.screenshot("07-same-card").await;
    world.window.wait_screen("wait-new-card").await;

    world.put_in(0, "replacement");
    world.window.wait_screen("prove-new-card").await;
    world.finish().await;
}

/// 『年月日時分』 as the manual shows it: `2011年04月22日 14時33分`.
fn is_jst_minutes(text: &str) -> bool {
    let shape: String = text
        .chars()
        .map(|c| if c.is_ascii_digit() { '9' } else { c })
        .collect();
    shape == "9999年99月99日 99時99分"
}
