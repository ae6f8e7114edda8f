//! IC card access for ebid.
//!
//! Layers, from the wire up: [`apdu`] and [`status`] (ISO 7816-4), [`transport`] (one exchange; PC/SC in
//! [`pcsc_backend`] or a card in this process), [`channel`] (61xx, 6Cxx, chaining, extended length), and the
//! profiles [`jpki`] and [`piv`] behind the [`profile::SigningCard`] trait the workflow uses. [`monitor`]
//! reports readers and cards coming and going. The PIN lives in [`pin::Pin`], wiped when dropped.

pub mod apdu;
pub mod channel;
pub mod error;
pub mod jpki;
pub mod monitor;
pub mod pcsc_backend;
pub mod pin;
pub mod piv;
pub mod profile;
pub mod status;
mod tlv;
pub mod transport;

pub use error::{CardError, TransportError};
pub use monitor::{ReaderEvent, ReaderMonitor};
pub use pcsc_backend::{Pcsc, PcscCard, ReaderInfo};
pub use pin::{Pin, PinFormat, PinStatus};
pub use profile::{Profile, Signature, SignatureAlgorithm, SigningCard, open, sha256_digest_info};
