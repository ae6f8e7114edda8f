//! The public origin of a registration server (`https://ebid.pref.nagasaki.example`): what a challenge names
//! so that a card's signature is good for one server only. A phishing server that relays a real server's
//! challenge gets a signature over the real server's origin, which the client refuses to make when it is
//! not talking to that origin, and a signature over its own origin, which the real server refuses.
//!
//! Client and server compare origins byte for byte, so the one spelling is made here: the `url` crate's
//! (WHATWG) origin of an `http`/`https` URL, that is lower-case scheme and host (IDN hosts in punycode),
//! the port only when it is not the scheme's default, no path.

use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use url::Url;

/// `scheme://host[:port]`, normalised. Built only by [`Origin::parse`], [`Origin::of_url`] and
/// [`Origin::of_address`], so every value is in the one spelling both sides sign.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin(String);

/// Why a text is not a server's origin.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OriginError {
    #[error("not a URL ({text}): {reason}")]
    NotAUrl { text: String, reason: String },
    #[error("only http and https servers have an origin, not {0}")]
    Scheme(String),
    #[error("a server's URL carries no user name or password")]
    Credentials,
    #[error("a server's URL carries no ? or #")]
    QueryOrFragment,
    #[error("an origin has no path ({0})")]
    Path(String),
    #[error("not in normal form: {text} (should be {normal})")]
    NotNormal { text: String, normal: String },
}

impl Origin {
    /// Exactly an origin: `scheme://host[:port]`, a trailing `/` allowed, any case; normalised.
    pub fn parse(text: &str) -> Result<Self, OriginError> {
        let url = parse_url(text)?;
        if url.path() != "/" {
            return Err(OriginError::Path(url.path().to_owned()));
        }
        Self::of_url(&url)
    }

    /// The origin of a server's base URL, which may have a path (a server behind a reverse proxy under
    /// `/nagasaki/`): the path is not part of the origin.
    pub fn of_base_url(text: &str) -> Result<Self, OriginError> {
        Self::of_url(&parse_url(text)?)
    }

    /// The origin of `url`, an `http` or `https` URL without credentials, query or fragment.
    pub fn of_url(url: &Url) -> Result<Self, OriginError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(OriginError::Scheme(url.scheme().to_owned()));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(OriginError::Credentials);
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(OriginError::QueryOrFragment);
        }
        Ok(Self(url.origin().ascii_serialization()))
    }

    /// The origin of a server reached at `address` itself (no reverse proxy, no host name).
    pub fn of_address(https: bool, address: SocketAddr) -> Result<Self, OriginError> {
        let scheme = if https { "https" } else { "http" };
        Self::parse(&format!("{scheme}://{address}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn parse_url(text: &str) -> Result<Url, OriginError> {
    Url::parse(text).map_err(|error| OriginError::NotAUrl {
        text: text.to_owned(),
        reason: error.to_string(),
    })
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Origin {
    type Err = OriginError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl Serialize for Origin {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// On the wire only the normal form is accepted: the bytes received are the bytes signed.
impl<'de> Deserialize<'de> for Origin {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let origin = Self::parse(&text).map_err(serde::de::Error::custom)?;
        if origin.0 != text {
            return Err(serde::de::Error::custom(OriginError::NotNormal {
                text,
                normal: origin.0,
            }));
        }
        Ok(origin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised() {
        for (text, normal) in [
            (
                "https://ebid.pref.nagasaki.example",
                "https://ebid.pref.nagasaki.example",
            ),
            (
                "HTTPS://EBID.Pref.Nagasaki.Example/",
                "https://ebid.pref.nagasaki.example",
            ),
            ("https://ebid.example:443", "https://ebid.example"),
            ("https://ebid.example:8443/", "https://ebid.example:8443"),
            ("http://127.0.0.1:80", "http://127.0.0.1"),
            ("http://127.0.0.1:7878", "http://127.0.0.1:7878"),
            ("http://[0:0:0:0:0:0:0:1]:7878", "http://[::1]:7878"),
            ("https://長崎.example", "https://xn--8ltr62k.example"),
        ] {
            assert_eq!(Origin::parse(text).unwrap().as_str(), normal, "{text}");
        }
    }

    #[test]
    fn only_an_http_or_https_origin_is_one() {
        assert!(matches!(
            Origin::parse("https://ebid.example/nagasaki/"),
            Err(OriginError::Path(_))
        ));
        assert!(matches!(
            Origin::parse("ftp://ebid.example"),
            Err(OriginError::Scheme(_))
        ));
        assert!(matches!(
            Origin::parse("https://user:pw@ebid.example"),
            Err(OriginError::Credentials)
        ));
        assert!(matches!(
            Origin::parse("https://ebid.example/?x=1"),
            Err(OriginError::QueryOrFragment)
        ));
        assert!(matches!(
            Origin::parse("ebid.example"),
            Err(OriginError::NotAUrl { .. })
        ));
    }

    #[test]
    fn a_base_url_path_is_not_part_of_the_origin() {
        assert_eq!(
            Origin::of_base_url("https://EBID.example:443/nagasaki/")
                .unwrap()
                .as_str(),
            "https://ebid.example"
        );
        let address = SocketAddr::from(([127, 0, 0, 1], 7878));
        assert_eq!(
            Origin::of_address(false, address).unwrap().as_str(),
            "http://127.0.0.1:7878"
        );
        let https = SocketAddr::from(([0, 0, 0, 0, 0, 0, 0, 1], 443));
        assert_eq!(
            Origin::of_address(true, https).unwrap().as_str(),
            "https://[::1]"
        );
    }

    #[test]
    fn the_wire_takes_only_the_normal_form() {
        let origin: Origin = serde_json::from_str(r#""https://ebid.example""#).unwrap();
        assert_eq!(
            serde_json::to_string(&origin).unwrap(),
            r#""https://ebid.example""#
        );
        for not_normal in [
            r#""https://EBID.example""#,
            r#""https://ebid.example/""#,
            r#""https://ebid.example:443""#,
        ] {
            assert!(
                serde_json::from_str::<Origin>(not_normal).is_err(),
                "{not_normal}"
            );
        }
    }
}
