//! What anyone may ask: the server's time and the organizations.

use axum::Json;
use axum::extract::State;
use ebid_protocol::{Organization, ServerTime};

use crate::db::organizations;
use crate::error::ApiError;
use crate::state::SharedState;

/// The server's clock, the only one that counts (the manual's 『年月日時分』).
pub(super) async fn time(State(state): State<SharedState>) -> Json<ServerTime> {
    Json(ServerTime {
        server_time: state.now(),
        protocol_version: ebid_protocol::VERSION,
    })
}

pub(super) async fn organizations(
    State(state): State<SharedState>,
) -> Result<Json<Vec<Organization>>, ApiError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(Json(organizations::list(&mut conn).await?))
}
