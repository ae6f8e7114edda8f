//! The access log: one `tracing` event a request, with the client's address, the method, the route (its
//! pattern: never the path itself, which can carry a renewal id, nor a header, which can carry the session
//! token), the status, the refusal code and the time taken.

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use ebid_protocol::RefusalCode;

use crate::db::audit::code_name;

pub(crate) async fn log(
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    matched: Option<MatchedPath>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let route = matched.map_or_else(|| "-".to_owned(), |path| path.as_str().to_owned());
    let start = Instant::now();
    let response = next.run(request).await;
    let refusal = response
        .extensions()
        .get::<RefusalCode>()
        .map_or_else(|| "-".to_owned(), |code| code_name(*code));
    tracing::info!(
        target: "ebid_server::access",
        client = %peer.ip(),
        %method,
        route,
        status = response.status().as_u16(),
        refusal,
        latency_us = u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX),
    );
    response
}
