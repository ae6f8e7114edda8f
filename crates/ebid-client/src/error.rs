//! What a request can end in besides success, typed by what the caller may assume about the server's state.

use std::error::Error as _;

use ebid_protocol::Refusal;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server answered with a refusal: the rule, its Japanese message and the next step.
    #[error("{0}")]
    Refused(Refusal),
    /// The request did not reach the server (connection refused, name not found, connect timeout, the
    /// server's gateway saying it is down): nothing changed there.
    #[error("サーバに接続できません。時間をおいてもう一度お試しください。（{0}）")]
    Unreachable(String),
    /// The request was sent and the answer was lost (connection cut, timeout while waiting): the server may
    /// or may not have acted. Repeat only what is safe to repeat.
    #[error(
        "通信が途中で切れました。処理が行われたかどうか確認できません。もう一度お試しください。（{0}）"
    )]
    Interrupted(String),
    /// The server's certificate could not be verified: not a server this PC trusts.
    #[error("サーバの証明書を確認できません。接続先が正しいか確認してください。（{0}）")]
    Tls(String),
    /// The server answered something this client does not understand (another protocol version, a proxy's
    /// error page, malformed JSON).
    #[error("サーバの応答が想定外です。（{0}）")]
    Protocol(String),
    /// The client could not be set up (a bad URL or CA file).
    #[error("{0}")]
    Setup(String),
}

impl ClientError {
    /// Whether the server may have acted although no answer arrived, or did not act at all: either way the
    /// same request may be tried again, and only an idempotent one should be.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Unreachable(_) | Self::Interrupted(_))
    }

    /// What a log line says of this error: its kind, never its text, which may quote an unexpected answer
    /// (a login's, holding a session token).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Refused(_) => "refused",
            Self::Unreachable(_) => "unreachable",
            Self::Interrupted(_) => "interrupted",
            Self::Tls(_) => "tls",
            Self::Protocol(_) => "protocol",
            Self::Setup(_) => "setup",
        }
    }
}

/// Classifies a failure of the HTTP stack by whether the request can have reached the server.
pub(crate) fn from_transport(error: reqwest::Error) -> ClientError {
    let detail = chain(&error);
    if is_tls(&error) {
        ClientError::Tls(detail)
    } else if error.is_builder() {
        ClientError::Setup(detail)
    } else if error.is_connect() {
        // Also a connect timeout: no byte of the request left this machine.
        ClientError::Unreachable(detail)
    } else if error.is_decode() {
        ClientError::Protocol(detail)
    } else {
        // A timeout after connecting, a connection closed before or during the answer, a body cut short:
        // the request may have been processed.
        ClientError::Interrupted(detail)
    }
}

/// An HTTP error status without a refusal body, as a gateway or an unexpected server sends it.
pub(crate) fn from_status(status: reqwest::StatusCode, body: &[u8]) -> ClientError {
    let snippet: String = String::from_utf8_lossy(body).chars().take(200).collect();
    let detail = format!("HTTP {status} {snippet}");
    match status.as_u16() {
        // The gateway reached no server: the request went nowhere.
        503 => ClientError::Unreachable(detail),
        // The gateway lost the server's answer (or the server died on it): the outcome is unknown.
        502 | 504 => ClientError::Interrupted(detail),
        _ => ClientError::Protocol(detail),
    }
}

fn is_tls(error: &reqwest::Error) -> bool {
    error.source().is_some_and(mentions_rustls)
}

/// Whether `error` or a cause of it is rustls' error. The TLS stream reports it inside an `io::Error` (itself
/// inside another), and an `io::Error`'s `source()` skips the error it wraps, so those are opened by hand.
fn mentions_rustls(error: &(dyn std::error::Error + 'static)) -> bool {
    if error.is::<rustls::Error>() {
        return true;
    }
    let wrapped = error
        .downcast_ref::<std::io::Error>()
        .and_then(|io| io.get_ref());
    if let Some(inner) = wrapped
        && mentions_rustls(inner)
    {
        return true;
    }
    error.source().is_some_and(mentions_rustls)
}

/// The error and its causes on one line: reqwest's own message says little ("error sending request").
fn chain(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
