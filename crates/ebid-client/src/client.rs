//! One method a route. Each sends JSON, reads the whole answer, and turns it into the route's type or a
//! typed [`ClientError`].

use std::time::Instant;

use ebid_protocol::{
    CardProof, Challenge, ChallengeRequest, ChangeResult, LoginResponse, Menu, Organization,
    Origin, Refusal, RegistrationApplication, RegistrationChange, RegistrationInfo,
    RegistrationReceipt, RenewalCommit, RenewalConfirmation, RenewalResult, ServerTime, routes,
};
use reqwest::{Method, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::base_url::BaseUrl;
use crate::error::{from_status, from_transport};
use crate::{ClientError, ClientOptions, LoggedIn, SessionToken};

/// A client of one registration server. Cheap to clone: clones share connections.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: BaseUrl,
}

impl Client {
    /// A client of the server at `base_url` (`https://…`, or `http://` to this machine only).
    pub fn new(base_url: &str, options: &ClientOptions) -> Result<Self, ClientError> {
        Ok(Self {
            http: options.build()?,
            base: BaseUrl::parse(base_url)?,
        })
    }

    /// The origin of the server's URL: a challenge from this server must name it, or a card's signature
    /// over it would count at another server.
    pub fn origin(&self) -> &Origin {
        self.base.origin()
    }

    /// `GET` [`routes::TIME`]: the server's clock.
    pub async fn server_time(&self) -> Result<ServerTime, ClientError> {
        self.send(
            self.request(Method::GET, routes::TIME, None),
            Safe::ToRepeat,
        )
        .await
    }

    /// `GET` [`routes::ORGANIZATIONS`]: the procurement organizations and their categories.
    pub async fn organizations(&self) -> Result<Vec<Organization>, ClientError> {
        self.send(
            self.request(Method::GET, routes::ORGANIZATIONS, None),
            Safe::ToRepeat,
        )
        .await
    }

    /// `POST` [`routes::CHALLENGES`]: a challenge for a card to sign. A renewal challenge needs `session`.
    pub async fn challenge(
        &self,
        request: &ChallengeRequest,
        session: Option<&SessionToken>,
    ) -> Result<Challenge, ClientError> {
        // A challenge is only a fresh nonce: asking twice costs nothing.
        self.send_json(
            self.request(Method::POST, routes::CHALLENGES, session),
            request,
            Safe::ToRepeat,
        )
        .await
    }

    /// `POST` [`routes::LOGIN`]: the card login that opens a session.
    pub async fn login(&self, proof: &CardProof) -> Result<LoggedIn, ClientError> {
        let response: LoginResponse = self
            .send_json(
                self.request(Method::POST, routes::LOGIN, None),
                proof,
                Safe::Once,
            )
            .await?;
        Ok(response.into())
    }

    /// `GET` [`routes::MENU`]: 利用者登録メニュー.
    pub async fn menu(&self, session: &SessionToken) -> Result<Menu, ClientError> {
        self.send(
            self.request(Method::GET, routes::MENU, Some(session)),
            Safe::ToRepeat,
        )
        .await
    }

    /// `POST` [`routes::RENEWAL_PROOF`]: the new card's proof, answered with 電子証明書更新確認.
    pub async fn renewal_proof(
        &self,
        session: &SessionToken,
        proof: &CardProof,
    ) -> Result<RenewalConfirmation, ClientError> {
        self.send_json(
            self.request(Method::POST, routes::RENEWAL_PROOF, Some(session)),
            proof,
            Safe::Once,
        )
        .await
    }

