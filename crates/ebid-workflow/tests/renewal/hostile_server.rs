//! A server that hands out a challenge other than the one asked for gets nothing from the card: the
//! workflow refuses the challenge before a single command reaches the card (counted on the virtual card,
//! in-process). And a relay that renames the challenge to its own origin gets a signature the real server
//! refuses.

use ebid_protocol::RefusalCode;
use ebid_workflow::{ChallengeProblem, Renewal, RenewalError, Stage};

use crate::support::relay::{PhishingRelay, Tamper};
use crate::support::{self, CATEGORY, Demo, ORGANIZATION};

/// A renewal through `relay`, its server time known.
async fn renewal_through(relay: &PhishingRelay) -> Renewal {
    let mut renewal = Renewal::new(support::client(&relay.url()), ORGANIZATION, CATEGORY);
    renewal
        .fetch_server_time()
        .await
        .expect("the time, relayed");
    renewal
}

#[tokio::test]
async fn a_challenge_for_another_organization_is_refused_before_any_apdu() {
    let demo = Demo::start().await;
    let relay = PhishingRelay::start(
        demo.server.local_addr(),
        Tamper::OriginAndOrganization("sasebo-city"),
    )
    .await;
    let mut renewal = renewal_through(&relay).await;
    let (mut card, log) = demo.card("current");
    let answered = log.commands();

    let error = renewal
        .login_current(card.as_mut(), &demo.pin("current"))
        .await
        .unwrap_err();
    match &error {
        RenewalError::UntrustedChallenge(ChallengeProblem::Organization { asked, got }) => {
            assert_eq!(
                (asked.as_str(), got.as_str()),
                (ORGANIZATION, "sasebo-city")
            );
        }
        other => panic!("expected the organization refused, got {other:?}"),
    }
    assert!(
        error.to_string().contains("ICカードでは署名していません"),
        "{error}"
    );
    assert_eq!(log.commands(), answered, "no APDU reached the card");
    assert_eq!((log.pin_verifies(), log.signatures()), (0, 0));
    assert_eq!(relay.proofs_relayed(), 0);
    assert_eq!(renewal.stage(), Stage::TimeKnown);

    // The card and its PIN were fine: at the real server it logs in.
    let mut direct = demo.renewal();
    direct.fetch_server_time().await.unwrap();
    direct
        .login_current(card.as_mut(), &demo.pin("current"))
        .await
        .expect("login at the real server");
}

#[tokio::test]
async fn a_relayed_challenge_names_the_real_server_and_is_refused_before_any_apdu() {
    let demo = Demo::start().await;
    let relay = PhishingRelay::start(demo.server.local_addr(), Tamper::Nothing).await;
    let mut renewal = renewal_through(&relay).await;
    let (mut card, log) = demo.card("current");
    let answered = log.commands();

    let error = renewal
        .login_current(card.as_mut(), &demo.pin("current"))
        .await
        .unwrap_err();
    match &error {
        RenewalError::UntrustedChallenge(ChallengeProblem::Origin { expected, got }) => {
            assert_eq!(expected.as_str(), relay.url());
            assert_eq!(got, demo.server.origin());
        }
        other => panic!("expected the origin refused, got {other:?}"),
    }
    assert_eq!(log.commands(), answered, "no APDU reached the card");
    assert_eq!(relay.proofs_relayed(), 0);
}

#[tokio::test]
async fn a_signature_made_for_a_relays_origin_is_refused_by_the_real_server() {
    let demo = Demo::start().await;
    let relay = PhishingRelay::start(demo.server.local_addr(), Tamper::Origin).await;
    let mut renewal = renewal_through(&relay).await;
    let (mut card, log) = demo.card("current");

    // The challenge names the relay the client talks to: the card signs it.
    let error = renewal
        .login_current(card.as_mut(), &demo.pin("current"))
        .await
        .unwrap_err();
    assert_eq!(log.signatures(), 1);
    assert_eq!(relay.proofs_relayed(), 1);
    // The real server checks the signature over its own origin: no session for the relay.
    assert_eq!(
        error.refusal_code(),
        Some(RefusalCode::BadSignature),
        "{error:?}"
    );
    assert_eq!(renewal.stage(), Stage::TimeKnown);
}
