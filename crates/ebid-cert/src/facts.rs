//! The facts the confirmation screen (電子証明書更新確認) shows for one card, and their JSON.

use serde::{Serialize, Serializer};
use sha2::{Digest, Sha256};
use time::{OffsetDateTime, UtcOffset};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;
use x509_parser::time::ASN1Time;

use crate::dn::{self, HolderFacts};
use crate::key::{self, KeyUsage, PublicKeyAlgorithm};
use crate::time_jst::{days_until, jst_date_string, serialize_rfc3339};
use crate::{CertError, jpki};

/// What one certificate says, ready for the screen. Names missing from the certificate are `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// ICカード企業名称. Always `None` for JPKI, which certifies a person only.
    pub company: Option<String>,
    /// ICカード取得者氏名.
    pub holder: Option<String>,
    /// ICカード取得者住所.
    pub address: Option<String>,
    /// 証明書シリアル番号: upper-case hex, no separators, without the DER INTEGER's leading zero bytes.
    pub serial: String,
    /// 証明書発行者: the issuer's O, else its CN, Japanese when the DN has it.
    pub issuer: String,
    /// Start of validity, UTC.
    pub not_before: OffsetDateTime,
    /// End of validity, UTC (証明書有効期限 is its JST date, see [`Facts::not_after_jst`]).
    pub not_after: OffsetDateTime,
    /// SHA-256 of the whole DER certificate, upper-case hex, no separators.
    pub fingerprint_sha256: String,
    /// `None` when the certificate has no keyUsage extension.
    pub key_usage: Option<KeyUsage>,
    pub public_key: PublicKeyAlgorithm,
}

impl Facts {
    /// 証明書有効期限 as the screen writes it: the JST date of notAfter, `YYYY/MM/DD`.
    pub fn not_after_jst(&self) -> String {
        jst_date_string(self.not_after)
    }

    /// JST calendar days from `now` to the expiry date: 0 on the day of expiry, negative once expired.
    pub fn days_until_expiry(&self, now: OffsetDateTime) -> i64 {
        days_until(self.not_after, now)
    }

    /// Whether `now` lies within the validity period, both ends included (RFC 5280 §4.1.2.5).
    pub fn is_valid_at(&self, now: OffsetDateTime) -> bool {
        self.not_before <= now && now <= self.not_after
    }
}

/// The CLI's JSON. The first seven keys are a contract with the UI and scripts: keep their names and order.
impl Serialize for Facts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            company: &'a Option<String>,
            holder: &'a Option<String>,
            address: &'a Option<String>,
            serial: &'a str,
            issuer: &'a str,
            #[serde(serialize_with = "serialize_rfc3339")]
            not_after: OffsetDateTime,
            not_after_jst: String,
            #[serde(serialize_with = "serialize_rfc3339")]
            not_before: OffsetDateTime,
            fingerprint_sha256: &'a str,
            key_usage: &'a Option<KeyUsage>,
            public_key: &'a PublicKeyAlgorithm,
        }
        Json {
            company: &self.company,
            holder: &self.holder,
            address: &self.address,
            serial: &self.serial,
            issuer: &self.issuer,
            not_after: self.not_after,
            not_after_jst: self.not_after_jst(),
            not_before: self.not_before,
            fingerprint_sha256: &self.fingerprint_sha256,
            key_usage: &self.key_usage,
            public_key: &self.public_key,
        }
        .serialize(serializer)
    }
}

/// Reads the facts of `x509`, whose DER is `der`.
pub(crate) fn read(x509: &X509Certificate<'_>, der: &[u8]) -> Result<Facts, CertError> {
    let HolderFacts {
        company,
        holder,
        address,
    } = holder_facts(x509)?;
    let validity = x509.validity();
    Ok(Facts {
        company,
        holder,
        address,
        serial: upper_hex(significant_bytes(x509.raw_serial())),
        issuer: dn::display(x509.issuer())?,
        not_before: utc(&validity.not_before),
        not_after: utc(&validity.not_after),
        fingerprint_sha256: upper_hex(&Sha256::digest(der)),
        key_usage: key::key_usage(x509)?,
        public_key: key::algorithm(x509.public_key())?,
    })
}

/// Company, holder and address, each from the first source that has it:
/// 1. JPKI otherNames in subjectAltName (name, address; JPKI has no company, and its subject CN is not the
///    name, so a JPKI certificate takes nothing from its DNs);
/// 2. subjectAltName directoryName entries, in order: company CAs put the Japanese-script DN there when the
///    subject is in romaji;
/// 3. the subject DN.
fn holder_facts(x509: &X509Certificate<'_>) -> Result<HolderFacts, CertError> {
    let san = x509
        .subject_alternative_name()
        .map_err(|_| CertError::BadExtension("subjectAltName"))?;
    let general_names = san.map_or(&[][..], |san| &san.value.general_names);

    if let Some(jpki) = jpki::read(general_names)? {
        return Ok(HolderFacts {
            company: None,
            holder: jpki.holder,
            address: jpki.address,
        });
    }

    let mut facts = HolderFacts::default();
    for name in general_names {
        match name {
            GeneralName::DirectoryName(dn) => facts = facts.or(dn::holder_facts(dn)?),
            // x509-parser turns a directoryName it cannot read into `Invalid`: falling back to the romaji
            // subject would hide that the Japanese names are unreadable.
            GeneralName::Invalid(tag, _) if tag.0 == 4 => {
                return Err(CertError::BadExtension("subjectAltName"));
            }
            _ => {}
        }
    }
    Ok(facts.or(dn::holder_facts(x509.subject())?))
}

/// A DER INTEGER carries a leading 00 when its first byte is ≥ 0x80; the serial shown is the number, not
/// the encoding. A zero serial keeps one byte.
fn significant_bytes(integer: &[u8]) -> &[u8] {
    let zeros = integer.iter().take_while(|&&b| b == 0).count();
    &integer[zeros.min(integer.len().saturating_sub(1))..]
}

fn upper_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

fn utc(time: &ASN1Time) -> OffsetDateTime {
    time.to_datetime().to_offset(UtcOffset::UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_drops_leading_zero_bytes_only() {
        assert_eq!(upper_hex(significant_bytes(&[0x00, 0x80, 0x01])), "8001");
        assert_eq!(upper_hex(significant_bytes(&[0x00, 0x00, 0x0a])), "0A");
        assert_eq!(upper_hex(significant_bytes(&[0x12, 0x00])), "1200");
        assert_eq!(upper_hex(significant_bytes(&[0x00])), "00");
        assert_eq!(upper_hex(significant_bytes(&[])), "");
    }
}
