//! What the log says of a failed step: enough to follow a renewal afterwards, nothing that could be used
//! against the contractor (the steps' events name cards by serial and fingerprint, never by PIN or token).

use std::fmt;

use crate::RenewalError;

/// A failure as a log line shows it: a refusal by its code, a network failure by its kind (its text may
/// quote an unexpected answer of the server, a login's with its session token), anything else as the user
/// reads it.
pub(crate) struct Failure<'a>(pub &'a RenewalError);

impl fmt::Display for Failure<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.0, self.0.refusal_code()) {
            (RenewalError::Client(error), _) => write!(f, "client: {}", error.kind()),
            (_, Some(code)) => write!(f, "refused: {code:?}"),
            (other, None) => write!(f, "{other}"),
        }
    }
}
