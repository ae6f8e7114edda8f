//! The little DER the demo CA writes by hand: a subjectAltName holding a directoryName.
//!
//! rcgen 0.14's `SanType` has DNS names, e-mail addresses, URIs, IP addresses and otherNames, but no
//! directoryName, and the company cards of the accredited CAs carry the holder's kanji name, company and
//! address exactly there. So that one extension value is encoded here and handed to rcgen as a
//! `CustomExtension`; everything else stays rcgen's.

/// A string in a distinguished name, in the ASN.1 type a certificate authority chose for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DerString<'a> {
    Printable(&'a str),
    Utf8(&'a str),
}

const TAG_OID: u8 = 0x06;
const TAG_UTF8_STRING: u8 = 0x0c;
const TAG_PRINTABLE_STRING: u8 = 0x13;
const TAG_SEQUENCE: u8 = 0x30;
const TAG_SET: u8 = 0x31;
/// GeneralName's `directoryName [4] Name`: explicit (constructed) because Name is a CHOICE.
const TAG_DIRECTORY_NAME: u8 = 0xa4;

/// The value of a subjectAltName extension (`GeneralNames`) holding one directoryName, the given
/// attributes, one a relative distinguished name, in order.
pub(crate) fn directory_name_alt_name(attributes: &[(&[u64], DerString<'_>)]) -> Vec<u8> {
    let directory_name = tlv(TAG_DIRECTORY_NAME, &name(attributes));
    tlv(TAG_SEQUENCE, &directory_name)
}

/// `Name ::= RDNSequence`, each relative distinguished name a set of one attribute.
fn name(attributes: &[(&[u64], DerString<'_>)]) -> Vec<u8> {
    let rdns: Vec<u8> = attributes
        .iter()
        .flat_map(|(oid, value)| {
            let mut attribute = object_identifier(oid);
            attribute.extend(string(*value));
            tlv(TAG_SET, &tlv(TAG_SEQUENCE, &attribute))
        })
        .collect();
    tlv(TAG_SEQUENCE, &rdns)
}

fn string(value: DerString<'_>) -> Vec<u8> {
    match value {
        DerString::Printable(text) => tlv(TAG_PRINTABLE_STRING, text.as_bytes()),
        DerString::Utf8(text) => tlv(TAG_UTF8_STRING, text.as_bytes()),
    }
}

/// An OBJECT IDENTIFIER: the first two arcs in one number, then each arc in base 128, high bit set on every
/// byte but the last. Only called with the fixed attribute-type OIDs of X.520, which all have two or more arcs
/// and a first arc of 0 to 2.
fn object_identifier(arcs: &[u64]) -> Vec<u8> {
    let mut content = Vec::new();
    let first = arcs.first().copied().unwrap_or(0) * 40 + arcs.get(1).copied().unwrap_or(0);
    for arc in std::iter::once(first).chain(arcs.iter().skip(2).copied()) {
        let mut groups = vec![(arc & 0x7f) as u8];
        let mut rest = arc >> 7;
        while rest > 0 {
            groups.push((rest & 0x7f) as u8 | 0x80);
            rest >>= 7;
        }
        content.extend(groups.iter().rev());
    }
    tlv(TAG_OID, &content)
}

/// Tag, definite length (short form below 128, long form above), content.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let significant: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
        out.push(0x80 | significant.len() as u8);
        out.extend(significant);
    }
    out.extend_from_slice(content);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_lengths() {
        assert_eq!(tlv(0x04, &[1, 2]), [0x04, 0x02, 1, 2]);
        let long = tlv(0x04, &[0; 200]);
        assert_eq!(&long[..3], [0x04, 0x81, 200]);
        assert_eq!(long.len(), 203);
        let longer = tlv(0x04, &[0; 300]);
        assert_eq!(&longer[..4], [0x04, 0x82, 0x01, 0x2c]);
    }

    #[test]
    fn object_identifiers() {
        // id-at-commonName 2.5.4.3
        assert_eq!(
            object_identifier(&[2, 5, 4, 3]),
            [0x06, 0x03, 0x55, 0x04, 0x03]
        );
        // sha256WithRSAEncryption 1.2.840.113549.1.1.11: multi-byte arcs.
        assert_eq!(
            object_identifier(&[1, 2, 840, 113_549, 1, 1, 11]),
            [
                0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b
            ]
        );
    }

    #[test]
    fn directory_name_in_general_names() {
        let der = directory_name_alt_name(&[
            (&[2, 5, 4, 6], DerString::Printable("JP")),
            (&[2, 5, 4, 3], DerString::Utf8("太郎")),
        ]);
        let expected: Vec<u8> = [
            &[0x30, 0x22, 0xa4, 0x20, 0x30, 0x1e][..],
            &[
                0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06, 0x13, 0x02, b'J', b'P',
            ],
            &[
                0x31, 0x0f, 0x30, 0x0d, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x06,
            ],
            "太郎".as_bytes(),
        ]
        .concat();
        assert_eq!(der, expected);
    }
}
