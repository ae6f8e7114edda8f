//! The challenge a card signs: single-use, short-lived, bound to the server's origin, the organization,
//! category and purpose.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::origin::Origin;
use crate::wire::base64_bytes;

/// What a signature over a challenge is for; a signature for one purpose is refused for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Card login, opening a session.
    Login,
    /// The new card's proof of possession inside a renewal session.
    RenewalNewCard,
    /// 新規登録: a card not (or no longer) registered proves itself with its application; no session.
    Registration,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::RenewalNewCard => "renewal_new_card",
            Self::Registration => "registration",
        }
    }
}

/// A challenge as the server issues it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    pub id: String,
    /// The origin of the server that issued it, as its clients reach it. A client signs only a challenge
    /// naming the origin it is talking to; the server verifies over its own origin.
    pub origin: Origin,
    pub organization: String,
    pub category: String,
    pub purpose: Purpose,
    #[serde(with = "base64_bytes")]
    pub nonce: Vec<u8>,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

impl Challenge {
    /// The exact bytes the card signs: every field that binds the signature, one a line, after a label
    /// that keeps these signatures from being valid for anything else.
    pub fn to_be_signed(&self) -> Vec<u8> {
        use base64::Engine as _;
        let nonce = base64::engine::general_purpose::STANDARD.encode(&self.nonce);
        let expires = self.expires_at.unix_timestamp();
        format!(
            "ebid-challenge/2\n{}\n{}\n{}\n{}\n{}\n{nonce}\n{expires}\n",
            self.origin,
            self.id,
            self.organization,
            self.category,
            self.purpose.as_str()
        )
        .into_bytes()
    }

    /// The SHA-256 digest the card is given to sign.
    pub fn digest(&self) -> [u8; 32] {
        Sha256::digest(self.to_be_signed()).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn challenge(purpose: Purpose) -> Challenge {
        Challenge {
            id: "c1".into(),
            origin: Origin::parse("https://ebid.pref.nagasaki.example").unwrap(),
            organization: "nagasaki-pref".into(),
            category: "construction".into(),
            purpose,
            nonce: vec![1, 2, 3],
            expires_at: OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap(),
        }
    }

    #[test]
    fn the_signed_bytes_bind_every_field() {
        let login = challenge(Purpose::Login);
        assert_eq!(
            String::from_utf8(login.to_be_signed()).unwrap(),
            "ebid-challenge/2\nhttps://ebid.pref.nagasaki.example\nc1\nnagasaki-pref\nconstruction\nlogin\nAQID\n1800000000\n"
        );
        assert_ne!(login.digest(), challenge(Purpose::RenewalNewCard).digest());
        assert_ne!(login.digest(), challenge(Purpose::Registration).digest());
        let mut other_org = login.clone();
        other_org.organization = "sasebo-city".into();
        assert_ne!(login.digest(), other_org.digest());
    }

    #[test]
    fn a_signature_for_one_server_is_not_one_for_another() {
        let real = challenge(Purpose::Login);
        // What a relay hands on: the real server's challenge, renamed to its own origin.
        let mut relayed = real.clone();
        relayed.origin = Origin::parse("https://ebid.pref.nagasaki.example.evil").unwrap();
        assert_ne!(real.to_be_signed(), relayed.to_be_signed());
        assert_ne!(real.digest(), relayed.digest());
        let same = Origin::parse("HTTPS://Ebid.Pref.Nagasaki.Example:443/").unwrap();
        relayed.origin = same;
        assert_eq!(real.digest(), relayed.digest());
    }

    #[test]
    fn json_round_trip() {
        let login = challenge(Purpose::Login);
        let json = serde_json::to_string(&login).unwrap();
        assert!(
            json.contains(r#""purpose":"login""#)
                && json.contains(r#""nonce":"AQID""#)
                && json.contains(r#""origin":"https://ebid.pref.nagasaki.example""#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Challenge>(&json).unwrap(), login);
    }
}
