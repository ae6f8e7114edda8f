//! The HTTP routes, exactly as `ebid_protocol::routes` names them, and the layers every request passes:
//! the access log, the rate limits, the request timeout, and a refusal in place of a panic.

mod challenge;
mod public;
mod registering;
mod registration;
mod renewal;
mod session;
mod updates;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::response::Response;
use axum::routing::{get, post};
use ebid_protocol::updates::{ARTIFACT_ROUTE, FEED_ROUTE};
use ebid_protocol::{RefusalCode, routes};
use tower_http::catch_panic::CatchPanicLayer;

use crate::error::refusal_response;
use crate::state::SharedState;
use crate::{access_log, rate_limit, request_timeout};

/// A challenge request is three short strings.
const CHALLENGE_BODY_LIMIT: usize = 1024;
/// A card proof is a certificate (a few KiB in base64) and a signature; a registration adds a short form,
/// 変更 and 【更新】 take a short form alone.
const BODY_LIMIT: usize = 16 * 1024;

pub(crate) fn router(state: SharedState) -> Router {
    Router::new()
        .route(routes::TIME, get(public::time))
        .route(routes::ORGANIZATIONS, get(public::organizations))
        .route(
            routes::CHALLENGES,
            post(challenge::issue).layer(DefaultBodyLimit::max(CHALLENGE_BODY_LIMIT)),
        )
        .route(routes::LOGIN, post(session::login))
        .route(routes::LOGOUT, axum::routing::delete(session::logout))
        .route(routes::MENU, get(registration::menu))
        .route(
            routes::REGISTRATION,
            get(registration::registration).put(registration::change),
        )
        .route(routes::REGISTRATIONS, post(registering::register))
        .route(routes::RENEWAL_PROOF, post(renewal::proof))
        .route(routes::RENEWAL_COMMIT_PATTERN, post(renewal::commit))
        // The app's updates: outside the API's prefix (the plugin's contract, for any app version).
        .route(FEED_ROUTE, get(updates::feed))
        .route(ARTIFACT_ROUTE, get(updates::artifact))
        .fallback(unknown_route)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        // A bug must not take the server down, and the client still gets a refusal it understands. Every
        // change is inside a transaction, which a panic drops, so nothing is left half-done.
        .layer(CatchPanicLayer::custom(|_| {
            refusal_response(RefusalCode::ServerError)
        }))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            request_timeout::limit,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            rate_limit::limit,
        ))
        .layer(middleware::from_fn(access_log::log))
        .with_state(state)
}

async fn unknown_route() -> Response {
    refusal_response(RefusalCode::UnknownRoute)
}

async fn method_not_allowed() -> Response {
    refusal_response(RefusalCode::MethodNotAllowed)
}
