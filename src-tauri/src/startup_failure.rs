//! A start that fails must be seen: a release build on Windows has no console, so the reason goes to a native
//! dialog (and to the log, and to stderr for a terminal), and the app ends when the user closes it.

use tauri::{AppHandle, Manager as _};

use crate::MAIN_WINDOW;

/// From the setup hook (on the main thread, where the window system's loop runs): hides the window, which
/// would only show screens that cannot work, shows why, and ends the app once the message is closed.
pub fn report(app: &AppHandle, reason: &str) {
    log::error!("start-up failed: {reason}");
    eprintln!("ebid-desktop: {reason}");
    if let Some(window) = app.get_webview_window(MAIN_WINDOW)
        && let Err(error) = window.hide()
    {
        log::warn!("could not hide the window: {error}");
    }
    // Created here, on the main thread (GTK's dialogs belong to the thread running its loop); waited for
    // on a thread of its own, so that the loop keeps running and draws it.
    let closed = rfd::AsyncMessageDialog::new()
        .set_level(rfd::MessageLevel::Error)
        .set_title("電子入札 ICカード更新")
        .set_description(format!(
            "アプリを起動できませんでした。\n\n{reason}\n\n解決しない場合は、この内容をシステムの管理者にお伝えください。"
        ))
        .set_buttons(rfd::MessageButtons::Ok)
        .show();
    let app = app.clone();
    std::thread::spawn(move || {
        tauri::async_runtime::block_on(closed);
        app.exit(1);
    });
}
