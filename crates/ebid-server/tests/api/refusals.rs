//! Every rule, refused with its own code, and the registration tables exactly as they were.

use std::time::Duration;

use ebid_protocol::{Purpose, RefusalCode};
use reqwest::Method;

use crate::support::{CITY, PREF, SASEBO, TestServer, card, refused};

// --- Login: the card in use ---

#[tokio::test]
async fn an_expired_current_card_must_register_anew() {
    let server = TestServer::start().await;
    refused(
        &server,
        RefusalCode::CurrentCardExpired,
        server.login("expired", SASEBO),
    )
    .await;
}

#[tokio::test]
async fn a_card_not_registered_here_cannot_log_in() {
    let server = TestServer::start().await;
    // Not yet: the replacement is registered by the renewal.
    refused(
        &server,
        RefusalCode::CurrentCardNotRegistered,
        server.login("replacement", PREF),
    )
    .await;
    // At 佐世保市 the company registered its old (expired) card, not this one.
    refused(
        &server,
        RefusalCode::CurrentCardNotRegistered,
        server.login("current", SASEBO),
    )
    .await;
}

#[tokio::test]
async fn login_cards_must_be_trusted_and_unrevoked() {
    let server = TestServer::start().await;
    refused(
        &server,
        RefusalCode::UntrustedIssuer,
        server.login("untrusted", PREF),
    )
    .await;
    refused(
        &server,
        RefusalCode::CertificateRevoked,
        server.login("revoked", PREF),
    )
    .await;
    refused(
        &server,
        RefusalCode::CertificateNotYetValid,
        server.login("not-yet-valid", PREF),
    )
    .await;
}

#[tokio::test]
async fn a_bad_signature_or_certificate_is_refused_and_uses_up_the_challenge() {
    let server = TestServer::start().await;
    let current = card("current");
    let challenge = server
        .challenge(PREF, Purpose::Login, None)
        .await
        .expect("challenge");
    let mut proof = current.prove(&challenge);
    proof.signature[17] ^= 0x01;
    refused(
        &server,
        RefusalCode::BadSignature,
        server.login_with(&proof),
    )
    .await;
    // One attempt a challenge: the right signature now comes too late.
    refused(
        &server,
        RefusalCode::ChallengeReplayed,
        server.login_with(&current.prove(&challenge)),
    )
    .await;

    let challenge = server
        .challenge(PREF, Purpose::Login, None)
        .await
        .expect("challenge");
    let mut proof = current.prove(&challenge);
    proof.certificate = b"not a certificate".to_vec();
    refused(
        &server,
        RefusalCode::BadCertificate,
        server.login_with(&proof),
    )
    .await;
}

// --- Challenges ---

#[tokio::test]
async fn a_challenge_expires() {
    let server = TestServer::start().await;
    let challenge = server
        .challenge(PREF, Purpose::Login, None)
        .await
        .expect("challenge");
    server.clock.advance(Duration::from_secs(2 * 60 + 1));
    refused(
        &server,
        RefusalCode::ChallengeExpired,
        server.login_with(&card("current").prove(&challenge)),
    )
    .await;
}

#[tokio::test]
async fn a_challenge_is_used_once() {
    let server = TestServer::start().await;
    let challenge = server
        .challenge(PREF, Purpose::Login, None)
        .await
        .expect("challenge");
    let proof = card("current").prove(&challenge);
    server.login_with(&proof).await.expect("first login");
    refused(
        &server,
        RefusalCode::ChallengeReplayed,
        server.login_with(&proof),
    )
    .await;
}

#[tokio::test]
async fn a_challenge_serves_only_its_organization_and_purpose() {
    let server = TestServer::start().await;
    let replacement = card("replacement");
    let pref = server.logged_in("current", PREF).await;
    let city = server.logged_in("current", CITY).await;

    // Another organization's renewal challenge, from the session there.
    let city_challenge = server
        .challenge(CITY, Purpose::RenewalNewCard, Some(&city))
        .await
        .expect("challenge at 長崎市");
    refused(
        &server,
        RefusalCode::ChallengeMismatch,
        server.proof_with(&pref, &replacement.prove(&city_challenge)),
    )
    .await;
    // A renewal challenge is issued only for the session's own organization.
    refused(
        &server,
        RefusalCode::ChallengeMismatch,
        server.challenge(CITY, Purpose::RenewalNewCard, Some(&pref)),
    )
    .await;

    // Another purpose: a login challenge as the new card's proof, a renewal challenge for login.
    let login_challenge = server
        .challenge(PREF, Purpose::Login, None)
        .await
        .expect("challenge");
    refused(
        &server,
        RefusalCode::ChallengeMismatch,
        server.proof_with(&pref, &replacement.prove(&login_challenge)),
    )
    .await;
    let renewal_challenge = server
        .challenge(PREF, Purpose::RenewalNewCard, Some(&pref))
        .await
        .expect("challenge");
    refused(
        &server,
        RefusalCode::ChallengeMismatch,
        server.login_with(&card("current").prove(&renewal_challenge)),
    )
    .await;

    // A challenge nobody issued.
    let mut forged = login_challenge.clone();
    forged.id = "forged".into();
    refused(
        &server,
        RefusalCode::ChallengeMismatch,
        server.login_with(&card("current").prove(&forged)),
    )
    .await;
}

