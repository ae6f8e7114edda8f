//! The client against real sockets on 127.0.0.1: a scripted HTTP/1.1 peer for each way an exchange can end,
//! and a TLS peer with its own CA. (The whole protocol against the real server is the workflow's tests.)

mod peer;

use std::time::Duration;

use ebid_client::{Client, ClientError, ClientOptions};
use ebid_protocol::{Purpose, Refusal, RefusalCode, routes};
use peer::{Peer, Reply};

fn options() -> ClientOptions {
    ClientOptions {
        connect_timeout: Duration::from_secs(5),
        request_timeout: Duration::from_secs(5),
        extra_ca_pem: None,
        proxy: None,
    }
}

fn client(peer: &Peer) -> Client {
    Client::new(&peer.url(), &options()).unwrap()
}

const LOGIN: &str = r#"{"session_token":"tok-123","idle_timeout_seconds":600,"menu":{"organization":"nagasaki-pref","category":"construction","company":{"vendor_number":"1","name":"株式会社長崎土木","address":"長崎県","representative":"長崎 一","phone":"095","kind":"corporate"},"user":{"id":1,"holder":"長崎 太郎","certificate":{"serial":"01","issuer":"ebid デモ認証局","not_after":"2026-05-12T00:00:00Z","not_after_jst":"2026/05/12","status":"active","registered_at":"2021-05-12T00:00:00Z"}},"items":["register","change","renew"]}}"#;

const SERVER_TIME: &str = r#"{"server_time":"2026-04-22T05:33:00Z","protocol_version":2}"#;

/// An office proxy from the configuration carries every request: the peer here is the proxy, and nothing
/// listens at the server's own address.
#[tokio::test]
async fn a_configured_proxy_carries_the_requests() {
    let proxy = Peer::start(vec![Reply::json(200, SERVER_TIME)]).await;
    let options = ClientOptions {
        proxy: Some(proxy.url()),
        ..options()
    };
    let client = Client::new("http://127.0.0.1:9", &options).unwrap();
    client.server_time().await.expect("through the proxy");
    let requests = proxy.requests().await;
    assert!(
        requests[0].starts_with(&format!("GET http://127.0.0.1:9{} HTTP/1.1", routes::TIME)),
        "{}",
        requests[0]
    );
}

#[tokio::test]
async fn a_success_is_parsed() {
    let peer = Peer::start(vec![Reply::json(200, SERVER_TIME)]).await;
    let time = client(&peer).server_time().await.unwrap();
    assert_eq!(time.server_time.unix_timestamp(), 1_776_835_980);
    let requests = peer.requests().await;
    assert!(
        requests[0].starts_with(&format!("GET {} HTTP/1.1", routes::TIME)),
        "{}",
        requests[0]
    );
}

