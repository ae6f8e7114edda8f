//! The way out: whatever ends the app (the tray's 終了, the session's end), the renewal's session with the
//! server is ended first, as the manual asks. Tauri exits the process without dropping what it manages, so
//! the card thread's own end (when the [`Controller`] goes away) would never run.

use std::sync::mpsc;
use std::time::Duration;

use ebid_app::Controller;
use tauri::{AppHandle, Manager as _};

/// A server that does not answer must not keep the app from ending.
const END_LIMIT: Duration = Duration::from_secs(5);

/// For [`tauri::RunEvent::Exit`], on the main thread just before the process exits.
pub fn end_before_exit(app: &AppHandle) {
    if app.try_state::<Controller>().is_none() {
        return;
    }
    let (ended, outcome) = mpsc::channel();
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        let controller = handle.state::<Controller>();
        // A card wait in progress holds the card thread: stop it, so that the end is not queued behind it.
        let _ = controller.cancel_wait().await;
        let _ = ended.send(controller.end().await);
    });
    match outcome.recv_timeout(END_LIMIT) {
        Ok(Ok(())) => log::info!("session ended; exiting"),
        Ok(Err(error)) => log::warn!("could not end the session before exiting: {error}"),
        Err(_) => log::warn!(
            "the session did not end within {} s; exiting anyway",
            END_LIMIT.as_secs()
        ),
    }
}
