//! ebid's demo certification authority.
//!
//! [`generate`] writes, into one directory, the demo set of virtual cards that the demo and every test use:
//! three CAs (the trusted demo root, a demo JPKI CA, a root nobody trusts), the CRLs of the two trusted ones, one
//! [`ebid_vcard::spec::CardSpec`] file a card, and a manifest ([`DemoSet`]) that says what each card is
//! for. Validity periods are relative to the `now` given, so a test can put the set anywhere in time.
//!
//! It also writes the demo's registrations as a seed file for `ebid-server --seed` (`registrations.json`,
//! the registered cards' certificates in `registrations/`); [`DemoSet::server_args`] are the arguments that
//! seed the server with them and make it trust the demo CAs.
//!
//! [`DemoSet::issue_load_pairs`] issues, in memory, the synthetic users of a load run: a current card and its
//! replacement each, from the demo root's saved key.
//!
//! ```text
//! DIR/manifest.json
//! DIR/ca/demo-root.{der,pem}  demo-root.key.der  demo-root.crl.{der,pem}
//! DIR/ca/demo-jpki-root.{der,pem}  demo-jpki-root.key.der  demo-jpki-root.crl.{der,pem}
//! DIR/ca/untrusted-root.{der,pem}
//! DIR/cards/<name>.json
//! DIR/registrations.json  DIR/registrations/<name>.der
//! ```

mod ca;
mod cards;
mod crl;
mod der;
mod error;
mod issue;
mod keys;
mod load;
mod manifest;
mod names;
mod parallel;
mod period;
mod registrations;

use std::fs;
use std::path::Path;

use rcgen::CertificateRevocationList;
use time::OffsetDateTime;

pub use error::DemoCaError;
pub use load::{LOAD_COMPANY, LOAD_COMPANY_ADDRESS, LoadPair, load_holder};
pub use manifest::{CaFiles, CardProfile, DemoCard, DemoPin, DemoSet, DerPem, PinKind, Serial};

use ca::{CaKind, DemoCas};
use cards::CARDS;
use issue::IssuedCard;

/// Generates a fresh demo set into `out` (created if missing; files of an earlier set are overwritten),
/// with every validity period relative to `now`. Keys are new each time.
pub fn generate(out: &Path, now: OffsetDateTime) -> Result<DemoSet, DemoCaError> {
    let cas = DemoCas::generate(now)?;
    let issued: Vec<IssuedCard> = parallel::map(CARDS, |plan| issue::card(plan, &cas, now))
        .into_iter()
        .collect::<Result<_, _>>()?;

    let cards = CARDS
        .iter()
        .zip(&issued)
        .map(|(plan, card)| DemoCard::from_plan(plan, out, card.serial.as_ref().into()))
        .collect();
    let set = DemoSet::layout(out, now, cards);

    for kind in CaKind::ALL {
        let files = set.ca_certificate(kind);
        write(&files.der, cas.get(kind).der())?;
        write(&files.pem, cas.get(kind).pem().as_bytes())?;
    }
    let root = cas.get(CaKind::DemoRoot);
    write(&set.ca.demo_root_key, root.key().serialized_der())?;
    let revoked: Vec<_> = set
        .cards
        .iter()
        .zip(&issued)
        .filter(|(card, _)| card.revoked)
        .map(|(_, issued)| issued.serial.clone())
        .collect();
    write_crl(
        &set.ca.demo_root_crl,
        &crl::issue(root, &revoked, now, now)?,
    )?;
    let jpki = cas.get(CaKind::Jpki);
    write(&set.ca.demo_jpki_root_key, jpki.key().serialized_der())?;
    write_crl(
        &set.ca.demo_jpki_root_crl,
        &crl::issue(jpki, &[], now, now)?,
    )?;

    for (card, issued) in set.cards.iter().zip(&issued) {
        let json = serde_json::to_vec_pretty(&issued.spec).map_err(|source| DemoCaError::Json {
            path: card.file.clone(),
            source,
        })?;
        write(&card.file, &json)?;
    }
    let specs: Vec<_> = set
        .cards
        .iter()
        .zip(&issued)
        .map(|(card, issued)| (card.name.as_str(), &issued.spec))
        .collect();
    registrations::write(&set, &specs)?;
    set.save()?;
    Ok(set)
}

fn write_crl(files: &DerPem, crl: &CertificateRevocationList) -> Result<(), DemoCaError> {
    write(&files.der, crl.der())?;
    write(&files.pem, crl.pem()?.as_bytes())
}

/// Writes a file, creating its directory first.
fn write(path: &Path, bytes: &[u8]) -> Result<(), DemoCaError> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(DemoCaError::io(dir))?;
    }
    fs::write(path, bytes).map_err(DemoCaError::io(path))
}
