//! What the app asks of the desktop beyond its window: a notification that reaches the user while the window
//! is closed (the expiry reminders), and starting at login. The shell implements [`Desktop`] with Tauri's
//! plugins; this crate only names what it needs, so that the reminders are decided and tested without Tauri.

/// What the desktop offers beyond the window; the shell implements it with Tauri's plugins.
pub trait Desktop: Send + Sync + 'static {
    /// Shows a desktop notification; clicking it opens the app on `card` (a certificate fingerprint) where
    /// the platform reports clicks.
    fn notify(&self, notice: &DesktopNotice) -> Result<(), DesktopError>;

    /// Whether the app starts when the user logs in.
    fn starts_at_login(&self) -> Result<bool, DesktopError>;

    /// Starts the app at login, or no longer; only ever on the user's word.
    fn set_starts_at_login(&self, enabled: bool) -> Result<(), DesktopError>;
}

/// One desktop notification, about one card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesktopNotice {
    pub title: String,
    pub body: String,
    /// The fingerprint of the card's certificate: the app opens on this card when the notice is clicked.
    pub card: String,
}

/// What the desktop refused, in words the user reads (the cause from the OS stays in parentheses for the
/// help desk).
#[derive(Debug, thiserror::Error)]
pub enum DesktopError {
    #[error("デスクトップ通知を表示できませんでした（{0}）。")]
    Notification(String),
    #[error("ログイン時に起動するかどうかの設定を読み取れませんでした（{0}）。")]
    ReadStartAtLogin(String),
    #[error("ログイン時に起動するかどうかを設定できませんでした（{0}）。")]
    WriteStartAtLogin(String),
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// A desktop that records what it was asked, as the reminder loop's tests will use one.
    #[derive(Default)]
    struct Recorded {
        notices: Mutex<Vec<DesktopNotice>>,
        at_login: Mutex<bool>,
    }

    impl Desktop for Recorded {
        fn notify(&self, notice: &DesktopNotice) -> Result<(), DesktopError> {
            self.notices
                .lock()
                .map_err(|e| DesktopError::Notification(e.to_string()))?
                .push(notice.clone());
            Ok(())
        }

        fn starts_at_login(&self) -> Result<bool, DesktopError> {
            self.at_login
                .lock()
                .map(|on| *on)
                .map_err(|e| DesktopError::ReadStartAtLogin(e.to_string()))
        }

        fn set_starts_at_login(&self, enabled: bool) -> Result<(), DesktopError> {
            *self
                .at_login
                .lock()
                .map_err(|e| DesktopError::WriteStartAtLogin(e.to_string()))? = enabled;
            Ok(())
        }
    }

    #[test]
    fn the_seam_is_shared_between_threads_as_a_trait_object() {
        let recorded = Arc::new(Recorded::default());
        let desktop: Arc<dyn Desktop> = recorded.clone();
        let notice = DesktopNotice {
            title: "ICカードの有効期限".to_owned(),
            body: "あと30日で有効期限が切れます。".to_owned(),
            card: "ab12".to_owned(),
        };
        let sent = std::thread::spawn({
            let desktop = desktop.clone();
            let notice = notice.clone();
            move || desktop.notify(&notice)
        });
        sent.join().expect("the thread ends").expect("notified");
        desktop.set_starts_at_login(true).expect("set");
        assert!(desktop.starts_at_login().expect("read"));
        assert_eq!(*recorded.notices.lock().expect("the list"), vec![notice]);
    }

    #[test]
    fn a_refusal_reads_as_japanese_and_keeps_the_cause() {
        let error = DesktopError::WriteStartAtLogin("permission denied".to_owned());
        assert_eq!(
            error.to_string(),
            "ログイン時に起動するかどうかを設定できませんでした（permission denied）。"
        );
    }
}
