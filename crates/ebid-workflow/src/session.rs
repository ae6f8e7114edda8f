//! A card login and the session it opens; 登録者情報 outside a renewal.

use ebid_card::{Pin, SigningCard};
use ebid_cert::Certificate;
use ebid_client::{Client, SessionToken};
use ebid_protocol::{ChallengeRequest, Menu, Purpose, RefusalCode, RegistrationInfo};

use crate::card_step::{CertificateCheck, Unlock, check_before_pin, verify_and_sign};
use crate::challenge::CheckedChallenge;
use crate::checks::expired_at;
use crate::{RenewalError, ServerClock};

/// An open session and the card that opened it.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub token: SessionToken,
    pub menu: Menu,
    pub certificate: Certificate,
}

/// Where a login goes: the server and the organization and category it is for, and the server's time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target<'a> {
    pub client: &'a Client,
    pub organization: &'a str,
    pub category: &'a str,
    pub clock: &'a ServerClock,
}

impl Target<'_> {
    /// A challenge for `purpose` (`session`: inside a renewal), refused unless it is the one asked for from
    /// this server. Asked before the card is touched, so that a refused one costs the card nothing.
    pub(crate) async fn challenge(
        &self,
        purpose: Purpose,
        session: Option<&SessionToken>,
    ) -> Result<CheckedChallenge, RenewalError> {
        let asked = ChallengeRequest {
            organization: self.organization.to_owned(),
            category: self.category.to_owned(),
            purpose,
        };
        let challenge = self.client.challenge(&asked, session).await?;
        let checked =
            CheckedChallenge::check(challenge, &asked, self.client.origin(), self.clock.now());
        match &checked {
            Ok(_) => tracing::debug!(purpose = purpose.as_str(), "challenge received and checked"),
            Err(problem) => {
                tracing::info!(purpose = purpose.as_str(), %problem, "challenge refused: the card is not asked to sign it");
            }
        }
        checked.map_err(RenewalError::UntrustedChallenge)
    }
}

/// Logs in with the card: a login challenge (checked), the checks before the PIN, VERIFY (as `unlock`
/// says) and signature, the login.
pub(crate) async fn login(
    target: Target<'_>,
    card: &mut dyn SigningCard,
    unlock: &mut Unlock<'_>,
    check: CertificateCheck<'_>,
) -> Result<Session, RenewalError> {
    let challenge = target.challenge(Purpose::Login, None).await?;
    let reading = check_before_pin(card, check)?;
    let (proof, certificate) = verify_and_sign(card, unlock, reading, &challenge, check)?;
    let logged_in = target
        .client
        .login(&proof)
        .await
        .map_err(|e| match RenewalError::from(e) {
            RenewalError::Refused(refusal)
                if refusal.code == RefusalCode::CurrentCardNotRegistered =>
            {
                RenewalError::NotRegistered {
                    refusal,
                    fingerprint: certificate.facts().fingerprint_sha256.clone(),
                }
            }
            other => other,
        })?;
    Ok(Session {
        token: logged_in.token,
        menu: logged_in.menu,
        certificate,
    })
}

/// Ends the session. One the server already ended (after 更新, or idle) is as good as ended here.
pub(crate) async fn logout(client: &Client, token: &SessionToken) -> Result<(), RenewalError> {
    match client.logout(token).await.map_err(RenewalError::from) {
        Err(error) if error.session_lost() => Ok(()),
        other => other,
    }
}

/// 登録者情報 (業者概要 and 登録利用者一覧) for the card in the reader: logs in with it (refusing an expired
/// card at the server's time before its PIN), asks, and logs out. Returns the menu (who is logged in) too.
pub async fn registration_info(
    client: &Client,
    organization: &str,
    category: &str,
    clock: &ServerClock,
    card: &mut dyn SigningCard,
    pin: &Pin,
) -> Result<(Menu, RegistrationInfo), RenewalError> {
    let target = Target {
        client,
        organization,
        category,
        clock,
    };
    registration_with(target, card, pin, &|certificate| {
        expired_at(certificate, clock.now())
    })
    .await
}

/// Logs in with the card (after `check`), asks for 登録者情報, and logs out.
pub(crate) async fn registration_with(
    target: Target<'_>,
    card: &mut dyn SigningCard,
    pin: &Pin,
    check: CertificateCheck<'_>,
) -> Result<(Menu, RegistrationInfo), RenewalError> {
    let session = login(target, card, &mut Unlock::Pin(pin), check).await?;
    tracing::info!(serial = %session.certificate.facts().serial, "logged in: asking 登録者情報");
    let info = target.client.registration(&session.token).await;
    // The session is ended whatever the answer; the answer's error, if any, is the one to report.
    let ended = logout(target.client, &session.token).await;
    let info = info?;
    ended?;
    Ok((session.menu, info))
}
