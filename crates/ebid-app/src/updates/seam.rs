//! What the shell provides: the updater plugin, behind a trait so that this crate knows no Tauri.

use std::future::Future;
use std::pin::Pin;

use time::OffsetDateTime;

use super::{UpdateFailure, UpdateRequest};

/// A future the shell's updater returns (the plugin's are `Send`).
pub type UpdateFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, UpdateFailure>> + Send + 'a>>;

/// A newer release the feed offers this install.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateOffer {
    pub version: String,
    /// The administrator's notes, in Japanese.
    pub notes: String,
    pub published: Option<OffsetDateTime>,
    /// The running version is below the organization's minimum: install without asking.
    pub mandatory: bool,
}

/// The updater plugin as the app uses it: one offer at a time, the last one checked.
pub trait Updater: Send + Sync + 'static {
    /// The version running now.
    fn current_version(&self) -> String;

    /// Asks the feed; `None` when nothing newer is offered. A release that is not newer than the running
    /// version is refused ([`UpdateFailure::Downgrade`]), not ignored.
    fn check(&self, request: UpdateRequest) -> UpdateFuture<'_, Option<UpdateOffer>>;

    /// Downloads the offer last checked and verifies its signature against the key the app was built with;
    /// `progress` hears (bytes received, total when known).
    fn download(&self, progress: Box<dyn FnMut(u64, Option<u64>) + Send>) -> UpdateFuture<'_, ()>;

    /// Installs what was downloaded (verified again) and restarts the app. Returns only on failure, or on
    /// an OS where the installer restarts the app itself.
    fn install_and_restart(&self) -> Result<(), UpdateFailure>;
}
