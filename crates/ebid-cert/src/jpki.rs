//! JPKI (マイナンバーカード) signing certificates carry the holder's name and address as UTF8String
//! otherNames in subjectAltName; their subject CN is not the name, and they have no company.

use x509_parser::asn1_rs::{Any, Class, FromDer, Oid};
use x509_parser::extensions::GeneralName;

use crate::CertError;
use crate::strings::decode;

/// 1.2.392.200149.8.5.5.1: the holder's name (氏名).
const NAME: [u64; 8] = [1, 2, 392, 200149, 8, 5, 5, 1];
/// 1.2.392.200149.8.5.5.5: the holder's address (住所).
const ADDRESS: [u64; 8] = [1, 2, 392, 200149, 8, 5, 5, 5];

/// The name and address of a JPKI certificate.
pub(crate) struct JpkiFacts {
    pub(crate) holder: Option<String>,
    pub(crate) address: Option<String>,
}

/// `None` when the subjectAltName holds no JPKI otherName, i.e. the certificate is not JPKI's.
pub(crate) fn read(names: &[GeneralName<'_>]) -> Result<Option<JpkiFacts>, CertError> {
    let (mut is_jpki, mut holder, mut address) = (false, None, None);
    for name in names {
        match name {
            GeneralName::OtherName(oid, value) => {
                let slot = match jpki_field(oid) {
                    Some(Field::Name) => &mut holder,
                    Some(Field::Address) => &mut address,
                    None => continue,
                };
                is_jpki = true;
                if slot.is_none() {
                    *slot = Some(text(value, &oid.to_id_string())?).filter(|t| !t.is_empty());
                }
            }
            // x509-parser turns an otherName it cannot read into `Invalid`; it may be the JPKI name.
            GeneralName::Invalid(tag, _) if tag.0 == 0 => {
                return Err(CertError::BadExtension("subjectAltName"));
            }
            _ => {}
        }
    }
    Ok(is_jpki.then_some(JpkiFacts { holder, address }))
}

enum Field {
    Name,
    Address,
}

fn jpki_field(oid: &Oid<'_>) -> Option<Field> {
    let arcs: Vec<u64> = oid.iter()?.collect();
    if arcs == NAME {
        Some(Field::Name)
    } else if arcs == ADDRESS {
        Some(Field::Address)
    } else {
        None
    }
}

/// An otherName value is `[0] EXPLICIT` around the string.
fn text(value: &[u8], attribute: &str) -> Result<String, CertError> {
    let malformed = || CertError::BadExtension("subjectAltName");
    let (_, explicit) = Any::from_der(value).map_err(|_| malformed())?;
    if explicit.class() != Class::ContextSpecific || explicit.tag().0 != 0 {
        return Err(malformed());
    }
    let (_, string) = Any::from_der(explicit.data).map_err(|_| malformed())?;
    Ok(decode(&string, attribute)?.trim().to_owned())
}
