//! The virtual cards driven with raw APDUs through the public API, as a reader would: one test binary, so
//! the RSA keys are generated once.

mod fixtures;
mod jpki;
mod piv;
mod signing_card;
