//! The workflow's failures as `anyhow` errors in the user's Japanese, for `main` to print.

use ebid_workflow::RenewalError;
use ebid_workflow::messages::renewal_error;

/// `anyhow` for a workflow failure, so that `main` prints it and exits non-zero.
pub fn fail(error: RenewalError) -> anyhow::Error {
    anyhow::anyhow!(renewal_error(&error))
}
