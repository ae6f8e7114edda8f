//! The `mixed` scenario: real users renewing at a human pace, each from a loopback address of its own, first
//! alone, then while one stranger floods the server from another address with login challenges and forged
//! logins as fast as it can, against a server with `ebid-server`'s default rate limits. Each real user's
//! renewal is the whole of it: login, the new card's proof, 【更新】. What counts is how much slower the real
//! users are during the flood, and what the flood got.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, ensure};
use ebid_protocol::{CardProof, ChallengeRequest, Purpose, SignatureAlgorithm, routes};
use tokio::task::JoinSet;

use crate::api::{Api, CATEGORY, ORGANIZATION};
use crate::card::LoadUser;
use crate::commit::prove_renewal;
use crate::report::Row;

/// A real user starts a renewal at most this often: five requests a second, well inside the per-client limit.
const PACE: Duration = Duration::from_secs(1);

/// The flood's concurrent connections, all from [`FLOOD_ADDRESS`].
const FLOOD_CONNECTIONS: usize = 32;
const FLOOD_ADDRESS: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));

/// The flood stops after this many requests even if the real users are not done: a load run is bounded.
const FLOOD_MAX: usize = 2_000_000;

/// What the flood sent and how it was answered.
#[derive(Debug, Default)]
pub struct Flood {
    pub sent: usize,
    pub limited: usize,
    pub served: usize,
}

/// Both phases: the real users' rows (alone, then during the flood) and the flood's counts. `users` from
/// `first` renew, `renewals` in each phase, by `clients` real users.
pub async fn measure(
    base: &str,
    users: Arc<[LoadUser]>,
    first: usize,
    clients: usize,
    renewals: usize,
) -> anyhow::Result<(Row, Row, Flood)> {
    let quiet = real_users(base, &users, first, clients, renewals, "mixed: alone").await?;
    let stop = Arc::new(AtomicBool::new(false));
    let flood = tokio::spawn(flood(base.to_owned(), Arc::clone(&stop), FLOOD_MAX));
    let flooded = real_users(
        base,
        &users,
        first + renewals,
        clients,
        renewals,
        "mixed: during the flood",
    )
    .await;
    stop.store(true, Ordering::Relaxed);
    let flood = flood.await.context("the flood task")??;
    Ok((quiet, flooded?, flood))
}

/// `renewals` whole renewals by users `first..`, from `clients` real users at [`PACE`].
async fn real_users(
    base: &str,
    users: &Arc<[LoadUser]>,
    first: usize,
    clients: usize,
    renewals: usize,
    scenario: &'static str,
) -> anyhow::Result<Row> {
    ensure!(first + renewals <= users.len(), "not enough load users");
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for client in 0..clients {
        // 127.0.1.1, 127.0.1.2, …: one address a real user.
        let local = IpAddr::V4(Ipv4Addr::new(127, 0, 1, u8::try_from(client % 250 + 1)?));
        let api = Api::from_address(base, Some(local))?;
        let users = Arc::clone(users);
        let next = Arc::clone(&next);
        tasks.spawn(async move {
            let mut results = Vec::new();
            let mut ticks = tokio::time::interval(PACE);
            loop {
                ticks.tick().await;
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= renewals {
                    return results;
                }
                results.push(renew(&api, &users[first + index]).await);
            }
        });
    }
    let (mut latencies, mut failures) = (Vec::new(), Vec::new());
    while let Some(results) = tasks.join_next().await {
        for result in results? {
            match result {
                Ok(latency) => latencies.push(latency),
                Err(error) => failures.push(error),
            }
        }
    }
    Ok(Row {
        scenario,
        clients,
        operations: latencies.len() + failures.len(),
        failures,
        elapsed: started.elapsed(),
        latencies,
    })
}

/// One whole renewal, timed from the login challenge to the committed result.
async fn renew(api: &Api, user: &LoadUser) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let (token, confirmation) = prove_renewal(api, user).await?;
    api.commit(&token, &confirmation.renewal_id).await?;
    Ok(started.elapsed())
}

/// Exactly `requests` of the flood's requests (half challenges, half forged logins), as fast as they are
/// answered.
pub async fn flood_only(base: &str, requests: usize) -> anyhow::Result<Flood> {
    flood(base.to_owned(), Arc::new(AtomicBool::new(false)), requests).await
}

/// Challenges and forged logins from [`FLOOD_CONNECTIONS`] connections until `stop`, `max` at most.
async fn flood(base: String, stop: Arc<AtomicBool>, max: usize) -> anyhow::Result<Flood> {
    let request = ChallengeRequest {
        organization: ORGANIZATION.into(),
        category: CATEGORY.into(),
        purpose: Purpose::Login,
    };
    let forged = CardProof {
        challenge_id: "forged".into(),
        certificate: vec![0x30, 0x03, 0x02, 0x01, 0x01],
        signature: vec![0; 64],
        algorithm: SignatureAlgorithm::EcdsaP256Sha256,
    };
    let taken = Arc::new(AtomicUsize::new(0));
    let mut tasks = JoinSet::new();
    for _ in 0..FLOOD_CONNECTIONS {
        let api = Api::from_address(&base, Some(FLOOD_ADDRESS))?;
        let (request, forged, stop) = (request.clone(), forged.clone(), Arc::clone(&stop));
        let taken = Arc::clone(&taken);
        tasks.spawn(async move {
            let mut counts = Flood::default();
            while !stop.load(Ordering::Relaxed) && taken.fetch_add(1, Ordering::Relaxed) < max {
                let status = if counts.sent % 2 == 0 {
                    api.post_status(routes::CHALLENGES, &request).await
                } else {
                    api.post_status(routes::LOGIN, &forged).await
                };
                counts.sent += 1;
                match status {
                    Ok(429) => counts.limited += 1,
                    Ok(_) => counts.served += 1,
                    Err(_) => {}
                }
            }
            counts
        });
    }
    let mut total = Flood::default();
    while let Some(counts) = tasks.join_next().await {
        let counts = counts?;
        total.sent += counts.sent;
        total.limited += counts.limited;
        total.served += counts.served;
    }
    Ok(total)
}
