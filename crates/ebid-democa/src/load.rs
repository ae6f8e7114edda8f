//! Synthetic "load" cards, for load runs of the registration server: many users of one company, each with the
//! card in use and its replacement, issued in memory by the demo root from its saved key.
//!
//! ECDSA P-256 keys, because thousands of RSA keys would take minutes to make; the certificates are otherwise
//! shaped like the demo cards' (kanji subject, signing key usage, issued by "ebid デモ認証局"). Nothing is
//! written: a load run registers the certificates and signs with the keys in memory.

use std::fs;
use std::path::Path;

use ebid_vcard::spec::KeySlot;
use rcgen::{DistinguishedName, DnType, Issuer, KeyPair};
use time::OffsetDateTime;

use crate::cards::SIGNING;
use crate::issue::{Names, end_entity};
use crate::names::{Party, kanji_subject};
use crate::parallel;
use crate::period::{Shift, Validity};
use crate::{DemoCaError, DemoSet, keys};

/// ICカード企業名称 of every load card.
pub const LOAD_COMPANY: &str = "株式会社負荷試験建設";

/// The company's address as the load cards name it: prefecture, then city and street.
pub const LOAD_COMPANY_ADDRESS: &str = "長崎県長崎市出島町1番1号";

/// The load cards' subject, but for the holder, which [`load_holder`] gives each pair.
const LOAD_PARTY: Party = Party {
    company: LOAD_COMPANY,
    holder: "負荷 太郎",
    prefecture: "長崎県",
    locality: "長崎市出島町1番1号",
};

/// The card in use: issued a year ago, expires in 30 days, so that a renewal is due.
const CURRENT: Validity = Validity {
    not_before: Shift::years_days(-1, 0),
    not_after: Shift::days(30),
};

/// Its replacement: valid from yesterday for four years, so that it stays valid longer than `CURRENT`.
const REPLACEMENT: Validity = Validity {
    not_before: Shift::days(-1),
    not_after: Shift::years_days(4, 0),
};

/// One load user's two cards: same company, same holder, fresh P-256 keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadPair {
    /// ICカード取得者氏名, as [`load_holder`] spells it.
    pub holder: String,
    /// The card in use, valid from a year ago to 30 days from `now`.
    pub current: KeySlot,
    /// The card that renews it, valid from a day ago to four years from `now`.
    pub replacement: KeySlot,
}

/// The holder of load pair `index` (counted from 0): 負荷 太郎0001, 負荷 太郎0002, …
pub fn load_holder(index: usize) -> String {
    format!("{}{:04}", LOAD_PARTY.holder, index + 1)
}

impl DemoSet {
    /// Issues `count` load pairs from this set's demo root (its saved key), with validity periods relative to
    /// `now`; pair `i` names [`load_holder`]`(i)` at [`LOAD_COMPANY`]. The keys are made on every core.
    pub fn issue_load_pairs(
        &self,
        count: usize,
        now: OffsetDateTime,
    ) -> Result<Vec<LoadPair>, DemoCaError> {
        let read = |path: &Path| fs::read(path).map_err(DemoCaError::io(path));
        let key = keys::rsa_from_pkcs8(&read(&self.ca.demo_root_key)?)?;
        let root = read(&self.ca.demo_root.der)?;
        let issuer = Issuer::from_ca_cert_der(&root.into(), key)?;
        let indices: Vec<usize> = (0..count).collect();
        parallel::map(&indices, |&index| pair(index, &issuer, now))
            .into_iter()
            .collect()
    }
}

fn pair(
    index: usize,
    issuer: &Issuer<'_, KeyPair>,
    now: OffsetDateTime,
) -> Result<LoadPair, DemoCaError> {
    let holder = load_holder(index);
    let card = |validity: Validity| -> Result<KeySlot, DemoCaError> {
        let names = Names {
            subject: subject(&holder)?,
            alt_names: Vec::new(),
            extensions: Vec::new(),
        };
        end_entity(names, SIGNING, validity, now)?.sign(keys::p256()?, issuer)
    };
    Ok(LoadPair {
        current: card(CURRENT)?,
        replacement: card(REPLACEMENT)?,
        holder,
    })
}

/// [`LOAD_PARTY`]'s kanji subject with `holder` as its common name. rcgen keeps one value an attribute type,
/// so pushing the common name again replaces the template's, in its place.
fn subject(holder: &str) -> Result<DistinguishedName, rcgen::Error> {
    let mut subject = kanji_subject(&LOAD_PARTY)?;
    subject.push(DnType::CommonName, holder);
    Ok(subject)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holders_are_numbered_from_one() {
        assert_eq!(load_holder(0), "負荷 太郎0001");
        assert_eq!(load_holder(41), "負荷 太郎0042");
    }

    #[test]
    fn the_holder_replaces_the_template_common_name_in_place() {
        let subject = subject("負荷 太郎0007").unwrap();
        let types: Vec<&DnType> = subject.iter().map(|(ty, _)| ty).collect();
        assert_eq!(
            types,
            [
                &DnType::CountryName,
                &DnType::StateOrProvinceName,
                &DnType::LocalityName,
                &DnType::OrganizationName,
                &DnType::CommonName
            ]
        );
        assert_eq!(
            subject.get(&DnType::CommonName),
            Some(&rcgen::DnValue::Utf8String("負荷 太郎0007".into()))
        );
    }
}
