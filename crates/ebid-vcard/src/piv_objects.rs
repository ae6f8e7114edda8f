//! The PIV data objects the card answers GET DATA and SELECT with, built once from the card file (NIST SP
//! 800-73-4 Part 1 §3 and Appendix A; Part 2 §3.1.1 for the application property template).

use crate::error::VcardError;
use crate::spec::PivSpec;
use crate::tlv::{self, encode};

/// The PIV application's full AID: RID A0 00 00 03 08, PIX 00 00 10 00 01 00.
pub(crate) const AID: [u8; 11] = [
    0xA0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00, 0x01, 0x00,
];
/// The NIST RID, which right-truncated selection must at least carry.
const RID_LEN: usize = 5;
/// PIV algorithm identifiers (SP 800-78-4 Table 6-2): RSA-2048 and ECC P-256.
pub(crate) const ALG_RSA_2048: u8 = 0x07;
pub(crate) const ALG_P256: u8 = 0x11;

/// Whether SELECT's data names the PIV application: the full AID or a right-truncated one (Part 2 §3.1.1).
pub(crate) fn is_piv_aid(name: &[u8]) -> bool {
    name.len() >= RID_LEN && AID.starts_with(name)
}

/// SELECT's answer, the application property template: the PIX, the tag allocation authority and the
/// algorithms the card offers (Part 2 Table 3). OpenSC finds the PIX in tag 4F of tag 61.
pub(crate) fn application_property_template() -> Vec<u8> {
    let mut body = encode(&[0x4F], &AID[RID_LEN..]);
    body.extend(encode(&[0x79], &encode(&[0x4F], &AID[..RID_LEN])));
    body.extend(encode(&[0x50], b"ebid virtual PIV"));
    let mut algorithms = encode(&[0x80], &[ALG_RSA_2048]);
    algorithms.extend(encode(&[0x80], &[ALG_P256]));
    // The object identifier entry is required and is 00 (Part 2 Table 3 note).
    algorithms.extend(encode(&[0x06], &[0x00]));
    body.extend(encode(&[0xAC], &algorithms));
    encode(&[0x61], &body)
}

/// Everything GET DATA can return, as whole TLVs (tag 53, or 7E for the Discovery Object).
#[derive(Debug)]
pub(crate) struct DataObjects {
    pub discovery: Vec<u8>,
    pub chuid: Vec<u8>,
    pub ccc: Vec<u8>,
    pub certificate_9a: Vec<u8>,
    pub certificate_9c: Vec<u8>,
}

impl DataObjects {
    pub fn build(spec: &PivSpec) -> Result<Self, VcardError> {
        let guid: [u8; 16] = spec
            .card_uuid
            .as_slice()
            .try_into()
            .map_err(|_| VcardError::BadCardUuid(spec.card_uuid.len()))?;
        let expiry_9a = tlv::certificate_not_after(&spec.slot_9a.certificate)
            .ok_or(VcardError::BadCertificate { slot: "PIV 9A" })?;
        let expiry_9c = tlv::certificate_not_after(&spec.slot_9c.certificate)
            .ok_or(VcardError::BadCertificate { slot: "PIV 9C" })?;
        // The card lasts as long as its longest-lived certificate.
        let expiry = expiry_9a.max(expiry_9c);
        Ok(Self {
            discovery: discovery(),
            chuid: chuid(&guid, &expiry),
            ccc: ccc(&guid),
            certificate_9a: certificate(&spec.slot_9a.certificate),
            certificate_9c: certificate(&spec.slot_9c.certificate),
        })
    }
}

/// The Discovery Object (Part 1 §3.3.2): the AID, and a PIN usage policy saying the PIV application PIN is
/// the PIN (40: application PIN only, no global PIN, no OCC; second byte 00).
fn discovery() -> Vec<u8> {
    let mut body = encode(&[0x4F], &AID);
    body.extend(encode(&[0x5F, 0x2F], &[0x40, 0x00]));
    encode(&[0x7E], &body)
}

