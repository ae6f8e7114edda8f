//! The demo set as its users see it: which cards there are, where their files are, what each is for and its
//! PINs; saved as `DIR/manifest.json`.
//!
//! Paths are absolute (or as the caller gave the directory) in memory and relative to the set's directory in
//! the manifest, so that a generated set can be moved or copied and still load.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use ebid_vcard::spec::CardSpec;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::DemoCaError;
use crate::ca::CaKind;
use crate::cards::{CardPlan, JPKI_AUTH_TRIES, JPKI_SIGN_TRIES, PIV_PIN_TRIES, ProfilePlan};

const MANIFEST: &str = "manifest.json";

/// A generated demo set: its CAs, their CRLs and its cards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoSet {
    /// The directory the set is in; not in the manifest, whose paths are relative to it.
    #[serde(skip)]
    pub dir: PathBuf,
    /// The `now` the set was generated for: every validity period is relative to it.
    #[serde(with = "time::serde::rfc3339")]
    pub generated_at: OffsetDateTime,
    pub ca: CaFiles,
    pub cards: Vec<DemoCard>,
}

/// The CA certificates, and for the two CAs the demo server trusts their keys (to re-issue their CRLs) and
/// their CRLs, under `DIR/ca/`. Both trusted CAs have a CRL because the server refuses the cards of a CA
/// without one (its revocation check fails closed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaFiles {
    /// "ebid デモ認証局", which the demo server trusts for company cards.
    pub demo_root: DerPem,
    /// The demo root's private key, PKCS#8 DER.
    pub demo_root_key: PathBuf,
    /// The demo root's CRL, listing the `revoked` card.
    pub demo_root_crl: DerPem,
    /// The demo JPKI CA, issuer of both sides of the マイナンバーカード-style cards.
    pub demo_jpki_root: DerPem,
    /// The demo JPKI CA's private key, PKCS#8 DER.
    pub demo_jpki_root_key: PathBuf,
    /// The demo JPKI CA's CRL, listing no card.
    pub demo_jpki_root_crl: DerPem,
    /// A root nobody trusts, issuer of the `untrusted` card.
    pub untrusted_root: DerPem,
}

/// One object written twice: DER for programs, PEM for `openssl` and people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DerPem {
    pub der: PathBuf,
    pub pem: PathBuf,
}

/// One virtual card of the set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoCard {
    /// `current`, `replacement`, … ; also the card file's stem.
    pub name: String,
    /// The card file: one [`CardSpec`] as JSON.
    pub file: PathBuf,
    pub profile: CardProfile,
    pub description_ja: String,
    pub description_en: String,
    /// Demo cards only: a real card's PIN is known to its holder alone.
    pub pins: Vec<DemoPin>,
    /// Serial number of the certificate the workflow signs with (PIV 9C, JPKI signing).
    pub signing_serial: Serial,
    /// Whether that certificate is on the demo root's CRL.
    pub revoked: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CardProfile {
    Piv,
    Jpki,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoPin {
    pub kind: PinKind,
    pub value: String,
    pub max_tries: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PinKind {
    /// The PIV application PIN.
    Piv,
    /// JPKI's signing password (署名用パスワード).
    JpkiSign,
    /// JPKI's authentication PIN (利用者証明用暗証番号).
    JpkiAuth,
}

/// A certificate serial number; upper-case hex in the manifest and when displayed, as certificate viewers
/// show serials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Serial(Vec<u8>);

impl Serial {
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl From<&[u8]> for Serial {
    fn from(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }
}

impl fmt::Display for Serial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02X}"))
    }
}

impl From<Serial> for String {
    fn from(serial: Serial) -> Self {
        serial.to_string()
    }
}

impl TryFrom<String> for Serial {
    type Error = String;

    fn try_from(hex: String) -> Result<Self, Self::Error> {
        let not_hex = || format!("serial {hex:?} is not hexadecimal");
        if !hex.len().is_multiple_of(2) || !hex.is_ascii() {
            return Err(not_hex());
        }
        (0..hex.len())
            .step_by(2)
            .map(|at| u8::from_str_radix(&hex[at..at + 2], 16).map_err(|_| not_hex()))
            .collect::<Result<_, _>>()
            .map(Self)
    }
}

impl DemoSet {
    /// Reads a set that [`crate::generate`] wrote into `dir`.
    pub fn load(dir: &Path) -> Result<Self, DemoCaError> {
        let path = dir.join(MANIFEST);
        let text = fs::read(&path).map_err(DemoCaError::io(&path))?;
        let set: Self =
            serde_json::from_slice(&text).map_err(|source| DemoCaError::Json { path, source })?;
        Ok(set.with_paths(|relative| dir.join(relative), dir))
    }

    /// The card named `name`, if the set has one.
    pub fn card(&self, name: &str) -> Option<&DemoCard> {
        self.cards.iter().find(|card| card.name == name)
    }

    /// The file of the CA `kind`; its certificate in the set's layout.
    pub(crate) fn ca_certificate(&self, kind: CaKind) -> &DerPem {
        match kind {
            CaKind::DemoRoot => &self.ca.demo_root,
            CaKind::Jpki => &self.ca.demo_jpki_root,
            CaKind::Untrusted => &self.ca.untrusted_root,
        }
    }

