//! The harness itself: the real app, started against the real server under tauri-driver on the virtual
//! display, shows its first screen and can be photographed and closed.

use ebid_tests::app_window::AppWindow;
use ebid_tests::server_process::{ServerProcess, server_from_env};
use ebid_tests::{demo_set, needs};

#[tokio::test]
async fn the_app_window_opens_on_its_first_screen() {
    if !needs::app_window() {
        return;
    }
    let folders = tempfile::Builder::new()
        .prefix("ebid-e2e-smoke-")
        .tempdir()
        .expect("a temporary folder");
    let server = ServerProcess::start(
        &server_from_env(),
        &folders.path().join("server"),
        demo_set(),
    );
    let window = AppWindow::launch(server.url(), &folders.path().join("app")).await;
    window.wait_screen("home").await;
    let png = window.screenshot("smoke-first-screen").await;
    assert!(
        png.metadata().is_ok_and(|m| m.len() > 0),
        "an empty screenshot"
    );
    window.close().await;
}
