//! Challenges name the server's origin, and a signature counts for that origin only: a phishing server that
//! relays this server's challenge to a card, under its own origin, gets a signature this server refuses.

use std::sync::Arc;

use clap::Parser;
use ebid_protocol::{Challenge, Origin, Purpose, RefusalCode, routes};
use ebid_server::{ServeArgs, SystemClock, start};

use crate::support::{CONSTRUCTION, PREF, TestServer, card, copy_demo_set, refused_logins};

/// Where a relay would send the card's user instead of this server.
const PHISHING: &str = "https://ebid.pref.nagasaki.example.phish";

/// `challenge` as a relay hands it to the card: the same id, nonce and expiry, under the relay's origin.
fn relayed(challenge: &Challenge) -> Challenge {
    Challenge {
        origin: Origin::parse(PHISHING).expect("an origin"),
        ..challenge.clone()
    }
}

async fn count(server: &TestServer, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&server.db().await)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_login_signed_for_another_origin_is_refused_and_opens_no_session() {
    let server = TestServer::start().await;
    let challenge = server
        .challenge(PREF, Purpose::Login, None)
        .await
        .expect("challenge");
    // By default the origin is the address the server listens on, where the test reaches it.
    assert_eq!(challenge.origin.as_str(), server.base_url());

    let before = server.tables().await;
    let refusal = server
        .login_with(&card("current").prove(&relayed(&challenge)))
        .await
        .expect_err("refused");
    assert_eq!(refusal.code, RefusalCode::BadSignature, "{refusal:?}");
    assert_eq!(server.tables().await, before);
    assert_eq!(count(&server, "SELECT count(*) FROM sessions").await, 0);
    // A refused login is counted, not written as a row of its own.
    server.maintenance.sweep().await.expect("sweep");
    assert_eq!(
        refused_logins(&server.db().await).await,
        [(PREF.to_owned(), "bad_signature".to_owned(), 1)]
    );

    // Signed over this server's origin, the same card logs in.
    server.logged_in("current", PREF).await;
    assert_eq!(count(&server, "SELECT count(*) FROM sessions").await, 1);
}

#[tokio::test]
async fn a_new_card_proof_signed_for_another_origin_gets_no_confirmation() {
    let server = TestServer::start().await;
    let token = server.logged_in("current", PREF).await;
    let challenge = server
        .challenge(PREF, Purpose::RenewalNewCard, Some(&token))
        .await
        .expect("challenge");
    let before = server.tables().await;
    let refusal = server
        .proof_with(&token, &card("replacement").prove(&relayed(&challenge)))
        .await
        .expect_err("refused");
    assert_eq!(refusal.code, RefusalCode::BadSignature, "{refusal:?}");
    assert_eq!(server.tables().await, before);
    assert_eq!(count(&server, "SELECT count(*) FROM renewals").await, 0);
}

/// `ebid-server` as parsed from its command line.
#[derive(Parser)]
struct Command {
    #[command(flatten)]
    serve: ServeArgs,
}

#[tokio::test]
async fn public_url_is_the_origin_every_challenge_names() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let set = copy_demo_set(&dir.path().join("demo"));
    let data = dir.path().join("data");
    let mut argv: Vec<std::ffi::OsString> = vec![
        "ebid-server".into(),
        "--listen".into(),
        "127.0.0.1:0".into(),
        "--data".into(),
        data.into(),
    ];
    // The demo's registrations and trust, as `cargo xtask demo` passes them.
    argv.extend(set.server_args());
    // Behind a reverse proxy under a path: the origin is its scheme, host and port, normalised.
    argv.extend([
        "--public-url".into(),
        "HTTPS://Ebid.Pref.Nagasaki.Example:443/nagasaki/".into(),
    ]);
    let command = Command::try_parse_from(argv).expect("the command line parses");
    let running = start(command.serve, Arc::new(SystemClock))
        .await
        .expect("starts");
    assert_eq!(
        running.origin().as_str(),
        "https://ebid.pref.nagasaki.example"
    );

    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let challenge: Challenge = http
        .post(format!("{}{}", running.url(), routes::CHALLENGES))
        .json(&ebid_protocol::ChallengeRequest {
            organization: PREF.into(),
            category: CONSTRUCTION.into(),
            purpose: Purpose::Login,
        })
        .send()
        .await
        .expect("server answers")
        .json()
        .await
        .expect("a challenge");
    assert_eq!(challenge.origin, *running.origin());

    // A signature over the listen address's origin is not one over the public origin.
    let mut direct = challenge.clone();
    direct.origin = Origin::parse(&running.url()).expect("an origin");
    let refused = http
        .post(format!("{}{}", running.url(), routes::LOGIN))
        .json(&card("current").prove(&direct))
        .send()
        .await
        .expect("server answers");
    assert_eq!(refused.status().as_u16(), 403);
    let refusal: ebid_protocol::Refusal = refused.json().await.expect("a refusal");
    assert_eq!(refusal.code, RefusalCode::BadSignature);
    running.stop().await.expect("stops cleanly");
}

#[test]
fn public_url_must_be_an_http_or_https_url() {
    for refused in [
        "ftp://ebid.example",
        "ebid.example",
        "https://ebid.example/?x=1",
        "https://user@ebid.example",
    ] {
        assert!(
            Command::try_parse_from(["ebid-server", "--public-url", refused]).is_err(),
            "{refused}"
        );
    }
}
