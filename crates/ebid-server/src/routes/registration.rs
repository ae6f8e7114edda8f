//! 利用者登録メニュー and 登録者情報, for the session's user.

use axum::Json;
use axum::extract::State;
use ebid_protocol::{Menu, RegistrationInfo};

use crate::auth::Session;
use crate::error::ApiError;
use crate::state::SharedState;
use crate::views;

pub(super) async fn menu(
    State(state): State<SharedState>,
    Session(session): Session,
) -> Result<Json<Menu>, ApiError> {
    // One read transaction: one snapshot, even while a renewal commits.
    let mut snapshot = state.db.pool().begin().await?;
    Ok(Json(views::menu(&mut snapshot, &session).await?))
}

pub(super) async fn registration(
    State(state): State<SharedState>,
    Session(session): Session,
) -> Result<Json<RegistrationInfo>, ApiError> {
    let mut snapshot = state.db.pool().begin().await?;
    Ok(Json(views::registration(&mut snapshot, &session).await?))
}
