//! The `commit` scenario: 【更新】, each by a load user of its own.
//!
//! Two phases a level. Untimed, each user logs in with the current card and proves the replacement, which
//! leaves a renewal ready to commit; then, timed, the clients commit those renewals. So the throughput is of
//! commits alone, not diluted by the logins and proofs before them.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, ensure};
use ebid_protocol::{Purpose, RenewalConfirmation};

use crate::api::Api;
use crate::card::LoadUser;
use crate::drive::{Bounds, Operation, drive};
use crate::report::Row;

/// A renewal ready for 【更新】, and the serial its result must name.
struct Ready {
    token: String,
    renewal_id: String,
    new_serial: String,
}

/// Preparation `index` is by user `first + index`, a user no other operation of the run renews.
struct Prepare {
    users: Arc<[LoadUser]>,
    first: usize,
}

impl Operation for Prepare {
    type Output = Ready;

    async fn run(&self, api: &Api, index: usize) -> anyhow::Result<Ready> {
        let user = self
            .users
            .get(self.first + index)
            .context("no load user left to renew")?;
        let (token, confirmation) = prove_renewal(api, user).await?;
        ensure!(
            confirmation.violations.is_empty(),
            "renewal proof: the confirmation lists violations: {:?}",
            confirmation
                .violations
                .iter()
                .map(|violation| violation.code)
                .collect::<Vec<_>>()
        );
        Ok(Ready {
            token,
            renewal_id: confirmation.renewal_id,
            new_serial: confirmation.new.serial,
        })
    }
}

/// The user logs in with the current card and proves the replacement: the session's token, and 電子証明書更新確認.
pub async fn prove_renewal(
    api: &Api,
    user: &LoadUser,
) -> anyhow::Result<(String, RenewalConfirmation)> {
    let challenge = api.challenge(Purpose::Login, None).await?;
    let token = api
        .login(&user.current.prove(&challenge)?)
        .await?
        .session_token;
    let challenge = api.challenge(Purpose::RenewalNewCard, Some(&token)).await?;
    let confirmation = api
        .renewal_proof(&token, &user.replacement.prove(&challenge)?)
        .await?;
    Ok((token, confirmation))
}

/// Commit `index` is of renewal `index`; it counts only if the server answers with that renewal's result.
struct Commit {
    ready: Arc<[Ready]>,
}

impl Operation for Commit {
    type Output = Duration;

    async fn run(&self, api: &Api, index: usize) -> anyhow::Result<Duration> {
        let ready = &self.ready[index];
        let started = Instant::now();
        let result = api.commit(&ready.token, &ready.renewal_id).await?;
        let elapsed = started.elapsed();
        ensure!(
            result.renewal_id == ready.renewal_id && result.new_serial == ready.new_serial,
            "commit: the result is of another renewal ({result:?})"
        );
        Ok(elapsed)
    }
}

/// The commits of one level, by users `first..first + bounds.max_ops`: the preparation and the commits are
/// each bounded by `bounds`. A failed preparation counts as a failed operation.
pub async fn measure(
    base: &str,
    users: Arc<[LoadUser]>,
    first: usize,
    bounds: Bounds,
) -> anyhow::Result<Row> {
    let prepared = drive(base, Arc::new(Prepare { users, first }), bounds).await?;
    let ready: Arc<[Ready]> = prepared.succeeded.into();
    let commit_bounds = Bounds {
        max_ops: ready.len(),
        ..bounds
    };
    let committed = drive(base, Arc::new(Commit { ready }), commit_bounds).await?;
    let mut failures = prepared.failures;
    failures.extend(committed.failures);
    // Renewals prepared but not committed in time are operations that did not happen, not failures.
    Ok(Row {
        scenario: "commit",
        clients: bounds.clients,
        operations: committed.succeeded.len() + failures.len(),
        failures,
        elapsed: committed.elapsed,
        latencies: committed.succeeded,
    })
}
