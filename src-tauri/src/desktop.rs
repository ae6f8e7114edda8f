//! [`ebid_app::Desktop`] with Tauri's plugins: notifications (tauri-plugin-notification) and starting at login
//! (tauri-plugin-autostart). A click on a notification opens the window on its card: the plugin reports it
//! (`tap`) on Windows, macOS and Linux (the freedesktop `default` action, where the notification server
//! offers actions), and the controller hands the card's fingerprint to the screens (`Controller::open_card`).

use std::sync::Arc;

use ebid_app::Controller;
use ebid_app::{Desktop, DesktopError, DesktopNotice};
use tauri::{AppHandle, Manager as _};
use tauri_plugin_autostart::ManagerExt as _;
use tauri_plugin_notification::{ActionPerformed, NotificationExt as _};

use crate::main_window;

/// Where a notification keeps its card, in the plugin's payload that a click reports back.
const CARD_KEY: &str = "card";

/// The plugin's name for a click on the notification itself (not on one of its buttons).
const TAP: &str = "tap";

/// The plugins, registered in this order before the app starts.
pub fn plugins<R: tauri::Runtime>() -> [tauri::plugin::TauriPlugin<R>; 2] {
    [
        tauri_plugin_notification::init(),
        // Started at login by the OS; `--in-tray` keeps the window closed until the user opens it.
        tauri_plugin_autostart::Builder::new()
            .arg(crate::args::IN_TRAY)
            .build(),
    ]
}

pub struct TauriDesktop {
    app: AppHandle,
}

impl TauriDesktop {
    /// The desktop, with clicks on its notifications opening the window. Called once, in the setup hook
    /// (the plugins are there by then), before any notification is shown: the plugin reports the clicks
    /// only of notifications shown after a handler exists.
    pub fn install(app: &AppHandle) -> Arc<dyn Desktop> {
        let handle = app.clone();
        // Never fails on desktop (the signature is the mobile one's).
        if let Err(error) = app
            .notification()
            .on_action(move |performed| on_action(&handle, performed))
        {
            log::warn!("clicks on notifications will not open the app: {error}");
        }
        Arc::new(Self { app: app.clone() })
    }
}

impl Desktop for TauriDesktop {
    fn notify(&self, notice: &DesktopNotice) -> Result<(), DesktopError> {
        self.app
            .notification()
            .builder()
            .title(&notice.title)
            .body(&notice.body)
            .extra(CARD_KEY, &notice.card)
            .show()
            .map_err(|e| DesktopError::Notification(e.to_string()))
    }

    fn starts_at_login(&self) -> Result<bool, DesktopError> {
        self.app
            .autolaunch()
            .is_enabled()
            .map_err(|e| DesktopError::ReadStartAtLogin(e.to_string()))
    }

    fn set_starts_at_login(&self, enabled: bool) -> Result<(), DesktopError> {
        let autolaunch = self.app.autolaunch();
        let done = if enabled {
            autolaunch.enable()
        } else {
            autolaunch.disable()
        };
        done.map_err(|e| DesktopError::WriteStartAtLogin(e.to_string()))?;
        log::info!("start at login: {enabled}");
        Ok(())
    }
}

/// On the plugin's thread: a click on one of our notifications shows the window on its card.
fn on_action(app: &AppHandle, performed: &ActionPerformed) {
    if performed.action_id() != TAP {
        return;
    }
    let card = performed
        .notification()
        .and_then(|n| n.extra().get(CARD_KEY))
        .and_then(|card| card.as_str())
        .map(str::to_owned);
    main_window::bring_forward(app);
    match card {
        Some(card) => {
            log::info!("notification clicked: opening the card {card}");
            match app.try_state::<Controller>() {
                Some(controller) => controller.open_card(card),
                None => log::warn!("the app did not start: no card to open"),
            }
        }
        None => log::info!("notification clicked: opening the window"),
    }
}
