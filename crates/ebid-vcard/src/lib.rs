//! Virtual JPKI and PIV cards for ebid's demo and tests.
//!
//! A card is loaded from a [`spec::CardSpec`] (written by the demo CA, crate `ebid-democa`) and answers APDUs
//! either in this process (through [`ebid_card::transport::InProcessCard`]) or behind the real pcscd, plugged
//! into vsmartcard's vpcd reader driver.

pub mod card;
mod command;
pub mod control;
pub mod error;
pub mod jpki;
mod keys;
mod link;
mod pin;
pub mod piv;
mod piv_objects;
pub mod readers;
pub mod spec;
mod sw;
mod tlv;
pub mod vpcd;

pub use card::VirtualCard;
pub use error::VcardError;
