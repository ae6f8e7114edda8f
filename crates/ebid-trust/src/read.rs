//! Reading the certificate a card presents, the same way for validation and for its signature.

use ebid_cert::Certificate;
use rustls_pki_types::CertificateDer;
use webpki::EndEntityCert;

use crate::TrustError;

/// The certificate's facts and exact DER. DER or PEM; bytes after the certificate are ignored, as a card's
/// certificate file may be padded past its end (the facts and the checks then see the certificate alone).
pub(crate) fn certificate(bytes: &[u8]) -> Result<Certificate, TrustError> {
    ebid_cert::parse_certificate(bytes)
        .map_err(|error| TrustError::BadCertificate(error.to_string()))
}

/// webpki's view of the same certificate; it refuses, among others, unknown critical extensions.
pub(crate) fn end_entity<'a>(der: &'a CertificateDer<'a>) -> Result<EndEntityCert<'a>, TrustError> {
    EndEntityCert::try_from(der).map_err(|error| TrustError::BadCertificate(error.to_string()))
}
