//! The `login` scenario: a card login from start to end, by the load users in turn.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ebid_protocol::Purpose;

use crate::api::Api;
use crate::card::LoadUser;
use crate::drive::{Bounds, Operation, drive};
use crate::report::Row;

/// One login: a login challenge, the user's current card signs it, the login that opens a session. The whole
/// of it is timed, signing included, as a user waits for all of it.
struct Login {
    users: Arc<[LoadUser]>,
}

impl Operation for Login {
    type Output = Duration;

    async fn run(&self, api: &Api, index: usize) -> anyhow::Result<Duration> {
        let user = &self.users[index % self.users.len()];
        let started = Instant::now();
        let challenge = api.challenge(Purpose::Login, None).await?;
        api.login(&user.current.prove(&challenge)?).await?;
        Ok(started.elapsed())
    }
}

/// The logins of one level; throughput counts the successful ones over the level's time.
pub async fn measure(base: &str, users: Arc<[LoadUser]>, bounds: Bounds) -> anyhow::Result<Row> {
    let outcome = drive(base, Arc::new(Login { users }), bounds).await?;
    Ok(Row {
        scenario: "login",
        clients: bounds.clients,
        operations: outcome.succeeded.len() + outcome.failures.len(),
        failures: outcome.failures,
        elapsed: outcome.elapsed,
        latencies: outcome.succeeded,
    })
}