/// The Card Holder Unique Identifier (Part 1 §3.1.2): FASC-N, GUID, expiration date, an empty issuer
/// signature (OpenSC reads the FASC-N and GUID and does not check the signature) and the error detection code.
fn chuid(guid: &[u8; 16], expiry: &[u8; 8]) -> Vec<u8> {
    let mut body = encode(&[0x30], &fasc_n());
    body.extend(encode(&[0x34], guid));
    body.extend(encode(&[0x35], expiry));
    body.extend(encode(&[0x3E], &[]));
    body.extend(encode(&[0xFE], &[]));
    encode(&[0x53], &body)
}

/// The Card Capability Container (Part 1 §3.1.1): a card identifier (GSC-RID, manufacturer FF "other",
/// card type 02 "Java Card", then 14 bytes of the card's UUID) and the fixed version and empty entries.
fn ccc(guid: &[u8; 16]) -> Vec<u8> {
    let mut card_identifier = vec![0xA0, 0x00, 0x00, 0x01, 0x16, 0xFF, 0x02];
    card_identifier.extend_from_slice(&guid[..14]);
    let mut body = encode(&[0xF0], &card_identifier);
    body.extend(encode(&[0xF1], &[0x21]));
    body.extend(encode(&[0xF2], &[0x21]));
    body.extend(encode(&[0xF3], &[]));
    body.extend(encode(&[0xF4], &[0x00]));
    body.extend(encode(&[0xF5], &[0x10]));
    for tag in [0xF6, 0xF7, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE] {
        body.extend(encode(&[tag], &[]));
    }
    encode(&[0x53], &body)
}

/// A certificate object (Part 1 §3.3.x): the DER certificate, CertInfo 00 (not compressed), an empty error
/// detection code.
fn certificate(der: &[u8]) -> Vec<u8> {
    let mut body = encode(&[0x70], der);
    body.extend(encode(&[0x71], &[0x00]));
    body.extend(encode(&[0xFE], &[]));
    encode(&[0x53], &body)
}

