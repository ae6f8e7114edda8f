//! ICカード更新: the new card's proof (answered with 電子証明書更新確認), then 【更新】.

use anyhow::{Context as _, anyhow};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use ebid_protocol::{CardProof, RefusalCode, RenewalCommit, RenewalConfirmation, RenewalResult};
use sqlx::SqliteConnection;

use crate::audited::{self, Audit};
use crate::auth::{self, Session};
use crate::challenge_store::Expected;
use crate::db::audit::{Action, code_name};
use crate::db::registry;
use crate::db::renewals::{self, NewRenewal};
use crate::db::sessions;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::random;
use crate::renewal::{Prepared, Registration};
use crate::state::SharedState;
use crate::{form, proof};

/// `POST` [`ebid_protocol::routes::RENEWAL_PROOF`]: the new card signs a challenge of this session. An
/// unreadable certificate or a bad signature is refused outright; every other rule the new card breaks is
/// listed on the confirmation, and the renewal is stored for 【更新】 to commit.
pub(super) async fn proof(
    State(state): State<SharedState>,
    Session(session): Session,
    ApiJson(card): ApiJson<CardProof>,
) -> Result<Json<RenewalConfirmation>, ApiError> {
    let now = state.now();
    // The challenge and the signature are checked here, not on the writer's task, which only writes; their
    // refusal is audited in the transaction all the same.
    let expected = Expected::Renewal {
        session_id: &session.id,
        organization: &session.organization_id,
        category: &session.category_id,
    };
    let verified = state
        .challenges
        .consume(&card.challenge_id, expected, now)
        .and_then(|stored| proof::verify_card(&stored.challenge, &card));
    let prepared = match &verified {
        Ok(new) => Some(Registration::prepare(&state.db, &state.trust, &session, new, now).await?),
        Err(_) => None,
    };
    let confirmation =
        audited::transaction(&state, Action::RenewalProof, now, move |conn, audit| {
            Box::pin(async move {
                audit.subject.organization = Some(session.organization_id.clone());
                audit.subject.session_id = Some(session.id.clone());
                let new = verified?;
                audit.subject.serial = Some(new.facts().serial.clone());
                let Prepared {
                    registration,
                    verdicts,
                    violations,
                } = prepared
                    .ok_or_else(|| anyhow!("a verified card without its registration read"))?;
                registration.check_current(&verdicts)?;
                let violations = violations?;
                let confirmation =
                    registration.confirmation(random::text_id()?, new.facts(), &violations);
                renewals::insert(
                    conn,
                    &NewRenewal {
                        session_id: &session.id,
                        user_id: registration.user.id,
                        old_certificate_id: registration.current.id,
                        new_certificate_der: new.der(),
                        confirmation: &confirmation,
                        violations: &violations,
                    },
                    now,
                )
                .await?;
                audit.subject.renewal_id = Some(confirmation.renewal_id.clone());
                audit.subject.detail = (!violations.is_empty()).then(|| {
                    let names: Vec<String> = violations.iter().copied().map(code_name).collect();
                    names.join(",")
                });
                Ok(confirmation)
            })
        })
        .await?;
    Ok(Json(confirmation))
}