#[tokio::test]
async fn challenges_need_a_known_organization_and_renewal_ones_a_session() {
    let server = TestServer::start().await;
    refused(
        &server,
        RefusalCode::UnknownOrganization,
        server.challenge("tokyo-metro", Purpose::Login, None),
    )
    .await;
    refused(
        &server,
        RefusalCode::SessionEnded,
        server.challenge(PREF, Purpose::RenewalNewCard, None),
    )
    .await;
}

#[tokio::test]
async fn a_malformed_request_is_a_bad_request() {
    let server = TestServer::start().await;
    let request = server
        .request(Method::POST, ebid_protocol::routes::LOGIN, None)
        .header("content-type", "application/json")
        .body("{\"challenge_id\": 1}");
    refused(
        &server,
        RefusalCode::BadRequest,
        server.send::<ebid_protocol::LoginResponse>(request),
    )
    .await;
}

// --- The new card: listed on the confirmation, refused at 【更新】 ---

/// Logs in with `current` at 長崎県, proves `new`, and checks the confirmation lists `violations` and that
/// 【更新】 is refused with the first of them, changing nothing; the session stays usable.
async fn new_card_refused(new: &str, violations: &[RefusalCode]) {
    let server = TestServer::start().await;
    let token = server.logged_in("current", PREF).await;
    let before = server.tables().await;
    let confirmation = server
        .renewal_proof(&token, PREF, new)
        .await
        .expect("a confirmation listing the violations");
    let listed: Vec<_> = confirmation
        .violations
        .iter()
        .map(|refusal| refusal.code)
        .collect();
    assert_eq!(listed, violations, "{new}");
    assert_eq!(confirmation.new.serial, card(new).serial());
    refused(
        &server,
        violations[0],
        server.commit(&token, &confirmation.renewal_id),
    )
    .await;
    assert_eq!(server.tables().await, before);
    server.menu(&token).await.expect("the session goes on");
    server.logged_in("current", PREF).await;
}

#[tokio::test]
async fn an_untrusted_new_card_is_refused() {
    new_card_refused("untrusted", &[RefusalCode::UntrustedIssuer]).await;
}

#[tokio::test]
async fn an_expired_new_card_is_refused() {
    new_card_refused(
        "expired",
        &[
            RefusalCode::CertificateExpired,
            RefusalCode::NewCardNotNewer,
        ],
    )
    .await;
}

#[tokio::test]
async fn a_new_card_not_yet_valid_is_refused() {
    new_card_refused("not-yet-valid", &[RefusalCode::CertificateNotYetValid]).await;
}

#[tokio::test]
async fn a_revoked_new_card_is_refused() {
    new_card_refused("revoked", &[RefusalCode::CertificateRevoked]).await;
}

#[tokio::test]
async fn a_new_card_that_cannot_sign_is_refused() {
    new_card_refused("no-signing-usage", &[RefusalCode::NoSigningKeyUsage]).await;
}

#[tokio::test]
async fn the_current_card_cannot_renew_itself() {
    new_card_refused(
        "current",
        &[
            RefusalCode::NewCardAlreadyRegistered,
            RefusalCode::NewCardNotNewer,
        ],
    )
    .await;
}

#[tokio::test]
async fn a_new_card_expiring_first_is_refused() {
    new_card_refused("shorter", &[RefusalCode::NewCardNotNewer]).await;
}

#[tokio::test]
async fn another_companys_card_is_refused() {
    // 有限会社佐世保建設's card is also registered at 長崎県 for its own user.
    new_card_refused(
        "other-company",
        &[
            RefusalCode::CompanyDiffers,
            RefusalCode::HolderDiffers,
            RefusalCode::NewCardAlreadyRegistered,
        ],
    )
    .await;
}

