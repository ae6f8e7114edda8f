//! The HTTP routes, exactly as `ebid_protocol::routes` names them.

mod challenge;
mod public;
mod registration;
mod renewal;
mod session;

use axum::Router;
use axum::routing::{get, post};
use ebid_protocol::{RefusalCode, routes};
use tower_http::catch_panic::CatchPanicLayer;

use crate::error::refusal_response;
use crate::state::SharedState;

pub(crate) fn router(state: SharedState) -> Router {
    Router::new()
        .route(routes::TIME, get(public::time))
        .route(routes::ORGANIZATIONS, get(public::organizations))
        .route(routes::CHALLENGES, post(challenge::issue))
        .route(routes::LOGIN, post(session::login))
        .route(routes::LOGOUT, axum::routing::delete(session::logout))
        .route(routes::MENU, get(registration::menu))
        .route(routes::REGISTRATION, get(registration::registration))
        .route(routes::RENEWAL_PROOF, post(renewal::proof))
        .route(routes::RENEWAL_COMMIT_PATTERN, post(renewal::commit))
        // A bug must not take the server down, and the client still gets a refusal it understands. Every
        // change is inside a transaction, which a panic drops, so nothing is left half-done.
        .layer(CatchPanicLayer::custom(|_| {
            refusal_response(RefusalCode::ServerError)
        }))
        .with_state(state)
}
