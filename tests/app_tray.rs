//! The app in the tray, in the real window under Xvfb: its item registers with the desktop's tray (a
//! StatusNotifierWatcher on the app's private session bus) with the menu 開く / 終了; closing the window
//! leaves the app running there, 開く brings the window back, and 終了 ends the app with status 0.

use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

use ebid_tests::app_launch::Launch;
use ebid_tests::app_window::{AppWindow, app_binary, own_the_display};
use ebid_tests::needs;
use ebid_tests::status_notifier::StatusNotifierWatcher;
use ebid_tests::x11_window::TopLevel;

/// The window's title (tauri.conf.json), by which the X display lists it.
const TITLE: &str = "電子入札システム 利用者登録 ICカード更新";
/// A debug build starts in a few seconds here; quitting takes well under a second.
const EXIT_LIMIT: Duration = Duration::from_secs(30);

fn folder(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("ebid-e2e-{name}-"))
        .tempdir()
        .expect("a temporary folder")
}

/// The app as a menu starts it (no server configured: it opens on 接続先設定), with a tray on its bus.
async fn launch_with_tray(folder: &tempfile::TempDir) -> (AppWindow, StatusNotifierWatcher) {
    let launch = Launch::from_files(&folder.path().join("app"));
    AppWindow::launch_with_services(launch, async |bus| {
        StatusNotifierWatcher::start(&bus.address()).await
    })
    .await
}

#[tokio::test]
async fn the_tray_item_registers_with_the_menu_open_and_quit() {
    if !needs::app_window() {
        return;
    }
    let folder = folder("tray-menu");
    let (window, tray) = launch_with_tray(&folder).await;
    let item = tray.wait_for_item().await;
    let menu = tray.menu(&item).await;
    assert_eq!(menu.labels(), ["開く", "終了"], "{menu:#?}");
    assert!(
        menu.children
            .iter()
            .all(|entry| entry.enabled && entry.visible)
    );
    window.close().await;
}

#[tokio::test]
async fn closing_the_window_keeps_the_app_in_the_tray_and_open_brings_it_back() {
    if !needs::app_window() {
        return;
    }
    let folder = folder("close-to-tray");
    let (window, tray) = launch_with_tray(&folder).await;
    window.wait_screen("connection").await;
    let item = tray.wait_for_item().await;
    let main = TopLevel::find(TITLE).await;
    assert!(main.is_viewable(), "the window is shown at first");

    // The window manager's close (the × button): WM_DELETE_WINDOW.
    main.ask_to_close();
    window
        .wait_logged("window closed: the app keeps running in the tray")
        .await;
    main.wait_viewable(false).await;
    assert!(tray.is_alive(&item).await, "the tray item is still there");
    assert_eq!(tray.menu(&item).await.labels(), ["開く", "終了"]);

    tray.click(&item, "開く").await;
    main.wait_viewable(true).await;
    // The same page, still working: nothing was restarted.
    window.wait_screen("connection").await;
    window.fill("server-url", "http://127.0.0.1:9/").await;
    window.close().await;
}

#[tokio::test]
async fn quit_in_the_tray_ends_the_app_with_status_zero() {
    if !needs::app_window() {
        return;
    }
    // Started directly, not through WebDriver, to see how the process itself exits.
    let _display = own_the_display().await;
    let folder = folder("tray-quit");
    let launch = Launch::from_files(&folder.path().join("app"));
    let bus = launch.bus();
    let _daemon = bus.start_daemon();
    let tray = StatusNotifierWatcher::start(&bus.address()).await;
    let mut app = launch
        .command(&app_binary())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the app starts");
    let item = tray.wait_for_item().await;

    tray.click(&item, "終了").await;
    let status = wait_exit(&mut app).await;
    assert_eq!(status.code(), Some(0), "the app exited with {status}");
    let log = launch.log_text();
    assert!(
        log.contains("終了 chosen in the tray: quitting") && log.contains("session ended; exiting"),
        "the log says why and how it ended:\n{log}"
    );
}

/// The app's exit status, once it exits (at most [`EXIT_LIMIT`]; killed otherwise).
async fn wait_exit(app: &mut std::process::Child) -> ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = app.try_wait().expect("the app's status") {
            return status;
        }
        if started.elapsed() >= EXIT_LIMIT {
            let _ = app.kill();
            let _ = app.wait();
            panic!("the app still ran {} s after 終了", EXIT_LIMIT.as_secs());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
