//! The one error type of the crate.
//!
//! Each variant has a short English message for logs and a stable [`CertError::code`]; the UI maps codes to
//! Japanese, so codes never change once shipped.

use thiserror::Error;

/// Why a certificate could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CertError {
    /// The bytes are neither DER (a SEQUENCE) nor PEM.
    #[error("not a certificate")]
    NotCertificate,
    /// PEM text whose blocks hold no `CERTIFICATE`.
    #[error("PEM without a CERTIFICATE block")]
    NoPemCertificate,
    /// A PEM block that cannot be decoded (broken header or base64).
    #[error("malformed PEM: {0}")]
    BadPem(String),
    /// A DER SEQUENCE that is not a valid X.509 certificate.
    #[error("bad DER certificate: {0}")]
    BadDer(String),
    /// An extension the facts come from (subjectAltName, keyUsage) is malformed or repeated.
    #[error("bad {0} extension")]
    BadExtension(&'static str),
    /// A name attribute the facts come from holds bytes its string type does not allow.
    #[error("{attribute} is not a valid {string_type}")]
    BadString {
        /// Which attribute: `O`, `CN`, `ST`, `L`, `street`, or the otherName OID.
        attribute: String,
        /// The ASN.1 string type the bytes claim to be, e.g. `BMPString`.
        string_type: &'static str,
    },
}

impl CertError {
    /// A stable identifier for the UI and the CLI's JSON.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotCertificate => "not_certificate",
            Self::NoPemCertificate => "no_pem_certificate",
            Self::BadPem(_) => "bad_pem",
            Self::BadDer(_) => "bad_der",
            Self::BadExtension(_) => "bad_extension",
            Self::BadString { .. } => "bad_string",
        }
    }
}
