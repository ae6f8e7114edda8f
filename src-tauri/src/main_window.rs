//! The main window's life beside the tray: closing it only hides it (the app keeps running in the tray, so
//! that the expiry reminders still reach the user), and everything that opens the app again (a second
//! launch, the tray's 開く, a clicked notification) brings the same window forward.

use tauri::{AppHandle, Manager as _, Window, WindowEvent};

use crate::MAIN_WINDOW;

/// For [`tauri::Builder::on_window_event`]: the main window's close button hides it instead; the app ends
/// only from the tray's 終了 (or the session ending).
pub fn on_event(window: &Window, event: &WindowEvent) {
    if window.label() != MAIN_WINDOW {
        return;
    }
    if let WindowEvent::CloseRequested { api, .. } = event {
        api.prevent_close();
        match window.hide() {
            Ok(()) => log::info!("window closed: the app keeps running in the tray"),
            Err(error) => log::warn!("could not hide the window: {error}"),
        }
    }
}

/// Shows the main window (hidden or minimized), in front, with the focus.
pub fn bring_forward(app: &AppHandle) {
    let Some(window) = app.get_webview_window(MAIN_WINDOW) else {
        return;
    };
    for (what, done) in [
        ("unminimize", window.unminimize()),
        ("show", window.show()),
        ("focus", window.set_focus()),
    ] {
        if let Err(error) = done {
            log::warn!("could not {what} the window: {error}");
        }
    }
}
