//! 利用者登録メニュー, 登録者情報 and 変更, for the session's user.

use axum::Json;
use axum::extract::State;
use ebid_protocol::{ChangeResult, Menu, RegistrationChange, RegistrationInfo};

use crate::audited;
use crate::auth::Session;
use crate::db::audit::Action;
use crate::db::registry;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::form;
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

/// `PUT` [`ebid_protocol::routes::REGISTRATION`]: 変更 of the company's 企業住所, 代表者氏名 and 電話番号 and the
/// logged-in user's 連絡先, checked as 登録's form is, in one transaction audited with the 担当者; answered
/// with 登録者情報 as the transaction left it.
pub(super) async fn change(
    State(state): State<SharedState>,
    Session(session): Session,
    ApiJson(change): ApiJson<RegistrationChange>,
) -> Result<Json<ChangeResult>, ApiError> {
    let now = state.now();
    let info = audited::transaction(
        &state,
        Action::RegistrationChange,
        now,
        move |conn, audit| {
            Box::pin(async move {
                audit.subject.organization = Some(session.organization_id.clone());
                audit.subject.session_id = Some(session.id.clone());
                let change = form::checked_change(&change)?;
                audit.subject.operator = Some(change.operator.clone());
                let user = views::user(conn, session.user_id).await?;
                registry::update_company(
                    conn,
                    user.company_id,
                    &change.company_address,
                    &change.representative,
                    &change.phone,
                )
                .await?;
                registry::set_contact(conn, user.id, &change.contact).await?;
                Ok(views::registration(conn, &session).await?)
            })
        },
    )
    .await?;
    Ok(Json(info))
}
