//! One load client: its own HTTP connection to the server, and the protocol's calls the scenarios make.

use std::net::IpAddr;
use std::time::Duration;

use anyhow::{Context as _, bail};
use ebid_protocol::{
    CardProof, Challenge, ChallengeRequest, LoginResponse, Purpose, Refusal, RenewalCommit,
    RenewalConfirmation, RenewalResult, routes,
};
use reqwest::RequestBuilder;
use serde::de::DeserializeOwned;

/// Where the load users are registered: 長崎県, 工事・業務 of the demo registration.
pub const ORGANIZATION: &str = "nagasaki-pref";
pub const CATEGORY: &str = "construction";

/// No single request may hold a client longer than this; one that does counts as a failed operation.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Api {
    base: String,
    http: reqwest::Client,
}

impl Api {
    /// A client of the server at `base`, with a connection pool of its own (never a proxy).
    pub fn new(base: &str) -> anyhow::Result<Self> {
        Self::from_address(base, None)
    }

    /// The same, its connections made from `local` (a loopback address of its own: another client to the
    /// server's per-client rate limit).
    pub fn from_address(base: &str, local: Option<IpAddr>) -> anyhow::Result<Self> {
        Ok(Self {
            base: base.to_owned(),
            http: reqwest::Client::builder()
                .no_proxy()
                .timeout(REQUEST_TIMEOUT)
                .local_address(local)
                .build()
                .context("building an HTTP client")?,
        })
    }

    /// A bare `POST` of `body` as JSON, for the flood; the status answered.
    pub async fn post_status(
        &self,
        path: &str,
        body: &impl serde::Serialize,
    ) -> anyhow::Result<u16> {
        let response = self
            .post(path)
            .json(body)
            .send()
            .await
            .context("no answer")?;
        Ok(response.status().as_u16())
    }

    /// A challenge at [`ORGANIZATION`]; a renewal challenge needs the session's `token`.
    pub async fn challenge(
        &self,
        purpose: Purpose,
        token: Option<&str>,
    ) -> anyhow::Result<Challenge> {
        let request = ChallengeRequest {
            organization: ORGANIZATION.into(),
            category: CATEGORY.into(),
            purpose,
        };
        let mut builder = self.post(routes::CHALLENGES).json(&request);
        if let Some(token) = token {
            builder = builder.bearer_auth(token);
        }
        send(builder, "challenge").await
    }

    pub async fn login(&self, proof: &CardProof) -> anyhow::Result<LoginResponse> {
        send(self.post(routes::LOGIN).json(proof), "login").await
    }

    pub async fn renewal_proof(
        &self,
        token: &str,
        proof: &CardProof,
    ) -> anyhow::Result<RenewalConfirmation> {
        let builder = self
            .post(routes::RENEWAL_PROOF)
            .bearer_auth(token)
            .json(proof);
        send(builder, "renewal proof").await
    }

    /// 【更新】 of `renewal_id`, with the 担当者 a load user types.
    pub async fn commit(&self, token: &str, renewal_id: &str) -> anyhow::Result<RenewalResult> {
        let builder = self
            .post(&routes::renewal_commit(renewal_id))
            .bearer_auth(token)
            .json(&RenewalCommit {
                operator: "負荷試験".into(),
            });
        send(builder, "commit").await
    }

    fn post(&self, path: &str) -> RequestBuilder {
        self.http.post(format!("{}{path}", self.base))
    }
}

/// The success body of `request`, or an error naming the step and the server's refusal.
async fn send<T: DeserializeOwned>(request: RequestBuilder, step: &str) -> anyhow::Result<T> {
    let response = request
        .send()
        .await
        .with_context(|| format!("{step}: no answer"))?;
    let status = response.status();
    if status.is_success() {
        return response
            .json()
            .await
            .with_context(|| format!("{step}: unexpected answer ({status})"));
    }
    match response.json::<Refusal>().await {
        Ok(refusal) => bail!("{step}: refused with {:?} ({status})", refusal.code),
        Err(_) => bail!("{step}: failed ({status})"),
    }
}
