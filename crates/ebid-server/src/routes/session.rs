//! Card login, which opens a session, and logout, which ends it.

use anyhow::anyhow;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use ebid_protocol::{CardProof, LoginResponse, RefusalCode};
use time::OffsetDateTime;

use crate::audited;
use crate::auth::Session;
use crate::challenge_store::Expected;
use crate::db::audit::{Action, code_name};
use crate::db::sessions::{self, EndReason, NewSession, SessionRow};
use crate::db::{applications, registry};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::random;
use crate::state::{AppState, SharedState};
use crate::{proof, views};

/// `POST` [`ebid_protocol::routes::LOGIN`]: the checks run in the order the refusals are documented: the
/// challenge, the certificate, the signature, trust at the server's time, then registration here (a card
/// waiting for approval is told so: `registration_pending`). Only a
/// login that passes them writes (its session and audit entry, in one transaction); a refused one is
/// counted ([`crate::refused_logins`]) and logged, so that a stranger's attempts cost no write.
pub(super) async fn login(
    State(state): State<SharedState>,
    ApiJson(card): ApiJson<CardProof>,
) -> Result<Json<LoginResponse>, ApiError> {
    let now = state.now();
    let mut organization = None;
    let card_holder = match authenticate(&state, &card, now, &mut organization).await {
        Ok(card_holder) => card_holder,
        Err(ApiError::Refused(code)) => {
            state.refused_logins.count(organization.as_deref(), code);
            tracing::info!(
                organization = organization.as_deref().unwrap_or("-"),
                refusal = %code_name(code),
                "login refused"
            );
            return Err(code.into());
        }
        Err(error) => return Err(error),
    };

    // The writer's job only inserts the session; the menu is read afterwards, off the writer's path.
    let (token, session) = audited::transaction(&state, Action::Login, now, move |conn, audit| {
        Box::pin(async move {
            audit.subject.organization = Some(card_holder.organization.clone());
            audit.subject.serial = Some(card_holder.serial.clone());
            let token = random::session_token()?;
            let session = SessionRow {
                id: random::text_id()?,
                organization_id: card_holder.organization.clone(),
                category_id: card_holder.category.clone(),
                user_id: card_holder.user_id,
                certificate_id: card_holder.certificate_id,
                created_at: now.unix_timestamp(),
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
            Ok((token, session))
        })
    })
    .await?;
    let mut conn = state.db.pool().acquire().await?;
    Ok(Json(LoginResponse {
        session_token: token,
        idle_timeout_seconds: state.session_idle_timeout.as_secs(),
        menu: views::menu(&mut conn, &session).await?,
    }))
}

/// Who a login proves to be: a registered user here, with their active certificate.
struct CardHolder {
    organization: String,
    category: String,
    user_id: i64,
    certificate_id: i64,
    serial: String,
}

/// Every check of a login, reading but never writing. `organization` is filled in once the challenge names
/// one, for the count of a refusal.
async fn authenticate(
    state: &AppState,
    card: &CardProof,
    now: OffsetDateTime,
    organization: &mut Option<String>,
) -> Result<CardHolder, ApiError> {
    let challenge = state
        .challenges
        .consume(&card.challenge_id, Expected::Login, now)?
        .challenge;
    *organization = Some(challenge.organization.clone());
    let certificate = proof::verify_card(&challenge, card)?;
    let facts = certificate.facts();
    state
        .trust
        .validate(certificate.der(), now)
        .map_err(|error| proof::current_card_refusal(&error))?;

    // Registered and active at this organization, for a user of this category: a superseded card is not
    // registered any more. (Should a renewal supersede it between this read and the session's insert, the
    // session ends at its first use: every request checks that its certificate is still active.)
    let mut conn = state.db.pool().acquire().await?;
    let Some(registered) = registry::active_certificate_by_fingerprint(
        &mut conn,
        &challenge.organization,
        &facts.fingerprint_sha256,
    )
    .await?
    else {
        // 仮登録: applied for, waiting for the organization's approval, which is the user's to wait for.
        let pending = applications::card_pending(
            &mut conn,
            &challenge.organization,
            &facts.fingerprint_sha256,
        )
        .await?;
        return Err(if pending {
            RefusalCode::RegistrationPending
        } else {
            RefusalCode::CurrentCardNotRegistered
        }
        .into());
    };
    let user = registry::user(&mut conn, registered.user_id)
        .await?
        .ok_or_else(|| anyhow!("certificate {} of a missing user", registered.id))?;
    if user.category_id != challenge.category {
        return Err(RefusalCode::CurrentCardNotRegistered.into());
    }
    Ok(CardHolder {
        organization: challenge.organization,
        category: challenge.category,
        user_id: user.id,
        certificate_id: registered.id,
        serial: facts.serial.clone(),
    })
}

/// `DELETE` [`ebid_protocol::routes::LOGOUT`].
pub(super) async fn logout(
    State(state): State<SharedState>,
    Session(session): Session,
) -> Result<StatusCode, ApiError> {
    let now = state.now();
    audited::transaction(&state, Action::Logout, now, move |conn, audit| {
        Box::pin(async move {
            audit.subject.organization = Some(session.organization_id.clone());
            audit.subject.session_id = Some(session.id.clone());
            sessions::end(conn, &session.id, now, EndReason::Logout).await?;
            Ok(StatusCode::NO_CONTENT)
        })
    })
    .await
}
