//! Who the demo certificates name, and how each name is written into a certificate.

use rcgen::{CustomExtension, DistinguishedName, DnType, DnValue, OtherNameValue, SanType};

use crate::der::{self, DerString};

/// A company card's holder: the company, the person in it, and the company's address.
#[derive(Debug)]
pub(crate) struct Party {
    pub company: &'static str,
    pub holder: &'static str,
    pub prefecture: &'static str,
    /// City and street address, the rest of the address after the prefecture.
    pub locality: &'static str,
}

/// A マイナンバーカード holder, as JPKI's signing certificate names them.
#[derive(Debug)]
pub(crate) struct Person {
    pub name: &'static str,
    pub address: &'static str,
    /// YYYYMMDD.
    pub birth_date: &'static str,
    /// 1 male, 2 female, 3 not given (as the resident register codes it).
    pub gender: &'static str,
    /// The subject's localities, romanised, as real JPKI signing certificates write them.
    pub prefecture_romaji: &'static str,
    pub city_romaji: &'static str,
}

const COUNTRY: &[u64] = &[2, 5, 4, 6];
const STATE: &[u64] = &[2, 5, 4, 8];
const LOCALITY: &[u64] = &[2, 5, 4, 7];
const ORGANIZATION: &[u64] = &[2, 5, 4, 10];
const COMMON_NAME: &[u64] = &[2, 5, 4, 3];
const SUBJECT_ALT_NAME: &[u64] = &[2, 5, 29, 17];

/// JPKI's subjectAltName otherNames (J-LIS's arc 1.2.392.200149.8.5.5).
const JPKI_NAME: &[u64] = &[1, 2, 392, 200_149, 8, 5, 5, 1];
const JPKI_GENDER: &[u64] = &[1, 2, 392, 200_149, 8, 5, 5, 3];
const JPKI_BIRTH_DATE: &[u64] = &[1, 2, 392, 200_149, 8, 5, 5, 4];
const JPKI_ADDRESS: &[u64] = &[1, 2, 392, 200_149, 8, 5, 5, 5];

/// Country is a PrintableString in every certificate: X.520 defines it so.
pub(crate) fn japan() -> Result<DnValue, rcgen::Error> {
    Ok(DnValue::PrintableString("JP".try_into()?))
}

pub(crate) fn printable(text: &str) -> Result<DnValue, rcgen::Error> {
    Ok(DnValue::PrintableString(text.try_into()?))
}

/// The subject as most accredited CAs write it: in kanji, UTF8String.
pub(crate) fn kanji_subject(party: &Party) -> Result<DistinguishedName, rcgen::Error> {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, japan()?);
    dn.push(DnType::StateOrProvinceName, party.prefecture);
    dn.push(DnType::LocalityName, party.locality);
    dn.push(DnType::OrganizationName, party.company);
    dn.push(DnType::CommonName, party.holder);
    Ok(dn)
}

/// The subject as older cards write it: romanised, PrintableString.
pub(crate) fn romaji_subject(
    organization: &str,
    common_name: &str,
) -> Result<DistinguishedName, rcgen::Error> {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, japan()?);
    dn.push(DnType::OrganizationName, printable(organization)?);
    dn.push(DnType::CommonName, printable(common_name)?);
    Ok(dn)
}

/// A subjectAltName holding the party's kanji name as a directoryName, beside a romanised subject.
pub(crate) fn kanji_alt_name(party: &Party) -> CustomExtension {
    let value = der::directory_name_alt_name(&[
        (COUNTRY, DerString::Printable("JP")),
        (STATE, DerString::Utf8(party.prefecture)),
        (LOCALITY, DerString::Utf8(party.locality)),
        (ORGANIZATION, DerString::Utf8(party.company)),
        (COMMON_NAME, DerString::Utf8(party.holder)),
    ]);
    CustomExtension::from_oid_content(SUBJECT_ALT_NAME, value)
}

/// A JPKI signing certificate's subject: no personal data, only the country, the localities of the issuing
/// municipality and a serial-like common name; the person is in the subjectAltName.
pub(crate) fn jpki_sign_subject(
    person: &Person,
    common_name: &str,
) -> Result<DistinguishedName, rcgen::Error> {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, japan()?);
    dn.push(DnType::LocalityName, printable(person.prefecture_romaji)?);
    // rcgen keeps one value per attribute type, but JPKI's subject has two localities; the same OID spelt
    // as a custom type is a second key that writes the same attribute.
    dn.push(
        DnType::CustomDnType(LOCALITY.to_vec()),
        printable(person.city_romaji)?,
    );
    dn.push(DnType::CommonName, printable(common_name)?);
    Ok(dn)
}

/// A JPKI authentication certificate's subject: nothing about the person at all.
pub(crate) fn jpki_auth_subject(common_name: &str) -> Result<DistinguishedName, rcgen::Error> {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CountryName, japan()?);
    dn.push(DnType::CommonName, printable(common_name)?);
    Ok(dn)
}

/// The person's name, gender, birth date and address as UTF8String otherNames.
pub(crate) fn jpki_alt_names(person: &Person) -> Vec<SanType> {
    [
        (JPKI_NAME, person.name),
        (JPKI_GENDER, person.gender),
        (JPKI_BIRTH_DATE, person.birth_date),
        (JPKI_ADDRESS, person.address),
    ]
    .into_iter()
    .map(|(oid, value)| {
        SanType::OtherName((oid.to_vec(), OtherNameValue::Utf8String(value.into())))
    })
    .collect()
}
