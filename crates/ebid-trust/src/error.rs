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
    /// keyUsage without digitalSignature and nonRepudiation, or an extendedKeyUsage without clientAuth.
    #[error("the certificate's key usage does not allow signing in to the server")]
    NoSigningKeyUsage,
    #[error("the signature does not verify with the certificate's key")]
    BadSignature,
    /// Not a certificate, or one the checks cannot process (malformed, an unknown critical extension, a
    /// signature algorithm the server does not accept, a CA certificate used as a card's).
    #[error("unusable certificate: {0}")]
    BadCertificate(String),
    /// The server's own CRL cannot be relied on: past its nextUpdate, badly signed, unreadable, or two CRLs
    /// of one CA, either of which webpki might pick.
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
    /// in to [`RefusalCode::CurrentCardExpired`] (only 新規登録 helps then).
    pub fn refusal_code(&self) -> RefusalCode {
        match self {
            Self::UntrustedIssuer => RefusalCode::UntrustedIssuer,
            Self::Expired => RefusalCode::CertificateExpired,
            Self::NotYetValid => RefusalCode::CertificateNotYetValid,
            Self::Revoked => RefusalCode::CertificateRevoked,
            Self::NoSigningKeyUsage => RefusalCode::NoSigningKeyUsage,
            Self::BadSignature => RefusalCode::BadSignature,
            Self::BadCertificate(_) => RefusalCode::BadCertificate,
            // The server's trust material is at fault, not the card: the user can only try again later.
            Self::CrlUnusable(_)
            | Self::BadCaCertificate(_)
            | Self::NoCaCertificate
            | Self::Io { .. } => RefusalCode::ServerError,
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
            E::CrlExpired { .. }
            | E::InvalidCrlSignatureForPublicKey
            | E::IssuerNotCrlSigner
            | E::UnknownRevocationStatus
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
    fn card_refusals_keep_their_own_codes_and_server_faults_are_server_errors() {
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
                TrustError::CrlUnusable("x".into()),
                RefusalCode::ServerError,
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
            TrustError::CrlUnusable(_)
        ));
        assert!(matches!(
            TrustError::from_webpki(webpki::Error::UnsupportedCriticalExtension),
            TrustError::BadCertificate(message) if message.contains("UnsupportedCriticalExtension")
        ));
    }
}
