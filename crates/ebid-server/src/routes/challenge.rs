//! Issuing challenges: a login challenge to anyone for an organization and category that exist; a renewal
//! challenge only inside a live session of that organization and category, and bound to that session.

use anyhow::Context as _;
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use ebid_protocol::{Challenge, ChallengeRequest, Purpose, RefusalCode};

use crate::auth;
use crate::db::organizations;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::random;
use crate::state::SharedState;

pub(super) async fn issue(
    State(state): State<SharedState>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<ChallengeRequest>,
) -> Result<Json<Challenge>, ApiError> {
    let now = state.now();
    {
        let mut conn = state.db.pool().acquire().await?;
        if !organizations::category_exists(&mut conn, &request.organization, &request.category)
            .await?
        {
            return Err(RefusalCode::UnknownOrganization.into());
        }
    }
    let session_id = match request.purpose {
        Purpose::Login | Purpose::Registration => None,
        Purpose::RenewalNewCard => {
            let session = auth::session(&state, &auth::bearer(&headers)?, now).await?;
            if session.organization_id != request.organization
                || session.category_id != request.category
            {
                return Err(RefusalCode::ChallengeMismatch.into());
            }
            Some(session.id)
        }
    };
    // Whole seconds: the card signs the expiry as a unix timestamp, and the database keeps seconds.
    let expires_at = (now + state.challenge_ttl)
        .replace_nanosecond(0)
        .context("challenge expiry")?;
    let challenge = Challenge {
        id: random::text_id()?,
        origin: state.origin.clone(),
        organization: request.organization,
        category: request.category,
        purpose: request.purpose,
        nonce: random::nonce()?,
        expires_at,
    };
    state
        .challenges
        .insert(challenge.clone(), session_id, now)?;
    Ok(Json(challenge))
}
