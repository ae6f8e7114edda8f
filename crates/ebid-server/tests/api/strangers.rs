//! What a stranger can do without logging in: nothing lasting, nothing that stops real users. Through the
//! real server on 127.0.0.1, its SQLite file measured on disk.

use std::num::NonZeroU32;
use std::path::Path;
use std::time::Duration;

use ebid_protocol::{CardProof, Purpose, Refusal, RefusalCode, SignatureAlgorithm, routes};
use ebid_server::RateLimit;
use reqwest::Method;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use crate::support::{PREF, TestServer, refused_logins};

/// Requests of the flood, and how many are in flight at once.
const FLOOD: usize = 10_000;
const IN_FLIGHT: usize = 32;

/// The database file and its write-ahead log, in bytes.
fn database_bytes(database: &Path) -> u64 {
    let wal = database.with_extension("sqlite3-wal");
    [database, wal.as_path()]
        .iter()
        .filter_map(|path| std::fs::metadata(path).ok())
        .map(|metadata| metadata.len())
        .sum()
}

/// What one request of the flood was, and its answer's status.
struct Answered {
    challenge: bool,
    status: u16,
}

/// Half challenges, half logins with a made-up proof: everything a stranger can send without a card.
async fn flood(server: &TestServer) -> Vec<Answered> {
    let bogus = CardProof {
        challenge_id: "made-up".into(),
        certificate: vec![0x30, 0x03, 0x02, 0x01, 0x01],
        signature: vec![0; 256],
        algorithm: SignatureAlgorithm::RsaPkcs1Sha256,
    };
    let request = ebid_protocol::ChallengeRequest {
        organization: PREF.into(),
        category: "construction".into(),
        purpose: Purpose::Login,
    };
    let mut statuses = Vec::with_capacity(FLOOD);
    for batch in (0..FLOOD).collect::<Vec<_>>().chunks(IN_FLIGHT) {
        let sends = batch.iter().map(|&i| {
            let builder = if i % 2 == 0 {
                server
                    .request(Method::POST, routes::CHALLENGES, None)
                    .json(&request)
            } else {
                server
                    .request(Method::POST, routes::LOGIN, None)
                    .json(&bogus)
            };
            async move {
                let status = builder.send().await.expect("answered").status().as_u16();
                Answered {
                    challenge: i % 2 == 0,
                    status,
                }
            }
        });
        let mut in_flight: tokio::task::JoinSet<Answered> = sends.collect();
        while let Some(status) = in_flight.join_next().await {
            statuses.push(status.expect("the request task"));
        }
    }
    statuses
}

/// The whole server takes a burst of 5,000 requests and then one a second: about half of the flood is
/// served (and must leave nothing), the rest is answered 429.
#[tokio::test]
async fn ten_thousand_strangers_requests_leave_the_database_as_it_was_and_some_are_answered_429() {
    let server = TestServer::start_with(|config| {
        config.limits.per_client = None;
        config.limits.global = Some(RateLimit {
            per_second: NonZeroU32::MIN,
            burst: NonZeroU32::new(5_000).expect("not zero"),
        });
    })
    .await;
    // A first sweep, so that the measure starts from a database the sweeper has already touched.
    server.maintenance.sweep().await.expect("sweep");
    let before = database_bytes(&server.database);
    let answers = flood(&server).await;
    let count = |challenge: bool, status: u16| {
        answers
            .iter()
            .filter(|answer| answer.challenge == challenge && answer.status == status)
            .count()
    };
    let (challenges_served, logins_refused) = (count(true, 200), count(false, 403));
    let limited = count(true, 429) + count(false, 429);
    assert_eq!(challenges_served + logins_refused + limited, FLOOD);
    assert!(limited >= 4_000, "{limited} answered 429 of {FLOOD}");
    let swept = server.maintenance.sweep().await.expect("sweep");
    assert_eq!(swept.challenges, 0, "the challenges have not expired yet");
    assert_eq!(swept.refused_logins_written, logins_refused as u64);
    // Every refused login is in one row: (no organization, challenge_mismatch, how many).
    assert_eq!(
        refused_logins(&server.db().await).await,
        [(
            String::new(),
            "challenge_mismatch".to_owned(),
            logins_refused as i64
        )]
    );
    let growth = database_bytes(&server.database).saturating_sub(before);
    assert!(
        growth <= 64 * 1024,
        "the database grew by {growth} bytes for {FLOOD} unauthenticated requests"
    );
    // Past their time the challenges go too: the memory is bounded as well.
    server.clock.advance(Duration::from_secs(3 * 60));
    let swept = server.maintenance.sweep().await.expect("sweep");
    assert_eq!(swept.challenges, challenges_served);
}

