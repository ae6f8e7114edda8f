//! The protocol between ebid (CLI and app) and the organization's registration server.
//!
//! JSON over HTTP under [`API_PREFIX`]. The server decides and the client explains: every refusal carries
//! a stable [`RefusalCode`], its Japanese message and the next step. One module per concern: the
//! [`routes`], the [`messages`] each route takes and gives (and [`registering`]'s, for 登録 and 変更), the [`challenge`] a card signs, the server's
//! [`origin`] it names, and the [`refusal`]s; beside the API, the desktop app's [`updates`] feed.

/// A route's path under the one prefix, so that a version bump changes one line.
macro_rules! api_path {
    ($path:literal) => {
        concat!("/api/v2", $path)
    };
}

pub mod challenge;
pub mod form_rules;
pub mod messages;
pub mod origin;
pub mod refusal;
pub mod registering;
pub mod routes;
pub mod updates;
mod wire;

/// The protocol version; it is part of every path, so an incompatible server answers 404, not nonsense.
pub const VERSION: u32 = 2;

/// The common prefix of every route.
pub const API_PREFIX: &str = api_path!("");

/// The header carrying the session token after login (`Authorization: Bearer <token>`).
pub const AUTHORIZATION: &str = "authorization";

pub use challenge::{Challenge, Purpose};
pub use form_rules::{FieldProblem, FormField};
pub use messages::*;
pub use origin::{Origin, OriginError};
pub use refusal::{NextStep, Refusal, RefusalCode};
pub use registering::*;
