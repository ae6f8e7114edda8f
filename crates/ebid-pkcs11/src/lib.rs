//! IC cards reached through a PKCS#11 module: the accredited CAs' middleware, beside ebid-card's PC/SC path.
//!
//! A [`Module`] is loaded from a path the administrator or the user chose (none is invented here), lists its
//! slots that hold a token ([`TokenSlot`]), and opens one as a [`Token`], which implements
//! [`ebid_card::SigningCard`]: the workflow above it does not know the card is not spoken to over APDUs.

mod ecdsa_der;
mod error;
mod module;
mod token;

pub use error::ModuleError;
pub use module::{Module, TokenSlot};
pub use token::Token;