    /// The layout of a set in `dir`: where each file goes.
    pub(crate) fn layout(dir: &Path, generated_at: OffsetDateTime, cards: Vec<DemoCard>) -> Self {
        let ca_dir = dir.join("ca");
        let der_pem = |stem: &str| DerPem {
            der: ca_dir.join(format!("{stem}.der")),
            pem: ca_dir.join(format!("{stem}.pem")),
        };
        Self {
            dir: dir.to_path_buf(),
            generated_at,
            ca: CaFiles {
                demo_root: der_pem(CaKind::DemoRoot.file_stem()),
                demo_root_key: ca_dir.join(format!("{}.key.der", CaKind::DemoRoot.file_stem())),
                demo_root_crl: der_pem(&format!("{}.crl", CaKind::DemoRoot.file_stem())),
                demo_jpki_root: der_pem(CaKind::Jpki.file_stem()),
                demo_jpki_root_key: ca_dir.join(format!("{}.key.der", CaKind::Jpki.file_stem())),
                demo_jpki_root_crl: der_pem(&format!("{}.crl", CaKind::Jpki.file_stem())),
                untrusted_root: der_pem(CaKind::Untrusted.file_stem()),
            },
            cards,
        }
    }

    /// Writes `DIR/manifest.json`.
    pub(crate) fn save(&self) -> Result<(), DemoCaError> {
        let relative = self.with_paths(
            |path| path.strip_prefix(&self.dir).unwrap_or(path).to_path_buf(),
            &self.dir,
        );
        let path = self.dir.join(MANIFEST);
        let json = serde_json::to_vec_pretty(&relative).map_err(|source| DemoCaError::Json {
            path: path.clone(),
            source,
        })?;
        crate::write(&path, &json)
    }

    /// This set with every file path passed through `map` and its directory set to `dir`.
    fn with_paths(&self, map: impl Fn(&Path) -> PathBuf, dir: &Path) -> Self {
        let der_pem = |files: &DerPem| DerPem {
            der: map(&files.der),
            pem: map(&files.pem),
        };
        Self {
            dir: dir.to_path_buf(),
            generated_at: self.generated_at,
            ca: CaFiles {
                demo_root: der_pem(&self.ca.demo_root),
                demo_root_key: map(&self.ca.demo_root_key),
                demo_root_crl: der_pem(&self.ca.demo_root_crl),
                demo_jpki_root: der_pem(&self.ca.demo_jpki_root),
                demo_jpki_root_key: map(&self.ca.demo_jpki_root_key),
                demo_jpki_root_crl: der_pem(&self.ca.demo_jpki_root_crl),
                untrusted_root: der_pem(&self.ca.untrusted_root),
            },
            cards: self
                .cards
                .iter()
                .map(|card| DemoCard {
                    file: map(&card.file),
                    ..card.clone()
                })
                .collect(),
        }
    }
}

impl DemoCard {
    /// The card as planned, its file in `dir/cards/`.
    pub(crate) fn from_plan(plan: &CardPlan, dir: &Path, signing_serial: Serial) -> Self {
        let (profile, pins, revoked) = match &plan.profile {
            ProfilePlan::Piv(piv) => (
                CardProfile::Piv,
                vec![DemoPin {
                    kind: PinKind::Piv,
                    value: piv.pin.into(),
                    max_tries: PIV_PIN_TRIES,
                }],
                piv.revoked,
            ),
            ProfilePlan::Jpki(jpki) => (
                CardProfile::Jpki,
                vec![
                    DemoPin {
                        kind: PinKind::JpkiSign,
                        value: jpki.sign_password.into(),
                        max_tries: JPKI_SIGN_TRIES,
                    },
                    DemoPin {
                        kind: PinKind::JpkiAuth,
                        value: jpki.auth_pin.into(),
                        max_tries: JPKI_AUTH_TRIES,
                    },
                ],
                false,
            ),
        };
        Self {
            name: plan.name.into(),
            file: dir.join("cards").join(format!("{}.json", plan.name)),
            profile,
            description_ja: plan.description_ja.into(),
            description_en: plan.description_en.into(),
            pins,
            signing_serial,
            revoked,
        }
    }

    /// The card's PIN of `kind` (demo cards only).
    pub fn pin(&self, kind: PinKind) -> Option<&str> {
        self.pins
            .iter()
            .find(|pin| pin.kind == kind)
            .map(|pin| pin.value.as_str())
    }

    /// Reads the card file.
    pub fn load_spec(&self) -> Result<CardSpec, DemoCaError> {
        let text = fs::read(&self.file).map_err(DemoCaError::io(&self.file))?;
        serde_json::from_slice(&text).map_err(|source| DemoCaError::Json {
            path: self.file.clone(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_hex_round_trip() {
        let serial = Serial::from(&[0x4a, 0x00, 0xff][..]);
        assert_eq!(serial.to_string(), "4A00FF");
        assert_eq!(Serial::try_from("4a00FF".to_string()).unwrap(), serial);
        assert!(Serial::try_from("4A0".to_string()).is_err());
        assert!(Serial::try_from("ZZ".to_string()).is_err());
        assert!(Serial::try_from("あ".to_string()).is_err());
    }
}
