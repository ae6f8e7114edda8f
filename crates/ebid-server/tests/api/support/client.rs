//! A server on 127.0.0.1 with its own database file and a manual clock, and a real HTTP client speaking the
//! protocol to it.

use std::fmt::Debug;
use std::path::PathBuf;
use std::sync::Arc;

use ebid_protocol::{
    CardProof, Challenge, ChallengeRequest, ChangeResult, LoginResponse, Menu, Organization,
    Purpose, Refusal, RefusalCode, RegistrationApplication, RegistrationChange, RegistrationInfo,
    RegistrationReceipt, RenewalCommit, RenewalConfirmation, RenewalResult, ServerTime, routes,
};
use ebid_server::{Clock as _, Maintenance, ManualClock, ServerConfig, import_seed};
use reqwest::{Method, RequestBuilder};
use serde::de::DeserializeOwned;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
use tempfile::TempDir;
use time::{Duration, OffsetDateTime};
use tokio::net::TcpListener;

use super::{CONSTRUCTION, Tables, card, demo_seed, demo_set, demo_trust};

/// A success, or the refusal the server answered (its HTTP status already checked against its code).
pub type Reply<T> = Result<T, Refusal>;

pub struct TestServer {
    base: String,
    pub clock: Arc<ManualClock>,
    /// The server's sweeper, to sweep now.
    pub maintenance: Maintenance,
    http: reqwest::Client,
    pub database: PathBuf,
    _dir: TempDir,
}

