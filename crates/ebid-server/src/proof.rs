//! A card's answer to a challenge: the challenge it names, consumed once; its certificate, readable; its
//! signature over exactly the challenge's bytes, which name this server's origin. And what the trust store's
//! verdicts mean for the user.

use ebid_cert::Certificate;
use ebid_protocol::{CardProof, Challenge, Origin, Purpose, RefusalCode};
use ebid_trust::TrustError;
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use crate::db::challenges;
use crate::db::sessions::SessionRow;
use crate::error::ApiError;

/// What the presented challenge must have been issued for.
pub(crate) enum Expected<'a> {
    /// A login challenge, for whichever organization and category it names.
    Login,
    /// A renewal challenge issued inside this session.
    Renewal(&'a SessionRow),
}

impl Expected<'_> {
    fn admits(&self, stored: &challenges::StoredChallenge) -> bool {
        let challenge = &stored.challenge;
        match self {
            Self::Login => challenge.purpose == Purpose::Login,
            Self::Renewal(session) => {
                challenge.purpose == Purpose::RenewalNewCard
                    && challenge.organization == session.organization_id
                    && challenge.category == session.category_id
                    && stored.session_id.as_deref() == Some(session.id.as_str())
            }
        }
    }
}

/// Checks the challenge a proof names and marks it used: unknown or issued for something else →
/// `challenge_mismatch`; used → `challenge_replayed`; past its time → `challenge_expired`. The challenge
/// comes back naming `origin`, this server's: the bytes [`verify_card`] checks the signature over.
pub(crate) async fn consume_challenge(
    conn: &mut SqliteConnection,
    id: &str,
    origin: &Origin,
    expected: Expected<'_>,
    now: OffsetDateTime,
) -> Result<Challenge, ApiError> {
    let stored = challenges::find(conn, id, origin)
        .await?
        .filter(|stored| expected.admits(stored))
        .ok_or(RefusalCode::ChallengeMismatch)?;
    if stored.used {
        return Err(RefusalCode::ChallengeReplayed.into());
    }
    if now >= stored.challenge.expires_at {
        return Err(RefusalCode::ChallengeExpired.into());
    }
    if !challenges::mark_used(conn, id, now).await? {
        return Err(RefusalCode::ChallengeReplayed.into());
    }
    Ok(stored.challenge)
}

/// The proof's certificate, once its signature over `challenge` verifies with the certificate's key.
///
/// A signature made over the same challenge naming another origin (what a phishing server relaying this
/// server's challenge obtains from a card) fails here as `bad_signature`: the server cannot tell it from
/// any other wrong signature, as it only knows the bytes it expected, and the user's remedy is the same
/// (sign again, here).
pub(crate) fn verify_card(
    challenge: &Challenge,
    proof: &CardProof,
) -> Result<Certificate, RefusalCode> {
    let certificate = ebid_cert::parse_certificate(&proof.certificate)
        .map_err(|_| RefusalCode::BadCertificate)?;
    ebid_trust::verify_signature(
        certificate.der(),
        &challenge.to_be_signed(),
        &proof.signature,
        proof.algorithm,
    )
    .map_err(|error| match error {
        TrustError::BadCertificate(_) => RefusalCode::BadCertificate,
        _ => RefusalCode::BadSignature,
    })?;
    Ok(certificate)
}

/// The refusal for a certificate the trust store refuses. When the server's own trust material is at
/// fault (a CRL past its nextUpdate), the user is told `server_error` and the operator reads why here.
pub(crate) fn trust_refusal(error: &TrustError) -> RefusalCode {
    let code = error.refusal_code();
    if code == RefusalCode::ServerError {
        eprintln!("ebid-server: trust material unusable: {error}");
    }
    code
}

/// The refusal for the card the user logged in with: once it has expired only 新規登録 helps.
pub(crate) fn current_card_refusal(error: &TrustError) -> RefusalCode {
    match trust_refusal(error) {
        RefusalCode::CertificateExpired => RefusalCode::CurrentCardExpired,
        code => code,
    }
}
