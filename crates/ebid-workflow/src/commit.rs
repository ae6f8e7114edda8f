//! How often one 【更新】 is sent. The server's commit is idempotent (the same renewal id answers the same
//! result), so an answer lost on the way is asked again with the same id; this policy is the only place that
//! repeats it: the client sends each commit exactly once, so one press of 【更新】 is at most
//! [`CommitPolicy::attempts`] POSTs, whoever presses it (the CLI or the app).

use std::time::Duration;

use crate::RenewalError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommitPolicy {
    /// POSTs of one 【更新】 at most, the first included.
    pub attempts: u32,
    /// The pause before sending again, to let a network hiccup pass.
    pub pause: Duration,
}

impl CommitPolicy {
    /// Three POSTs, two seconds apart: enough for a dropped kept-alive connection or a proxy's hiccup,
    /// short enough for the user to be told soon that the outcome is unknown.
    pub const DEFAULT: Self = Self {
        attempts: 3,
        pause: Duration::from_secs(2),
    };

    /// Whether `error` leaves the outcome open and the same commit may be sent again: the request never
    /// reached the server, or its answer was lost. A refusal is the server's answer and is never repeated.
    pub fn retries(error: &RenewalError) -> bool {
        matches!(error, RenewalError::Client(client) if client.is_retryable())
    }
}

impl Default for CommitPolicy {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// What a commit sent again reports, for a screen to say (the CLI prints it; the app shows progress).
#[derive(Debug)]
pub struct CommitResend<'a> {
    /// The attempt about to be sent (2 for the first repeat).
    pub attempt: u32,
    /// Why the previous one gave no answer (a [`RenewalError::Client`] that [`CommitPolicy::retries`]).
    pub cause: &'a RenewalError,
}

#[cfg(test)]
mod tests {
    use ebid_client::ClientError;
    use ebid_protocol::RefusalCode;

    use super::*;

    #[test]
    fn only_an_open_outcome_is_sent_again() {
        let lost = RenewalError::from(ClientError::Interrupted("cut".into()));
        let unreachable = RenewalError::from(ClientError::Unreachable("refused".into()));
        let refused = RenewalError::from(ClientError::Refused(RefusalCode::SessionEnded.into()));
        let unexpected = RenewalError::from(ClientError::Protocol("html".into()));
        assert!(CommitPolicy::retries(&lost));
        assert!(CommitPolicy::retries(&unreachable));
        assert!(!CommitPolicy::retries(&refused));
        assert!(!CommitPolicy::retries(&unexpected));
    }
}