#[tokio::test]
async fn a_flooding_client_is_answered_429_with_retry_after_and_others_are_not() {
    let server = TestServer::start_with(|config| {
        config.limits.per_client = RateLimit::per_second(5);
    })
    .await;
    let mut limited = None;
    for _ in 0..100 {
        let response = server
            .request(Method::GET, routes::ORGANIZATIONS, None)
            .send()
            .await
            .expect("answered");
        if response.status() == 429 {
            limited = Some(response);
            break;
        }
    }
    let response = limited.expect("some request answered 429 within 100");
    let retry_after: u64 = response
        .headers()
        .get("retry-after")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse().ok())
        .expect("a Retry-After in seconds");
    assert!((1..=2).contains(&retry_after), "Retry-After: {retry_after}");
    let refusal: Refusal = response.json().await.expect("a JSON refusal");
    assert_eq!(refusal.code, RefusalCode::RateLimited);
    assert_eq!(refusal, Refusal::from(RefusalCode::RateLimited));
    // Another client (another loopback address: Linux answers on all of 127.0.0.0/8, macOS and Windows only
    // on 127.0.0.1 unless configured) is not held back by the first one's limit.
    if !cfg!(target_os = "linux") {
        return;
    }
    let other = reqwest::Client::builder()
        .no_proxy()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .expect("client");
    let answer = other
        .get(format!(
            "http://{}{}",
            server.address(),
            routes::ORGANIZATIONS
        ))
        .send()
        .await
        .expect("answered");
    assert_eq!(answer.status(), 200);
}

#[tokio::test]
async fn connections_that_never_finish_their_headers_do_not_stop_a_login_and_are_closed() {
    let server = TestServer::start_with(|config| {
        config.limits.header_read_timeout = Duration::from_secs(1);
    })
    .await;
    let mut slow = Vec::with_capacity(200);
    for _ in 0..200 {
        let mut stream = TcpStream::connect(server.address()).await.expect("connect");
        let half = format!(
            "POST {} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le",
            routes::LOGIN
        );
        stream
            .write_all(half.as_bytes())
            .await
            .expect("half a header");
        slow.push(stream);
    }
    server.logged_in("current", PREF).await;
    // The server closes each of them: the read ends (a 408 or nothing, then end of stream), it does not hang.
    for mut stream in slow {
        let mut rest = Vec::new();
        let read =
            tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut rest)).await;
        assert!(read.is_ok(), "a half-sent request was kept open");
    }
}

#[tokio::test]
async fn unknown_routes_methods_and_oversized_bodies_get_json_refusals() {
    let server = TestServer::start().await;
    let unknown: Result<(), _> = server
        .send(server.request(Method::GET, "/no/such/route", None))
        .await;
    assert_eq!(unknown.unwrap_err().code, RefusalCode::UnknownRoute);
    let wrong_method: Result<(), _> = server
        .send(server.request(Method::DELETE, routes::TIME, None))
        .await;
    assert_eq!(
        wrong_method.unwrap_err().code,
        RefusalCode::MethodNotAllowed
    );
    let oversized: Result<(), _> = server
        .send(
            server
                .request(Method::POST, routes::CHALLENGES, None)
                .header("content-type", "application/json")
                .body(format!(r#"{{"organization":"{}"}}"#, "x".repeat(4096))),
        )
        .await;
    assert_eq!(oversized.unwrap_err().code, RefusalCode::RequestTooLarge);
    let oversized_proof: Result<(), _> = server
        .send(
            server
                .request(Method::POST, routes::LOGIN, None)
                .header("content-type", "application/json")
                .body(vec![b' '; 64 * 1024]),
        )
        .await;
    assert_eq!(
        oversized_proof.unwrap_err().code,
        RefusalCode::RequestTooLarge
    );
}
