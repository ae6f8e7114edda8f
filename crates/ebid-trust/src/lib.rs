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
//! let now = time::OffsetDateTime::now_utc(); // the server's clock
//! let store = ebid_trust::TrustStore::from_dir(std::path::Path::new("/etc/ebid/trust"), now)?;
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
//!    CA signature algorithm webpki offers, not a CA certificate: basicConstraints cA=true makes a certificate
//!    a CA's, never a card's) → else [`TrustError::BadCertificate`].
//! 2. **Chain** to a trusted CA valid at `now`, through the store's intermediates or those given → else
//!    [`TrustError::UntrustedIssuer`], or [`TrustError::IssuerExpired`] when the only CA it chains to has
//!    expired (webpki ignores an anchor's dates; the store leaves expired ones out and says so). First,
//!    because everything else a certificate says (its dates, its usage) is only a claim until a trusted CA's
//!    signature stands behind it: an expired certificate from an unknown CA is refused as from an unknown CA.
//! 3. **Validity** at `now` → [`TrustError::Expired`] / [`TrustError::NotYetValid`].
//! 4. **Revocation**, of every certificate of the path → see the policy below: [`TrustError::Revoked`],
//!    [`TrustError::CrlOutOfDate`], [`TrustError::RevocationUnavailable`], [`TrustError::CrlUnusable`].
//! 5. **Usage**: an extendedKeyUsage, where present, must list clientAuth (the card logs in; a serverAuth-only
//!    certificate does not), and keyUsage, where present, must allow signing (digitalSignature or
//!    nonRepudiation) → else [`TrustError::NoSigningKeyUsage`].
//!
//! The store checks its own CA certificates when it loads: a trusted CA or an intermediate that is not a CA
//! certificate, or has already expired, is refused ([`TrustError::BadCaCertificate`]): the server does not
//! start with a trust configuration that cannot work.
//!
//! # Revocation policy: fail closed
//!
//! - A certificate whose CA (trusted or intermediate) has a CRL in the store is checked against it: listed →
//!   [`TrustError::Revoked`]; the CRL past its nextUpdate → [`TrustError::CrlOutOfDate`] (the user is told
//!   `revocation_list_out_of_date`, a 503: the server's data is old, not the card); the CRL badly signed →
//!   [`TrustError::CrlUnusable`].
//! - A certificate whose CA has no CRL in the store is refused: [`TrustError::RevocationUnavailable`]
//!   (`revocation_unavailable`, a 503), naming the CA for the operator. Unless the operator exempted that CA
//!   ([`TrustFiles::no_revocation_check`], `ebid-server --no-revocation-check CA-FILE`): its certificates are
//!   then accepted without a revocation check. An exemption never skips a CRL the store has.
//!   [`TrustStore::cas_without_crl`] and [`TrustStore::cas_without_revocation_check`] name those CAs so that
//!   the server says so when it starts.
//! - CRLs are kept current without a restart: before each validation the store `stat`s its CRL files (no
//!   read), reads again a file that changed, and a file whose CRL is past its nextUpdate at most once a
//!   second. A file that becomes unreadable or unusable is logged and its last good CRL stays in force until
//!   that one is past its nextUpdate. Replace a CRL file by renaming the new one over it: `stat` then always
//!   sees the change.

mod anchors;
mod ca;
mod clock;
mod crls;
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
pub use load::TrustFiles;
pub use signature::verify_signature;
pub use store::TrustStore;
pub use validated::ValidatedCertificate;
