//! The workflow's failures as `anyhow` errors in the user's Japanese, for `main` to print.

use ebid_workflow::RenewalError;
use ebid_workflow::messages::renewal_error;

use crate::registration_form::form_refused;

/// `anyhow` for a workflow failure, so that `main` prints it and exits non-zero. Details typed wrong are
/// listed a field a line.
pub fn fail(error: RenewalError) -> anyhow::Error {
    match error {
        RenewalError::Form(problems) => form_refused(&problems),
        other => anyhow::anyhow!(renewal_error(&other)),
    }
}
