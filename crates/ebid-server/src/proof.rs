//! A card's answer to a challenge: its certificate, readable; its signature over exactly the challenge's bytes.
//! And what the trust store's verdicts mean for the user.

use ebid_cert::Certificate;
use ebid_protocol::{CardProof, Challenge, RefusalCode};
use ebid_trust::TrustError;

/// The proof's certificate, once its signature over `challenge` verifies with the certificate's key.
///
/// A signature made over the same challenge naming another origin (what a phishing server relaying this
/// server's challenge obtains from a card) fails here as `bad_signature`: the server cannot tell it from
/// any other wrong signature, as it only knows the bytes it expected, and the user's remedy is the same
/// (sign again, here).
pub(crate) fn verify_card(
    challenge: &Challenge,
    proof: &CardProof,
) -> Result<Certificate, RefusalCode> {
    let certificate = ebid_cert::parse_certificate(&proof.certificate)
        .map_err(|_| RefusalCode::BadCertificate)?;
    ebid_trust::verify_signature(
        certificate.der(),
        &challenge.to_be_signed(),
        &proof.signature,
        proof.algorithm,
    )
    .map_err(|error| match error {
        TrustError::BadCertificate(_) => RefusalCode::BadCertificate,
        _ => RefusalCode::BadSignature,
    })?;
    Ok(certificate)
}

/// The refusal for a certificate the trust store refuses. When the server's own trust material is at
/// fault (no CRL of the card's CA, a CRL past its nextUpdate, a trusted CA that has expired), the user is
/// told so in general terms and the operator reads here which CA or CRL.
pub(crate) fn trust_refusal(error: &TrustError) -> RefusalCode {
    let code = error.refusal_code();
    if matches!(
        code,
        RefusalCode::RevocationUnavailable
            | RefusalCode::RevocationListOutOfDate
            | RefusalCode::IssuerExpired
            | RefusalCode::ServerError
    ) {
        tracing::warn!(%error, refusal = ?code, "a card was refused for the server's trust material");
    }
    code
}

/// The refusal for the card the user logged in with: once it has expired only 新規登録 helps.
pub(crate) fn current_card_refusal(error: &TrustError) -> RefusalCode {
    match trust_refusal(error) {
        RefusalCode::CertificateExpired => RefusalCode::CurrentCardExpired,
        code => code,
    }
}
