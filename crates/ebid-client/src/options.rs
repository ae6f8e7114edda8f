//! How the client connects: bounded timeouts, the platform's roots and optionally an organization's own CA.

use std::time::Duration;

use crate::ClientError;

/// Connection settings. The defaults suit a desktop on an office network.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// How long to wait for the connection (and TLS handshake) to be made.
    pub connect_timeout: Duration,
    /// How long one request may take in all, answer included.
    pub request_timeout: Duration,
    /// PEM of one or more CA certificates to trust besides the platform's roots (an organization that runs
    /// its server with a certificate from its own CA).
    pub extra_ca_pem: Option<Vec<u8>>,
    /// HTTP proxy for every request (an office's proxy the OS does not announce); without it, the OS's proxy
    /// settings and the usual `HTTPS_PROXY` variables apply.
    pub proxy: Option<String>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            extra_ca_pem: None,
            proxy: None,
        }
    }
}

impl ClientOptions {
    pub(crate) fn build(&self) -> Result<reqwest::Client, ClientError> {
        let builder = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.request_timeout)
            // The API never redirects; following one could carry the session token elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("ebid/", env!("CARGO_PKG_VERSION")));
        self.server_reach()?
            .apply(builder)
            .build()
            .map_err(|e| ClientError::Setup(format!("HTTPクライアントを準備できません: {e}")))
    }

    /// The organization's CA and proxy, read once, for another client of the same server: the app's updater
    /// plugin builds its own, and must reach the server as the renewal does.
    pub fn server_reach(&self) -> Result<ServerReach, ClientError> {
        let certificates = match &self.extra_ca_pem {
            None => Vec::new(),
            Some(pem) => {
                let certificates = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| {
                    ClientError::Setup(format!("追加のCA証明書（PEM）を読み取れません: {e}"))
                })?;
                if certificates.is_empty() {
                    return Err(ClientError::Setup(
                        "追加のCA証明書（PEM）に証明書がありません".to_owned(),
                    ));
                }
                certificates
            }
        };
        let proxy = self
            .proxy
            .as_ref()
            .map(|proxy| {
                reqwest::Proxy::all(proxy).map_err(|e| {
                    ClientError::Setup(format!("プロキシのURLが正しくありません ({proxy}): {e}"))
                })
            })
            .transpose()?;
        Ok(ServerReach {
            certificates,
            proxy,
        })
    }
}

/// How a client reaches the organization's server besides the platform's defaults: its CA, its proxy.
#[derive(Clone)]
pub struct ServerReach {
    certificates: Vec<reqwest::Certificate>,
    proxy: Option<reqwest::Proxy>,
}

impl ServerReach {
    /// `builder` with the server's CA trusted and its proxy used.
    pub fn apply(&self, mut builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
        if !self.certificates.is_empty() {
            builder = builder.tls_certs_merge(self.certificates.iter().cloned());
        }
        if let Some(proxy) = &self.proxy {
            builder = builder.proxy(proxy.clone());
        }
        builder
    }
}
