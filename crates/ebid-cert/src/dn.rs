//! What a distinguished name (the subject, or a subjectAltName directoryName) says about the holder, and how
//! an issuer's name is shown.

use x509_parser::asn1_rs::Oid;
use x509_parser::oid_registry::{
    OID_X509_COMMON_NAME, OID_X509_LOCALITY_NAME, OID_X509_ORGANIZATION_NAME,
    OID_X509_STATE_OR_PROVINCE_NAME, OID_X509_STREET_ADDRESS,
};
use x509_parser::x509::X509Name;

use crate::CertError;
use crate::strings::decode;

/// The holder facts one source gives; each is `None` where the source does not say.
#[derive(Debug, Default)]
pub(crate) struct HolderFacts {
    pub(crate) company: Option<String>,
    pub(crate) holder: Option<String>,
    pub(crate) address: Option<String>,
}

impl HolderFacts {
    /// Fills what `self` lacks from a less preferred source.
    pub(crate) fn or(self, fallback: HolderFacts) -> HolderFacts {
        HolderFacts {
            company: self.company.or(fallback.company),
            holder: self.holder.or(fallback.holder),
            address: self.address.or(fallback.address),
        }
    }
}

/// O is the company, CN the holder, and the address is ST + L + street joined without separators, in that
/// order, as Japanese addresses are written (長崎県 + 長崎市 + 江戸町2-13).
pub(crate) fn holder_facts(name: &X509Name<'_>) -> Result<HolderFacts, CertError> {
    Ok(HolderFacts {
        company: first(name, &OID_X509_ORGANIZATION_NAME, "O")?,
        holder: first(name, &OID_X509_COMMON_NAME, "CN")?,
        address: address(name)?,
    })
}

/// A display name for an issuer: its O, else its CN, preferring a Japanese one (any non-ASCII value) when
/// the DN carries both scripts; a DN with neither is shown whole.
pub(crate) fn display(name: &X509Name<'_>) -> Result<String, CertError> {
    let organizations = all(name, &OID_X509_ORGANIZATION_NAME, "O")?;
    let common_names = all(name, &OID_X509_COMMON_NAME, "CN")?;
    let candidates = || organizations.iter().chain(&common_names);
    Ok(candidates()
        .find(|value| !value.is_ascii())
        .or_else(|| candidates().next())
        .cloned()
        .unwrap_or_else(|| name.to_string()))
}

fn first(name: &X509Name<'_>, oid: &Oid<'_>, attribute: &str) -> Result<Option<String>, CertError> {
    Ok(all(name, oid, attribute)?.into_iter().next())
}

fn address(name: &X509Name<'_>) -> Result<Option<String>, CertError> {
    let mut address = String::new();
    for (oid, attribute) in [
        (&OID_X509_STATE_OR_PROVINCE_NAME, "ST"),
        (&OID_X509_LOCALITY_NAME, "L"),
        (&OID_X509_STREET_ADDRESS, "street"),
    ] {
        address.extend(all(name, oid, attribute)?);
    }
    Ok((!address.is_empty()).then_some(address))
}

/// Every value of one attribute type, in DN order, trimmed; blank values count as absent.
fn all(name: &X509Name<'_>, oid: &Oid<'_>, attribute: &str) -> Result<Vec<String>, CertError> {
    let mut values = Vec::new();
    for attr in name.iter_by_oid(oid) {
        let text = decode(attr.attr_value(), attribute)?;
        let text = text.trim();
        if !text.is_empty() {
            values.push(text.to_owned());
        }
    }
    Ok(values)
}
