//! A plain HTTP client of a server started as `ebid-server` starts it (not a [`super::TestServer`]), for the
//! tests of the process's flags.

use ebid_protocol::{Purpose, RefusalCode, routes};
use ebid_server::Running;

use super::{CONSTRUCTION, IssuedCard, PREF, card};

/// A client of a server started with `ebid_server::start` (as `ebid-server` runs), on the system clock.
pub struct RunningClient {
    base: String,
    http: reqwest::Client,
}

impl RunningClient {
    pub fn of(running: &Running) -> Self {
        Self {
            base: running.url(),
            http: reqwest::Client::builder()
                .no_proxy()
                .build()
                .expect("client"),
        }
    }

    pub async fn post<T: serde::Serialize, R: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: &T,
        token: Option<&str>,
    ) -> Result<R, ebid_protocol::Refusal> {
        let mut request = self.http.post(format!("{}{path}", self.base)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("server answers");
        let status = response.status().as_u16();
        if response.status().is_success() {
            return Ok(response.json().await.expect("body"));
        }
        let refusal: ebid_protocol::Refusal = response.json().await.expect("refusal");
        assert_eq!(status, refusal.code.http_status(), "{refusal:?}");
        Err(refusal)
    }

    pub async fn challenge(
        &self,
        purpose: Purpose,
        token: Option<&str>,
    ) -> ebid_protocol::Challenge {
        let request = ebid_protocol::ChallengeRequest {
            organization: PREF.into(),
            category: CONSTRUCTION.into(),
            purpose,
        };
        self.post(routes::CHALLENGES, &request, token)
            .await
            .expect("challenge")
    }

    pub async fn login(&self, name: &str) -> Result<String, ebid_protocol::Refusal> {
        let challenge = self.challenge(Purpose::Login, None).await;
        let response: ebid_protocol::LoginResponse = self
            .post(routes::LOGIN, &card(name).prove(&challenge), None)
            .await?;
        Ok(response.session_token)
    }

    /// Logs in with `current` and proves `new`: the violations the confirmation lists.
    pub async fn new_card_violations(&self, new: &IssuedCard) -> Vec<RefusalCode> {
        let token = self.login("current").await.expect("login");
        let challenge = self.challenge(Purpose::RenewalNewCard, Some(&token)).await;
        let confirmation: ebid_protocol::RenewalConfirmation = self
            .post(routes::RENEWAL_PROOF, &new.prove(&challenge), Some(&token))
            .await
            .expect("proof");
        confirmation.violations.iter().map(|v| v.code).collect()
    }
}
