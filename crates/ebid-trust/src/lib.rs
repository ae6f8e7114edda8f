//! The registration server's trust decisions about a card's certificate, always at the server's time.
//!
//! [`TrustStore::validate`] answers "may this certificate speak for its holder now?": it chains to a CA the
//! organization trusts, is valid at the server's `now` (never the machine's clock: the caller passes it),
//! is not on its CA's current CRL, and may sign. [`verify_signature`] then checks the card's signature over the
//! server's challenge with the certificate's key. Every refusal is a [`TrustError`], which names the
//! [`ebid_protocol::RefusalCode`] the user is shown.
//!
//! ```no_run
//! # fn main() -> Result<(), ebid_trust::TrustError> {
//! # let (certificate, challenge, signature) = (Vec::new(), Vec::new(), Vec::new());
//! use ebid_protocol::SignatureAlgorithm;
//! let store = ebid_trust::TrustStore::from_dir(std::path::Path::new("/etc/ebid/trust"))?;
//! let now = time::OffsetDateTime::now_utc(); // the server's clock
//! let card = store.validate(&certificate, now)?;
//! ebid_trust::verify_signature(card.der(), &challenge, &signature, SignatureAlgorithm::RsaPkcs1Sha256)?;
//! println!("{:?}", card.facts().holder);
//! # Ok(())
//! # }
//! ```
//!
//! # Order of the checks
//!
//! A certificate that fails several checks is refused for the first of them, in this order:
//!
//! 1. **Readable**: X.509 that `ebid-cert` and webpki can read and process (no unknown critical extension, a
//!    CA signature algorithm webpki offers, not a CA certificate) → else [`TrustError::BadCertificate`].
//! 2. **Chain** to a trusted CA → else [`TrustError::UntrustedIssuer`]. First, because everything else a
//!    certificate says (its dates, its usage) is only a claim until a trusted CA's signature stands behind it:
//!    an expired certificate from an unknown CA is refused as from an unknown CA.
//! 3. **Validity** at `now` → [`TrustError::Expired`] / [`TrustError::NotYetValid`].
//! 4. **Revocation**: the CA's CRL must be current (before its nextUpdate) and correctly signed, else
//!    [`TrustError::CrlUnusable`] (fail closed); then the certificate must not be on it, else
//!    [`TrustError::Revoked`].
//! 5. **Usage**: an extendedKeyUsage, where present, must list clientAuth (the card logs in), and keyUsage, where
//!    present, must allow signing (digitalSignature or nonRepudiation) → else [`TrustError::NoSigningKeyUsage`].
//!
//! # Revocation policy
//!
//! A CA with a CRL in the store has every certificate it issued checked against that CRL, and a CRL past its
//! nextUpdate refuses them all. A CA without a CRL in the store has its certificates accepted without a
//! revocation check: which CRLs to load is the operator's decision, and [`TrustStore::cas_without_crl`] names
//! those CAs so that the server can say so when it starts.

mod clock;
mod error;
mod load;
mod names;
mod read;
mod revocation;
mod signature;
mod store;
mod usage;
mod validated;

pub use error::TrustError;
pub use signature::verify_signature;
pub use store::TrustStore;
pub use validated::ValidatedCertificate;
