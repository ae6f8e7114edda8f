//! Card login, which opens a session, and logout, which ends it.

use anyhow::anyhow;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use ebid_protocol::{CardProof, LoginResponse, RefusalCode};

use crate::audited;
use crate::auth::Session;
use crate::db::audit::Action;
use crate::db::registry;
use crate::db::sessions::{self, EndReason, NewSession, SessionRow};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::proof::{self, Expected};
use crate::random;
use crate::state::SharedState;
use crate::views;

/// `POST` [`ebid_protocol::routes::LOGIN`]: the checks run in the order the refusals are documented: the
/// challenge, the certificate, the signature, trust at the server's time, then registration here.
pub(super) async fn login(
    State(state): State<SharedState>,
    ApiJson(card): ApiJson<CardProof>,
) -> Result<Json<LoginResponse>, ApiError> {
    let now = state.now();
    let response = audited::transaction(&state, Action::Login, now, async |conn, audit| {
        let challenge = proof::consume_challenge(
            conn,
            &card.challenge_id,
            &state.origin,
            Expected::Login,
            now,
        )
        .await?;
        audit.subject.organization = Some(challenge.organization.clone());
        let certificate = proof::verify_card(&challenge, &card)?;
        let facts = certificate.facts();
        audit.subject.serial = Some(facts.serial.clone());
        state
            .trust
            .validate(certificate.der(), now)
            .map_err(|error| proof::current_card_refusal(&error))?;

        // Registered and active at this organization, for a user of this category: a superseded card is
        // not registered any more.
        let registered = registry::active_certificate_by_fingerprint(
            conn,
            &challenge.organization,
            &facts.fingerprint_sha256,
        )
        .await?
        .ok_or(RefusalCode::CurrentCardNotRegistered)?;
        let user = registry::user(conn, registered.user_id)
            .await?
            .ok_or_else(|| anyhow!("certificate {} of a missing user", registered.id))?;
        if user.category_id != challenge.category {
            return Err(RefusalCode::CurrentCardNotRegistered.into());
        }

        let token = random::session_token()?;
        let session = SessionRow {
            id: random::text_id()?,
            organization_id: challenge.organization.clone(),
            category_id: challenge.category.clone(),
            user_id: user.id,
            certificate_id: registered.id,
            last_seen_at: now.unix_timestamp(),
            ended_at: None,
        };
        sessions::insert(
            conn,
            &NewSession {
                id: &session.id,
                token_hash: &random::token_hash(&token),
                organization_id: &session.organization_id,
                category_id: &session.category_id,
                user_id: session.user_id,
                certificate_id: session.certificate_id,
            },
            now,
        )
        .await?;
        audit.subject.session_id = Some(session.id.clone());
        Ok(LoginResponse {
            session_token: token,
            idle_timeout_seconds: state.session_idle_timeout.as_secs(),
            menu: views::menu(conn, &session).await?,
        })
    })
    .await?;
    Ok(Json(response))
}

/// `DELETE` [`ebid_protocol::routes::LOGOUT`].
pub(super) async fn logout(
    State(state): State<SharedState>,
    Session(session): Session,
) -> Result<StatusCode, ApiError> {
    let now = state.now();
    audited::transaction(&state, Action::Logout, now, async |conn, audit| {
        audit.subject.organization = Some(session.organization_id.clone());
        audit.subject.session_id = Some(session.id.clone());
        sessions::end(conn, &session.id, now, EndReason::Logout).await?;
        Ok(StatusCode::NO_CONTENT)
    })
    .await
}