/// The FASC-N of a card not issued by a US federal agency (TIG SCEPACS; Part 1 §3.1.2 and FIPS 201-3: agency,
/// system and credential all nines, organizational category 3 "commercial"). OpenSC sees agency code 9999
/// with a non-zero GUID and takes the GUID as the card's serial number.
fn fasc_n() -> [u8; 25] {
    // Characters: digits 0–9, and SS (start sentinel), FS (field separator), ES (end sentinel).
    const SS: u8 = 0b1011;
    const FS: u8 = 0b1101;
    const ES: u8 = 0b1111;
    let digits = |s: &'static str| s.bytes().map(|b| b - b'0');
    let mut chars: Vec<u8> = vec![SS];
    chars.extend(digits("9999")); // agency code
    chars.push(FS);
    chars.extend(digits("9999")); // system code
    chars.push(FS);
    chars.extend(digits("999999")); // credential number
    chars.push(FS);
    chars.extend(digits("0")); // credential series
    chars.push(FS);
    chars.extend(digits("1")); // individual credential issue
    chars.push(FS);
    chars.extend(digits("0000000000")); // person identifier
    chars.extend(digits("3")); // organizational category: commercial
    chars.extend(digits("0000")); // organizational identifier
    chars.extend(digits("1")); // person/organization association: employee
    chars.push(ES);
    let lrc = chars.iter().fold(0, |acc, c| acc ^ c);
    chars.push(lrc);

    // Each character is four bits least significant first, then an odd parity bit: 40 × 5 = 200 bits.
    let mut out = [0u8; 25];
    let mut bit = 0;
    for c in chars {
        let ones = c.count_ones();
        let parity = u8::from(ones % 2 == 0);
        for b in [c & 1, (c >> 1) & 1, (c >> 2) & 1, (c >> 3) & 1, parity] {
            if b == 1 {
                out[bit / 8] |= 0x80 >> (bit % 8);
            }
            bit += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the FASC-N back into its characters: digits, and S F E for the sentinels and separators.
    fn decode_fasc_n(bytes: &[u8; 25]) -> String {
        (0..40)
            .map(|i| {
                let bits: Vec<u8> = (0..5)
                    .map(|j| (bytes[(i * 5 + j) / 8] >> (7 - (i * 5 + j) % 8)) & 1)
                    .collect();
                assert_eq!(
                    bits.iter().sum::<u8>() % 2,
                    1,
                    "odd parity on character {i}"
                );
                let value = bits[0] | bits[1] << 1 | bits[2] << 2 | bits[3] << 3;
                match value {
                    0b1011 => 'S',
                    0b1101 => 'F',
                    0b1111 => 'E',
                    digit => char::from(b'0' + digit),
                }
            })
            .collect()
    }

    #[test]
    fn the_fasc_n_reads_back_and_passes_opensc_s_non_federal_test() {
        let fascn = fasc_n();
        let text = decode_fasc_n(&fascn);
        assert!(
            text.starts_with("S9999F9999F999999F0F1F0000000000300001E"),
            "{text}"
        );
        // card-piv.c: agency 9999 when fascn[0..3] == D4 E7 39 and fascn[3] | 7F == FF.
        assert_eq!(fascn[..3], [0xD4, 0xE7, 0x39]);
        assert_eq!(fascn[3] | 0x7F, 0xFF);
    }

    #[test]
    fn accepts_the_full_and_right_truncated_aid_only() {
        assert!(is_piv_aid(&AID));
        assert!(is_piv_aid(&AID[..9]));
        assert!(is_piv_aid(&AID[..5]));
        assert!(!is_piv_aid(&AID[..4]));
        assert!(!is_piv_aid(&[
            0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01
        ]));
        let mut longer = AID.to_vec();
        longer.push(0x00);
        assert!(!is_piv_aid(&longer));
    }

    #[test]
    fn the_property_template_carries_the_pix_where_opensc_looks() {
        let apt = application_property_template();
        let body = tlv::read_only(&apt, 0x61).expect("61");
        let fields = tlv::read_all(body).expect("fields");
        assert_eq!(fields[0].tag, 0x4F);
        assert_eq!(fields[0].value, &AID[5..]);
    }

    #[test]
    fn the_discovery_object_names_the_aid_and_the_application_pin() {
        let object = discovery();
        let body = tlv::read_only(&object, 0x7E).expect("7E");
        let fields = tlv::read_all(body).expect("fields");
        assert_eq!((fields[0].tag, fields[0].value), (0x4F, &AID[..]));
        assert_eq!(
            (fields[1].tag, fields[1].value),
            (0x5F2F, &[0x40, 0x00][..])
        );
    }

    #[test]
    fn the_chuid_holds_the_guid_and_expiry() {
        let guid = [7u8; 16];
        let object = chuid(&guid, b"20301231");
        let fields = tlv::read_all(tlv::read_only(&object, 0x53).expect("53")).expect("fields");
        let tags: Vec<u32> = fields.iter().map(|f| f.tag).collect();
        assert_eq!(tags, [0x30, 0x34, 0x35, 0x3E, 0xFE]);
        assert_eq!(fields[0].value.len(), 25);
        assert_eq!(fields[1].value, &guid);
        assert_eq!(fields[2].value, b"20301231");
    }

    #[test]
    fn the_ccc_card_identifier_is_21_bytes() {
        let object = ccc(&[1u8; 16]);
        let fields = tlv::read_all(tlv::read_only(&object, 0x53).expect("53")).expect("fields");
        assert_eq!((fields[0].tag, fields[0].value.len()), (0xF0, 0x15));
        assert_eq!(fields.last().map(|f| f.tag), Some(0xFE));
    }

    #[test]
    fn a_certificate_object_wraps_the_der_uncompressed() {
        let object = certificate(&[0x30, 0x03, 0x02, 0x01, 0x01]);
        let fields = tlv::read_all(tlv::read_only(&object, 0x53).expect("53")).expect("fields");
        assert_eq!(
            (fields[0].tag, fields[0].value),
            (0x70, &[0x30, 0x03, 0x02, 0x01, 0x01][..])
        );
        assert_eq!((fields[1].tag, fields[1].value), (0x71, &[0x00][..]));
        assert_eq!((fields[2].tag, fields[2].value.len()), (0xFE, 0));
    }
}
