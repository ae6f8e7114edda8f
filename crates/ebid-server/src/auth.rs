//! Sessions on the wire: `Authorization: Bearer <token>`, checked against the stored hash, with the idle
//! timeout restarted by every request.

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ebid_protocol::RefusalCode;
use time::OffsetDateTime;

use crate::db::sessions::{self, SessionRow};
use crate::db::time::from_db;
use crate::db::writer::Kept;
use crate::error::ApiError;
use crate::random;
use crate::state::{AppState, SharedState};

/// How stale a session's `last_seen_at` may get before a request writes it again: the idle timeout is then
/// exact to within this.
const TOUCH_EVERY: time::Duration = time::Duration::seconds(15);

/// The token a request presents, hashed as the sessions table keeps it.
pub(crate) struct BearerToken {
    pub hash: String,
}

/// The request's bearer token. A request without one has no session: `session_ended`, as for a session that
/// never existed.
pub(crate) fn bearer(headers: &HeaderMap) -> Result<BearerToken, ApiError> {
    let token = headers
        .get(ebid_protocol::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            let (scheme, token) = value.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        })
        .filter(|token| !token.is_empty())
        .ok_or(RefusalCode::SessionEnded)?;
    Ok(BearerToken {
        hash: random::token_hash(token),
    })
}

/// The live session of `token`; this request restarts its idle time.
///
/// A session ends (`session_ended`) when it was ended, or when the certificate that opened it is no longer
/// the user's active one (superseded by a renewal made in another session); it expires (`session_expired`)
/// after the idle timeout, and after the absolute lifetime however busy it was.
pub(crate) async fn session(
    state: &AppState,
    token: &BearerToken,
    now: OffsetDateTime,
) -> Result<SessionRow, ApiError> {
    let mut conn = state.db.pool().acquire().await?;
    let found = sessions::find_by_token_hash(&mut conn, &token.hash)
        .await?
        .ok_or(RefusalCode::SessionEnded)?;
    let session = found.session;
    if session.ended_at.is_some() || !found.certificate_active {
        return Err(RefusalCode::SessionEnded.into());
    }
    if now - from_db(session.last_seen_at)? > state.session_idle_timeout
        || now - from_db(session.created_at)? > state.session_max_lifetime
    {
        return Err(RefusalCode::SessionExpired.into());
    }
    drop(conn);
    // Not every request: a write each would cost the writer more than the idle timeout's precision is worth.
    if now - from_db(session.last_seen_at)? >= TOUCH_EVERY {
        let id = session.id.clone();
        state
            .db
            .writer()
            .write(Box::new(move |conn| {
                Box::pin(async move {
                    match sessions::touch(conn, &id, now).await {
                        Ok(()) => Kept::Keep(Ok(())),
                        Err(error) => Kept::Discard(Err(error)),
                    }
                })
            }))
            .await??;
    }
    Ok(session)
}

/// A handler argument: the request's live session.
pub(crate) struct Session(pub SessionRow);

impl FromRequestParts<SharedState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &SharedState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(&parts.headers)?;
        session(state, &token, state.now()).await.map(Self)
    }
}
