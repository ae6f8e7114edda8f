//! The session a card login opens: its token is a credential, so it never shows in `Debug` output or logs.

use std::time::Duration;

use ebid_protocol::{LoginResponse, Menu};

/// The bearer token of a session.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(…)")
    }
}

/// A card login's answer, with the token wrapped.
#[derive(Debug, Clone)]
pub struct LoggedIn {
    pub token: SessionToken,
    /// The session ends after this long without a request.
    pub idle_timeout: Duration,
    /// 利用者登録メニュー.
    pub menu: Menu,
}

impl From<LoginResponse> for LoggedIn {
    fn from(response: LoginResponse) -> Self {
        Self {
            token: SessionToken(response.session_token),
            idle_timeout: Duration::from_secs(response.idle_timeout_seconds),
            menu: response.menu,
        }
    }
}
