//! Why a certificate or a signature is refused, or why the trust material could not be loaded; what webpki's
//! verdicts mean here; and which refusal the user is shown.

use std::path::PathBuf;

use ebid_protocol::RefusalCode;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum TrustError {
    /// No path from the certificate to a trusted CA: an unknown issuer, or a CA's name with another key.
    #[error("the certificate does not chain to a trusted CA")]
    UntrustedIssuer,
    #[error("the certificate has expired")]
    Expired,
    #[error("the certificate is not valid yet")]
    NotYetValid,
    #[error("the certificate is on its CA's revocation list")]
    Revoked,
    /// The path ends at a trusted CA whose own certificate has expired at the server's time (webpki does not
    /// look at an anchor's dates; the store does).
    #[error("the certificate's CA has expired: {0}")]
    IssuerExpired(String),
    /// A CA of the path has no CRL in the store (or none that covers this certificate) and the operator has
    /// not exempted it: revocation fails closed. Names the CA for the operator.
    #[error("no CRL to check revocation against: {0}")]
    RevocationUnavailable(String),
    /// The CRL that covers the certificate is past its nextUpdate, even after its file was read again.
    #[error("out-of-date CRL: {0}")]
    CrlOutOfDate(String),
    /// keyUsage without digitalSignature and nonRepudiation, or an extendedKeyUsage without clientAuth.
    #[error("the certificate's key usage does not allow signing in to the server")]
    NoSigningKeyUsage,
    #[error("the signature does not verify with the certificate's key")]
    BadSignature,
    /// Not a certificate, or one the checks cannot process (malformed, an unknown critical extension, a
    /// signature algorithm the server does not accept, a CA certificate used as a card's).
    #[error("unusable certificate: {0}")]
    BadCertificate(String),
    /// The server's own CRL cannot be relied on: badly signed, unreadable, or two CRLs of one CA, either of
    /// which webpki might pick.
    #[error("unusable CRL: {0}")]
    CrlUnusable(String),
    /// A CA certificate given to the store that cannot be a trust anchor.
    #[error("unusable CA certificate: {0}")]
    BadCaCertificate(String),
    /// A store that trusts no CA would refuse every card: a configuration mistake, said when loading.
    #[error("no CA certificate to trust")]
    NoCaCertificate,
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl TrustError {
    /// The refusal the user is shown. The server itself maps [`TrustError::Expired`] of the card used to log
    /// in to [`RefusalCode::CurrentCardExpired`] (only 新規登録 helps then). The server's revocation data
    /// being missing, unusable or old has codes of its own (a 503, worth a retry), never `server_error`.
    pub fn refusal_code(&self) -> RefusalCode {
        match self {
            Self::UntrustedIssuer => RefusalCode::UntrustedIssuer,
            Self::Expired => RefusalCode::CertificateExpired,
            Self::NotYetValid => RefusalCode::CertificateNotYetValid,
            Self::Revoked => RefusalCode::CertificateRevoked,
            Self::NoSigningKeyUsage => RefusalCode::NoSigningKeyUsage,
            Self::BadSignature => RefusalCode::BadSignature,
            Self::BadCertificate(_) => RefusalCode::BadCertificate,
            Self::IssuerExpired(_) => RefusalCode::IssuerExpired,
            Self::RevocationUnavailable(_) | Self::CrlUnusable(_) => {
                RefusalCode::RevocationUnavailable
            }
            Self::CrlOutOfDate(_) => RefusalCode::RevocationListOutOfDate,
            // Only when loading, never for a card: the server does not start.
            Self::BadCaCertificate(_) | Self::NoCaCertificate | Self::Io { .. } => {
                RefusalCode::ServerError
            }
        }
    }

    /// What a failed path validation means for the card. Anything not named here still refuses the card, as
    /// [`TrustError::BadCertificate`] with webpki's words for the log.
    pub(crate) fn from_webpki(error: webpki::Error) -> Self {
        use webpki::Error as E;
        match error {
            // A signature that fails under a trusted CA's key, or that such a key cannot even have made (an
            // ECDSA signature under an RSA CA), means that another key signed in that CA's name.
            E::UnknownIssuer
            | E::InvalidSignatureForPublicKey
            | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_)
            | E::CertDistrusted => Self::UntrustedIssuer,
            E::CertExpired { .. } => Self::Expired,
            E::CertNotValidYet { .. } => Self::NotYetValid,
            E::CertRevoked => Self::Revoked,
            // The store words these with the CRLs' and CAs' names.
            E::CrlExpired { .. } => Self::CrlOutOfDate(error.to_string()),
            E::UnknownRevocationStatus => Self::RevocationUnavailable(error.to_string()),
            E::InvalidCrlSignatureForPublicKey
            | E::IssuerNotCrlSigner
            | E::InvalidCrlNumber
            | E::UnsupportedCrlVersion
            | E::UnsupportedDeltaCrl
            | E::UnsupportedIndirectCrl
            | E::UnsupportedCrlIssuingDistributionPoint
            | E::UnsupportedRevocationReason
            | E::UnsupportedRevocationReasonsPartitioning
            | E::UnsupportedCrlSignatureAlgorithmContext(_)
            | E::UnsupportedCrlSignatureAlgorithmForPublicKeyContext(_) => {
                Self::CrlUnusable(error.to_string())
            }
            other => Self::BadCertificate(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_refusals_keep_their_own_codes_and_revocation_data_has_its_own() {
        let cases = [
            (TrustError::UntrustedIssuer, RefusalCode::UntrustedIssuer),
            (TrustError::Expired, RefusalCode::CertificateExpired),
            (TrustError::NotYetValid, RefusalCode::CertificateNotYetValid),
            (TrustError::Revoked, RefusalCode::CertificateRevoked),
            (
                TrustError::NoSigningKeyUsage,
                RefusalCode::NoSigningKeyUsage,
            ),
            (TrustError::BadSignature, RefusalCode::BadSignature),
            (
                TrustError::BadCertificate("x".into()),
                RefusalCode::BadCertificate,
            ),
            (
                TrustError::IssuerExpired("x".into()),
                RefusalCode::IssuerExpired,
            ),
            (
                TrustError::RevocationUnavailable("x".into()),
                RefusalCode::RevocationUnavailable,
            ),
            (
                TrustError::CrlUnusable("x".into()),
                RefusalCode::RevocationUnavailable,
            ),
            (
                TrustError::CrlOutOfDate("x".into()),
                RefusalCode::RevocationListOutOfDate,
            ),
            (
                TrustError::BadCaCertificate("x".into()),
                RefusalCode::ServerError,
            ),
            (TrustError::NoCaCertificate, RefusalCode::ServerError),
        ];
        for (error, code) in cases {
            assert_eq!(error.refusal_code(), code, "{error}");
        }
    }

    #[test]
    fn webpki_verdicts_map_to_the_rule_they_break() {
        assert!(matches!(
            TrustError::from_webpki(webpki::Error::UnknownIssuer),
            TrustError::UntrustedIssuer
        ));
        assert!(matches!(
            TrustError::from_webpki(webpki::Error::InvalidSignatureForPublicKey),
            TrustError::UntrustedIssuer
        ));
        assert!(matches!(
            TrustError::from_webpki(webpki::Error::CertRevoked),
            TrustError::Revoked
        ));
        assert!(matches!(
            TrustError::from_webpki(webpki::Error::UnknownRevocationStatus),
            TrustError::RevocationUnavailable(_)
        ));
        assert!(matches!(
            TrustError::from_webpki(webpki::Error::InvalidCrlSignatureForPublicKey),
            TrustError::CrlUnusable(_)
        ));
        assert!(matches!(
            TrustError::from_webpki(webpki::Error::UnsupportedCriticalExtension),
            TrustError::BadCertificate(message) if message.contains("UnsupportedCriticalExtension")
        ));
    }
}
