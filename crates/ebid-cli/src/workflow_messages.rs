//! The workflow's outcomes in the Japanese the user reads, with the next step where a rule refused.

use ebid_workflow::{RenewalError, next_step_ja};

use crate::messages;

pub fn renewal_error(error: &RenewalError) -> String {
    let text = match error {
        RenewalError::Card(card) => messages::card_error(card),
        other => other.to_string(),
    };
    // A rule's refusal names its next step (新規登録, 変更…); the other messages already say what to do.
    let next = match error {
        RenewalError::Refused(_) | RenewalError::Violations(_) => error.next_step(),
        _ => None,
    };
    match next.map(next_step_ja) {
        Some(step) if !text.contains(step.trim_end_matches('。')) => format!("{text}\n{step}"),
        _ => text,
    }
}

/// `anyhow` for a workflow failure, so that `main` prints it and exits non-zero.
pub fn fail(error: RenewalError) -> anyhow::Error {
    anyhow::anyhow!(renewal_error(&error))
}

#[cfg(test)]
mod tests {
    use ebid_protocol::RefusalCode;

    use super::*;

    #[test]
    fn a_refusal_names_its_next_step_once() {
        let expired = RenewalError::Refused(RefusalCode::CurrentCardExpired.into());
        let text = renewal_error(&expired);
        assert_eq!(
            text.matches("新規登録処理を行ってください").count(),
            1,
            "{text}"
        );

        let revoked = RenewalError::Refused(RefusalCode::CertificateRevoked.into());
        assert!(
            renewal_error(&revoked)
                .ends_with("\nICカードの発行元（認証局）にお問い合わせください。")
        );
    }
}
