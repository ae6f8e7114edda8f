//! DER or PEM in, DER out.

use std::borrow::Cow;

use x509_parser::pem::Pem;

use crate::CertError;

/// DER is taken as it is (a certificate starts with a SEQUENCE tag, 0x30); text with a `-----BEGIN` line is
/// PEM and gives its first CERTIFICATE block, so a file with a key or chain text around it still works.
pub(crate) fn to_der(bytes: &[u8]) -> Result<Cow<'_, [u8]>, CertError> {
    if bytes.first() == Some(&0x30) {
        return Ok(Cow::Borrowed(bytes));
    }
    if !bytes
        .windows(b"-----BEGIN".len())
        .any(|w| w == b"-----BEGIN")
    {
        return Err(CertError::NotCertificate);
    }
    for block in Pem::iter_from_buffer(bytes) {
        let block = block.map_err(|e| CertError::BadPem(e.to_string()))?;
        if block.label == "CERTIFICATE" {
            return Ok(Cow::Owned(block.contents));
        }
    }
    Err(CertError::NoPemCertificate)
}
