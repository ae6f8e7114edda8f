//! ebid's HTTP client for the organization's registration server.
//!
//! One method a route of [`ebid_protocol::routes`], JSON both ways, the session token as
//! `Authorization: Bearer`. What can go wrong is typed so that the caller knows what it may assume
//! ([`ClientError`]): the server said no ([`ClientError::Refused`], with the rule in Japanese and the next
//! step), the request never reached it ([`ClientError::Unreachable`]), or it may have reached it and the
//! answer was lost ([`ClientError::Interrupted`]: assume neither outcome; the renewal's commit is idempotent
//! for exactly this case).
//!
//! HTTPS with rustls and the platform's roots, plus an organization's own CA when it runs its own
//! ([`ClientOptions::extra_ca_pem`]); plain HTTP only to this machine (the demo and the tests).
//!
//! Each exchange is logged at debug level (`tracing`) by its method, route pattern, status and time taken:
//! never its path, headers or body, which carry the renewal's id, the session token and the card's proof.

mod base_url;
mod client;
mod error;
mod options;
mod session;

pub use base_url::check_server_url;
pub use client::Client;
pub use error::ClientError;
pub use options::{ClientOptions, ServerReach};
pub use session::{LoggedIn, SessionToken};
