//! BER-TLV, as the PIV data objects and GENERAL AUTHENTICATE templates use it (ISO/IEC 7816-4 §5.2,
//! NIST SP 800-73-4 Part 1 §3.3), and the little DER walking the card needs to find a certificate's expiry.

/// Encodes one TLV: `tag` as given (one to three bytes), the length in the shortest definite form.
pub(crate) fn encode(tag: &[u8], value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(tag.len() + 4 + value.len());
    out.extend_from_slice(tag);
    let len = value.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len <= 0xFF {
        out.extend([0x81, len as u8]);
    } else if len <= 0xFFFF {
        out.push(0x82);
        out.extend_from_slice(&(len as u16).to_be_bytes());
    } else {
        out.push(0x83);
        out.extend_from_slice(&(len as u32).to_be_bytes()[1..]);
    }
    out.extend_from_slice(value);
    out
}

/// One TLV read off the front of a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tlv<'a> {
    /// The tag bytes as a number, first byte most significant (`5F C1 02` is `0x5FC102`).
    pub tag: u32,
    pub value: &'a [u8],
}

/// Reads the first TLV of `input` and returns it with what follows it; `None` when the bytes are not a
/// complete TLV (tags over three bytes and indefinite or over-long lengths included).
pub(crate) fn read(input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let (&first, mut rest) = input.split_first()?;
    let mut tag = u32::from(first);
    // Low five bits all set: more tag bytes follow, each with b8 set but the last.
    if first & 0x1F == 0x1F {
        for _ in 0..2 {
            let (&b, r) = rest.split_first()?;
            rest = r;
            tag = (tag << 8) | u32::from(b);
            if b & 0x80 == 0 {
                break;
            }
        }
        if tag & 0x80 != 0 {
            return None;
        }
    }
    let (&len0, r) = rest.split_first()?;
    rest = r;
    let len = match len0 {
        0..=0x7F => usize::from(len0),
        0x81..=0x83 => {
            let n = usize::from(len0 & 0x7F);
            if rest.len() < n {
                return None;
            }
            let (bytes, r) = rest.split_at(n);
            rest = r;
            bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
        }
        _ => return None,
    };
    if rest.len() < len {
        return None;
    }
    let (value, rest) = rest.split_at(len);
    Some((Tlv { tag, value }, rest))
}

/// Reads a buffer that must be exactly a sequence of TLVs; `None` if anything is left over or broken.
pub(crate) fn read_all(mut input: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let mut out = Vec::new();
    while !input.is_empty() {
        let (tlv, rest) = read(input)?;
        out.push(tlv);
        input = rest;
    }
    Some(out)
}

/// Reads a buffer that must be exactly one TLV with the given tag, and returns its value.
pub(crate) fn read_only(input: &[u8], tag: u32) -> Option<&[u8]> {
    match read(input)? {
        (tlv, []) if tlv.tag == tag => Some(tlv.value),
        _ => None,
    }
}