#[tokio::test]
async fn a_refusal_body_is_a_typed_refusal() {
    let refusal = Refusal::from(RefusalCode::CurrentCardExpired);
    let body = serde_json::to_string(&refusal).unwrap();
    let peer = Peer::start(vec![Reply::json(403, &body)]).await;
    let request = ebid_protocol::ChallengeRequest {
        organization: "nagasaki-pref".into(),
        category: "construction".into(),
        purpose: Purpose::Login,
    };
    match client(&peer).challenge(&request, None).await {
        Err(ClientError::Refused(got)) => assert_eq!(got, refusal),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let sent = &peer.requests().await[0];
    assert!(
        sent.starts_with(&format!("POST {} ", routes::CHALLENGES)),
        "{sent}"
    );
    assert!(sent.contains(r#""purpose":"login""#), "{sent}");
    assert!(
        !sent.to_ascii_lowercase().contains("authorization"),
        "{sent}"
    );
}

#[tokio::test]
async fn the_session_token_travels_as_bearer_and_never_shows_in_debug() {
    let menu = &LOGIN[LOGIN.find(r#"{"organization""#).unwrap()..LOGIN.len() - 1];
    let peer = Peer::start(vec![
        Reply::json(200, LOGIN),
        Reply::json(200, menu),
        Reply::empty(204),
    ])
    .await;
    let client = client(&peer);
    let proof = ebid_protocol::CardProof {
        challenge_id: "c1".into(),
        certificate: vec![1, 2],
        signature: vec![3],
        algorithm: ebid_protocol::SignatureAlgorithm::RsaPkcs1Sha256,
    };
    let logged_in = client.login(&proof).await.unwrap();
    assert_eq!(logged_in.idle_timeout, Duration::from_secs(600));
    assert!(!format!("{logged_in:?}").contains("tok-123"));
    client.logout(&logged_in.token).await.unwrap();
    let requests = peer.requests().await;
    assert!(
        requests[1].starts_with(&format!("DELETE {} ", routes::LOGOUT)),
        "{}",
        requests[1]
    );
    assert!(
        requests[1]
            .to_ascii_lowercase()
            .contains("authorization: bearer tok-123"),
        "{}",
        requests[1]
    );
}

#[tokio::test]
async fn nothing_listening_is_unreachable() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::new(&format!("http://127.0.0.1:{port}"), &options()).unwrap();
    let error = client.server_time().await.unwrap_err();
    assert!(matches!(error, ClientError::Unreachable(_)), "{error:?}");
    assert!(error.is_retryable());
    assert!(
        error.to_string().starts_with("サーバに接続できません"),
        "{error}"
    );
}

fn proof() -> ebid_protocol::CardProof {
    ebid_protocol::CardProof {
        challenge_id: "c1".into(),
        certificate: vec![1, 2],
        signature: vec![3],
        algorithm: ebid_protocol::SignatureAlgorithm::RsaPkcs1Sha256,
    }
}

#[tokio::test]
async fn a_login_cut_after_the_request_is_interrupted_and_not_sent_again() {
    let peer = Peer::start(vec![Reply::Cut, Reply::json(200, LOGIN)]).await;
    let error = client(&peer).login(&proof()).await.unwrap_err();
    assert!(matches!(error, ClientError::Interrupted(_)), "{error:?}");
    assert!(error.is_retryable());
    // A login consumes its challenge: sending it again could only be refused as replayed.
    assert_eq!(
        peer.requests().await.len(),
        1,
        "the request did arrive, once"
    );
}

#[tokio::test]
async fn a_read_whose_answer_was_lost_is_sent_once_more() {
    let peer = Peer::start(vec![Reply::Cut, Reply::json(200, SERVER_TIME)]).await;
    let time = client(&peer).server_time().await.unwrap();
    assert_eq!(time.protocol_version, 2);
    assert_eq!(peer.requests().await.len(), 2);
}

#[tokio::test]
async fn a_read_cut_twice_is_interrupted() {
    let peer = Peer::start(vec![Reply::Cut, Reply::Cut]).await;
    let error = client(&peer).server_time().await.unwrap_err();
    assert!(matches!(error, ClientError::Interrupted(_)), "{error:?}");
    assert_eq!(peer.requests().await.len(), 2, "one repeat, no more");
}

#[tokio::test]
async fn no_answer_in_time_is_interrupted() {
    let peer = Peer::start(vec![Reply::Silent]).await;
    let client = Client::new(
        &peer.url(),
        &ClientOptions {
            request_timeout: Duration::from_millis(300),
            ..options()
        },
    )
    .unwrap();
    let error = client.server_time().await.unwrap_err();
    assert!(matches!(error, ClientError::Interrupted(_)), "{error:?}");
}

#[tokio::test]
async fn unexpected_answers_are_protocol_errors() {
    let peer = Peer::start(vec![
        Reply::html(200, "<html>maintenance</html>"),
        Reply::html(404, "<html>not found</html>"),
        Reply::json(200, r#"{"server_time":"yesterday"}"#),
    ])
    .await;
    let client = client(&peer);
    for _ in 0..3 {
        let error = client.server_time().await.unwrap_err();
        assert!(matches!(error, ClientError::Protocol(_)), "{error:?}");
        assert!(!error.is_retryable());
    }
}

#[tokio::test]
async fn a_login_answer_it_cannot_read_never_shows_its_token() {
    let peer = Peer::start(vec![Reply::json(
        200,
        r#"{"session_token":"tok-secret-987","idle_timeout_seconds":"soon","menu":null}"#,
    )])
    .await;
    let proof = ebid_protocol::CardProof {
        challenge_id: "c1".into(),
        certificate: vec![1],
        signature: vec![2],
        algorithm: ebid_protocol::SignatureAlgorithm::RsaPkcs1Sha256,
    };
    let error = client(&peer).login(&proof).await.unwrap_err();
    assert!(matches!(error, ClientError::Protocol(_)), "{error:?}");
    assert!(!error.to_string().contains("tok-secret"), "{error}");
    assert!(!format!("{error:?}").contains("tok-secret"), "{error:?}");
}

#[tokio::test]
async fn a_gateway_says_whether_the_server_was_reached() {
    let peer = Peer::start(vec![
        Reply::html(503, "<html>down</html>"),
        Reply::html(504, "<html>timeout</html>"),
    ])
    .await;
    let client = client(&peer);
    assert!(matches!(
        client.server_time().await,
        Err(ClientError::Unreachable(_))
    ));
    assert!(matches!(
        client.server_time().await,
        Err(ClientError::Interrupted(_))
    ));
}

#[tokio::test]
async fn a_renewal_id_that_is_not_a_plain_token_is_never_sent() {
    let peer = Peer::start(vec![Reply::json(200, LOGIN)]).await;
    let client = client(&peer);
    let proof = ebid_protocol::CardProof {
        challenge_id: "c1".into(),
        certificate: vec![1],
        signature: vec![2],
        algorithm: ebid_protocol::SignatureAlgorithm::RsaPkcs1Sha256,
    };
    let login = client.login(&proof).await.unwrap();
    let error = client
        .commit_renewal(&login.token, "../session", &Default::default())
        .await
        .unwrap_err();
    assert!(matches!(error, ClientError::Protocol(_)), "{error:?}");
    assert_eq!(peer.requests().await.len(), 1, "only the login was sent");
}

#[tokio::test]
async fn https_with_the_organizations_own_ca() {
    let tls = peer::TlsPeer::start(SERVER_TIME).await;
    let untrusting = Client::new(&tls.url(), &options()).unwrap();
    let error = untrusting.server_time().await.unwrap_err();
    assert!(matches!(error, ClientError::Tls(_)), "{error:?}");

    let trusting = Client::new(
        &tls.url(),
        &ClientOptions {
            extra_ca_pem: Some(tls.ca_pem.clone().into_bytes()),
            ..options()
        },
    )
    .unwrap();
    assert_eq!(trusting.server_time().await.unwrap().protocol_version, 2);
}

#[test]
fn a_ca_file_without_certificates_is_refused() {
    let error = Client::new(
        "https://ebid.example.jp",
        &ClientOptions {
            extra_ca_pem: Some(b"not a certificate".to_vec()),
            ..options()
        },
    )
    .unwrap_err();
    assert!(matches!(error, ClientError::Setup(_)), "{error:?}");
}