/// `POST` [`ebid_protocol::routes::renewal_commit`]: 【更新】. Everything is checked again at the server's
/// time now; then, in one transaction, the old certificate is superseded (and kept), the new one becomes the
/// user's active certificate, the renewal records its result and who committed it (担当者, also in the audit
/// entry), and the old card's session ends. A repeat answers the stored result and keeps the first 担当者.
pub(super) async fn commit(
    State(state): State<SharedState>,
    Path(renewal_id): Path<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RenewalCommit>,
) -> Result<Json<RenewalResult>, ApiError> {
    let now = state.now();
    let token = auth::bearer(&headers)?;
    let operator = form::operator(&body.operator)?;
    // A commit whose response was lost is asked again by the same client: answer the stored result. This comes
    // before the session check because the commit ended that session; the token must still be the one that
    // made the renewal.
    let found = {
        let mut conn = state.db.pool().acquire().await?;
        renewals::find(&mut conn, &renewal_id).await?
    };
    if let Some(renewal) = &found
        && renewal.token_hash == token.hash
        && let Some(result) = renewal.result()?
    {
        return Ok(Json(result));
    }
    let session = match auth::session(&state, &token, now).await {
        Ok(session) => session,
        // A concurrent repeat of this commit may have committed it since the read above, ending this session.
        Err(refused) => match committed_by(&state, &renewal_id, &token.hash).await? {
            Some(result) => return Ok(Json(result)),
            None => return Err(refused),
        },
    };
    // The registration, the trust verdicts and the rules before the writer's job (see
    // `Registration::prepare`): the renewal's new certificate is the one its proof stored, which nothing changes.
    let prepared = match found.filter(|renewal| renewal.session_id == session.id) {
        Some(renewal) => {
            let new = ebid_cert::parse_certificate(&renewal.new_certificate_der)
                .with_context(|| format!("stored new certificate of renewal {}", renewal.id))?;
            let prepared =
                Registration::prepare(&state.db, &state.trust, &session, &new, now).await?;
            Some((new, prepared))
        }
        None => None,
    };

    let result = audited::transaction(&state, Action::RenewalCommit, now, move |conn, audit| {
        Box::pin(async move {
            audit.subject.organization = Some(session.organization_id.clone());
            audit.subject.session_id = Some(session.id.clone());
            audit.subject.renewal_id = Some(renewal_id.clone());
            audit.subject.operator = Some(operator.clone());
            // Proven in this session before the request began, so read then too.
            let (new, prepared) = prepared.ok_or(RefusalCode::RenewalNotFound)?;
            audit.subject.serial = Some(new.facts().serial.clone());
            let Prepared {
                registration,
                verdicts,
                violations,
            } = prepared;
            // Judged before this job: a concurrent repeat of this commit may have committed it since (and so
            // registered the new card, superseded the current one); then its answer, not a refusal.
            let judged = registration
                .check_current(&verdicts)
                .and(violations)
                .and_then(|violations| match violations.first() {
                    Some(&refusal) => Err(refusal.into()),
                    None => Ok(()),
                });
            if let Err(refused) = judged {
                return settle_refused(conn, audit, &renewal_id, &session.id, refused).await;
            }

            // The old certificate first: one user has at most one active certificate. Nothing is written when
            // a concurrent request changed what was read before this job: see `settle_superseded`.
            let fingerprint = &new.facts().fingerprint_sha256;
            let superseded = registry::supersede_for(
                conn,
                registration.current.id,
                &registration.organization,
                fingerprint,
                now,
            )
            .await?;
            if !superseded {
                return settle_superseded(
                    conn,
                    audit,
                    &renewal_id,
                    &session.id,
                    &registration,
                    fingerprint,
                )
                .await;
            }
            let new_certificate_id = registry::insert_certificate(
                conn,
                registration.user.id,
                &registration.organization,
                &new,
                now,
            )
            .await?;
            let result = RenewalResult {
                renewal_id: renewal_id.clone(),
                organization: registration.organization.clone(),
                old_serial: registration.current_facts().serial.clone(),
                new_serial: new.facts().serial.clone(),
                committed_at: now,
            };
            // Committed since the request began? Then the old certificate would have been superseded already.
            if !renewals::mark_committed(conn, &result, new_certificate_id, &operator).await? {
                return Err(
                    anyhow!("renewal {renewal_id} committed twice inside one transaction").into(),
                );
            }
            sessions::end_for_renewal(conn, &session.id, registration.current.id, now).await?;
            Ok(result)
        })
    })
    .await?;
    Ok(Json(result))
}

/// The commit found the current certificate not active any more, or the new card registered, though neither
/// was when the request began: the same renewal committed by a concurrent request (answered with its result,
/// no second entry), the new card registered by another commit, or the current card superseded by another
/// session's renewal. Nothing has been written.
async fn settle_superseded(
    conn: &mut SqliteConnection,
    audit: &mut Audit,
    renewal_id: &str,
    session_id: &str,
    registration: &Registration,
    new_fingerprint: &str,
) -> Result<RenewalResult, ApiError> {
    let refused =
        if registry::fingerprint_registered(conn, &registration.organization, new_fingerprint)
            .await?
        {
            RefusalCode::NewCardAlreadyRegistered
        } else {
            RefusalCode::CurrentCardNotRegistered
        };
    settle_refused(conn, audit, renewal_id, session_id, refused.into()).await
}

/// A refusal of the commit's job, unless the renewal was committed meanwhile by a concurrent repeat: then its
/// stored result, with no second audit entry. Nothing has been written.
async fn settle_refused(
    conn: &mut SqliteConnection,
    audit: &mut Audit,
    renewal_id: &str,
    session_id: &str,
    refused: ApiError,
) -> Result<RenewalResult, ApiError> {
    let committed = renewals::find(conn, renewal_id)
        .await?
        .filter(|renewal| renewal.session_id == session_id)
        .map(|renewal| renewal.result())
        .transpose()?
        .flatten();
    match committed {
        Some(result) => {
            audit.skip = true;
            Ok(result)
        }
        None => Err(refused),
    }
}

/// The stored result of `renewal_id` if it is committed and was made with this token.
async fn committed_by(
    state: &SharedState,
    renewal_id: &str,
    token_hash: &str,
) -> Result<Option<RenewalResult>, ApiError> {
    let mut conn = state.db.pool().acquire().await?;
    let Some(renewal) = renewals::find(&mut conn, renewal_id).await? else {
        return Ok(None);
    };
    if renewal.token_hash != token_hash {
        return Ok(None);
    }
    Ok(renewal.result()?)
}
