//! A top-level window of the X display, seen and handled as a window manager does: whether it is shown
//! (mapped and viewable), and the close a window manager sends when the user clicks its × (the
//! `WM_DELETE_WINDOW` message, which the app may answer by hiding rather than closing). Xvfb runs no window
//! manager, and WebDriver's "close window" destroys the page without asking the app.

use std::time::{Duration, Instant};

use x11rb::connection::Connection as _;
use x11rb::errors::ReplyError;
use x11rb::protocol::xproto::{
    Atom, AtomEnum, ClientMessageEvent, ConnectionExt as _, EventMask, MapState, Window,
};
use x11rb::rust_connection::RustConnection;

use crate::app_window::WAIT;

const POLL: Duration = Duration::from_millis(100);

pub struct TopLevel {
    connection: RustConnection,
    window: Window,
    title: String,
}

impl TopLevel {
    /// The top-level window titled `title` on `$DISPLAY`, once there is one (at most [`WAIT`]).
    pub async fn find(title: &str) -> Self {
        let (connection, screen) = x11rb::connect(None).expect("the X display ($DISPLAY)");
        let root = connection.setup().roots[screen].root;
        let net_wm_name = atom(&connection, b"_NET_WM_NAME");
        let utf8 = atom(&connection, b"UTF8_STRING");
        let deadline = Instant::now() + WAIT;
        loop {
            let children = connection
                .query_tree(root)
                .map_err(ReplyError::from)
                .and_then(|c| c.reply())
                .expect("the display's windows")
                .children;
            let found = children.into_iter().find(|&window| {
                connection
                    .get_property(false, window, net_wm_name, utf8, 0, 1024)
                    .ok()
                    .and_then(|c| c.reply().ok())
                    .is_some_and(|p| p.value == title.as_bytes())
            });
            if let Some(window) = found {
                return Self {
                    connection,
                    window,
                    title: title.to_owned(),
                };
            }
            assert!(
                Instant::now() < deadline,
                "no window titled 「{title}」 within {} s",
                WAIT.as_secs()
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// Whether the window is on screen (mapped, and its parents too).
    pub fn is_viewable(&self) -> bool {
        self.connection
            .get_window_attributes(self.window)
            .map_err(ReplyError::from)
            .and_then(|c| c.reply())
            .expect("the window's attributes")
            .map_state
            == MapState::VIEWABLE
    }

    /// Waits (at most [`WAIT`]) until the window is shown, or hidden.
    pub async fn wait_viewable(&self, shown: bool) {
        let deadline = Instant::now() + WAIT;
        while self.is_viewable() != shown {
            assert!(
                Instant::now() < deadline,
                "the window 「{}」 is still {} after {} s",
                self.title,
                if shown { "hidden" } else { "shown" },
                WAIT.as_secs()
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// What a window manager sends when the user clicks the window's ×: `WM_PROTOCOLS` / `WM_DELETE_WINDOW`.
    pub fn ask_to_close(&self) {
        let protocols = atom(&self.connection, b"WM_PROTOCOLS");
        let delete = atom(&self.connection, b"WM_DELETE_WINDOW");
        let message = ClientMessageEvent::new(
            32,
            self.window,
            protocols,
            [delete, x11rb::CURRENT_TIME, 0, 0, 0],
        );
        self.connection
            .send_event(false, self.window, EventMask::NO_EVENT, message)
            .expect("the close message is sent");
        self.connection.flush().expect("the close message is sent");
    }
}

fn atom(connection: &RustConnection, name: &[u8]) -> Atom {
    connection
        .intern_atom(false, name)
        .map_err(ReplyError::from)
        .and_then(|c| c.reply())
        .map_or(AtomEnum::NONE.into(), |reply| reply.atom)
}
