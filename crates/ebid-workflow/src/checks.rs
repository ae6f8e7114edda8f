//! The rules the workflow explains before the server decides.

use ebid_cert::Certificate;
use ebid_protocol::{Refusal, RefusalCode};
use time::OffsetDateTime;

use crate::RenewalError;

/// Whether the current card can still authorize anything at `server_time` (the server's clock, not the
/// PC's): an expired card cannot, and the way on is 新規登録 (the manual: ※現在使用しているICカードが有効期限を
/// 過ぎている場合は、新規登録処理を行ってください。). Returns the parsed certificate.
pub fn check_current_card(
    certificate_der: &[u8],
    server_time: OffsetDateTime,
) -> Result<Certificate, RenewalError> {
    let certificate = ebid_cert::parse_certificate(certificate_der)?;
    expired_at(&certificate, server_time)?;
    Ok(certificate)
}

pub(crate) fn expired_at(
    certificate: &Certificate,
    server_time: OffsetDateTime,
) -> Result<(), RenewalError> {
    if server_time > certificate.facts().not_after {
        return Err(RenewalError::Refused(Refusal::from(
            RefusalCode::CurrentCardExpired,
        )));
    }
    Ok(())
}

/// The new card must be another card than the current one.
pub(crate) fn not_the_same(new: &Certificate, current: &Certificate) -> Result<(), RenewalError> {
    if fingerprint(new) == fingerprint(current) {
        return Err(RenewalError::SameCard);
    }
    Ok(())
}

pub(crate) fn fingerprint(certificate: &Certificate) -> &str {
    &certificate.facts().fingerprint_sha256
}
