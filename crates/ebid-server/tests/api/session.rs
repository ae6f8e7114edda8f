//! Sessions: bearer tokens, the idle timeout restarted by every request, logout.

use std::time::Duration;

use ebid_protocol::RefusalCode;

use crate::support::{PREF, TestServer};

const MINUTE: Duration = Duration::from_secs(60);

#[tokio::test]
async fn a_session_expires_after_ten_idle_minutes() {
    let server = TestServer::start().await;
    let token = server.logged_in("current", PREF).await;
    server.clock.advance(11 * MINUTE);
    assert_eq!(
        server.menu(&token).await.unwrap_err().code,
        RefusalCode::SessionExpired
    );
    let confirmation_attempt = server.renewal_proof(&token, PREF, "replacement").await;
    assert_eq!(
        confirmation_attempt.unwrap_err().code,
        RefusalCode::SessionExpired
    );
}

#[tokio::test]
async fn each_request_restarts_the_idle_time() {
    let server = TestServer::start().await;
    let token = server.logged_in("current", PREF).await;
    for _ in 0..3 {
        server.clock.advance(9 * MINUTE);
        server.menu(&token).await.expect("still logged in");
    }
}

#[tokio::test]
async fn an_expired_session_cannot_commit() {
    let server = TestServer::start().await;
    let token = server.logged_in("current", PREF).await;
    let confirmation = server
        .renewal_proof(&token, PREF, "replacement")
        .await
        .expect("proof");
    let before = server.tables().await;
    server.clock.advance(11 * MINUTE);
    assert_eq!(
        server
            .commit(&token, &confirmation.renewal_id)
            .await
            .unwrap_err()
            .code,
        RefusalCode::SessionExpired
    );
    assert_eq!(server.tables().await, before);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let server = TestServer::start().await;
    let token = server.logged_in("current", PREF).await;
    let confirmation = server
        .renewal_proof(&token, PREF, "replacement")
        .await
        .expect("proof");
    server.logout(&token).await.expect("logout");
    let before = server.tables().await;
    for refusal in [
        server.menu(&token).await.map(|_| ()),
        server.logout(&token).await,
        server
            .commit(&token, &confirmation.renewal_id)
            .await
            .map(|_| ()),
    ] {
        assert_eq!(refusal.unwrap_err().code, RefusalCode::SessionEnded);
    }
    assert_eq!(server.tables().await, before);
}

#[tokio::test]
async fn a_request_without_a_valid_token_has_no_session() {
    let server = TestServer::start().await;
    server.logged_in("current", PREF).await;
    assert_eq!(
        server.menu("made-up-token").await.unwrap_err().code,
        RefusalCode::SessionEnded
    );
    let no_header: Result<ebid_protocol::Menu, _> = server
        .send(server.request(reqwest::Method::GET, ebid_protocol::routes::MENU, None))
        .await;
    assert_eq!(no_header.unwrap_err().code, RefusalCode::SessionEnded);
}

#[tokio::test]
async fn the_database_keeps_only_a_hash_of_the_token() {
    let server = TestServer::start().await;
    let token = server.logged_in("current", PREF).await;
    let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM sessions")
        .fetch_all(&server.db().await)
        .await
        .expect("sessions");
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], token);
    assert!(!stored[0].contains(&token));
}

#[tokio::test]
async fn a_busy_session_still_ends_after_an_hour() {
    let server = TestServer::start().await;
    let token = server.logged_in("current", PREF).await;
    for _ in 0..6 {
        server.clock.advance(9 * MINUTE);
        server.menu(&token).await.expect("within the hour");
    }
    server.clock.advance(7 * MINUTE);
    assert_eq!(
        server.menu(&token).await.unwrap_err().code,
        RefusalCode::SessionExpired
    );
}

#[tokio::test]
async fn dead_sessions_are_swept_and_live_ones_kept() {
    let server = TestServer::start().await;
    let ended = server.logged_in("current", PREF).await;
    server.logout(&ended).await.expect("logout");
    let idle = server.logged_in("current", PREF).await;
    server.clock.advance(11 * MINUTE);
    let live = server.logged_in("current", PREF).await;
    let swept = server.maintenance.sweep().await.expect("sweep");
    assert_eq!(swept.sessions, 2);
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions")
        .fetch_one(&server.db().await)
        .await
        .expect("sessions");
    assert_eq!(left, 1);
    server.menu(&live).await.expect("the live session goes on");
    assert_eq!(
        server.menu(&idle).await.unwrap_err().code,
        RefusalCode::SessionEnded
    );
}
