//! Certificates of the IC cards ebid renews: the facts the 電子証明書更新確認 screen shows, read from a DER
//! or PEM certificate, and name comparisons made as a clerk would make them.
//!
//! ```no_run
//! # fn main() -> Result<(), ebid_cert::CertError> {
//! # let bytes: Vec<u8> = Vec::new();
//! let certificate = ebid_cert::parse_certificate(&bytes)?;
//! let facts = certificate.facts();
//! println!("{:?} until {}", facts.holder, facts.not_after_jst());
//! # Ok(())
//! # }
//! ```

mod dn;
mod error;
mod facts;
mod fold;
mod input;
mod jpki;
mod key;
mod strings;
mod time_jst;

pub mod company_name;
pub mod holder_name;
pub mod invisible;

pub use error::CertError;
pub use facts::Facts;
pub use key::{KeyUsage, PublicKeyAlgorithm};

/// A parsed certificate: its DER and the facts read from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    der: Vec<u8>,
    facts: Facts,
}

impl Certificate {
    /// The certificate's DER, exactly the bytes of the certificate (any PEM armour or trailing bytes gone).
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    pub fn facts(&self) -> &Facts {
        &self.facts
    }
}

/// Reads a certificate from DER or PEM (recognised by its `-----BEGIN` line).
///
/// Bytes after the DER certificate are ignored: a card's certificate file is read in fixed-size chunks
/// and may be padded past the certificate's end.
pub fn parse_certificate(bytes: &[u8]) -> Result<Certificate, CertError> {
    let mut der = input::to_der(bytes)?.into_owned();
    let (length, facts) = {
        let (rest, x509) = x509_parser::parse_x509_certificate(&der)
            .map_err(|e| CertError::BadDer(e.to_string()))?;
        let length = der.len() - rest.len();
        (length, facts::read(&x509, &der[..length])?)
    };
    der.truncate(length);
    Ok(Certificate { der, facts })
}