impl TestServer {
    /// The demo server, its clock an hour after the demo set was generated.
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// The demo server, after `adjust` has changed its configuration.
    pub async fn start_with(adjust: impl FnOnce(&mut ServerConfig)) -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let clock = Arc::new(ManualClock::new(
            demo_set().generated_at + Duration::hours(1),
        ));
        // Bound first: the address configured is the one listened on, and the origin challenges name.
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let mut config =
            ServerConfig::new(address, dir.path().join("server.sqlite3"), demo_trust());
        config.clock = clock.clone();
        adjust(&mut config);
        let database = config.database.clone();
        let server = ebid_server::open(config).await.expect("server opens");
        import_seed(server.database(), &demo_seed())
            .await
            .expect("demo seed");
        let base = format!("http://{address}");
        let maintenance = server.maintenance();
        // Serves until the test's runtime ends.
        tokio::spawn(server.serve(listener, std::future::pending()));
        Self {
            base,
            clock,
            maintenance,
            http: reqwest::Client::builder()
                .no_proxy()
                .build()
                .expect("client"),
            database,
            _dir: dir,
        }
    }

    /// The address the server listens on.
    pub fn address(&self) -> std::net::SocketAddr {
        self.base
            .trim_start_matches("http://")
            .parse()
            .expect("the server's address")
    }

    /// `http://127.0.0.1:PORT`, where the test reaches the server.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The server's time now.
    pub fn clock_now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// A connection of the test's own to the server's database file.
    pub async fn db(&self) -> SqlitePool {
        SqlitePool::connect_with(SqliteConnectOptions::new().filename(&self.database))
            .await
            .expect("test connection to the database")
    }

    pub async fn tables(&self) -> Tables {
        Tables::read(&self.db().await).await
    }

    pub async fn time(&self) -> ServerTime {
        self.call(Method::GET, routes::TIME, None)
            .await
            .expect("time")
    }

    pub async fn organizations(&self) -> Vec<Organization> {
        self.call(Method::GET, routes::ORGANIZATIONS, None)
            .await
            .expect("organizations")
    }

    pub async fn challenge(
        &self,
        organization: &str,
        purpose: Purpose,
        token: Option<&str>,
    ) -> Reply<Challenge> {
        let request = ChallengeRequest {
            organization: organization.into(),
            category: CONSTRUCTION.into(),
            purpose,
        };
        self.send(
            self.request(Method::POST, routes::CHALLENGES, token)
                .json(&request),
        )
        .await
    }

    /// Card login with the demo card `name` at `organization` (工事・業務).
    pub async fn login(&self, name: &str, organization: &str) -> Reply<LoginResponse> {
        let challenge = self.challenge(organization, Purpose::Login, None).await?;
        self.login_with(&card(name).prove(&challenge)).await
    }

    /// Card login, asserting it is accepted; the session token.
    pub async fn logged_in(&self, name: &str, organization: &str) -> String {
        self.login(name, organization)
            .await
            .unwrap_or_else(|refusal| panic!("login with {name} at {organization}: {refusal:?}"))
            .session_token
    }

    pub async fn login_with(&self, proof: &CardProof) -> Reply<LoginResponse> {
        self.send(self.request(Method::POST, routes::LOGIN, None).json(proof))
            .await
    }

    /// The new card `name`'s proof inside the session `token` of `organization`.
    pub async fn renewal_proof(
        &self,
        token: &str,
        organization: &str,
        name: &str,
    ) -> Reply<RenewalConfirmation> {
        let challenge = self
            .challenge(organization, Purpose::RenewalNewCard, Some(token))
            .await?;
        self.proof_with(token, &card(name).prove(&challenge)).await
    }

    pub async fn proof_with(&self, token: &str, proof: &CardProof) -> Reply<RenewalConfirmation> {
        self.send(
            self.request(Method::POST, routes::RENEWAL_PROOF, Some(token))
                .json(proof),
        )
        .await
    }

    /// 【更新】 with no 担当者 typed.
    pub async fn commit(&self, token: &str, renewal_id: &str) -> Reply<RenewalResult> {
        self.commit_by(token, renewal_id, "").await
    }

    /// 【更新】 by the 担当者 `operator`.
    pub async fn commit_by(
        &self,
        token: &str,
        renewal_id: &str,
        operator: &str,
    ) -> Reply<RenewalResult> {
        let body = RenewalCommit {
            operator: operator.into(),
        };
        self.send(
            self.request(
                Method::POST,
                &routes::renewal_commit(renewal_id),
                Some(token),
            )
            .json(&body),
        )
        .await
    }

    /// 登録 (新規登録): `application` as the client sends it.
    pub async fn register_with(
        &self,
        application: &RegistrationApplication,
    ) -> Reply<RegistrationReceipt> {
        self.send(
            self.request(Method::POST, routes::REGISTRATIONS, None)
                .json(application),
        )
        .await
    }

    /// 変更 in the session `token`.
    pub async fn change(&self, token: &str, change: &RegistrationChange) -> Reply<ChangeResult> {
        self.send(
            self.request(Method::PUT, routes::REGISTRATION, Some(token))
                .json(change),
        )
        .await
    }

    pub async fn menu(&self, token: &str) -> Reply<Menu> {
        self.call(Method::GET, routes::MENU, Some(token)).await
    }

    pub async fn registration(&self, token: &str) -> Reply<RegistrationInfo> {
        self.call(Method::GET, routes::REGISTRATION, Some(token))
            .await
    }

    pub async fn logout(&self, token: &str) -> Reply<()> {
        let response = self
            .request(Method::DELETE, routes::LOGOUT, Some(token))
            .send()
            .await
            .expect("server answers");
        if response.status().is_success() {
            Ok(())
        } else {
            Err(refusal(response).await)
        }
    }

    /// A request with a body the test writes itself.
    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let request = self.http.request(method, format!("{}{path}", self.base));
        match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
    ) -> Reply<T> {
        self.send(self.request(method, path, token)).await
    }

    pub async fn send<T: DeserializeOwned>(&self, request: RequestBuilder) -> Reply<T> {
        let response = request.send().await.expect("server answers");
        if response.status().is_success() {
            Ok(response.json().await.expect("success body"))
        } else {
            Err(refusal(response).await)
        }
    }
}

/// The refusal in a response, checking that the status is the one its code names.
async fn refusal(response: reqwest::Response) -> Refusal {
    let status = response.status().as_u16();
    let refusal: Refusal = response.json().await.expect("a refusal body");
    assert_eq!(status, refusal.code.http_status(), "{refusal:?}");
    assert_eq!(refusal, Refusal::from(refusal.code));
    refusal
}

/// `attempt` is refused with `code` and the registration tables are unchanged.
pub async fn refused<T: Debug>(
    server: &TestServer,
    code: RefusalCode,
    attempt: impl Future<Output = Reply<T>>,
) {
    let before = server.tables().await;
    let refusal = attempt.await.expect_err("refused");
    assert_eq!(refusal.code, code, "{refusal:?}");
    assert_eq!(
        server.tables().await,
        before,
        "a refusal changed the registration"
    );
}