/// A corporation's registration cannot move onto a personal card: a マイナンバーカード names no company,
/// which the server no longer takes as "nothing to compare".
#[tokio::test]
async fn a_corporate_registration_refuses_a_card_naming_no_company() {
    new_card_refused(
        "jpki-replacement",
        &[
            RefusalCode::NewCardCompanyMissing,
            RefusalCode::HolderDiffers,
        ],
    )
    .await;
}

#[tokio::test]
async fn another_holders_card_is_refused() {
    new_card_refused("other-holder", &[RefusalCode::HolderDiffers]).await;
}

// --- The new card's proof: refused outright ---

#[tokio::test]
async fn a_new_card_with_a_bad_signature_or_certificate_gets_no_confirmation() {
    let server = TestServer::start().await;
    let token = server.logged_in("current", PREF).await;
    let replacement = card("replacement");

    let challenge = server
        .challenge(PREF, Purpose::RenewalNewCard, Some(&token))
        .await
        .expect("challenge");
    let mut proof = replacement.prove(&challenge);
    let last = proof.signature.len() - 1;
    proof.signature[last] ^= 0x80;
    refused(
        &server,
        RefusalCode::BadSignature,
        server.proof_with(&token, &proof),
    )
    .await;

    let challenge = server
        .challenge(PREF, Purpose::RenewalNewCard, Some(&token))
        .await
        .expect("challenge");
    let mut proof = replacement.prove(&challenge);
    proof.certificate.truncate(40);
    refused(
        &server,
        RefusalCode::BadCertificate,
        server.proof_with(&token, &proof),
    )
    .await;

    let renewals: i64 = sqlx::query_scalar("SELECT count(*) FROM renewals")
        .fetch_one(&server.db().await)
        .await
        .expect("count");
    assert_eq!(renewals, 0);
}

#[tokio::test]
async fn a_new_card_challenge_expires() {
    let server = TestServer::start().await;
    let token = server.logged_in("current", PREF).await;
    let challenge = server
        .challenge(PREF, Purpose::RenewalNewCard, Some(&token))
        .await
        .expect("challenge");
    server.clock.advance(Duration::from_secs(3 * 60));
    refused(
        &server,
        RefusalCode::ChallengeExpired,
        server.proof_with(&token, &card("replacement").prove(&challenge)),
    )
    .await;
}

// --- The current card, checked again at the proof and at 【更新】 ---

#[tokio::test]
async fn a_current_card_that_expires_during_the_renewal_cannot_commit_it() {
    // A session long enough to outlive the card (the real one is 10 minutes).
    let server = TestServer::start_with(|config| {
        config.session_idle_timeout = Duration::from_secs(60 * 60 * 24 * 60);
        config.session_max_lifetime = Duration::from_secs(60 * 60 * 24 * 60);
    })
    .await;
    let token = server.logged_in("current", PREF).await;
    let confirmation = server
        .renewal_proof(&token, PREF, "replacement")
        .await
        .expect("proof");
    assert_eq!(confirmation.violations, []);
    // The current card has 20 days left.
    server.clock.advance(Duration::from_secs(60 * 60 * 24 * 21));
    refused(
        &server,
        RefusalCode::CurrentCardExpired,
        server.commit(&token, &confirmation.renewal_id),
    )
    .await;
    refused(
        &server,
        RefusalCode::CurrentCardExpired,
        server.renewal_proof(&token, PREF, "replacement"),
    )
    .await;
}

/// Every session of a card ends when another session renews it: it can neither commit its own renewal nor
/// read the menu or 登録者情報 any more.
#[tokio::test]
async fn a_card_renewed_in_another_session_ends_that_session_too() {
    let server = TestServer::start().await;
    let first = server.logged_in("current", PREF).await;
    let second = server.logged_in("current", PREF).await;
    let pending = server
        .renewal_proof(&second, PREF, "replacement")
        .await
        .expect("proof");
    let done = server
        .renewal_proof(&first, PREF, "replacement")
        .await
        .expect("proof");
    server
        .commit(&first, &done.renewal_id)
        .await
        .expect("commit");
    refused(
        &server,
        RefusalCode::SessionEnded,
        server.commit(&second, &pending.renewal_id),
    )
    .await;
    refused(&server, RefusalCode::SessionEnded, server.menu(&second)).await;
    refused(
        &server,
        RefusalCode::SessionEnded,
        server.registration(&second),
    )
    .await;
}
