//! The names of CAs and CRL issuers as the operator reads them, for messages about the trust material.

/// The subject of a CA certificate, `C=JP, O=..., CN=...`; `None` if x509-parser cannot read it.
pub(crate) fn certificate_subject(der: &[u8]) -> Option<String> {
    let (_, certificate) = x509_parser::parse_x509_certificate(der).ok()?;
    Some(certificate.subject().to_string())
}

/// The issuer of a CRL; `None` if x509-parser cannot read it.
pub(crate) fn crl_issuer(der: &[u8]) -> Option<String> {
    let (_, crl) = x509_parser::parse_x509_crl(der).ok()?;
    Some(crl.issuer().to_string())
}
