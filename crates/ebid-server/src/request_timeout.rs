//! A request that is not answered in time (its body still trickling in, or the database not answering) ends
//! with the `request_timeout` refusal. Its transaction, if it had one, is dropped and so rolled back.
//!
//! The time runs until the answer's head is ready, not while its body is sent: an update's artifact (tens of
//! MB, streamed from its file by `routes::updates::artifact`) downloads for as long as the client needs.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use ebid_protocol::RefusalCode;

use crate::error::refusal_response;
use crate::state::SharedState;

pub(crate) async fn limit(
    State(state): State<SharedState>,
    request: Request,
    next: Next,
) -> Response {
    match tokio::time::timeout(state.request_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!("request timed out after {:?}", state.request_timeout);
            refusal_response(RefusalCode::RequestTimeout)
        }
    }
}
