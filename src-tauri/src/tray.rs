//! The tray icon, which keeps the app reachable while its window is closed: 「開く」 brings the window back
//! (a left click too, where the platform reports one: Windows and macOS; Linux's AppIndicator only opens
//! the menu), 「終了」 ends the app.

use tauri::menu::{Menu, MenuEvent, MenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{App, AppHandle};

use crate::main_window;

const OPEN: &str = "open";
const QUIT: &str = "quit";

/// Puts the app's icon in the tray. Tauri keeps the icon for the app's life.
pub fn install(app: &App) -> tauri::Result<()> {
    let open = MenuItem::with_id(app, OPEN, "開く", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, QUIT, "終了", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &quit])?;
    let mut tray = TrayIconBuilder::with_id("main")
        .tooltip("電子入札 ICカード更新")
        .menu(&menu)
        // A left click opens the window; the menu is on the right button.
        .show_menu_on_left_click(false)
        .on_menu_event(on_menu)
        .on_tray_icon_event(on_click);
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    Ok(())
}

fn on_menu(app: &AppHandle, event: MenuEvent) {
    match event.id().as_ref() {
        OPEN => main_window::bring_forward(app),
        QUIT => {
            log::info!("終了 chosen in the tray: quitting");
            // The session with the server ends on the way out (`session_end`), then the process exits 0.
            app.exit(0);
        }
        _ => {}
    }
}

fn on_click(tray: &TrayIcon, event: TrayIconEvent) {
    if let TrayIconEvent::Click {
        button: MouseButton::Left,
        button_state: MouseButtonState::Up,
        ..
    } = event
    {
        main_window::bring_forward(tray.app_handle());
    }
}
