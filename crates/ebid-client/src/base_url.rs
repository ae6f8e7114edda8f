//! The server's base URL: HTTPS, or plain HTTP to this machine only (the demo and the tests), so that a
//! session token never crosses a network in the clear.

use std::net::IpAddr;

use ebid_protocol::Origin;
use reqwest::Url;

use crate::ClientError;

/// Whether `text` is a URL this client would connect to (a configuration file is checked as it is read,
/// not at the first request); the error says why not.
pub fn check_server_url(text: &str) -> Result<(), ClientError> {
    BaseUrl::parse(text).map(drop)
}

/// A checked base URL, kept without its trailing slash so that a route (which starts with `/`) appends, and
/// its origin, the one a challenge from this server must name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BaseUrl {
    text: String,
    origin: Origin,
}

impl BaseUrl {
    pub(crate) fn parse(text: &str) -> Result<Self, ClientError> {
        let url = Url::parse(text).map_err(|e| {
            ClientError::Setup(format!("サーバのURLが正しくありません ({text}): {e}"))
        })?;
        if url.query().is_some() || url.fragment().is_some() {
            return Err(ClientError::Setup(format!(
                "サーバのURLに ? や # は使えません ({text})"
            )));
        }
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => {
                return Err(ClientError::Setup(format!(
                    "このコンピューターの外のサーバには https:// で接続してください ({text})"
                )));
            }
            other => {
                return Err(ClientError::Setup(format!(
                    "サーバのURLは https:// で始めてください ({other}:// は使えません)"
                )));
            }
        }
        let origin = Origin::of_url(&url).map_err(|e| {
            ClientError::Setup(format!("サーバのURLが正しくありません ({text}): {e}"))
        })?;
        Ok(Self {
            text: url.as_str().trim_end_matches('/').to_owned(),
            origin,
        })
    }

    /// The URL of `route` (a path starting with `/`) on this server.
    pub(crate) fn join(&self, route: &str) -> String {
        format!("{}{route}", self.text)
    }

    pub(crate) fn origin(&self) -> &Origin {
        &self.origin
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host_str() {
        Some("localhost") => true,
        Some(host) => host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback()),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        for ok in [
            "https://ebid.example.jp",
            "http://127.0.0.1:8080",
            "http://127.5.0.1:8080/",
            "http://localhost:3000",
            "http://[::1]:3000",
        ] {
            assert!(BaseUrl::parse(ok).is_ok(), "{ok}");
        }
        for refused in [
            "http://ebid.example.jp",
            "http://192.168.1.10:8080",
            "ftp://127.0.0.1",
            "not a url",
            "https://ebid.example.jp/?x=1",
            "https://user:password@ebid.example.jp",
        ] {
            assert!(
                matches!(BaseUrl::parse(refused), Err(ClientError::Setup(_))),
                "{refused}"
            );
        }
    }

    #[test]
    fn routes_append_to_a_path_prefix() {
        let base = BaseUrl::parse("https://ebid.example.jp/nagasaki/").unwrap();
        assert_eq!(
            base.join("/api/v2/time"),
            "https://ebid.example.jp/nagasaki/api/v2/time"
        );
        let bare = BaseUrl::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            bare.join("/api/v2/time"),
            "http://127.0.0.1:8080/api/v2/time"
        );
    }

    #[test]
    fn the_origin_is_the_base_urls_without_its_path() {
        let base = BaseUrl::parse("HTTPS://Ebid.Example.JP:443/nagasaki/").unwrap();
        assert_eq!(base.origin().as_str(), "https://ebid.example.jp");
        let bare = BaseUrl::parse("http://127.0.0.1:8080/").unwrap();
        assert_eq!(bare.origin().as_str(), "http://127.0.0.1:8080");
    }
}