    /// `POST` [`routes::renewal_commit`]: 【更新】, sent exactly once. Idempotent on the server: after
    /// [`ClientError::Interrupted`] or [`ClientError::Unreachable`] it may be sent again, and the caller
    /// decides how often (`ebid_workflow::CommitPolicy`), so that one 【更新】 is a known number of POSTs.
    pub async fn commit_renewal(
        &self,
        session: &SessionToken,
        renewal_id: &str,
        commit: &RenewalCommit,
    ) -> Result<RenewalResult, ClientError> {
        // The id goes into the path: anything but a plain token would change which resource is addressed.
        if renewal_id.is_empty()
            || !renewal_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(ClientError::Protocol(format!(
                "更新の識別子が不正です: {renewal_id:?}"
            )));
        }
        self.send_json(
            self.request_to(
                Method::POST,
                &routes::renewal_commit(renewal_id),
                routes::RENEWAL_COMMIT_PATTERN,
                Some(session),
            ),
            commit,
            // Idempotent, but repeated by the workflow's policy only: a hidden repeat here would multiply it.
            Safe::Once,
        )
        .await
    }

    /// `POST` [`routes::REGISTRATIONS`]: 登録 (新規登録) with a card's proof over a registration challenge.
    /// Sent once: a second application with the same card is refused as already registered.
    pub async fn register(
        &self,
        application: &RegistrationApplication,
    ) -> Result<RegistrationReceipt, ClientError> {
        self.send_json(
            self.request(Method::POST, routes::REGISTRATIONS, None),
            application,
            Safe::Once,
        )
        .await
    }

    /// `PUT` [`routes::REGISTRATION`]: 変更, answered with 登録者情報 as it now stands. Sent once: the
    /// caller sees an interruption and may look at 登録者情報 before sending it again.
    pub async fn change_registration(
        &self,
        session: &SessionToken,
        change: &RegistrationChange,
    ) -> Result<ChangeResult, ClientError> {
        self.send_json(
            self.request(Method::PUT, routes::REGISTRATION, Some(session)),
            change,
            Safe::Once,
        )
        .await
    }

    /// `GET` [`routes::REGISTRATION`]: 登録者情報 (業者概要 and 登録利用者一覧).
    pub async fn registration(
        &self,
        session: &SessionToken,
    ) -> Result<RegistrationInfo, ClientError> {
        self.send(
            self.request(Method::GET, routes::REGISTRATION, Some(session)),
            Safe::ToRepeat,
        )
        .await
    }

    /// `DELETE` [`routes::LOGOUT`]: ends the session.
    pub async fn logout(&self, session: &SessionToken) -> Result<(), ClientError> {
        self.exchange(
            self.request(Method::DELETE, routes::LOGOUT, Some(session)),
            Safe::ToRepeat,
        )
        .await
        .map(drop)
    }

    fn request(&self, method: Method, route: &'static str, session: Option<&SessionToken>) -> Call {
        self.request_to(method, route, route, session)
    }

    /// A request to `path`, logged as `route` (its pattern).
    fn request_to(
        &self,
        method: Method,
        path: &str,
        route: &'static str,
        session: Option<&SessionToken>,
    ) -> Call {
        let request = self
            .http
            .request(method.clone(), self.base.join(path))
            .header(reqwest::header::ACCEPT, "application/json");
        let request = match session {
            Some(token) => request.bearer_auth(token.as_str()),
            None => request,
        };
        Call {
            request,
            method,
            route,
        }
    }

    async fn send_json<T: DeserializeOwned>(
        &self,
        call: Call,
        body: &impl Serialize,
        safe: Safe,
    ) -> Result<T, ClientError> {
        let call = Call {
            request: call.request.json(body),
            ..call
        };
        self.send(call, safe).await
    }

    async fn send<T: DeserializeOwned>(&self, call: Call, safe: Safe) -> Result<T, ClientError> {
        let body = self.exchange(call, safe).await?;
        // Where the answer went wrong, never what it said: a login's answer carries the session token, and
        // this message reaches the screen. (serde's own message may quote a value, so it is left out too.)
        serde_json::from_slice(&body).map_err(|e| {
            ClientError::Protocol(format!(
                "応答の {} 行 {} 列目を読み取れません",
                e.line(),
                e.column()
            ))
        })
    }

    /// Sends, reads the whole answer, and returns the body of a success or the error it stands for.
    ///
    /// A request that is safe to repeat is sent once more when the first answer was lost: a kept-alive
    /// connection the server closed (it restarted, or dropped idle connections) fails the first request
    /// sent on it, and the user should not see that.
    async fn exchange(&self, call: Call, safe: Safe) -> Result<Vec<u8>, ClientError> {
        let retry = match safe {
            Safe::ToRepeat => call.request.try_clone(),
            Safe::Once => None,
        };
        let (method, route) = (call.method.clone(), call.route);
        match (exchange_once(call).await, retry) {
            (Err(ClientError::Interrupted(_)), Some(request)) => {
                tracing::debug!(%method, %route, "answer lost: sending once more");
                exchange_once(Call {
                    request,
                    method,
                    route,
                })
                .await
            }
            (outcome, _) => outcome,
        }
    }
}

/// One request and what the log may say of it: its method and route pattern. Never its path (a renewal's
/// id), its headers (the session token) or its body (a card's signature, a certificate).
struct Call {
    request: RequestBuilder,
    method: Method,
    route: &'static str,
}

async fn exchange_once(call: Call) -> Result<Vec<u8>, ClientError> {
    let Call {
        request,
        method,
        route,
    } = call;
    let started = Instant::now();
    let answered = answer(request).await;
    let elapsed = started.elapsed();
    match &answered {
        Ok((status, _)) => {
            tracing::debug!(%method, %route, status = status.as_u16(), ?elapsed, "request answered")
        }
        Err(error) => {
            tracing::debug!(%method, %route, failure = error.kind(), ?elapsed, "request failed");
        }
    }
    let (status, body) = answered?;
    if status.is_success() {
        return Ok(body);
    }
    match serde_json::from_slice::<Refusal>(&body) {
        Ok(refusal) if status.is_client_error() || status.is_server_error() => {
            tracing::debug!(%method, %route, refusal = ?refusal.code, "refused");
            Err(ClientError::Refused(refusal))
        }
        _ => Err(from_status(status, &body)),
    }
}

/// The status and whole body of the answer to `request`.
async fn answer(request: RequestBuilder) -> Result<(reqwest::StatusCode, Vec<u8>), ClientError> {
    let response = request.send().await.map_err(from_transport)?;
    let status = response.status();
    let body = response.bytes().await.map_err(from_transport)?;
    Ok((status, body.to_vec()))
}

/// Whether a request may be sent again when its answer was lost.
#[derive(Debug, Clone, Copy)]
enum Safe {
    /// Repeating it changes nothing more than sending it once (reads, a new challenge, logout).
    ToRepeat,
    /// Sending it twice could be refused or count twice (a login or proof consumes its challenge), or its
    /// repeats are counted by the caller (the commit).
    Once,
}
