//! What a virtual card holds, as the demo CA writes it to disk and the emulator loads it.
//!
//! One JSON file a card. Keys are in the file because these are demo cards: the point of a real card is that
//! its key never leaves it, and nothing outside the demo set ever reads these files.

use serde::{Deserialize, Serialize};

/// A virtual card: its profile and everything on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "profile", rename_all = "lowercase")]
pub enum CardSpec {
    Jpki(JpkiSpec),
    Piv(PivSpec),
}

/// マイナンバーカード's JPKI AP: a signing side (password of 6–16 upper-case letters and digits, 5 tries)
/// and an authentication side (4-digit PIN, 3 tries), each with a key, a certificate and its CA's certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JpkiSpec {
    pub sign_pin: PinSpec,
    pub sign: KeySlot,
    #[serde(with = "b64")]
    pub sign_ca_certificate: Vec<u8>,
    pub auth_pin: PinSpec,
    pub auth: KeySlot,
    #[serde(with = "b64")]
    pub auth_ca_certificate: Vec<u8>,
    #[serde(default)]
    pub quirks: Quirks,
}

/// A PIV card (NIST SP 800-73-4): the PIV application PIN and the 9A (authentication) and 9C (digital
/// signature) slots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PivSpec {
    pub pin: PinSpec,
    pub slot_9a: KeySlot,
    pub slot_9c: KeySlot,
    /// 16 bytes that make the card's CHUID (and so its identity to middleware) unique.
    #[serde(with = "b64")]
    pub card_uuid: Vec<u8>,
    #[serde(default)]
    pub quirks: Quirks,
}

/// A PIN and its retry counter, which lives on the card and survives removal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinSpec {
    pub value: String,
    pub max_tries: u8,
    pub tries_left: u8,
}

/// A private key and its certificate. The key's algorithm (RSA-2048 or ECDSA P-256) is read from the PKCS#8.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeySlot {
    #[serde(with = "b64")]
    pub certificate: Vec<u8>,
    #[serde(with = "b64")]
    pub private_key_pkcs8: Vec<u8>,
}

/// Ways real cards answer that a lenient emulator would not; set them so the client meets them in tests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quirks {
    /// Answer data in pieces of at most this many bytes with `61xx`, to be fetched with GET RESPONSE.
    #[serde(default)]
    pub get_response_chunk: Option<u8>,
    /// Answer `6Cxx` (wrong Le, resend with xx) whenever Le is not exactly the bytes available.
    #[serde(default)]
    pub demand_exact_le: bool,
    /// Refuse extended-length APDUs with `6700`, as a card or reader without them does.
    #[serde(default)]
    pub short_apdus_only: bool,
}

mod b64 {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}
