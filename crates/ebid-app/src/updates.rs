//! Updates of the app that the organization's administrator publishes on its server (`ebid-server release`):
//! a check at start and every few hours, the offer with its notes in Japanese, the download with its
//! progress, and the install with a restart when the user chooses — never while a renewal is under way, and
//! at once (as soon as no renewal is under way) when the running version is below the organization's minimum.
//!
//! The plugin that checks, verifies and installs is the shell's ([`Updater`], tauri-plugin-updater); this
//! module holds what the app decides: where to ask ([`endpoint`]), as which install ([`install_id`]), when, and
//! what each refusal means to the user ([`failure`]).

mod endpoint;
mod failure;
pub mod install_id;
mod seam;
mod service;

pub use endpoint::{UpdateRequest, feed_endpoint};
pub use failure::UpdateFailure;
pub use seam::{UpdateFuture, UpdateOffer, Updater};
pub(crate) use service::Phase;
pub use service::{RenewalGate, Updates};