/// The `notAfter` of a DER X.509 certificate as `YYYYMMDD` (RFC 5280 §4.1: Certificate → tbsCertificate →
/// [version] serialNumber signature issuer validity{notBefore notAfter}).
pub(crate) fn certificate_not_after(certificate: &[u8]) -> Option<[u8; 8]> {
    const SEQUENCE: u32 = 0x30;
    const VERSION: u32 = 0xA0;
    const UTC_TIME: u32 = 0x17;
    const GENERALIZED_TIME: u32 = 0x18;

    let (tbs, _) = read(read_only(certificate, SEQUENCE)?)?;
    if tbs.tag != SEQUENCE {
        return None;
    }
    let mut fields = read_all(tbs.value)?.into_iter().peekable();
    if fields.peek()?.tag == VERSION {
        fields.next();
    }
    // serialNumber, signature, issuer, then validity.
    let validity = fields.nth(3)?;
    let [_, not_after] = read_all(validity.value)?[..] else {
        return None;
    };
    let digits = not_after.value;
    if !digits
        .iter()
        .take(digits.len().saturating_sub(1))
        .all(u8::is_ascii_digit)
    {
        return None;
    }
    let mut out = [0u8; 8];
    match (not_after.tag, digits) {
        // YYMMDDHHMMSSZ: years 50–99 are 19xx, 00–49 are 20xx (RFC 5280 §4.1.2.5.1).
        (UTC_TIME, [y1, y2, m1, m2, d1, d2, ..]) if digits.len() == 13 => {
            let century: &[u8; 2] = if *y1 >= b'5' { b"19" } else { b"20" };
            out[..2].copy_from_slice(century);
            out[2..].copy_from_slice(&[*y1, *y2, *m1, *m2, *d1, *d2]);
        }
        // YYYYMMDDHHMMSSZ.
        (GENERALIZED_TIME, [date @ .., _]) if digits.len() == 15 => {
            out.copy_from_slice(date.get(..8)?)
        }
        _ => return None,
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_lengths_in_the_shortest_form() {
        assert_eq!(encode(&[0x53], &[]), vec![0x53, 0x00]);
        assert_eq!(encode(&[0x70], &[0xAA; 0x7F])[..2], [0x70, 0x7F]);
        assert_eq!(encode(&[0x70], &[0xAA; 0x80])[..3], [0x70, 0x81, 0x80]);
        assert_eq!(
            encode(&[0x70], &[0xAA; 0x100])[..4],
            [0x70, 0x82, 0x01, 0x00]
        );
        assert_eq!(
            encode(&[0x5F, 0x2F], &[0x40, 0x00]),
            vec![0x5F, 0x2F, 0x02, 0x40, 0x00]
        );
    }

    #[test]
    fn reads_back_what_it_encodes() {
        for len in [0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x1_0000] {
            let value = vec![0x42; len];
            for tag in [&[0x7C][..], &[0x5F, 0x2F], &[0x5F, 0xC1, 0x02]] {
                let mut bytes = encode(tag, &value);
                bytes.push(0x99);
                let (tlv, rest) = read(&bytes).expect("tlv");
                assert_eq!(tlv.value.len(), len);
                assert_eq!(
                    tlv.tag,
                    tag.iter().fold(0, |acc, &b| (acc << 8) | u32::from(b))
                );
                assert_eq!(rest, &[0x99]);
            }
        }
    }

    #[test]
    fn refuses_truncated_or_indefinite_input() {
        for bytes in [
            &[][..],
            &[0x7C],
            &[0x7C, 0x05, 0x01],
            &[0x7C, 0x80, 0x00, 0x00],
            &[0x7C, 0x84, 0, 0, 0, 1, 0],
            &[0x7C, 0x82, 0x01],
            &[0x5F],
            &[0x5F, 0xC1],
            &[0x5F, 0xC1, 0x82, 0x01, 0x00],
        ] {
            assert_eq!(read(bytes), None, "{bytes:02X?}");
        }
        assert_eq!(read_all(&[0x82, 0x00, 0x81]), None);
        assert_eq!(read_only(&[0x82, 0x00, 0x81, 0x00], 0x82), None);
    }

    #[test]
    fn finds_the_expiry_of_a_certificate() {
        let params = rcgen::CertificateParams::new(vec!["card.example".into()]).expect("params");
        let mut params = params;
        params.not_after = rcgen::date_time_ymd(2031, 3, 9);
        let key = rcgen::KeyPair::generate().expect("key");
        let cert = params.self_signed(&key).expect("cert");
        assert_eq!(certificate_not_after(cert.der()), Some(*b"20310309"));

        params.not_after = rcgen::date_time_ymd(2051, 12, 31);
        let cert = params.self_signed(&key).expect("cert");
        assert_eq!(certificate_not_after(cert.der()), Some(*b"20511231"));

        assert_eq!(certificate_not_after(b"not a certificate"), None);
    }
}
